import { ValidationError } from '../errors/index.js';
import { type App, appSchema } from './app-schema.js';
import type { SafeParseResult } from './parse-environment.js';
import { toValidationIssues } from './to-validation-issues.js';

/** Validates an app without throwing. */
export function safeParseApp(input: unknown): SafeParseResult<App> {
  const result = appSchema.safeParse(input);
  if (!result.success)
    return { ok: false, error: new ValidationError('app', toValidationIssues(result.error.issues, input)) };
  return { ok: true, value: result.data, warnings: [] };
}

/**
 * Validates an app (names, calls and database references) and normalizes its calls.
 * @throws ValidationError listing every problem with its path.
 * @example parseApp({ name: 'shop', services: [{ name: 'web', calls: ['orders'] }, { name: 'orders' }] })
 */
export function parseApp(input: unknown): App {
  const result = safeParseApp(input);
  if (!result.ok) throw result.error;
  return result.value;
}
