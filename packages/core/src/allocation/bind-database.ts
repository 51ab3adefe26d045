import type { Environment } from '../model/index.js';
import { type DatabaseBinding, databaseEnvPrefix } from '../runtime/database-binding.js';

/**
 * The binding of app database `database` on `env`'s database kind: the variable names `desiredResources`
 * sets on every process that uses it, and the form of its credentials.
 * - `rds`: `_CREDENTIALS` is the RDS-managed master secret, JSON `{"username","password"}`; TLS required.
 * - `cloud-sql`: `_USER` is `postgres`, `_PASSWORD` its password from a secret.
 * - `neon`: `_USER` is the `app` role, `_PASSWORD` its password from a secret; TLS required.
 * @example bindDatabase(env, 'main').hostEnvVar // 'PATCHBAY_DATABASE_MAIN_HOST'
 */
export function bindDatabase(env: Pick<Environment, 'database'>, database: string): DatabaseBinding {
  const prefix = databaseEnvPrefix(database);
  const vars = {
    hostEnvVar: `${prefix}_HOST`,
    portEnvVar: `${prefix}_PORT`,
    nameEnvVar: `${prefix}_NAME`,
  };
  switch (env.database?.kind) {
    case 'rds':
      return {
        kind: 'rds',
        ...vars,
        credentialsEnvVar: `${prefix}_CREDENTIALS`,
        credentialsForm: 'json',
        sslmode: 'require',
      };
    case 'cloud-sql':
      return {
        kind: 'cloud-sql',
        ...vars,
        userEnvVar: `${prefix}_USER`,
        credentialsEnvVar: `${prefix}_PASSWORD`,
        credentialsForm: 'password',
      };
    case 'neon':
      return {
        kind: 'neon',
        ...vars,
        userEnvVar: `${prefix}_USER`,
        credentialsEnvVar: `${prefix}_PASSWORD`,
        credentialsForm: 'password',
        sslmode: 'require',
      };
    default:
      // planAllocation rejects an app with databases on an environment without one before this.
      throw new Error(`no database kind in environment to bind ${database} to`);
  }
}
