import { createEngine, MemoryStore, outputRef, type ResourceSpec } from '@patchbay/core';
import { aws } from '@patchbay/provider-aws';
import { awsClientConfig, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The provider driven by the real engine (plan → apply) against the sandbox, as users run it.
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 5 });
});

afterAll(async () => {
  await sandbox.close();
});

function specs(overrides: { image?: string; desiredCount?: number } = {}): ResourceSpec[] {
  return [
    { id: 'cluster', type: 'aws.ecs.cluster', name: 'shop', attributes: { tags: { app: 'shop' } } },
    {
      id: 'taskdef/api',
      type: 'aws.ecs.task-definition',
      name: 'shop-api',
      attributes: {
        cpu: 256,
        memory: 512,
        image: overrides.image ?? 'registry.example.com/api:1',
        port: 8080,
        environment: { PATCHBAY_RUNTIME_CONFIG: '{"local":["api"]}' },
        secrets: {},
        tags: { app: 'shop' },
      },
    },
    {
      id: 'compute/api',
      type: 'aws.ecs.service',
      name: 'shop-api',
      dependsOn: ['cluster'],
      policy: { createOnly: ['cluster'] },
      attributes: {
        cluster: 'shop',
        taskDefinition: outputRef('taskdef/api', 'arn'),
        desiredCount: overrides.desiredCount ?? 1,
        subnets: ['subnet-b', 'subnet-a'],
        securityGroups: ['sg-1'],
        assignPublicIp: false,
        tags: { app: 'shop' },
      },
    },
    {
      id: 'db/main',
      type: 'aws.rds.instance',
      name: 'shop-main',
      attributes: {
        engine: 'postgres',
        instanceClass: 'db.t4g.micro',
        allocatedStorage: 20,
        multiAz: false,
        backupRetentionPeriod: 7,
        deletionProtection: true,
        tags: { app: 'shop' },
      },
    },
  ];
}

describe('engine + aws provider + sandbox', () => {
  it('applies, then plans nothing; a desiredCount change costs 1 read and 1 UpdateService; an image change registers one revision', async () => {
    const provider = aws({ ...awsClientConfig(sandbox), maxAttempts: 1, pollIntervalMs: 2 });
    const engine = createEngine({ environment: 'shop', providers: [provider], store: new MemoryStore() });

    const first = await engine.apply(await engine.plan(specs()));
    expect(first.ok).toBe(true);
    const again = await engine.plan(specs());
    expect(again.empty).toBe(true);
    expect(again.reads).toBe(0);

    sandbox.counters.reset();
    const scale = await engine.plan(specs({ desiredCount: 3 }));
    expect(await engine.apply(scale)).toMatchObject({ ok: true });
    expect(sandbox.counters.get('ecs', 'UpdateService')).toBe(1);
    expect(sandbox.counters.get('ecs', 'RegisterTaskDefinition')).toBe(0);
    expect(sandbox.counters.total('rds')).toBe(0);
    expect(
      (sandbox.console.get('ecs', 'service', 'shop/shop-api')!.data as { desiredCount: number }).desiredCount,
    ).toBe(3);

    sandbox.counters.reset();
    const roll = await engine.plan(specs({ desiredCount: 3, image: 'registry.example.com/api:2' }));
    expect(await engine.apply(roll)).toMatchObject({ ok: true });
    expect(sandbox.counters.get('ecs', 'RegisterTaskDefinition')).toBe(1);
    expect(sandbox.counters.get('ecs', 'UpdateService')).toBe(1);
    const service = sandbox.console.get('ecs', 'service', 'shop/shop-api')!.data as {
      taskDefinition: string;
    };
    expect(service.taskDefinition).toMatch(/task-definition\/shop-api:2$/);
    expect((await engine.plan(specs({ desiredCount: 3, image: 'registry.example.com/api:2' }))).empty).toBe(
      true,
    );
  });
});
