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
  WriteResult,
} from './provider.js';
