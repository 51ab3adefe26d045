import type { Collection } from '../../../core/resource-store.js';
import type { ApiContext } from '../../../core/sandbox-api.js';
import { awsArn } from '../aws-account.js';
import { ecsError } from './ecs-errors.js';
import type { EcsCluster, EcsService, EcsTaskDefinition } from './ecs-records.js';

/** What every ECS handler works with for one request. */
export class EcsEnv {
  readonly clusters: Collection<EcsCluster>;
  readonly services: Collection<EcsService>;
  readonly taskDefinitions: Collection<EcsTaskDefinition>;

  constructor(
    readonly ctx: ApiContext,
    readonly region: string,
  ) {
    this.clusters = ctx.collection<EcsCluster>('cluster');
    this.services = ctx.collection<EcsService>('service');
    this.taskDefinitions = ctx.collection<EcsTaskDefinition>('taskDefinition');
  }

  arn(resource: string): string {
    return awsArn('ecs', this.region, resource);
  }

  /** Cluster by name or ARN (`default` when omitted); ClusterNotFoundException when missing or INACTIVE. */
  cluster(reference: string | undefined): EcsCluster {
    const name = lastSegment(reference ?? 'default');
    const cluster = this.clusters.get(name)?.data;
    if (cluster?.status !== 'ACTIVE') throw ecsError.clusterNotFound();
    return cluster;
  }

  /** Store id of a service given its cluster and its name or ARN. */
  serviceId(cluster: EcsCluster, reference: string): string {
    return `${cluster.clusterName}/${lastSegment(reference)}`;
  }
}

/** `arn:aws:ecs:…:service/cluster/name` → `name`; a bare name stays as is. */
export function lastSegment(reference: string): string {
  return reference.includes(':') || reference.includes('/') ? reference.split('/').pop()! : reference;
}
