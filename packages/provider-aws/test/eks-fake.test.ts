// The EKS client mocked at `send`: checks the exact order of calls and an update that fails, which the sandbox
// (test/eks.test.ts) does not simulate.
import type { Cluster, EKSClient, Nodegroup, Update } from '@aws-sdk/client-eks';
import { ConflictError, ProviderError, type ResourceRef, ValidationError } from '@patchbay/core';
import { aws } from '@patchbay/provider-aws';
import { describe, expect, it } from 'vitest';
import { callContext } from './call-context.js';
import { eksClusterAttrs, eksNodegroupAttrs } from './eks-attributes.js';
import { awsError, type FakeClient, fakeClient } from './fake-client.js';

const clusterRef: ResourceRef = {
  id: 'k8s/cluster',
  type: 'aws.eks.cluster',
  name: 'prod',
  environment: 'prod',
};
const nodesRef: ResourceRef = {
  id: 'k8s/nodes',
  type: 'aws.eks.nodegroup',
  name: 'prod-nodes',
  environment: 'prod',
};
const nodeAttrs = eksNodegroupAttrs('prod');

/**
 * A minimal EKS: updates stay InProgress for one DescribeUpdate, and a second update while one is
 * in progress is rejected with ResourceInUseException, as EKS does.
 */
function fakeEks(options: { failUpdates?: boolean } = {}) {
  let cluster: Cluster | undefined;
  let nodegroup: Nodegroup | undefined;
  const updates = new Map<string, { update: Update; polls: number; apply: () => void }>();
  let seq = 0;
  const inProgress = () => [...updates.values()].some((u) => u.update.status === 'InProgress');
  const startUpdate = (type: string, apply: () => void): { update: Update } => {
    if (inProgress()) throw awsError('ResourceInUseException', 'An update is already in progress', 409);
    const update: Update = { id: `u-${++seq}`, status: 'InProgress', type: type as Update['type'] };
    updates.set(update.id!, { update, polls: 0, apply });
    return { update };
  };
  const client = fakeClient({
    CreateCluster: (input) => {
      const vpc = input.resourcesVpcConfig as Record<string, unknown>;
      cluster = {
        name: input.name as string,
        arn: `arn:aws:eks:us-east-1:123456789012:cluster/${input.name}`,
        version: input.version as string,
        roleArn: input.roleArn as string,
        status: 'CREATING',
        resourcesVpcConfig: {
          subnetIds: vpc.subnetIds as string[],
          securityGroupIds: vpc.securityGroupIds as string[],
          endpointPublicAccess: (vpc.endpointPublicAccess as boolean | undefined) ?? true,
          endpointPrivateAccess: false,
        },
        tags: input.tags as Record<string, string>,
      };
      return { cluster };
    },
    DescribeCluster: () => {
      if (!cluster) throw awsError('ResourceNotFoundException', 'No cluster found for name: prod.', 404);
      const out = structuredClone(cluster);
      if (cluster.status === 'CREATING') {
        cluster.status = 'ACTIVE';
        cluster.endpoint = 'https://ABC.gr7.us-east-1.eks.amazonaws.com';
        cluster.certificateAuthority = { data: 'LS0tLS1CRUdJTi0tLS0t' };
      }
      return { cluster: out };
    },
    UpdateClusterVersion: (input) =>
      startUpdate('VersionUpdate', () => {
        cluster!.version = input.version as string;
      }),
    UpdateClusterConfig: (input) => {
      const vpc = input.resourcesVpcConfig as Record<string, unknown>;
      if (vpc.endpointPublicAccess === cluster!.resourcesVpcConfig!.endpointPublicAccess) {
        throw awsError('InvalidParameterException', 'Cluster is already at the desired configuration');
      }
      return startUpdate('EndpointAccessUpdate', () => {
        cluster!.resourcesVpcConfig!.endpointPublicAccess = vpc.endpointPublicAccess as boolean;
      });
    },
    DescribeUpdate: (input) => {
      const entry = updates.get(input.updateId as string)!;
      if (entry.update.status === 'InProgress' && ++entry.polls > 1) {
        if (options.failUpdates) {
          entry.update.status = 'Failed';
          entry.update.errors = [{ errorCode: 'Unknown', errorMessage: 'simulated failure' }];
        } else {
          entry.update.status = 'Successful';
          entry.apply();
        }
      }
      return { update: entry.update };
    },
    TagResource: (input) => {
      const target = (input.resourceArn as string).includes(':nodegroup/') ? nodegroup! : cluster!;
      target.tags = { ...target.tags, ...(input.tags as Record<string, string>) };
      return {};
    },
    UntagResource: (input) => {
      const target = (input.resourceArn as string).includes(':nodegroup/') ? nodegroup! : cluster!;
      for (const k of input.tagKeys as string[]) delete target.tags![k];
      return {};
    },
    CreateNodegroup: (input) => {
      nodegroup = {
        nodegroupName: input.nodegroupName as string,
        clusterName: input.clusterName as string,
        nodegroupArn: `arn:aws:eks:us-east-1:123456789012:nodegroup/${input.clusterName}/${input.nodegroupName}/uuid`,
        nodeRole: input.nodeRole as string,
        subnets: input.subnets as string[],
        instanceTypes: input.instanceTypes as string[],
        scalingConfig: input.scalingConfig as Nodegroup['scalingConfig'],
        labels: input.labels as Record<string, string>,
        tags: input.tags as Record<string, string>,
        status: 'CREATING',
      };
      return { nodegroup };
    },
    DescribeNodegroup: () => {
      if (!nodegroup) throw awsError('ResourceNotFoundException', 'No node group found', 404);
      const out = structuredClone(nodegroup);
      if (nodegroup.status === 'CREATING') nodegroup.status = 'ACTIVE';
      return { nodegroup: out };
    },
    UpdateNodegroupConfig: (input) =>
      startUpdate('ConfigUpdate', () => {
        nodegroup!.scalingConfig = { ...nodegroup!.scalingConfig, ...(input.scalingConfig as object) };
        const labels = input.labels as
          | { addOrUpdateLabels?: Record<string, string>; removeLabels?: string[] }
          | undefined;
        const next = { ...nodegroup!.labels, ...labels?.addOrUpdateLabels };
        for (const k of labels?.removeLabels ?? []) delete next[k];
        nodegroup!.labels = next;
      }),
  });
  return Object.assign(client, {
    cluster: () => cluster!,
    nodegroup: () => nodegroup!,
  }) as FakeClient & { cluster: () => Cluster; nodegroup: () => Nodegroup };
}

function setup(options: { failUpdates?: boolean } = {}) {
  const eks = fakeEks(options);
  const provider = aws({
    region: 'eu-west-1',
    clients: { eks: eks as unknown as EKSClient },
    pollIntervalMs: 0,
  });
  return { eks, cluster: provider.types['aws.eks.cluster']!, nodes: provider.types['aws.eks.nodegroup']! };
}

describe('aws.eks.cluster', () => {
  it('creates with ownership tags and an idempotency token, waits until ACTIVE and outputs a kubeconfig', async () => {
    const { eks, cluster } = setup();
    const ctx = callContext();
    const created = await cluster.create(
      { ref: clusterRef, attributes: eksClusterAttrs, idempotencyToken: 'tok-1' },
      ctx,
    );
    expect(eks.calls[0]!.input).toMatchObject({
      clientRequestToken: 'tok-1',
      tags: { team: 'platform', 'patchbay:environment': 'prod', 'patchbay:logical-id': 'k8s/cluster' },
    });
    expect(ctx.messages).toContain('EKS cluster prod: ACTIVE');
    expect(created.outputs).toMatchObject({
      arn: 'arn:aws:eks:us-east-1:123456789012:cluster/prod',
      endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com',
      certificateAuthority: 'LS0tLS1CRUdJTi0tLS0t',
    });
    const kubeconfig = created.outputs!.kubeconfig as string;
    expect(kubeconfig).toContain('server: "https://ABC.gr7.us-east-1.eks.amazonaws.com"');
    expect(kubeconfig).toContain('- "get-token"');
    expect(kubeconfig).toContain('- "--region"\n          - "eu-west-1"');
    const observed = await cluster.observe(clusterRef, callContext());
    const normalize = cluster.normalize!;
    for (const [k, v] of Object.entries(eksClusterAttrs))
      expect(observed!.attributes[k]).toEqual(normalize(k, v));
  });

  it('sends one kind of update per call, only changed values, each followed to Successful before the next', async () => {
    const { eks, cluster } = setup();
    await cluster.create(
      { ref: clusterRef, attributes: eksClusterAttrs, idempotencyToken: 't' },
      callContext(),
    );
    eks.calls.length = 0;
    const ctx = callContext();
    await cluster.patch(
      clusterRef,
      [
        { attribute: 'version', from: '1.30', to: '1.31' },
        { attribute: 'endpointPublicAccess', from: true, to: false },
        { attribute: 'tags.owner', from: undefined, to: 'ops' },
      ],
      { kind: 'read-before-write', expected: { version: '1.30', endpointPublicAccess: true } },
      ctx,
    );
    const writes = eks.calls.filter((c) => c.name !== 'DescribeCluster');
    expect(writes.map((c) => c.name)).toEqual([
      'UpdateClusterVersion',
      'DescribeUpdate',
      'DescribeUpdate',
      'UpdateClusterConfig',
      'DescribeUpdate',
      'DescribeUpdate',
      'TagResource',
    ]);
    expect(writes[0]!.input).toEqual({ name: 'prod', version: '1.31' });
    expect(writes[3]!.input).toEqual({ name: 'prod', resourcesVpcConfig: { endpointPublicAccess: false } });
    expect(ctx.messages.some((m) => m.includes('update u-1 (VersionUpdate): Successful'))).toBe(true);
    const observed = await cluster.observe(clusterRef, callContext());
    expect(observed!.attributes).toMatchObject({
      version: '1.31',
      endpointPublicAccess: false,
      tags: { owner: 'ops', team: 'platform' },
    });
  });

  it('never re-sends an unchanged value', async () => {
    const { eks, cluster } = setup();
    await cluster.create(
      { ref: clusterRef, attributes: eksClusterAttrs, idempotencyToken: 't' },
      callContext(),
    );
    eks.calls.length = 0;
    await cluster.patch(
      clusterRef,
      [{ attribute: 'endpointPublicAccess', from: true, to: true }],
      { kind: 'read-before-write', expected: { endpointPublicAccess: true } },
      callContext(),
    );
    expect(eks.calls.map((c) => c.name)).toEqual(['DescribeCluster', 'DescribeCluster']);
  });

  it('turns a Failed update into a fatal ProviderError', async () => {
    const { cluster } = setup({ failUpdates: true });
    await cluster.create(
      { ref: clusterRef, attributes: eksClusterAttrs, idempotencyToken: 't' },
      callContext(),
    );
    const error = await cluster
      .patch(
        clusterRef,
        [{ attribute: 'version', from: '1.30', to: '1.31' }],
        { kind: 'read-before-write', expected: { version: '1.30' } },
        callContext(),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'fatal', message: expect.stringContaining('simulated failure') });
  });

  it('rejects skipping a minor version and downgrades before any update call', async () => {
    const { eks, cluster } = setup();
    await cluster.create(
      { ref: clusterRef, attributes: eksClusterAttrs, idempotencyToken: 't' },
      callContext(),
    );
    for (const to of ['1.32', '1.29']) {
      await expect(
        cluster.patch(
          clusterRef,
          [{ attribute: 'version', from: '1.30', to }],
          { kind: 'read-before-write', expected: { version: '1.30' } },
          callContext(),
        ),
      ).rejects.toBeInstanceOf(ValidationError);
    }
    expect(eks.count('UpdateClusterVersion')).toBe(0);
  });

  it('conflicts when the version moved outside Patchbay', async () => {
    const { eks, cluster } = setup();
    await cluster.create(
      { ref: clusterRef, attributes: eksClusterAttrs, idempotencyToken: 't' },
      callContext(),
    );
    // Moved to a third value (neither expected nor the target): a conflict.
    eks.cluster().version = '1.29';
    await expect(
      cluster.patch(
        clusterRef,
        [{ attribute: 'version', from: '1.30', to: '1.31' }],
        { kind: 'read-before-write', expected: { version: '1.30' } },
        callContext(),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(eks.count('UpdateClusterVersion')).toBe(0);
  });

  it('classifies an update rejected because another is in progress as transient', async () => {
    const { eks, cluster } = setup();
    await cluster.create(
      { ref: clusterRef, attributes: eksClusterAttrs, idempotencyToken: 't' },
      callContext(),
    );
    // Someone else started an update that is still running.
    await eks.send({
      constructor: { name: 'UpdateClusterVersionCommand' },
      input: { name: 'prod', version: '1.31' },
    });
    const error = await cluster
      .patch(
        clusterRef,
        [{ attribute: 'endpointPublicAccess', from: true, to: false }],
        { kind: 'read-before-write', expected: { endpointPublicAccess: true } },
        callContext(),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', cause: { name: 'ResourceInUseException' } });
  });
});

describe('aws.eks.nodegroup', () => {
  it('creates, observes equal to desired after normalization, and is found by name', async () => {
    const { nodes } = setup();
    const created = await nodes.create(
      { ref: nodesRef, attributes: nodeAttrs, idempotencyToken: 'n' },
      callContext(),
    );
    expect(created.physicalId).toBe('prod/prod-nodes');
    const observed = await nodes.observe(nodesRef, callContext());
    for (const [k, v] of Object.entries(nodeAttrs))
      expect(observed!.attributes[k]).toEqual(nodes.normalize!(k, v));
  });

  it('changes scaling and labels in one UpdateNodegroupConfig with only the changed values', async () => {
    const { eks, nodes } = setup();
    await nodes.create({ ref: nodesRef, attributes: nodeAttrs, idempotencyToken: 'n' }, callContext());
    eks.calls.length = 0;
    await nodes.patch(
      nodesRef,
      [
        { attribute: 'maxSize', from: 3, to: 5 },
        { attribute: 'desiredSize', from: 1, to: 1 },
        { attribute: 'labels.pool', from: 'default', to: undefined },
        { attribute: 'labels.tier', from: undefined, to: 'web' },
      ],
      { kind: 'read-before-write', expected: { maxSize: 3, desiredSize: 1, 'labels.pool': 'default' } },
      callContext(),
    );
    const update = eks.calls.filter((c) => c.name === 'UpdateNodegroupConfig');
    expect(update).toEqual([
      {
        name: 'UpdateNodegroupConfig',
        input: {
          clusterName: 'prod',
          nodegroupName: 'prod-nodes',
          scalingConfig: { maxSize: 5 },
          labels: { addOrUpdateLabels: { tier: 'web' }, removeLabels: ['pool'] },
        },
      },
    ]);
    expect(eks.count('DescribeUpdate')).toBeGreaterThanOrEqual(2);
    const observed = await nodes.observe(nodesRef, callContext());
    expect(observed!.attributes).toMatchObject({ maxSize: 5, labels: { tier: 'web' } });
  });

  it('rejects sizes that break min ≤ desired ≤ max before any call', async () => {
    const { eks, nodes } = setup();
    await nodes.create({ ref: nodesRef, attributes: nodeAttrs, idempotencyToken: 'n' }, callContext());
    eks.calls.length = 0;
    await expect(
      nodes.patch(
        nodesRef,
        [{ attribute: 'maxSize', from: 3, to: 0 }],
        { kind: 'read-before-write', expected: { maxSize: 3 } },
        callContext(),
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(eks.count('UpdateNodegroupConfig')).toBe(0);
  });

  it('refuses an in-place change of an immutable attribute', async () => {
    const { nodes } = setup();
    expect(nodes.immutable).toEqual(expect.arrayContaining(['nodeRoleArn', 'subnets', 'instanceTypes']));
    await expect(
      nodes.patch(
        nodesRef,
        [{ attribute: 'instanceTypes', from: ['t3.medium'], to: ['m7g.large'] }],
        { kind: 'read-before-write', expected: {} },
        callContext(),
      ),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
