export type { Allocation, Unit, UnitSizing } from './allocation.js';
export { type AutoLimits, type AutoService, autoGroups } from './auto-groups.js';
export { bindDatabase } from './bind-database.js';
export { callGraph } from './call-graph.js';
export { formatAllocation } from './format-allocation.js';
export { planAllocation, runtimeConfigFor } from './plan-allocation.js';
export { planTransition, type TransitionPhase, type TransitionStep } from './plan-transition.js';
export { anchorOf, type NamedGroup, SINGLE_UNIT_NAME, serviceGroups } from './service-groups.js';
export { DEFAULT_PORT, namespaceOf, unitBaseUrl, unitResourceName } from './unit-base-url.js';
