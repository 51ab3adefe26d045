import { type ResourceRef, ValidationError, type ValidationIssue } from '@patchbay/core';

/** Every type turns its input issues into the same ValidationError (`<type> <name>`), kept in one place. */
export function throwIfInvalid(type: string, ref: ResourceRef, issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(`${type} ${ref.name}`, issues);
}
