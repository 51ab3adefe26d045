import { z } from 'zod';

/** Marker the issue converter reads to list the allowed fields of an object (zod issues carry no params). */
export const UNKNOWN_FIELD_PREFIX = 'unknown field; allowed fields: ';

/**
 * A `z.strictObject` whose "unrecognized key" issue names the fields that are allowed, so a typo
 * like `instanceClas` is reported with the right spelling next to it.
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `${UNKNOWN_FIELD_PREFIX}${allowed}` : undefined),
  });
}

/** A string matching `pattern`; the issue says what is allowed in words. */
export function patternString(pattern: RegExp, description: string) {
  return z.string().refine((value) => pattern.test(value), {
    message: `must be ${description}`,
    params: { allowed: description },
  });
}

/** A number that must be one of `values` (e.g. the vCPU sizes a platform offers). */
export function oneOfNumbers(values: readonly number[], what: string) {
  return z.number().refine((value) => values.includes(value), {
    message: `${what} must be one of the listed values`,
    params: { allowed: values },
  });
}
