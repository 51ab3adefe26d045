import { createEngine, MemoryStore, outputRef, type ResourceSpec, ValidationError } from '@patchbay/core';
import { aws } from '@patchbay/provider-aws';
import { awsClientConfig, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// Plan-time validation (ResourceType.validate) with the real engine against the sandbox: a bad attribute is
// rejected by plan() before any AWS call, never after other resources were created.
let sandbox: Sandbox;
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/db-AbCdEf';
const EXEC_ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecution';

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 5 });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(() => sandbox.counters.reset());

function engine(environment = 'shop') {
  const provider = aws({ ...awsClientConfig(sandbox), maxAttempts: 1, pollIntervalMs: 2 });
  return createEngine({ environment, providers: [provider], store: new MemoryStore() });
}

const database = (name: string, attributes: ResourceSpec['attributes'] = {}): ResourceSpec => ({
  id: `db/${name}`,
  type: 'aws.rds.instance',
  name: `shop-${name}`,
  attributes: {
    engine: 'postgres',
    instanceClass: 'db.t4g.micro',
    allocatedStorage: 20,
    backupRetentionPeriod: 7,
    ...attributes,
  },
});

const taskDefinition = (attributes: ResourceSpec['attributes'] = {}): ResourceSpec => ({
  id: 'compute/api/task',
  type: 'aws.ecs.task-definition',
  name: 'shop-api',
  attributes: {
    cpu: 256,
    memory: 512,
    image: 'registry.example.com/api:1',
    port: 8080,
    environment: {},
    secrets: { DATABASE_CREDENTIALS: outputRef('db/main', 'masterUserSecretArn') },
    executionRoleArn: EXEC_ROLE,
    ...attributes,
  },
});

const service = (
  attributes: ResourceSpec['attributes'] = {},
  policy: ResourceSpec['policy'] = {},
): ResourceSpec => ({
  id: 'compute/api',
  type: 'aws.ecs.service',
  name: 'shop-api',
  attributes: {
    cluster: 'shop',
    taskDefinition: outputRef('compute/api/task', 'arn'),
    desiredCount: 1,
    subnets: ['subnet-a'],
    securityGroups: ['sg-1'],
    assignPublicIp: false,
    ...attributes,
  },
  policy: { createOnly: ['cluster'], ...policy },
});

const nodegroup = (id: string, attributes: ResourceSpec['attributes']): ResourceSpec => ({
  id,
  type: 'aws.eks.nodegroup',
  name: `shop-${id.slice(4)}`,
  attributes: { cluster: 'shop', subnets: ['subnet-a'], instanceTypes: ['t3.medium'], ...attributes },
});

/** The task definition as desiredResources makes it when the environment names no execution role. */
function withoutRole(spec: ResourceSpec): ResourceSpec {
  const { executionRoleArn: _role, ...attributes } = spec.attributes;
  return { ...spec, attributes };
}

async function planError(specs: ResourceSpec[]): Promise<ValidationError> {
  const error = await engine()
    .plan(specs)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('plan-time validation of AWS attributes', () => {
  it('rejects secrets without executionRoleArn before the databases are created (the mid-apply failure seen)', async () => {
    const error = await planError([
      database('main'),
      database('audit'),
      withoutRole(taskDefinition({ secrets: { DB: SECRET_ARN } })),
    ]);
    expect(error.issues.map((i) => i.path)).toEqual([['compute/api/task', 'executionRoleArn']]);
    expect(error.message).toContain('compute/api/task.executionRoleArn: is required when secrets are set');
    // Not one AWS call: the two RDS instances were not even looked up, let alone created.
    expect(sandbox.counters.total()).toBe(0);
    expect(sandbox.console.get('rds', 'dbInstance', 'shop-main')).toBeUndefined();
  });

  it('lists every issue of every resource in one error, paths starting with the resource id', async () => {
    const error = await planError([
      database('main', { allocatedStorage: 10, instanceClass: 'm5.large' }),
      withoutRole(
        taskDefinition({
          cpu: '0.25 vCPU',
          memory: 4096,
          secrets: { DB: 'hunter2-plain-password', OK: SECRET_ARN },
        }),
      ),
      service({ subnets: [] }),
      nodegroup('k8s/nodes', { nodeRoleArn: EXEC_ROLE, minSize: 3, maxSize: 2 }),
      // desiredResources leaves nodeRoleArn out when the environment names none: create would fail.
      nodegroup('k8s/spot', { minSize: 1, maxSize: 2 }),
    ]);
    expect(error.issues.map((i) => i.path.join('.'))).toEqual([
      'db/main.instanceClass',
      'db/main.allocatedStorage',
      'compute/api/task.memory',
      'compute/api/task.secrets.DB',
      'compute/api/task.executionRoleArn',
      'compute/api.subnets',
      'k8s/nodes.desiredSize',
      'k8s/spot.nodeRoleArn',
    ]);
    const memory = error.issues.find((i) => i.path.join('.') === 'compute/api/task.memory')!;
    // cpu "0.25 vCPU" was normalized to 256 before validate saw it: the allowed memory is for 256.
    expect(memory).toMatchObject({ received: 4096, allowed: [512, 1024, 2048] });
    // A secret passed by value is never echoed.
    expect(JSON.stringify(error.issues)).not.toContain('hunter2');
    expect(error.message).not.toContain('hunter2');
    expect(sandbox.counters.total()).toBe(0);
  });

  it('plans a service without securityGroups (AWS falls back to the VPC default group), not one without subnets', async () => {
    const { securityGroups: _sg, ...withoutGroups } = service().attributes;
    const plan = await engine('nosg').plan([
      database('main'),
      taskDefinition(),
      { ...service(), attributes: withoutGroups },
    ]);
    expect(plan.actions.map((a) => a.kind)).toEqual(['create', 'create', 'create']);
    const { subnets: _subnets, ...withoutSubnets } = withoutGroups;
    const error = await planError([
      database('main'),
      taskDefinition(),
      { ...service(), attributes: withoutSubnets },
    ]);
    expect(error.issues.map((i) => i.path.join('.'))).toEqual(['compute/api.subnets']);
  });

  it('does not judge values known only after apply, nor require attributes of an observe-only spec', async () => {
    // The task definition's secret ARN and the service's task definition ARN come from resources created in
    // this plan: left out of validate, so no "missing" issue. The plan goes on to read by name.
    const plan = await engine('fresh').plan([database('main'), taskDefinition(), service()]);
    expect(plan.actions.map((a) => a.kind)).toEqual(['create', 'create', 'create']);
    expect(sandbox.counters.total()).toBeGreaterThan(0);

    const observeOnly = await engine('watch').plan([
      {
        id: 'compute/api',
        type: 'aws.ecs.service',
        name: 'shop-api',
        attributes: { desiredCount: 2 },
        policy: { mode: 'observe-only' },
      },
    ]);
    expect(observeOnly.actions[0]?.kind).toBe('blocked');
  });

  it('leaves checks that need the live resource in patch: an EKS version jump is not a plan-time issue', async () => {
    const provider = aws({ ...awsClientConfig(sandbox), maxAttempts: 1 });
    const cluster = provider.types['aws.eks.cluster']!;
    const ref = { id: 'k8s/cluster', type: 'aws.eks.cluster', name: 'shop', environment: 'shop' };
    const attributes = { version: '1.31', roleArn: EXEC_ROLE, subnets: ['subnet-a', 'subnet-b'] };
    expect(cluster.validate?.(attributes, ref, { knownAfterApply: [], mayCreate: true })).toEqual([]);
    expect(
      cluster.validate?.({ ...attributes, version: 'latest' }, ref, { knownAfterApply: [], mayCreate: true }),
    ).toMatchObject([{ path: ['version'], received: 'latest' }]);
    // Required at creation only: an observe-only spec may leave roleArn out.
    expect(cluster.validate?.({ version: '1.31' }, ref, { knownAfterApply: [], mayCreate: false })).toEqual(
      [],
    );
    expect(
      cluster.validate?.({ version: '1.31' }, ref, { knownAfterApply: [], mayCreate: true }),
    ).toMatchObject([{ path: ['roleArn'] }, { path: ['subnets'] }]);
  });
});
