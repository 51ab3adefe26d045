import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  EKSClient,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateClusterConfigCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupConfigCommand,
  waitUntilClusterActive,
  waitUntilClusterDeleted,
  waitUntilNodegroupActive,
} from '@aws-sdk/client-eks';
import { awsClientConfig, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sandbox: Sandbox;
let eks: EKSClient;
const waitFast = { maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.1 };
const clusterInput = {
  name: 'k1',
  roleArn: 'arn:aws:iam::123456789012:role/eks',
  version: '1.30',
  resourcesVpcConfig: { subnetIds: ['subnet-a', 'subnet-b'], endpointPublicAccess: true },
  clientRequestToken: 'create-k1',
  tags: { env: 'prod' },
};

async function waitForUpdate(name: string, updateId: string, nodegroupName?: string) {
  for (let i = 0; i < 200; i += 1) {
    const { update } = await eks.send(new DescribeUpdateCommand({ name, updateId, nodegroupName }));
    if (update?.status !== 'InProgress') return update!;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('update did not finish');
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 20 });
  eks = new EKSClient(awsClientConfig(sandbox));
});

afterAll(async () => {
  eks.destroy();
  await sandbox.close();
});

describe('EKS clusters', () => {
  it('creates idempotently by clientRequestToken and becomes ACTIVE', async () => {
    const { cluster } = await eks.send(new CreateClusterCommand(clusterInput));
    expect(cluster).toMatchObject({ name: 'k1', status: 'CREATING', version: '1.30', tags: { env: 'prod' } });
    const again = await eks.send(new CreateClusterCommand(clusterInput));
    expect(again.cluster?.arn).toBe(cluster?.arn);
    await expect(
      eks.send(new CreateClusterCommand({ ...clusterInput, clientRequestToken: 'other' })),
    ).rejects.toMatchObject({
      name: 'ResourceInUseException',
      $metadata: { httpStatusCode: 409 },
    });
    const result = await waitUntilClusterActive({ client: eks, ...waitFast }, { name: 'k1' });
    expect(result.state).toBe('SUCCESS');
    const active = await eks.send(new DescribeClusterCommand({ name: 'k1' }));
    expect(active.cluster?.endpoint).toMatch(/^https:\/\/.+\.eks\.amazonaws\.com$/);
    expect(active.cluster?.createdAt).toBeInstanceOf(Date);
  });

  it('answers ResourceNotFoundException for a missing cluster', async () => {
    await expect(eks.send(new DescribeClusterCommand({ name: 'ghost' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('runs one config update at a time, followed through DescribeUpdate', async () => {
    sandbox.faults.add({ api: 'eks', operation: 'UpdateClusterConfig', operationDelayMs: 200 });
    const { update } = await eks.send(
      new UpdateClusterConfigCommand({ name: 'k1', resourcesVpcConfig: { endpointPrivateAccess: true } }),
    );
    expect(update).toMatchObject({ status: 'InProgress', type: 'VpcConfigUpdate' });
    expect(update?.params).toContainEqual({ type: 'EndpointPrivateAccess', value: 'true' });
    await expect(
      eks.send(
        new UpdateClusterConfigCommand({
          name: 'k1',
          logging: { clusterLogging: [{ types: ['api'], enabled: true }] },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceInUseException' });
    expect((await waitForUpdate('k1', update!.id!)).status).toBe('Successful');
    sandbox.faults.clear();
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'k1' }));
    expect(cluster?.status).toBe('ACTIVE');
    expect(cluster?.resourcesVpcConfig?.endpointPrivateAccess).toBe(true);
  });

  it('rejects unchanged values, several kinds at once, and immutable network settings', async () => {
    await expect(
      eks.send(
        new UpdateClusterConfigCommand({ name: 'k1', resourcesVpcConfig: { endpointPrivateAccess: true } }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('already at the desired configuration'),
    });
    await expect(
      eks.send(
        new UpdateClusterConfigCommand({
          name: 'k1',
          resourcesVpcConfig: { endpointPublicAccess: false },
          logging: { clusterLogging: [{ types: ['api'], enabled: true }] },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('Only one type of update'),
    });
    await expect(
      eks.send(
        new UpdateClusterConfigCommand({
          name: 'k1',
          kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16' },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('serviceIpv4Cidr'),
    });
  });

  it('upgrades one minor version at a time', async () => {
    await expect(
      eks.send(new UpdateClusterVersionCommand({ name: 'k1', version: '1.32' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    const { update } = await eks.send(new UpdateClusterVersionCommand({ name: 'k1', version: '1.31' }));
    expect(update?.type).toBe('VersionUpdate');
    expect((await waitForUpdate('k1', update!.id!)).status).toBe('Successful');
    expect((await eks.send(new DescribeClusterCommand({ name: 'k1' }))).cluster?.version).toBe('1.31');
  });

  it('updates logging', async () => {
    const { update } = await eks.send(
      new UpdateClusterConfigCommand({
        name: 'k1',
        logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] },
      }),
    );
    await waitForUpdate('k1', update!.id!);
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'k1' }));
    expect(cluster?.logging?.clusterLogging).toEqual([
      { types: ['api', 'audit'], enabled: true },
      { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false },
    ]);
  });
});

describe('EKS node groups', () => {
  it('creates a node group, scales and labels it through one update, and rejects immutable changes', async () => {
    const { nodegroup } = await eks.send(
      new CreateNodegroupCommand({
        clusterName: 'k1',
        nodegroupName: 'ng1',
        subnets: ['subnet-a'],
        nodeRole: 'arn:aws:iam::123456789012:role/node',
        scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
        instanceTypes: ['m6i.large'],
      }),
    );
    expect(nodegroup).toMatchObject({ status: 'CREATING', version: '1.31', instanceTypes: ['m6i.large'] });
    expect(
      (
        await waitUntilNodegroupActive(
          { client: eks, ...waitFast },
          { clusterName: 'k1', nodegroupName: 'ng1' },
        )
      ).state,
    ).toBe('SUCCESS');
    const { update } = await eks.send(
      new UpdateNodegroupConfigCommand({
        clusterName: 'k1',
        nodegroupName: 'ng1',
        scalingConfig: { desiredSize: 3 },
        labels: { addOrUpdateLabels: { tier: 'web' } },
      }),
    );
    expect(update?.type).toBe('ConfigUpdate');
    expect((await waitForUpdate('k1', update!.id!, 'ng1')).status).toBe('Successful');
    const described = await eks.send(
      new DescribeNodegroupCommand({ clusterName: 'k1', nodegroupName: 'ng1' }),
    );
    expect(described.nodegroup?.scalingConfig).toEqual({ minSize: 1, maxSize: 3, desiredSize: 3 });
    expect(described.nodegroup?.labels).toEqual({ tier: 'web' });

    await expect(
      eks.send(
        new UpdateNodegroupConfigCommand({
          clusterName: 'k1',
          nodegroupName: 'ng1',
          scalingConfig: { desiredSize: 3 },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('already at the desired configuration'),
    });
    await expect(
      eks.send(
        new UpdateNodegroupConfigCommand({
          clusterName: 'k1',
          nodegroupName: 'ng1',
          scalingConfig: { desiredSize: 9 },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const raw = await fetch(`${sandbox.url}/clusters/k1/node-groups/ng1/update-config`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization:
          'AWS4-HMAC-SHA256 Credential=x/20240101/us-east-1/eks/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify({ instanceTypes: ['m7i.large'] }),
    });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-amzn-errortype')).toBe('InvalidParameterException');
    expect(((await raw.json()) as { message: string }).message).toContain('instanceTypes cannot be changed');
  });

  it('tags clusters by ARN', async () => {
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'k1' }));
    await eks.send(new TagResourceCommand({ resourceArn: cluster!.arn!, tags: { owner: 'ana' } }));
    await eks.send(new UntagResourceCommand({ resourceArn: cluster!.arn!, tagKeys: ['env'] }));
    const { tags } = await eks.send(new ListTagsForResourceCommand({ resourceArn: cluster!.arn! }));
    expect(tags).toEqual({ owner: 'ana' });
  });

  it('refuses to delete a cluster with node groups, then deletes both', async () => {
    await expect(eks.send(new DeleteClusterCommand({ name: 'k1' }))).rejects.toMatchObject({
      name: 'ResourceInUseException',
    });
    await eks.send(new DeleteNodegroupCommand({ clusterName: 'k1', nodegroupName: 'ng1' }));
    await new Promise((resolve) => setTimeout(resolve, 40));
    const { cluster } = await eks.send(new DeleteClusterCommand({ name: 'k1' }));
    expect(cluster?.status).toBe('DELETING');
    expect((await waitUntilClusterDeleted({ client: eks, ...waitFast }, { name: 'k1' })).state).toBe(
      'SUCCESS',
    );
  });
});
