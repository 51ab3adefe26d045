import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPath, ValidationError } from '../errors/index.js';
import { parseEnvironment, safeParseEnvironment } from './parse-environment.js';

const subnets = ['subnet-0a1b2c3d', 'subnet-0e5f6a7b'];
const role = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';
const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:staging-neon-AbCdEf';
const aws = {
  name: 'staging',
  cloud: { provider: 'aws', region: 'eu-west-1', network: { subnets } },
  compute: { kind: 'fargate' },
};
/** Fargate with a database whose credentials ECS injects: needs the execution role. */
const awsDb = { ...aws, compute: { kind: 'fargate', executionRoleArn: role } };
const gcp = {
  name: 'staging',
  cloud: { provider: 'gcp', project: 'acme-prod', region: 'europe-west1' },
  compute: { kind: 'cloud-run' },
};
const k8s = (cluster: unknown) => ({ ...aws, compute: { kind: 'kubernetes', cluster } });
const eks = {
  mode: 'new',
  platform: 'eks',
  nodes: { instanceType: 'm6i.large', min: 1, max: 3 },
  clusterRoleArn: 'arn:aws:iam::123456789012:role/eks-cluster',
  nodeRoleArn: 'arn:aws:iam::123456789012:role/eks-nodes',
};

/** [what, input, path of the expected issue] */
const malformed: [string, unknown, string][] = [
  ['null', null, '(root)'],
  ['a string', 'staging', '(root)'],
  ['an array', [], '(root)'],
  ['a number', 42, '(root)'],
  ['missing name', { ...aws, name: undefined }, 'name'],
  ['empty name', { ...aws, name: '' }, 'name'],
  ['uppercase name', { ...aws, name: 'Staging' }, 'name'],
  ['name too long', { ...aws, name: 'a'.repeat(19) }, 'name'],
  ['name with underscore', { ...aws, name: 'my_env' }, 'name'],
  ['name starting with digit', { ...aws, name: '1env' }, 'name'],
  ['name ending with hyphen', { ...aws, name: 'env-' }, 'name'],
  ['name with double hyphen', { ...aws, name: 'my--env' }, 'name'],
  ['name not a string', { ...aws, name: 7 }, 'name'],
  ['unknown type', { ...aws, type: 'prod' }, 'type'],
  ['unknown approval', { ...aws, approval: 'sometimes' }, 'approval'],
  ['unknown top-level field', { ...aws, regoin: 'x' }, 'regoin'],
  ['missing cloud', { ...aws, cloud: undefined }, 'cloud'],
  [
    'unknown cloud provider',
    { ...aws, cloud: { provider: 'azure', region: 'westeurope' } },
    'cloud.provider',
  ],
  ['cloud without provider', { ...aws, cloud: { region: 'eu-west-1' } }, 'cloud.provider'],
  ['bad aws region', { ...aws, cloud: { provider: 'aws', region: 'europe' } }, 'cloud.region'],
  ['missing aws region', { ...aws, cloud: { provider: 'aws' } }, 'cloud.region'],
  [
    'bad aws account',
    { ...aws, cloud: { provider: 'aws', region: 'eu-west-1', account: '123' } },
    'cloud.account',
  ],
  [
    'bad vpc id',
    { ...aws, cloud: { provider: 'aws', region: 'eu-west-1', network: { vpcId: 'vpc1' } } },
    'cloud.network.vpcId',
  ],
  [
    'bad subnet',
    { ...aws, cloud: { provider: 'aws', region: 'eu-west-1', network: { subnets: ['subnet-xyz'] } } },
    'cloud.network.subnets[0]',
  ],
  [
    'subnets not a list',
    { ...aws, cloud: { provider: 'aws', region: 'eu-west-1', network: { subnets: 'subnet-0a1b2c3d' } } },
    'cloud.network.subnets',
  ],
  [
    'bad security group',
    { ...aws, cloud: { provider: 'aws', region: 'eu-west-1', network: { securityGroups: ['sg-1'] } } },
    'cloud.network.securityGroups[0]',
  ],
  [
    'assignPublicIp not boolean',
    { ...aws, cloud: { provider: 'aws', region: 'eu-west-1', network: { assignPublicIp: 'yes' } } },
    'cloud.network.assignPublicIp',
  ],
  [
    'unknown network field',
    { ...aws, cloud: { provider: 'aws', region: 'eu-west-1', network: { vpc: 'vpc-0a1b2c3d' } } },
    'cloud.network.vpc',
  ],
  ['gcp without project', { ...gcp, cloud: { provider: 'gcp', region: 'europe-west1' } }, 'cloud.project'],
  [
    'gcp bad project',
    { ...gcp, cloud: { provider: 'gcp', project: 'Acme', region: 'europe-west1' } },
    'cloud.project',
  ],
  [
    'gcp bad region',
    { ...gcp, cloud: { provider: 'gcp', project: 'acme-prod', region: 'eu-west-1' } },
    'cloud.region',
  ],
  [
    'gcp bad project number',
    {
      ...gcp,
      cloud: { provider: 'gcp', project: 'acme-prod', region: 'europe-west1', projectNumber: 'abc' },
    },
    'cloud.projectNumber',
  ],
  [
    'gcp with aws field',
    {
      ...gcp,
      cloud: { provider: 'gcp', project: 'acme-prod', region: 'europe-west1', account: '123456789012' },
    },
    'cloud.account',
  ],
  ['missing compute', { ...aws, compute: undefined }, 'compute'],
  ['unknown compute kind', { ...aws, compute: { kind: 'lambda' } }, 'compute.kind'],
  ['compute without kind', { ...aws, compute: {} }, 'compute.kind'],
  ['fargate on gcp', { ...gcp, compute: { kind: 'fargate' } }, 'compute.kind'],
  ['cloud-run on aws', { ...aws, compute: { kind: 'cloud-run' } }, 'compute.kind'],
  [
    'bad execution role',
    { ...aws, compute: { kind: 'fargate', executionRoleArn: 'role' } },
    'compute.executionRoleArn',
  ],
  ['unknown fargate field', { ...aws, compute: { kind: 'fargate', cpu: 1 } }, 'compute.cpu'],
  ['kubernetes without cluster', { ...aws, compute: { kind: 'kubernetes' } }, 'compute.cluster'],
  ['cluster unknown mode', k8s({ mode: 'borrowed' }), 'compute.cluster.mode'],
  [
    'new cluster unknown platform',
    k8s({ mode: 'new', platform: 'aks', nodes: { autopilot: true } }),
    'compute.cluster.platform',
  ],
  ['eks on gcp', { ...gcp, compute: { kind: 'kubernetes', cluster: eks } }, 'compute.cluster.platform'],
  [
    'gke on aws',
    k8s({ mode: 'new', platform: 'gke', nodes: { autopilot: true } }),
    'compute.cluster.platform',
  ],
  ['eks without nodes', k8s({ mode: 'new', platform: 'eks' }), 'compute.cluster.nodes'],
  [
    'eks nodes min > max',
    k8s({ ...eks, nodes: { instanceType: 'm6i.large', min: 5, max: 2 } }),
    'compute.cluster.nodes.min',
  ],
  [
    'eks nodes negative',
    k8s({ ...eks, nodes: { instanceType: 'm6i.large', min: -1, max: 2 } }),
    'compute.cluster.nodes.min',
  ],
  [
    'eks nodes bad instance type',
    k8s({ ...eks, nodes: { instanceType: 'large', min: 1, max: 2 } }),
    'compute.cluster.nodes.instanceType',
  ],
  ['eks fargate false', k8s({ ...eks, nodes: { fargate: false } }), 'compute.cluster.nodes.fargate'],
  ['eks bad version', k8s({ ...eks, version: '1.x' }), 'compute.cluster.version'],
  ['eks bad cluster role', k8s({ ...eks, clusterRoleArn: 'arn:nope' }), 'compute.cluster.clusterRoleArn'],
  ['eks bad namespace', k8s({ ...eks, namespace: 'Bad_NS' }), 'compute.cluster.namespace'],
  [
    'gke autopilot false',
    {
      ...gcp,
      compute: { kind: 'kubernetes', cluster: { mode: 'new', platform: 'gke', nodes: { autopilot: false } } },
    },
    'compute.cluster.nodes.autopilot',
  ],
  [
    'gke bad machine type',
    {
      ...gcp,
      compute: {
        kind: 'kubernetes',
        cluster: { mode: 'new', platform: 'gke', nodes: { machineType: 'big', min: 1, max: 2 } },
      },
    },
    'compute.cluster.nodes.machineType',
  ],
  ['existing without access', k8s({ mode: 'existing', namespace: 'apps' }), 'compute.cluster'],
  [
    'existing with both',
    k8s({ mode: 'existing', kubeconfig: { path: '/k' }, clusterRef: { platform: 'eks', name: 'c' } }),
    'compute.cluster',
  ],
  [
    'existing empty kubeconfig path',
    k8s({ mode: 'existing', kubeconfig: { path: '' } }),
    'compute.cluster.kubeconfig.path',
  ],
  [
    'existing kubeconfig unknown form',
    k8s({ mode: 'existing', kubeconfig: { url: 'x' } }),
    'compute.cluster.kubeconfig.url',
  ],
  [
    'existing ref unknown platform',
    k8s({ mode: 'existing', clusterRef: { platform: 'aks', name: 'c' } }),
    'compute.cluster.clusterRef.platform',
  ],
  [
    'existing ref gke on aws',
    k8s({ mode: 'existing', clusterRef: { platform: 'gke', name: 'c' } }),
    'compute.cluster.clusterRef.platform',
  ],
  [
    'existing ref without name',
    k8s({ mode: 'existing', clusterRef: { platform: 'eks' } }),
    'compute.cluster.clusterRef.name',
  ],
  ['sizing not object', { ...aws, sizing: 1 }, 'sizing'],
  ['cpu not offered', { ...aws, sizing: { cpu: 3 } }, 'sizing.cpu'],
  ['cpu negative', { ...aws, sizing: { cpu: -1 } }, 'sizing.cpu'],
  ['cpu as string', { ...aws, sizing: { cpu: '1' } }, 'sizing.cpu'],
  ['memory below minimum', { ...aws, sizing: { memory: 64 } }, 'sizing.memory'],
  ['memory fractional', { ...aws, sizing: { memory: 1024.5 } }, 'sizing.memory'],
  ['fargate cpu/memory mismatch', { ...aws, sizing: { cpu: 4, memory: 1024 } }, 'sizing.memory'],
  ['cloud run memory too big for cpu', { ...gcp, sizing: { cpu: 0.25, memory: 2048 } }, 'sizing.memory'],
  ['cloud run 16 vcpu', { ...gcp, sizing: { cpu: 16, memory: 32768 } }, 'sizing.memory'],
  [
    'min above max instances',
    { ...aws, sizing: { minInstances: 5, maxInstances: 2 } },
    'sizing.minInstances',
  ],
  ['max instances zero', { ...aws, sizing: { maxInstances: 0 } }, 'sizing.maxInstances'],
  ['unknown sizing field', { ...aws, sizing: { vcpu: 1 } }, 'sizing.vcpu'],
  [
    'override bad service name',
    { ...aws, sizing: { services: { Bad: { cpu: 1, memory: 2048 } } } },
    'sizing.services.Bad',
  ],
  ['override bad cpu', { ...aws, sizing: { services: { api: { cpu: 3 } } } }, 'sizing.services.api.cpu'],
  [
    'override fargate mismatch',
    { ...aws, sizing: { services: { api: { cpu: 2 } } } },
    'sizing.services.api.memory',
  ],
  [
    'override unknown field',
    { ...aws, sizing: { services: { api: { disk: 10 } } } },
    'sizing.services.api.disk',
  ],
  [
    'override min above max',
    { ...aws, sizing: { services: { api: { minInstances: 9 } } } },
    'sizing.services.api.minInstances',
  ],
  ['unknown database kind', { ...aws, database: { kind: 'mysql' } }, 'database.kind'],
  ['database without kind', { ...aws, database: {} }, 'database.kind'],
  ['rds on gcp', { ...gcp, database: { kind: 'rds' } }, 'database.kind'],
  ['cloud-sql on aws', { ...aws, database: { kind: 'cloud-sql' } }, 'database.kind'],
  [
    'rds bad instance class',
    { ...aws, database: { kind: 'rds', instanceClass: 't3.micro' } },
    'database.instanceClass',
  ],
  ['rds storage too small', { ...aws, database: { kind: 'rds', storageGb: 5 } }, 'database.storageGb'],
  [
    'rds unknown availability',
    { ...aws, database: { kind: 'rds', availability: 'global' } },
    'database.availability',
  ],
  [
    'rds retention too long',
    { ...aws, database: { kind: 'rds', backupRetentionDays: 90 } },
    'database.backupRetentionDays',
  ],
  [
    'rds deletionProtection string',
    { ...aws, database: { kind: 'rds', deletionProtection: 'yes' } },
    'database.deletionProtection',
  ],
  [
    'rds bad engine version',
    { ...aws, database: { kind: 'rds', engineVersion: 'latest' } },
    'database.engineVersion',
  ],
  ['rds typo', { ...aws, database: { kind: 'rds', instanceClas: 'db.t4g.micro' } }, 'database.instanceClas'],
  ['rds password field', { ...aws, database: { kind: 'rds', password: 'hunter2' } }, 'database.password'],
  ['cloud-sql bad tier', { ...gcp, database: { kind: 'cloud-sql', tier: 'small' } }, 'database.tier'],
  [
    'cloud-sql backups string',
    { ...gcp, database: { kind: 'cloud-sql', backupsEnabled: 'on' } },
    'database.backupsEnabled',
  ],
  [
    'cloud-sql storage too small',
    { ...gcp, database: { kind: 'cloud-sql', storageGb: 1 } },
    'database.storageGb',
  ],
  [
    'neon unknown source',
    { ...aws, database: { kind: 'neon', source: { mode: 'clone' } } },
    'database.source.mode',
  ],
  [
    'neon branch from itself',
    {
      ...aws,
      database: { kind: 'neon', source: { mode: 'branch-from-environment', environment: 'staging' } },
    },
    'database.source.environment',
  ],
  [
    'neon branch from bad env name',
    { ...aws, database: { kind: 'neon', source: { mode: 'branch-from-environment', environment: 'Prod' } } },
    'database.source.environment',
  ],
  [
    'neon branch-from-project without id',
    { ...aws, database: { kind: 'neon', source: { mode: 'branch-from-project' } } },
    'database.source.projectId',
  ],
  [
    'neon import without branch',
    { ...aws, database: { kind: 'neon', source: { mode: 'import-branch', projectId: 'p-1' } } },
    'database.source.branchId',
  ],
  [
    'neon import bad branch id',
    {
      ...aws,
      database: { kind: 'neon', source: { mode: 'import-branch', projectId: 'p-1', branchId: 'main' } },
    },
    'database.source.branchId',
  ],
  [
    'neon bad region',
    { ...aws, database: { kind: 'neon', source: { mode: 'new-project', region: 'eu' } } },
    'database.source.region',
  ],
  [
    'neon bad cu',
    { ...aws, database: { kind: 'neon', endpoint: { minCu: 0.3 } } },
    'database.endpoint.minCu',
  ],
  [
    'neon min above max cu',
    { ...aws, database: { kind: 'neon', endpoint: { minCu: 4, maxCu: 2 } } },
    'database.endpoint.minCu',
  ],
  [
    'neon suspend 10s',
    { ...aws, database: { kind: 'neon', endpoint: { suspendTimeoutSeconds: 10 } } },
    'database.endpoint.suspendTimeoutSeconds',
  ],
  [
    'neon history too long',
    { ...aws, database: { kind: 'neon', historyRetentionSeconds: 9e9 } },
    'database.historyRetentionSeconds',
  ],
  ['neon apiKey field', { ...aws, database: { kind: 'neon', apiKey: 'neon_secret_123' } }, 'database.apiKey'],
  // What the cloud APIs would reject mid-apply, caught at parse time.
  [
    'fargate without subnets',
    { ...aws, cloud: { provider: 'aws', region: 'eu-west-1' } },
    'cloud.network.subnets',
  ],
  [
    'fargate with empty subnets',
    { ...aws, cloud: { provider: 'aws', region: 'eu-west-1', network: { subnets: [] } } },
    'cloud.network.subnets',
  ],
  ['fargate rds without execution role', { ...aws, database: { kind: 'rds' } }, 'compute.executionRoleArn'],
  [
    'fargate neon without execution role',
    { ...aws, database: { kind: 'neon', passwordSecretArn: secretArn } },
    'compute.executionRoleArn',
  ],
  [
    'fargate neon without password secret',
    { ...awsDb, database: { kind: 'neon' } },
    'database.passwordSecretArn',
  ],
  [
    'neon password secret not an ARN',
    { ...awsDb, database: { kind: 'neon', passwordSecretArn: 'my-secret' } },
    'database.passwordSecretArn',
  ],
  [
    'neon password secret ARN off fargate',
    { ...gcp, database: { kind: 'neon', passwordSecretArn: secretArn } },
    'database.passwordSecretArn',
  ],
  ['eks without cluster role', k8s({ ...eks, clusterRoleArn: undefined }), 'compute.cluster.clusterRoleArn'],
  ['eks nodes without node role', k8s({ ...eks, nodeRoleArn: undefined }), 'compute.cluster.nodeRoleArn'],
  [
    'eks with one subnet',
    {
      ...k8s(eks),
      cloud: { provider: 'aws', region: 'eu-west-1', network: { subnets: ['subnet-0a1b2c3d'] } },
    },
    'cloud.network.subnets',
  ],
  ['unknown strategy', { ...aws, allocation: { strategy: 'random' } }, 'allocation.strategy'],
  ['groups without groups', { ...aws, allocation: { strategy: 'groups' } }, 'allocation.groups'],
  [
    'groups bad group name',
    { ...aws, allocation: { strategy: 'groups', groups: { Web: ['web'] } } },
    'allocation.groups.Web',
  ],
  [
    'groups empty group',
    { ...aws, allocation: { strategy: 'groups', groups: { web: [] } } },
    'allocation.groups.web',
  ],
  [
    'groups member not string',
    { ...aws, allocation: { strategy: 'groups', groups: { web: [1] } } },
    'allocation.groups.web[0]',
  ],
  [
    'auto max services zero',
    { ...aws, allocation: { strategy: 'auto', maxServicesPerUnit: 0 } },
    'allocation.maxServicesPerUnit',
  ],
  [
    'auto negative cpu cap',
    { ...aws, allocation: { strategy: 'auto', maxCpuPerUnit: -2 } },
    'allocation.maxCpuPerUnit',
  ],
  [
    'auto option on single',
    { ...aws, allocation: { strategy: 'single', maxServicesPerUnit: 2 } },
    'allocation.maxServicesPerUnit',
  ],
];

function issuePaths(input: unknown): string[] {
  const result = safeParseEnvironment(input);
  if (result.ok) return [];
  expect(result.error).toBeInstanceOf(ValidationError);
  return result.error.issues.map((i) => formatPath(i.path));
}

describe('parseEnvironment', () => {
  it('applies defaults visibly', () => {
    const env = parseEnvironment({ ...awsDb, type: 'production', database: { kind: 'rds' } });
    expect(env.approval).toBe('manual');
    expect(env.sizing).toEqual({ cpu: 0.5, memory: 1024, minInstances: 1, maxInstances: 3 });
    expect(env.allocation).toEqual({ strategy: 'single' });
    expect(env.database).toEqual({
      kind: 'rds',
      instanceClass: 'db.t4g.micro',
      storageGb: 20,
      availability: 'regional',
      backupRetentionDays: 7,
      deletionProtection: true,
    });
    expect(parseEnvironment(aws).approval).toBe('automatic');
    expect(parseEnvironment(k8s(eks)).compute).toMatchObject({ cluster: { namespace: 'staging' } });
    expect(
      parseEnvironment({ ...awsDb, database: { kind: 'neon', passwordSecretArn: secretArn } }).database,
    ).toEqual({
      kind: 'neon',
      passwordSecretArn: secretArn,
      source: { mode: 'new-project' },
      endpoint: { minCu: 0.25, maxCu: 1, suspendTimeoutSeconds: 300 },
      historyRetentionSeconds: 86400,
    });
    expect(parseEnvironment({ ...gcp, database: { kind: 'cloud-sql' } }).database).toMatchObject({
      availability: 'regional',
      backupsEnabled: true,
      backupRetentionDays: 7,
    });
  });

  it('accepts every cloud / compute / database combination the rules allow', () => {
    const ok = [
      { ...awsDb, database: { kind: 'neon', passwordSecretArn: secretArn } },
      { ...awsDb, database: { kind: 'rds' } },
      k8s({ ...eks, nodes: { fargate: true }, nodeRoleArn: undefined }),
      { ...k8s(eks), database: { kind: 'rds' } },
      {
        ...k8s({ mode: 'existing', kubeconfig: { path: '/k' } }),
        cloud: { provider: 'aws', region: 'eu-west-1' },
      },
      {
        ...gcp,
        database: { kind: 'neon', source: { mode: 'branch-from-environment', environment: 'prod' } },
      },
      k8s({ ...eks, nodes: { fargate: true } }),
      k8s({ mode: 'existing', kubeconfig: { path: '~/.kube/config' }, context: 'dev', namespace: 'apps' }),
      {
        ...gcp,
        compute: {
          kind: 'kubernetes',
          cluster: { mode: 'new', platform: 'gke', nodes: { autopilot: true } },
        },
      },
      {
        ...gcp,
        compute: {
          kind: 'kubernetes',
          cluster: { mode: 'existing', kubeconfig: { inline: 'apiVersion: v1' } },
        },
      },
      {
        ...gcp,
        compute: {
          kind: 'kubernetes',
          cluster: { mode: 'existing', clusterRef: { platform: 'gke', name: 'c1' } },
        },
      },
      { ...aws, sizing: { cpu: 2, memory: 4096, services: { search: { cpu: 4, memory: 8192 } } } },
    ];
    for (const input of ok) expect(issuePaths(input)).toEqual([]);
  });

  it(`rejects ${malformed.length} malformed inputs, each at the right path`, () => {
    for (const [what, input, path] of malformed) {
      const paths = issuePaths(input);
      expect(paths, what).toContain(path);
    }
  });

  it('gives every issue a message, the value received and what is allowed', () => {
    for (const [what, input] of malformed) {
      const result = safeParseEnvironment(input);
      if (result.ok) throw new Error(`${what} parsed`);
      for (const issue of result.error.issues) {
        expect(issue.message, what).toBeTruthy();
        expect('received' in issue, what).toBe(true);
        expect(issue.allowed, what).toBeDefined();
      }
    }
  });

  it('reports every problem at once, including the cloud rule next to field errors', () => {
    const paths = issuePaths({
      ...gcp,
      name: 'Bad',
      compute: { kind: 'fargate' },
      database: { kind: 'rds', storageGb: 1 },
    });
    expect(paths).toEqual(
      expect.arrayContaining(['name', 'compute.kind', 'database.kind', 'database.storageGb']),
    );
  });

  it('never echoes secret-looking values', () => {
    for (const input of [
      { ...aws, database: { kind: 'rds', password: 'hunter2' } },
      { ...aws, database: { kind: 'neon', apiKey: 'neon_secret_123' } },
      k8s({
        mode: 'existing',
        kubeconfig: { inline: 'token: s3cr3t' },
        clusterRef: { platform: 'eks', name: 'c' },
      }),
      { ...aws, compute: { kind: 'fargate', extra: { token: 'abc-secret' } } },
    ]) {
      const result = safeParseEnvironment(input);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      const text = JSON.stringify(result.error.issues) + result.error.message;
      for (const secret of ['hunter2', 'neon_secret_123', 's3cr3t', 'abc-secret'])
        expect(text).not.toContain(secret);
    }
  });

  it('returns per-service outside production as a warning, not an error', () => {
    const dev = safeParseEnvironment({ ...aws, allocation: { strategy: 'per-service' } });
    expect(dev.ok && dev.warnings.some((w) => w.includes('per-service'))).toBe(true);
    const prod = safeParseEnvironment({
      ...aws,
      type: 'production',
      allocation: { strategy: 'per-service' },
    });
    expect(prod.ok && prod.warnings).toEqual([]);
  });

  it('requires compute.executionRoleArn on fargate when ECS injects the database secret, and says why', () => {
    const result = safeParseEnvironment({ ...aws, database: { kind: 'rds' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issue = result.error.issues.find((i) => formatPath(i.path) === 'compute.executionRoleArn');
    expect(issue?.message).toMatch(/ECS injects the RDS-managed database secret .* task execution role/);
    expect(issue?.message).toMatch(/task definition is rejected/);
    expect(issue?.allowed).toMatch(/IAM role ARN/);
    expect(result.error.message).toContain('compute.executionRoleArn');
    // Without a database, or with the role, nothing is asked.
    expect(issuePaths(aws)).toEqual([]);
    expect(issuePaths({ ...awsDb, database: { kind: 'rds' } })).toEqual([]);
  });

  it('throws ValidationError from parseEnvironment', () => {
    expect(() => parseEnvironment({ ...aws, compute: { kind: 'cloud-run' } })).toThrow(ValidationError);
  });

  it('rejects generated garbage without crashing, with issues at real paths', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = safeParseEnvironment(input);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a valid environment with one field replaced by a wrong value, at that field', () => {
    const fields = [
      'name',
      'type',
      'approval',
      'cloud',
      'compute',
      'sizing',
      'database',
      'allocation',
    ] as const;
    const wrong = fc.oneof(
      fc.integer(),
      fc.constant('NOT VALID'),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 2 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...fields), wrong, (field, value) => {
        const paths = issuePaths({ ...aws, [field]: value });
        expect(paths.length).toBeGreaterThan(0);
        expect(paths.every((p) => p === field || p.startsWith(`${field}.`))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
