/**
 * How the credentials of a database reach a process, per database kind. The value is always injected by the
 * compute platform from a secret store by reference: it never appears in a task definition, a service
 * spec, a plan or Patchbay's state.
 * - `json`: a JSON object `{"username","password"}` — the RDS-managed master secret (Secrets Manager), which
 *   ECS injects whole; on Kubernetes, a Secret synced from it holding the same JSON.
 * - `password`: the password alone; the user name is in {@link DatabaseBinding.userEnvVar} (Cloud SQL's
 *   `postgres` user, Neon's `app` role).
 */
export type DatabaseCredentialsForm = 'json' | 'password';

/**
 * The environment variables through which a process reaches one database: what the compute provider
 * really sets (see `desiredResources`). `databaseUrl()` assembles a connection URL from them at run time.
 * @example { kind: 'rds', hostEnvVar: 'PATCHBAY_DATABASE_MAIN_HOST', portEnvVar: 'PATCHBAY_DATABASE_MAIN_PORT', nameEnvVar: 'PATCHBAY_DATABASE_MAIN_NAME', credentialsEnvVar: 'PATCHBAY_DATABASE_MAIN_CREDENTIALS', credentialsForm: 'json', sslmode: 'require' }
 */
export interface DatabaseBinding {
  /** What serves the database. */
  kind: 'rds' | 'cloud-sql' | 'neon';
  /** Host name or IP address. */
  hostEnvVar: string;
  /** TCP port. */
  portEnvVar: string;
  /** Name of the database inside the server. */
  nameEnvVar: string;
  /** User name (plain), when the credentials variable holds a password only. */
  userEnvVar?: string;
  /** The credentials, injected from a secret store; their form is `credentialsForm`. */
  credentialsEnvVar: string;
  credentialsForm: DatabaseCredentialsForm;
  /** libpq `sslmode` the server needs (RDS for PostgreSQL 15+ forces TLS, Neon always does). */
  sslmode?: 'require';
}

/** Prefix of every environment variable of `database`: `PATCHBAY_DATABASE_<NAME>` (`-` becomes `_`). */
export function databaseEnvPrefix(database: string): string {
  return `PATCHBAY_DATABASE_${database.toUpperCase().replaceAll('-', '_')}`;
}

/** Every environment variable a binding names. */
export function bindingEnvVars(binding: DatabaseBinding): string[] {
  return [
    binding.hostEnvVar,
    binding.portEnvVar,
    binding.nameEnvVar,
    ...(binding.userEnvVar ? [binding.userEnvVar] : []),
    binding.credentialsEnvVar,
  ];
}
