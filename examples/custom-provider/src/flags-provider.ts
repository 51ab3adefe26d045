import { type Provider, ValidationError, type ValidationIssue } from '@patchbay/core';
import { classifyFlagsError } from './classify-flags-error.js';
import { flagType } from './flag-type.js';
import { FlagsClient } from './flags-client.js';

/** Options of the feature-flags provider. */
export interface FlagsOptions {
  /**
   * Project the flags live in.
   * @example 'checkout'
   */
  project: string;
  /**
   * Base URL of the flags API: the real service, or the Patchbay sandbox serving `flagsApi`.
   * @default 'https://flags.example.com'
   * @example sandbox.url
   */
  endpoint?: string;
  /** Bearer token sent with every call; never logged. @default none */
  token?: string;
  /** Calls in flight at once against the API. @default 8 */
  concurrency?: number;
  /** fetch implementation (proxies, tests). @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * A Patchbay provider for a small feature-flags API: one type, `flags.flag`.
 *
 * @example
 * const engine = createEngine({ environment: 'staging', providers: [flags({ project: 'checkout' })] });
 */
export const flags = (options: FlagsOptions): Provider => {
  validate(options);
  const client = new FlagsClient(
    options.endpoint ?? 'https://flags.example.com',
    options.project,
    options.token,
    options.fetch ?? globalThis.fetch,
  );
  return {
    name: 'flags',
    types: { 'flags.flag': flagType(client) },
    limits: { flags: { concurrency: options.concurrency ?? 8 } },
    classifyError: classifyFlagsError,
  };
};

function validate(options: FlagsOptions): void {
  const issues: ValidationIssue[] = [];
  if (typeof options?.project !== 'string' || !/^[a-z0-9-]{1,63}$/.test(options.project)) {
    issues.push({
      path: ['project'],
      message: 'is not a project id',
      received: options?.project,
      allowed: 'lowercase letters, digits and hyphens, 1–63 characters',
    });
  }
  if (options?.endpoint !== undefined && !URL.canParse(options.endpoint)) {
    issues.push({
      path: ['endpoint'],
      message: 'is not a URL',
      received: options.endpoint,
      allowed: 'http(s)://host[:port]',
    });
  }
  const c = options?.concurrency;
  if (c !== undefined && !(Number.isInteger(c) && c >= 1)) {
    issues.push({
      path: ['concurrency'],
      message: 'must be a positive integer',
      received: c,
      allowed: '1, 2, …',
    });
  }
  if (issues.length) throw new ValidationError('Flags provider options', issues);
}
