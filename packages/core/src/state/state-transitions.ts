import { StateError } from '../errors/state-error.js';
import type { CommitOptions, EnvironmentState, LockInfo, StateChange } from './state-store.js';
import { deepFreeze } from './state-view.js';

/**
 * The state transitions both stores share, so memory and file stores behave the same: a commit,
 * and lock take-over / renewal / release with lease expiry.
 */
/** Applies `change` to `state` in place (it throws before touching anything when refused). */
export function applyStateChange(
  state: EnvironmentState,
  change: StateChange,
  options: CommitOptions,
  now: number,
): EnvironmentState {
  if (options.expectedRevision !== undefined && options.expectedRevision !== state.revision) {
    throw new StateError(
      'revision-mismatch',
      `State of ${state.environment} is at revision ${state.revision}, expected ${options.expectedRevision}; re-plan`,
      { environment: state.environment, revision: state.revision, expected: options.expectedRevision },
    );
  }
  if (options.holder !== undefined) assertHolder(state, options.holder, now);
  // In place, after every check: a commit costs O(size of the change), not O(size of the state).
  for (const [id, record] of Object.entries(change.put ?? {})) state.resources[id] = deepFreeze(record);
  for (const id of change.remove ?? []) delete state.resources[id];
  if (change.clearIntents?.length) {
    const cleared = new Set(change.clearIntents);
    state.journal = state.journal.filter((e) => !cleared.has(e.id));
  }
  if (change.addIntents?.length) state.journal.push(...change.addIntents.map(deepFreeze));
  state.revision += 1;
  return state;
}

export function takeLock(
  state: EnvironmentState,
  holder: string,
  leaseMs: number,
  now: number,
): { state: EnvironmentState; lock: LockInfo } {
  const current = state.lock;
  if (current && current.holder !== holder && Date.parse(current.expiresAt) > now) {
    throw lockedError(state.environment, current);
  }
  const since = current && current.holder === holder ? current.since : new Date(now).toISOString();
  const lock: LockInfo = { holder, since, expiresAt: new Date(now + leaseMs).toISOString() };
  return { state: { ...state, lock }, lock };
}

export function renewLease(
  state: EnvironmentState,
  holder: string,
  leaseMs: number,
  now: number,
): { state: EnvironmentState; lock: LockInfo } {
  assertHolder(state, holder, now);
  return takeLock(state, holder, leaseMs, now);
}

export function dropLock(state: EnvironmentState, holder: string): EnvironmentState {
  if (state.lock?.holder !== holder) return state;
  const { lock: _released, ...rest } = state;
  return rest;
}

function assertHolder(state: EnvironmentState, holder: string, now: number): void {
  const lock = state.lock;
  if (!lock || lock.holder !== holder) {
    if (lock && Date.parse(lock.expiresAt) > now) throw lockedError(state.environment, lock);
    throw new StateError(
      'locked',
      `Apply lock on ${state.environment} is no longer held by ${holder} (its lease expired); re-plan and apply again`,
      { environment: state.environment, holder },
    );
  }
}

function lockedError(environment: string, lock: LockInfo): StateError {
  return new StateError(
    'locked',
    `Environment ${environment} is being applied by ${lock.holder} since ${lock.since} ` +
      `(lease until ${lock.expiresAt}); wait for it to finish or for the lease to expire`,
    { environment, holder: lock.holder, since: lock.since, expiresAt: lock.expiresAt },
  );
}
