import { createApiClient } from '@neondatabase/api-client';
import { type Provider, ValidationError, type ValidationIssue } from '@patchbay/core';
import { classifyNeonError } from './classify-neon-error.js';
import { neonBranch } from './neon-branch.js';
import type { NeonContext } from './neon-context.js';
import { neonDatabase } from './neon-database.js';
import { neonEndpoint } from './neon-endpoint.js';
import { neonProject } from './neon-project.js';
import { neonRole } from './neon-role.js';
import type { RolePasswordStore } from './role-password-store.js';

/** The real Neon API. */
export const NEON_API_URL = 'https://console.neon.tech/api/v2';

/** Options of the Neon provider. */
export interface NeonOptions {
  /**
   * Neon API key (organization, project-scoped or personal). Sent only as the `Authorization` header;
   * never logged, never in errors.
   * @example process.env.NEON_API_KEY
   */
  apiKey: string;
  /**
   * API base URL: the Patchbay sandbox or any emulator of Neon's API v2.
   * @default 'https://console.neon.tech/api/v2'
   * @example sandbox.endpoints.neon.baseURL
   */
  baseURL?: string;
  /**
   * Interval between polls of a running Neon operation (each mutation starts some; a dependent call
   * waits for them, or Neon answers 423 Locked).
   * @default 1000 (ms)
   */
  pollIntervalMs?: number;
  /**
   * Longest wait for the operations of one mutation, in ms.
   * @default 600000 (10 minutes)
   */
  waitTimeoutMs?: number;
  /**
   * Where role passwords go (Neon returns them only on create or reset; Patchbay never keeps them).
   * The `neon.role` output `passwordSecret` is the store's reference to the password.
   * @default none: the password is dropped, and `passwordSecret` is not an output
   */
  rolePasswords?: RolePasswordStore;
}

/**
 * The Neon provider: serverless Postgres projects, branches, endpoints (computes), roles and databases.
 *
 * @example
 * const provider = neon({ apiKey: process.env.NEON_API_KEY! });
 * const local = neon({ apiKey: 'test', baseURL: sandbox.endpoints.neon.baseURL, pollIntervalMs: 10 });
 */
export const neon = (options: NeonOptions): Provider => {
  validateOptions(options);
  const ctx: NeonContext = {
    api: createApiClient({ apiKey: options.apiKey, baseURL: options.baseURL ?? NEON_API_URL }),
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    waitTimeoutMs: options.waitTimeoutMs ?? 600_000,
    rolePasswords: options.rolePasswords,
    projectsByEnvironment: new Map(),
    projectsByResource: new Map(),
  };
  return {
    name: 'neon',
    types: {
      'neon.project': neonProject(ctx),
      'neon.branch': neonBranch(ctx),
      'neon.endpoint': neonEndpoint(ctx),
      'neon.role': neonRole(ctx),
      'neon.database': neonDatabase(ctx),
    },
    // Neon: about 700 requests per minute per account, bursts of 40 per second per route (429 beyond).
    // Engine calls stay under the sustained rate; operation polls inside a call come on top.
    limits: {
      default: { concurrency: 8 },
      neon: { concurrency: 8, ratePerSecond: 10 },
    },
    classifyError: classifyNeonError,
  };
};

function validateOptions(options: NeonOptions): void {
  const issues: ValidationIssue[] = [];
  if (typeof options?.apiKey !== 'string' || options.apiKey.trim().length === 0) {
    // Never echo the key: `received` says only what kind of value came.
    issues.push({
      path: ['apiKey'],
      message: 'must be a non-empty Neon API key',
      received: options?.apiKey === undefined ? undefined : typeof options.apiKey,
      allowed: 'a key from the Neon console (Account or Organization settings → API keys)',
    });
  }
  if (
    options?.baseURL !== undefined &&
    !(
      typeof options.baseURL === 'string' &&
      /^https?:\/\//.test(options.baseURL) &&
      URL.canParse(options.baseURL)
    )
  ) {
    issues.push({
      path: ['baseURL'],
      message: 'must be an absolute http(s) URL',
      received: options.baseURL,
      allowed: `e.g. "${NEON_API_URL}"`,
    });
  }
  if (
    options?.pollIntervalMs !== undefined &&
    !(Number.isFinite(options.pollIntervalMs) && options.pollIntervalMs >= 0)
  ) {
    issues.push({
      path: ['pollIntervalMs'],
      message: 'must be a number of ms ≥ 0',
      received: options.pollIntervalMs,
    });
  }
  if (
    options?.waitTimeoutMs !== undefined &&
    !(Number.isFinite(options.waitTimeoutMs) && options.waitTimeoutMs > 0)
  ) {
    issues.push({
      path: ['waitTimeoutMs'],
      message: 'must be a number of ms > 0',
      received: options.waitTimeoutMs,
    });
  }
  const store = options?.rolePasswords;
  if (store !== undefined && (typeof store?.reference !== 'function' || typeof store?.put !== 'function')) {
    issues.push({
      path: ['rolePasswords'],
      message: 'must have reference() and put() functions',
      allowed: 'a RolePasswordStore',
    });
  }
  if (issues.length > 0) throw new ValidationError('neon() options', issues);
}
