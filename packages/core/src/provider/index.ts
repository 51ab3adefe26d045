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
