import {
  databaseUrl,
  desiredResources,
  type EnvironmentInput,
  parseApp,
  parseEnvironment,
  planAllocation,
  resolveOutputRefs,
} from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { runLocally } from './run-locally.js';
import { shopModel } from './shop-model.js';

const env = (allocation: EnvironmentInput['allocation']) =>
  parseEnvironment({
    name: 'staging',
    type: 'production',
    cloud: { provider: 'aws', region: 'eu-west-1', network: { subnets: ['subnet-0a1b2c3d'] } },
    // ECS injects the RDS-managed database secret with the execution role.
    compute: { kind: 'fargate', executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole' },
    database: { kind: 'rds' },
    allocation,
  });

async function checkout(strategy: EnvironmentInput['allocation']) {
  const allocation = planAllocation(parseApp(shopModel), env(strategy));
  const { units, stop } = await runLocally(allocation);
  try {
    const gateway = allocation.units.find((u) => u.gateway)!;
    const response = await fetch(`${units.get(gateway.name)!.url}/web/checkout`, {
      method: 'POST',
      body: JSON.stringify({ cart: `cart-${allocation.strategy}`, products: ['p1', 'p2'] }),
    });
    const calls = [...units.values()].flatMap((u) => u.client.calls);
    return { allocation, result: await response.json(), calls };
  } finally {
    await stop();
  }
}

describe('the shop runs unchanged under any strategy', () => {
  it('single: one process, every call in-process', async () => {
    const { allocation, result, calls } = await checkout({ strategy: 'single' });
    expect(allocation.units.map((u) => u.name)).toEqual(['app']);
    expect(result).toEqual({ cart: 'cart-single', items: ['p1', 'p2'], total: 124 });
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.via === 'local')).toBe(true);
  });

  it('per-service: four processes, every cross-service call over HTTP', async () => {
    const { allocation, result, calls } = await checkout({ strategy: 'per-service' });
    expect(allocation.units.map((u) => u.name)).toEqual(['cart', 'catalog', 'orders', 'web']);
    expect(result).toEqual({ cart: 'cart-per-service', items: ['p1', 'p2'], total: 124 });
    expect(calls.every((c) => c.via === 'remote')).toBe(true);
    // Each process made the calls its own services make, to the services it declares.
    expect(new Set(calls.map((c) => `${c.from}->${c.service}`))).toEqual(
      new Set(['web->cart', 'web->orders', 'cart->catalog', 'orders->cart', 'orders->catalog']),
    );
  });

  it('auto: the chatty web/cart/catalog trio shares a process, orders calls it remotely', async () => {
    const { allocation, result, calls } = await checkout({ strategy: 'auto', maxServicesPerUnit: 3 });
    expect(Object.fromEntries(allocation.units.map((u) => [u.name, u.services]))).toEqual({
      catalog: ['cart', 'catalog', 'web'],
      orders: ['orders'],
    });
    expect(result).toEqual({ cart: 'cart-auto', items: ['p1', 'p2'], total: 124 });
    const via = (from: string, service: string) =>
      calls.filter((c) => c.from === from && c.service === service).map((c) => c.via);
    expect(new Set(via('catalog', 'cart'))).toEqual(new Set(['local']));
    expect(new Set(via('catalog', 'orders'))).toEqual(new Set(['remote']));
    expect(new Set(via('orders', 'cart'))).toEqual(new Set(['remote']));
  });
});

describe('the shop reaches its database the same way under any strategy', () => {
  it('builds the URL from the variables its task definition sets and the secret ECS injects', () => {
    for (const strategy of ['single', 'per-service'] as const) {
      const environment = env({ strategy });
      const app = parseApp(shopModel);
      const allocation = planAllocation(app, environment);
      const specs = desiredResources(environment, app, allocation);
      for (const unit of allocation.units.filter((u) => u.databases.includes('main'))) {
        const task = specs.find((s) => s.id === `compute/${unit.name}/task`)!;
        // What the engine fills in once db/main exists, and what ECS reads from Secrets Manager.
        const outputs: Record<string, string> = {
          'db/main.endpoint': 'staging-main.c1.eu-west-1.rds.amazonaws.com',
          'db/main.masterUserSecretArn': 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds-AbCdEf',
        };
        const lookup = (ref: { resource: string; output: string }) =>
          outputs[`${ref.resource}.${ref.output}`];
        const plain = resolveOutputRefs(task.attributes.environment!, lookup) as Record<string, string>;
        const secrets = resolveOutputRefs(task.attributes.secrets!, lookup) as Record<string, string>;
        expect(Object.values(secrets)).toEqual([outputs['db/main.masterUserSecretArn']]);
        const injected = Object.fromEntries(
          Object.keys(secrets).map((name) => [
            name,
            JSON.stringify({ username: 'shop', password: 'pa:ss@1' }),
          ]),
        );
        expect(databaseUrl('main', { ...plain, ...injected })).toBe(
          'postgresql://shop:pa%3Ass%401@staging-main.c1.eu-west-1.rds.amazonaws.com:5432/postgres?sslmode=require',
        );
      }
    }
  });
});
