import { isDeepStrictEqual } from 'node:util';
import {
  type AttributeChange,
  type Attributes,
  ConflictError,
  type JsonValue,
  type Precondition,
} from '@patchbay/core';

/**
 * Compare-and-set for Neon, which has no version token: called with attributes read right before the
 * write, it throws ConflictError if an attribute about to change moved since the plan observed it. A
 * changed attribute already holding its target value is no conflict (an earlier attempt of this write, or
 * the same change made elsewhere); the caller then skips it.
 */
export function assertUnchanged(
  resource: string,
  live: Attributes,
  precondition: Precondition,
  changes: readonly AttributeChange[],
  normalize: (attribute: string, value: JsonValue) => JsonValue,
): void {
  if (precondition.kind !== 'read-before-write') return;
  const norm = (attribute: string, value: JsonValue | undefined) =>
    value === undefined || value === null ? null : normalize(attribute, value);
  for (const change of changes) {
    const expected = norm(change.attribute, precondition.expected[change.attribute]);
    const actual = norm(change.attribute, live[change.attribute]);
    if (isDeepStrictEqual(expected, actual)) continue;
    if (isDeepStrictEqual(norm(change.attribute, change.to), actual)) continue;
    throw new ConflictError(
      resource,
      change.attribute,
      precondition.expected[change.attribute],
      live[change.attribute],
    );
  }
}

/** The changes whose target differs from the live value (after normalizing both). */
export function effectiveChanges(
  live: Attributes,
  changes: readonly AttributeChange[],
  normalize: (attribute: string, value: JsonValue) => JsonValue,
): AttributeChange[] {
  return changes.filter((c) => {
    const to = c.to === undefined || c.to === null ? null : normalize(c.attribute, c.to);
    const now = live[c.attribute] === undefined ? null : normalize(c.attribute, live[c.attribute]!);
    return !isDeepStrictEqual(to, now);
  });
}
