import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { mergePatch } from '../../../core/merge-patch.js';
import type { Collection } from '../../../core/resource-store.js';
import type { ApiContext } from '../../../core/sandbox-api.js';
import type { SandboxRequest } from '../../../core/sandbox-request.js';
import { etagOf, shortHash, timestamp } from '../../../protocols/google/google-etag.js';
import { googleJsonBody, parseGoogleInput } from '../../../protocols/google/google-request-body.js';
import { gkeError } from './gke-errors.js';
import type { GkeCluster, GkeNodePool, GkeOperation } from './gke-records.js';
import {
  CREATE_ONLY,
  createClusterInput,
  createNodePoolInput,
  NODE_POOL_UPDATE_FIELDS,
  nodePoolInput,
  OTHER_UPDATE_FIELDS,
  setAutoscalingInput,
  setLabelsInput,
  setSizeInput,
  updateClusterInput,
  updateNodePoolInput,
} from './gke-schemas.js';

const MASTER_VERSION = '1.31.5-gke.1023000';

/** Collections and clock of the GKE API. */
export class GkeEnv {
  readonly clusters: Collection<GkeCluster>;
  readonly nodePools: Collection<GkeNodePool>;
  readonly operations: Collection<GkeOperation>;
  constructor(readonly ctx: ApiContext) {
    this.clusters = ctx.collection<GkeCluster>('cluster');
    this.nodePools = ctx.collection<GkeNodePool>('nodePool');
    this.operations = ctx.collection<GkeOperation>('operation');
  }
}

type Params = Record<string, string>;

export function getCluster(_request: SandboxRequest, params: Params, env: GkeEnv): object {
  return renderCluster(clusterName(params), env);
}

export function listClusters(_request: SandboxRequest, params: Params, env: GkeEnv): object {
  const prefix =
    params.location === '-'
      ? `projects/${params.project}/`
      : `projects/${params.project}/locations/${params.location}/`;
  const clusters = env.clusters
    .entries()
    .filter(([id]) => id.startsWith(prefix))
    .map(([id]) => renderCluster(id, env));
  return { clusters, missingZones: [] };
}

export function createCluster(request: SandboxRequest, params: Params, env: GkeEnv): object {
  const input = parseGoogleInput(createClusterInput, googleJsonBody(request), '');
  const { cluster } = input;
  const location = params.location as string;
  const name = `projects/${params.project}/locations/${location}/clusters/${cluster.name}`;
  if (env.clusters.has(name)) throw gkeError.alreadyExists(name);
  const pools = cluster.nodePools ?? [];
  if (pools.length === 0 && !cluster.autopilot?.enabled) {
    if (!cluster.initialNodeCount || cluster.initialNodeCount < 1) {
      throw gkeError.invalid(
        'Cluster.initial_node_count must be greater than zero (or give node_pools, or use Autopilot).',
      );
    }
    pools.push(
      nodePoolInput.parse({
        name: 'default-pool',
        initialNodeCount: cluster.initialNodeCount,
        config: cluster.nodeConfig,
      }),
    );
  }
  const now = env.ctx.now();
  const { nodePools: _pools, initialNodeCount: _count, ...fields } = cluster;
  const data: GkeCluster = {
    network: 'default',
    subnetwork: 'default',
    clusterIpv4Cidr: '10.0.0.0/14',
    servicesIpv4Cidr: '34.118.224.0/20',
    loggingService: 'logging.googleapis.com/kubernetes',
    monitoringService: 'monitoring.googleapis.com/kubernetes',
    releaseChannel: { channel: 'REGULAR' },
    ...fields,
    name: cluster.name,
    location,
    zone: location,
    locations: (fields.locations as string[] | undefined) ?? [
      location.split('-').length > 2 ? location : `${location}-b`,
    ],
    resourceLabels: cluster.resourceLabels ?? {},
    id: randomBytes(16).toString('hex'),
    selfLink: `${env.ctx.baseUrl}/v1/${name}`,
    endpoint: '34.0.0.1',
    initialClusterVersion: MASTER_VERSION,
    currentMasterVersion: MASTER_VERSION,
    currentNodeVersion: MASTER_VERSION,
    createTime: timestamp(now),
    status: 'PROVISIONING',
    masterAuth: { clusterCaCertificate: Buffer.from('sandbox-ca').toString('base64') },
    _sandbox: {},
  };
  env.clusters.put(name, data);
  for (const pool of pools) env.nodePools.put(`${name}/nodePools/${pool.name}`, newNodePool(pool, name, env));
  return startOperation(name, undefined, 'CREATE_CLUSTER', 'CreateCluster', env);
}

export function updateCluster(request: SandboxRequest, params: Params, env: GkeEnv): object {
  const name = clusterName(params);
  const input = parseGoogleInput(updateClusterInput, googleJsonBody(request), '');
  const cluster = lockable(name, env);
  const { etag, desiredNodePoolId, ...update } = input.update;
  const changes = Object.keys(update);
  for (const field of changes) {
    const target = field.replace(/^desired/, '');
    if (CREATE_ONLY.some((createOnly) => createOnly.toLowerCase() === target.toLowerCase())) {
      throw gkeError.invalid(
        `${field}: ${CREATE_ONLY.join(', ')} are set when the cluster is created and cannot be updated.`,
      );
    }
    if (!field.startsWith('desired') && !OTHER_UPDATE_FIELDS.includes(field)) {
      throw gkeError.invalid(
        `Invalid JSON payload received. Unknown name "${field}" at 'update': Cannot find field.`,
      );
    }
  }
  if (changes.length !== 1) {
    throw gkeError.invalid(
      `Exactly one update can be applied to a cluster at a time; the ClusterUpdate sets ${changes.length}: ${changes.join(', ') || 'none'}.`,
    );
  }
  if (etag !== undefined && etag !== clusterEtag(name, env)) throw gkeError.staleEtag('cluster');
  const field = changes[0] as string;
  const value = update[field];
  const data = structuredClone(cluster);
  let operationType = 'UPDATE_CLUSTER';
  let poolTarget: string | undefined;
  if (field === 'desiredMasterVersion') {
    data.currentMasterVersion = resolveVersion(value, data.currentMasterVersion);
    operationType = 'UPGRADE_MASTER';
  } else if (
    field === 'desiredNodeVersion' ||
    field === 'desiredNodePoolAutoscaling' ||
    field === 'desiredImageType'
  ) {
    const pools = desiredNodePoolId
      ? [`${name}/nodePools/${desiredNodePoolId}`]
      : env.nodePools
          .entries()
          .filter(([id]) => id.startsWith(`${name}/nodePools/`))
          .map(([id]) => id);
    if (pools.some((id) => !env.nodePools.has(id)))
      throw gkeError.notFound(`${name}/nodePools/${desiredNodePoolId}`);
    if (field !== 'desiredNodeVersion' && !desiredNodePoolId)
      throw gkeError.invalid(`${field} needs desiredNodePoolId.`);
    for (const id of pools) {
      const pool = structuredClone((env.nodePools.get(id) as { data: GkeNodePool }).data);
      if (field === 'desiredNodeVersion') pool.version = resolveVersion(value, data.currentMasterVersion);
      if (field === 'desiredNodePoolAutoscaling') pool.autoscaling = value;
      if (field === 'desiredImageType') pool.config = { ...pool.config, imageType: value };
      pool.status = 'RECONCILING';
      env.nodePools.put(id, pool);
    }
    if (field === 'desiredNodeVersion') {
      data.currentNodeVersion = resolveVersion(value, data.currentMasterVersion);
      operationType = 'UPGRADE_NODES';
    }
    poolTarget = desiredNodePoolId ? `${name}/nodePools/${desiredNodePoolId}` : undefined;
  } else {
    // desiredFooConfig → fooConfig: objects merge (only the parts sent change), scalars replace.
    const clusterField = field.startsWith('desired') ? field.charAt(7).toLowerCase() + field.slice(8) : field;
    if (field === 'desiredLocations') data.locations = value;
    else data[clusterField] = mergePatch(data[clusterField], value);
  }
  data.status = 'RECONCILING';
  env.clusters.put(name, data);
  return startOperation(name, poolTarget, operationType, 'UpdateCluster', env);
}

export function setLabels(request: SandboxRequest, params: Params, env: GkeEnv): object {
  const name = clusterName(params);
  const input = parseGoogleInput(setLabelsInput, googleJsonBody(request), '');
  const cluster = lockable(name, env);
  if (input.labelFingerprint !== labelFingerprint(cluster.resourceLabels))
    throw gkeError.fingerprintMismatch();
  env.clusters.put(name, { ...structuredClone(cluster), resourceLabels: input.resourceLabels ?? {} });
  return startOperation(name, undefined, 'SET_LABELS', 'SetLabels', env);
}

export function deleteCluster(_request: SandboxRequest, params: Params, env: GkeEnv): object {
  const name = clusterName(params);
  const cluster = lockable(name, env);
  env.clusters.put(name, { ...structuredClone(cluster), status: 'STOPPING' });
  return startOperation(name, undefined, 'DELETE_CLUSTER', 'DeleteCluster', env);
}

export function getNodePool(_request: SandboxRequest, params: Params, env: GkeEnv): object {
  requireCluster(clusterName(params), env);
  return renderNodePool(nodePoolName(params), env);
}

export function listNodePools(_request: SandboxRequest, params: Params, env: GkeEnv): object {
  const name = clusterName(params);
  requireCluster(name, env);
  return { nodePools: poolIds(name, env).map((id) => renderNodePool(id, env)) };
}

export function createNodePool(request: SandboxRequest, params: Params, env: GkeEnv): object {
  const cluster = clusterName(params);
  const input = parseGoogleInput(createNodePoolInput, googleJsonBody(request), '');
  lockable(cluster, env);
  const id = `${cluster}/nodePools/${input.nodePool.name}`;
  if (env.nodePools.has(id)) throw gkeError.alreadyExists(id);
  if (
    (input.nodePool.initialNodeCount ?? 0) < 1 &&
    !(input.nodePool.autoscaling as { enabled?: boolean } | undefined)?.enabled
  ) {
    throw gkeError.invalid('NodePool.initial_node_count must be greater than zero.');
  }
  env.nodePools.put(id, newNodePool(input.nodePool, cluster, env));
  return startOperation(cluster, id, 'CREATE_NODE_POOL', 'CreateNodePool', env);
}

export function updateNodePool(request: SandboxRequest, params: Params, env: GkeEnv): object {
  const id = nodePoolName(params);
  const input = parseGoogleInput(updateNodePoolInput, googleJsonBody(request), '');
  const { projectId, zone, clusterId, nodePoolId, name, etag, ...changes } = input;
  for (const field of Object.keys(changes)) {
    if (!(NODE_POOL_UPDATE_FIELDS as readonly string[]).includes(field)) {
      throw gkeError.invalid(`Invalid JSON payload received. Unknown name "${field}": Cannot find field.`);
    }
  }
  const pool = lockedPool(id, params, env);
  if (
    etag !== undefined &&
    etag !== etagOf(id, (env.nodePools.get(id) as { generation: number }).generation)
  ) {
    throw gkeError.staleEtag('node pool');
  }
  const data = structuredClone(pool);
  const config: Record<string, unknown> = { ...data.config };
  for (const [field, value] of Object.entries(changes)) {
    if (field === 'nodeVersion') data.version = resolveVersion(value, data.version);
    else if (field === 'locations') data.locations = value;
    else if (field === 'upgradeSettings') data.upgradeSettings = value;
    // NodeLabels {labels}, NodeTaints {taints}, NetworkTags {tags}, ResourceLabels {labels} wrap their lists.
    else if (field === 'labels' || field === 'resourceLabels')
      config[field] = (value as { labels?: unknown }).labels ?? {};
    else if (field === 'taints') config.taints = (value as { taints?: unknown }).taints ?? [];
    else if (field === 'tags') config.tags = (value as { tags?: unknown }).tags ?? [];
    else config[field] = value;
  }
  data.config = config;
  data.status = 'RECONCILING';
  env.nodePools.put(id, data);
  return startOperation(clusterName(params), id, 'UPGRADE_NODES', 'UpdateNodePool', env);
}

export function setNodePoolAutoscaling(request: SandboxRequest, params: Params, env: GkeEnv): object {
  const id = nodePoolName(params);
  const input = parseGoogleInput(setAutoscalingInput, googleJsonBody(request), '');
  const { minNodeCount = 0, maxNodeCount = 0, enabled } = input.autoscaling;
  if (enabled && (maxNodeCount < 1 || minNodeCount > maxNodeCount)) {
    throw gkeError.invalid(
      `autoscaling needs 0 <= minNodeCount <= maxNodeCount and maxNodeCount >= 1; got ${minNodeCount}..${maxNodeCount}.`,
    );
  }
  const pool = lockedPool(id, params, env);
  env.nodePools.put(id, { ...structuredClone(pool), autoscaling: input.autoscaling, status: 'RECONCILING' });
  return startOperation(clusterName(params), id, 'SET_NODE_POOL_MANAGEMENT', 'SetNodePoolAutoscaling', env);
}

export function setNodePoolSize(request: SandboxRequest, params: Params, env: GkeEnv): object {
  const id = nodePoolName(params);
  const input = parseGoogleInput(setSizeInput, googleJsonBody(request), '');
  if (input.nodeCount < 0) throw gkeError.invalid('nodeCount must be >= 0.');
  const pool = structuredClone(lockedPool(id, params, env));
  pool._sandbox.nodeCount = input.nodeCount;
  pool.status = 'RECONCILING';
  env.nodePools.put(id, pool);
  return startOperation(clusterName(params), id, 'SET_NODE_POOL_SIZE', 'SetNodePoolSize', env);
}

export function deleteNodePool(_request: SandboxRequest, params: Params, env: GkeEnv): object {
  const id = nodePoolName(params);
  const pool = lockedPool(id, params, env);
  env.nodePools.put(id, { ...structuredClone(pool), status: 'STOPPING' });
  return startOperation(clusterName(params), id, 'DELETE_NODE_POOL', 'DeleteNodePool', env);
}

export function getOperation(_request: SandboxRequest, params: Params, env: GkeEnv): object {
  const id = `projects/${params.project}/locations/${params.location}/operations/${params.operation}`;
  const record = env.operations.get(id);
  if (!record) throw gkeError.notFound(id);
  return renderOperation(record.data);
}

export function listOperations(_request: SandboxRequest, params: Params, env: GkeEnv): object {
  const prefix = `projects/${params.project}/locations/${params.location}/operations/`;
  return {
    operations: env.operations
      .entries()
      .filter(([id]) => params.location === '-' || id.startsWith(prefix))
      .map(([, record]) => renderOperation(record.data)),
  };
}

/** Finishes operations whose time has come: clusters and pools go RUNNING (or away, for deletes). */
export function settleGke(env: GkeEnv): void {
  const now = env.ctx.now();
  for (const [opId, record] of env.operations.entries()) {
    const operation = record.data;
    if (operation.status === 'DONE' || operation._sandbox.doneAt > now) continue;
    env.operations.put(opId, {
      ...structuredClone(operation),
      status: 'DONE',
      endTime: timestamp(now),
      progress: undefined,
    });
    const { cluster: clusterId, nodePool } = operation._sandbox;
    if (operation.operationType === 'DELETE_CLUSTER') {
      for (const id of poolIds(clusterId, env)) env.nodePools.delete(id);
      env.clusters.delete(clusterId);
      continue;
    }
    if (operation.operationType === 'DELETE_NODE_POOL' && nodePool) env.nodePools.delete(nodePool);
    for (const id of poolIds(clusterId, env)) {
      const pool = (env.nodePools.get(id) as { data: GkeNodePool }).data;
      if (pool.status !== 'RUNNING') env.nodePools.put(id, { ...structuredClone(pool), status: 'RUNNING' });
    }
    const cluster = env.clusters.get(clusterId)?.data;
    if (cluster) {
      const settled = structuredClone(cluster);
      settled.status = 'RUNNING';
      if (settled._sandbox.operation === opId) delete settled._sandbox.operation;
      env.clusters.put(clusterId, settled);
    }
  }
}

/** The wire Cluster: stored data plus node pools, etag, labelFingerprint and node count. */
export function renderCluster(name: string, env: GkeEnv): Record<string, unknown> {
  const cluster = requireCluster(name, env);
  const { _sandbox, ...wire } = cluster;
  const pools = poolIds(name, env).map((id) => renderNodePool(id, env));
  const nodes = poolIds(name, env).reduce(
    (sum, id) => sum + (env.nodePools.get(id)?.data._sandbox.nodeCount ?? 0),
    0,
  );
  return {
    ...wire,
    nodePools: pools,
    currentNodeCount: nodes,
    labelFingerprint: labelFingerprint(cluster.resourceLabels),
    etag: clusterEtag(name, env),
  };
}

/** GKE's fingerprint is a hash of the labels, so any label change (console included) changes it. */
export function labelFingerprint(labels: Record<string, string>): string {
  return shortHash(labels ?? {}, 8);
}

function clusterEtag(name: string, env: GkeEnv): string {
  return etagOf(name, (env.clusters.get(name) as { generation: number }).generation);
}

function renderNodePool(id: string, env: GkeEnv): Record<string, unknown> {
  const record = env.nodePools.get(id);
  if (!record) throw gkeError.notFound(id);
  const { _sandbox, ...wire } = record.data;
  return { ...wire, etag: etagOf(id, record.generation) };
}

function newNodePool(input: z.infer<typeof nodePoolInput>, cluster: string, env: GkeEnv): GkeNodePool {
  const count = input.initialNodeCount ?? 0;
  return {
    ...input,
    name: input.name,
    config: {
      machineType: 'e2-medium',
      diskSizeGb: 100,
      imageType: 'COS_CONTAINERD',
      ...(input.config ?? {}),
    },
    initialNodeCount: count,
    version: input.version ?? MASTER_VERSION,
    status: 'PROVISIONING',
    selfLink: `${env.ctx.baseUrl}/v1/${cluster}/nodePools/${input.name}`,
    management: { autoUpgrade: true, autoRepair: true },
    _sandbox: { nodeCount: count },
  };
}

function startOperation(
  cluster: string,
  nodePool: string | undefined,
  type: string,
  rpc: string,
  env: GkeEnv,
): object {
  const now = env.ctx.now();
  const location = cluster.split('/')[3] as string;
  const parent = cluster.split('/clusters/')[0] as string;
  const name = `operation-${now}-${randomBytes(4).toString('hex')}`;
  const id = `${parent}/operations/${name}`;
  const operation: GkeOperation = {
    name,
    zone: location,
    location,
    operationType: type,
    status: 'RUNNING',
    selfLink: `${env.ctx.baseUrl}/v1/${id}`,
    targetLink: `${env.ctx.baseUrl}/v1/${nodePool ?? cluster}`,
    startTime: timestamp(now),
    _sandbox: { doneAt: now + env.ctx.operationDelayMs(rpc), cluster, ...(nodePool ? { nodePool } : {}) },
  };
  env.operations.put(id, operation);
  const record = env.clusters.get(cluster) as { data: GkeCluster };
  env.clusters.put(cluster, { ...structuredClone(record.data), _sandbox: { operation: id } });
  return renderOperation(operation);
}

function renderOperation(operation: GkeOperation): Record<string, unknown> {
  const { _sandbox, ...wire } = operation;
  return wire;
}

/** The cluster, if it exists and runs no other operation (GKE runs one per cluster). */
function lockable(name: string, env: GkeEnv): GkeCluster {
  const cluster = requireCluster(name, env);
  const running = cluster._sandbox.operation;
  if (running) throw gkeError.clusterBusy(name, running.split('/').pop() as string);
  return cluster;
}

function lockedPool(id: string, params: Params, env: GkeEnv): GkeNodePool {
  lockable(clusterName(params), env);
  const record = env.nodePools.get(id);
  if (!record) throw gkeError.notFound(id);
  return record.data;
}

function requireCluster(name: string, env: GkeEnv): GkeCluster {
  const record = env.clusters.get(name);
  if (!record) throw gkeError.notFound(name);
  return record.data;
}

function poolIds(cluster: string, env: GkeEnv): string[] {
  return env.nodePools
    .entries()
    .filter(([id]) => id.startsWith(`${cluster}/nodePools/`))
    .map(([id]) => id);
}

function resolveVersion(value: unknown, current: string): string {
  if (value === '-' || value === 'latest' || value === '')
    return current === MASTER_VERSION ? MASTER_VERSION : current;
  return String(value);
}

function clusterName(params: Params): string {
  return `projects/${params.project}/locations/${params.location}/clusters/${params.cluster}`;
}

function nodePoolName(params: Params): string {
  return `${clusterName(params)}/nodePools/${params.nodePool}`;
}

/** Console action: the cluster's running operation finishes now (as if its delay had passed). */
export function completeOperation(clusterId: string, env: GkeEnv): void {
  const opId = env.clusters.get(clusterId)?.data._sandbox.operation;
  const record = opId ? env.operations.get(opId) : undefined;
  if (!opId || !record) throw gkeError.invalid(`Cluster ${clusterId} has no operation running to complete.`);
  env.operations.put(opId, {
    ...structuredClone(record.data),
    _sandbox: { ...record.data._sandbox, doneAt: env.ctx.now() },
  });
  settleGke(env);
}
