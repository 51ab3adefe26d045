import { isDeepStrictEqual } from 'node:util';
import {
  type AttributeChange,
  type Attributes,
  ConflictError,
  type JsonValue,
  type Precondition,
} from '@patchbay/core';

/**
 * Compare-and-set for APIs without a version token (ECS, RDS, EKS): called with attributes read
 * right before the write, it throws ConflictError if any attribute the write relies on moved.
 * `expected` keys may name a map key (`tags.owner`); a whole-map expectation compares only its keys,
 * so tags added in the console meanwhile do not count as a conflict. A changed path absent from
 * `expected` was absent when observed: if it appeared since (someone added that tag), that is a conflict too.
 * A changed attribute that already holds its target value is no conflict either: that is an earlier attempt
 * of this very write (the engine retries a patch whose follow-up wait was throttled), or the same change
 * made elsewhere — the design's "already there" case. The caller then skips values already live.
 */
export function assertUnchanged(
  resource: string,
  live: Attributes,
  precondition: Precondition,
  changes: readonly AttributeChange[],
  normalize: (attribute: string, value: JsonValue) => JsonValue = (_a, v) => v,
  mapAttributes: readonly string[] = [],
): void {
  if (precondition.kind !== 'read-before-write') return;
  const expectations: [string, JsonValue | undefined][] = Object.entries(precondition.expected);
  const targets = new Map<string, JsonValue | undefined>();
  for (const change of changes) {
    targets.set(change.attribute, norm(normalize, change.attribute, change.to));
    if (!(change.attribute in precondition.expected)) expectations.push([change.attribute, undefined]);
  }
  const alreadyThere = (path: string, actual: JsonValue | undefined) =>
    targets.has(path) && same(targets.get(path), actual);
  for (const [attribute, expectedRaw] of expectations) {
    const expected = norm(normalize, attribute, expectedRaw);
    const dot = attribute.indexOf('.');
    const head = dot === -1 ? attribute : attribute.slice(0, dot);
    if (mapAttributes.includes(head) && dot !== -1) {
      const actual = mapValue(live[head], attribute.slice(dot + 1));
      if (!same(expected, actual) && !alreadyThere(attribute, actual))
        throw new ConflictError(resource, attribute, expectedRaw, actual);
      continue;
    }
    if (mapAttributes.includes(head) && expected !== undefined && isMap(expected)) {
      const liveMap = isMap(live[head]) ? live[head] : {};
      for (const [key, value] of Object.entries(expected)) {
        const path = `${attribute}.${key}`;
        if (!same(value, liveMap[key]) && !alreadyThere(path, liveMap[key])) {
          throw new ConflictError(resource, path, value, liveMap[key]);
        }
      }
      continue;
    }
    const actual = live[attribute] === undefined ? undefined : norm(normalize, attribute, live[attribute]);
    if (!same(expected, actual) && !alreadyThere(attribute, actual))
      throw new ConflictError(resource, attribute, expectedRaw, live[attribute]);
  }
}

function norm(
  normalize: (attribute: string, value: JsonValue) => JsonValue,
  attribute: string,
  value: JsonValue | undefined,
): JsonValue | undefined {
  return value === undefined || value === null ? value : normalize(attribute, value);
}

function mapValue(map: JsonValue | undefined, key: string): JsonValue | undefined {
  return isMap(map) ? map[key] : undefined;
}

function isMap(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** null and undefined both mean "absent". */
function same(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return isDeepStrictEqual(a ?? null, b ?? null);
}
