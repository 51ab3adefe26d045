import { randomBytes } from 'node:crypto';
import {
  type ApplyResult,
  type Attributes,
  createEngine,
  type Engine,
  type EnvironmentState,
  type JsonValue,
  MemoryStore,
  type Observed,
  type Plan,
  type PlannedAction,
  type PlanOptions,
  type Provider,
  ProviderError,
  type ResourcePolicy,
  type ResourceRef,
  type ResourceSpec,
  type ResourceType,
  type RetryOptions,
  resolveOutputRefs,
} from '@patchbay/core';
import type { Sandbox } from '@patchbay/sandbox';
import { expect } from 'vitest';
import { RecordingProvider } from './recording-provider.js';
import type { TestProviderOptions } from './test-provider-options.js';
import type { ResolvedFixture } from './validate-options.js';

const DEFAULT_RETRY: RetryOptions = { attempts: 10, baseDelayMs: 5, maxDelayMs: 100 };

/** The sandbox and provider a suite shares, started in `beforeAll`. */
export class SuiteHarness {
  sandbox!: Sandbox;
  /** The provider as its author built it (direct observes go here, unrecorded). */
  provider!: Provider;
  /** The same provider, recording every call the engines make. */
  recorder!: RecordingProvider;
  /** Short and random per run, so reruns against a persistent sandbox never collide. */
  private readonly runId = randomBytes(3).toString('hex');
  private seq = 0;

  constructor(private readonly options: TestProviderOptions) {}

  async start(): Promise<void> {
    this.sandbox = await this.options.sandbox();
    this.provider = await this.options.provider(this.sandbox);
    this.recorder = new RecordingProvider(this.provider);
  }

  async stop(): Promise<void> {
    await this.sandbox?.close();
  }

  /** A resource name no other test uses: lowercase letters and digits, starting with a letter. */
  uniqueName(): string {
    this.seq += 1;
    return `pb${this.runId}${this.seq}`;
  }

  /** The provider's resource type for a spec type (full or unprefixed key, as the engine resolves it). */
  typeOf(type: string): ResourceType | undefined {
    const types = this.provider.types;
    if (types[type]) return types[type];
    const prefix = `${this.provider.name}.`;
    return type.startsWith(prefix) ? types[type.slice(prefix.length)] : undefined;
  }

  /** A fresh environment (own state store and engine) for one fixture resource named `name`. */
  session(resolved: ResolvedFixture, name = this.uniqueName()): Session {
    return new Session(this, resolved, name, this.options.retry ?? DEFAULT_RETRY);
  }
}

/** Specs tweaked for one check. */
export interface SpecChanges {
  attributes?: Attributes;
  policy?: ResourcePolicy;
  /** Policy of the dependencies (e.g. adopt them in a second environment). */
  dependencyPolicy?: ResourcePolicy;
}

/** One environment with its own MemoryStore and engine, holding one fixture resource (and its dependencies). */
export class Session {
  readonly environment: string;
  readonly store = new MemoryStore();
  readonly engine: Engine;
  readonly spec: ResourceSpec;
  readonly type: ResourceType;

  constructor(
    private readonly harness: SuiteHarness,
    readonly resolved: ResolvedFixture,
    readonly name: string,
    retry: RetryOptions,
  ) {
    this.environment = `env-${harness.uniqueName()}`;
    this.engine = createEngine({
      environment: this.environment,
      providers: [harness.recorder.provider],
      store: this.store,
      retry,
      holder: `testkit:${this.environment}`,
    });
    this.spec = resolved.fixture.spec(name);
    const type = harness.typeOf(this.spec.type);
    if (!type) throw new Error(`provider ${harness.provider.name} has no type ${this.spec.type}`);
    this.type = type;
  }

  /** The desired graph: dependencies, then the resource with `changes` applied. */
  desired(changes: SpecChanges = {}): ResourceSpec[] {
    const deps = (this.resolved.fixture.dependencies?.(this.name) ?? []).map((dep) =>
      changes.dependencyPolicy ? { ...dep, policy: { ...dep.policy, ...changes.dependencyPolicy } } : dep,
    );
    return [...deps, this.main(changes)];
  }

  /** Only the dependencies (the resource itself left out of the desired graph). */
  dependencies(): ResourceSpec[] {
    return this.resolved.fixture.dependencies?.(this.name) ?? [];
  }

  main(changes: SpecChanges = {}): ResourceSpec {
    return {
      ...this.spec,
      attributes: { ...this.spec.attributes, ...changes.attributes },
      ...(changes.policy ? { policy: { ...this.spec.policy, ...changes.policy } } : {}),
    };
  }

  plan(desired: ResourceSpec[], options?: PlanOptions): Promise<Plan> {
    return this.engine.plan(desired, options);
  }

  apply(plan: Plan): Promise<ApplyResult> {
    return this.engine.apply(plan);
  }

  /** Plans and applies `desired`, expecting every action to succeed. */
  async converge(
    desired: ResourceSpec[],
    options?: PlanOptions,
  ): Promise<{ plan: Plan; result: ApplyResult }> {
    const plan = await this.plan(desired, options);
    const result = await this.apply(plan);
    expect(result.ok, `apply failed: ${JSON.stringify(result.outcomes.filter((o) => o.message))}`).toBe(true);
    return { plan, result };
  }

  /** This resource's action in a plan. */
  action(plan: Plan): PlannedAction {
    const action = plan.actions.find((a) => a.id === this.spec.id);
    expect(action, `plan has no action for ${this.spec.id}`).toBeDefined();
    return action!;
  }

  outcome(result: ApplyResult) {
    const outcome = result.outcomes.find((o) => o.id === this.spec.id);
    expect(outcome, `apply has no outcome for ${this.spec.id}`).toBeDefined();
    return outcome!;
  }

  /**
   * The resource as the provider reads it now, outside the engine: by state's physical id when known, with
   * `ref.identity` filled the way the engine fills it (last-applied values, else the spec's).
   */
  async observe(): Promise<Observed | undefined> {
    const state = await this.store.read(this.environment);
    const record = state.resources[this.spec.id];
    const ref: ResourceRef = {
      id: this.spec.id,
      type: this.spec.type,
      name: this.name,
      environment: this.environment,
      ...(record?.physicalId ? { physicalId: record.physicalId } : {}),
    };
    const identity: Attributes = {};
    for (const attribute of this.type.identity ?? []) {
      const value = record?.attributes[attribute] ?? this.desiredValue(attribute, state);
      if (value !== undefined) identity[attribute] = value;
    }
    if (Object.keys(identity).length) ref.identity = identity;
    return observeWithRetry(this.harness.provider, this.type, ref);
  }

  /** A spec attribute with output refs resolved from state (undefined while one is missing), normalized. */
  private desiredValue(attribute: string, state: EnvironmentState): JsonValue | undefined {
    const value = this.spec.attributes[attribute];
    if (value === undefined) return undefined;
    let missing = false;
    const plain = resolveOutputRefs(value, (ref) => {
      const output = state.resources[ref.resource]?.outputs[ref.output];
      if (output === undefined) missing = true;
      return output;
    }) as JsonValue;
    if (missing) return undefined;
    return this.type.normalize ? this.type.normalize(attribute, plain) : plain;
  }

  /** Like `observe`, failing the test when the resource is missing. */
  async observeExisting(): Promise<Observed> {
    const observed = await this.observe();
    expect(observed, `${this.spec.type} ${this.name} is not there`).toBeDefined();
    return observed!;
  }

  /** The resource's desired attributes with output references resolved from state, then normalized. */
  async expectedAttributes(changes: SpecChanges = {}): Promise<Attributes> {
    const state = await this.store.read(this.environment);
    const spec = this.main(changes);
    const ignore = new Set(spec.policy?.ignore ?? []);
    const sensitive = new Set(spec.sensitive ?? []);
    const out: Attributes = {};
    for (const [attribute, value] of Object.entries(spec.attributes)) {
      // Secrets are often write-only; ignored attributes are not compared by design.
      if (ignore.has(attribute) || sensitive.has(attribute)) continue;
      // Output refs may sit at any depth (`{ env: { DB_HOST: { $ref } } }`); all must be in state by now.
      const plain = resolveOutputRefs(value, (ref) => {
        const output = state.resources[ref.resource]?.outputs[ref.output];
        expect(output, `output ${ref.output} of ${ref.resource} is not in state`).toBeDefined();
        return output;
      }) as JsonValue;
      out[attribute] = this.type.normalize ? this.type.normalize(attribute, plain) : plain;
    }
    return out;
  }

  /** Writes counted by the sandbox on the fixture's write operations, answered (not throttled or faulted). */
  answeredWrites(): number {
    const { api, writeOperations } = this.resolved.fixture.counters;
    let total = 0;
    for (const operation of writeOperations) {
      const d = this.harness.sandbox.counters.detail(api, operation);
      total += d.calls - d.throttled - d.faulted;
    }
    return total;
  }
}

/**
 * Observes outside the engine, retrying what the provider classifies as throttled or transient (the
 * sandbox's default rate limits apply to the suite's own reads too).
 */
async function observeWithRetry(
  provider: Provider,
  type: ResourceType,
  ref: ResourceRef,
): Promise<Observed | undefined> {
  const ctx = { signal: new AbortController().signal, progress: () => {} };
  for (let attempt = 1; ; attempt++) {
    try {
      return await type.observe(ref, ctx);
    } catch (error) {
      const kind =
        error instanceof ProviderError
          ? error.kind
          : (type.classifyError?.(error) ?? provider.classifyError?.(error));
      if ((kind !== 'throttled' && kind !== 'transient') || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}
