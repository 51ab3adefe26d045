/** Element names of list members, by list element name; anything else uses `member`. */
export type XmlMemberNames = Readonly<Record<string, string>>;

/**
 * Writes a JSON value as AWS Query XML: objects become child elements, arrays become a wrapper with one
 * member element per item, `undefined`/`null` are left out, booleans and numbers are written as text.
 */
export function toXml(name: string, value: unknown, members: XmlMemberNames): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const member = members[name] ?? 'member';
    return `<${name}>${value.map((item) => toXml(member, item, members)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const children = Object.entries(value as Record<string, unknown>)
      .map(([key, child]) => toXml(key, child, members))
      .join('');
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}
