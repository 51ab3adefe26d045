import { PatchbayError } from './patchbay-error.js';

/** One rejected input: where it is, what was received and what would have been accepted. */
export interface ValidationIssue {
  /** Path into the input, e.g. `['database', 'instanceClass']`. */
  path: (string | number)[];
  message: string;
  /** The value received at `path` (secrets are never echoed: callers redact before raising). */
  received?: unknown;
  /** What is allowed there, in words or as a list of values. */
  allowed?: string | readonly unknown[];
}

/** Input rejected before any cloud call. Lists every problem, not just the first. */
export class ValidationError extends PatchbayError {
  readonly code = 'VALIDATION';

  constructor(
    readonly subject: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`${subject} is invalid:\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function formatIssue(issue: ValidationIssue): string {
  const allowed =
    issue.allowed === undefined
      ? ''
      : typeof issue.allowed === 'string'
        ? `; allowed: ${issue.allowed}`
        : `; allowed: ${issue.allowed.map((a) => JSON.stringify(a)).join(' | ')}`;
  const received = 'received' in issue ? `; received: ${preview(issue.received)}` : '';
  return `${formatPath(issue.path)}: ${issue.message}${received}${allowed}`;
}

function preview(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
