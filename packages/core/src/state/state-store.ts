import type { Attributes, JsonValue } from '../resources/resource-spec.js';

/** Version of the state format this build reads and writes. Newer files are refused, never reset. */
export const STATE_FORMAT_VERSION = 1;

/** What Patchbay last applied to one resource: the L of the 3-way diff. */
export interface ResourceState {
  type: string;
  name: string;
  physicalId: string;
  /** Last-applied owned attributes; map attributes hold only owned keys; sensitive ones as `sha256:` hashes. */
  attributes: Attributes;
  outputs: Record<string, JsonValue>;
  version?: string;
  /** ISO time of the last commit for this resource. */
  appliedAt: string;
  /** Dependencies when last applied, so a removed resource is deleted after its dependents. */
  dependsOn?: string[];
  /** Deletion policy when last applied (the spec is gone when deletion is planned). */
  deletion?: 'delete' | 'retain';
  /** Attributes stored as hashes. */
  sensitive?: string[];
  mode?: 'manage' | 'observe-only' | 'adopt';
}

/** A create that was started: a re-run finds the resource by name and the same idempotency token. */
export interface JournalEntry {
  kind: 'create-intent';
  id: string;
  type: string;
  name: string;
  idempotencyToken: string;
  /** ISO time the intent was written. */
  at: string;
}

/** The apply lock: one applier per environment, with a lease that expires if its holder dies. */
export interface LockInfo {
  holder: string;
  /** ISO time the lock was taken. */
  since: string;
  /** ISO time the lease runs out; an expired lease can be taken over. */
  expiresAt: string;
}

/** Everything the store keeps for one environment (the versioned state format). */
export interface EnvironmentState {
  formatVersion: typeof STATE_FORMAT_VERSION;
  environment: string;
  /** Bumped by every commit; plans carry the revision they were computed against. */
  revision: number;
  resources: Record<string, ResourceState>;
  journal: JournalEntry[];
  lock?: LockInfo;
}

/** One atomic change to an environment's state. */
export interface StateChange {
  put?: Record<string, ResourceState>;
  remove?: string[];
  addIntents?: JournalEntry[];
  /** Logical ids whose create intents are done. */
  clearIntents?: string[];
}

export interface CommitResult {
  revision: number;
}

export interface CommitOptions {
  /** When set, the commit is refused unless this holder owns the (unexpired) lock. */
  holder?: string;
  /** When set, the commit is refused unless the state is still at this revision. */
  expectedRevision?: number;
}

/**
 * Where Patchbay keeps last-applied state, per environment. Implementations: `MemoryStore` (tests),
 * `FileStore` (embedded default). Every method is atomic for its environment.
 */
export interface StateStore {
  /** The environment's state; an empty state at revision 0 if it has none yet. */
  read(environment: string): Promise<EnvironmentState>;
  /** Apply `change` atomically and durably, bump the revision, and return the new revision. */
  commit(environment: string, change: StateChange, options?: CommitOptions): Promise<CommitResult>;
  /** Take the apply lock; throws StateError('locked') naming the holder and since when. */
  acquireLock(environment: string, holder: string, leaseMs: number): Promise<LockInfo>;
  /** Extend the lease of a lock this holder owns. */
  renewLock(environment: string, holder: string, leaseMs: number): Promise<LockInfo>;
  /** Release the lock if this holder owns it. */
  releaseLock(environment: string, holder: string): Promise<void>;
}

export function emptyState(environment: string): EnvironmentState {
  return { formatVersion: STATE_FORMAT_VERSION, environment, revision: 0, resources: {}, journal: [] };
}
