import { formatPath, ValidationError } from '../errors/index.js';
import { cloudCompatibilityIssues } from './cloud-compatibility.js';
import { type Environment, environmentSchema } from './environment-schema.js';
import { environmentWarnings } from './environment-warnings.js';
import { toValidationIssues } from './to-validation-issues.js';

/** Outcome of {@link safeParseEnvironment}: the environment and its warnings, or every problem at once. */
export type SafeParseResult<T> =
  | { ok: true; value: T; warnings: string[] }
  | { ok: false; error: ValidationError };

/** Validates an environment without throwing. Warnings (e.g. `per-service` outside production) are returned, not printed. */
export function safeParseEnvironment(input: unknown): SafeParseResult<Environment> {
  const result = environmentSchema.safeParse(input);
  if (!result.success) {
    const issues = toValidationIssues(result.error.issues, input);
    // zod skips cross-field refinements while fields are invalid; the cloud rule is still worth reporting.
    const reported = new Set(issues.map((i) => formatPath(i.path)));
    for (const issue of cloudCompatibilityIssues(input))
      if (!reported.has(formatPath(issue.path))) issues.push(issue);
    return { ok: false, error: new ValidationError('environment', issues) };
  }
  return { ok: true, value: result.data, warnings: environmentWarnings(result.data) };
}

/**
 * Validates an environment and applies defaults.
 * @throws ValidationError listing every problem with its path, the value received and what is allowed.
 * @example parseEnvironment({ name: 'staging', cloud: { provider: 'aws', region: 'eu-west-1' }, compute: { kind: 'fargate' } })
 */
export function parseEnvironment(input: unknown): Environment {
  const result = safeParseEnvironment(input);
  if (!result.ok) throw result.error;
  return result.value;
}
