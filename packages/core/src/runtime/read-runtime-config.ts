import { ValidationError, type ValidationIssue } from '../errors/index.js';
import { type RuntimeConfig, runtimeConfigEnvVar } from './runtime-config.js';

/**
 * Reads and checks this process's runtime config from {@link runtimeConfigEnvVar}. Hand-checked rather
 * than zod-parsed so app processes don't carry the schema library.
 * @throws ValidationError when the variable is missing or malformed.
 */
export function readRuntimeConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  const raw = env[runtimeConfigEnvVar];
  if (raw === undefined || raw === '')
    throw new ValidationError('runtime config', [
      {
        path: [runtimeConfigEnvVar],
        message: 'is not set',
        received: undefined,
        allowed: 'the JSON Patchbay gives each process',
      },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ValidationError('runtime config', [
      { path: [runtimeConfigEnvVar], message: 'is not valid JSON', allowed: 'a JSON object' },
    ]);
  }
  const issues = runtimeConfigIssues(parsed);
  if (issues.length > 0) throw new ValidationError('runtime config', issues);
  return parsed as RuntimeConfig;
}

function runtimeConfigIssues(value: unknown): ValidationIssue[] {
  if (!isRecord(value))
    return [{ path: [], message: 'must be an object', received: value, allowed: 'object' }];
  const issues: ValidationIssue[] = [];
  if (typeof value.unit !== 'string' || value.unit === '')
    issues.push({
      path: ['unit'],
      message: 'must be a non-empty string',
      received: value.unit,
      allowed: 'string',
    });
  if (!Array.isArray(value.services) || !value.services.every((s) => typeof s === 'string'))
    issues.push({
      path: ['services'],
      message: 'must be a list of service names',
      received: value.services,
      allowed: 'string[]',
    });
  if (!isRecord(value.remotes) || !Object.values(value.remotes).every((u) => typeof u === 'string'))
    issues.push({
      path: ['remotes'],
      message: 'must map service names to URLs',
      received: value.remotes,
      allowed: '{ [service]: url }',
    });
  if (!isRecord(value.databases))
    issues.push({
      path: ['databases'],
      message: 'must map database names to bindings',
      received: value.databases,
      allowed: '{ [database]: DatabaseBinding }',
    });
  else
    for (const [name, binding] of Object.entries(value.databases))
      issues.push(...bindingIssues(name, binding));
  return issues;
}

const BINDING_VARS = ['hostEnvVar', 'portEnvVar', 'nameEnvVar', 'credentialsEnvVar'] as const;

function bindingIssues(name: string, binding: unknown): ValidationIssue[] {
  if (!isRecord(binding))
    return [{ path: ['databases', name], message: 'must be an object', allowed: 'DatabaseBinding' }];
  const issues: ValidationIssue[] = [];
  for (const key of BINDING_VARS)
    if (typeof binding[key] !== 'string' || binding[key] === '')
      issues.push({
        path: ['databases', name, key],
        message: 'must name an environment variable',
        received: binding[key],
        allowed: 'string',
      });
  if (binding.credentialsForm !== 'json' && binding.credentialsForm !== 'password')
    issues.push({
      path: ['databases', name, 'credentialsForm'],
      message: 'must say how the credentials read',
      received: binding.credentialsForm,
      allowed: ['json', 'password'],
    });
  else if (binding.credentialsForm === 'password' && typeof binding.userEnvVar !== 'string')
    issues.push({
      path: ['databases', name, 'userEnvVar'],
      message: 'must name the user variable when the credentials are a password only',
      received: binding.userEnvVar,
      allowed: 'string',
    });
  return issues;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
