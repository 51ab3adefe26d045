/** @module @patchbay/core — environment model, allocation planner, PATCH-style diff engine, state and workflow. */
export * from './allocation/index.js';
export * from './engine/index.js';
export * from './errors/index.js';
export * from './events/index.js';
export * from './model/index.js';
export * from './provider/index.js';
export * from './resources/index.js';
export * from './runtime/index.js';
export * from './state/index.js';
export * from './testing/index.js';
export * from './workflow/index.js';
