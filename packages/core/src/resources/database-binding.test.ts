import { describe, expect, it } from 'vitest';
import { planAllocation } from '../allocation/plan-allocation.js';
import { type EnvironmentInput, parseApp, parseEnvironment } from '../model/index.js';
import { bindingEnvVars } from '../runtime/database-binding.js';
import { databaseUrl } from '../runtime/database-url.js';
import { runtimeConfigEnvVar } from '../runtime/runtime-config.js';
import { desiredResources } from './desired-resources.js';
import { resolveOutputRefs } from './output-refs.js';
import type { DesiredValue, JsonValue, ResourceSpec } from './resource-spec.js';

const app = parseApp({
  name: 'shop',
  services: [
    { name: 'web', public: true, calls: ['orders', 'reports'] },
    { name: 'orders', databases: ['main'] },
    { name: 'reports', databases: ['main', 'order-stats'] },
  ],
  databases: [{ name: 'main' }, { name: 'order-stats' }],
});

/** A password with every character a URL gives meaning to. */
const PASSWORD = 'p@ss:w/rd%?#&=+ x';
const ENCODED = encodeURIComponent(PASSWORD);
const RDS_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1-AbCdEf';
const NEON_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:staging-neon-AbCdEf';
const role = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';
const awsCloud = {
  provider: 'aws',
  region: 'eu-west-1',
  network: { subnets: ['subnet-0a1b2c3d', 'subnet-0e5f6a7b'] },
} satisfies EnvironmentInput['cloud'];
const gcpCloud = { provider: 'gcp', project: 'acme-prod', region: 'europe-west1' } as const;
const eks = {
  kind: 'kubernetes',
  cluster: {
    mode: 'new',
    platform: 'eks',
    nodes: { fargate: true },
    clusterRoleArn: 'arn:aws:iam::123456789012:role/eks-cluster',
  },
} as const;
const gke = {
  kind: 'kubernetes',
  cluster: { mode: 'new', platform: 'gke', nodes: { autopilot: true } },
} as const;

/** What each database resource reports once it exists (the engine resolves output refs to these). */
const outputs: Record<string, JsonValue> = {
  'db/main.endpoint': 'staging-main.c1.eu-west-1.rds.amazonaws.com',
  'db/order-stats.endpoint': 'staging-order-stats.c1.eu-west-1.rds.amazonaws.com',
  'db/main.masterUserSecretArn': RDS_SECRET,
  'db/order-stats.masterUserSecretArn': `${RDS_SECRET}2`,
  'db/main.ipAddress': '10.0.0.5',
  'db/order-stats.ipAddress': '10.0.0.6',
  'db/neon/endpoint.host': 'ep-cool-bird-123.eu-central-1.aws.neon.tech',
  'db/neon/role.name': 'app',
  'db/main.name': 'main',
  'db/order-stats.name': 'order-stats',
};

/** The secret stores, keyed by the reference a platform resolves: only they hold a value. */
const rdsJson = JSON.stringify({ username: 'patchbay', password: PASSWORD });
const store: Record<string, string> = {
  [RDS_SECRET]: rdsJson,
  [`${RDS_SECRET}2`]: rdsJson,
  [NEON_SECRET]: PASSWORD,
  'projects/acme-prod/secrets/prod-main-db-password/versions/latest': PASSWORD,
  'projects/acme-prod/secrets/prod-order-stats-db-password/versions/latest': PASSWORD,
  'projects/acme-prod/secrets/prod-neon-password/versions/latest': PASSWORD,
  'k8s:patchbay-db-main/credentials': rdsJson,
  'k8s:patchbay-db-main/password': PASSWORD,
  'k8s:patchbay-db-order-stats/password': PASSWORD,
};

const resolve = (value: DesiredValue): JsonValue => {
  const resolved = resolveOutputRefs(value, (ref) => outputs[`${ref.resource}.${ref.output}`]);
  if (resolved === undefined) throw new Error(`unresolved output in ${JSON.stringify(value)}`);
  return resolved;
};

/**
 * What a process of `spec` really gets: the plain environment as written, and each secret looked up by its
 * reference (ECS `valueFrom` ARN, Cloud Run `secretKeyRef`, Kubernetes `secretKeyRef`).
 */
function processEnvironment(spec: ResourceSpec): Record<string, string> {
  const env = resolve(spec.attributes.environment ?? {}) as Record<string, string>;
  const secrets = resolve(spec.attributes.secrets ?? {}) as Record<string, JsonValue>;
  const injected: Record<string, string> = {};
  for (const [name, reference] of Object.entries(secrets)) {
    const key =
      typeof reference === 'string'
        ? reference
        : `k8s:${(reference as { secret: string }).secret}/${(reference as { key: string }).key}`;
    const value = store[key];
    if (value === undefined) throw new Error(`no secret at ${key}`);
    injected[name] = value;
  }
  return { ...env, ...injected };
}

const cases: [string, EnvironmentInput, string, string][] = [
  [
    'fargate + rds (RDS-managed secret JSON via ECS secrets)',
    {
      name: 'staging',
      cloud: awsCloud,
      compute: { kind: 'fargate', executionRoleArn: role },
      database: { kind: 'rds' },
    },
    `postgresql://patchbay:${ENCODED}@staging-main.c1.eu-west-1.rds.amazonaws.com:5432/postgres?sslmode=require`,
    'compute/orders/task',
  ],
  [
    'kubernetes on eks + rds (Secret synced from the RDS secret)',
    { name: 'staging', cloud: awsCloud, compute: eks, database: { kind: 'rds' } },
    `postgresql://patchbay:${ENCODED}@staging-main.c1.eu-west-1.rds.amazonaws.com:5432/postgres?sslmode=require`,
    'compute/orders',
  ],
  [
    'fargate + neon (role password by secret ARN)',
    {
      name: 'staging',
      cloud: awsCloud,
      compute: { kind: 'fargate', executionRoleArn: role },
      database: { kind: 'neon', passwordSecretArn: NEON_SECRET },
    },
    `postgresql://app:${ENCODED}@ep-cool-bird-123.eu-central-1.aws.neon.tech:5432/main?sslmode=require`,
    'compute/orders/task',
  ],
  [
    'cloud-run + cloud-sql (Secret Manager password)',
    { name: 'prod', cloud: gcpCloud, compute: { kind: 'cloud-run' }, database: { kind: 'cloud-sql' } },
    `postgresql://postgres:${ENCODED}@10.0.0.5:5432/postgres`,
    'compute/orders',
  ],
  [
    'cloud-run + neon (Secret Manager password)',
    { name: 'prod', cloud: gcpCloud, compute: { kind: 'cloud-run' }, database: { kind: 'neon' } },
    `postgresql://app:${ENCODED}@ep-cool-bird-123.eu-central-1.aws.neon.tech:5432/main?sslmode=require`,
    'compute/orders',
  ],
  [
    'kubernetes on gke + cloud-sql (Kubernetes Secret)',
    { name: 'prod', cloud: gcpCloud, compute: gke, database: { kind: 'cloud-sql' } },
    `postgresql://postgres:${ENCODED}@10.0.0.5:5432/postgres`,
    'compute/orders',
  ],
];

describe('database bindings', () => {
  it.each(cases)('%s: the unit builds its URL from what it is really given', (_, input, url, specId) => {
    const env = parseEnvironment({ ...input, allocation: { strategy: 'per-service' } });
    const specs = desiredResources(env, app, planAllocation(app, env));
    const spec = specs.find((s) => s.id === specId)!;
    const processEnv = processEnvironment(spec);
    expect(databaseUrl('main', processEnv)).toBe(url);
    expect(() => databaseUrl('order-stats', processEnv)).toThrow(/orders does not use database order-stats/);
    // Never a password in plain text in the desired graph (so never in a task definition, plan or state).
    expect(JSON.stringify(specs)).not.toContain(PASSWORD);
    expect(JSON.stringify(specs)).not.toContain(ENCODED);
  });

  it.each(cases)("%s: every unit's variables are exactly its runtime config's binding names", (_, input) => {
    const env = parseEnvironment({ ...input, allocation: { strategy: 'per-service' } });
    const allocation = planAllocation(app, env);
    const specs = desiredResources(env, app, allocation);
    for (const unit of allocation.units) {
      const spec = specs.find(
        (s) => s.id === `compute/${unit.name}/task` || s.id === `compute/${unit.name}`,
      )!;
      const environment = Object.keys(spec.attributes.environment as object);
      const secrets = Object.keys((spec.attributes.secrets as object | undefined) ?? {});
      const bindings = Object.values(unit.runtimeConfig.databases);
      expect(bindings.length).toBe(unit.databases.length);
      expect([...environment, ...secrets].sort()).toEqual(
        [runtimeConfigEnvVar, ...bindings.flatMap(bindingEnvVars)].sort(),
      );
      // Credentials arrive by reference only, in `secrets`; nothing else does.
      expect(secrets.sort()).toEqual(bindings.map((b) => b.credentialsEnvVar).sort());
      // The unit's runtime config in its environment is the one planAllocation made.
      const config = (spec.attributes.environment as Record<string, string>)[runtimeConfigEnvVar]!;
      expect(JSON.parse(config)).toEqual(unit.runtimeConfig);
    }
    // reports uses both databases: `order-stats` becomes ORDER_STATS in variable names.
    const reports = allocation.units.find((u) => u.name === 'reports')!;
    expect(reports.runtimeConfig.databases['order-stats']?.hostEnvVar).toBe(
      'PATCHBAY_DATABASE_ORDER_STATS_HOST',
    );
  });
});
