import type { ECSClient } from '@aws-sdk/client-ecs';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { RDSClient } from '@aws-sdk/client-rds';

/** What every AWS resource type shares: the SDK clients and the resolved provider options. */
export interface AwsContext {
  ecs: ECSClient;
  rds: RDSClient;
  eks: EKSClient;
  region: string;
  pollIntervalMs: number;
  rdsApplyImmediately: boolean;
  rdsSkipFinalSnapshot: boolean;
  rdsMasterUsername: string;
  /** Longest wait for a create/update/delete to settle, per API. */
  waitTimeoutMs: { ecs: number; rds: number; eks: number };
}
