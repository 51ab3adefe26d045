export { assertPatchable } from './assert-patchable.js';
export { differs } from './differs.js';
export {
  applyMapChange,
  effectiveMapChange,
  type GroupedChanges,
  groupChanges,
  type MapChange,
  toStringMap,
} from './group-changes.js';
export { type PollUntilOptions, pollUntil } from './poll-until.js';
export type {
  ApiLimit,
  AttributeChange,
  CallContext,
  CreateInput,
  Observed,
  Precondition,
  Provider,
  ResourceRef,
  ResourceType,
  ValidateContext,
  WriteResult,
} from './provider.js';
