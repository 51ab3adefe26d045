import { randomUUID } from 'node:crypto';
import type { ApiContext } from '../../../core/sandbox-api.js';
import { epochSeconds } from '../aws-account.js';
import { type EksEnv, wire } from './eks-env.js';
import { eksError } from './eks-errors.js';
import type { EksCluster, EksNodegroup, EksUpdate } from './eks-records.js';

/** The update in progress on a cluster (`nodegroupName` undefined) or on one node group. */
export function updateInProgress(
  env: EksEnv,
  clusterName: string,
  nodegroupName?: string,
): EksUpdate | undefined {
  return env.updates
    .values()
    .map((r) => r.data)
    .find(
      (u) =>
        u.status === 'InProgress' &&
        u._sandbox.clusterName === clusterName &&
        u._sandbox.nodegroupName === nodegroupName,
    );
}

/** An earlier update sent with the same clientRequestToken (EKS answers it again instead of starting another). */
export function sameTokenUpdate(
  env: EksEnv,
  clusterName: string,
  token: string | undefined,
): EksUpdate | undefined {
  if (!token) return undefined;
  return env.updates
    .values()
    .map((r) => r.data)
    .find((u) => u._sandbox.clusterName === clusterName && u._sandbox.clientRequestToken === token);
}

/** Records a new InProgress update; it completes (and its changes apply) after the operation delay. */
export function startUpdate(
  env: EksEnv,
  operation: string,
  target: { clusterName: string; nodegroupName?: string },
  type: string,
  params: { type: string; value: unknown }[],
  changes: Record<string, unknown>,
  clientRequestToken: string | undefined,
): EksUpdate {
  const now = env.ctx.now();
  const update: EksUpdate = {
    id: randomUUID(),
    status: 'InProgress',
    type,
    params: params.map((p) => ({
      type: p.type,
      value: typeof p.value === 'string' ? p.value : JSON.stringify(p.value),
    })),
    createdAt: epochSeconds(now),
    errors: [],
    _sandbox: {
      ...target,
      settleAt: now + env.ctx.operationDelayMs(operation),
      ...(clientRequestToken ? { clientRequestToken } : {}),
      changes,
    },
  };
  env.updates.put(`${target.clusterName}/${update.id}`, update);
  return update;
}

export function describeUpdate(
  env: EksEnv,
  clusterName: string,
  updateId: string,
  nodegroupName?: string,
): object {
  env.cluster(clusterName);
  const update = env.updates.get(`${clusterName}/${updateId}`)?.data;
  if (!update || update._sandbox.nodegroupName !== nodegroupName)
    throw eksError.updateNotFound(clusterName, updateId);
  return { update: wire(update) };
}

export function listUpdates(env: EksEnv, clusterName: string, nodegroupName?: string): object {
  env.cluster(clusterName);
  const updateIds = env.updates
    .values()
    .map((r) => r.data)
    .filter((u) => u._sandbox.clusterName === clusterName && u._sandbox.nodegroupName === nodegroupName)
    .map((u) => u.id);
  return { updateIds };
}

/** Finishes clusters, node groups and updates whose time has come. */
export function settleEks(ctx: ApiContext): void {
  const now = ctx.now();
  const clusters = ctx.collection<EksCluster>('cluster');
  const nodegroups = ctx.collection<EksNodegroup>('nodegroup');
  const updates = ctx.collection<EksUpdate>('update');
  for (const [id, record] of clusters.entries()) {
    const settleAt = record.data._sandbox.settleAt;
    if (settleAt === undefined || settleAt > now) continue;
    if (record.data.status === 'DELETING') {
      clusters.delete(id);
      for (const [updateId, update] of updates.entries())
        if (update.data._sandbox.clusterName === id) updates.delete(updateId);
      continue;
    }
    clusters.put(id, { ...record.data, status: 'ACTIVE', _sandbox: {} });
  }
  for (const [id, record] of nodegroups.entries()) {
    const settleAt = record.data._sandbox.settleAt;
    if (settleAt === undefined || settleAt > now) continue;
    if (record.data.status === 'DELETING') nodegroups.delete(id);
    else
      nodegroups.put(id, { ...record.data, status: 'ACTIVE', modifiedAt: epochSeconds(now), _sandbox: {} });
  }
  for (const [id, record] of updates.entries()) {
    const update = record.data;
    if (update.status !== 'InProgress' || update._sandbox.settleAt > now) continue;
    const { clusterName, nodegroupName, changes } = update._sandbox;
    if (nodegroupName === undefined) {
      const cluster = clusters.get(clusterName)?.data;
      if (cluster) clusters.put(clusterName, { ...cluster, ...changes, status: 'ACTIVE', _sandbox: {} });
    } else {
      const key = `${clusterName}/${nodegroupName}`;
      const nodegroup = nodegroups.get(key)?.data;
      if (nodegroup) {
        nodegroups.put(key, {
          ...nodegroup,
          ...changes,
          status: 'ACTIVE',
          modifiedAt: epochSeconds(now),
          _sandbox: {},
        });
      }
    }
    updates.put(id, { ...update, status: 'Successful' });
  }
}
