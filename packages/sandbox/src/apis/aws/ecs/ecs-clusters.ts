import { parseInput } from '../../../protocols/aws/parse-input.js';
import { type EcsEnv, lastSegment } from './ecs-env.js';
import { ecsError } from './ecs-errors.js';
import type { EcsCluster } from './ecs-records.js';
import { createClusterInput, deleteClusterInput, describeClustersInput } from './ecs-schemas.js';

export function createCluster(body: unknown, env: EcsEnv): object {
  const input = parseInput(createClusterInput, body, 'InvalidParameterException');
  const name = input.clusterName ?? 'default';
  const existing = env.clusters.get(name)?.data;
  // CreateCluster is idempotent for an ACTIVE cluster of the same name: it answers with the cluster.
  if (existing?.status === 'ACTIVE') return { cluster: withoutTags(existing) };
  const cluster: EcsCluster = {
    clusterArn: env.arn(`cluster/${name}`),
    clusterName: name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: 0,
    pendingTasksCount: 0,
    activeServicesCount: 0,
    statistics: [],
    tags: input.tags ?? [],
    settings: input.settings ?? [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: input.capacityProviders ?? [],
    defaultCapacityProviderStrategy: input.defaultCapacityProviderStrategy ?? [],
    ...(input.configuration ? { configuration: input.configuration } : {}),
  };
  env.clusters.put(name, cluster);
  return { cluster: withoutTags(cluster) };
}

export function describeClusters(body: unknown, env: EcsEnv): object {
  const input = parseInput(describeClustersInput, body, 'InvalidParameterException');
  const includeTags = input.include?.includes('TAGS') ?? false;
  const clusters: object[] = [];
  const failures: object[] = [];
  for (const reference of input.clusters ?? ['default']) {
    const cluster = env.clusters.get(lastSegment(reference))?.data;
    if (!cluster) failures.push({ arn: env.arn(`cluster/${lastSegment(reference)}`), reason: 'MISSING' });
    else clusters.push(includeTags ? withCounts(cluster, env) : withoutTags(withCounts(cluster, env)));
  }
  return { clusters, failures };
}

export function deleteCluster(body: unknown, env: EcsEnv): object {
  const input = parseInput(deleteClusterInput, body, 'InvalidParameterException');
  const cluster = env.cluster(input.cluster);
  const active = env.services
    .values()
    .some((s) => s.data.clusterArn === cluster.clusterArn && s.data.status !== 'INACTIVE');
  if (active) throw ecsError.clusterContainsServices();
  const deleted: EcsCluster = { ...cluster, status: 'INACTIVE' };
  // Real ECS keeps an INACTIVE cluster visible to DescribeClusters for a while; so does the sandbox.
  env.clusters.put(cluster.clusterName, deleted);
  return { cluster: withoutTags(deleted) };
}

function withCounts(cluster: EcsCluster, env: EcsEnv): EcsCluster {
  const services = env.services.values().filter((s) => s.data.clusterArn === cluster.clusterArn);
  return {
    ...cluster,
    activeServicesCount: services.filter((s) => s.data.status === 'ACTIVE').length,
    runningTasksCount: services.reduce((sum, s) => sum + s.data.runningCount, 0),
    pendingTasksCount: services.reduce((sum, s) => sum + s.data.pendingCount, 0),
  };
}

function withoutTags(cluster: EcsCluster): Omit<EcsCluster, 'tags'> {
  const { tags: _tags, ...rest } = cluster;
  return rest;
}
