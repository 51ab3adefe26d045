import { classifyNeonError, toNeonProviderError } from './classify-neon-error.js';

/** Run one Neon API call and return its `data`; a failure becomes a classified ProviderError. */
export async function neonCall<T>(
  operation: string,
  resource: string | undefined,
  fn: () => Promise<{ data: T }>,
): Promise<T> {
  try {
    return (await fn()).data;
  } catch (error) {
    throw toNeonProviderError(error, operation, resource);
  }
}

/** Run a read; 404 returns undefined instead of throwing. */
export async function neonRead<T>(
  operation: string,
  resource: string | undefined,
  fn: () => Promise<{ data: T }>,
): Promise<T | undefined> {
  try {
    return (await fn()).data;
  } catch (error) {
    if (classifyNeonError(error) === 'not-found') return undefined;
    throw toNeonProviderError(error, operation, resource);
  }
}
