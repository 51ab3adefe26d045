import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '@patchbay/core';
import { classifyGcpError } from './classify-gcp-error.js';

export interface PollOptions {
  /** What is awaited, for the timeout message (`Cloud SQL operation … DONE`). */
  what: string;
  intervalMs: number;
  timeoutMs: number;
  signal: AbortSignal;
  resource?: string;
}

/**
 * Call `check` until it returns a value, sleeping `intervalMs` between calls. A throttled or transient
 * error of one poll is waited out like a "not yet": re-issuing the write that started the operation (what
 * an engine retry would do) is worse than polling again. Gives up after `timeoutMs` (transient).
 */
export async function pollUntil<T>(options: PollOptions, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal.throwIfAborted();
    let value: T | undefined;
    try {
      value = await check();
    } catch (error) {
      const kind = classifyGcpError(error);
      if (kind !== 'throttled' && kind !== 'transient') throw error;
    }
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      throw new ProviderError(
        'gcp',
        'wait',
        'transient',
        `gave up waiting for ${options.what} after ${Math.round(options.timeoutMs / 1000)}s`,
        { resource: options.resource },
      );
    }
    await sleep(options.intervalMs, undefined, { signal: options.signal });
  }
}
