import { type protos, v1 } from '@google-cloud/container';
import { googleClientOptions, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sandbox: Sandbox;
let gke: v1.ClusterManagerClient;
const parent = 'projects/p/locations/europe-west1';
const cluster = `${parent}/clusters/prod`;
const pool = (id: string) => `${cluster}/nodePools/${id}`;

type Operation = protos.google.container.v1.IOperation;

/** Polls getOperation until DONE, as a provider does. */
async function wait(operation: Operation): Promise<Operation> {
  let current = operation;
  while (current.status !== 'DONE') {
    await new Promise((resolve) => setTimeout(resolve, 5));
    [current] = await gke.getOperation({ name: `${parent}/operations/${operation.name}` });
  }
  return current;
}

/** Runs `call` with `operation` held open (60 s delay); the test then finishes it with the console. */
async function held<T>(operation: string, call: () => Promise<T>): Promise<T> {
  sandbox.faults.set([{ api: 'gke', operation, operationDelayMs: 60_000 }]);
  try {
    return await call();
  } finally {
    sandbox.faults.clear();
  }
}

const complete = () => sandbox.console.action('gke', 'cluster', cluster, 'complete-operation');

async function read() {
  const [found] = await gke.getCluster({ name: cluster });
  return found;
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 20 });
  gke = new v1.ClusterManagerClient(googleClientOptions(sandbox));
});

afterAll(async () => {
  await gke.close();
  await sandbox.close();
});

describe('GKE clusters', () => {
  it('creates a cluster: PROVISIONING, then RUNNING with its node pools when the operation is DONE', async () => {
    sandbox.faults.set([{ api: 'gke', operation: 'CreateCluster', operationDelayMs: 60_000 }]);
    const [operation] = await gke.createCluster({
      parent,
      cluster: {
        name: 'prod',
        network: 'vpc-1',
        subnetwork: 'subnet-1',
        resourceLabels: { team: 'core' },
        nodePools: [{ name: 'general', initialNodeCount: 2, config: { machineType: 'e2-standard-4' } }],
      },
    });
    sandbox.faults.clear();
    expect(operation).toMatchObject({ operationType: 'CREATE_CLUSTER', status: 'RUNNING' });
    expect((await read()).status).toBe('PROVISIONING');
    await expect(gke.deleteCluster({ name: cluster })).rejects.toMatchObject({
      code: 9,
      reason: 'CLUSTER_ALREADY_HAS_OPERATION',
    });
    sandbox.console.action('gke', 'cluster', cluster, 'complete-operation');
    const done = await wait(operation);
    expect(done.endTime).toBeTruthy();
    const running = await read();
    expect(running).toMatchObject({
      status: 'RUNNING',
      network: 'vpc-1',
      subnetwork: 'subnet-1',
      resourceLabels: { team: 'core' },
      currentNodeCount: 2,
    });
    expect(running.nodePools?.map((p) => [p.name, p.status])).toEqual([['general', 'RUNNING']]);
    expect(running.etag).toBeTruthy();
    expect(running.labelFingerprint).toMatch(/^[0-9a-f]{8}$/);
    const [listed] = await gke.listClusters({ parent: 'projects/p/locations/-' });
    expect(listed.clusters?.map((c) => c.name)).toEqual(['prod']);
  });

  it('applies exactly one desired* field per update, RECONCILING until the operation is DONE', async () => {
    const [operation] = await held('UpdateCluster', () =>
      gke.updateCluster({ name: cluster, update: { desiredLoggingService: 'none' } }),
    );
    expect(operation.operationType).toBe('UPDATE_CLUSTER');
    expect((await read()).status).toBe('RECONCILING');
    complete();
    await wait(operation);
    expect(await read()).toMatchObject({ status: 'RUNNING', loggingService: 'none' });
    await expect(
      gke.updateCluster({
        name: cluster,
        update: { desiredLoggingService: 'x', desiredMonitoringService: 'y' },
      }),
    ).rejects.toMatchObject({ code: 3, message: expect.stringContaining('Exactly one update') });
    await expect(gke.updateCluster({ name: cluster, update: {} })).rejects.toMatchObject({ code: 3 });
    const [upgrade] = await gke.updateCluster({
      name: cluster,
      update: { desiredMasterVersion: '1.32.1-gke.100' },
    });
    expect(upgrade.operationType).toBe('UPGRADE_MASTER');
    await wait(upgrade);
    expect((await read()).currentMasterVersion).toBe('1.32.1-gke.100');
  });

  it('rejects a second operation while one runs: FAILED_PRECONDITION CLUSTER_ALREADY_HAS_OPERATION', async () => {
    sandbox.faults.set([{ api: 'gke', operation: 'UpdateCluster', operationDelayMs: 60_000 }]);
    const [first] = await gke.updateCluster({ name: cluster, update: { desiredMonitoringService: 'none' } });
    sandbox.faults.clear();
    await expect(
      gke.updateCluster({
        name: cluster,
        update: { desiredLoggingService: 'logging.googleapis.com/kubernetes' },
      }),
    ).rejects.toMatchObject({
      code: 9,
      reason: 'CLUSTER_ALREADY_HAS_OPERATION',
      domain: 'container.googleapis.com',
    });
    await expect(gke.setNodePoolSize({ name: pool('general'), nodeCount: 3 })).rejects.toMatchObject({
      code: 9,
    });
    sandbox.console.action('gke', 'cluster', cluster, 'complete-operation');
    expect((await wait(first)).status).toBe('DONE');
    expect((await read()).status).toBe('RUNNING');
  });

  it('checks update.etag: a stale one is ABORTED (10)', async () => {
    const before = await read();
    const [op] = await gke.updateCluster({
      name: cluster,
      update: { desiredLoggingService: 'none', etag: before.etag },
    });
    await wait(op);
    await expect(
      gke.updateCluster({ name: cluster, update: { desiredMonitoringService: 'x', etag: before.etag } }),
    ).rejects.toMatchObject({ code: 10 });
  });

  it('sets resource labels with the current labelFingerprint; a stale one is FAILED_PRECONDITION', async () => {
    const before = await read();
    const [op] = await gke.setLabels({
      name: cluster,
      resourceLabels: { team: 'core', env: 'prod' },
      labelFingerprint: before.labelFingerprint,
    });
    expect(op.operationType).toBe('SET_LABELS');
    await wait(op);
    const after = await read();
    expect(after.resourceLabels).toEqual({ team: 'core', env: 'prod' });
    expect(after.labelFingerprint).not.toBe(before.labelFingerprint);
    await expect(
      gke.setLabels({ name: cluster, resourceLabels: {}, labelFingerprint: before.labelFingerprint }),
    ).rejects.toMatchObject({ code: 9, message: expect.stringContaining('fingerprint') });
  });

  it('keeps network, subnetwork and clusterIpv4Cidr create-only, and rejects unknown update fields', async () => {
    for (const field of ['desiredNetwork', 'desiredSubnetwork', 'desiredClusterIpv4Cidr']) {
      const response = await fetch(`${sandbox.url}/v1/${cluster}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ update: { [field]: 'other' } }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { status: string; message: string } };
      expect(body.error.status).toBe('INVALID_ARGUMENT');
      expect(body.error.message).toContain('cannot be updated');
    }
    const unknown = await fetch(`${sandbox.url}/v1/${cluster}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ update: { colour: 'blue' } }),
    });
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain(
      'Unknown name "colour"',
    );
  });
});

describe('GKE node pools', () => {
  it('creates, reads and lists node pools', async () => {
    const [op] = await held('CreateNodePool', () =>
      gke.createNodePool({
        parent: cluster,
        nodePool: { name: 'batch', initialNodeCount: 1, config: { machineType: 'e2-medium' } },
      }),
    );
    expect(op.operationType).toBe('CREATE_NODE_POOL');
    expect((await gke.getNodePool({ name: pool('batch') }))[0].status).toBe('PROVISIONING');
    complete();
    await wait(op);
    const [batch] = await gke.getNodePool({ name: pool('batch') });
    expect(batch).toMatchObject({ name: 'batch', status: 'RUNNING', initialNodeCount: 1 });
    const [list] = await gke.listNodePools({ parent: cluster });
    expect(list.nodePools?.map((p) => p.name)).toEqual(['general', 'batch']);
    await expect(
      gke.createNodePool({ parent: cluster, nodePool: { name: 'batch', initialNodeCount: 1 } }),
    ).rejects.toMatchObject({ code: 6 });
  });

  it('updates a node pool with its etag; a stale etag is ABORTED', async () => {
    const [before] = await gke.getNodePool({ name: pool('batch') });
    const [op] = await gke.updateNodePool({
      name: pool('batch'),
      nodeVersion: '-',
      imageType: 'COS_CONTAINERD',
      labels: { labels: { role: 'batch' } },
      machineType: 'e2-standard-2',
      etag: before.etag,
    });
    await wait(op);
    const [after] = await gke.getNodePool({ name: pool('batch') });
    expect(after.config).toMatchObject({ labels: { role: 'batch' }, machineType: 'e2-standard-2' });
    expect(after.etag).not.toBe(before.etag);
    await expect(
      gke.updateNodePool({
        name: pool('batch'),
        nodeVersion: '-',
        imageType: 'COS_CONTAINERD',
        etag: before.etag,
      }),
    ).rejects.toMatchObject({ code: 10 });
  });

  it('sets autoscaling and size', async () => {
    const [scaling] = await gke.setNodePoolAutoscaling({
      name: pool('batch'),
      autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 5 },
    });
    await wait(scaling);
    expect((await gke.getNodePool({ name: pool('batch') }))[0].autoscaling).toMatchObject({
      enabled: true,
      minNodeCount: 1,
      maxNodeCount: 5,
    });
    await expect(
      gke.setNodePoolAutoscaling({
        name: pool('batch'),
        autoscaling: { enabled: true, minNodeCount: 6, maxNodeCount: 5 },
      }),
    ).rejects.toMatchObject({ code: 3 });
    const [size] = await gke.setNodePoolSize({ name: pool('batch'), nodeCount: 4 });
    expect(size.operationType).toBe('SET_NODE_POOL_SIZE');
    await wait(size);
    expect((await read()).currentNodeCount).toBe(6);
  });

  it('deletes a node pool, then the cluster', async () => {
    const [op] = await gke.deleteNodePool({ name: pool('batch') });
    await wait(op);
    await expect(gke.getNodePool({ name: pool('batch') })).rejects.toMatchObject({ code: 5 });
    const [ops] = await gke.listOperations({ parent });
    expect(ops.operations?.every((o) => o.status === 'DONE')).toBe(true);
  });
});

describe('GKE console, faults and counters', () => {
  it('a console label change moves labelFingerprint and etag, so the old fingerprint fails', async () => {
    const before = await read();
    sandbox.console.tag('gke', 'cluster', cluster, 'owner', 'ana');
    const after = await read();
    expect(after.resourceLabels?.owner).toBe('ana');
    expect(after.labelFingerprint).not.toBe(before.labelFingerprint);
    expect(after.etag).not.toBe(before.etag);
    await expect(
      gke.setLabels({ name: cluster, resourceLabels: {}, labelFingerprint: before.labelFingerprint }),
    ).rejects.toMatchObject({ code: 9 });
  });

  it('surfaces a throttled write as RESOURCE_EXHAUSTED (8), not retried', async () => {
    const before = sandbox.counters.get('gke', 'UpdateCluster');
    sandbox.faults.set([{ api: 'gke', operation: 'UpdateCluster', throttleRate: 1 }]);
    await expect(
      gke.updateCluster({ name: cluster, update: { desiredLoggingService: 'none' } }),
    ).rejects.toMatchObject({ code: 8, reason: 'RATE_LIMIT_EXCEEDED' });
    sandbox.faults.clear();
    expect(sandbox.counters.get('gke', 'UpdateCluster')).toBe(before + 1);
  });

  it('retries a read answered with UNAVAILABLE (14)', async () => {
    const before = sandbox.counters.detail('gke', 'GetCluster');
    sandbox.faults.set([{ api: 'gke', operation: 'GetCluster', errorRate: 1 }]);
    const pending = gke.getCluster({ name: cluster });
    while (sandbox.counters.detail('gke', 'GetCluster').faulted === before.faulted) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    sandbox.faults.clear();
    const [found] = await pending;
    expect(found.name).toBe('prod');
    expect(sandbox.counters.detail('gke', 'GetCluster').calls).toBe(before.calls + 2);
  });

  it('deletes the cluster: STOPPING, then gone with its node pools', async () => {
    const [op] = await held('DeleteCluster', () => gke.deleteCluster({ name: cluster }));
    expect(op.operationType).toBe('DELETE_CLUSTER');
    expect((await read()).status).toBe('STOPPING');
    complete();
    await wait(op);
    await expect(gke.getCluster({ name: cluster })).rejects.toMatchObject({ code: 5 });
    expect(sandbox.console.list('gke').filter((e) => e.kind !== 'operation')).toEqual([]);
  });

  it('answers NOT_FOUND (5) for a missing cluster, node pool or operation', async () => {
    await expect(gke.getCluster({ name: `${parent}/clusters/ghost` })).rejects.toMatchObject({ code: 5 });
    await expect(gke.getNodePool({ name: `${parent}/clusters/ghost/nodePools/x` })).rejects.toMatchObject({
      code: 5,
    });
    await expect(gke.getOperation({ name: `${parent}/operations/operation-1` })).rejects.toMatchObject({
      code: 5,
    });
  });
});
