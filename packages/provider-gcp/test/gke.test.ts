import { v1 } from '@google-cloud/container';
import {
  ConflictError,
  ProviderError,
  type ResourceRef,
  type ResourceType,
  ValidationError,
} from '@patchbay/core';
import { gcp } from '@patchbay/provider-gcp';
import { googleClientOptions, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callContext } from './call-context.js';

const PROJECT = 'demo-project';
const REGION = 'europe-west1';
const CLUSTER = `projects/${PROJECT}/locations/${REGION}/clusters/staging`;
const POOL = `${CLUSTER}/nodePools/staging-nodes`;
const ctx = callContext();
let sandbox: Sandbox;
let gke: v1.ClusterManagerClient;
let cluster: ResourceType;
let pool: ResourceType;

const clusterRef = (physicalId?: string): ResourceRef => ({
  id: 'cluster/gke',
  type: 'gcp.gke.cluster',
  name: 'staging',
  environment: 'staging',
  identity: { location: REGION },
  ...(physicalId ? { physicalId } : {}),
});
const poolRef = (physicalId?: string): ResourceRef => ({
  id: 'cluster/gke/nodes',
  type: 'gcp.gke.nodepool',
  name: 'staging-nodes',
  environment: 'staging',
  identity: { cluster: 'staging', location: REGION },
  ...(physicalId ? { physicalId } : {}),
});
const clusterAttributes = {
  location: REGION,
  version: '1.31',
  autopilot: false,
  network: 'default',
  labels: { 'patchbay-environment': 'staging', 'patchbay-logical-id': 'cluster_gke' },
};
const poolAttributes = {
  cluster: 'staging',
  location: REGION,
  machineType: 'e2-standard-4',
  minNodes: 1,
  maxNodes: 3,
  labels: { 'patchbay-environment': 'staging', 'patchbay-logical-id': 'cluster_gke_nodes' },
};

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 5, defaultRateLimits: false });
  gke = new v1.ClusterManagerClient(googleClientOptions(sandbox));
  const provider = gcp({
    project: PROJECT,
    region: REGION,
    ...googleClientOptions(sandbox),
    clients: { gke },
    pollIntervalMs: 2,
  });
  cluster = provider.types['gcp.gke.cluster']!;
  pool = provider.types['gcp.gke.nodepool']!;
});

afterAll(async () => {
  await sandbox?.close();
});

const count = (operation: string) => sandbox.counters.get('gke', operation);

describe('GKE against the sandbox', () => {
  it('creates a standard cluster, removes its bootstrap pool, and observes what was desired', async () => {
    const created = await cluster.create(
      { ref: clusterRef(), attributes: clusterAttributes, idempotencyToken: 't' },
      ctx,
    );
    expect(created.physicalId).toBe(CLUSTER);
    expect(created.outputs).toEqual({ endpoint: '34.0.0.1', certificateAuthority: expect.any(String) });
    expect(sandbox.console.get('gke', 'nodePool', `${CLUSTER}/nodePools/default-pool`)).toBeUndefined();
    const observed = await cluster.observe(clusterRef(), ctx);
    expect(observed?.attributes).toEqual({ ...clusterAttributes, subnetwork: 'default' });
    expect(cluster.normalize!('version', '1.31.5-gke.1023000')).toBe('1.31');
  });

  it('creates an autoscaled node pool in the cluster its identity names', async () => {
    const created = await pool.create(
      { ref: poolRef(), attributes: poolAttributes, idempotencyToken: 't' },
      ctx,
    );
    expect(created.physicalId).toBe(POOL);
    expect((await pool.observe(poolRef(), ctx))?.attributes).toEqual(poolAttributes);
  });

  it('splits a cluster patch into single-field steps, each waited out (no CLUSTER_ALREADY_HAS_OPERATION)', async () => {
    const observed = (await cluster.observe(clusterRef(), ctx))!;
    const update = vi.spyOn(gke, 'updateCluster');
    const setLabels = vi.spyOn(gke, 'setLabels');
    sandbox.counters.reset();
    await cluster.patch(
      clusterRef(CLUSTER),
      [
        { attribute: 'version', from: '1.31', to: '1.32' },
        { attribute: 'labels.team', from: undefined, to: 'platform' },
      ],
      { kind: 'version', version: observed.version! },
      ctx,
    );
    expect(update).toHaveBeenCalledTimes(1);
    const fields = Object.keys(update.mock.calls[0]![0]!.update!).filter((k) => k !== 'etag');
    expect(fields).toEqual(['desiredMasterVersion']);
    expect(update.mock.calls[0]![0]!.update!.etag).toBe(observed.version);
    expect(setLabels).toHaveBeenCalledTimes(1);
    expect(update.mock.invocationCallOrder[0]).toBeLessThan(setLabels.mock.invocationCallOrder[0]!);
    update.mockRestore();
    setLabels.mockRestore();
    expect(count('UpdateCluster')).toBe(1);
    expect(count('SetLabels')).toBe(1);
    const after = (await cluster.observe(clusterRef(), ctx))!;
    expect(after.attributes).toMatchObject({
      version: '1.32',
      labels: { ...clusterAttributes.labels, team: 'platform' },
    });
  });

  it('refuses a two-minor upgrade before any call', async () => {
    const observed = (await cluster.observe(clusterRef(), ctx))!;
    sandbox.counters.reset();
    await expect(
      cluster.patch(
        clusterRef(CLUSTER),
        [{ attribute: 'version', from: '1.32', to: '1.34' }],
        { kind: 'version', version: observed.version! },
        ctx,
      ),
    ).rejects.toThrow(ValidationError);
    expect(count('UpdateCluster')).toBe(0);
  });

  it('a console label edit moves the etag: a stale patch is a ConflictError and the console label stays', async () => {
    const observed = (await cluster.observe(clusterRef(), ctx))!;
    sandbox.console.tag('gke', 'cluster', CLUSTER, 'team', 'ops');
    const error = await cluster
      .patch(
        clusterRef(CLUSTER),
        [{ attribute: 'labels.team', from: 'platform', to: 'web' }],
        { kind: 'version', version: observed.version! },
        ctx,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((await cluster.observe(clusterRef(), ctx))?.attributes.labels).toMatchObject({ team: 'ops' });
  });

  it('a node pool patch is machine type, then autoscaling, then labels, one operation at a time', async () => {
    sandbox.console.tag('gke', 'nodePool', POOL, 'cost-center', 'retail');
    const observed = (await pool.observe(poolRef(), ctx))!;
    const update = vi.spyOn(gke, 'updateNodePool');
    const autoscaling = vi.spyOn(gke, 'setNodePoolAutoscaling');
    sandbox.counters.reset();
    await pool.patch(
      poolRef(POOL),
      [
        { attribute: 'machineType', from: 'e2-standard-4', to: 'e2-standard-8' },
        { attribute: 'maxNodes', from: 3, to: 5 },
        { attribute: 'labels.team', from: undefined, to: 'platform' },
      ],
      { kind: 'version', version: observed.version! },
      ctx,
    );
    expect(update).toHaveBeenCalledTimes(2);
    expect(autoscaling).toHaveBeenCalledTimes(1);
    const [first, second] = update.mock.calls.map(([request]) => request!);
    expect(first).toMatchObject({ machineType: 'e2-standard-8', etag: observed.version });
    expect(first?.resourceLabels).toBeUndefined();
    expect(second?.resourceLabels?.labels).toMatchObject({ 'cost-center': 'retail', team: 'platform' });
    expect(second?.machineType).toBeUndefined();
    expect(autoscaling.mock.calls[0]![0]!.autoscaling).toEqual({
      enabled: true,
      minNodeCount: 1,
      maxNodeCount: 5,
    });
    const order = [
      update.mock.invocationCallOrder[0]!,
      autoscaling.mock.invocationCallOrder[0]!,
      update.mock.invocationCallOrder[1]!,
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    update.mockRestore();
    autoscaling.mockRestore();
    expect(count('UpdateNodePool')).toBe(2);
    expect(count('SetNodePoolAutoscaling')).toBe(1);
    const after = (await pool.observe(poolRef(), ctx))!;
    expect(after.attributes).toEqual({
      ...poolAttributes,
      machineType: 'e2-standard-8',
      maxNodes: 5,
      labels: { ...poolAttributes.labels, 'cost-center': 'retail', team: 'platform' },
    });
  });

  it('a stale node pool etag is a ConflictError, autoscaling included (checked on a fresh read)', async () => {
    const observed = (await pool.observe(poolRef(), ctx))!;
    sandbox.console.edit('gke', 'nodePool', POOL, {
      autoscaling: { enabled: true, minNodeCount: 2, maxNodeCount: 6 },
    });
    const error = await pool
      .patch(
        poolRef(POOL),
        [{ attribute: 'maxNodes', from: 5, to: 4 }],
        { kind: 'version', version: observed.version! },
        ctx,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((await pool.observe(poolRef(), ctx))?.attributes).toMatchObject({ minNodes: 2, maxNodes: 6 });
  });

  it('CLUSTER_ALREADY_HAS_OPERATION is transient (the engine waits and retries)', async () => {
    sandbox.faults.set([{ api: 'gke', operation: 'SetLabels', operationDelayMs: 60_000 }]);
    try {
      const live = (await gke.getCluster({ name: CLUSTER }))[0];
      await gke.setLabels({
        name: CLUSTER,
        resourceLabels: { ...live.resourceLabels },
        labelFingerprint: live.labelFingerprint,
      });
      const observed = (await pool.observe(poolRef(), ctx))!;
      const error = await pool
        .patch(
          poolRef(POOL),
          [{ attribute: 'machineType', from: 'e2-standard-8', to: 'e2-standard-4' }],
          { kind: 'version', version: observed.version! },
          ctx,
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind).toBe('transient');
    } finally {
      sandbox.faults.clear();
      sandbox.console.action('gke', 'cluster', CLUSTER, 'complete-operation');
    }
  });

  it('deletes the node pool, then the cluster', async () => {
    await pool.delete!(poolRef(POOL), ctx);
    expect(await pool.observe(poolRef(), ctx)).toBeUndefined();
    await cluster.delete!(clusterRef(CLUSTER), ctx);
    expect(await cluster.observe(clusterRef(), ctx)).toBeUndefined();
  });
});
