/** Field names whose values are never echoed in errors, plans or logs. */
const SECRET_KEY =
  /pass(word|wd)?|secret|token|api[-_]?key|credential|private[-_]?key|inline|connection[-_]?string/i;

/** Placeholder for a value that looks secret. */
export const REDACTED = '(redacted)';

/** Does this field name look like it holds a secret? */
export function isSecretKey(key: string | number): boolean {
  return typeof key === 'string' && SECRET_KEY.test(key);
}

/**
 * `value` with every secret-looking field replaced by {@link REDACTED}; the whole value is replaced
 * when `path` itself ends in (or passes through) a secret-looking field.
 */
export function redactSecrets(value: unknown, path: readonly (string | number)[] = []): unknown {
  if (path.some(isSecretKey)) return value === undefined ? undefined : REDACTED;
  return redactDeep(value, 0);
}

function redactDeep(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 8) return '(nested)';
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] = isSecretKey(key) ? REDACTED : redactDeep(v, depth + 1);
  return out;
}
