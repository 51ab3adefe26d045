import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ValidationError } from '../errors/validation-error.js';
import { EngineEvents } from '../events/engine-events.js';
import type { Provider } from '../provider/provider.js';
import type { ResourceSpec } from '../resources/resource-spec.js';
import { FileStore } from '../state/file-store.js';
import type { StateStore } from '../state/state-store.js';
import { type ApplyContext, type ApplyOptions, applyPlan } from './apply.js';
import { CallRunner } from './call-runner.js';
import { type EngineClock, systemClock } from './engine-clock.js';
import { computePlan, type PlanOptions } from './plan.js';
import type { ApplyResult, Plan } from './plan-types.js';
import { ProviderRegistry } from './provider-registry.js';
import { type DriftReport, type RefreshOptions, refreshState } from './refresh.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry-policy.js';

export interface EngineOptions {
  /** Environment name: keys the state (one state document per environment). */
  environment: string;
  /** Provider plugins; a resource type `aws.ecs.service` is served by the provider named `aws`. */
  providers: Provider[];
  /**
   * Where last-applied state lives.
   * @default new FileStore('.patchbay')
   */
  store?: StateStore;
  /**
   * Provider calls in flight at once, across all providers (per-provider and per-API limits come from
   * `Provider.limits`).
   * @default 8
   */
  concurrency?: number;
  /** Retry of throttled and transient errors. @default { attempts: 6, baseDelayMs: 200, maxDelayMs: 20000 } */
  retry?: RetryOptions;
  /** Emitter to publish events on. @default a new EngineEvents */
  events?: EngineEvents;
  /** Lease of the apply lock; renewed while an apply runs. @default 60_000 */
  lockLeaseMs?: number;
  /** Name this engine holds the apply lock under (shown to a second applier). @default `<hostname>:<pid>:<random>` */
  holder?: string;
  /** Time and randomness (tests). @default the system clock */
  clock?: EngineClock;
}

/** A Patchbay engine bound to one environment, its providers and its state store. */
export interface Engine {
  readonly environment: string;
  readonly events: EngineEvents;
  /** Provider calls made so far by this engine (reads and writes, retries included). */
  readonly apiCalls: number;
  /** Diff desired resources against last-applied state, reading only what changed. */
  plan(desired: ResourceSpec[], options?: PlanOptions): Promise<Plan>;
  /** Apply a plan computed by this engine; refused when the state moved since. */
  apply(plan: Plan, options?: ApplyOptions): Promise<ApplyResult>;
  /** Read every managed resource and report drift. Never writes. */
  refresh(options?: RefreshOptions): Promise<DriftReport>;
}

/**
 * Create an engine.
 *
 * @example
 * const patchbay = createEngine({ environment: 'staging', providers: [aws(options)] });
 * const plan = await patchbay.plan(desired);
 * console.log(renderPlan(plan));
 * await patchbay.apply(plan);
 */
export function createEngine(options: EngineOptions): Engine {
  validateOptions(options);
  const events = options.events ?? new EngineEvents();
  const clock = options.clock ?? systemClock;
  const runner = new CallRunner({
    concurrency: options.concurrency ?? 8,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    clock,
    events,
  });
  const ctx: ApplyContext = {
    environment: options.environment,
    registry: new ProviderRegistry(options.providers),
    store: options.store ?? new FileStore('.patchbay'),
    runner,
    events,
    clock,
    holder: options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    lockLeaseMs: options.lockLeaseMs ?? 60_000,
  };
  return {
    environment: options.environment,
    events,
    get apiCalls() {
      return runner.calls;
    },
    plan: (desired, planOptions) => computePlan(ctx, desired, planOptions),
    apply: (plan, applyOptions) => applyPlan(ctx, plan, applyOptions),
    refresh: (refreshOptions) => refreshState(ctx, refreshOptions),
  };
}

function validateOptions(options: EngineOptions): void {
  const issues = [];
  if (typeof options.environment !== 'string' || options.environment.length === 0) {
    issues.push({
      path: ['environment'],
      message: 'is required',
      received: options.environment,
      allowed: 'an environment name',
    });
  }
  if (!Array.isArray(options.providers)) {
    issues.push({
      path: ['providers'],
      message: 'must be a list of providers',
      allowed: 'e.g. [aws(options)]',
    });
  } else {
    const seen = new Set<string>();
    options.providers.forEach((p, i) => {
      if (!p || typeof p.name !== 'string' || typeof p.types !== 'object') {
        issues.push({ path: ['providers', i], message: 'is not a provider', allowed: '{ name, types }' });
      } else if (seen.has(p.name)) {
        issues.push({
          path: ['providers', i, 'name'],
          message: `duplicate provider ${p.name}`,
          received: p.name,
        });
      } else seen.add(p.name);
    });
  }
  if (
    options.concurrency !== undefined &&
    !(Number.isInteger(options.concurrency) && options.concurrency >= 1)
  ) {
    issues.push({
      path: ['concurrency'],
      message: 'must be a positive integer',
      received: options.concurrency,
      allowed: '1, 2, …',
    });
  }
  if (issues.length) throw new ValidationError('Engine options', issues);
}
