import type { Observed, WriteResult } from '@patchbay/core';

/**
 * What a create reports, taken from the fresh read that ends it; one place so every type reports the same
 * fields. `pending` and `managedBy` are left out: they describe a live read, not the write.
 */
export function toWriteResult(observed: Observed): WriteResult {
  return { physicalId: observed.physicalId, attributes: observed.attributes, outputs: observed.outputs };
}
