import type { Observed, ResourceSpec } from '@patchbay/core';
import { aws } from '@patchbay/provider-aws';
import { awsClientConfig, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { type ResourceFixture, testProvider } from '@patchbay/testkit';

// The Patchbay conformance suite against the sandbox through the real SDK clients, for the AWS types it can
// express. Not here (see the README's "Conformance" section): `aws.ecs.cluster` owns only `tags`, and the suite
// needs a console edit of an attribute other than the patched one; `aws.ecs.service` and `aws.eks.nodegroup`
// live in a cluster that observe-by-name takes from the environment's name, which the suite's sessions don't
// share with the fixture (retain, adopt and observe-only look in the wrong cluster).

const ROLE = 'arn:aws:iam::123456789012:role/conformance';

function record<T>(sandbox: Sandbox, api: string, kind: string, id: string): T {
  const found = sandbox.console.get(api, kind, id);
  if (!found) throw new Error(`sandbox has no ${api} ${kind} ${id}`);
  return found.data as T;
}

/** The latest revision of a family, as the sandbox stores it: `<family>:<revision>`. */
function revisionRecordId(observed: Observed): string {
  return `${observed.physicalId}:${observed.outputs?.revision}`;
}

function editContainer(sandbox: Sandbox, observed: Observed, change: Record<string, unknown>): void {
  const id = revisionRecordId(observed);
  const data = record<{ containerDefinitions: Record<string, unknown>[] }>(
    sandbox,
    'ecs',
    'taskDefinition',
    id,
  );
  const [first, ...rest] = data.containerDefinitions;
  sandbox.console.edit('ecs', 'taskDefinition', id, {
    containerDefinitions: [{ ...first, ...change }, ...rest],
  });
}

const taskDefinitionSpec = (name: string): ResourceSpec => ({
  id: 'taskdef/web',
  type: 'aws.ecs.task-definition',
  name,
  attributes: {
    cpu: '0.25 vCPU',
    memory: 512,
    image: 'registry.example.com/web:1',
    port: 8080,
    environment: { LOG_LEVEL: 'info' },
    secrets: {},
    tags: { team: 'web' },
  },
});

const taskDefinition: ResourceFixture = {
  spec: taskDefinitionSpec,
  patch: { attribute: 'image', value: 'registry.example.com/web:2' },
  conflict: {
    edit: (sandbox, observed) => editContainer(sandbox, observed, { image: 'registry.example.com/web:9' }),
  },
  outOfBand: {
    attribute: 'environment',
    edit: (sandbox, observed) =>
      editContainer(sandbox, observed, { environment: [{ name: 'LOG_LEVEL', value: 'debug' }] }),
  },
  counters: {
    api: 'ecs',
    writeOperations: ['RegisterTaskDefinition', 'DeregisterTaskDefinition', 'TagResource', 'UntagResource'],
  },
  capabilities: { delete: true, adopt: true, throttling: true },
};

const rdsInstance: ResourceFixture = {
  spec: (name) => ({
    id: 'db/main',
    type: 'aws.rds.instance',
    name,
    attributes: {
      engine: 'postgres',
      engineVersion: '16.4',
      instanceClass: 'db.t4g.micro',
      allocatedStorage: 20,
      multiAz: false,
      backupRetentionPeriod: 7,
      deletionProtection: false,
      masterUsername: 'patchbay',
      tags: { team: 'data' },
    },
  }),
  patch: { attribute: 'backupRetentionPeriod', value: 14 },
  conflict: {
    edit: (sandbox, observed) =>
      void sandbox.console.edit('rds', 'dbInstance', observed.physicalId, { BackupRetentionPeriod: 3 }),
  },
  outOfBand: {
    attribute: 'allocatedStorage',
    edit: (sandbox, observed) =>
      void sandbox.console.edit('rds', 'dbInstance', observed.physicalId, { AllocatedStorage: 30 }),
  },
  immutable: { attribute: 'masterUsername', value: 'owner' },
  counters: {
    api: 'rds',
    writeOperations: [
      'CreateDBInstance',
      'ModifyDBInstance',
      'DeleteDBInstance',
      'AddTagsToResource',
      'RemoveTagsFromResource',
    ],
  },
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
};

const eksClusterSpec = (name: string): ResourceSpec => ({
  id: 'k8s/cluster',
  type: 'aws.eks.cluster',
  name,
  attributes: {
    version: '1.30',
    roleArn: ROLE,
    subnets: ['subnet-b', 'subnet-a'],
    securityGroups: ['sg-1'],
    endpointPublicAccess: true,
    tags: { team: 'platform' },
  },
});

const eksCluster: ResourceFixture = {
  spec: eksClusterSpec,
  patch: { attribute: 'version', value: '1.31' },
  conflict: {
    edit: (sandbox, observed) =>
      void sandbox.console.edit('eks', 'cluster', observed.physicalId, { version: '1.29' }),
  },
  outOfBand: {
    attribute: 'endpointPublicAccess',
    edit: (sandbox, observed) =>
      void sandbox.console.edit('eks', 'cluster', observed.physicalId, {
        resourcesVpcConfig: { endpointPublicAccess: false },
      }),
  },
  immutable: { attribute: 'roleArn', value: `${ROLE}-2` },
  counters: {
    api: 'eks',
    writeOperations: [
      'CreateCluster',
      'UpdateClusterVersion',
      'UpdateClusterConfig',
      'DeleteCluster',
      'TagResource',
      'UntagResource',
    ],
  },
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
};

testProvider({
  name: 'aws provider conformance',
  sandbox: () => startSandbox({ operationDelayMs: 5 }),
  // maxAttempts 1: the engine, not the SDK, retries, so the throttling storm exercises classification.
  // applyImmediately: a queued RDS change is `pending`, which the suite's observe-after-patch cannot see.
  provider: (sandbox) =>
    aws({ ...awsClientConfig(sandbox), maxAttempts: 1, pollIntervalMs: 2, rds: { applyImmediately: true } }),
  fixtures: [taskDefinition, rdsInstance, eksCluster],
});
