import type { z } from 'zod';
import { ApiError } from '../../core/api-error.js';

/**
 * Validates an operation's input, answering like the API does for malformed requests: one 400 error
 * with `code` naming every rejected field (unknown fields, wrong types, missing required ones).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  code: string,
  status = 400,
): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((key) => (path ? `${path}.${key}` : key));
      return `unknown field(s) ${keys.join(', ')}`;
    }
    return `${path || '(input)'}: ${issue.message}`;
  });
  throw new ApiError(status, code, `Invalid request: ${problems.join('; ')}`);
}
