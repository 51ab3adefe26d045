import type { AttributeChange, Attributes, JsonValue } from '@patchbay/core';
import { differs } from '@patchbay/core';

/**
 * True when every change is already live: the write of an earlier attempt that the engine retried (its
 * answer was lost to throttling or a dropped connection) moved the version token, so the retry's
 * precondition fails although the resource is exactly as desired. That is success, not a conflict.
 */
export function alreadyApplied(
  live: Attributes,
  changes: readonly AttributeChange[],
  normalize: (attribute: string, value: JsonValue) => JsonValue,
): boolean {
  return changes.every((change) => {
    const dot = change.attribute.indexOf('.');
    const head = dot === -1 ? change.attribute : change.attribute.slice(0, dot);
    const actual =
      dot === -1
        ? live[head]
        : (live[head] as Record<string, JsonValue> | undefined)?.[change.attribute.slice(dot + 1)];
    const want = change.to === undefined || change.to === null ? change.to : normalize(head, change.to);
    return !differs(actual, dot === -1 ? want : (want ?? undefined));
  });
}
