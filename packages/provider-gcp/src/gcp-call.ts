import { toProviderError } from './classify-gcp-error.js';

/** Run a read; an error `absent` recognises (NOT_FOUND) returns undefined instead of throwing. */
export async function gcpRead<T>(
  operation: string,
  resource: string | undefined,
  fn: () => Promise<T>,
  absent: (error: unknown) => boolean,
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (absent(error)) return undefined;
    throw toProviderError(error, operation, resource);
  }
}
