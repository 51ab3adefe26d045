import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '@patchbay/core';

export interface PollOptions {
  /** What is awaited, for progress and the timeout message (`RDS instance prod-main available`). */
  what: string;
  intervalMs: number;
  timeoutMs: number;
  signal: AbortSignal;
  resource?: string;
}

/**
 * Call `check` until it returns a value, sleeping `intervalMs` between calls. Stops on abort; gives up
 * after `timeoutMs` with a transient ProviderError (the engine may wait again on a re-run).
 */
export async function pollUntil<T>(options: PollOptions, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal.throwIfAborted();
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      throw new ProviderError(
        'aws',
        'wait',
        'transient',
        `gave up waiting for ${options.what} after ${Math.round(options.timeoutMs / 1000)}s`,
        { resource: options.resource },
      );
    }
    await sleep(options.intervalMs, undefined, { signal: options.signal });
  }
}
