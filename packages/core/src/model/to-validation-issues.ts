import type { z } from 'zod';
import type { ValidationIssue } from '../errors/index.js';
import { redactSecrets } from './redact-secrets.js';
import { UNKNOWN_FIELD_PREFIX } from './strict-object.js';

type ZodIssue = z.core.$ZodIssue;
type Path = (string | number)[];

/**
 * Turns zod issues into Patchbay's {@link ValidationIssue}s: full path, a plain message, the value
 * received (read from the input, secrets redacted) and what is allowed. A failed union (one without a
 * discriminator) reports the issues of the alternative that came closest.
 */
export function toValidationIssues(issues: readonly ZodIssue[], input: unknown): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) convert(issue, [], input, out);
  return out;
}

function convert(issue: ZodIssue, prefix: Path, input: unknown, out: ValidationIssue[]): void {
  const path: Path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  const received = () => redactSecrets(valueAt(input, path), path);
  switch (issue.code) {
    case 'invalid_union': {
      if (issue.errors.length === 0 || 'discriminator' in issue) {
        const options = (issue as { options?: unknown[] }).options ?? [];
        const key = (issue as { discriminator?: string }).discriminator;
        const at = key && path[path.length - 1] !== key ? [...path, key] : path;
        out.push({
          path: at,
          message:
            valueAt(input, at) === undefined
              ? `${key ?? 'value'} is required`
              : `unknown ${key ?? 'variant'}`,
          received: redactSecrets(valueAt(input, at), at),
          allowed: options,
        });
        return;
      }
      const best = closestAlternative(issue.errors);
      for (const inner of best) convert(inner, path, input, out);
      return;
    }
    case 'unrecognized_keys': {
      const allowed = issue.message.startsWith(UNKNOWN_FIELD_PREFIX)
        ? issue.message.slice(UNKNOWN_FIELD_PREFIX.length).split(', ')
        : 'only the documented fields';
      for (const key of issue.keys) {
        const at = [...path, key];
        out.push({
          path: at,
          message: `unknown field "${key}"`,
          received: redactSecrets(valueAt(input, at), at),
          allowed,
        });
      }
      return;
    }
    case 'invalid_type': {
      const value = valueAt(input, path);
      out.push({
        path,
        message:
          value === undefined ? 'is required' : `expected ${issue.expected}, received ${typeName(value)}`,
        received: received(),
        allowed: issue.expected,
      });
      return;
    }
    case 'invalid_value':
      out.push({
        path,
        message: 'is not one of the allowed values',
        received: received(),
        allowed: issue.values,
      });
      return;
    case 'too_big':
    case 'too_small': {
      const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum;
      const cmp = issue.code === 'too_big' ? (issue.inclusive ? '<=' : '<') : issue.inclusive ? '>=' : '>';
      const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
      out.push({
        path,
        message: `is too ${issue.code === 'too_big' ? 'large' : 'small'}`,
        received: received(),
        allowed: `${cmp} ${String(bound)}${unit}`,
      });
      return;
    }
    case 'not_multiple_of':
      out.push({
        path,
        message: 'is not a multiple',
        received: received(),
        allowed: `a multiple of ${String(issue.divisor)}`,
      });
      return;
    case 'custom': {
      const allowed = (issue.params as { allowed?: string | unknown[] } | undefined)?.allowed;
      out.push({
        path,
        message: issue.message,
        received: received(),
        ...(allowed !== undefined ? { allowed } : {}),
      });
      return;
    }
    default:
      out.push({ path, message: issue.message, received: received() });
  }
}

/** The union alternative with the fewest problems, preferring ones whose problems sit deeper (closer matches). */
function closestAlternative(alternatives: ZodIssue[][]): ZodIssue[] {
  let best = alternatives[0] ?? [];
  let bestScore = Number.POSITIVE_INFINITY;
  for (const issues of alternatives) {
    let score = 0;
    for (const issue of issues) {
      // Unknown fields and wrong types at the top of an alternative mean "wrong shape altogether".
      score += issue.code === 'unrecognized_keys' ? 3 * issue.keys.length : issue.path.length === 0 ? 10 : 1;
    }
    if (score < bestScore) {
      best = issues;
      bestScore = score;
    }
  }
  return best;
}

function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
