import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '@patchbay/core';

export interface PollOptions {
  /** What is awaited, for the timeout message (`deployment prod/api available`). */
  what: string;
  intervalMs: number;
  timeoutMs: number;
  signal: AbortSignal;
  resource?: string;
}

/**
 * Call `check` until it returns a value, sleeping `intervalMs` between calls (the sandbox and many
 * clusters forbid or proxy-break watches; polling works everywhere). Stops on abort; gives up after
 * `timeoutMs` with a transient ProviderError, so a re-run waits again.
 */
export async function pollUntil<T>(options: PollOptions, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal.throwIfAborted();
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      throw new ProviderError(
        'k8s',
        'wait',
        'transient',
        `gave up waiting for ${options.what} after ${Math.round(options.timeoutMs / 1000)}s`,
        { resource: options.resource },
      );
    }
    await sleep(options.intervalMs, undefined, { signal: options.signal });
  }
}
