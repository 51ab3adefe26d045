import { k8sStatusCode, toProviderError } from './classify-k8s-error.js';

/** Run one API call; any failure becomes a classified ProviderError (the client error kept as `cause`). */
export async function k8sCall<T>(operation: string, resource: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toProviderError(error, operation, resource);
  }
}

/** Run a read; 404 returns undefined instead of throwing. */
export async function k8sRead<T>(
  operation: string,
  resource: string,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (k8sStatusCode(error) === 404) return undefined;
    throw toProviderError(error, operation, resource);
  }
}
