import { type Observed, ProviderError, type ResourceRef } from '@patchbay/core';

/** Refuse to write to a resource another tool (a CloudFormation stack) manages. */
export function assertNotExternallyManaged(ref: ResourceRef, live: Observed): void {
  if (!live.managedBy) return;
  throw new ProviderError(
    'aws',
    'patch',
    'fatal',
    `${ref.name} is managed by ${live.managedBy}; change it there, or remove it from Patchbay's desired resources`,
    { resource: ref.id },
  );
}
