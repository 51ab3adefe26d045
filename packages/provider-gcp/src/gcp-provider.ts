import { v1 as container } from '@google-cloud/container';
import { v2 as run } from '@google-cloud/run';
import { v1 as sql } from '@google-cloud/sql';
import { type Provider, ValidationError, type ValidationIssue } from '@patchbay/core';
import { classifyGcpError } from './classify-gcp-error.js';
import { cloudRunService } from './cloud-run-service.js';
import { cloudSqlInstance } from './cloud-sql-instance.js';
import type { GcpContext } from './gcp-context.js';
import { gkeCluster } from './gke-cluster.js';
import { gkeNodePool } from './gke-node-pool.js';

/** Options of the GCP provider. */
export interface GcpOptions {
  /**
   * Project id every resource lives in.
   * @example 'acme-prod'
   */
  project: string;
  /**
   * Default region: where resources are looked up by name before they exist (a resource's own `region` /
   * `location` attribute decides where it is created).
   * @example 'europe-west1'
   */
  region: string;
  /**
   * Host of every Google API (the sandbox, an emulator, a private endpoint); passed to the clients.
   * @default the public `*.googleapis.com` hosts
   * @example '127.0.0.1'
   */
  apiEndpoint?: string;
  /** Port of `apiEndpoint`. @default 443 */
  port?: number;
  /** `http` for a local endpoint. @default 'https' */
  protocol?: 'http' | 'https';
  /**
   * REST (`true`) instead of gRPC for Cloud Run and GKE. Cloud SQL always uses REST (its gRPC surface is
   * unreliable), whatever this says.
   * @default false
   */
  fallback?: boolean;
  /**
   * An auth client (google-auth-library `AuthClient`, or the sandbox's stub). Without it, credentials come
   * from Google's application default credentials chain (GOOGLE_APPLICATION_CREDENTIALS, gcloud, metadata server).
   */
  authClient?: unknown;
  /** Prebuilt clients (proxies, custom auth, tests); the endpoint options above then do not apply to them. */
  clients?: {
    run?: run.ServicesClient;
    sqlInstances?: sql.SqlInstancesServiceClient;
    sqlOperations?: sql.SqlOperationsServiceClient;
    gke?: container.ClusterManagerClient;
  };
  /**
   * Interval between polls of a long-running operation.
   * @default 5000 (ms)
   */
  pollIntervalMs?: number;
  /**
   * Longest wait for one operation, in ms; then a `transient` ProviderError.
   * @default { run: 900_000, sql: 3_600_000, gke: 3_600_000 }
   */
  waitTimeoutMs?: { run?: number; sql?: number; gke?: number };
}

/**
 * The GCP provider: Cloud Run (v2) services, Cloud SQL instances, GKE clusters and node pools.
 *
 * @example
 * const provider = gcp({ project: 'acme-prod', region: 'europe-west1' }); // application default credentials
 * const local = gcp({ project: 'demo-project', region: 'europe-west1', ...googleClientOptions(sandbox) });
 */
export const gcp = (options: GcpOptions): Provider => {
  validateOptions(options);
  const common = {
    ...(options.apiEndpoint !== undefined ? { apiEndpoint: options.apiEndpoint } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
    ...(options.authClient !== undefined ? { authClient: options.authClient as never } : {}),
    projectId: options.project,
  };
  const grpcOrRest = { ...common, ...(options.fallback !== undefined ? { fallback: options.fallback } : {}) };
  const rest = { ...common, fallback: true };
  const ctx: GcpContext = {
    project: options.project,
    region: options.region,
    run: options.clients?.run ?? new run.ServicesClient(grpcOrRest),
    sqlInstances: options.clients?.sqlInstances ?? new sql.SqlInstancesServiceClient(rest),
    sqlOperations: options.clients?.sqlOperations ?? new sql.SqlOperationsServiceClient(rest),
    gke: options.clients?.gke ?? new container.ClusterManagerClient(grpcOrRest),
    pollIntervalMs: options.pollIntervalMs ?? 5000,
    waitTimeoutMs: {
      run: options.waitTimeoutMs?.run ?? 900_000,
      sql: options.waitTimeoutMs?.sql ?? 3_600_000,
      gke: options.waitTimeoutMs?.gke ?? 3_600_000,
    },
  };
  return {
    name: 'gcp',
    types: {
      'gcp.run.service': cloudRunService(ctx),
      'gcp.sql.instance': cloudSqlInstance(ctx),
      'gcp.gke.cluster': gkeCluster(ctx),
      'gcp.gke.nodepool': gkeNodePool(ctx),
    },
    // Google's default quotas (README, "Limits"): Cloud Run 180 writes and 1,000 reads a minute per region,
    // Cloud SQL Admin 180 requests a minute per user, GKE 3,000 requests a minute per project. Polls of
    // long-running operations share them, so these stay below.
    limits: {
      default: { concurrency: 16 },
      cloudrun: { concurrency: 8, ratePerSecond: 3 },
      cloudsql: { concurrency: 4, ratePerSecond: 2 },
      gke: { concurrency: 4, ratePerSecond: 20 },
    },
    classifyError: classifyGcpError,
  };
};

function validateOptions(options: GcpOptions): void {
  const issues: ValidationIssue[] = [];
  if (typeof options?.project !== 'string' || !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(options.project)) {
    issues.push({
      path: ['project'],
      message: 'must be a GCP project id',
      received: options?.project,
      allowed: '6-30 lowercase letters, digits and hyphens, starting with a letter',
    });
  }
  if (typeof options?.region !== 'string' || !/^[a-z]+-[a-z]+\d{1,2}$/.test(options.region)) {
    issues.push({
      path: ['region'],
      message: 'must be a GCP region',
      received: options?.region,
      allowed: 'e.g. "europe-west1", "us-central1"',
    });
  }
  if (
    options?.apiEndpoint !== undefined &&
    (typeof options.apiEndpoint !== 'string' ||
      options.apiEndpoint === '' ||
      options.apiEndpoint.includes('/'))
  ) {
    issues.push({
      path: ['apiEndpoint'],
      message: 'must be a host name (no scheme, no path)',
      received: options.apiEndpoint,
      allowed: 'e.g. "127.0.0.1", "run.googleapis.com"',
    });
  }
  if (
    options?.port !== undefined &&
    !(Number.isInteger(options.port) && options.port > 0 && options.port < 65536)
  ) {
    issues.push({
      path: ['port'],
      message: 'must be a TCP port',
      received: options.port,
      allowed: '1-65535',
    });
  }
  if (options?.protocol !== undefined && options.protocol !== 'http' && options.protocol !== 'https') {
    issues.push({
      path: ['protocol'],
      message: 'is not a protocol the clients speak',
      received: options.protocol,
      allowed: ['http', 'https'],
    });
  }
  if (options?.fallback !== undefined && typeof options.fallback !== 'boolean') {
    issues.push({ path: ['fallback'], message: 'must be true or false', received: options.fallback });
  }
  if (
    options?.pollIntervalMs !== undefined &&
    !(Number.isFinite(options.pollIntervalMs) && options.pollIntervalMs >= 0)
  ) {
    issues.push({
      path: ['pollIntervalMs'],
      message: 'must be a number of ms ≥ 0',
      received: options.pollIntervalMs,
    });
  }
  for (const api of ['run', 'sql', 'gke'] as const) {
    const t = options?.waitTimeoutMs?.[api];
    if (t !== undefined && !(Number.isFinite(t) && t > 0)) {
      issues.push({ path: ['waitTimeoutMs', api], message: 'must be a number of ms > 0', received: t });
    }
  }
  if (issues.length > 0) throw new ValidationError('gcp() options', issues);
}
