import { randomUUID } from 'node:crypto';
import { ValidationError, type ValidationIssue } from '../errors/validation-error.js';
import type { EngineEvents } from '../events/engine-events.js';
import type { Observed, ResourceRef, ResourceType } from '../provider/provider.js';
import { collectOutputRefs, resolveOutputRefs } from '../resources/output-refs.js';
import type { Attributes, DesiredAttributes, JsonValue, ResourceSpec } from '../resources/resource-spec.js';
import type { EnvironmentState, ResourceState, StateStore } from '../state/state-store.js';
import type { CallRunner } from './call-runner.js';
import { flattenAttributes, splitMapPath } from './flatten-attributes.js';
import { linkedSignal } from './linked-signal.js';
import { type ActionInternals, type PlannedWrite, planInternals } from './plan-internals.js';
import type {
  ActionKind,
  AttributeCase,
  AttributeDiff,
  Plan,
  PlannedAction,
  PlanSummary,
} from './plan-types.js';
import type { ProviderRegistry, ResolvedType } from './provider-registry.js';
import { Redactor } from './redactor.js';
import { identityOf, withIdentity } from './resource-identity.js';
import { hashSensitive } from './sensitive-hash.js';
import { jsonEqual, KNOWN_AFTER_APPLY, threeWay } from './three-way.js';
import { validateAttributes } from './validate-attributes.js';
import { specDependencies, validateDesired } from './validate-desired.js';

/** Options of one `plan()`. */
export interface PlanOptions {
  /** Attributes to write over a conflicting live value, as `id.attribute` (`compute/api.desiredCount`, `compute/api.tags.owner`). */
  force?: string[];
  /** Resource ids whose immutable-attribute changes may replace a stateful resource. */
  allowReplace?: string[];
  /** Resource ids whose deletion is confirmed (needed for stateful resources). */
  confirmDelete?: string[];
  signal?: AbortSignal;
}

/** What plan, apply and refresh share. */
export interface EngineContext {
  environment: string;
  registry: ProviderRegistry;
  store: StateStore;
  runner: CallRunner;
  events: EngineEvents;
}

type DesiredValue = JsonValue | undefined | typeof KNOWN_AFTER_APPLY;

interface Prepared {
  spec: ResourceSpec;
  resolved: ResolvedType;
  state: ResourceState | undefined;
  desired: DesiredAttributes;
  /** Flat D: comparable values (hashes for sensitive attributes), KNOWN_AFTER_APPLY for pending refs. */
  compare: Map<string, DesiredValue>;
  /** Flat D: raw values. */
  raw: Map<string, JsonValue | undefined>;
  refs: Map<string, { resource: string; output: string }>;
  /** Attribute paths compared after creation (not ignored, not create-only). */
  owned: Set<string>;
  createOnlyChanged: string[];
  disowned: string[];
  needsRead: boolean;
  /** The resource's outputs may change in this plan (dependents' refs are known after apply). */
  changing: boolean;
  sensitive: Set<string>;
  /** `ResourceRef.identity` of the resource as it is now (last-applied values first, then desired ones). */
  identity: Attributes | undefined;
}

/** Compute the plan: a 3-way diff of owned attributes, reading only what the change needs. */
export async function computePlan(
  ctx: EngineContext,
  desiredSpecs: readonly ResourceSpec[],
  options: PlanOptions = {},
): Promise<Plan> {
  const ordered = validateDesired(desiredSpecs, ctx.registry);
  validateForce(options.force ?? []);
  const state = await ctx.store.read(ctx.environment);
  const redactor = new Redactor();
  const force = new Set(options.force ?? []);
  const allowReplace = new Set(options.allowReplace ?? []);
  const confirmDelete = new Set(options.confirmDelete ?? []);

  // Phase 1, no calls: D vs L, and which resources need a read.
  const prepared = new Map<string, Prepared>();
  const issues: ValidationIssue[] = [];
  for (const spec of ordered) {
    prepared.set(spec.id, prepare(spec, ctx, state, prepared, redactor, issues));
  }
  // Every issue of every resource in one error, before the first read: nothing half-applied on bad input.
  if (issues.length) throw new ValidationError('Desired resources', issues);
  const desiredIds = new Set(ordered.map((s) => s.id));
  const removed = Object.entries(state.resources).filter(([id]) => !desiredIds.has(id));

  // Phase 2: read what changed, concurrently, through the limits.
  const { signal, dispose } = linkedSignal(options.signal);
  const startCalls = ctx.runner.calls;
  const observations = new Map<string, Observed | undefined>();
  const reads: Promise<void>[] = [];
  const read = (id: string, ref: ResourceRef, resolved: ResolvedType) =>
    reads.push(
      ctx.runner
        .run(resolved, { resource: id, operation: 'observe', signal, redactor }, (c) =>
          resolved.type.observe(ref, c),
        )
        .then((o) => void observations.set(id, o)),
    );
  for (const p of prepared.values())
    if (p.needsRead) read(p.spec.id, refOf(ctx.environment, p.spec, p.state, p.identity), p.resolved);
  for (const [id, record] of removed) {
    const resolved = ctx.registry.resolve(record.type);
    if (resolved && deletionOf(record, resolved) === 'delete' && record.mode !== 'observe-only') {
      read(id, stateRef(ctx.environment, id, record, resolved.type), resolved);
    }
  }
  // Creates an interrupted apply started for resources no longer desired: find what they left behind.
  const orphans = state.journal.filter((e) => !desiredIds.has(e.id) && !state.resources[e.id]);
  for (const intent of orphans) {
    const resolved = ctx.registry.resolve(intent.type);
    if (resolved)
      read(
        intent.id,
        { id: intent.id, type: intent.type, name: intent.name, environment: ctx.environment },
        resolved,
      );
  }
  await Promise.all(reads).finally(dispose);

  // Phase 3: actions.
  const actions: PlannedAction[] = [];
  const internals = new Map<string, ActionInternals>();
  const intents = new Map(state.journal.map((e) => [e.id, e]));
  for (const p of prepared.values()) {
    const { action, inner } = planResource(p, {
      environment: ctx.environment,
      observed: observations.get(p.spec.id),
      wasRead: observations.has(p.spec.id),
      force,
      allowReplace,
      intent: intents.get(p.spec.id),
    });
    actions.push(action);
    internals.set(p.spec.id, inner);
  }
  const active = new Set(actions.filter((a) => WRITES.has(a.kind)).map((a) => a.id));
  for (const action of actions) {
    const p = prepared.get(action.id)!;
    action.dependsOn = specDependencies(p.spec).filter((d) => active.has(d));
  }
  for (const [id, record] of removed) {
    const { action, inner } = planRemoval(ctx, id, record, observations.get(id), confirmDelete);
    actions.push(action);
    if (inner) internals.set(id, inner);
  }
  for (const intent of orphans) {
    const record: ResourceState = {
      type: intent.type,
      name: intent.name,
      physicalId: observations.get(intent.id)?.physicalId ?? '',
      attributes: {},
      outputs: {},
      appliedAt: intent.at,
      // Never silently leak what an interrupted apply made: delete it (stateful ones still need confirmDelete).
      deletion: 'delete',
    };
    const { action, inner } = planRemoval(ctx, intent.id, record, observations.get(intent.id), confirmDelete);
    action.reason =
      action.kind === 'forget'
        ? 'an interrupted create left nothing behind: clearing its journal entry'
        : action.kind === 'delete'
          ? 'made by an interrupted apply and no longer desired'
          : action.reason;
    actions.push(action);
    if (inner) internals.set(intent.id, inner);
  }
  // Removed resources are deleted after the ones that depended on them (reverse dependency order).
  const deleting = new Set(actions.filter((a) => a.kind === 'delete').map((a) => a.id));
  for (const action of actions) {
    if (action.kind !== 'delete') continue;
    action.dependsOn = removed
      .filter(([other, rec]) => deleting.has(other) && rec.dependsOn?.includes(action.id))
      .map(([other]) => other);
  }

  const plan: Plan = {
    environment: ctx.environment,
    baseRevision: state.revision,
    createdAt: new Date().toISOString(),
    actions,
    summary: summarize(actions),
    reads: ctx.runner.calls - startCalls,
    empty: !actions.some((a) => WRITES.has(a.kind)),
  };
  planInternals.set(plan, {
    environment: ctx.environment,
    registry: ctx.registry,
    actions: internals,
    redactor,
  });
  for (const action of actions) {
    for (const attribute of action.attributes) {
      if (attribute.case === 'drift-kept')
        ctx.events.emit('drift:kept', { id: action.id, type: action.type, attribute });
      if (attribute.case === 'conflict') {
        ctx.events.emit('conflict', {
          id: action.id,
          type: action.type,
          attribute: attribute.attribute,
          message: `${action.id}.${attribute.attribute} changed outside Patchbay and in the desired state`,
        });
      }
    }
  }
  ctx.events.emit('plan:computed', plan);
  return plan;
}

/** Action kinds that write to the cloud or to the state. */
export const WRITES: ReadonlySet<ActionKind> = new Set([
  'create',
  'update',
  'replace',
  'delete',
  'record',
  'forget',
]);

function validateForce(force: string[]): void {
  const bad = force.filter((f) => typeof f !== 'string' || f.indexOf('.') <= 0);
  if (bad.length) {
    throw new ValidationError(
      'Plan options',
      bad.map((f) => ({
        path: ['force'],
        message: 'must name a resource attribute',
        received: f,
        allowed: 'id.attribute, e.g. compute/api.desiredCount',
      })),
    );
  }
}

function prepare(
  spec: ResourceSpec,
  ctx: EngineContext,
  state: EnvironmentState,
  prepared: Map<string, Prepared>,
  redactor: Redactor,
  issues: ValidationIssue[],
): Prepared {
  const resolved = ctx.registry.resolve(spec.type)!;
  const { type } = resolved;
  const maps = type.maps;
  const record = state.resources[spec.id];
  const sensitive = new Set(spec.sensitive ?? []);
  const ignore = new Set(spec.policy?.ignore ?? []);
  const createOnly = new Set(spec.policy?.createOnly ?? []);

  const desired: DesiredAttributes = {};
  const refs = new Map<string, { resource: string; output: string }>();
  const resolvedValues: Record<string, JsonValue | typeof KNOWN_AFTER_APPLY> = {};
  for (const [attribute, value] of Object.entries(spec.attributes)) {
    const found = collectOutputRefs(value);
    if (found.length) {
      desired[attribute] = value;
      refs.set(attribute, found[0]!);
      let unknown = false;
      let missing = false;
      const resolvedValue = resolveOutputRefs(value, (r) => {
        const targetState = state.resources[r.resource];
        if (prepared.get(r.resource)?.changing || !targetState) {
          unknown = true;
          return undefined;
        }
        const output = targetState.outputs[r.output];
        if (output === undefined) {
          missing = true;
          issues.push({
            path: [spec.id, 'attributes', attribute],
            message: `${r.resource} has no output ${r.output}`,
            allowed: Object.keys(targetState.outputs),
          });
        }
        return output;
      });
      if (unknown) resolvedValues[attribute] = KNOWN_AFTER_APPLY;
      else if (!missing && resolvedValue !== undefined) {
        resolvedValues[attribute] = normalize(resolved, attribute, resolvedValue);
      }
      continue;
    }
    const plain = value as JsonValue;
    const normalized = normalize(resolved, attribute, plain);
    desired[attribute] = normalized;
    resolvedValues[attribute] = normalized;
    if (sensitive.has(attribute)) redactor.add(plain);
  }

  const compare = new Map<string, DesiredValue>();
  const raw = new Map<string, JsonValue | undefined>();
  const flatDesired = flattenAttributes(resolvedValues as Record<string, JsonValue>, maps);
  for (const [path, value] of flatDesired) {
    const base = splitMapPath(path, maps)[0];
    raw.set(path, value as JsonValue);
    compare.set(
      path,
      (value as unknown) === KNOWN_AFTER_APPLY
        ? KNOWN_AFTER_APPLY
        : sensitive.has(base)
          ? hashSensitive(value)
          : value,
    );
  }
  // A whole map attribute that is a ref stays one entry (flattenAttributes only splits plain objects).

  const owned = new Set<string>();
  const createOnlyChanged: string[] = [];
  const disowned: string[] = [];
  let dirty = !record;
  let replaceByIdentity = false;
  if (record) {
    if (record.type !== spec.type || record.name !== spec.name) replaceByIdentity = true;
    const flatL = flattenAttributes(record.attributes, maps);
    const mapsInD = new Set(Object.keys(resolvedValues).filter((a) => maps?.includes(a)));
    const candidates = new Set(compare.keys());
    for (const path of flatL.keys()) {
      const [base, key] = splitMapPath(path, maps);
      if (key !== undefined && mapsInD.has(base)) candidates.add(path);
      else if (!compare.has(path)) disowned.push(path);
    }
    for (const path of candidates) {
      const base = splitMapPath(path, maps)[0];
      if (ignore.has(base)) continue;
      const d = compare.get(path);
      const l = flatL.get(path);
      if (createOnly.has(base)) {
        if (!jsonEqual(d, l)) createOnlyChanged.push(path);
        continue;
      }
      owned.add(path);
      if (d === KNOWN_AFTER_APPLY || !jsonEqual(d, l)) dirty = true;
    }
  }
  const needsRead = dirty || replaceByIdentity;
  // Where the resource is now: its last-applied values locate it; a new one goes where D says.
  const sameResource = record && !replaceByIdentity;
  const secret = [...sensitive, ...(record?.sensitive ?? [])];
  const identity = identityOf(
    type,
    sameResource ? [record.attributes, resolvedValues] : [resolvedValues],
    secret,
  );
  if (type.validate) {
    const ref = refOf(ctx.environment, spec, record, identity);
    issues.push(...validateAttributes(type, spec, ref, resolvedValues, redactor));
  }
  return {
    spec,
    resolved,
    state: record,
    desired,
    compare,
    raw,
    refs,
    owned,
    createOnlyChanged,
    disowned,
    needsRead,
    changing: needsRead,
    sensitive,
    identity,
  };
}

function normalize(resolved: ResolvedType, attribute: string, value: JsonValue): JsonValue {
  return resolved.type.normalize ? resolved.type.normalize(attribute, value) : value;
}

interface ResourceContext {
  environment: string;
  observed: Observed | undefined;
  wasRead: boolean;
  force: Set<string>;
  allowReplace: Set<string>;
  intent: { idempotencyToken: string } | undefined;
}

function planResource(p: Prepared, rc: ResourceContext): { action: PlannedAction; inner: ActionInternals } {
  const { spec, resolved, state: record } = p;
  if (record && !p.needsRead && p.disowned.length === 0 && p.createOnlyChanged.length === 0) {
    // The common case in a large environment: nothing changed, nothing read. Keep it cheap.
    return {
      action: {
        id: spec.id,
        type: spec.type,
        name: spec.name,
        kind: 'noop',
        attributes: [],
        dependsOn: [],
        physicalId: record.physicalId,
        observed: false,
      },
      inner: {
        ref: refOf(rc.environment, spec, record, p.identity),
        resolved,
        spec,
        state: record,
        writes: [],
        record: new Map(),
        disown: [],
      },
    };
  }
  const mode = spec.policy?.mode ?? 'manage';
  const maps = resolved.type.maps;
  const ref = refOf(rc.environment, spec, record, p.identity);
  const o = rc.observed;
  const inner: ActionInternals = {
    ref: o ? { ...ref, physicalId: o.physicalId } : ref,
    resolved,
    spec,
    desired: p.desired,
    state: record,
    observed: o,
    writes: [],
    record: new Map(),
    disown: p.disowned,
  };
  const action: PlannedAction = {
    id: spec.id,
    type: spec.type,
    name: spec.name,
    kind: 'noop',
    attributes: [],
    dependsOn: [],
    physicalId: o?.physicalId ?? record?.physicalId,
    observed: rc.wasRead,
  };
  const isSensitive = (path: string) => p.sensitive.has(splitMapPath(path, maps)[0]);
  const flatO = o ? flattenAttributes(o.attributes, maps) : new Map<string, JsonValue>();
  const flatP = o?.pending ? flattenAttributes(o.pending, maps) : new Map<string, JsonValue>();
  const comparableO = (path: string, fallback: JsonValue | undefined): JsonValue | undefined => {
    const value = flatO.get(path);
    if (!isSensitive(path)) return value;
    // Most APIs cannot read a secret back: an unreadable one is assumed unchanged.
    return value === undefined ? fallback : hashSensitive(value);
  };
  const show = (path: string, c: AttributeCase, l: JsonValue | undefined, withO: boolean): AttributeDiff => {
    const diff: AttributeDiff = { attribute: path, case: c };
    if (isSensitive(path)) {
      diff.sensitive = true;
      return diff;
    }
    const d = p.raw.get(path);
    if (p.compare.get(path) === KNOWN_AFTER_APPLY) {
      const r = p.refs.get(splitMapPath(path, maps)[0]);
      if (r) diff.knownAfterApply = `${r.resource}.${r.output}`;
    } else if (d !== undefined) diff.desired = d;
    if (l !== undefined) diff.lastApplied = l;
    const ov = flatO.get(path);
    if (withO && ov !== undefined) diff.observed = ov;
    return diff;
  };
  const writeOf = (path: string): PlannedWrite => {
    const base = splitMapPath(path, maps)[0];
    const refTo = p.compare.get(path) === KNOWN_AFTER_APPLY ? p.refs.get(base) : undefined;
    return {
      attribute: path,
      from: flatO.get(path),
      to: refTo ? undefined : p.raw.get(path),
      ...(refTo ? { ref: refTo } : {}),
      sensitive: isSensitive(path),
    };
  };
  const block = (reason: string) => {
    action.kind = 'blocked';
    action.reason = reason;
    return { action, inner };
  };
  const asCreate = (reason?: string) => {
    action.kind = 'create';
    if (reason) action.reason = reason;
    inner.idempotencyToken = rc.intent?.idempotencyToken ?? randomUUID();
    inner.ref = ref;
    action.physicalId = undefined;
    for (const path of p.compare.keys()) action.attributes.push(show(path, 'create', undefined, false));
    return { action, inner };
  };

  if (o?.managedBy) {
    action.kind = 'external';
    action.reason = `managed by ${o.managedBy}; Patchbay never writes it`;
    return { action, inner };
  }

  // Not in state: create, recover an interrupted create, adopt, or observe.
  if (!record) {
    if (!o) {
      if (mode === 'observe-only') return block(`observe-only resource ${spec.name} does not exist`);
      return asCreate();
    }
    if (mode === 'manage' && !rc.intent) {
      return block(
        `a ${spec.type} named ${spec.name} already exists and Patchbay did not create it; set policy.mode 'adopt' to take it over`,
      );
    }
    // Adopt / recover / observe-only: L starts as the live value of every owned attribute.
    const baseline: Record<string, JsonValue> = {};
    for (const path of p.compare.keys()) {
      const value = flatO.get(path);
      if (value !== undefined) baseline[path] = isSensitive(path) ? hashSensitive(value) : value;
    }
    inner.baseline = baseline;
    action.reason =
      mode === 'adopt'
        ? 'adopting the existing resource'
        : mode === 'observe-only'
          ? 'observing'
          : 'recovering an interrupted create';
    const immutableChanged: string[] = [];
    for (const [path, d] of p.compare) {
      const base = splitMapPath(path, maps)[0];
      if (spec.policy?.ignore?.includes(base) || spec.policy?.createOnly?.includes(base)) continue;
      const c = threeWay({
        desired: d,
        lastApplied: baseline[path],
        observed: baseline[path],
        observedKnown: true,
      });
      if (c === 'unchanged') continue;
      if (mode === 'observe-only') {
        action.attributes.push(show(path, 'drift-kept', undefined, true));
        continue;
      }
      if (resolved.type.immutable?.includes(base) && c !== 'known-after-apply') immutableChanged.push(path);
      action.attributes.push(show(path, c, undefined, true));
      inner.writes.push(writeOf(path));
    }
    if (immutableChanged.length) return replaceOrBlock(p, action, inner, immutableChanged, rc, asCreate);
    action.kind = inner.writes.length ? 'update' : 'record';
    return { action, inner };
  }

  if (p.createOnlyChanged.length) {
    for (const path of p.createOnlyChanged)
      action.attributes.push(show(path, 'create-only', undefined, false));
  }
  if (record.type !== spec.type || record.name !== spec.name) {
    const why =
      record.type !== spec.type ? `type ${record.type} → ${spec.type}` : `name ${record.name} → ${spec.name}`;
    if (resolved.type.stateful && !rc.allowReplace.has(spec.id)) {
      return block(
        `${why} needs a replace of a stateful resource; allow it with allowReplace: ['${spec.id}']`,
      );
    }
    action.reason = why;
    return replaceResult(action, inner, p, record, rc, asCreate);
  }
  if (!p.needsRead) {
    for (const path of p.disowned) action.attributes.push(show(path, 'disowned', undefined, false));
    action.kind = p.disowned.length ? 'record' : 'noop';
    return { action, inner };
  }
  if (!o) {
    if (resolved.type.stateful && !rc.allowReplace.has(spec.id)) {
      return block(
        `${spec.name} no longer exists (deleted outside Patchbay); re-creating a stateful resource needs allowReplace: ['${spec.id}']`,
      );
    }
    return asCreate('deleted outside Patchbay: re-creating it');
  }

  const flatL = flattenAttributes(record.attributes, maps);
  const immutableChanged: string[] = [];
  for (const path of p.owned) {
    const d = p.compare.get(path);
    const l = flatL.get(path);
    const c0 = threeWay({
      desired: d,
      lastApplied: l,
      observed: comparableO(path, l),
      observedKnown: true,
      pending: flatP.has(path)
        ? isSensitive(path)
          ? hashSensitive(flatP.get(path)!)
          : flatP.get(path)
        : undefined,
      forced: rc.force.has(`${spec.id}.${path}`),
      newlyOwned: l === undefined && d !== undefined && !flatL.has(path),
    });
    const c = mode === 'observe-only' && c0 !== 'unchanged' ? 'drift-kept' : c0;
    if (c === 'unchanged') continue;
    const base = splitMapPath(path, maps)[0];
    action.attributes.push(show(path, c, l, true));
    if (c === 'patch' || c === 'forced' || c === 'known-after-apply') {
      inner.writes.push(writeOf(path));
      if (resolved.type.immutable?.includes(base) && c !== 'known-after-apply') immutableChanged.push(path);
    } else if (c === 'already' || c === 'pending') {
      inner.record.set(path, p.raw.get(path));
    }
  }
  for (const path of p.disowned) action.attributes.push(show(path, 'disowned', flatL.get(path), false));
  if (immutableChanged.length) return replaceOrBlock(p, action, inner, immutableChanged, rc, asCreate);
  const cases = new Set(action.attributes.map((a) => a.case));
  action.kind = inner.writes.length
    ? 'update'
    : inner.record.size || p.disowned.length
      ? 'record'
      : cases.has('conflict')
        ? 'conflict'
        : cases.has('drift-kept')
          ? 'drift'
          : 'noop';
  return { action, inner };
}

function replaceOrBlock(
  p: Prepared,
  action: PlannedAction,
  inner: ActionInternals,
  immutableChanged: string[],
  rc: ResourceContext,
  asCreate: (reason?: string) => { action: PlannedAction; inner: ActionInternals },
): { action: PlannedAction; inner: ActionInternals } {
  for (const a of action.attributes) if (immutableChanged.includes(a.attribute)) a.case = 'immutable';
  const why = `immutable ${immutableChanged.join(', ')} changed`;
  if (p.resolved.type.stateful && !rc.allowReplace.has(p.spec.id)) {
    action.kind = 'blocked';
    action.reason = `${why}: replacing a stateful resource loses its data; allow it with allowReplace: ['${p.spec.id}']`;
    return { action, inner };
  }
  action.reason = why;
  return replaceResult(action, inner, p, p.state, rc, asCreate);
}

function replaceResult(
  action: PlannedAction,
  inner: ActionInternals,
  p: Prepared,
  record: ResourceState | undefined,
  rc: ResourceContext,
  asCreate: (reason?: string) => { action: PlannedAction; inner: ActionInternals },
): { action: PlannedAction; inner: ActionInternals } {
  if (!p.resolved.type.delete) {
    action.kind = 'blocked';
    action.reason = `${action.reason}: ${p.spec.type} cannot be deleted by its provider, so it cannot be replaced`;
    return { action, inner };
  }
  const reason = action.reason;
  const physicalId = rc.observed?.physicalId ?? record?.physicalId;
  const old = record ? stateRef(rc.environment, p.spec.id, record, p.resolved.type) : inner.ref;
  action.attributes = [];
  const result = asCreate(reason);
  result.action.kind = 'replace';
  result.action.physicalId = physicalId;
  result.inner.writes = [];
  // The old resource (by its old name and id) is deleted first; the new one is created with the spec's name.
  result.inner.replaces = {
    ...old,
    ...(physicalId ? { physicalId } : {}),
  };
  return result;
}

function planRemoval(
  ctx: EngineContext,
  id: string,
  record: ResourceState,
  observed: Observed | undefined,
  confirmDelete: Set<string>,
): { action: PlannedAction; inner?: ActionInternals } {
  const resolved = ctx.registry.resolve(record.type);
  const action: PlannedAction = {
    id,
    type: record.type,
    name: record.name,
    kind: 'forget',
    attributes: [],
    dependsOn: [],
    physicalId: record.physicalId,
    observed: false,
  };
  if (!resolved) {
    action.kind = 'blocked';
    action.reason = `no provider implements ${record.type}; register it to delete the resource, or keep it in the desired graph`;
    return { action };
  }
  const inner: ActionInternals = {
    ref: stateRef(ctx.environment, id, record, resolved.type),
    resolved,
    state: record,
    observed,
    writes: [],
    record: new Map(),
    disown: [],
  };
  if (record.mode === 'observe-only') {
    action.reason = 'observe-only: dropped from state, never deleted';
    return { action, inner };
  }
  if (deletionOf(record, resolved) === 'retain') {
    action.reason = 'deletion policy retain: dropped from state, left in the cloud';
    return { action, inner };
  }
  action.observed = true;
  if (!observed) {
    action.reason = 'already gone';
    return { action, inner };
  }
  if (observed.managedBy) {
    action.kind = 'external';
    action.reason = `managed by ${observed.managedBy}; Patchbay never deletes it`;
    return { action, inner };
  }
  if (!resolved.type.delete) {
    action.kind = 'blocked';
    action.reason = `${record.type} cannot be deleted by its provider; set deletion 'retain' to forget it`;
    return { action, inner };
  }
  if (resolved.type.stateful && !confirmDelete.has(id)) {
    action.kind = 'blocked';
    action.reason = `deleting a stateful resource loses its data; confirm it with confirmDelete: ['${id}']`;
    return { action, inner };
  }
  action.kind = 'delete';
  return { action, inner };
}

function deletionOf(record: ResourceState, resolved: ResolvedType): 'delete' | 'retain' {
  return record.deletion ?? (resolved.type.stateful ? 'retain' : 'delete');
}

export function refOf(
  environment: string,
  spec: ResourceSpec,
  record: ResourceState | undefined,
  identity?: Attributes,
): ResourceRef {
  const ref: ResourceRef = { id: spec.id, type: spec.type, name: spec.name, environment };
  if (record && record.name === spec.name && record.type === spec.type) ref.physicalId = record.physicalId;
  return withIdentity(ref, identity);
}

/** The ref of a resource as state records it (identity from its last-applied values). */
export function stateRef(
  environment: string,
  id: string,
  record: ResourceState,
  type?: ResourceType,
): ResourceRef {
  const ref: ResourceRef = {
    id,
    type: record.type,
    name: record.name,
    physicalId: record.physicalId,
    environment,
  };
  return type ? withIdentity(ref, identityOf(type, [record.attributes], record.sensitive)) : ref;
}

function summarize(actions: PlannedAction[]): PlanSummary {
  const summary: PlanSummary = {
    create: 0,
    update: 0,
    replace: 0,
    delete: 0,
    forget: 0,
    record: 0,
    driftKept: 0,
    conflicts: 0,
    blocked: 0,
    external: 0,
    unchanged: 0,
  };
  for (const a of actions) {
    if (a.kind === 'create') summary.create++;
    else if (a.kind === 'update') summary.update++;
    else if (a.kind === 'replace') summary.replace++;
    else if (a.kind === 'delete') summary.delete++;
    else if (a.kind === 'forget') summary.forget++;
    else if (a.kind === 'record') summary.record++;
    else if (a.kind === 'blocked') summary.blocked++;
    else if (a.kind === 'external') summary.external++;
    else if (a.kind === 'noop') summary.unchanged++;
    for (const attr of a.attributes) {
      if (attr.case === 'drift-kept') summary.driftKept++;
      if (attr.case === 'conflict') summary.conflicts++;
    }
  }
  return summary;
}
