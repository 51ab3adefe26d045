import type { v1 as container } from '@google-cloud/container';
import type { v2 as run } from '@google-cloud/run';
import type { v1 as sql } from '@google-cloud/sql';

/** What every GCP resource type shares: the clients and the resolved provider options. */
export interface GcpContext {
  project: string;
  /** Default region: where resources are looked up by name before they exist. */
  region: string;
  run: run.ServicesClient;
  sqlInstances: sql.SqlInstancesServiceClient;
  sqlOperations: sql.SqlOperationsServiceClient;
  gke: container.ClusterManagerClient;
  pollIntervalMs: number;
  /** Longest wait for one long-running operation, per API. */
  waitTimeoutMs: { run: number; sql: number; gke: number };
}
