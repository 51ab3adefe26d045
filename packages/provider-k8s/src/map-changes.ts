import { type AttributeChange, groupChanges, type JsonValue } from '@patchbay/core';

/**
 * The keys of a map attribute that `changes` touch (`labels.team` → `team`), as a merge-patch object:
 * new value, or `null` to remove the key. Keys not changed are absent, so keys added in the console stay.
 */
export function mapChanges(changes: readonly AttributeChange[], map: string): Record<string, string | null> {
  const change = groupChanges(changes, [map]).maps.get(map);
  const out: Record<string, string | null> = {};
  for (const key of change?.remove ?? []) out[key] = null;
  return Object.assign(out, change?.set);
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
