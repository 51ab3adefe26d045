import { z } from 'zod';

/**
 * Names become cloud resource names, so they follow the strictest target: lowercase letters,
 * digits and single hyphens, starting with a letter and not ending with a hyphen (Kubernetes
 * DNS-1035 labels, Cloud Run, RDS identifiers which forbid `--`).
 */
export const RESOURCE_NAME_PATTERN = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;

/**
 * Longest service, group, database and unit name. Cloud Run service names are at most 49
 * characters and Patchbay prefixes them with the environment name and a hyphen: 18 + 1 + 30 = 49.
 */
export const MAX_NAME_LENGTH = 30;

/** Longest environment name (it prefixes every resource name, see {@link MAX_NAME_LENGTH}). */
export const MAX_ENVIRONMENT_NAME_LENGTH = 18;

const DESCRIPTION =
  'lowercase letters, digits and single hyphens, starting with a letter, not ending with a hyphen';

/** Why `name` is not a valid resource name, or `undefined` when it is. */
export function resourceNameProblem(name: string, maxLength = MAX_NAME_LENGTH): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > maxLength) return `must be at most ${maxLength} characters (has ${name.length})`;
  if (!RESOURCE_NAME_PATTERN.test(name)) return `must use only ${DESCRIPTION}`;
  return undefined;
}

/** What a valid name looks like, for `allowed` in validation issues. */
export function resourceNameAllowed(maxLength = MAX_NAME_LENGTH): string {
  return `1-${maxLength} ${DESCRIPTION}`;
}

/** A zod string schema for a resource name of at most `maxLength` characters. */
export function resourceName(maxLength = MAX_NAME_LENGTH) {
  return z.string().superRefine((value, ctx) => {
    const problem = resourceNameProblem(value, maxLength);
    if (problem)
      ctx.addIssue({ code: 'custom', message: problem, params: { allowed: resourceNameAllowed(maxLength) } });
  });
}
