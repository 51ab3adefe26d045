import { type DesiredValue, isOutputRef, type JsonValue, type OutputRef } from './resource-spec.js';

/** Every output ref in a desired value, at any depth (`{ env: { DB_HOST: { $ref } } }` included). */
export function collectOutputRefs(
  value: DesiredValue | undefined,
  into: OutputRef['$ref'][] = [],
): OutputRef['$ref'][] {
  if (isOutputRef(value)) into.push(value.$ref);
  else if (Array.isArray(value)) for (const item of value) collectOutputRefs(item, into);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) collectOutputRefs(item as DesiredValue, into);
  return into;
}

/**
 * Replace every output ref in `value` by what `lookup` returns for it; `undefined` from `lookup` (an output
 * not known yet) makes the whole result `undefined`.
 */
export function resolveOutputRefs(
  value: DesiredValue,
  lookup: (ref: OutputRef['$ref']) => JsonValue | undefined,
): JsonValue | undefined {
  if (isOutputRef(value)) return lookup(value.$ref);
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const item of value) {
      const resolved = resolveOutputRefs(item, lookup);
      if (resolved === undefined) return undefined;
      out.push(resolved);
    }
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = resolveOutputRefs(item as DesiredValue, lookup);
      if (resolved === undefined) return undefined;
      out[key] = resolved;
    }
    return out;
  }
  return value;
}
