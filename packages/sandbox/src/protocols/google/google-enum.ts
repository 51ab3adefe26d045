import { googleError } from './google-error.js';

/**
 * Reads a proto enum sent either by name (proto3 JSON default) or by number (the Google Node clients
 * send `$alt=json;enum-encoding=int`). Returns the name; an unknown value → INVALID_ARGUMENT naming
 * the field and the allowed names.
 */
export function enumName(values: Record<string, number>, value: unknown, field: string): string {
  if (typeof value === 'string' && value in values) return value;
  if (typeof value === 'number') {
    const name = Object.keys(values).find((key) => values[key] === value);
    if (name) return name;
  }
  const allowed = Object.keys(values).filter((key) => !key.endsWith('_UNSPECIFIED'));
  throw googleError(
    'INVALID_ARGUMENT',
    `Invalid value at '${field}' (${JSON.stringify(value)}); allowed: ${allowed.join(', ')}.`,
  );
}
