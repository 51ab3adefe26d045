import type { z } from 'zod';
import type { SandboxRequest } from '../../core/sandbox-request.js';
import { googleError } from './google-error.js';

/** Parses a JSON request body; an empty body is `{}`. Malformed JSON → INVALID_ARGUMENT, as Google answers. */
export function googleJsonBody(request: SandboxRequest): unknown {
  if (request.body.trim() === '') return {};
  try {
    return JSON.parse(request.body);
  } catch {
    throw googleError('INVALID_ARGUMENT', 'Invalid JSON payload received. Unexpected token.');
  }
}

/**
 * Validates a request body against a zod schema, answering like Google's JSON transcoder:
 * `Invalid JSON payload received. Unknown name "colour" at 'service': Cannot find field.` for unknown
 * fields, and one INVALID_ARGUMENT naming every bad field otherwise.
 */
export function parseGoogleInput<S extends z.ZodType>(schema: S, input: unknown, root: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `Unknown name "${key}" at '${path}': Cannot find field.`).join(' ');
    }
    return `Invalid value at '${path}': ${issue.message}.`;
  });
  throw googleError('INVALID_ARGUMENT', `Invalid JSON payload received. ${problems.join(' ')}`);
}

/** Reads a proto3 JSON int64 (sent as a string) or int32 (a number); undefined when absent. */
export function int64(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' ? Number(value) : (value as number);
  return Number.isFinite(number) ? number : undefined;
}
