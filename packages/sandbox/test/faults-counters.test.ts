import { CreateClusterCommand, DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { ValidationError } from '@patchbay/core';
import { awsClientConfig, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let sandbox: Sandbox;
let ecs: ECSClient;

beforeEach(async () => {
  // Seed 2: with throttleRate 0.5 no call below is throttled three times running, which would exhaust the
  // SDK's 3 default attempts (a 1-in-8 chance per call, as against the real cloud).
  sandbox = await startSandbox({ seed: 2 });
  ecs = new ECSClient(awsClientConfig(sandbox));
  await ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
  sandbox.counters.reset();
});

afterEach(async () => {
  ecs.destroy();
  await sandbox.close();
});

describe('faults', () => {
  it('throttles half the calls; the SDK default retries still succeed and the counters show the retries', async () => {
    sandbox.faults.set([{ api: 'ecs', operation: 'DescribeClusters', throttleRate: 0.5 }]);
    for (let i = 0; i < 4; i += 1) {
      const { clusters } = await ecs.send(new DescribeClustersCommand({ clusters: ['c'] }));
      expect(clusters?.[0]?.clusterName).toBe('c');
    }
    const detail = sandbox.counters.detail('ecs', 'DescribeClusters');
    expect(detail.throttled).toBeGreaterThan(0);
    expect(detail.calls).toBe(4 + detail.throttled);
    expect(sandbox.counters.throttled('ecs')).toBe(detail.throttled);
  });

  it('surfaces each API its own throttling error when retries are off', async () => {
    sandbox.faults.set([
      { api: 'ecs', throttleRate: 1 },
      { api: 'rds', throttleRate: 1 },
      { api: 'eks', throttleRate: 1 },
    ]);
    const config = { ...awsClientConfig(sandbox), maxAttempts: 1 };
    const rds = new RDSClient(config);
    const eks = new EKSClient(config);
    const single = new ECSClient(config);
    await expect(single.send(new DescribeClustersCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(rds.send(new DescribeDBInstancesCommand({}))).rejects.toMatchObject({
      name: 'Throttling',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(eks.send(new DescribeClusterCommand({ name: 'x' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 429 },
    });
    expect(sandbox.counters.snapshot()).toEqual({
      'ecs.DescribeClusters': 1,
      'eks.DescribeCluster': 1,
      'rds.DescribeDBInstances': 1,
    });
    expect(sandbox.counters.throttled()).toBe(3);
    for (const client of [rds, eks, single]) client.destroy();
  });

  it('injects 5xx errors that the SDK retries, and shows them when retries are off', async () => {
    sandbox.faults.add({ api: 'ecs', errorRate: 1 });
    const single = new ECSClient({ ...awsClientConfig(sandbox), maxAttempts: 1 });
    await expect(single.send(new DescribeClustersCommand({}))).rejects.toMatchObject({
      name: 'ServerException',
      $metadata: { httpStatusCode: 500 },
    });
    const retrying = new ECSClient({ ...awsClientConfig(sandbox), maxAttempts: 2 });
    await expect(retrying.send(new DescribeClustersCommand({}))).rejects.toMatchObject({
      name: 'ServerException',
    });
    expect(sandbox.counters.detail('ecs', 'DescribeClusters')).toEqual({
      calls: 3,
      throttled: 0,
      faulted: 3,
    });
    single.destroy();
    retrying.destroy();
  });

  it('applies a token-bucket rate limit from a rule', async () => {
    sandbox.faults.add({
      api: 'ecs',
      operation: 'DescribeClusters',
      rateLimit: { perSecond: 0.001, burst: 2 },
    });
    const single = new ECSClient({ ...awsClientConfig(sandbox), maxAttempts: 1 });
    await single.send(new DescribeClustersCommand({}));
    await single.send(new DescribeClustersCommand({}));
    await expect(single.send(new DescribeClustersCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    // Other operations have their own buckets.
    await single.send(new CreateClusterCommand({ clusterName: 'd' }));
    single.destroy();
  });

  it('enforces the published default limit: ECS cluster modify actions burst 20', async () => {
    const single = new ECSClient({ ...awsClientConfig(sandbox), maxAttempts: 1 });
    // beforeEach already spent one token of the cluster-modify bucket.
    let succeeded = 1;
    let throttled: unknown;
    for (let i = 0; i < 30 && !throttled; i += 1) {
      try {
        await single.send(new CreateClusterCommand({ clusterName: `c${i}` }));
        succeeded += 1;
      } catch (error) {
        throttled = error;
      }
    }
    expect(throttled).toMatchObject({ name: 'ThrottlingException' });
    expect(succeeded).toBeGreaterThanOrEqual(20);
    single.destroy();
  });

  it('can run without the default limits', async () => {
    const free = await startSandbox({ defaultRateLimits: false });
    const client = new ECSClient({ ...awsClientConfig(free), maxAttempts: 1 });
    for (let i = 0; i < 25; i += 1) await client.send(new CreateClusterCommand({ clusterName: `c${i}` }));
    expect(free.counters.detail('ecs', 'CreateCluster')).toEqual({ calls: 25, throttled: 0, faulted: 0 });
    client.destroy();
    await free.close();
  });

  it('rejects malformed rules and options with a ValidationError naming the field', async () => {
    expect(() => sandbox.faults.add({ api: 'ecs', throttleRate: 2 })).toThrow(ValidationError);
    expect(() => sandbox.faults.add({ api: 'ecs', throttleRate: 2 })).toThrow(/throttleRate/);
    await expect(startSandbox({ port: -1 })).rejects.toThrow(/port/);
    await expect(startSandbox({ colour: 'red' } as never)).rejects.toThrow(ValidationError);
  });
});

describe('counters', () => {
  it('counts calls per API and operation, totals and resets', async () => {
    await ecs.send(new DescribeClustersCommand({}));
    await ecs.send(new DescribeClustersCommand({}));
    await ecs.send(new CreateClusterCommand({ clusterName: 'e' }));
    expect(sandbox.counters.get('ecs', 'DescribeClusters')).toBe(2);
    expect(sandbox.counters.snapshot()).toEqual({ 'ecs.CreateCluster': 1, 'ecs.DescribeClusters': 2 });
    expect(sandbox.counters.total()).toBe(3);
    expect(sandbox.counters.total('ecs')).toBe(3);
    expect(sandbox.counters.total('rds')).toBe(0);
    sandbox.counters.reset();
    expect(sandbox.counters.total()).toBe(0);
  });

  it('does not count admin requests, and 404s what no API serves', async () => {
    await fetch(`${sandbox.url}/_sandbox/counters`);
    const response = await fetch(`${sandbox.url}/nothing/here`);
    expect(response.status).toBe(404);
    expect(sandbox.counters.total()).toBe(0);
  });
});
