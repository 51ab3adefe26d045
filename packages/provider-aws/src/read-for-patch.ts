import {
  type AttributeChange,
  type JsonValue,
  type Observed,
  type Precondition,
  ProviderError,
  type ResourceRef,
} from '@patchbay/core';
import { assertUnchanged } from './assert-unchanged.js';
import { assertNotExternallyManaged } from './externally-managed.js';

/** How one type reads itself for a patch; what differs per type stays at the call site. */
export interface ReadForPatchOptions<T> {
  /** The fresh read (the type's describe). */
  describe: () => Promise<T | undefined>;
  toObserved: (current: T) => Observed;
  /** The not-found message when the resource is gone (`ECS service prod-api does not exist`). */
  missing: string;
  normalize: (attribute: string, value: JsonValue) => JsonValue;
  maps: readonly string[];
}

/**
 * The guarded read every read-before-write patch opens with, kept in one place. Reads the resource right before a write: not-found if it is gone, refused if another tool manages it,
 * ConflictError if an attribute the patch relies on moved. Returns the raw description and its Observed form.
 */
export async function readForPatch<T>(
  ref: ResourceRef,
  changes: readonly AttributeChange[],
  precondition: Precondition,
  options: ReadForPatchOptions<T>,
): Promise<{ current: T; live: Observed }> {
  const current = await options.describe();
  if (!current)
    throw new ProviderError('aws', 'patch', 'not-found', options.missing, {
      resource: ref.id,
    });
  const live = options.toObserved(current);
  assertNotExternallyManaged(ref, live);
  assertUnchanged(ref.id, live.attributes, precondition, changes, options.normalize, options.maps);
  return { current, live };
}
