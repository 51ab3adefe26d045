import { type AttributeChange, ValidationError } from '@patchbay/core';

/**
 * Refuses a patch of an attribute the API cannot change in place, before any call. The engine plans a
 * replace for immutable attributes, so this only fires on a misdeclared spec or a direct call.
 */
export function assertPatchable(
  type: string,
  name: string,
  changes: readonly AttributeChange[],
  patchable: readonly string[],
): void {
  const refused = changes.filter((c) => !patchable.includes(c.attribute));
  if (refused.length === 0) return;
  throw new ValidationError(
    `${type} ${name}`,
    refused.map((c) => ({
      path: [c.attribute],
      message: 'cannot be changed in place',
      allowed: patchable.length > 0 ? [...patchable] : 'nothing: this type has no update',
    })),
  );
}
