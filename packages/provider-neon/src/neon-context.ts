import type { Api } from '@neondatabase/api-client';
import type { RolePasswordStore } from './role-password-store.js';

/** What every Neon resource type shares: the API client and the resolved provider options. */
export interface NeonContext {
  api: Api<unknown>;
  pollIntervalMs: number;
  waitTimeoutMs: number;
  rolePasswords: RolePasswordStore | undefined;
  /** Environment → the project holding its branch, as seen by this provider instance (a lookup shortcut). */
  projectsByEnvironment: Map<string, string>;
  /** `<kind>:<name>` → the project this provider instance last saw that resource in (a lookup shortcut). */
  projectsByResource: Map<string, string>;
}
