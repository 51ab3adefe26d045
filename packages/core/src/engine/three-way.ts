import { isDeepStrictEqual } from 'node:util';
import type { JsonValue } from '../resources/resource-spec.js';
import type { AttributeCase } from './plan-types.js';

/** Marks a desired value that refers to an output not known until apply. */
export const KNOWN_AFTER_APPLY: unique symbol = Symbol('known-after-apply');

export interface ThreeWayInput {
  /** D (normalized; a hash for sensitive attributes), or KNOWN_AFTER_APPLY. */
  desired: JsonValue | undefined | typeof KNOWN_AFTER_APPLY;
  /** L. */
  lastApplied: JsonValue | undefined;
  /** O; only meaningful when `observedKnown`. */
  observed: JsonValue | undefined;
  /** Whether the resource was read (otherwise only D and L are compared). */
  observedKnown: boolean;
  /** A value the provider reports as requested but not yet in effect. */
  pending?: JsonValue;
  /** The user forces this attribute over a conflicting live value. */
  forced?: boolean;
  /** L has never held this attribute: Patchbay takes ownership now, so any live value is patched. */
  newlyOwned?: boolean;
}

/** The DESIGN.md 3-way table for one attribute. */
export function threeWay(input: ThreeWayInput): AttributeCase {
  const { desired, lastApplied, observed, observedKnown } = input;
  if (desired === KNOWN_AFTER_APPLY) return 'known-after-apply';
  const eq = isDeepStrictEqual;
  if (eq(desired, lastApplied)) {
    if (!observedKnown || eq(observed, lastApplied)) return 'unchanged';
    // Requested and waiting (e.g. for a maintenance window): not drift.
    if (input.pending !== undefined && eq(input.pending, lastApplied)) return 'unchanged';
    return 'drift-kept';
  }
  if (!observedKnown) return 'patch';
  if (input.pending !== undefined && eq(input.pending, desired)) return 'pending';
  if (eq(observed, desired)) return 'already';
  if (eq(observed, lastApplied) || input.newlyOwned) return 'patch';
  return input.forced ? 'forced' : 'conflict';
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b);
}
