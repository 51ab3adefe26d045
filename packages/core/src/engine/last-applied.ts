import type { Attributes, JsonValue } from '../resources/resource-spec.js';
import { splitMapPath, writeAttribute } from './flatten-attributes.js';
import { hashSensitive } from './sensitive-hash.js';

/** L after a create: every desired attribute except ignored ones; sensitive values as hashes. */
export function createdLastApplied(
  desired: Attributes,
  ignore: readonly string[] | undefined,
  sensitive: readonly string[] | undefined,
): Attributes {
  const out: Attributes = {};
  for (const [name, value] of Object.entries(desired)) {
    if (ignore?.includes(name)) continue;
    out[name] = sensitive?.includes(name) ? hashSensitive(value) : value;
  }
  return out;
}

/** L after an update: `start` with the written or recorded paths set, and disowned paths dropped. */
export function updatedLastApplied(
  start: Attributes,
  sets: Iterable<[string, JsonValue | undefined]>,
  disown: readonly string[],
  maps: readonly string[] | undefined,
  sensitive: readonly string[] | undefined,
): Attributes {
  const out = structuredClone(start);
  for (const [path, value] of sets) {
    const secret = sensitive?.includes(splitMapPath(path, maps)[0]) && value !== undefined;
    writeAttribute(out, path, secret ? hashSensitive(value) : value, maps);
  }
  for (const path of disown) writeAttribute(out, path, undefined, maps);
  return out;
}

/** Unflatten a flat path → value record (a baseline built from observed values). */
export function unflatten(flat: Record<string, JsonValue>, maps: readonly string[] | undefined): Attributes {
  const out: Attributes = {};
  for (const [path, value] of Object.entries(flat)) writeAttribute(out, path, value, maps);
  return out;
}
