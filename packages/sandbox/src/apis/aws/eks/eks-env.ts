import type { Collection } from '../../../core/resource-store.js';
import type { ApiContext } from '../../../core/sandbox-api.js';
import { awsArn } from '../aws-account.js';
import { eksError } from './eks-errors.js';
import type { EksCluster, EksNodegroup, EksUpdate } from './eks-records.js';

/** What every EKS handler works with for one request. */
export class EksEnv {
  readonly clusters: Collection<EksCluster>;
  readonly nodegroups: Collection<EksNodegroup>;
  readonly updates: Collection<EksUpdate>;

  constructor(
    readonly ctx: ApiContext,
    readonly region: string,
  ) {
    this.clusters = ctx.collection<EksCluster>('cluster');
    this.nodegroups = ctx.collection<EksNodegroup>('nodegroup');
    this.updates = ctx.collection<EksUpdate>('update');
  }

  arn(resource: string): string {
    return awsArn('eks', this.region, resource);
  }

  cluster(name: string): EksCluster {
    const cluster = this.clusters.get(name)?.data;
    if (!cluster) throw eksError.clusterNotFound(name);
    return cluster;
  }

  nodegroup(clusterName: string, name: string): EksNodegroup {
    this.cluster(clusterName);
    const nodegroup = this.nodegroups.get(`${clusterName}/${name}`)?.data;
    if (!nodegroup) throw eksError.nodegroupNotFound(clusterName, name);
    return nodegroup;
  }
}

/** The wire shape: no sandbox bookkeeping. */
export function wire<T extends { _sandbox: unknown }>(record: T): Omit<T, '_sandbox'> {
  const { _sandbox: _internal, ...rest } = record;
  return rest;
}
