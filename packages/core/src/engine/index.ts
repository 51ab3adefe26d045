export type { ApplyOptions } from './apply.js';
export { createEngine, type Engine, type EngineOptions } from './create-engine.js';
export type { EngineClock } from './engine-clock.js';
export type { PlanOptions } from './plan.js';
export { type PlanJSON, planToJSON } from './plan-to-json.js';
export type {
  ActionKind,
  ActionOutcome,
  ActionOutcomeKind,
  ApplyResult,
  ApplySummary,
  AttributeCase,
  AttributeDiff,
  Plan,
  PlannedAction,
  PlanSummary,
} from './plan-types.js';
export type { DriftedAttribute, DriftReport, RefreshOptions, ResourceDrift } from './refresh.js';
export { type RenderOptions, renderPlan } from './render-plan.js';
export type { RetryOptions } from './retry-policy.js';
export { hashSensitive } from './sensitive-hash.js';
