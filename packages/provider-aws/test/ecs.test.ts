import { ECSClient } from '@aws-sdk/client-ecs';
import {
  type Attributes,
  ConflictError,
  type Provider,
  ProviderError,
  type ResourceRef,
  ValidationError,
} from '@patchbay/core';
import { aws } from '@patchbay/provider-aws';
import { awsClientConfig, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callContext } from './call-context.js';

let sandbox: Sandbox;
let provider: Provider;
let ecs: ECSClient;
const ctx = callContext();
const EXEC_ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecution';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';

const clusterRef: ResourceRef = { id: 'cluster', type: 'aws.ecs.cluster', name: 'prod', environment: 'prod' };
const tdRef = (unit: string): ResourceRef => ({
  id: `taskdef/${unit}`,
  type: 'aws.ecs.task-definition',
  name: `prod-${unit}`,
  environment: 'prod',
});
const svcRef = (unit: string): ResourceRef => ({
  id: `compute/${unit}`,
  type: 'aws.ecs.service',
  name: `prod-${unit}`,
  environment: 'prod',
});

function taskDefinition(overrides: Attributes = {}): Attributes {
  return {
    cpu: 256,
    memory: 512,
    image: 'registry.example.com/api:1',
    port: 8080,
    environment: { PATCHBAY_RUNTIME_CONFIG: '{"local":["api"]}', LOG_LEVEL: 'info' },
    secrets: { DATABASE_URL: SECRET },
    executionRoleArn: EXEC_ROLE,
    tags: { team: 'core' },
    ...overrides,
  };
}

function types() {
  return {
    cluster: provider.types['aws.ecs.cluster']!,
    td: provider.types['aws.ecs.task-definition']!,
    svc: provider.types['aws.ecs.service']!,
  };
}

/** Desired attributes as the engine compares them: each passed through the type's normalize. */
function normalized(type: keyof ReturnType<typeof types>, attrs: Attributes): Attributes {
  const t = types()[type];
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, t.normalize ? t.normalize(k, v) : v]));
}

function pick(attrs: Attributes, keys: string[]): Attributes {
  return Object.fromEntries(keys.map((k) => [k, attrs[k]!]));
}

async function createService(unit: string, overrides: Attributes = {}) {
  const { td, svc } = types();
  const def = await td.create(
    { ref: tdRef(unit), attributes: taskDefinition(), idempotencyToken: `td-${unit}` },
    ctx,
  );
  const attributes: Attributes = {
    cluster: 'prod',
    taskDefinition: def.outputs!.arn!,
    desiredCount: 1,
    subnets: ['subnet-b', 'subnet-a'],
    securityGroups: ['sg-1'],
    assignPublicIp: false,
    tags: { team: 'core' },
    ...overrides,
  };
  const created = await svc.create({ ref: svcRef(unit), attributes, idempotencyToken: `svc-${unit}` }, ctx);
  return { def, created, attributes, ref: { ...svcRef(unit), physicalId: created.physicalId! } };
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 5 });
  const config = awsClientConfig(sandbox);
  ecs = new ECSClient({ ...config, maxAttempts: 1 });
  provider = aws({
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.credentials,
    maxAttempts: 1,
    pollIntervalMs: 5,
  });
  await types().cluster.create(
    { ref: clusterRef, attributes: { tags: { team: 'core' } }, idempotencyToken: 'c' },
    ctx,
  );
});

afterAll(async () => {
  ecs.destroy();
  await sandbox.close();
});

describe('aws.ecs.cluster', () => {
  it('observes what it created, with ownership tags hidden from `tags` but present in AWS', async () => {
    const observed = await types().cluster.observe(clusterRef, ctx);
    expect(observed?.attributes).toEqual({ tags: { team: 'core' } });
    expect(observed?.outputs).toMatchObject({ name: 'prod', arn: expect.stringContaining(':cluster/prod') });
    const record = sandbox.console.get('ecs', 'cluster', 'prod');
    expect(JSON.stringify(record?.data)).toContain('patchbay:environment');
  });

  it('patches one tag key with TagResource and removes one with UntagResource, keeping console tags', async () => {
    const { cluster } = types();
    sandbox.console.tag('ecs', 'cluster', 'prod', 'cost-center', '42');
    sandbox.counters.reset();
    const observed = (await cluster.observe(clusterRef, ctx))!;
    await cluster.patch(
      { ...clusterRef, physicalId: observed.physicalId },
      [
        { attribute: 'tags.owner', from: undefined, to: 'alice' },
        { attribute: 'tags.team', from: 'core', to: undefined },
      ],
      { kind: 'read-before-write', expected: { 'tags.team': 'core' } },
      ctx,
    );
    expect(sandbox.counters.get('ecs', 'TagResource')).toBe(1);
    expect(sandbox.counters.get('ecs', 'UntagResource')).toBe(1);
    const after = await cluster.observe(clusterRef, ctx);
    expect(after?.attributes.tags).toEqual({ 'cost-center': '42', owner: 'alice' });
  });
  it('conflicts when a tag key it is about to add appeared in the console since the plan', async () => {
    const { cluster } = types();
    sandbox.console.tag('ecs', 'cluster', 'prod', 'oncall', 'carol');
    sandbox.counters.reset();
    const observed = (await cluster.observe(clusterRef, ctx))!;
    const attempt = cluster.patch(
      { ...clusterRef, physicalId: observed.physicalId },
      [{ attribute: 'tags.oncall', from: undefined, to: 'dave' }],
      { kind: 'read-before-write', expected: {} },
      ctx,
    );
    await expect(attempt).rejects.toMatchObject({ attribute: 'tags.oncall', actual: 'carol' });
    expect(sandbox.counters.get('ecs', 'TagResource')).toBe(0);
  });
});

describe('aws.ecs.task-definition', () => {
  it('creates a Fargate definition whose observed attributes equal the desired ones after normalization', async () => {
    const { td } = types();
    const desired = taskDefinition({
      cpu: '0.25 vCPU' as unknown as number,
      memory: '0.5 GB' as unknown as number,
    });
    const created = await td.create({ ref: tdRef('web'), attributes: desired, idempotencyToken: 't' }, ctx);
    expect(created.physicalId).toBe('prod-web');
    expect(created.outputs).toMatchObject({
      revision: 1,
      arn: expect.stringContaining('task-definition/prod-web:1'),
    });
    const observed = await td.observe({ ...tdRef('web'), physicalId: 'prod-web' }, ctx);
    expect(pick(observed!.attributes, Object.keys(desired))).toEqual(normalized('td', desired));
    // Secrets travel as references: the stored definition holds the ARN under valueFrom.
    const stored = sandbox.console.get('ecs', 'taskDefinition', 'prod-web:1')!.data as {
      containerDefinitions: { name: string; secrets: unknown; requiresCompatibilities?: unknown }[];
      requiresCompatibilities: string[];
      networkMode: string;
    };
    expect(stored.containerDefinitions[0]).toMatchObject({
      name: 'web',
      secrets: [{ name: 'DATABASE_URL', valueFrom: SECRET }],
    });
    expect(stored).toMatchObject({ requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc' });
  });

  it('rejects secrets passed by value and impossible Fargate sizes before any call, without echoing the value', async () => {
    const { td } = types();
    sandbox.counters.reset();
    const attempt = td.create(
      {
        ref: tdRef('bad'),
        attributes: taskDefinition({
          cpu: 256,
          memory: 4096,
          secrets: { DATABASE_URL: 'postgres://u:hunter2@db/x' },
        }),
        idempotencyToken: 'x',
      },
      ctx,
    );
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    const error = (await attempt.catch((e: unknown) => e)) as ValidationError;
    expect(error.issues.map((i) => i.path.join('.'))).toEqual(['memory', 'secrets.DATABASE_URL']);
    expect(error.message).not.toContain('hunter2');
    expect(sandbox.counters.total('ecs')).toBe(0);
  });

  it('registers revision N+1 with the full definition for an image change, keeping console-set fields', async () => {
    const { td } = types();
    await td.create({ ref: tdRef('worker'), attributes: taskDefinition(), idempotencyToken: 't' }, ctx);
    // Someone adds a log configuration in the console: Patchbay does not own it and must keep it.
    const record = sandbox.console.get('ecs', 'taskDefinition', 'prod-worker:1')!.data as {
      containerDefinitions: Record<string, unknown>[];
    };
    sandbox.console.edit('ecs', 'taskDefinition', 'prod-worker:1', {
      containerDefinitions: [
        {
          ...record.containerDefinitions[0],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'w' } },
        },
      ],
    });
    sandbox.counters.reset();
    const ref = { ...tdRef('worker'), physicalId: 'prod-worker' };
    const result = await td.patch(
      ref,
      [{ attribute: 'image', from: 'registry.example.com/api:1', to: 'registry.example.com/api:2' }],
      { kind: 'read-before-write', expected: { image: 'registry.example.com/api:1' } },
      ctx,
    );
    expect(sandbox.counters.get('ecs', 'RegisterTaskDefinition')).toBe(1);
    expect(result.outputs).toMatchObject({ revision: 2, arn: expect.stringContaining('prod-worker:2') });
    const next = sandbox.console.get('ecs', 'taskDefinition', 'prod-worker:2')!.data as {
      containerDefinitions: Record<string, unknown>[];
      tags?: unknown;
    };
    expect(next.containerDefinitions[0]).toMatchObject({
      image: 'registry.example.com/api:2',
      logConfiguration: { logDriver: 'awslogs' },
      secrets: [{ name: 'DATABASE_URL', valueFrom: SECRET }],
    });
    const observed = await td.observe(ref, ctx);
    expect(observed?.attributes.tags).toEqual({ team: 'core' });
  });

  it('does not register a new revision when nothing really changed, and tags the current one for a tag change', async () => {
    const { td } = types();
    await td.create({ ref: tdRef('cron'), attributes: taskDefinition(), idempotencyToken: 't' }, ctx);
    sandbox.counters.reset();
    const ref = { ...tdRef('cron'), physicalId: 'prod-cron' };
    // cpu "256" is 256: not a change.
    const same = await td.patch(
      ref,
      [{ attribute: 'cpu', from: 256, to: '256' }],
      { kind: 'read-before-write', expected: { cpu: 256 } },
      ctx,
    );
    expect(same.outputs).toMatchObject({ revision: 1 });
    await td.patch(
      ref,
      [{ attribute: 'tags.owner', from: undefined, to: 'bob' }],
      { kind: 'read-before-write', expected: {} },
      ctx,
    );
    expect(sandbox.counters.get('ecs', 'RegisterTaskDefinition')).toBe(0);
    expect(sandbox.counters.get('ecs', 'TagResource')).toBe(1);
    expect((await td.observe(ref, ctx))?.attributes.tags).toEqual({ owner: 'bob', team: 'core' });
  });

  it('aborts with ConflictError when the attribute moved in the console since the plan', async () => {
    const { td } = types();
    await td.create({ ref: tdRef('jobs'), attributes: taskDefinition(), idempotencyToken: 't' }, ctx);
    const record = sandbox.console.get('ecs', 'taskDefinition', 'prod-jobs:1')!.data as {
      containerDefinitions: Record<string, unknown>[];
    };
    sandbox.console.edit('ecs', 'taskDefinition', 'prod-jobs:1', {
      containerDefinitions: [{ ...record.containerDefinitions[0], image: 'hotfix:9' }],
    });
    sandbox.counters.reset();
    const attempt = td.patch(
      { ...tdRef('jobs'), physicalId: 'prod-jobs' },
      [{ attribute: 'image', from: 'registry.example.com/api:1', to: 'registry.example.com/api:2' }],
      { kind: 'read-before-write', expected: { image: 'registry.example.com/api:1' } },
      ctx,
    );
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toMatchObject({ attribute: 'image', actual: 'hotfix:9' });
    expect(sandbox.counters.get('ecs', 'RegisterTaskDefinition')).toBe(0);
  });

  it('deletes by deregistering every ACTIVE revision', async () => {
    const { td } = types();
    const ref = { ...tdRef('gone'), physicalId: 'prod-gone' };
    await td.create({ ref: tdRef('gone'), attributes: taskDefinition(), idempotencyToken: 't' }, ctx);
    await td.patch(
      ref,
      [{ attribute: 'image', from: 'registry.example.com/api:1', to: 'x:2' }],
      { kind: 'read-before-write', expected: { image: 'registry.example.com/api:1' } },
      ctx,
    );
    await td.delete!(ref, ctx);
    expect(await td.observe(ref, ctx)).toBeUndefined();
  });
});

describe('aws.ecs.service', () => {
  it('creates a Fargate service (waiting until stable) that observes equal to desired after normalization', async () => {
    const { svc } = types();
    const { created, attributes, ref } = await createService('api');
    expect(created.outputs?.arn).toContain(':service/prod/prod-api');
    const observed = await svc.observe(ref, ctx);
    expect(pick(observed!.attributes, Object.keys(attributes))).toEqual(normalized('svc', attributes));
    expect(ctx.messages.some((m) => m.includes('prod-api'))).toBe(true);
    // Found by name alone too (a crashed apply never recorded the ARN).
    expect((await svc.observe(svcRef('api'), ctx))?.physicalId).toBe(ref.physicalId);
  });

  it('creates a service without securityGroups (AWS then uses the VPC default group), but never without subnets', async () => {
    const { svc, td } = types();
    const def = await td.create(
      { ref: tdRef('nosg'), attributes: taskDefinition(), idempotencyToken: 'td-nosg' },
      ctx,
    );
    const attributes: Attributes = {
      cluster: 'prod',
      taskDefinition: def.outputs!.arn!,
      desiredCount: 1,
      subnets: ['subnet-a'],
      assignPublicIp: false,
    };
    const ref = svcRef('nosg');
    const context = { knownAfterApply: [], mayCreate: true };
    expect(svc.validate?.(attributes, ref, context)).toEqual([]);
    const { subnets: _subnets, ...noSubnets } = attributes;
    expect(svc.validate?.(noSubnets, ref, context)?.map((i) => i.path)).toEqual([['subnets']]);
    await expect(
      svc.create({ ref: svcRef('nonet'), attributes: noSubnets, idempotencyToken: 'svc-nonet' }, ctx),
    ).rejects.toBeInstanceOf(ValidationError);

    await svc.create({ ref, attributes, idempotencyToken: 'svc-nosg' }, ctx);
    const stored = sandbox.console.get('ecs', 'service', 'prod/prod-nosg')!.data as {
      networkConfiguration: { awsvpcConfiguration: Record<string, unknown> };
    };
    // Left out of the request, not sent as an empty list.
    expect(stored.networkConfiguration.awsvpcConfiguration).toEqual({
      subnets: ['subnet-a'],
      assignPublicIp: 'DISABLED',
    });
  });

  it('a desiredCount change is exactly one UpdateService and no RegisterTaskDefinition', async () => {
    const { svc } = types();
    const { ref } = await createService('count');
    sandbox.counters.reset();
    await svc.patch(
      ref,
      [{ attribute: 'desiredCount', from: 1, to: 3 }],
      { kind: 'read-before-write', expected: { desiredCount: 1 } },
      ctx,
    );
    expect(sandbox.counters.get('ecs', 'UpdateService')).toBe(1);
    expect(sandbox.counters.get('ecs', 'RegisterTaskDefinition')).toBe(0);
    const stored = sandbox.console.get('ecs', 'service', 'prod/prod-count')!.data as { desiredCount: number };
    expect(stored.desiredCount).toBe(3);
    expect((await svc.observe(ref, ctx))?.attributes.desiredCount).toBe(3);
  });

  it('sends only the changed fields in UpdateService', async () => {
    const { svc, td } = types();
    const { ref, def } = await createService('fields');
    const next = await td.patch(
      { ...tdRef('fields'), physicalId: 'prod-fields' },
      [{ attribute: 'image', from: 'registry.example.com/api:1', to: 'registry.example.com/api:2' }],
      { kind: 'read-before-write', expected: { image: 'registry.example.com/api:1' } },
      ctx,
    );
    const sent: Record<string, unknown>[] = [];
    const spy = new ECSClient(awsClientConfig(sandbox));
    spy.middlewareStack.add(
      (nextHandler, context) => async (args) => {
        if (context.commandName === 'UpdateServiceCommand') sent.push(args.input as Record<string, unknown>);
        return nextHandler(args);
      },
      { step: 'initialize' },
    );
    const config = awsClientConfig(sandbox);
    const spied = aws({ region: config.region, clients: { ecs: spy }, pollIntervalMs: 5 });
    await spied.types['aws.ecs.service']!.patch(
      ref,
      [{ attribute: 'taskDefinition', from: def.outputs!.arn!, to: next.outputs!.arn! }],
      { kind: 'read-before-write', expected: { taskDefinition: def.outputs!.arn! } },
      ctx,
    );
    expect(sent).toEqual([
      {
        cluster: expect.stringContaining('cluster/prod'),
        service: 'prod-fields',
        taskDefinition: next.outputs!.arn,
      },
    ]);
    spy.destroy();
    expect((await svc.observe(ref, ctx))?.attributes.taskDefinition).toBe(next.outputs!.arn);
  });

  it('changes subnets with one UpdateService carrying the whole awsvpc configuration', async () => {
    const { svc } = types();
    const { ref } = await createService('net');
    sandbox.counters.reset();
    await svc.patch(
      ref,
      [{ attribute: 'subnets', from: ['subnet-a', 'subnet-b'], to: ['subnet-c', 'subnet-a'] }],
      { kind: 'read-before-write', expected: { subnets: ['subnet-b', 'subnet-a'] } },
      ctx,
    );
    expect(sandbox.counters.get('ecs', 'UpdateService')).toBe(1);
    const observed = await svc.observe(ref, ctx);
    expect(observed?.attributes).toMatchObject({
      subnets: ['subnet-a', 'subnet-c'],
      securityGroups: ['sg-1'],
      assignPublicIp: false,
    });
  });

  it('aborts with ConflictError when desiredCount moved in the console, and writes nothing', async () => {
    const { svc } = types();
    const { ref } = await createService('race');
    sandbox.console.edit('ecs', 'service', 'prod/prod-race', { desiredCount: 7 });
    sandbox.counters.reset();
    const attempt = svc.patch(
      ref,
      [{ attribute: 'desiredCount', from: 1, to: 2 }],
      { kind: 'read-before-write', expected: { desiredCount: 1 } },
      ctx,
    );
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toMatchObject({ attribute: 'desiredCount', expected: 1, actual: 7 });
    expect(sandbox.counters.get('ecs', 'UpdateService')).toBe(0);
    expect(
      (sandbox.console.get('ecs', 'service', 'prod/prod-race')!.data as { desiredCount: number })
        .desiredCount,
    ).toBe(7);
  });

  it('reports a CloudFormation-tagged service as externally managed and refuses to patch it', async () => {
    const { svc } = types();
    const { ref } = await createService('cfn');
    sandbox.console.tag('ecs', 'service', 'prod/prod-cfn', 'aws:cloudformation:stack-name', 'legacy-stack');
    const observed = await svc.observe(ref, ctx);
    expect(observed?.managedBy).toBe('cloudformation:legacy-stack');
    expect(observed?.attributes.tags).toEqual({ team: 'core' });
    sandbox.counters.reset();
    const attempt = svc.patch(
      ref,
      [{ attribute: 'desiredCount', from: 1, to: 2 }],
      { kind: 'read-before-write', expected: { desiredCount: 1 } },
      ctx,
    );
    await expect(attempt).rejects.toMatchObject({
      kind: 'fatal',
      message: expect.stringContaining('cloudformation:legacy-stack'),
    });
    expect(sandbox.counters.get('ecs', 'UpdateService')).toBe(0);
  });

  it('deletes by scaling to zero, then DeleteService, and waits until it is gone', async () => {
    const { svc } = types();
    const { ref } = await createService('bye');
    sandbox.counters.reset();
    await svc.delete!(ref, ctx);
    expect(sandbox.counters.get('ecs', 'UpdateService')).toBe(1);
    expect(sandbox.counters.get('ecs', 'DeleteService')).toBe(1);
    expect(await svc.observe(ref, ctx)).toBeUndefined();
  });

  it('classifies an injected throttle as throttled, keeping the AWS code as cause', async () => {
    const { svc } = types();
    sandbox.faults.add({ api: 'ecs', operation: 'DescribeServices', throttleRate: 1 });
    try {
      const error = await svc.observe(svcRef('api'), ctx).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({
        kind: 'throttled',
        operation: 'DescribeServices',
        cause: { name: 'ThrottlingException' },
      });
      expect(provider.classifyError!(error)).toBe('throttled');
      expect(provider.classifyError!((error as ProviderError).cause)).toBe('throttled');
    } finally {
      sandbox.faults.set([]);
    }
  });

  it("finds a service by name in the cluster named by ref.identity, not only the environment's", async () => {
    const { cluster, svc } = types();
    const shared: ResourceRef = { ...clusterRef, id: 'shared', name: 'shared' };
    const made = await cluster.create({ ref: shared, attributes: {}, idempotencyToken: 'shared' }, ctx);
    const { ref } = await createService('elsewhere', { cluster: 'shared' });
    expect(ref.physicalId).toContain(':service/shared/prod-elsewhere');
    const byName = svcRef('elsewhere');
    // Without identity the type can only guess the environment's cluster (`prod`): not there.
    expect(await svc.observe(byName, ctx)).toBeUndefined();
    expect((await svc.observe({ ...byName, identity: { cluster: 'shared' } }, ctx))?.physicalId).toBe(
      ref.physicalId,
    );
    // A cluster ARN in the identity works too (the attribute normalizes ARNs to names).
    const arn = String(made.outputs?.arn);
    expect((await svc.observe({ ...byName, identity: { cluster: arn } }, ctx))?.physicalId).toBe(
      ref.physicalId,
    );
  });

  it('treats a missing service as absent and a patch of it as not-found', async () => {
    const { svc } = types();
    expect(await svc.observe(svcRef('nope'), ctx)).toBeUndefined();
    // In a cluster that does not exist (yet): ECS answers ClusterNotFoundException.
    expect(await svc.observe({ ...svcRef('nope'), environment: 'no-such-cluster' }, ctx)).toBeUndefined();
    await expect(
      svc.patch(
        svcRef('nope'),
        [{ attribute: 'desiredCount', from: 1, to: 2 }],
        { kind: 'read-before-write', expected: {} },
        ctx,
      ),
    ).rejects.toMatchObject({ kind: 'not-found' });
  });
});
