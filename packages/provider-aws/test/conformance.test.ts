import { type Observed, outputRef, type ResourceSpec } from '@patchbay/core';
import { aws } from '@patchbay/provider-aws';
import { awsClientConfig, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { type ResourceFixture, testProvider } from '@patchbay/testkit';

// The Patchbay conformance suite against the sandbox through the real SDK clients, for all six AWS types.
// The ECS cluster owns only `tags`: its out-of-band edit is a console tag on another key (`tags.owner`).
// The service and the node group live in a cluster named after the test's resource, not after the suite's
// environment: they find it through `ref.identity` (the type's `identity: ['cluster']`).

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

const ecsCluster: ResourceFixture = {
  spec: (name) => ({ id: 'cluster', type: 'aws.ecs.cluster', name, attributes: { tags: { team: 'web' } } }),
  patch: { attribute: 'tags', value: { team: 'platform' } },
  conflict: {
    edit: (sandbox, observed) => void sandbox.console.tag('ecs', 'cluster', nameOf(observed), 'team', 'data'),
  },
  // The cluster owns only `tags`: the console edit is another key, as a person tagging it would add.
  outOfBand: {
    attribute: 'tags.owner',
    edit: (sandbox, observed) => void sandbox.console.tag('ecs', 'cluster', nameOf(observed), 'owner', 'ops'),
  },
  counters: {
    api: 'ecs',
    writeOperations: ['CreateCluster', 'DeleteCluster', 'TagResource', 'UntagResource'],
  },
  capabilities: { delete: true, adopt: true, throttling: true },
};

/** The cluster's name (its sandbox record id) from its `name` output. */
function nameOf(observed: Observed): string {
  return String(observed.outputs?.name);
}

/** The sandbox's service record id, `<cluster>/<service>`, from the service ARN `…:service/<cluster>/<service>`. */
function serviceRecordId(observed: Observed): string {
  return observed.physicalId.slice(observed.physicalId.indexOf(':service/') + ':service/'.length);
}

const ecsService: ResourceFixture = {
  spec: (name) => ({
    id: 'compute/web',
    type: 'aws.ecs.service',
    name,
    attributes: {
      // A plain name (as desiredResources gives): the service is located at plan time, adopt included.
      cluster: name,
      taskDefinition: outputRef('compute/web/task', 'arn'),
      desiredCount: 1,
      subnets: ['subnet-b', 'subnet-a'],
      securityGroups: ['sg-1'],
      assignPublicIp: false,
      tags: { team: 'web' },
    },
    dependsOn: ['cluster'],
    policy: { createOnly: ['cluster'] },
  }),
  dependencies: (name) => [
    { id: 'cluster', type: 'aws.ecs.cluster', name, attributes: { tags: { team: 'web' } } },
    { ...taskDefinitionSpec(name), id: 'compute/web/task' },
  ],
  patch: { attribute: 'desiredCount', value: 2 },
  conflict: {
    edit: (sandbox, observed) =>
      void sandbox.console.edit('ecs', 'service', serviceRecordId(observed), { desiredCount: 5 }),
  },
  outOfBand: {
    attribute: 'assignPublicIp',
    edit: (sandbox, observed) =>
      void sandbox.console.edit('ecs', 'service', serviceRecordId(observed), {
        networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } },
      }),
  },
  counters: {
    api: 'ecs',
    writeOperations: ['CreateService', 'UpdateService', 'DeleteService', 'TagResource', 'UntagResource'],
  },
  // No immutable attributes: `cluster` is create-only by policy, not by the type.
  capabilities: { delete: true, adopt: true, throttling: true },
};

const eksNodegroup: ResourceFixture = {
  spec: (name) => ({
    id: 'k8s/nodes',
    type: 'aws.eks.nodegroup',
    name,
    attributes: {
      cluster: name,
      nodeRoleArn: `${ROLE}-nodes`,
      subnets: ['subnet-b', 'subnet-a'],
      instanceTypes: ['t3.medium'],
      minSize: 1,
      maxSize: 3,
      desiredSize: 1,
      labels: { pool: 'general' },
      tags: { team: 'platform' },
    },
    dependsOn: ['k8s/cluster'],
  }),
  dependencies: (name) => [eksClusterSpec(name)],
  patch: { attribute: 'desiredSize', value: 2 },
  conflict: {
    edit: (sandbox, observed) => editScaling(sandbox, observed, { desiredSize: 3 }),
  },
  outOfBand: {
    attribute: 'maxSize',
    edit: (sandbox, observed) => editScaling(sandbox, observed, { maxSize: 5 }),
  },
  immutable: { attribute: 'instanceTypes', value: ['t3.large'] },
  counters: {
    api: 'eks',
    writeOperations: [
      'CreateNodegroup',
      'UpdateNodegroupConfig',
      'DeleteNodegroup',
      'TagResource',
      'UntagResource',
    ],
  },
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
};

/** A console edit of the node group's scaling (physicalId `<cluster>/<nodegroup>` is the record id). */
function editScaling(sandbox: Sandbox, observed: Observed, change: Record<string, number>): void {
  const data = record<{ scalingConfig: Record<string, number> }>(
    sandbox,
    'eks',
    'nodegroup',
    observed.physicalId,
  );
  sandbox.console.edit('eks', 'nodegroup', observed.physicalId, {
    scalingConfig: { ...data.scalingConfig, ...change },
  });
}

testProvider({
  name: 'aws provider conformance',
  sandbox: () => startSandbox({ operationDelayMs: 5 }),
  // maxAttempts 1: the engine, not the SDK, retries, so the throttling storm exercises classification.
  // applyImmediately: a queued RDS change is `pending`, which the suite's observe-after-patch cannot see.
  provider: (sandbox) =>
    aws({ ...awsClientConfig(sandbox), maxAttempts: 1, pollIntervalMs: 2, rds: { applyImmediately: true } }),
  fixtures: [ecsCluster, taskDefinition, ecsService, rdsInstance, eksCluster, eksNodegroup],
});
