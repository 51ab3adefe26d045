import { ValidationError } from '../errors/validation-error.js';
import type { GroupedChanges } from './group-changes.js';

/**
 * Throw one ValidationError, before any write, naming every attribute of a grouped patch this type
 * cannot change in place, and the ones it can. The engine plans a replace for immutable attributes, so
 * this fires on a misdeclared type or a direct call.
 *
 * @example assertPatchable('acme.database', groupChanges(changes, ['tags']), ['size', 'tags']);
 */
export function assertPatchable(type: string, grouped: GroupedChanges, patchable: readonly string[]): void {
  const bad = [...grouped.plain.keys(), ...grouped.maps.keys()].filter((a) => !patchable.includes(a));
  if (bad.length === 0) return;
  throw new ValidationError(
    `${type} patch`,
    bad.map((attribute) => ({
      path: [attribute],
      message: 'cannot be changed in place (it is immutable or unknown to this type)',
      allowed: patchable,
    })),
  );
}
