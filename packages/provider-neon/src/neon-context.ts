import type { Api } from '@neondatabase/api-client';
import type { RolePasswordStore } from './role-password-store.js';

/** What every Neon resource type shares: the API client and the resolved provider options. */
export interface NeonContext {
  api: Api<unknown>;
  pollIntervalMs: number;
  waitTimeoutMs: number;
  rolePasswords: RolePasswordStore | undefined;
}
