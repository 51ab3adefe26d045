import type { Attributes, JsonValue } from '../resources/resource-spec.js';

/**
 * Flatten map attributes (`tags`) into one entry per key (`tags.owner`), so each key is owned on its own
 * and keys a person added in the console are neither owned nor removed.
 */
export function flattenAttributes<V>(
  attributes: Record<string, V>,
  maps: readonly string[] | undefined,
): Map<string, V> {
  const flat = new Map<string, V>();
  for (const [name, value] of Object.entries(attributes)) {
    if (maps?.includes(name) && isPlainObject(value)) {
      for (const [key, inner] of Object.entries(value)) flat.set(`${name}.${key}`, inner as V);
    } else {
      flat.set(name, value);
    }
  }
  return flat;
}

/** Read an attribute path (`cpu`, or `tags.owner` for a map attribute) from unflattened attributes. */
export function readAttribute(
  attributes: Attributes | undefined,
  path: string,
  maps: readonly string[] | undefined,
): JsonValue | undefined {
  if (!attributes) return undefined;
  const [map, key] = splitMapPath(path, maps);
  if (key === undefined) return attributes[path];
  const value = attributes[map];
  return isPlainObject(value) ? value[key] : undefined;
}

/** Set (or with `undefined`, remove) an attribute path in unflattened attributes, in place. */
export function writeAttribute(
  attributes: Attributes,
  path: string,
  value: JsonValue | undefined,
  maps: readonly string[] | undefined,
): void {
  const [map, key] = splitMapPath(path, maps);
  if (key === undefined) {
    if (value === undefined) delete attributes[path];
    else attributes[path] = value;
    return;
  }
  const current = attributes[map];
  const next: Record<string, JsonValue> = isPlainObject(current) ? { ...current } : {};
  if (value === undefined) delete next[key];
  else next[key] = value;
  attributes[map] = next;
}

/** `['tags', 'owner']` for a map key path, `[path, undefined]` otherwise. */
export function splitMapPath(
  path: string,
  maps: readonly string[] | undefined,
): [string, string | undefined] {
  const dot = path.indexOf('.');
  if (dot > 0 && maps?.includes(path.slice(0, dot))) return [path.slice(0, dot), path.slice(dot + 1)];
  return [path, undefined];
}

export function isPlainObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
