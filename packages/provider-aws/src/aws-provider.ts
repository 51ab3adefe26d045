import { ECSClient, type ECSClientConfig } from '@aws-sdk/client-ecs';
import { EKSClient } from '@aws-sdk/client-eks';
import { RDSClient } from '@aws-sdk/client-rds';
import { type Provider, ValidationError, type ValidationIssue } from '@patchbay/core';
import type { AwsContext } from './aws-context.js';
import { classifyAwsError } from './classify-aws-error.js';
import { ecsCluster } from './ecs-cluster.js';
import { ecsService } from './ecs-service.js';
import { ecsTaskDefinition } from './ecs-task-definition.js';
import { eksCluster } from './eks-cluster.js';
import { eksNodegroup } from './eks-nodegroup.js';
import { rdsInstance } from './rds-instance.js';

/** Options of the AWS provider. */
export interface AwsOptions {
  /**
   * AWS region of every resource.
   * @example 'eu-west-1'
   */
  region: string;
  /**
   * Static credentials or a credential provider.
   * @default the SDK's default chain (environment, shared config/SSO, container and instance roles)
   */
  credentials?: ECSClientConfig['credentials'];
  /**
   * One endpoint for ECS, RDS and EKS: the Patchbay sandbox or any emulator of these APIs.
   * @default the real regional AWS endpoints
   * @example 'http://127.0.0.1:4510'
   */
  endpoint?: string;
  /**
   * Attempts per SDK call, including the first; the SDK retries throttling and transient errors
   * with backoff. Patchbay's engine retries classified errors on top, so keep this small.
   * @default 3 (the SDK's own default)
   */
  maxAttempts?: number;
  rds?: {
    /**
     * `ApplyImmediately` on every ModifyDBInstance: `false` queues changes for the maintenance
     * window (they show as `pending`, not as drift); `true` applies them now (may restart the instance).
     * @default false
     */
    applyImmediately?: boolean;
    /**
     * Delete instances without a final snapshot.
     * @default false (a final snapshot `<identifier>-final-<UTC timestamp>` is taken)
     */
    skipFinalSnapshot?: boolean;
    /**
     * Master user name for new instances (its password is generated and kept by AWS Secrets Manager).
     * @default 'patchbay'
     */
    masterUsername?: string;
  };
  /** Prebuilt SDK clients (custom middleware, proxies, tests); the options above then do not apply to them. */
  clients?: { ecs?: ECSClient; rds?: RDSClient; eks?: EKSClient };
  /**
   * Interval between status polls while waiting for long operations.
   * @default 5000 (ms)
   */
  pollIntervalMs?: number;
  /**
   * Longest wait for one operation to settle, in ms.
   * @default { ecs: 900_000, rds: 3_600_000, eks: 3_600_000 }
   */
  waitTimeoutMs?: { ecs?: number; rds?: number; eks?: number };
}

/**
 * The AWS provider: ECS on Fargate (cluster, task definition, service), RDS for PostgreSQL and EKS
 * (cluster, managed node group).
 *
 * @example
 * const provider = aws({ region: 'eu-west-1' });
 * const local = aws({ region: 'us-east-1', endpoint: sandbox.endpoints.aws, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 */
export const aws = (options: AwsOptions): Provider => {
  validateOptions(options);
  const clientConfig = {
    region: options.region,
    credentials: options.credentials,
    endpoint: options.endpoint,
    maxAttempts: options.maxAttempts,
  };
  const ctx: AwsContext = {
    ecs: options.clients?.ecs ?? new ECSClient(clientConfig),
    rds: options.clients?.rds ?? new RDSClient(clientConfig),
    eks: options.clients?.eks ?? new EKSClient(clientConfig),
    region: options.region,
    pollIntervalMs: options.pollIntervalMs ?? 5000,
    rdsApplyImmediately: options.rds?.applyImmediately ?? false,
    rdsSkipFinalSnapshot: options.rds?.skipFinalSnapshot ?? false,
    rdsMasterUsername: options.rds?.masterUsername ?? 'patchbay',
    waitTimeoutMs: {
      ecs: options.waitTimeoutMs?.ecs ?? 900_000,
      rds: options.waitTimeoutMs?.rds ?? 3_600_000,
      eks: options.waitTimeoutMs?.eks ?? 3_600_000,
    },
  };
  return {
    name: 'aws',
    types: {
      'aws.ecs.cluster': ecsCluster(ctx),
      'aws.ecs.task-definition': ecsTaskDefinition(ctx),
      'aws.ecs.service': ecsService(ctx),
      'aws.rds.instance': rdsInstance(ctx),
      'aws.eks.cluster': eksCluster(ctx),
      'aws.eks.nodegroup': eksNodegroup(ctx),
    },
    // AWS throttles per account and region with token buckets; these stay under the documented
    // sustained rates (see the README's "Rate limits" for sources) and leave room for other tools.
    limits: {
      default: { concurrency: 16 },
      ecs: { concurrency: 8, ratePerSecond: 20 },
      rds: { concurrency: 4, ratePerSecond: 12 },
      eks: { concurrency: 4, ratePerSecond: 10 },
    },
    classifyError: classifyAwsError,
  };
};

function validateOptions(options: AwsOptions): void {
  const issues: ValidationIssue[] = [];
  if (typeof options?.region !== 'string' || !/^[a-z]{2}(-[a-z0-9]+)+-\d+$/.test(options.region)) {
    issues.push({
      path: ['region'],
      message: 'must be an AWS region name',
      received: options?.region,
      allowed: 'e.g. "us-east-1", "eu-west-1"',
    });
  }
  if (options?.endpoint !== undefined && !URL.canParse(options.endpoint)) {
    issues.push({ path: ['endpoint'], message: 'must be an absolute URL', received: options.endpoint });
  }
  if (
    options?.maxAttempts !== undefined &&
    !(Number.isInteger(options.maxAttempts) && options.maxAttempts >= 1)
  ) {
    issues.push({
      path: ['maxAttempts'],
      message: 'must be a whole number ≥ 1',
      received: options.maxAttempts,
      allowed: 'integers ≥ 1',
    });
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
  for (const api of ['ecs', 'rds', 'eks'] as const) {
    const t = options?.waitTimeoutMs?.[api];
    if (t !== undefined && !(Number.isFinite(t) && t > 0)) {
      issues.push({ path: ['waitTimeoutMs', api], message: 'must be a number of ms > 0', received: t });
    }
  }
  const user = options?.rds?.masterUsername;
  if (user !== undefined && !/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(user)) {
    issues.push({
      path: ['rds', 'masterUsername'],
      message: 'is not a valid PostgreSQL master user name',
      received: user,
      allowed: 'a letter, then up to 62 letters, digits or underscores',
    });
  }
  if (issues.length > 0) throw new ValidationError('aws() options', issues);
}
