import type { Unit } from '../allocation/allocation.js';
import { bindDatabase } from '../allocation/bind-database.js';
import type { Environment } from '../model/index.js';
import { runtimeConfigEnvVar } from '../runtime/runtime-config.js';
import { credentialsReference } from './database-credentials.js';
import { type DesiredValue, outputRef } from './resource-spec.js';

/** PostgreSQL's port: RDS, Cloud SQL and Neon all serve on it (Patchbay sets no other). */
export const POSTGRES_PORT = '5432';

/** The host output of the resource serving an app database on this environment. */
export function databaseHost(env: Environment, database: string): DesiredValue | undefined {
  switch (env.database?.kind) {
    case 'rds':
      return outputRef(`db/${database}`, 'endpoint');
    case 'cloud-sql':
      return outputRef(`db/${database}`, 'ipAddress');
    case 'neon':
      return outputRef('db/neon/endpoint', 'host');
    default:
      return undefined;
  }
}

/**
 * The plain process environment of a unit: its runtime config (JSON) and, per database it uses, the
 * non-secret variables its binding names (host, port, database name, user). The credentials go to
 * {@link databaseSecrets}, by reference.
 */
export function unitEnvironment(env: Environment, unit: Unit): Record<string, DesiredValue> {
  const vars: Record<string, DesiredValue> = { [runtimeConfigEnvVar]: JSON.stringify(unit.runtimeConfig) };
  for (const database of unit.databases) {
    const binding = bindDatabase(env, database);
    const host = databaseHost(env, database);
    if (host !== undefined) vars[binding.hostEnvVar] = host;
    vars[binding.portEnvVar] = POSTGRES_PORT;
    // RDS and Cloud SQL serve one app database per instance, in the instance's default `postgres` database.
    vars[binding.nameEnvVar] =
      env.database?.kind === 'neon' ? outputRef(`db/${database}`, 'name') : 'postgres';
    if (binding.userEnvVar)
      vars[binding.userEnvVar] =
        env.database?.kind === 'neon' ? outputRef('db/neon/role', 'name') : 'postgres';
  }
  return vars;
}

/**
 * The credentials variables of the databases a unit uses, each mapped to a secret reference (never a
 * value) in the form the compute target takes: see {@link credentialsReference}.
 */
export function databaseSecrets(env: Environment, unit: Unit): Record<string, DesiredValue> {
  const secrets: Record<string, DesiredValue> = {};
  for (const database of unit.databases) {
    const reference = credentialsReference(env, database);
    if (reference !== undefined) secrets[bindDatabase(env, database).credentialsEnvVar] = reference;
  }
  return secrets;
}

/** `{ secrets }` when there are any: a unit without databases owns no `secrets` attribute. */
export function withSecrets(secrets: Record<string, DesiredValue>): {
  secrets?: Record<string, DesiredValue>;
} {
  return Object.keys(secrets).length > 0 ? { secrets } : {};
}
