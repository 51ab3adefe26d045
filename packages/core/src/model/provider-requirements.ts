import type { ValidationIssue } from '../errors/index.js';
import type { Cloud } from './cloud-schema.js';
import type { Compute } from './compute-schema.js';
import type { Database } from './database-schema.js';

interface Checked {
  cloud: Cloud;
  compute: Compute;
  database?: Database | undefined;
}

/**
 * Combinations every field of which is valid alone but that a cloud API rejects mid-apply (after other
 * resources were already created): caught here, before any call.
 */
export function providerRequirementIssues(env: Checked): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { cloud, compute, database } = env;
  const subnets = cloud.provider === 'aws' ? (cloud.network?.subnets ?? []) : [];
  if (compute.kind === 'fargate') {
    if (subnets.length === 0)
      issues.push({
        path: ['cloud', 'network', 'subnets'],
        message:
          'fargate needs at least one subnet: ECS services on Fargate use awsvpc networking, and CreateService is rejected without subnets',
        received: subnets,
        allowed: 'one or more subnet ids',
      });
    const secretsInjected =
      database?.kind === 'rds'
        ? 'the RDS-managed database secret'
        : database?.kind === 'neon'
          ? "the Neon role's password secret"
          : undefined;
    if (secretsInjected && compute.executionRoleArn === undefined)
      issues.push({
        path: ['compute', 'executionRoleArn'],
        message: `is required with a ${database?.kind} database on fargate: ECS injects ${secretsInjected} as a task secret and reads it with the task execution role; without one the task definition is rejected mid-apply`,
        allowed:
          'an IAM role ARN that may read the secret (e.g. ecsTaskExecutionRole with secretsmanager:GetSecretValue)',
      });
  }
  if (database?.kind === 'neon') {
    if (compute.kind === 'fargate' && database.passwordSecretArn === undefined)
      issues.push({
        path: ['database', 'passwordSecretArn'],
        message:
          "is required with neon on fargate: ECS injects the Neon role's password from a Secrets Manager secret or SSM parameter by ARN, which cannot be derived",
        allowed:
          'arn:aws:secretsmanager:<region>:<account>:secret:<name> | arn:aws:ssm:<region>:<account>:parameter/<name>',
      });
    if (compute.kind !== 'fargate' && database.passwordSecretArn !== undefined)
      issues.push({
        path: ['database', 'passwordSecretArn'],
        message: `is only used on fargate; on ${compute.kind} the password comes from the secret named in docs/engine.md`,
        allowed: 'omit it',
      });
  }
  if (compute.kind === 'kubernetes' && compute.cluster.mode === 'new' && compute.cluster.platform === 'eks') {
    const cluster = compute.cluster;
    if (cluster.clusterRoleArn === undefined)
      issues.push({
        path: ['compute', 'cluster', 'clusterRoleArn'],
        message: 'is required for a new EKS cluster: CreateCluster needs the role EKS acts with',
        allowed: 'an IAM role ARN (AmazonEKSClusterPolicy)',
      });
    if ('instanceType' in cluster.nodes && cluster.nodeRoleArn === undefined)
      issues.push({
        path: ['compute', 'cluster', 'nodeRoleArn'],
        message: 'is required for a managed node group: CreateNodegroup needs the role its nodes run with',
        allowed: 'an IAM role ARN (AmazonEKSWorkerNodePolicy)',
      });
    if (new Set(subnets).size < 2)
      issues.push({
        path: ['cloud', 'network', 'subnets'],
        message: 'a new EKS cluster needs at least two subnets (in different availability zones)',
        received: subnets,
        allowed: 'two or more subnet ids',
      });
  }
  return issues;
}
