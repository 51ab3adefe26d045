import type { Attributes, ValidateContext, ValidationIssue } from '@patchbay/core';

/**
 * A type's create-time check (every attribute it needs, each value it accepts) reused by `validate` at plan
 * time: an issue about an attribute the spec does not set is kept only when the plan may create the resource
 * (the attribute is then missing) and its value is not merely known after apply. Issues about values the spec
 * sets are always kept.
 */
export function planTimeIssues(
  issues: readonly ValidationIssue[],
  attributes: Attributes,
  context: ValidateContext,
): ValidationIssue[] {
  return issues.filter((issue) => {
    const attribute = String(issue.path[0] ?? '');
    return attribute in attributes || (context.mayCreate && !context.knownAfterApply.includes(attribute));
  });
}
