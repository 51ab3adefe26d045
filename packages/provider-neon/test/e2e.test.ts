import {
  type AppInput,
  createEngine,
  desiredResources,
  type EnvironmentInput,
  MemoryStore,
  memoryProvider,
  parseApp,
  parseEnvironment,
  planAllocation,
  type ResourceSpec,
} from '@patchbay/core';
import { type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neon, type RolePasswordStore } from '../src/index.js';

// An environment on aws/fargate with a Neon database, through the real pipeline (parse → planAllocation →
// desiredResources → engine) — Neon through the real API client against the sandbox, the Fargate compute
// types on core's in-memory provider (this package does not depend on provider-aws).

const ENV = 'shopneon';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:shopneon-neon-password';

const app: AppInput = {
  name: 'shop',
  services: [
    { name: 'gateway', public: true, calls: ['catalog'], image: 'registry.example.com/shop:1' },
    { name: 'catalog', databases: ['catalog'], image: 'registry.example.com/shop:1' },
  ],
  databases: [{ name: 'catalog' }],
};

const environment = (maxCu: number): EnvironmentInput => ({
  name: ENV,
  cloud: { provider: 'aws', region: 'us-east-1', network: { subnets: ['subnet-0a1b2c3d'] } },
  compute: { kind: 'fargate', executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole' },
  database: {
    kind: 'neon',
    source: { mode: 'new-project' },
    endpoint: { minCu: 0.25, maxCu },
    passwordSecretArn: SECRET_ARN,
  },
  sizing: { cpu: 0.25, memory: 512, minInstances: 1, maxInstances: 2 },
  allocation: { strategy: 'single' },
  type: 'development',
});

function desired(maxCu: number): ResourceSpec[] {
  const env = parseEnvironment(environment(maxCu));
  const parsedApp = parseApp(app);
  return desiredResources(env, parsedApp, planAllocation(parsedApp, env));
}

describe('aws/fargate environment with a Neon database, end to end', () => {
  let sandbox: Sandbox;
  const secrets = new Map<string, string>();
  const store: RolePasswordStore = {
    // The secret the environment names (`database.passwordSecretArn`), which ECS injects by reference.
    reference: () => SECRET_ARN,
    put: async (reference, password) => void secrets.set(reference, password),
  };
  beforeAll(async () => {
    sandbox = await startSandbox({ operationDelayMs: 5 });
  });
  afterAll(() => sandbox?.close());

  it('applies, patches only the endpoint max CU, and plans nothing afterwards', async () => {
    const compute = memoryProvider({
      name: 'aws',
      types: {
        'ecs.cluster': {},
        'ecs.task-definition': { revisioned: true },
        'ecs.service': {},
      },
    });
    const stateStore = new MemoryStore();
    const engine = createEngine({
      environment: ENV,
      providers: [
        compute,
        neon({
          apiKey: 'test',
          baseURL: sandbox.endpoints.neon.baseURL,
          pollIntervalMs: 5,
          rolePasswords: store,
        }),
      ],
      store: stateStore,
      retry: { attempts: 10, baseDelayMs: 5, maxDelayMs: 100 },
    });
    const specs = desired(1);
    expect(
      specs
        .filter((s) => s.type.startsWith('neon.'))
        .map((s) => s.type)
        .sort(),
    ).toEqual(['neon.branch', 'neon.database', 'neon.endpoint', 'neon.project', 'neon.role']);

    const first = await engine.apply(await engine.plan(specs));
    expect(first.ok, JSON.stringify(first.outcomes.filter((o) => o.message))).toBe(true);
    const state = await stateStore.read(ENV);
    const endpoint = state.resources['db/neon/endpoint']!;
    expect(endpoint.outputs.host).toMatch(/\./);
    // The unit's environment got the Neon host from the endpoint's output.
    const task = state.resources['compute/app/task']!;
    expect(JSON.stringify(task.attributes)).toContain(String(endpoint.outputs.host));
    // The role's password went to the store only: its reference is an output, the value is nowhere in state.
    const role = state.resources['db/neon/role']!;
    const reference = String(role.outputs.passwordSecret);
    expect(reference).toBe(SECRET_ARN);
    expect(secrets.get(reference)).toMatch(/^npg_/);
    expect(JSON.stringify(task.attributes.secrets)).toContain(SECRET_ARN);
    expect(JSON.stringify(state)).not.toContain(secrets.get(reference)!);

    const writes = () => {
      let total = 0;
      for (const op of [
        'updateProjectEndpoint',
        'updateProject',
        'updateProjectBranch',
        'updateProjectBranchDatabase',
        'createProjectEndpoint',
        'createProjectBranch',
        'createProjectBranchDatabase',
        'createProjectBranchRole',
      ]) {
        total += sandbox.counters.detail('neon', op).calls;
      }
      return total;
    };
    const before = writes();
    const plan = await engine.plan(desired(2));
    // The endpoint's outputs (host) are "known after apply" while it is patched, so the engine also reads
    // the task definition and service that refer to it; only the endpoint has a real change.
    const updates = plan.actions.filter((a) => a.kind === 'update');
    const real = updates.filter((a) => a.attributes.some((d) => d.case === 'patch'));
    expect(real.map((a) => a.id)).toEqual(['db/neon/endpoint']);
    expect(real[0]!.attributes.filter((a) => a.case === 'patch').map((a) => a.attribute)).toEqual(['maxCu']);
    const patched = await engine.apply(plan);
    expect(patched.ok, JSON.stringify(patched.outcomes)).toBe(true);
    const outcome = (id: string) => patched.outcomes.find((o) => o.id === id)?.outcome;
    expect(outcome('db/neon/endpoint')).toBe('updated');
    expect(outcome('compute/app/task')).not.toBe('updated');
    expect(writes() - before).toBe(1);
    expect(sandbox.counters.detail('neon', 'updateProjectEndpoint').calls).toBe(1);

    const after = await engine.plan(desired(2));
    expect(after.empty).toBe(true);
    expect(after.reads).toBe(0);
  });
});
