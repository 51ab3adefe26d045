import type { Unit } from '../allocation/allocation.js';
import type { Environment } from '../model/index.js';
import { runtimeConfigEnvVar } from '../runtime/runtime-config.js';
import { type DesiredValue, outputRef } from './resource-spec.js';

/** Logical id and host output of the resource serving an app database on this environment. */
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
 * The process environment of a unit: its runtime config (JSON), and per database it uses the host
 * (`PATCHBAY_DATABASE_<NAME>_HOST`, from the database resource's output) and database name
 * (`PATCHBAY_DATABASE_<NAME>_NAME`). Credentials never go here: see `databaseSecrets`.
 */
export function unitEnvironment(env: Environment, unit: Unit): Record<string, DesiredValue> {
  const vars: Record<string, DesiredValue> = { [runtimeConfigEnvVar]: JSON.stringify(unit.runtimeConfig) };
  for (const database of unit.databases) {
    const host = databaseHost(env, database);
    const prefix = `PATCHBAY_DATABASE_${database.toUpperCase().replaceAll('-', '_')}`;
    if (host !== undefined) vars[`${prefix}_HOST`] = host;
    vars[`${prefix}_NAME`] = env.database?.kind === 'rds' ? 'postgres' : database;
  }
  return vars;
}

/** Secret references (never values) for the credentials of the databases a unit uses, where the cloud manages them. */
export function databaseSecrets(env: Environment, unit: Unit): Record<string, DesiredValue> {
  const secrets: Record<string, DesiredValue> = {};
  if (env.database?.kind !== 'rds') return secrets;
  for (const database of unit.databases) {
    // RDS-managed master credentials: a Secrets Manager secret holding {"username","password"}.
    secrets[`PATCHBAY_DATABASE_${database.toUpperCase().replaceAll('-', '_')}_CREDENTIALS`] = outputRef(
      `db/${database}`,
      'masterUserSecretArn',
    );
  }
  return secrets;
}
