import { randomUUID } from 'node:crypto';
import { parseInput } from '../../../protocols/aws/parse-input.js';
import { epochSeconds } from '../aws-account.js';
import { type EksEnv, wire } from './eks-env.js';
import { eksError } from './eks-errors.js';
import type { EksNodegroup } from './eks-records.js';
import {
  createNodegroupInput,
  updateNodegroupConfigInput,
  updateNodegroupVersionInput,
} from './eks-schemas.js';
import { sameTokenUpdate, startUpdate, updateInProgress } from './eks-updates.js';

/** Node group fields fixed at creation: changing them means a new node group. */
const IMMUTABLE = [
  'instanceTypes',
  'amiType',
  'capacityType',
  'diskSize',
  'subnets',
  'nodeRole',
  'remoteAccess',
];

interface Scaling {
  minSize: number;
  maxSize: number;
  desiredSize: number;
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export function createNodegroup(clusterName: string, body: unknown, env: EksEnv): object {
  const input = parseInput(createNodegroupInput, body, 'InvalidParameterException');
  const cluster = env.cluster(clusterName);
  const id = `${clusterName}/${input.nodegroupName}`;
  const existing = env.nodegroups.get(id)?.data;
  if (existing) {
    if (input.clientRequestToken && existing._sandbox.clientRequestToken === input.clientRequestToken) {
      return { nodegroup: wire(existing) };
    }
    throw eksError.inUse(
      `NodeGroup already exists with name ${input.nodegroupName} and cluster name ${clusterName}`,
      {
        clusterName,
        nodegroupName: input.nodegroupName,
      },
    );
  }
  if (cluster.status !== 'ACTIVE') {
    throw eksError.invalidRequest(`Cluster '${clusterName}' is not in ACTIVE status`, { clusterName });
  }
  const scalingConfig = { minSize: 1, maxSize: 2, desiredSize: 2, ...input.scalingConfig };
  checkScaling(scalingConfig, clusterName, input.nodegroupName);
  const version = input.version ?? cluster.version;
  if (version !== cluster.version) {
    throw eksError.invalidParameter(
      `Node group version ${version} must match the cluster version ${cluster.version}.`,
      {
        clusterName,
      },
    );
  }
  const now = env.ctx.now();
  const nodegroup: EksNodegroup = {
    nodegroupName: input.nodegroupName,
    nodegroupArn: env.arn(`nodegroup/${clusterName}/${input.nodegroupName}/${randomUUID()}`),
    clusterName,
    version,
    releaseVersion: input.releaseVersion ?? `${version}.0-20250101`,
    createdAt: epochSeconds(now),
    modifiedAt: epochSeconds(now),
    status: 'CREATING',
    capacityType: input.capacityType ?? 'ON_DEMAND',
    scalingConfig,
    instanceTypes: input.instanceTypes ?? ['t3.medium'],
    subnets: input.subnets,
    ...(input.remoteAccess ? { remoteAccess: input.remoteAccess } : {}),
    amiType: input.amiType ?? 'AL2023_x86_64_STANDARD',
    nodeRole: input.nodeRole,
    labels: input.labels ?? {},
    taints: input.taints ?? [],
    resources: { autoScalingGroups: [{ name: `eks-${input.nodegroupName}-${randomUUID()}` }] },
    diskSize: input.diskSize ?? 20,
    health: { issues: [] },
    updateConfig: input.updateConfig ?? { maxUnavailable: 1 },
    ...(input.launchTemplate ? { launchTemplate: input.launchTemplate } : {}),
    tags: input.tags ?? {},
    _sandbox: {
      settleAt: now + env.ctx.operationDelayMs('CreateNodegroup'),
      ...(input.clientRequestToken ? { clientRequestToken: input.clientRequestToken } : {}),
    },
  };
  env.nodegroups.put(id, nodegroup);
  return { nodegroup: wire(nodegroup) };
}

export function describeNodegroup(clusterName: string, name: string, env: EksEnv): object {
  return { nodegroup: wire(env.nodegroup(clusterName, name)) };
}

export function listNodegroups(clusterName: string, env: EksEnv): object {
  env.cluster(clusterName);
  return {
    nodegroups: env.nodegroups
      .values()
      .filter((r) => r.data.clusterName === clusterName)
      .map((r) => r.data.nodegroupName),
  };
}

export function deleteNodegroup(clusterName: string, name: string, env: EksEnv): object {
  const nodegroup = env.nodegroup(clusterName, name);
  if (nodegroup.status === 'DELETING') {
    throw eksError.inUse(`Nodegroup ${name} is already being deleted.`, { clusterName, nodegroupName: name });
  }
  const deleting: EksNodegroup = {
    ...nodegroup,
    status: 'DELETING',
    _sandbox: { settleAt: env.ctx.now() + env.ctx.operationDelayMs('DeleteNodegroup') },
  };
  env.nodegroups.put(`${clusterName}/${name}`, deleting);
  return { nodegroup: wire(deleting) };
}

export function updateNodegroupConfig(clusterName: string, name: string, body: unknown, env: EksEnv): object {
  rejectImmutable(body, clusterName, name);
  const input = parseInput(updateNodegroupConfigInput, body, 'InvalidParameterException');
  const nodegroup = env.nodegroup(clusterName, name);
  const repeated = sameTokenUpdate(env, clusterName, input.clientRequestToken);
  if (repeated) return { update: wire(repeated) };
  requireUpdatable(nodegroup, env);

  const params: { type: string; value: unknown }[] = [];
  const changes: Record<string, unknown> = {};
  if (input.scalingConfig) {
    const scaling = { ...(nodegroup.scalingConfig as Scaling), ...input.scalingConfig };
    checkScaling(scaling, clusterName, name);
    changes.scalingConfig = scaling;
    for (const [key, value] of Object.entries(input.scalingConfig)) {
      params.push({ type: key[0]!.toUpperCase() + key.slice(1), value: String(value) });
    }
  }
  if (input.labels) {
    const labels = { ...(nodegroup.labels as Record<string, string>), ...input.labels.addOrUpdateLabels };
    for (const key of input.labels.removeLabels ?? []) delete labels[key];
    changes.labels = labels;
    if (input.labels.addOrUpdateLabels)
      params.push({ type: 'LabelsToAdd', value: input.labels.addOrUpdateLabels });
    if (input.labels.removeLabels) params.push({ type: 'LabelsToRemove', value: input.labels.removeLabels });
  }
  if (input.taints) {
    const sameTaint = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
    let taints = (nodegroup.taints as Taint[]).filter(
      (t) => !input.taints?.removeTaints?.some((r) => sameTaint(r, t)),
    );
    for (const taint of input.taints.addOrUpdateTaints ?? [])
      taints = [...taints.filter((t) => !sameTaint(t, taint)), taint];
    changes.taints = taints;
    if (input.taints.addOrUpdateTaints)
      params.push({ type: 'TaintsToAdd', value: input.taints.addOrUpdateTaints });
    if (input.taints.removeTaints) params.push({ type: 'TaintsToRemove', value: input.taints.removeTaints });
  }
  for (const field of ['updateConfig', 'nodeRepairConfig', 'warmPoolConfig'] as const) {
    if (input[field]) {
      changes[field] = { ...((nodegroup[field] as object | undefined) ?? {}), ...input[field] };
      params.push({ type: field[0]!.toUpperCase() + field.slice(1), value: input[field] });
    }
  }
  if (params.length === 0)
    throw eksError.invalidParameter('No changes were specified.', { clusterName, nodegroupName: name });
  if (
    Object.entries(changes).every(([key, value]) => JSON.stringify(value) === JSON.stringify(nodegroup[key]))
  ) {
    throw eksError.invalidParameter('Nodegroup is already at the desired configuration', {
      clusterName,
      nodegroupName: name,
    });
  }
  const update = startUpdate(
    env,
    'UpdateNodegroupConfig',
    { clusterName, nodegroupName: name },
    'ConfigUpdate',
    params,
    changes,
    input.clientRequestToken,
  );
  env.nodegroups.put(`${clusterName}/${name}`, { ...nodegroup, status: 'UPDATING' });
  return { update: wire(update) };
}

export function updateNodegroupVersion(
  clusterName: string,
  name: string,
  body: unknown,
  env: EksEnv,
): object {
  const input = parseInput(updateNodegroupVersionInput, body, 'InvalidParameterException');
  const nodegroup = env.nodegroup(clusterName, name);
  const cluster = env.cluster(clusterName);
  const repeated = sameTokenUpdate(env, clusterName, input.clientRequestToken);
  if (repeated) return { update: wire(repeated) };
  requireUpdatable(nodegroup, env);
  const version = input.version ?? cluster.version;
  if (version !== cluster.version) {
    throw eksError.invalidParameter(
      `Requested Nodegroup version ${version} must match the cluster version ${cluster.version}.`,
      {
        clusterName,
        nodegroupName: name,
      },
    );
  }
  const releaseVersion = input.releaseVersion ?? `${version}.0-20250101`;
  if (version === nodegroup.version && releaseVersion === nodegroup.releaseVersion && !input.launchTemplate) {
    throw eksError.invalidParameter(
      `Nodegroup is already at the desired configuration with version: ${version}`,
      {
        clusterName,
        nodegroupName: name,
      },
    );
  }
  const update = startUpdate(
    env,
    'UpdateNodegroupVersion',
    { clusterName, nodegroupName: name },
    'VersionUpdate',
    [
      { type: 'Version', value: version },
      { type: 'ReleaseVersion', value: releaseVersion },
    ],
    { version, releaseVersion, ...(input.launchTemplate ? { launchTemplate: input.launchTemplate } : {}) },
    input.clientRequestToken,
  );
  env.nodegroups.put(`${clusterName}/${name}`, { ...nodegroup, status: 'UPDATING' });
  return { update: wire(update) };
}

function requireUpdatable(nodegroup: EksNodegroup, env: EksEnv): void {
  const ids = { clusterName: nodegroup.clusterName, nodegroupName: nodegroup.nodegroupName };
  if (updateInProgress(env, nodegroup.clusterName, nodegroup.nodegroupName)) {
    throw eksError.inUse(
      `Nodegroup ${nodegroup.nodegroupName} already has an update in progress; wait for it to finish.`,
      ids,
    );
  }
  if (nodegroup.status !== 'ACTIVE') {
    throw eksError.inUse(
      `Nodegroup ${nodegroup.nodegroupName} is in ${nodegroup.status} state; updates need ACTIVE.`,
      ids,
    );
  }
}

function checkScaling(scaling: Scaling, clusterName: string, nodegroupName: string): void {
  if (scaling.minSize > scaling.desiredSize || scaling.desiredSize > scaling.maxSize) {
    throw eksError.invalidParameter(
      `Nodegroup scaling must satisfy minSize <= desiredSize <= maxSize; received ${scaling.minSize}/${scaling.desiredSize}/${scaling.maxSize}`,
      { clusterName, nodegroupName },
    );
  }
}

function rejectImmutable(body: unknown, clusterName: string, nodegroupName: string): void {
  if (typeof body !== 'object' || body === null) return;
  const sent = IMMUTABLE.filter((field) => field in body);
  if (sent.length > 0) {
    throw eksError.invalidParameter(
      `${sent.join(', ')} cannot be changed after the node group is created; create a new node group instead.`,
      { clusterName, nodegroupName },
    );
  }
}
