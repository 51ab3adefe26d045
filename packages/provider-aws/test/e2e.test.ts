import {
  type Allocation,
  type AppInput,
  createEngine,
  desiredResources,
  type Engine,
  type EnvironmentInput,
  MemoryStore,
  type Plan,
  type PlannedAction,
  parseApp,
  parseEnvironment,
  planAllocation,
  planTransition,
  type ResourceSpec,
} from '@patchbay/core';
import { aws } from '@patchbay/provider-aws';
import { awsClientConfig, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 5, end to end: an app of 6 services and 2 databases on aws/fargate/rds, through the real pipeline
// (parse → planAllocation → desiredResources → engine plan/apply) and the real SDK clients against the sandbox.

const ENV = 'shop';

const app: AppInput = {
  name: 'shop',
  services: [
    {
      name: 'gateway',
      public: true,
      calls: ['catalog', 'cart', 'users'],
      image: 'registry.example.com/shop:1',
    },
    { name: 'catalog', databases: ['catalog'], image: 'registry.example.com/shop:1' },
    {
      name: 'cart',
      calls: ['catalog', 'payments'],
      databases: ['orders'],
      image: 'registry.example.com/shop:1',
    },
    { name: 'payments', databases: ['orders'], image: 'registry.example.com/shop:1' },
    { name: 'users', databases: ['orders'], image: 'registry.example.com/shop:1' },
    { name: 'search', calls: ['catalog'], image: 'registry.example.com/shop:1' },
  ],
  databases: [{ name: 'catalog' }, { name: 'orders' }],
};

function environment(change: { cpu?: number; strategy?: 'single' | 'per-service' } = {}): EnvironmentInput {
  return {
    name: ENV,
    cloud: {
      provider: 'aws',
      region: 'us-east-1',
      network: { subnets: ['subnet-0a1b2c3d', 'subnet-0e1f2a3b'], securityGroups: ['sg-0a1b2c3d'] },
    },
    // ECS reads the RDS-managed database credentials (secrets by ARN) with the execution role.
    compute: { kind: 'fargate', executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole' },
    database: { kind: 'rds', availability: 'zonal', deletionProtection: false },
    sizing: { cpu: change.cpu ?? 0.25, memory: 1024, minInstances: 1, maxInstances: 3 },
    allocation: { strategy: change.strategy ?? 'single' },
  };
}

/** The whole pipeline from user input to the desired graph. */
function desired(change: Parameters<typeof environment>[0] = {}, transitionFrom?: Allocation) {
  const env = parseEnvironment(environment(change));
  const parsed = parseApp(app);
  const allocation = planAllocation(parsed, env);
  return {
    allocation,
    specs: desiredResources(env, parsed, allocation, transitionFrom ? { transitionFrom } : {}),
  };
}

/** Calls the sandbox counted, as `{ 'ecs.UpdateService': 1, … }` without zero entries. */
function calls(sandbox: Sandbox): Record<string, number> {
  return Object.fromEntries(Object.entries(sandbox.counters.snapshot()).filter(([, n]) => n > 0));
}

function sum(counts: Record<string, number>, api: string): number {
  return Object.entries(counts)
    .filter(([key]) => key.startsWith(`${api}.`))
    .reduce((total, [, n]) => total + n, 0);
}

function specOf(specs: ResourceSpec[], type: string, name: string): ResourceSpec {
  const spec = specs.find((s) => s.type === type && s.name === name);
  if (!spec) throw new Error(`no ${type} ${name} in ${specs.map((s) => `${s.type} ${s.name}`).join(', ')}`);
  return spec;
}

function actionOf(plan: Plan, id: string): PlannedAction {
  const action = plan.actions.find((a) => a.id === id);
  if (!action) throw new Error(`no action for ${id}`);
  return action;
}

/** Per step: the calls the plan made and the calls the apply made, for the README table. */
const steps: { step: string; plan: Record<string, number>; apply: Record<string, number> }[] = [];

let sandbox: Sandbox;
let engine: Engine;
const events: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 5 });
  engine = createEngine({
    environment: ENV,
    providers: [aws({ ...awsClientConfig(sandbox), maxAttempts: 1, pollIntervalMs: 2 })],
    store: new MemoryStore(),
    retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 100 },
  });
  engine.events.on('action:started', (e) => events.push(`started ${e.kind} ${e.id}`));
  engine.events.on('action:finished', (e) => events.push(`finished ${e.outcome} ${e.id}`));
});

afterAll(async () => {
  // The issue's closing note reports these counts (README, "End-to-end test").
  console.log(
    [
      'API calls per step (sandbox counters)',
      ...steps.map(
        (s) => `${s.step}\n  plan:  ${JSON.stringify(s.plan)}\n  apply: ${JSON.stringify(s.apply)}`,
      ),
    ].join('\n'),
  );
  await sandbox?.close();
});

/** Plans and applies, recording the sandbox calls of each half. */
async function step(name: string, specs: ResourceSpec[]) {
  sandbox.counters.reset();
  events.length = 0;
  const plan = await engine.plan(specs);
  const planCalls = calls(sandbox);
  sandbox.counters.reset();
  const result = await engine.apply(plan);
  const applyCalls = calls(sandbox);
  steps.push({ step: name, plan: planCalls, apply: applyCalls });
  return { plan, result, planCalls, applyCalls };
}

describe('issue 5: 6 services + 2 databases on aws/fargate/rds, end to end', () => {
  const single = () => desired();
  const cluster = ENV;
  const service = `${ENV}-app`;

  it('applies the single-unit environment, then plans nothing', async () => {
    const { specs, allocation } = single();
    expect(allocation.units.map((u) => u.name)).toEqual(['app']);
    const { result } = await step('1. apply (strategy single)', specs);
    expect(result.ok, JSON.stringify(result.outcomes.filter((o) => o.message))).toBe(true);
    expect(result.summary.created).toBe(specs.length);
    expect(sandbox.console.get('rds', 'dbInstance', `${ENV}-catalog`)).toBeDefined();
    expect(sandbox.console.get('rds', 'dbInstance', `${ENV}-orders`)).toBeDefined();

    sandbox.counters.reset();
    const again = await engine.plan(specs);
    expect(again.empty).toBe(true);
    expect(again.reads).toBe(0);
    expect(sandbox.counters.total()).toBe(0);
  });

  it('a cpu change patches cpu only (new revision + service update) and keeps the console desiredCount', async () => {
    const { specs } = single();
    sandbox.console.edit('ecs', 'service', `${cluster}/${service}`, { desiredCount: 4 });

    const bigger = desired({ cpu: 0.5 }).specs;
    const taskDefinition = specOf(bigger, 'aws.ecs.task-definition', service);
    const ecsService = specOf(bigger, 'aws.ecs.service', service);
    // Only the task definition's cpu differs between the two desired graphs.
    expect(bigger.filter((s) => JSON.stringify(s) !== JSON.stringify(specOf(specs, s.type, s.name)))).toEqual(
      [taskDefinition],
    );

    const { plan, result, planCalls, applyCalls } = await step(
      '2. cpu 0.25 → 0.5 vCPU (after a console desiredCount edit)',
      bigger,
    );
    const writes = plan.actions.filter((a) => a.kind !== 'noop');
    expect(writes.map((a) => [a.id, a.kind])).toEqual([
      [taskDefinition.id, 'update'],
      [ecsService.id, 'update'],
    ]);
    expect(actionOf(plan, taskDefinition.id).attributes).toEqual([
      expect.objectContaining({
        attribute: 'cpu',
        case: 'patch',
        lastApplied: 256,
        desired: 512,
        observed: 256,
      }),
    ]);
    const serviceDiffs = actionOf(plan, ecsService.id).attributes;
    expect(serviceDiffs.filter((a) => a.case !== 'drift-kept')).toEqual([
      expect.objectContaining({ attribute: 'taskDefinition', case: 'known-after-apply' }),
    ]);
    expect(serviceDiffs.filter((a) => a.case === 'drift-kept')).toEqual([
      expect.objectContaining({ attribute: 'desiredCount', lastApplied: 1, observed: 4 }),
    ]);
    expect(plan.summary.driftKept).toBe(1);

    // The plan reads the two resources that change, nothing else; RDS is not called at all.
    expect(plan.reads).toBe(2);
    expect(planCalls).toEqual({ 'ecs.DescribeTaskDefinition': 1, 'ecs.DescribeServices': 1 });

    expect(result.ok, JSON.stringify(result.outcomes.filter((o) => o.message))).toBe(true);
    expect(applyCalls['ecs.RegisterTaskDefinition']).toBe(1);
    expect(applyCalls['ecs.UpdateService']).toBe(1);
    expect(sum(applyCalls, 'rds')).toBe(0);
    // Reads in the apply are only the read-before-write of each patch and the wait for the rollout.
    expect(Object.keys(applyCalls).sort()).toEqual([
      'ecs.DescribeServices',
      'ecs.DescribeTaskDefinition',
      'ecs.RegisterTaskDefinition',
      'ecs.UpdateService',
    ]);
    expect(applyCalls['ecs.DescribeTaskDefinition']).toBe(1);

    const live = sandbox.console.get('ecs', 'service', `${cluster}/${service}`)!.data as {
      desiredCount: number;
      taskDefinition: string;
    };
    expect(live.desiredCount).toBe(4);
    expect(live.taskDefinition).toMatch(new RegExp(`task-definition/${service}:2$`));
    const revision = sandbox.console.get('ecs', 'taskDefinition', `${service}:2`)!.data as { cpu: string };
    expect(revision.cpu).toBe('512');

    const after = await engine.plan(bigger);
    expect(after.empty).toBe(true);
    expect(after.reads).toBe(0);
  });

  it('switching to per-service is make before break: new units up before the old one goes; then nothing to plan', async () => {
    const before = desired({ cpu: 0.5 });
    const after = desired({ cpu: 0.5, strategy: 'per-service' }, before.allocation);
    const transition = planTransition(before.allocation, after.allocation);
    expect(transition.map((s) => `${s.action} ${s.unit}`)).toEqual([
      ...after.allocation.units.map((u) => `create ${u.name}`),
      'retire app',
    ]);

    const { plan, result, planCalls, applyCalls } = await step(
      '3. strategy single → per-service',
      after.specs,
    );
    expect(result.ok, JSON.stringify(result.outcomes.filter((o) => o.message))).toBe(true);
    const units = after.allocation.units.map((u) => u.name);
    expect(units).toHaveLength(6);
    const created = plan.actions.filter((a) => a.kind === 'create');
    const deleted = plan.actions.filter((a) => a.kind === 'delete');
    expect(created.map((a) => `${a.type} ${a.name}`).sort()).toEqual(
      units.flatMap((u) => [`aws.ecs.service ${ENV}-${u}`, `aws.ecs.task-definition ${ENV}-${u}`]).sort(),
    );
    expect(deleted.map((a) => `${a.type} ${a.name}`).sort()).toEqual([
      `aws.ecs.service ${service}`,
      `aws.ecs.task-definition ${service}`,
    ]);
    expect(
      plan.actions.filter((a) => a.kind !== 'noop' && a.kind !== 'create' && a.kind !== 'delete'),
    ).toEqual([]);

    // Make before break: every new task definition and service is created before the old service is deleted.
    const oldService = deleted.find((a) => a.type === 'aws.ecs.service')!;
    const firstDelete = events.findIndex((e) => e.startsWith('started delete'));
    expect(firstDelete).toBeGreaterThan(-1);
    for (const action of created) {
      const done = events.indexOf(`finished created ${action.id}`);
      expect(done, `${action.id} created`).toBeGreaterThan(-1);
      expect(done, `${action.id} created before the first delete`).toBeLessThan(firstDelete);
    }
    expect(events.indexOf(`finished deleted ${oldService.id}`)).toBeGreaterThan(firstDelete - 1);

    // Untouched resources (cluster, databases) cost no call; the writes are exactly the transition's.
    expect(sum(planCalls, 'rds') + sum(applyCalls, 'rds')).toBe(0);
    expect(Object.keys(planCalls).sort()).toEqual(['ecs.DescribeServices', 'ecs.DescribeTaskDefinition']);
    const writes = Object.fromEntries(
      Object.entries(applyCalls).filter(([k]) => !k.startsWith('ecs.Describe')),
    );
    expect(writes).toEqual({
      'ecs.RegisterTaskDefinition': 6,
      'ecs.CreateService': 6,
      // The old service still runs the console's 4 tasks: scaled to 0, then deleted.
      'ecs.UpdateService': 1,
      'ecs.DeleteService': 1,
      // Both revisions (1 and the cpu change's 2) of the old family.
      'ecs.DeregisterTaskDefinition': 2,
    });
    // ECS keeps a deleted service describable as INACTIVE for a while.
    const status = (id: string) =>
      (sandbox.console.get('ecs', 'service', `${cluster}/${id}`)?.data as { status?: string } | undefined)
        ?.status;
    expect(status(service)).toBe('INACTIVE');
    for (const unit of units) expect(status(`${ENV}-${unit}`)).toBe('ACTIVE');

    sandbox.counters.reset();
    const next = await engine.plan(after.specs);
    expect(next.empty).toBe(true);
    expect(next.reads).toBe(0);
    expect(sandbox.counters.total()).toBe(0);
  });
});
