import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '../errors/provider-error.js';

/** How {@link pollUntil} polls, and what its timeout error says. */
export interface PollUntilOptions {
  /** The provider name the timeout ProviderError carries (`aws`, `gcp`, …). */
  provider: string;
  /** What is awaited, for the timeout message: `RDS instance prod-main to be available`. */
  what: string;
  /** Pause between two polls, in milliseconds. */
  intervalMs: number;
  /** Give up once this long has passed since the first poll, in milliseconds. */
  timeoutMs: number;
  /** The call's signal: an abort stops polling at once, also mid-pause. */
  signal: AbortSignal;
  /** The resource id the timeout error names. */
  resource?: string;
  /**
   * Which errors thrown by one poll count as "not yet" instead of failing the wait, e.g. throttled or
   * transient reads of a long-running operation: re-issuing the write that started it (what an engine
   * retry would do) is worse than polling again. Any other error is rethrown as is.
   * @default undefined — every error of a poll is rethrown
   * @example waitOutError: (error) => ['throttled', 'transient'].includes(classifyMyError(error))
   */
  waitOutError?: (error: unknown) => boolean;
}

/**
 * Call `check` until it returns a value other than `undefined`, pausing `intervalMs` between calls.
 * Polling rather than watching, because many APIs (and proxies) offer no watch. Stops on abort with the
 * signal's reason; after `timeoutMs` it throws a `transient` ProviderError (operation `wait`), so the
 * engine may wait again on a re-run rather than treat the resource as broken.
 *
 * @example
 * const db = await pollUntil(
 *   { provider: 'acme', what: `database ${ref.name} to be ready`, intervalMs: 2_000, timeoutMs: 600_000,
 *     signal: call.signal, resource: ref.id },
 *   async () => {
 *     const current = await api.getDatabase(ref.name);
 *     call.progress(`database ${ref.name}: ${current.state}`);
 *     return current.state === 'ready' ? current : undefined;
 *   },
 * );
 */
export async function pollUntil<T>(
  options: PollUntilOptions,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal.throwIfAborted();
    let value: T | undefined;
    try {
      value = await check();
    } catch (error) {
      if (!options.waitOutError?.(error)) throw error;
    }
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      throw new ProviderError(
        options.provider,
        'wait',
        'transient',
        `gave up waiting for ${options.what} after ${Math.round(options.timeoutMs / 1000)}s`,
        { resource: options.resource },
      );
    }
    await sleep(options.intervalMs, undefined, { signal: options.signal });
  }
}
