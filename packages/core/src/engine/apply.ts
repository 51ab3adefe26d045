import { ConflictError } from '../errors/conflict-error.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { StateError } from '../errors/state-error.js';
import type {
  AttributeChange,
  Observed,
  Precondition,
  ResourceRef,
  WriteResult,
} from '../provider/provider.js';
import { collectOutputRefs, resolveOutputRefs } from '../resources/output-refs.js';
import type { Attributes, JsonValue } from '../resources/resource-spec.js';
import type { ResourceState, StateChange } from '../state/state-store.js';
import type { EngineClock } from './engine-clock.js';
import { flattenAttributes } from './flatten-attributes.js';
import { createdLastApplied, unflatten, updatedLastApplied } from './last-applied.js';
import { linkedSignal } from './linked-signal.js';
import type { EngineContext } from './plan.js';
import { WRITES } from './plan.js';
import { type ActionInternals, type PlanInternals, planInternals } from './plan-internals.js';
import type {
  ActionOutcome,
  ActionOutcomeKind,
  ApplyResult,
  ApplySummary,
  Plan,
  PlannedAction,
} from './plan-types.js';
import { identityOf, withIdentity } from './resource-identity.js';
import { classifyError } from './retry-policy.js';
import { jsonEqual } from './three-way.js';

/** Options of one `apply()`. */
export interface ApplyOptions {
  /** Cancels waiting work; in-flight provider calls receive it through `CallContext.signal`. */
  signal?: AbortSignal;
}

export interface ApplyContext extends EngineContext {
  clock: EngineClock;
  holder: string;
  lockLeaseMs: number;
}

/** An action that cannot start (a dependency failed or an output is missing). */
class SkipAction extends Error {}

const SUCCESS: ReadonlySet<ActionOutcomeKind> = new Set([
  'created',
  'updated',
  'replaced',
  'deleted',
  'forgotten',
  'recorded',
  'unchanged',
]);

/**
 * Apply a plan: dependency order, concurrency within limits, compare-and-set writes, every finished action
 * committed to the store at once. Deletions run after every other action (make before break).
 */
export async function applyPlan(
  ctx: ApplyContext,
  plan: Plan,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const internals = planInternals.get(plan);
  if (!internals || internals.environment !== ctx.environment) {
    throw new StateError(
      'stale-plan',
      `This plan was not computed by this engine for ${ctx.environment}; compute a new one with engine.plan()`,
      { environment: ctx.environment, planEnvironment: plan.environment },
    );
  }
  const started = ctx.clock.now();
  const startCalls = ctx.runner.calls;
  const { signal, dispose } = linkedSignal(options.signal);
  await ctx.store.acquireLock(ctx.environment, ctx.holder, ctx.lockLeaseMs);
  const renew = setInterval(
    () => void ctx.store.renewLock(ctx.environment, ctx.holder, ctx.lockLeaseMs).catch(() => undefined),
    Math.max(1000, Math.floor(ctx.lockLeaseMs / 3)),
  );
  renew.unref?.();
  try {
    const state = await ctx.store.read(ctx.environment);
    if (state.revision !== plan.baseRevision) {
      throw new StateError(
        'stale-plan',
        `The plan was computed against revision ${plan.baseRevision} of ${ctx.environment}, but the state is now at ` +
          `revision ${state.revision} (another apply ran since); compute a new plan`,
        { environment: ctx.environment, planRevision: plan.baseRevision, revision: state.revision },
      );
    }
    const run = new ApplyRun(ctx, internals, signal, state.revision);
    for (const [id, record] of Object.entries(state.resources)) run.outputs.set(id, record.outputs);
    const outcomes = await run.execute(plan.actions);
    const summary = summarize(
      ctx.environment,
      outcomes,
      ctx.clock.now() - started,
      ctx.runner.calls - startCalls,
      run.revision,
    );
    ctx.events.emit('apply:finished', summary);
    return { ok: outcomes.every((o) => SUCCESS.has(o.outcome) && !o.conflicts), outcomes, summary };
  } finally {
    dispose();
    clearInterval(renew);
    await ctx.store.releaseLock(ctx.environment, ctx.holder).catch(() => undefined);
  }
}

class ApplyRun {
  readonly outputs = new Map<string, Record<string, JsonValue>>();
  /** Action kind per resource id, for progress events. */
  private readonly kinds = new Map<string, PlannedAction['kind']>();

  constructor(
    private readonly ctx: ApplyContext,
    private readonly internals: PlanInternals,
    private readonly signal: AbortSignal,
    public revision: number,
  ) {}

  async execute(actions: PlannedAction[]): Promise<ActionOutcome[]> {
    const results = new Map<string, Promise<ActionOutcome>>();
    const schedule = (action: PlannedAction, barrier?: Promise<unknown>) => {
      results.set(
        action.id,
        (async () => {
          await barrier;
          const deps = await Promise.all(
            action.dependsOn.map((d) => results.get(d)).filter((p) => p !== undefined),
          );
          const failedDep = deps.find((d) => !SUCCESS.has(d.outcome));
          if (failedDep)
            return this.finish(action, 'skipped', `${failedDep.id} did not finish (${failedDep.outcome})`);
          if (this.signal.aborted) return this.finish(action, 'cancelled', 'apply was cancelled');
          return this.run(action);
        })(),
      );
    };
    const writes = actions.filter((a) => WRITES.has(a.kind) && a.kind !== 'delete');
    for (const action of writes) schedule(action);
    // Make before break: deletions start once every create and update has settled, and only if all succeeded.
    const barrier = Promise.all(writes.map((a) => results.get(a.id))).then((outcomes) => {
      const bad = outcomes.find((o) => o && !SUCCESS.has(o.outcome));
      if (bad)
        throw new SkipAction(
          `${bad.id} did not finish (${bad.outcome}); old resources are kept until it does`,
        );
    });
    barrier.catch(() => undefined);
    for (const action of actions.filter((a) => a.kind === 'delete')) schedule(action, barrier);
    const outcomes: ActionOutcome[] = [];
    for (const action of actions) {
      const pending = results.get(action.id);
      if (pending) {
        outcomes.push(await pending.catch((e) => this.finish(action, 'skipped', (e as Error).message)));
      } else {
        outcomes.push(this.passive(action));
      }
    }
    return outcomes;
  }

  /** Actions with nothing to do in apply. */
  private passive(action: PlannedAction): ActionOutcome {
    const base = { id: action.id, type: action.type, kind: action.kind };
    if (action.kind === 'blocked') return { ...base, outcome: 'blocked', message: action.reason };
    if (action.kind === 'conflict') {
      const names = action.attributes.filter((a) => a.case === 'conflict').map((a) => a.attribute);
      return {
        ...base,
        outcome: 'conflict',
        conflicts: names,
        message: `not written: ${names.join(', ')} changed outside Patchbay`,
      };
    }
    return action.reason
      ? { ...base, outcome: 'unchanged', message: action.reason }
      : { ...base, outcome: 'unchanged' };
  }

  private async run(action: PlannedAction): Promise<ActionOutcome> {
    const inner = this.internals.actions.get(action.id)!;
    this.kinds.set(action.id, action.kind);
    const event = { id: action.id, type: action.type, kind: action.kind };
    const t0 = this.ctx.clock.now();
    this.ctx.events.emit('action:started', event);
    try {
      const outcome = await this.perform(action, inner);
      this.ctx.events.emit('action:finished', { ...event, outcome, durationMs: this.ctx.clock.now() - t0 });
      const done: ActionOutcome = { id: action.id, type: action.type, kind: action.kind, outcome };
      const conflicts = action.attributes.filter((a) => a.case === 'conflict').map((a) => a.attribute);
      if (conflicts.length) {
        done.conflicts = conflicts;
        done.message = `not written: ${conflicts.join(', ')} changed outside Patchbay`;
      }
      return done;
    } catch (error) {
      return this.failure(action, inner, error);
    }
  }

  private failure(action: PlannedAction, inner: ActionInternals, error: unknown): ActionOutcome {
    const redact = (text: string) => this.internals.redactor.redact(text);
    const base = { id: action.id, type: action.type, kind: action.kind };
    if (error instanceof SkipAction) return this.finish(action, 'skipped', redact(error.message));
    if (this.signal.aborted) return this.finish(action, 'cancelled', 'apply was cancelled');
    if (error instanceof StateError) {
      const message = redact(error.message);
      this.ctx.events.emit('action:failed', { ...base, error: message, errorKind: 'state' });
      return { ...base, outcome: 'failed', message, errorKind: 'state' };
    }
    const kind = classifyError(error, inner.resolved.type, inner.resolved.provider);
    const raw = error instanceof Error ? error.message : String(error);
    if (kind === 'conflict') {
      const message = redact(
        error instanceof ConflictError
          ? error.message
          : `${action.id} changed outside Patchbay since it was observed (${raw}); re-plan`,
      );
      this.ctx.events.emit('conflict', { id: action.id, type: action.type, ...attr(error), message });
      return { ...base, outcome: 'conflict', message, errorKind: kind };
    }
    const message = redact(
      kind === 'not-found'
        ? `${action.id} no longer exists (deleted outside Patchbay since the plan): re-plan. ${raw}`
        : error instanceof PatchbayError
          ? raw
          : `${inner.resolved.provider.name} call on ${action.id} failed: ${raw}`,
    );
    this.ctx.events.emit('action:failed', { ...base, error: message, errorKind: kind });
    return { ...base, outcome: 'failed', message, errorKind: kind };
  }

  private finish(action: PlannedAction, outcome: ActionOutcomeKind, message: string): ActionOutcome {
    return { id: action.id, type: action.type, kind: action.kind, outcome, message };
  }

  private async perform(action: PlannedAction, inner: ActionInternals): Promise<ActionOutcomeKind> {
    switch (action.kind) {
      case 'create':
        await this.create(action, inner);
        return 'created';
      case 'replace':
        if (inner.replaces) {
          await this.remove(action.id, inner, inner.replaces);
          await this.commit({ remove: [action.id] });
        }
        await this.create(action, inner);
        return 'replaced';
      case 'update':
      case 'record':
        return this.update(action, inner);
      case 'delete':
        await this.remove(action.id, inner, inner.ref);
        await this.commit({ remove: [action.id], clearIntents: [action.id] });
        this.outputs.delete(action.id);
        return 'deleted';
      case 'forget':
        await this.commit({ remove: [action.id], clearIntents: [action.id] });
        this.outputs.delete(action.id);
        return 'forgotten';
      default:
        return 'unchanged';
    }
  }

  private call<T>(
    inner: ActionInternals,
    operation: string,
    write: boolean,
    fn: Parameters<typeof this.ctx.runner.run<T>>[2],
  ) {
    return this.ctx.runner.run(
      inner.resolved,
      {
        resource: inner.ref.id,
        operation,
        signal: this.signal,
        write,
        redactor: this.internals.redactor,
        onProgress: (message) =>
          this.ctx.events.emit('action:progress', {
            id: inner.ref.id,
            type: inner.ref.type,
            kind: this.kinds.get(inner.ref.id) ?? 'update',
            message: this.internals.redactor.redact(message),
          }),
      },
      fn,
    );
  }

  private async create(action: PlannedAction, inner: ActionInternals): Promise<void> {
    const spec = inner.spec!;
    const attributes = this.resolveDesired(inner);
    // A new resource goes where its desired identity says (output refs resolved by now).
    const ref: ResourceRef = withIdentity(
      { id: spec.id, type: spec.type, name: spec.name, environment: this.ctx.environment },
      identityOf(inner.resolved.type, [attributes], spec.sensitive),
    );
    const token = inner.idempotencyToken!;
    await this.commit({
      clearIntents: [spec.id],
      addIntents: [
        {
          kind: 'create-intent',
          id: spec.id,
          type: spec.type,
          name: spec.name,
          idempotencyToken: token,
          at: new Date(this.ctx.clock.now()).toISOString(),
        },
      ],
    });
    const result = await this.call(inner, 'create', true, (c) =>
      inner.resolved.type.create({ ref, attributes, idempotencyToken: token }, c),
    );
    const filled = await this.fill(
      inner,
      { ...ref, ...(result.physicalId ? { physicalId: result.physicalId } : {}) },
      result,
    );
    await this.commitResource(
      action,
      inner,
      filled,
      createdLastApplied(attributes, spec.policy?.ignore, spec.sensitive),
    );
  }

  private async update(action: PlannedAction, inner: ActionInternals): Promise<ActionOutcomeKind> {
    const maps = inner.resolved.type.maps;
    const start = inner.baseline ? unflatten(inner.baseline, maps) : (inner.state?.attributes ?? {});
    const flatL = flattenAttributes(start, maps);
    const sets = new Map(inner.record);
    const changes: AttributeChange[] = [];
    for (const write of inner.writes) {
      let to = write.to;
      if (write.ref) {
        to = this.resolveAttribute(inner, write.attribute);
        // Resolved only now: the 3-way decision for this attribute is made here.
        if (jsonEqual(to, flatL.get(write.attribute))) continue;
        if (jsonEqual(to, write.from)) {
          sets.set(write.attribute, to);
          continue;
        }
      }
      changes.push({ attribute: write.attribute, from: write.from, to });
      sets.set(write.attribute, to);
    }
    const observed = inner.observed;
    let result: WriteResult = {};
    if (changes.length) {
      const precondition: Precondition =
        inner.resolved.type.precondition === 'version' && observed?.version !== undefined
          ? { kind: 'version', version: observed.version }
          : { kind: 'read-before-write', expected: expectedOf(changes) };
      result = await this.call(inner, 'patch', true, (c) =>
        inner.resolved.type.patch(inner.ref, changes, precondition, c),
      );
    }
    const filled = changes.length
      ? await this.fill(inner, inner.ref, result)
      : {
          physicalId: observed?.physicalId ?? inner.state!.physicalId,
          outputs: observed?.outputs ?? inner.state?.outputs ?? {},
          version: observed?.version ?? inner.state?.version,
        };
    const spec = inner.spec!;
    const attributes = updatedLastApplied(start, sets, inner.disown, maps, spec.sensitive);
    await this.commitResource(action, inner, filled, attributes);
    return changes.length ? 'updated' : 'recorded';
  }

  private async remove(id: string, inner: ActionInternals, ref: ResourceRef): Promise<void> {
    const del = inner.resolved.type.delete;
    if (!del) throw new SkipAction(`${id}: ${ref.type} cannot be deleted by its provider`);
    try {
      await this.call(inner, 'delete', true, (c) => del.call(inner.resolved.type, ref, c));
    } catch (error) {
      // Already gone is what a delete wants.
      if (classifyError(error, inner.resolved.type, inner.resolved.provider) !== 'not-found') throw error;
    }
  }

  /** Physical id, outputs and version after a write; a fresh observe fills what the write did not return. */
  private async fill(
    inner: ActionInternals,
    ref: ResourceRef,
    result: WriteResult,
  ): Promise<{ physicalId: string; outputs: Record<string, JsonValue>; version?: string }> {
    let observed: Observed | undefined;
    if (!result.physicalId && !ref.physicalId) observed = await this.observe(inner, ref);
    else if (!result.outputs)
      observed = await this.observe(inner, { ...ref, physicalId: result.physicalId ?? ref.physicalId });
    const physicalId = result.physicalId ?? observed?.physicalId ?? ref.physicalId;
    if (!physicalId) {
      throw new ProviderError(
        inner.resolved.provider.name,
        'create',
        'fatal',
        'the resource is not visible after its create',
        {
          resource: ref.id,
        },
      );
    }
    const version = result.version ?? observed?.version;
    return {
      physicalId,
      outputs: result.outputs ?? observed?.outputs ?? {},
      ...(version !== undefined ? { version } : {}),
    };
  }

  private observe(inner: ActionInternals, ref: ResourceRef): Promise<Observed | undefined> {
    return this.call(inner, 'observe', false, (c) => inner.resolved.type.observe(ref, c));
  }

  private async commitResource(
    action: PlannedAction,
    inner: ActionInternals,
    filled: { physicalId: string; outputs: Record<string, JsonValue>; version?: string },
    attributes: Attributes,
  ): Promise<void> {
    const spec = inner.spec!;
    const record: ResourceState = {
      type: spec.type,
      name: spec.name,
      physicalId: filled.physicalId,
      attributes,
      outputs: filled.outputs,
      appliedAt: new Date(this.ctx.clock.now()).toISOString(),
      deletion: spec.policy?.deletion ?? (inner.resolved.type.stateful ? 'retain' : 'delete'),
    };
    if (filled.version !== undefined) record.version = filled.version;
    const deps = action.dependsOn.length || spec.dependsOn ? dependencyIds(spec) : [];
    if (deps.length) record.dependsOn = deps;
    if (spec.sensitive?.length) record.sensitive = [...spec.sensitive];
    if (spec.policy?.mode && spec.policy.mode !== 'manage') record.mode = spec.policy.mode;
    await this.commit({ put: { [spec.id]: record }, clearIntents: [spec.id] });
    this.outputs.set(spec.id, filled.outputs);
  }

  /**
   * Each finished action is one atomic commit that bumps the revision. Commits of independent actions run
   * concurrently, so a store that batches them (FileStore: one fsync per group) keeps up with the calls;
   * an action that depends on another waits for that action, and so for its commit.
   */
  private async commit(change: StateChange): Promise<void> {
    const state = await this.ctx.store.commit(this.ctx.environment, change, { holder: this.ctx.holder });
    this.revision = Math.max(this.revision, state.revision);
  }

  private resolveDesired(inner: ActionInternals): Attributes {
    const out: Attributes = {};
    for (const name of Object.keys(inner.desired ?? {})) out[name] = this.resolveAttribute(inner, name);
    return out;
  }

  /** A desired attribute with every output ref replaced by the output now in state (normalized). */
  private resolveAttribute(inner: ActionInternals, name: string): JsonValue {
    const value = inner.desired?.[name];
    if (value === undefined) throw new SkipAction(`${inner.ref.id}.${name} has no desired value`);
    if (collectOutputRefs(value).length === 0) return value as JsonValue;
    const resolved = resolveOutputRefs(value, (r) => this.output(r.resource, r.output))!;
    return inner.resolved.type.normalize ? inner.resolved.type.normalize(name, resolved) : resolved;
  }

  private output(resource: string, output: string): JsonValue {
    const value = this.outputs.get(resource)?.[output];
    if (value === undefined)
      throw new SkipAction(`output ${output} of ${resource} is not available (was it applied?)`);
    return value;
  }
}

function dependencyIds(spec: NonNullable<ActionInternals['spec']>): string[] {
  const deps = new Set(spec.dependsOn ?? []);
  for (const value of Object.values(spec.attributes))
    for (const ref of collectOutputRefs(value)) deps.add(ref.resource);
  return [...deps];
}

function expectedOf(changes: AttributeChange[]): Attributes {
  const expected: Attributes = {};
  for (const change of changes) if (change.from !== undefined) expected[change.attribute] = change.from;
  return expected;
}

function attr(error: unknown): { attribute?: string } {
  return error instanceof ConflictError && error.attribute ? { attribute: error.attribute } : {};
}

function summarize(
  environment: string,
  outcomes: ActionOutcome[],
  durationMs: number,
  apiCalls: number,
  revision: number,
): ApplySummary {
  const count = (k: ActionOutcomeKind) => outcomes.filter((o) => o.outcome === k).length;
  return {
    environment,
    created: count('created'),
    updated: count('updated'),
    replaced: count('replaced'),
    deleted: count('deleted'),
    forgotten: count('forgotten'),
    recorded: count('recorded'),
    conflicts: outcomes.filter((o) => o.outcome === 'conflict' || o.conflicts).length,
    failed: count('failed'),
    skipped: count('skipped'),
    cancelled: count('cancelled'),
    blocked: count('blocked'),
    durationMs,
    apiCalls,
    revision,
  };
}
