import type { JsonValue } from '../resources/resource-spec.js';

/**
 * What the engine will do to one resource.
 * - `create` / `update` / `replace` / `delete`: cloud writes.
 * - `record`: no cloud write, only state (the cloud already holds the desired value, or an attribute was disowned).
 * - `forget`: leaves the desired graph with deletion `retain`: dropped from state, left in the cloud.
 * - `drift`: live values changed outside Patchbay and are kept. `conflict`: desired and live both changed.
 * - `blocked`: needs a decision (confirm a delete, allow a replace, adopt an existing resource).
 * - `external`: another tool manages it (`Observed.managedBy`): never written.
 * - `noop`: nothing to do.
 */
export type ActionKind =
  | 'create'
  | 'update'
  | 'replace'
  | 'delete'
  | 'record'
  | 'forget'
  | 'drift'
  | 'conflict'
  | 'blocked'
  | 'external'
  | 'noop';

/**
 * The 3-way outcome for one owned attribute (D desired, L last applied, O observed):
 * - `unchanged`: D = L and (not read, or O = L).
 * - `drift-kept`: D = L, O ≠ L — changed outside Patchbay, kept.
 * - `patch`: D ≠ L, O = L (or the attribute is newly owned) — written with compare-and-set on O.
 * - `already`: D ≠ L, O = D — no write, L becomes D.
 * - `pending`: D ≠ L, the provider reports D as requested but not yet in effect — no write.
 * - `conflict`: D ≠ L, O ∉ {L, D} — not written unless forced.
 * - `forced`: a conflict the user forced: written over O.
 * - `known-after-apply`: D refers to an output of a resource changed in this plan.
 * - `create`: set at creation.
 * - `immutable`: D ≠ O on an attribute that cannot change in place (causes a replace).
 * - `create-only`: D ≠ L on a create-only attribute: ignored.
 * - `disowned`: no longer set by the spec: left as it is in the cloud, dropped from state.
 */
export type AttributeCase =
  | 'unchanged'
  | 'drift-kept'
  | 'patch'
  | 'already'
  | 'pending'
  | 'conflict'
  | 'forced'
  | 'known-after-apply'
  | 'create'
  | 'immutable'
  | 'create-only'
  | 'disowned';

/** One attribute's diff. Values are omitted for sensitive attributes (`sensitive: true`). */
export interface AttributeDiff {
  /** Attribute name; map keys are `map.key` (`tags.owner`). */
  attribute: string;
  case: AttributeCase;
  /** D; absent when unset, sensitive or known only after apply. */
  desired?: JsonValue;
  /** L; absent when never applied or sensitive. */
  lastApplied?: JsonValue;
  /** O; absent when not read, not present, or sensitive. */
  observed?: JsonValue;
  sensitive?: true;
  /** D refers to an output (`resource.output`) known only once that resource is applied. */
  knownAfterApply?: string;
}

/** One resource's planned action. Contains no secret. */
export interface PlannedAction {
  id: string;
  type: string;
  name: string;
  kind: ActionKind;
  /** Why, for `blocked`, `external`, `replace`, `forget`, recovered creates and adoptions. */
  reason?: string;
  /** Attributes worth showing: everything but `unchanged`. */
  attributes: AttributeDiff[];
  /** Ids of actions in this plan that must finish first. */
  dependsOn: string[];
  physicalId?: string;
  /** Whether the plan read the live resource. */
  observed: boolean;
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  forget: number;
  record: number;
  driftKept: number;
  conflicts: number;
  blocked: number;
  external: number;
  unchanged: number;
}

/** The result of `plan()`: typed actions against one state revision. Safe to log and serialize. */
export interface Plan {
  environment: string;
  /** State revision the plan was computed against: apply refuses the plan if the state moved. */
  baseRevision: number;
  createdAt: string;
  actions: PlannedAction[];
  summary: PlanSummary;
  /** Provider reads the plan made (observe calls). */
  reads: number;
  /** True when nothing would be written to the cloud or the state. */
  empty: boolean;
}

/** How one action ended in `apply()`. */
export type ActionOutcomeKind =
  | 'created'
  | 'updated'
  | 'replaced'
  | 'deleted'
  | 'forgotten'
  | 'recorded'
  | 'unchanged'
  | 'conflict'
  | 'failed'
  | 'blocked'
  | 'skipped'
  | 'cancelled';

export interface ActionOutcome {
  id: string;
  type: string;
  kind: ActionKind;
  outcome: ActionOutcomeKind;
  /** Redacted message for `failed`, `conflict`, `skipped`, `blocked`, `cancelled`. */
  message?: string;
  /** Attributes left in conflict (not written), also on an otherwise successful update. */
  conflicts?: string[];
  /** Error class for failures (`throttled`, `transient`, `conflict`, `not-found`, `fatal`, `state`). */
  errorKind?: string;
}

export interface ApplySummary {
  environment: string;
  created: number;
  updated: number;
  replaced: number;
  deleted: number;
  forgotten: number;
  recorded: number;
  conflicts: number;
  failed: number;
  skipped: number;
  cancelled: number;
  blocked: number;
  durationMs: number;
  /** Provider calls made by this apply (reads and writes, retries included). */
  apiCalls: number;
  /** State revision after the apply. */
  revision: number;
}

export interface ApplyResult {
  /** `true` when every action finished and no attribute was left in conflict (kept drift aside). */
  ok: boolean;
  outcomes: ActionOutcome[];
  summary: ApplySummary;
}
