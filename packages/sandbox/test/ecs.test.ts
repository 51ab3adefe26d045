import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
} from '@aws-sdk/client-ecs';
import { awsClientConfig, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sandbox: Sandbox;
let ecs: ECSClient;

const network = {
  awsvpcConfiguration: {
    subnets: ['subnet-1'],
    securityGroups: ['sg-1'],
    assignPublicIp: 'DISABLED' as const,
  },
};

async function registerApi(image = 'nginx:1') {
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'api',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { name: 'api', image, essential: true, portMappings: [{ containerPort: 8080 }] },
      ],
    }),
  );
  return taskDefinition!;
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 20 });
  ecs = new ECSClient(awsClientConfig(sandbox));
  await ecs.send(new CreateClusterCommand({ clusterName: 'prod', tags: [{ key: 'team', value: 'core' }] }));
});

afterAll(async () => {
  ecs.destroy();
  await sandbox.close();
});

describe('ECS clusters', () => {
  it('creates, describes (tags only when included) and reports missing clusters', async () => {
    const { clusters, failures } = await ecs.send(
      new DescribeClustersCommand({ clusters: ['prod', 'nope'] }),
    );
    expect(clusters?.[0]).toMatchObject({ clusterName: 'prod', status: 'ACTIVE' });
    expect(clusters?.[0]?.tags).toBeUndefined();
    expect(failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/nope', reason: 'MISSING' }]);
    const withTags = await ecs.send(new DescribeClustersCommand({ clusters: ['prod'], include: ['TAGS'] }));
    expect(withTags.clusters?.[0]?.tags).toEqual([{ key: 'team', value: 'core' }]);
  });

  it('deletes an empty cluster and rejects unknown ones', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'tmp' }));
    const { cluster } = await ecs.send(new DeleteClusterCommand({ cluster: 'tmp' }));
    expect(cluster?.status).toBe('INACTIVE');
    await expect(ecs.send(new DeleteClusterCommand({ cluster: 'tmp' }))).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
    });
  });
});

describe('ECS task definitions', () => {
  it('registers revision N+1 in the same family, describes and deregisters', async () => {
    const first = await registerApi('nginx:1');
    const second = await registerApi('nginx:2');
    expect(second.revision).toBe(first.revision! + 1);
    expect(second.taskDefinitionArn).toBe(
      `arn:aws:ecs:us-east-1:123456789012:task-definition/api:${second.revision}`,
    );
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'api' }));
    expect(latest.taskDefinition?.revision).toBe(second.revision);
    expect(latest.taskDefinition?.containerDefinitions?.[0]?.image).toBe('nginx:2');
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: `api:${first.revision}` }));
    const listed = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'api' }));
    expect(listed.taskDefinitionArns).toContain(second.taskDefinitionArn);
    expect(listed.taskDefinitionArns).not.toContain(first.taskDefinitionArn);
  });

  it('rejects a Fargate task definition without awsvpc', async () => {
    await expect(
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'bad',
          requiresCompatibilities: ['FARGATE'],
          cpu: '256',
          memory: '512',
          containerDefinitions: [{ name: 'x', image: 'x' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ClientException' });
  });

  it('answers ClientException for a missing task definition', async () => {
    await expect(
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'ghost:1' })),
    ).rejects.toMatchObject({
      name: 'ClientException',
    });
  });
});

describe('ECS services', () => {
  it('creates a Fargate service idempotently by clientToken and reaches a steady state', async () => {
    const taskDefinition = await registerApi();
    const input = {
      cluster: 'prod',
      serviceName: 'web',
      taskDefinition: taskDefinition.taskDefinitionArn,
      desiredCount: 2,
      launchType: 'FARGATE' as const,
      networkConfiguration: network,
      clientToken: 'token-1',
      tags: [{ key: 'env', value: 'prod' }],
    };
    const created = await ecs.send(new CreateServiceCommand(input));
    expect(created.service).toMatchObject({
      serviceName: 'web',
      status: 'ACTIVE',
      desiredCount: 2,
      launchType: 'FARGATE',
    });
    expect(created.service?.deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    const again = await ecs.send(new CreateServiceCommand(input));
    expect(again.service?.serviceArn).toBe(created.service?.serviceArn);
    await expect(
      ecs.send(new CreateServiceCommand({ ...input, clientToken: 'token-2' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });

    const result = await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.1 },
      { cluster: 'prod', services: ['web'] },
    );
    expect(result.state).toBe('SUCCESS');
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    expect(services?.[0]).toMatchObject({ runningCount: 2, pendingCount: 0 });
    expect(services?.[0]?.deployments).toHaveLength(1);
    expect(services?.[0]?.deployments?.[0]?.rolloutState).toBe('COMPLETED');
    expect(services?.[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('omits tags unless include TAGS is passed', async () => {
    const plain = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    expect(plain.services?.[0]?.tags).toBeUndefined();
    const tagged = await ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['web'], include: ['TAGS'] }),
    );
    expect(tagged.services?.[0]?.tags).toEqual([{ key: 'env', value: 'prod' }]);
  });

  it('requires awsvpc network configuration for a Fargate service', async () => {
    const taskDefinition = await registerApi();
    await expect(
      ecs.send(
        new CreateServiceCommand({
          cluster: 'prod',
          serviceName: 'no-network',
          taskDefinition: taskDefinition.taskDefinitionArn,
          launchType: 'FARGATE',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('Network Configuration'),
    });
  });

  it('updates only the fields sent, rolling out a new deployment for a new task definition', async () => {
    const next = await registerApi('nginx:3');
    const { service } = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: next.taskDefinitionArn }),
    );
    expect(service?.desiredCount).toBe(2);
    expect(service?.taskDefinition).toBe(next.taskDefinitionArn);
    expect(service?.deployments?.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE']);
    await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.1 },
      { cluster: 'prod', services: ['web'] },
    );
    const scaled = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 3 }),
    );
    expect(scaled.service?.deployments).toHaveLength(1);
    expect(scaled.service?.taskDefinition).toBe(next.taskDefinitionArn);
  });

  it('answers ServiceNotFoundException and ClusterNotFoundException', async () => {
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'ghost', desiredCount: 1 })),
    ).rejects.toMatchObject({ name: 'ServiceNotFoundException', $metadata: { httpStatusCode: 400 } });
    await expect(
      ecs.send(new DescribeServicesCommand({ cluster: 'nowhere', services: ['web'] })),
    ).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
    });
    const missing = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['ghost'] }));
    expect(missing.failures?.[0]?.reason).toBe('MISSING');
  });

  it('tags and untags services by ARN', async () => {
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    const arn = services![0]!.serviceArn!;
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'owner', value: 'ana' }] }));
    await ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env'] }));
    const { tags } = await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(tags).toEqual([{ key: 'owner', value: 'ana' }]);
    await expect(
      ecs.send(
        new ListTagsForResourceCommand({
          resourceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/ghost',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses to delete a scaled-up service without force, then drains it to INACTIVE', async () => {
    await expect(
      ecs.send(new DeleteServiceCommand({ cluster: 'prod', service: 'web' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    const { service } = await ecs.send(
      new DeleteServiceCommand({ cluster: 'prod', service: 'web', force: true }),
    );
    expect(service?.status).toBe('DRAINING');
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 1 })),
    ).rejects.toMatchObject({ name: 'ServiceNotActiveException' });
    await new Promise((resolve) => setTimeout(resolve, 40));
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    expect(services?.[0]?.status).toBe('INACTIVE');
  });

  it('rejects unknown fields and wrong types, naming the field', async () => {
    const response = await fetch(sandbox.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.UpdateService',
        authorization:
          'AWS4-HMAC-SHA256 Credential=sandbox/20240101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify({ cluster: 'prod', service: 'web', desiredCount: 'two', colour: 'blue' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidParameterException');
    const body = (await response.json()) as { __type: string; message: string };
    expect(body.__type).toBe('InvalidParameterException');
    expect(body.message).toContain('colour');
    expect(body.message).toContain('desiredCount');
  });
});
