import type { ResourceRef, ResourceType } from '../provider/provider.js';
import type { Attributes, JsonValue } from '../resources/resource-spec.js';

/**
 * The values of a type's `identity` attributes (`ResourceRef.identity`), taken from `sources` in order: a
 * value found in an earlier source wins. Values that are not plain JSON yet (known only after apply) and
 * sensitive attributes (state holds only their hash) are skipped. `undefined` when the type declares no
 * identity or no value is known.
 */
export function identityOf(
  type: ResourceType,
  sources: readonly (Readonly<Record<string, unknown>> | undefined)[],
  sensitive: readonly string[] = [],
): Attributes | undefined {
  if (!type.identity?.length) return undefined;
  const identity: Attributes = {};
  for (const attribute of type.identity) {
    if (sensitive.includes(attribute)) continue;
    for (const source of sources) {
      const value = source?.[attribute];
      if (isJson(value)) {
        identity[attribute] = value;
        break;
      }
    }
  }
  return Object.keys(identity).length ? identity : undefined;
}

/** `ref` with `identity` set when there is one (refs of types without identity stay as they were). */
export function withIdentity(ref: ResourceRef, identity: Attributes | undefined): ResourceRef {
  return identity ? { ...ref, identity } : ref;
}

function isJson(value: unknown): value is JsonValue {
  return value !== undefined && typeof value !== 'symbol' && typeof value !== 'function';
}
