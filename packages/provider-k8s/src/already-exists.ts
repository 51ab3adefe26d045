import { ProviderError, type ResourceRef } from '@patchbay/core';
import { k8sStatus, k8sStatusCode } from './classify-k8s-error.js';

/** Whether an error is the API's 409 AlreadyExists (a create of a taken name). */
export function isAlreadyExists(error: unknown): boolean {
  return k8sStatusCode(error) === 409 && k8sStatus(error)?.reason === 'AlreadyExists';
}

/** The error for a create whose name is taken by an object Patchbay did not make for this resource. */
export function notOursError(
  ref: ResourceRef,
  where: string,
  operation: string,
  cause: unknown,
): ProviderError {
  return new ProviderError(
    'k8s',
    operation,
    'conflict',
    `${where} already exists without the ownership labels of ${ref.id} in environment ${ref.environment} (patchbay-environment, patchbay-logical-id): take it over with policy.mode 'adopt', or choose another name`,
    { cause, resource: where },
  );
}
