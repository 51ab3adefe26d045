import { randomUUID } from 'node:crypto';
import { ApiError } from './api-error.js';
import { Counters } from './counters.js';
import type { Faults } from './faults.js';
import type { ResourceStore } from './resource-store.js';
import type { ApiContext, SandboxApi } from './sandbox-api.js';
import type { SandboxRequest, SandboxResponse } from './sandbox-request.js';

/** Holds the APIs, store, faults and counters, and runs one request through them. */
export class SandboxRuntime {
  readonly counters = new Counters();
  private readonly contexts = new Map<string, ApiContext>();
  baseUrl = '';

  constructor(
    readonly apis: readonly SandboxApi[],
    readonly store: ResourceStore,
    readonly faults: Faults,
    private readonly defaultOperationDelayMs: number,
  ) {
    const names = new Set<string>();
    for (const api of apis) {
      if (names.has(api.name)) throw new Error(`Two sandbox APIs are named ${api.name}`);
      names.add(api.name);
    }
  }

  api(name: string): SandboxApi | undefined {
    return this.apis.find((api) => api.name === name);
  }

  /** The context handed to `api` (one per API, reused). */
  context(api: SandboxApi): ApiContext {
    let ctx = this.contexts.get(api.name);
    if (!ctx) {
      const runtime = this;
      ctx = {
        store: this.store,
        collection: (kind) => this.store.collection(api.name, kind),
        now: () => Date.now(),
        operationDelayMs: (operation) =>
          this.faults.operationDelayMs(api.name, operation, this.defaultOperationDelayMs),
        get baseUrl() {
          return runtime.baseUrl;
        },
      };
      this.contexts.set(api.name, ctx);
    }
    return ctx;
  }

  /** Brings an API's time-based state up to date. */
  settle(api: SandboxApi): void {
    api.settle?.(this.context(api));
  }

  /** Routes, counts, applies faults and handles one request; undefined when no API claims it. */
  async dispatch(request: SandboxRequest): Promise<SandboxResponse | undefined> {
    const api = this.apis.find((candidate) => candidate.matches(request));
    if (!api) return undefined;
    const operation = api.operation(request);
    const ctx = this.context(api);
    const decision = this.faults.decide(api.name, operation, api.defaultRateLimit?.(operation), ctx.now());
    this.counters.record(api.name, operation, decision.outcome);
    if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
    if (decision.outcome === 'throttled') return api.errorResponse(api.throttleError(operation), request);
    if (decision.outcome === 'faulted') return api.errorResponse(api.serverError(operation), request);
    try {
      this.settle(api);
      return await api.handle(request, ctx);
    } catch (error) {
      if (error instanceof ApiError) return api.errorResponse(error, request);
      // An unexpected handler failure is a sandbox bug: answer like the API's 5xx, but say what broke.
      const failure = api.serverError(operation);
      const detail = error instanceof Error ? error.message : String(error);
      process.emitWarning(`patchbay-sandbox ${api.name}.${operation} failed: ${detail}`);
      return api.errorResponse(
        new ApiError(failure.status, failure.code, `${failure.message} (${detail})`, failure.extra),
        request,
      );
    }
  }

  newRequestId(): string {
    return randomUUID();
  }
}
