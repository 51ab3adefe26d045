import type { Engine } from '../engine/create-engine.js';
import { ValidationError, type ValidationIssue } from '../errors/validation-error.js';
import type { StateStore } from '../state/state-store.js';
import { ENVIRONMENT_TYPES, type EnvironmentType } from './access-policy.js';

/** One environment the workflow governs. */
export interface WorkflowEnvironment {
  /**
   * The environment: a parsed `Environment` fits. Its `approval` decides whether changes wait for
   * approvers. @default approval 'manual' for production, else 'automatic' (as in the environment model)
   */
  environment: { name: string; type: EnvironmentType; approval?: 'automatic' | 'manual' };
  /** The engine bound to this environment (`engine.environment` must be `environment.name`). */
  engine: Engine;
  /** Distinct approvals, none by the author, a manual change needs. @default 1 */
  requiredApprovals?: number;
  /** The engine's state store; needed only by `forceUnlock`. */
  stateStore?: StateStore;
}

/** A governed environment with its policy resolved. */
export interface ResolvedEnvironment {
  name: string;
  type: EnvironmentType;
  approval: 'automatic' | 'manual';
  requiredApprovals: number;
  engine: Engine;
  stateStore: StateStore | undefined;
}

export function resolveEnvironments(list: readonly WorkflowEnvironment[]): Map<string, ResolvedEnvironment> {
  const issues: ValidationIssue[] = [];
  const out = new Map<string, ResolvedEnvironment>();
  if (!Array.isArray(list)) {
    throw new ValidationError('Workflow options', [
      { path: ['environments'], message: 'must be a list', allowed: '[{ environment, engine }]' },
    ]);
  }
  list.forEach((item, i) => {
    const env = item?.environment;
    const at = (...path: (string | number)[]) => ['environments', i, ...path];
    if (typeof env?.name !== 'string' || env.name.length === 0) {
      issues.push({ path: at('environment', 'name'), message: 'is required', received: env?.name });
      return;
    }
    if (!ENVIRONMENT_TYPES.includes(env.type)) {
      issues.push({
        path: at('environment', 'type'),
        message: 'is not an environment type',
        received: env.type,
        allowed: ENVIRONMENT_TYPES,
      });
    }
    if (env.approval !== undefined && env.approval !== 'automatic' && env.approval !== 'manual') {
      issues.push({
        path: at('environment', 'approval'),
        message: 'is not an approval policy',
        received: env.approval,
        allowed: ['automatic', 'manual'],
      });
    }
    if (typeof item.engine?.plan !== 'function') {
      issues.push({
        path: at('engine'),
        message: 'is not an engine',
        allowed: 'createEngine({ environment, … })',
      });
    } else if (item.engine.environment !== env.name) {
      issues.push({
        path: at('engine', 'environment'),
        message: `must be the environment's name`,
        received: item.engine.environment,
        allowed: [env.name],
      });
    }
    const required = item.requiredApprovals ?? 1;
    if (!Number.isInteger(required) || required < 1) {
      issues.push({
        path: at('requiredApprovals'),
        message: 'must be a positive integer',
        received: required,
        allowed: '1, 2, …',
      });
    }
    if (out.has(env.name)) {
      issues.push({ path: at('environment', 'name'), message: 'is listed twice', received: env.name });
    }
    out.set(env.name, {
      name: env.name,
      type: env.type,
      approval: env.approval ?? (env.type === 'production' ? 'manual' : 'automatic'),
      requiredApprovals: required,
      engine: item.engine,
      stateStore: item.stateStore,
    });
  });
  if (issues.length) throw new ValidationError('Workflow options', issues);
  return out;
}
