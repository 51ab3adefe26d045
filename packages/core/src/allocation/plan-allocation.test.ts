import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/index.js';
import { type AppInput, type EnvironmentInput, parseApp, parseEnvironment } from '../model/index.js';
import { formatAllocation } from './format-allocation.js';
import { planAllocation } from './plan-allocation.js';

const shop: AppInput = {
  name: 'shop',
  databases: [{ name: 'main' }],
  services: [
    {
      name: 'web',
      public: true,
      calls: [{ service: 'cart', weight: 50 }, { service: 'catalog', weight: 80 }, 'orders'],
    },
    { name: 'cart', calls: [{ service: 'catalog', weight: 30 }], databases: ['main'] },
    { name: 'catalog', databases: ['main'] },
    { name: 'orders', calls: [{ service: 'payments', weight: 10 }], databases: ['main'] },
    { name: 'payments', isolate: true },
    { name: 'mailer' },
  ],
};
const base: EnvironmentInput = {
  name: 'staging',
  cloud: { provider: 'aws', region: 'eu-west-1', network: { subnets: ['subnet-0a1b2c3d'] } },
  compute: { kind: 'fargate', executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole' },
  database: { kind: 'rds' },
};
const plan = (
  allocation: EnvironmentInput['allocation'],
  app: AppInput = shop,
  env: EnvironmentInput = base,
) => planAllocation(parseApp(app), parseEnvironment({ ...env, allocation }));
const members = (a: ReturnType<typeof plan>) => Object.fromEntries(a.units.map((u) => [u.name, u.services]));

describe('planAllocation', () => {
  it('single: every service in one unit named app, local to each other', () => {
    const a = plan({ strategy: 'single' });
    expect(members(a)).toEqual({ app: ['cart', 'catalog', 'mailer', 'orders', 'payments', 'web'] });
    const unit = a.units[0]!;
    expect(unit.gateway).toBe(true);
    expect(unit.databases).toEqual(['main']);
    expect(unit.runtimeConfig).toEqual({
      unit: 'app',
      services: ['cart', 'catalog', 'mailer', 'orders', 'payments', 'web'],
      remotes: {},
      databases: {
        main: {
          kind: 'rds',
          hostEnvVar: 'PATCHBAY_DATABASE_MAIN_HOST',
          portEnvVar: 'PATCHBAY_DATABASE_MAIN_PORT',
          nameEnvVar: 'PATCHBAY_DATABASE_MAIN_NAME',
          credentialsEnvVar: 'PATCHBAY_DATABASE_MAIN_CREDENTIALS',
          credentialsForm: 'json',
          sslmode: 'require',
        },
      },
    });
  });

  it('per-service: one unit per service with remotes for every call', () => {
    const a = plan({ strategy: 'per-service' });
    expect(a.units.map((u) => u.name)).toEqual(['cart', 'catalog', 'mailer', 'orders', 'payments', 'web']);
    const web = a.units.find((u) => u.name === 'web')!;
    expect(web.gateway).toBe(true);
    expect(web.runtimeConfig.remotes).toEqual({
      cart: 'http://cart.staging.local:8080',
      catalog: 'http://catalog.staging.local:8080',
      orders: 'http://orders.staging.local:8080',
    });
    expect(a.units.find((u) => u.name === 'cart')!.gateway).toBe(false);
  });

  it('groups: named units, remotes only across groups', () => {
    const a = plan({
      strategy: 'groups',
      groups: { front: ['web', 'cart', 'catalog'], back: ['orders', 'payments', 'mailer'] },
    });
    expect(members(a)).toEqual({ back: ['mailer', 'orders', 'payments'], front: ['cart', 'catalog', 'web'] });
    expect(a.units.find((u) => u.name === 'front')!.runtimeConfig.remotes).toEqual({
      orders: 'http://back.staging.local:8080',
    });
    expect(a.units.find((u) => u.name === 'back')!.runtimeConfig.remotes).toEqual({});
  });

  it('groups: unknown, duplicated and missing services are one error naming them', () => {
    const attempt = () =>
      plan({ strategy: 'groups', groups: { a: ['web', 'ghost', 'cart'], b: ['cart', 'orders'] } });
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      const issues = (error as ValidationError).issues;
      expect(issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        ['allocation.groups.a.1', 'unknown service "ghost"'],
        ['allocation.groups.b.0', 'service "cart" is already in group "a"'],
        ['allocation.groups', 'services in no group: catalog, mailer, payments'],
      ]);
    }
  });

  it('rejects sizing overrides of unknown services and databases without a database', () => {
    expect(() =>
      plan({ strategy: 'single' }, shop, {
        ...base,
        sizing: { services: { ghost: { cpu: 1, memory: 2048 } } },
      }),
    ).toThrow(/unknown service "ghost"/);
    expect(() => plan({ strategy: 'single' }, shop, { ...base, database: undefined })).toThrow(
      /the environment has none/,
    );
  });

  it('auto: colocates the heaviest callers, keeps isolated and unconnected services alone', () => {
    const a = plan({ strategy: 'auto' });
    expect(members(a)).toEqual({
      mailer: ['mailer'],
      payments: ['payments'],
      web: ['cart', 'catalog', 'orders', 'web'],
    });
    // With room for three, the light web→orders call (weight 1) is the one left across processes.
    const three = plan({ strategy: 'auto', maxServicesPerUnit: 3 });
    expect(members(three)).toEqual({
      mailer: ['mailer'],
      orders: ['orders'],
      payments: ['payments'],
      web: ['cart', 'catalog', 'web'],
    });
    expect(three.units.find((u) => u.name === 'orders')!.runtimeConfig.remotes).toEqual({
      payments: 'http://payments.staging.local:8080',
    });
  });

  it('auto: respects max services, cpu and memory per unit', () => {
    const chain: AppInput = {
      name: 'chain',
      services: ['a', 'b', 'c', 'd', 'e', 'f'].map((name, i, all) => ({
        name,
        calls: all[i + 1] ? [all[i + 1]!] : [],
        resources: { cpu: 0.5, memory: 512 },
      })),
    };
    for (const limits of [
      { maxServicesPerUnit: 2 },
      { maxCpuPerUnit: 1 },
      { maxMemoryPerUnit: 1024 },
      { maxServicesPerUnit: 3, maxCpuPerUnit: 1 },
    ]) {
      const a = plan({ strategy: 'auto', ...limits }, chain, { ...base, database: undefined });
      for (const unit of a.units) expect(unit.services.length, JSON.stringify(limits)).toBeLessThanOrEqual(2);
      expect(a.units.flatMap((u) => u.services).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    }
    const three = plan({ strategy: 'auto', maxServicesPerUnit: 3 }, chain, { ...base, database: undefined });
    expect(three.units.some((u) => u.services.length === 3)).toBe(true);
  });

  it('sizes a shared unit from overrides and resource hints, fitted to the platform', () => {
    const app: AppInput = {
      name: 'x',
      services: [
        { name: 'a', calls: ['b'], resources: { cpu: 0.75, memory: 1500 } },
        { name: 'b', resources: { cpu: 0.5, memory: 1000 } },
      ],
    };
    const a = plan({ strategy: 'single' }, app, {
      ...base,
      database: undefined,
      sizing: { services: { b: { maxInstances: 10 } } },
    });
    expect(a.units[0]!.sizing).toEqual({ cpu: 2, memory: 4096, minInstances: 1, maxInstances: 10 });
    const k8s = plan({ strategy: 'single' }, app, {
      ...base,
      database: undefined,
      compute: {
        kind: 'kubernetes',
        cluster: { mode: 'existing', kubeconfig: { path: '/k' }, namespace: 'apps' },
      },
    });
    expect(k8s.units[0]!.sizing.cpu).toBe(1.25);
    expect(k8s.units[0]!.url).toBe('http://app.apps.svc.cluster.local:8080');
  });

  it('gives deterministic remote URLs per compute kind', () => {
    const gcp: EnvironmentInput = {
      name: 'prod',
      cloud: { provider: 'gcp', project: 'acme-prod', projectNumber: '123456789', region: 'europe-west1' },
      compute: { kind: 'cloud-run' },
      database: { kind: 'neon' },
    };
    const a = plan({ strategy: 'per-service' }, shop, gcp);
    expect(a.units.find((u) => u.name === 'web')!.runtimeConfig.remotes.cart).toBe(
      'https://prod-cart-123456789.europe-west1.run.app',
    );
    // Neon's credentials are a password for the `app` role: the binding names the user variable too.
    expect(a.units.find((u) => u.name === 'catalog')!.runtimeConfig.databases.main).toMatchObject({
      kind: 'neon',
      userEnvVar: 'PATCHBAY_DATABASE_MAIN_USER',
      credentialsEnvVar: 'PATCHBAY_DATABASE_MAIN_PASSWORD',
      credentialsForm: 'password',
      sslmode: 'require',
    });
  });

  it('auto is deterministic and independent of service order', () => {
    fc.assert(
      fc.property(appArbitrary(), fc.integer({ min: 1, max: 6 }), (app, max) => {
        const env = {
          ...base,
          database: undefined,
          allocation: { strategy: 'auto' as const, maxServicesPerUnit: max },
        };
        const a = planAllocation(parseApp(app), parseEnvironment(env));
        const reversed = planAllocation(
          parseApp({ ...app, services: [...app.services].reverse() }),
          parseEnvironment(env),
        );
        expect(reversed).toEqual(a);
        expect(a.units.flatMap((u) => u.services).sort()).toEqual(app.services.map((s) => s.name).sort());
        for (const unit of a.units) {
          expect(unit.services.length).toBeLessThanOrEqual(max);
          expect(unit.name.length).toBeLessThanOrEqual(30);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('auto unit names and members survive adding and removing unrelated services', () => {
    fc.assert(
      fc.property(appArbitrary(), appArbitrary(), fc.integer({ min: 1, max: 5 }), (left, right, max) => {
        // Prefix to keep the two apps' names apart: the right app's services never call the left's.
        const rightServices = right.services.map((s) => ({
          ...s,
          name: `z${s.name}`,
          calls: (s.calls as string[]).map((c) => `z${c}`),
        }));
        const env = parseEnvironment({
          ...base,
          database: undefined,
          allocation: { strategy: 'auto', maxServicesPerUnit: max },
        });
        const alone = planAllocation(parseApp(left), env);
        const together = planAllocation(
          parseApp({ ...left, services: [...left.services, ...rightServices] }),
          env,
        );
        for (const unit of alone.units) {
          const same = together.units.find((u) => u.name === unit.name);
          expect(same?.services).toEqual(unit.services);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('formats an allocation for a terminal', () => {
    const text = formatAllocation(plan({ strategy: 'per-service' }));
    expect(text).toContain('shop in staging: 6 units (strategy per-service)');
    expect(text).toContain('web  [gateway: web]');
    expect(text).toContain('cart -> http://cart.staging.local:8080');
    expect(text).toContain('0.5 vCPU, 1024 MiB, 1-3 instances');
  });
});

/** Small random apps: services s0..sN with random calls and weights. */
function appArbitrary() {
  return fc.integer({ min: 1, max: 12 }).chain((n) =>
    fc
      .array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: 1, max: 5 })), { maxLength: n * 2 })
      .map((edges) => ({
        name: 'gen',
        services: Array.from({ length: n }, (_, i) => ({
          name: `s${i}`,
          calls: edges
            .filter(([from, to]) => from === i && to !== i)
            .flatMap(([, to, w]) => Array(w).fill(`s${to}`)) as string[],
        })),
      })),
  );
}
