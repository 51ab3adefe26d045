import { isDeepStrictEqual } from 'node:util';
import type { JsonValue } from '../resources/resource-spec.js';

/**
 * True when a desired value differs from the live one, so a write is needed; undefined and null are the
 * same "unset".
 *
 * @example if (differs(live.size, grouped.plain.get('size'))) await api.resize(id, size);
 */
export function differs(live: JsonValue | undefined, to: JsonValue | undefined): boolean {
  return !isDeepStrictEqual(live ?? null, to ?? null);
}
