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
import { describe, expect, it } from 'vitest';

const app = parseApp({
  name: 'shop',
  services: [
    { name: 'web', public: true, calls: ['orders'] },
    { name: 'orders', databases: ['main'], image: 'registry/orders:1' },
  ],
  databases: [{ name: 'main' }],
} satisfies AppInput);

const awsEnv = (over: Partial<EnvironmentInput> = {}) =>
  parseEnvironment({
    name: 'staging',
    cloud: {
      provider: 'aws',
      region: 'eu-west-1',
      network: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] },
    },
    // ECS reads the RDS-managed database secret with the execution role: required with rds on fargate.
    compute: { kind: 'fargate', executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole' },
    sizing: { cpu: 0.25, memory: 512, minInstances: 2, maxInstances: 4 },
    database: { kind: 'rds' },
    ...over,
  } as EnvironmentInput);

const graph = (env: ReturnType<typeof parseEnvironment>, options = {}) =>
  desiredResources(env, app, planAllocation(app, env), options);

/** A memory provider standing in for AWS: same type names, realistic capabilities. */
const fakeAws = () =>
  memoryProvider({
    name: 'aws',
    types: {
      'ecs.cluster': {},
      'ecs.task-definition': { revisioned: true },
      'ecs.service': { precondition: 'read-before-write' },
      'rds.instance': {
        stateful: true,
        immutable: ['engine'],
        precondition: 'read-before-write',
        outputs: ['endpoint', 'masterUserSecretArn'],
      },
    },
  });

describe('desiredResources', () => {
  it('derives the AWS graph with stable ids, ownership tags, refs and policies', () => {
    const specs = graph(awsEnv());
    expect(specs.map((s) => `${s.id} ${s.type} ${s.name}`)).toEqual([
      'db/main aws.rds.instance staging-main',
      'cluster aws.ecs.cluster staging',
      'compute/app/task aws.ecs.task-definition staging-app',
      'compute/app aws.ecs.service staging-app',
    ]);
    const byId = Object.fromEntries(specs.map((s) => [s.id, s]));
    expect(byId['compute/app/task']?.attributes).toMatchObject({
      cpu: 256,
      memory: 512,
      image: 'registry/orders:1',
      port: 8080,
      environment: {
        PATCHBAY_DATABASE_MAIN_HOST: { $ref: { resource: 'db/main', output: 'endpoint' } },
      },
      secrets: {
        PATCHBAY_DATABASE_MAIN_CREDENTIALS: { $ref: { resource: 'db/main', output: 'masterUserSecretArn' } },
      },
      tags: { 'patchbay:environment': 'staging', 'patchbay:logical-id': 'compute/app/task' },
    });
    const env = byId['compute/app/task']?.attributes.environment as Record<string, string>;
    expect(JSON.parse(env.PATCHBAY_RUNTIME_CONFIG!)).toMatchObject({
      unit: 'app',
      services: ['orders', 'web'],
    });
    expect(byId['compute/app']).toMatchObject({
      attributes: {
        cluster: 'staging',
        taskDefinition: { $ref: { resource: 'compute/app/task', output: 'arn' } },
        desiredCount: 2,
        subnets: ['subnet-0a1b2c3d'],
        securityGroups: ['sg-0a1b2c3d'],
        assignPublicIp: false,
      },
      policy: { createOnly: ['cluster'] },
    });
    expect(byId['db/main']).toMatchObject({
      attributes: {
        engine: 'postgres',
        instanceClass: 'db.t4g.micro',
        allocatedStorage: 20,
        multiAz: true,
        backupRetentionPeriod: 7,
        deletionProtection: true,
      },
      policy: { createOnly: ['engine', 'masterUsername'], deletion: 'retain' },
    });
    // Deterministic.
    expect(graph(awsEnv())).toEqual(specs);
  });

  it('applies end to end, then a sizing change is one task revision and one service update', async () => {
    const aws = fakeAws();
    const engine = createEngine({ environment: 'staging', providers: [aws], store: new MemoryStore() });
    const first = await engine.apply(await engine.plan(graph(awsEnv())));
    expect(first.ok).toBe(true);
    expect((await engine.plan(graph(awsEnv()))).empty).toBe(true);
    const bigger = awsEnv({ sizing: { cpu: 0.5, memory: 1024, minInstances: 2, maxInstances: 4 } });
    const plan = await engine.plan(graph(bigger));
    expect(plan.actions.filter((a) => a.kind !== 'noop').map((a) => [a.id, a.kind])).toEqual([
      ['compute/app/task', 'update'],
      ['compute/app', 'update'],
    ]);
    aws.cloud.resetCounters();
    expect((await engine.apply(plan)).ok).toBe(true);
    expect(aws.cloud.callsByOperation.patch).toBe(2);
    expect((await engine.plan(graph(bigger))).empty).toBe(true);
  });

  it('switches allocation make-before-break: new units first, kept ones after them, old ones deleted last', async () => {
    const aws = fakeAws();
    const engine = createEngine({ environment: 'staging', providers: [aws], store: new MemoryStore() });
    const groups = (g: Record<string, string[]>) => awsEnv({ allocation: { strategy: 'groups', groups: g } });
    const before = groups({ front: ['web'], back: ['orders'] });
    await engine.apply(await engine.plan(graph(before)));
    // `back` is split: `orders` moves to a new unit; `front` is kept but now calls the new unit.
    const after = groups({ front: ['web'], core: ['orders'] });
    const specs = desiredResources(after, app, planAllocation(app, after), {
      transitionFrom: planAllocation(app, before),
    });
    expect(specs.find((s) => s.id === 'compute/front')?.dependsOn).toEqual(['cluster', 'compute/core']);
    const plan = await engine.plan(specs);
    expect(
      Object.fromEntries(plan.actions.filter((a) => a.kind !== 'noop').map((a) => [a.id, a.kind])),
    ).toEqual({
      'compute/core/task': 'create',
      'compute/core': 'create',
      'compute/front/task': 'update',
      'compute/front': 'update',
      'compute/back/task': 'delete',
      'compute/back': 'delete',
    });
    const order: string[] = [];
    aws.cloud.hook = (call) => {
      if (call.phase === 'after' && call.operation !== 'observe')
        order.push(`${call.operation} ${call.name} ${call.type}`);
    };
    expect((await engine.apply(plan)).ok).toBe(true);
    const at = (entry: string) => order.indexOf(entry);
    expect(at('create staging-core aws.ecs.service')).toBeGreaterThanOrEqual(0);
    expect(at('patch staging-front aws.ecs.service')).toBeGreaterThan(
      at('create staging-core aws.ecs.service'),
    );
    expect(at('delete staging-back aws.ecs.service')).toBeGreaterThan(
      at('patch staging-front aws.ecs.service'),
    );
    expect(at('delete staging-back aws.ecs.task-definition')).toBeGreaterThan(
      at('delete staging-back aws.ecs.service'),
    );
  });

  it('always names the Cloud SQL database version (the API would default to MySQL), create-only', () => {
    const sql = (database: EnvironmentInput['database']) =>
      graph(
        parseEnvironment({
          name: 'prod',
          cloud: { provider: 'gcp', project: 'acme-prod', region: 'europe-west1' },
          compute: { kind: 'cloud-run' },
          database,
        }),
      ).find((s) => s.type === 'gcp.sql.instance');
    const unversioned = sql({ kind: 'cloud-sql' });
    expect(unversioned?.attributes.databaseVersion).toBe('POSTGRES_16');
    expect(unversioned?.policy?.createOnly).toContain('databaseVersion');
    expect(sql({ kind: 'cloud-sql', databaseVersion: 'POSTGRES_17' })?.attributes.databaseVersion).toBe(
      'POSTGRES_17',
    );
  });

  it('derives Cloud Run + Cloud SQL, Kubernetes on a new EKS cluster, and Neon graphs', () => {
    const ids = (specs: ResourceSpec[]) => specs.map((s) => `${s.id} ${s.type}`);
    const gcp = parseEnvironment({
      name: 'prod',
      cloud: { provider: 'gcp', project: 'acme-prod', region: 'europe-west1' },
      compute: { kind: 'cloud-run' },
      database: { kind: 'cloud-sql' },
      allocation: { strategy: 'per-service' },
    });
    const run = graph(gcp);
    expect(ids(run)).toEqual([
      'db/main gcp.sql.instance',
      'compute/orders gcp.run.service',
      'compute/web gcp.run.service',
    ]);
    expect(run.find((s) => s.id === 'compute/web')?.attributes).toMatchObject({
      ingress: 'all',
      labels: { 'patchbay-environment': 'prod', 'patchbay-logical-id': 'compute_web' },
    });
    expect(run.find((s) => s.id === 'compute/orders')?.attributes.ingress).toBe('internal');

    const eks = parseEnvironment({
      name: 'k',
      cloud: {
        provider: 'aws',
        region: 'eu-west-1',
        network: { subnets: ['subnet-0a1b2c3d', 'subnet-0e5f6a7b'] },
      },
      compute: {
        kind: 'kubernetes',
        cluster: {
          mode: 'new',
          platform: 'eks',
          nodes: { instanceType: 'm6i.large', min: 1, max: 3 },
          clusterRoleArn: 'arn:aws:iam::123456789012:role/eks-cluster',
          nodeRoleArn: 'arn:aws:iam::123456789012:role/eks-nodes',
        },
      },
      database: { kind: 'neon' },
      sizing: { minInstances: 1, maxInstances: 3 },
    });
    expect(ids(graph(eks))).toEqual([
      'db/neon/project neon.project',
      'db/neon/branch neon.branch',
      'db/neon/endpoint neon.endpoint',
      'db/neon/role neon.role',
      'db/main neon.database',
      'cluster/eks aws.eks.cluster',
      'cluster/eks/nodes aws.eks.nodegroup',
      'k8s/namespace k8s.namespace',
      'compute/app k8s.deployment',
      'compute/app/service k8s.service',
      'compute/app/hpa k8s.hpa',
    ]);
    const deployment = graph(eks).find((s) => s.id === 'compute/app')!;
    expect(deployment.policy?.createOnly).toEqual(['namespace', 'replicas']);
    expect(
      (deployment.attributes.environment as Record<string, unknown>).PATCHBAY_DATABASE_MAIN_HOST,
    ).toEqual({
      $ref: { resource: 'db/neon/endpoint', output: 'host' },
    });
    expect(graph(eks).find((s) => s.id === 'k8s/namespace')?.dependsOn).toEqual(['cluster/eks/nodes']);
  });

  describe('Neon sources', () => {
    const neonGraph = (source: Record<string, unknown>) =>
      graph(
        parseEnvironment({
          name: 'prev',
          cloud: { provider: 'gcp', project: 'acme-prod', region: 'europe-west1' },
          compute: { kind: 'cloud-run' },
          database: { kind: 'neon', source },
        } as EnvironmentInput),
      );
    const byId = (specs: ResourceSpec[]) => Object.fromEntries(specs.map((s) => [s.id, s]));

    it('adopts the read-write endpoint an imported branch already has (one per branch), by its known ids', () => {
      const specs = byId(
        neonGraph({ mode: 'import-branch', projectId: 'still-sun-123456', branchId: 'br-cool-bird-123456' }),
      );
      const endpoint = specs['db/neon/endpoint']!;
      expect(endpoint.policy).toEqual({
        mode: 'adopt',
        deletion: 'retain',
        createOnly: ['project', 'branch'],
      });
      expect(endpoint.attributes).toMatchObject({
        project: 'still-sun-123456',
        branch: 'br-cool-bird-123456',
      });
      expect(endpoint.dependsOn).toEqual(['db/neon/project', 'db/neon/branch']);
      // A branch Patchbay creates gets a new endpoint it manages.
      expect(byId(neonGraph({ mode: 'new-project' }))['db/neon/endpoint']!.policy).toEqual({
        createOnly: ['project', 'branch'],
      });
    });

    it('desires a parent branch named by the user as its id, looked up observe-only', () => {
      const named = byId(
        neonGraph({ mode: 'branch-from-project', projectId: 'still-sun-123456', parentBranch: 'main' }),
      );
      expect(named['db/neon/parent']).toEqual({
        id: 'db/neon/parent',
        type: 'neon.branch',
        name: 'main',
        attributes: { project: 'still-sun-123456' },
        policy: { mode: 'observe-only' },
      });
      expect(named['db/neon/branch']!.attributes.parent).toEqual({
        $ref: { resource: 'db/neon/parent', output: 'id' },
      });
      const byBranchId = byId(
        neonGraph({
          mode: 'branch-from-project',
          projectId: 'still-sun-123456',
          parentBranch: 'br-old-pine-654321',
        }),
      );
      expect(byBranchId['db/neon/parent']).toBeUndefined();
      expect(byBranchId['db/neon/branch']!.attributes.parent).toBe('br-old-pine-654321');
      const unnamed = byId(neonGraph({ mode: 'branch-from-project', projectId: 'still-sun-123456' }));
      expect(unnamed['db/neon/parent']).toBeUndefined();
      expect(unnamed['db/neon/branch']!.attributes.parent).toEqual({
        $ref: { resource: 'db/neon/project', output: 'defaultBranchId' },
      });
    });
  });
});
