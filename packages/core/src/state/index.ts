export { FileStore, type FileStoreOptions } from './file-store.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { parseState } from './state-schema.js';
export {
  type CommitOptions,
  type CommitResult,
  type EnvironmentState,
  emptyState,
  type JournalEntry,
  type LockInfo,
  type ResourceState,
  STATE_FORMAT_VERSION,
  type StateChange,
  type StateStore,
} from './state-store.js';
