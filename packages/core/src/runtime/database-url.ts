import { ValidationError, type ValidationIssue } from '../errors/index.js';
import type { DatabaseBinding } from './database-binding.js';
import { readRuntimeConfig } from './read-runtime-config.js';
import type { RuntimeConfig } from './runtime-config.js';

type ProcessEnv = Record<string, string | undefined>;

/**
 * The PostgreSQL connection URL of `database`, assembled at run time from the variables its binding names
 * (host, port, database name, and the credentials the platform injected from a secret store). User and
 * password are URL-encoded. Errors name the missing or malformed variable, never a credential's value.
 * @throws ValidationError when this process does not use `database` or a variable is missing or malformed.
 * @example const pool = new pg.Pool({ connectionString: databaseUrl('main') });
 */
export function databaseUrl(
  database: string,
  env: ProcessEnv = process.env,
  config: RuntimeConfig = readRuntimeConfig(env),
): string {
  const binding = config.databases[database];
  if (!binding)
    throw new ValidationError('runtime config', [
      {
        path: ['databases', database],
        message: `${config.unit} does not use database ${database}`,
        allowed: Object.keys(config.databases),
      },
    ]);
  return connectionUrl(binding, env);
}

/** `postgresql://user:password@host:port/name[?sslmode=require]` from the variables `binding` names. */
export function connectionUrl(binding: DatabaseBinding, env: ProcessEnv): string {
  const issues: ValidationIssue[] = [];
  const read = (name: string, allowed: string): string => {
    const value = env[name];
    if (value === undefined || value === '') issues.push({ path: [name], message: 'is not set', allowed });
    return value ?? '';
  };
  const host = read(binding.hostEnvVar, 'a host name or IP address');
  const port = read(binding.portEnvVar, 'a TCP port');
  const name = read(binding.nameEnvVar, 'a database name');
  const credentials = readCredentials(binding, env, issues);
  if (port !== '' && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535))
    issues.push({
      path: [binding.portEnvVar],
      message: 'is not a TCP port',
      received: port,
      allowed: '1..65535',
    });
  if (issues.length > 0) throw new ValidationError('database connection', issues);
  const userinfo = `${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}`;
  // An IPv6 address needs brackets in a URL.
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const query = binding.sslmode ? `?sslmode=${binding.sslmode}` : '';
  return `postgresql://${userinfo}@${hostPart}:${port}/${encodeURIComponent(name)}${query}`;
}

function readCredentials(
  binding: DatabaseBinding,
  env: ProcessEnv,
  issues: ValidationIssue[],
): { username: string; password: string } {
  const raw = env[binding.credentialsEnvVar];
  const missing = (allowed: string) =>
    issues.push({ path: [binding.credentialsEnvVar], message: 'is not set', allowed });
  if (binding.credentialsForm === 'password') {
    const username = binding.userEnvVar ? env[binding.userEnvVar] : undefined;
    if (!username && binding.userEnvVar)
      issues.push({ path: [binding.userEnvVar], message: 'is not set', allowed: 'a database user name' });
    if (!raw) missing('the password, injected from a secret store');
    return { username: username ?? '', password: raw ?? '' };
  }
  if (!raw) {
    missing('JSON {"username","password"} injected from the database secret');
    return { username: '', password: '' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  if (typeof record.username !== 'string' || typeof record.password !== 'string' || record.username === '') {
    // The value is a secret: neither it nor its parse error is echoed.
    issues.push({
      path: [binding.credentialsEnvVar],
      message: 'is not a JSON object with string username and password',
      allowed: 'JSON {"username","password"}',
    });
    return { username: '', password: '' };
  }
  return { username: record.username, password: record.password };
}
