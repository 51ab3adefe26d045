import { ValidationError } from '../errors/index.js';
import { connectionUrl } from './database-url.js';
import { readRuntimeConfig } from './read-runtime-config.js';
import type { RuntimeConfig } from './runtime-config.js';

/** Answers "is service X in this process, and if not, where?" for app code. */
export interface ServiceLocator {
  readonly config: RuntimeConfig;
  /** True when `service` runs in this process (call it directly). */
  isLocal(service: string): boolean;
  /** Base URL of a remote service. @throws ValidationError if it is local or unknown to this process. */
  urlOf(service: string): string;
  /**
   * Connection URL of a database, assembled from the variables its binding names (see `databaseUrl`).
   * @throws ValidationError if this process does not use it, or a variable is missing or malformed.
   */
  databaseUrl(database: string): string;
}

/**
 * A locator over `config` (by default, this process's runtime config). Switching allocation strategy
 * changes the config, never the code that asks.
 * @example
 * const services = serviceLocator();
 * const order = services.isLocal('orders') ? orders.get(id) : await (await fetch(`${services.urlOf('orders')}/orders/${id}`)).json();
 */
export function serviceLocator(
  config: RuntimeConfig = readRuntimeConfig(),
  env: Record<string, string | undefined> = process.env,
): ServiceLocator {
  const local = new Set(config.services);
  return {
    config,
    isLocal: (service) => local.has(service),
    urlOf(service) {
      const url = config.remotes[service];
      if (url !== undefined) return url;
      throw new ValidationError('runtime config', [
        {
          path: ['remotes', service],
          message: local.has(service)
            ? `${service} runs in this process (${config.unit}); call it directly`
            : `${service} is not called by any service of ${config.unit}; declare the call in the app model`,
          allowed: Object.keys(config.remotes),
        },
      ]);
    },
    databaseUrl(database) {
      const binding = config.databases[database];
      if (binding) return connectionUrl(binding, env);
      throw new ValidationError('runtime config', [
        {
          path: ['databases', database],
          message: `${config.unit} does not use database ${database}`,
          allowed: Object.keys(config.databases),
        },
      ]);
    },
  };
}

/** Is `service` hosted in this process? Reads {@link readRuntimeConfig} unless a config is given. */
export function isLocal(service: string, config: RuntimeConfig = readRuntimeConfig()): boolean {
  return config.services.includes(service);
}

/** Base URL of remote `service`. Reads {@link readRuntimeConfig} unless a config is given. */
export function urlOf(service: string, config: RuntimeConfig = readRuntimeConfig()): string {
  return serviceLocator(config, {}).urlOf(service);
}
