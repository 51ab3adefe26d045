import type { DatabaseBinding } from './database-binding.js';

/** Environment variable through which compute providers hand each process its {@link RuntimeConfig}. */
export const runtimeConfigEnvVar = 'PATCHBAY_RUNTIME_CONFIG';

/**
 * What one process needs to know about its place in the allocation (JSON, in {@link runtimeConfigEnvVar}).
 * @example { unit: 'web', services: ['web', 'cart'], remotes: { orders: 'http://orders.shop.svc.cluster.local:8080' }, databases: { main: { kind: 'neon', hostEnvVar: 'PATCHBAY_DATABASE_MAIN_HOST', … } } }
 */
export interface RuntimeConfig {
  /** The unit (process) this is. */
  unit: string;
  /** Services hosted in this process: call them in-process. */
  services: string[];
  /** Base URL of every service this process's services call that runs elsewhere. */
  remotes: Record<string, string>;
  /**
   * Databases this process's services use, each with the environment variables its connection is built
   * from (`databaseUrl(name)` assembles the URL at run time: a password is never written in plain text
   * into a process's definition).
   */
  databases: Record<string, DatabaseBinding>;
}
