import {
  type CommitOptions,
  type CommitResult,
  type EnvironmentState,
  emptyState,
  type LockInfo,
  type StateChange,
  type StateStore,
} from './state-store.js';
import { applyStateChange, dropLock, renewLease, takeLock } from './state-transitions.js';
import { stateView } from './state-view.js';

export interface MemoryStoreOptions {
  /** Clock for lease expiry. @default Date.now */
  now?: () => number;
}

/** A state store in process memory: for tests and short-lived programs. Reads return views whose records are frozen. */
export class MemoryStore implements StateStore {
  private readonly states = new Map<string, EnvironmentState>();
  private readonly now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async read(environment: string): Promise<EnvironmentState> {
    return stateView(this.get(environment));
  }

  async commit(environment: string, change: StateChange, options: CommitOptions = {}): Promise<CommitResult> {
    const next = applyStateChange(this.get(environment), structuredClone(change), options, this.now());
    this.states.set(environment, next);
    return { revision: next.revision };
  }

  async acquireLock(environment: string, holder: string, leaseMs: number): Promise<LockInfo> {
    const { state, lock } = takeLock(this.get(environment), holder, leaseMs, this.now());
    this.states.set(environment, state);
    return { ...lock };
  }

  async renewLock(environment: string, holder: string, leaseMs: number): Promise<LockInfo> {
    const { state, lock } = renewLease(this.get(environment), holder, leaseMs, this.now());
    this.states.set(environment, state);
    return { ...lock };
  }

  async releaseLock(environment: string, holder: string): Promise<void> {
    this.states.set(environment, dropLock(this.get(environment), holder));
  }

  private get(environment: string): EnvironmentState {
    let state = this.states.get(environment);
    if (!state) {
      state = emptyState(environment);
      this.states.set(environment, state);
    }
    return state;
  }
}
