import { EKSClient, UpdateClusterVersionCommand } from '@aws-sdk/client-eks';
import { ConflictError, type Provider, type ResourceRef } from '@patchbay/core';
import { aws } from '@patchbay/provider-aws';
import { awsClientConfig, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callContext } from './call-context.js';
import { eksClusterAttrs, eksNodegroupAttrs } from './eks-attributes.js';

let sandbox: Sandbox;
let provider: Provider;
let n = 0;

/** A fresh environment per test: cluster `<env>`, node group `<env>-nodes`. */
function refs() {
  n += 1;
  const env = `env${n}`;
  return {
    env,
    cluster: { id: 'k8s/cluster', type: 'aws.eks.cluster', name: env, environment: env } as ResourceRef,
    nodes: {
      id: 'k8s/nodes',
      type: 'aws.eks.nodegroup',
      name: `${env}-nodes`,
      environment: env,
    } as ResourceRef,
  };
}

const cluster = () => provider.types['aws.eks.cluster']!;
const nodes = () => provider.types['aws.eks.nodegroup']!;

async function withCluster() {
  const r = refs();
  await cluster().create(
    { ref: r.cluster, attributes: eksClusterAttrs, idempotencyToken: `c-${r.env}` },
    callContext(),
  );
  return r;
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 5 });
  provider = aws({ ...awsClientConfig(sandbox), maxAttempts: 1, pollIntervalMs: 2 });
});

afterAll(async () => {
  await sandbox.close();
});

describe('aws.eks.cluster (sandbox)', () => {
  it('creates, waits until ACTIVE, observes equal to desired, and outputs a kubeconfig', async () => {
    const r = refs();
    const ctx = callContext();
    const created = await cluster().create(
      { ref: r.cluster, attributes: eksClusterAttrs, idempotencyToken: 'tok' },
      ctx,
    );
    expect(ctx.messages).toContain(`EKS cluster ${r.env}: ACTIVE`);
    expect(created.outputs).toMatchObject({
      arn: expect.stringContaining(`:cluster/${r.env}`),
      endpoint: expect.any(String),
    });
    const kubeconfig = created.outputs!.kubeconfig as string;
    expect(kubeconfig).toContain(`server: ${JSON.stringify(created.outputs!.endpoint)}`);
    expect(kubeconfig).toContain(`- "--cluster-name"\n          - "${r.env}"`);
    const observed = await cluster().observe(r.cluster, callContext());
    for (const [k, v] of Object.entries(eksClusterAttrs))
      expect(observed!.attributes[k]).toEqual(cluster().normalize!(k, v));
    const tags = (sandbox.console.get('eks', 'cluster', r.env)!.data as { tags: Record<string, string> })
      .tags;
    expect(tags).toMatchObject({ 'patchbay:environment': r.env, 'patchbay:logical-id': 'k8s/cluster' });
  });

  it('one kind of update per call, each followed to Successful, only changed values', async () => {
    const r = await withCluster();
    sandbox.counters.reset();
    const ctx = callContext();
    await cluster().patch(
      r.cluster,
      [
        { attribute: 'version', from: '1.30', to: '1.31' },
        { attribute: 'endpointPublicAccess', from: true, to: false },
      ],
      { kind: 'read-before-write', expected: { version: '1.30', endpointPublicAccess: true } },
      ctx,
    );
    // The sandbox rejects a second update while one is in progress: both succeeded, so they ran one after the other.
    expect(sandbox.counters.get('eks', 'UpdateClusterVersion')).toBe(1);
    expect(sandbox.counters.get('eks', 'UpdateClusterConfig')).toBe(1);
    expect(sandbox.counters.get('eks', 'DescribeUpdate')).toBeGreaterThanOrEqual(2);
    expect(ctx.messages.filter((m) => m.endsWith(': Successful'))).toHaveLength(2);
    const observed = await cluster().observe(r.cluster, callContext());
    expect(observed!.attributes).toMatchObject({ version: '1.31', endpointPublicAccess: false });
  });

  it('sends nothing for a value already live (EKS rejects re-sent values)', async () => {
    const r = await withCluster();
    sandbox.counters.reset();
    await cluster().patch(
      r.cluster,
      [{ attribute: 'endpointPublicAccess', from: true, to: true }],
      { kind: 'read-before-write', expected: { endpointPublicAccess: true } },
      callContext(),
    );
    expect(sandbox.counters.get('eks', 'UpdateClusterConfig')).toBe(0);
  });

  it('conflicts when the console changed the version since the plan; no update is sent', async () => {
    const r = await withCluster();
    sandbox.console.edit('eks', 'cluster', r.env, { version: '1.29' });
    sandbox.counters.reset();
    const attempt = cluster().patch(
      r.cluster,
      [
        { attribute: 'endpointPublicAccess', from: true, to: false },
        { attribute: 'version', from: '1.30', to: '1.31' },
      ],
      { kind: 'read-before-write', expected: { version: '1.30', endpointPublicAccess: true } },
      callContext(),
    );
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    expect(
      sandbox.counters.get('eks', 'UpdateClusterVersion') +
        sandbox.counters.get('eks', 'UpdateClusterConfig'),
    ).toBe(0);
  });

  it('a version already at its target (a retried patch, or the same upgrade made elsewhere) is not re-sent', async () => {
    const r = await withCluster();
    sandbox.console.edit('eks', 'cluster', r.env, { version: '1.31' });
    sandbox.counters.reset();
    await cluster().patch(
      r.cluster,
      [
        { attribute: 'endpointPublicAccess', from: true, to: false },
        { attribute: 'version', from: '1.30', to: '1.31' },
      ],
      { kind: 'read-before-write', expected: { version: '1.30', endpointPublicAccess: true } },
      callContext(),
    );
    expect(sandbox.counters.get('eks', 'UpdateClusterVersion')).toBe(0);
    expect(sandbox.counters.get('eks', 'UpdateClusterConfig')).toBe(1);
    const observed = await cluster().observe(r.cluster, callContext());
    expect(observed!.attributes).toMatchObject({ version: '1.31', endpointPublicAccess: false });
  });

  it('an update while another is in progress is classified transient', async () => {
    const r = await withCluster();
    sandbox.faults.add({ api: 'eks', operation: 'UpdateClusterVersion', operationDelayMs: 600_000 });
    const eks = new EKSClient({ ...awsClientConfig(sandbox), maxAttempts: 1 });
    try {
      await eks.send(new UpdateClusterVersionCommand({ name: r.env, version: '1.31' }));
      const error = await cluster()
        .patch(
          r.cluster,
          [{ attribute: 'endpointPublicAccess', from: true, to: false }],
          { kind: 'read-before-write', expected: { endpointPublicAccess: true } },
          callContext(),
        )
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        kind: 'transient',
        operation: 'UpdateClusterConfig',
        cause: { name: 'ResourceInUseException' },
      });
    } finally {
      sandbox.faults.set([]);
      eks.destroy();
    }
  });

  it('reports a CloudFormation-tagged cluster as externally managed', async () => {
    const r = await withCluster();
    sandbox.console.tag('eks', 'cluster', r.env, 'aws:cloudformation:stack-name', 'eksctl-stack');
    expect((await cluster().observe(r.cluster, callContext()))!.managedBy).toBe(
      'cloudformation:eksctl-stack',
    );
  });

  it('deletes and waits until gone; a missing cluster is absent', async () => {
    const r = await withCluster();
    await cluster().delete!(r.cluster, callContext());
    expect(await cluster().observe(r.cluster, callContext())).toBeUndefined();
  });
});

describe('aws.eks.nodegroup (sandbox)', () => {
  it('creates, observes equal to desired, patches scaling + labels in one UpdateNodegroupConfig, deletes', async () => {
    const r = await withCluster();
    const created = await nodes().create(
      { ref: r.nodes, attributes: eksNodegroupAttrs(r.env), idempotencyToken: 'n' },
      callContext(),
    );
    expect(created.physicalId).toBe(`${r.env}/${r.env}-nodes`);
    const observed = await nodes().observe(r.nodes, callContext());
    for (const [k, v] of Object.entries(eksNodegroupAttrs(r.env)))
      expect(observed!.attributes[k]).toEqual(nodes().normalize!(k, v));

    sandbox.counters.reset();
    await nodes().patch(
      r.nodes,
      [
        { attribute: 'maxSize', from: 3, to: 5 },
        { attribute: 'desiredSize', from: 1, to: 2 },
        { attribute: 'labels.pool', from: 'default', to: undefined },
        { attribute: 'labels.tier', from: undefined, to: 'web' },
        { attribute: 'tags.owner', from: undefined, to: 'ops' },
      ],
      { kind: 'read-before-write', expected: { maxSize: 3, desiredSize: 1, 'labels.pool': 'default' } },
      callContext(),
    );
    expect(sandbox.counters.get('eks', 'UpdateNodegroupConfig')).toBe(1);
    expect(sandbox.counters.get('eks', 'TagResource')).toBe(1);
    const after = await nodes().observe(r.nodes, callContext());
    expect(after!.attributes).toMatchObject({
      maxSize: 5,
      desiredSize: 2,
      labels: { tier: 'web' },
      tags: { owner: 'ops', team: 'platform' },
    });

    await nodes().delete!(r.nodes, callContext());
    expect(await nodes().observe(r.nodes, callContext())).toBeUndefined();
  });

  it('conflicts when desiredSize moved (an autoscaler, the console) and sends no update', async () => {
    const r = await withCluster();
    await nodes().create(
      { ref: r.nodes, attributes: eksNodegroupAttrs(r.env), idempotencyToken: 'n' },
      callContext(),
    );
    const id = `${r.env}/${r.env}-nodes`;
    const data = sandbox.console.get('eks', 'nodegroup', id)!.data as {
      scalingConfig: Record<string, number>;
    };
    sandbox.console.edit('eks', 'nodegroup', id, {
      scalingConfig: { ...data.scalingConfig, desiredSize: 3 },
    });
    sandbox.counters.reset();
    await expect(
      nodes().patch(
        r.nodes,
        [{ attribute: 'desiredSize', from: 1, to: 2 }],
        { kind: 'read-before-write', expected: { desiredSize: 1 } },
        callContext(),
      ),
    ).rejects.toMatchObject({ attribute: 'desiredSize', expected: 1, actual: 3 });
    expect(sandbox.counters.get('eks', 'UpdateNodegroupConfig')).toBe(0);
  });
});
