import type { ErrorClass } from '@patchbay/core';
import { FlagsApiError } from './flags-client.js';

/** How the engine should treat a flags API error: 429 is retried, 5xx and network errors too. */
export function classifyFlagsError(error: unknown): ErrorClass {
  if (error instanceof FlagsApiError) {
    if (error.status === 429) return 'throttled';
    if (error.status >= 500) return 'transient';
    if (error.status === 404) return 'not-found';
    if (error.status === 409 || error.status === 412) return 'conflict';
    return 'fatal';
  }
  // fetch rejects with a TypeError when the connection fails.
  if (error instanceof TypeError) return 'transient';
  return 'fatal';
}
