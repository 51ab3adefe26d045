import type { CallContext } from '@patchbay/core';

/** A CallContext for tests: never aborted, records progress messages. */
export function callContext(): CallContext & { messages: string[] } {
  const messages: string[] = [];
  return { signal: new AbortController().signal, progress: (m) => messages.push(m), messages };
}
