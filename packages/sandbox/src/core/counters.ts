/** Per-operation call figures. */
export interface CallCount {
  /** Every request that reached the API, including throttled and fault-failed ones (so SDK retries show). */
  calls: number;
  /** Of `calls`: answered with the API's throttling error (fault `throttleRate` or the token bucket). */
  throttled: number;
  /** Of `calls`: answered with an injected 5xx (fault `errorRate`). */
  faulted: number;
}

/**
 * Call counters per API and operation, keyed `api.Operation` (`ecs.UpdateService`, `cloudsql.patch`).
 * Readable by tests and benchmarks; the admin surface serves them at `GET /_sandbox/counters`.
 */
export class Counters {
  private readonly counts = new Map<string, CallCount>();

  /** @internal */
  record(api: string, operation: string, outcome: 'ok' | 'throttled' | 'faulted'): void {
    const key = `${api}.${operation}`;
    const count = this.counts.get(key) ?? { calls: 0, throttled: 0, faulted: 0 };
    count.calls += 1;
    if (outcome === 'throttled') count.throttled += 1;
    if (outcome === 'faulted') count.faulted += 1;
    this.counts.set(key, count);
  }

  /** Calls (throttled and faulted included) to one operation. */
  get(api: string, operation: string): number {
    return this.counts.get(`${api}.${operation}`)?.calls ?? 0;
  }

  /** Full figures for one operation. */
  detail(api: string, operation: string): CallCount {
    return { ...(this.counts.get(`${api}.${operation}`) ?? { calls: 0, throttled: 0, faulted: 0 }) };
  }

  /** `{ 'ecs.UpdateService': 3, … }`: calls per operation, throttled and faulted included. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(
      [...this.counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v.calls]),
    );
  }

  /** `{ 'ecs.UpdateService': { calls, throttled, faulted }, … }`. */
  details(): Record<string, CallCount> {
    return Object.fromEntries(
      [...this.counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }]),
    );
  }

  /** Total calls, for one API or all. */
  total(api?: string): number {
    return this.sum('calls', api);
  }

  /** Total throttled answers, for one API or all. */
  throttled(api?: string): number {
    return this.sum('throttled', api);
  }

  /** Total injected 5xx answers, for one API or all. */
  faulted(api?: string): number {
    return this.sum('faulted', api);
  }

  reset(): void {
    this.counts.clear();
  }

  private sum(field: keyof CallCount, api?: string): number {
    let total = 0;
    for (const [key, count] of this.counts) {
      if (api === undefined || key.startsWith(`${api}.`)) total += count[field];
    }
    return total;
  }
}
