import { toProviderError } from './classify-aws-error.js';

/**
 * Run one SDK call; any failure becomes a classified ProviderError (SDK error kept as `cause`), so
 * the engine knows whether to retry without parsing AWS error codes itself.
 */
export async function awsCall<T>(
  operation: string,
  resource: string | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toProviderError(error, operation, resource);
  }
}

/** Run a read; a not-found error returns undefined instead of throwing. */
export async function awsRead<T>(
  operation: string,
  resource: string | undefined,
  fn: () => Promise<T>,
  isNotFound: (error: unknown) => boolean,
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw toProviderError(error, operation, resource);
  }
}
