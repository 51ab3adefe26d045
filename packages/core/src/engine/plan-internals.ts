import type { Observed, ResourceRef } from '../provider/provider.js';
import type { DesiredAttributes, JsonValue, ResourceSpec } from '../resources/resource-spec.js';
import type { ResourceState } from '../state/state-store.js';
import type { Plan } from './plan-types.js';
import type { ProviderRegistry, ResolvedType } from './provider-registry.js';
import type { Redactor } from './redactor.js';

/** A write the apply must make for one attribute path (values are raw: this never leaves the process). */
export interface PlannedWrite {
  attribute: string;
  /** The observed value, expected still there (compare-and-set). */
  from: JsonValue | undefined;
  /** Raw desired value, or an unresolved output ref for `known-after-apply`. */
  to: JsonValue | undefined;
  /** Resolve `to` from this output at apply time. */
  ref?: { resource: string; output: string };
  sensitive: boolean;
}

/** What apply needs beyond the public, redacted action: raw values, the observation, the type. */
export interface ActionInternals {
  ref: ResourceRef;
  resolved: ResolvedType;
  spec?: ResourceSpec;
  /** Normalized desired attributes (refs kept as refs). */
  desired?: DesiredAttributes;
  state?: ResourceState;
  observed?: Observed;
  writes: PlannedWrite[];
  /** New last-applied values for attributes that need no write (`already`, `pending`, adopted L). */
  record: Map<string, JsonValue | undefined>;
  /** Attribute paths dropped from L (`disowned`). */
  disown: string[];
  /** The L to start from for recovered creates and adoptions (the observed owned values). */
  baseline?: Record<string, JsonValue>;
  idempotencyToken?: string;
  /** For a replace: the old resource, deleted before the new one is created. */
  replaces?: ResourceRef;
}

export interface PlanInternals {
  environment: string;
  registry: ProviderRegistry;
  actions: Map<string, ActionInternals>;
  redactor: Redactor;
}

/**
 * Raw values stay out of the `Plan` object (which users log and serialize): they live here, keyed by the
 * plan object, and only the engine that computed the plan can apply it.
 */
export const planInternals = new WeakMap<Plan, PlanInternals>();
