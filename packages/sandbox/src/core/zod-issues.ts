import type { ValidationIssue } from '@patchbay/core';
import type { z } from 'zod';

/** Converts zod issues to Patchbay's ValidationIssue list (path, message, allowed values when known). */
export function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => {
    const result: ValidationIssue = {
      path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message: issue.message,
    };
    if (issue.code === 'invalid_value') result.allowed = issue.values as unknown[];
    if (issue.code === 'unrecognized_keys') result.allowed = 'only the documented fields';
    return result;
  });
}
