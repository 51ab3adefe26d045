import { isDeepStrictEqual } from 'node:util';
import type { Attributes, JsonValue } from '@patchbay/core';

/**
 * Reads `cpu`, or `tags.owner` when `tags` is a map attribute of the type, from observed attributes.
 * Map keys are owned one by one, so the suite reads and compares them the way the engine does.
 */
export function readPath(
  attributes: Attributes | undefined,
  path: string,
  maps: readonly string[] | undefined,
): JsonValue | undefined {
  if (!attributes) return undefined;
  if (path in attributes) return attributes[path];
  const dot = path.indexOf('.');
  if (dot <= 0) return undefined;
  const map = path.slice(0, dot);
  const value = attributes[map];
  if (!maps?.includes(map) || !isPlainObject(value)) return undefined;
  return value[path.slice(dot + 1)];
}

/** Whether an attribute path lies within `attribute` (itself, or one of its map keys). */
export function withinAttribute(path: string, attribute: string): boolean {
  return path === attribute || path.startsWith(`${attribute}.`);
}

/**
 * Whether an observed value matches a normalized desired one. For a map attribute the live map may hold
 * more keys (console tags, ownership tags): only the desired keys must match.
 */
export function matchesDesired(desired: JsonValue, observed: JsonValue | undefined, isMap: boolean): boolean {
  if (isMap && isPlainObject(desired) && isPlainObject(observed)) {
    return Object.entries(desired).every(([key, value]) => isDeepStrictEqual(observed[key], value));
  }
  return isDeepStrictEqual(desired, observed);
}

function isPlainObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
