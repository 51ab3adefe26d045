/** Environment variable through which compute providers hand each process its {@link RuntimeConfig}. */
export const runtimeConfigEnvVar = 'PATCHBAY_RUNTIME_CONFIG';

/**
 * What one process needs to know about its place in the allocation (JSON, in {@link runtimeConfigEnvVar}).
 * @example { unit: 'web', services: ['web', 'cart'], remotes: { orders: 'http://orders.shop.svc.cluster.local:8080' }, databases: { main: { envVar: 'PATCHBAY_DATABASE_MAIN_URL' } } }
 */
export interface RuntimeConfig {
  /** The unit (process) this is. */
  unit: string;
  /** Services hosted in this process: call them in-process. */
  services: string[];
  /** Base URL of every service this process's services call that runs elsewhere. */
  remotes: Record<string, string>;
  /** Databases this process's services use, with the environment variable holding each connection URL. */
  databases: Record<string, { envVar: string }>;
}
