import type { AttributeChange, JsonValue } from '@patchbay/core';

/**
 * The keys of a map attribute that `changes` touch (`labels.team` → `team`), as a merge-patch object:
 * new value, or `null` to remove the key. Keys not changed are absent, so keys added in the console stay.
 */
export function mapChanges(changes: readonly AttributeChange[], map: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const change of changes) {
    if (change.attribute === map) {
      // The whole map at once (the engine sends keys, but a caller may not): set new keys, drop missing ones.
      const from = asMap(change.from);
      const to = asMap(change.to);
      for (const key of Object.keys(from)) if (!(key in to)) out[key] = null;
      for (const [key, value] of Object.entries(to)) out[key] = String(value);
    } else if (change.attribute.startsWith(`${map}.`)) {
      const key = change.attribute.slice(map.length + 1);
      out[key] = change.to === undefined || change.to === null ? null : String(change.to);
    }
  }
  return out;
}

/** The change of a plain attribute, if `changes` has one. */
export function changeOf(
  changes: readonly AttributeChange[],
  attribute: string,
): AttributeChange | undefined {
  return changes.find((c) => c.attribute === attribute);
}

/** Read an attribute path (`image`, or `labels.team` for a map attribute) from observed attributes. */
export function attributeAt(
  attributes: Record<string, JsonValue>,
  path: string,
  maps: readonly string[],
): JsonValue | undefined {
  const dot = path.indexOf('.');
  if (dot > 0 && maps.includes(path.slice(0, dot))) {
    const map = attributes[path.slice(0, dot)];
    return asMap(map)[path.slice(dot + 1)];
  }
  return attributes[path];
}

function asMap(value: JsonValue | undefined): Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}
