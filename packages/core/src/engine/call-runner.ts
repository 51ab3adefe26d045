import PQueue from 'p-queue';
import type { EngineEvents } from '../events/engine-events.js';
import type { ApiLimit, CallContext, Provider } from '../provider/provider.js';
import type { EngineClock } from './engine-clock.js';
import type { ResolvedType } from './provider-registry.js';
import type { Redactor } from './redactor.js';
import { backoffDelay, classifyError, type RetryOptions } from './retry-policy.js';

export interface CallRunnerOptions {
  concurrency: number;
  retry: Required<RetryOptions>;
  clock: EngineClock;
  events: EngineEvents;
}

export interface CallOptions {
  resource: string;
  operation: string;
  signal: AbortSignal;
  /** A write on a `serialUpdates` type: at most one in flight per resource. */
  write?: boolean;
  redactor?: Redactor;
  onProgress?: (message: string) => void;
}

/**
 * Runs every provider call: through the per-API, per-provider and global p-queues, retrying throttled and
 * transient errors with full-jitter backoff outside the queues (a sleeping retry holds no slot), and
 * counting calls. The caller classifies what finally fails.
 */
export class CallRunner {
  /** Provider calls started (retries included). */
  calls = 0;
  private readonly global: PQueue;
  private readonly perProvider = new Map<string, PQueue>();
  private readonly perApi = new Map<string, PQueue>();
  private readonly serial = new Map<string, PQueue>();

  constructor(private readonly options: CallRunnerOptions) {
    this.global = new PQueue({ concurrency: options.concurrency });
  }

  async run<T>(resolved: ResolvedType, call: CallOptions, fn: (ctx: CallContext) => Promise<T>): Promise<T> {
    const serial = call.write && resolved.type.serialUpdates ? this.serialQueue(call.resource) : undefined;
    const attemptOnce = () => this.limited(resolved, call, fn);
    const withRetry = () => this.retrying(resolved, call, attemptOnce);
    if (!serial) return withRetry();
    return serial.add(withRetry, { signal: call.signal }) as Promise<T>;
  }

  private async retrying<T>(
    resolved: ResolvedType,
    call: CallOptions,
    attempt: () => Promise<T>,
  ): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (call.signal.aborted) throw error;
        const kind = classifyError(error, resolved.type, resolved.provider);
        if ((kind !== 'throttled' && kind !== 'transient') || n + 1 >= this.options.retry.attempts)
          throw error;
        const delayMs = backoffDelay(this.options.retry, n, this.options.clock.random);
        const message = error instanceof Error ? error.message : String(error);
        this.options.events.emit('retry:scheduled', {
          id: call.resource,
          operation: call.operation,
          attempt: n + 1,
          delayMs,
          errorKind: kind,
          error: call.redactor ? call.redactor.redact(message) : message,
        });
        await this.options.clock.sleep(delayMs, call.signal);
      }
    }
  }

  private limited<T>(
    resolved: ResolvedType,
    call: CallOptions,
    fn: (ctx: CallContext) => Promise<T>,
  ): Promise<T> {
    const api = this.apiQueue(resolved.provider, resolved.api);
    const provider = this.providerQueue(resolved.provider);
    const ctx: CallContext = { signal: call.signal, progress: (message) => call.onProgress?.(message) };
    const signal = call.signal;
    // Only the outermost queue listens to the signal: thousands of queued calls would otherwise add three
    // abort listeners each. Inner queues check it when the call reaches them.
    return api.add(
      () =>
        provider.add(() => {
          signal.throwIfAborted();
          return this.global.add(() => {
            signal.throwIfAborted();
            this.calls++;
            return fn(ctx);
          });
        }),
      { signal },
    ) as Promise<T>;
  }

  private providerQueue(provider: Provider): PQueue {
    let queue = this.perProvider.get(provider.name);
    if (!queue) {
      queue = new PQueue(queueOptions(provider.limits?.default));
      this.perProvider.set(provider.name, queue);
    }
    return queue;
  }

  private apiQueue(provider: Provider, api: string): PQueue {
    const key = `${provider.name}\u0000${api}`;
    let queue = this.perApi.get(key);
    if (!queue) {
      queue = new PQueue(queueOptions(provider.limits?.[api]));
      this.perApi.set(key, queue);
    }
    return queue;
  }

  private serialQueue(resource: string): PQueue {
    let queue = this.serial.get(resource);
    if (!queue) {
      queue = new PQueue({ concurrency: 1 });
      this.serial.set(resource, queue);
    }
    return queue;
  }
}

/** p-queue options for an API limit (exported for tests). */
export function queueOptions(limit: ApiLimit | undefined): ConstructorParameters<typeof PQueue>[0] {
  const concurrency = limit?.concurrency ?? Number.POSITIVE_INFINITY;
  const rate = limit?.ratePerSecond;
  if (!rate || !Number.isFinite(rate) || rate <= 0) return { concurrency };
  // p-queue counts starts per interval: a rate below 1/s becomes 1 start per 1/rate seconds.
  if (rate < 1) return { concurrency, intervalCap: 1, interval: Math.ceil(1000 / rate) };
  return { concurrency, intervalCap: Math.floor(rate), interval: 1000 };
}
