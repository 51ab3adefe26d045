import type { EnvironmentState } from './state-store.js';

/**
 * Freeze a value deeply. Stored resource records and journal entries are frozen, so reads can share them
 * instead of deep-copying the whole state (the cost of every plan on a large environment), and a caller
 * that tries to mutate one gets a TypeError instead of silently corrupting the store.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** A copy of the state's containers that shares its (frozen) records: O(resources) pointers, no deep copy. */
export function stateView(state: EnvironmentState): EnvironmentState {
  const view: EnvironmentState = { ...state, resources: { ...state.resources }, journal: [...state.journal] };
  if (state.lock) view.lock = { ...state.lock };
  return view;
}
