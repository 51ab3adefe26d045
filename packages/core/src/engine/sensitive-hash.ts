import { createHash } from 'node:crypto';
import type { JsonValue } from '../resources/resource-spec.js';

const PREFIX = 'sha256:';

/** How a sensitive value is kept in state: a hash, so the diff still works and the value is never stored. */
export function hashSensitive(value: JsonValue): string {
  return PREFIX + createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export function isSensitiveHash(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(PREFIX) && value.length === PREFIX.length + 64;
}
