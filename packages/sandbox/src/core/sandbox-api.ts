import type { ApiError } from './api-error.js';
import type { DefaultRateLimit } from './faults.js';
import type { Collection, ResourceStore, StoredRecord } from './resource-store.js';
import type { SandboxRequest, SandboxResponse } from './sandbox-request.js';

/** What the server hands an API for one request (and for console hooks). */
export interface ApiContext {
  readonly store: ResourceStore;
  /** Shortcut for `store.collection(api.name, kind)`. */
  collection<T = Record<string, unknown>>(kind: string): Collection<T>;
  /** Epoch ms; use it (not Date.now) so time-based transitions stay testable. */
  now(): number;
  /** How long long-running work of `operation` takes (fault rule `operationDelayMs`, else the sandbox default). */
  operationDelayMs(operation: string): number;
  /** The sandbox's base URL (`http://127.0.0.1:PORT`), for self links. */
  readonly baseUrl: string;
}

/** Console hooks an API supplies so out-of-band edits look like the real cloud console's. */
export interface ApiConsole {
  /** Kinds the console lists (internal collections such as idempotency tokens are left out). */
  readonly kinds: readonly string[];
  /**
   * Adds or replaces one tag/label on `record.data` (mutate it). Each API keeps tags its own way:
   * ECS `tags: [{key, value}]`, RDS `TagList: [{Key, Value}]`, EKS/GCP maps, k8s `metadata.labels`.
   */
  tag(kind: string, record: StoredRecord, key: string, value: string, ctx: ApiContext): void;
  /**
   * Called after a console edit or tag was stored, e.g. to bump an etag kept in the data.
   * Optional: tokens derived from `record.generation` need nothing.
   */
  afterWrite?(kind: string, id: string, ctx: ApiContext): void;
  /** Deletes a resource as the console would (default: remove the record). Return false when missing. */
  delete?(kind: string, id: string, ctx: ApiContext): boolean;
  /** Named console actions beyond edit/tag/delete, e.g. RDS `apply-pending` (maintenance window). */
  readonly actions?: Record<string, (kind: string, id: string, ctx: ApiContext) => void>;
}

/**
 * One simulated cloud API. The server picks the first API whose `matches` accepts a request, asks it
 * for the operation name (for counters and faults), applies faults, then calls `handle`.
 */
export interface SandboxApi {
  /** Short name used in counters, faults, console and data files: `ecs`, `rds`, `cloudsql`, `neon`, … */
  readonly name: string;
  /** Whether a request belongs to this API (by SigV4 scope, path prefix, …). */
  matches(request: SandboxRequest): boolean;
  /** The operation a request calls (`UpdateService`, `patch`, `readNamespacedDeployment`…); `unknown` if none. */
  operation(request: SandboxRequest): string;
  /** Handles the request. Throw `ApiError` for API errors; anything else becomes the API's 5xx. */
  handle(request: SandboxRequest, ctx: ApiContext): SandboxResponse | Promise<SandboxResponse>;
  /** Renders an error in the API's own wire shape. */
  errorResponse(error: ApiError, request: SandboxRequest): SandboxResponse;
  /** The API's own throttling error (ECS `ThrottlingException`, RDS `Throttling`, EKS 429 …). */
  throttleError(operation: string): ApiError;
  /** The API's own 5xx error, used by fault `errorRate` and for unexpected handler failures. */
  serverError(operation: string): ApiError;
  /** The real API's published limit for an operation (token bucket); undefined = unlimited. */
  defaultRateLimit?(operation: string): DefaultRateLimit | undefined;
  /**
   * Advances time-based state (CREATING → ACTIVE, deployments, operations finishing) whose time has come.
   * Called before every request to this API and before console reads, so no timers are needed and
   * state survives restarts.
   */
  settle?(ctx: ApiContext): void;
  /** Console hooks; without them the API's records are still listed and edited generically. */
  readonly console?: ApiConsole;
}

/** Builds an API; called once per sandbox. */
export type SandboxApiFactory = () => SandboxApi;
