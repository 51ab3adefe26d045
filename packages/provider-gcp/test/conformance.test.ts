import type { Observed, ResourceSpec } from '@patchbay/core';
import { gcp } from '@patchbay/provider-gcp';
import { googleClientOptions, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { type ResourceFixture, testProvider } from '@patchbay/testkit';

// The Patchbay conformance suite against the sandbox through the real Google clients.

const PROJECT = 'demo-project';
const REGION = 'europe-west1';

/** The sandbox id of a Cloud SQL instance: `{project}/{instance}`. */
const sqlId = (observed: Observed) => `${PROJECT}/${observed.physicalId.split('/').pop()}`;

function editContainer(sandbox: Sandbox, observed: Observed, change: Record<string, unknown>): void {
  const data = sandbox.console.get('cloudrun', 'service', observed.physicalId)?.data as {
    template: { containers: Record<string, unknown>[] };
  };
  const [first, ...rest] = data.template.containers;
  sandbox.console.edit('cloudrun', 'service', observed.physicalId, {
    template: { ...data.template, containers: [{ ...first, ...change }, ...rest] },
  });
}

const cloudRunService: ResourceFixture = {
  spec: (name) => ({
    id: 'compute/web',
    type: 'gcp.run.service',
    name,
    attributes: {
      region: REGION,
      image: 'registry.example.com/web:1',
      cpu: 0.5,
      memory: 512,
      port: 8080,
      minInstances: 1,
      maxInstances: 4,
      ingress: 'all',
      environment: { LOG_LEVEL: 'info' },
      labels: { team: 'web' },
    },
    policy: { createOnly: [] },
  }),
  patch: { attribute: 'cpu', value: 1 },
  conflict: {
    edit: (sandbox, observed) =>
      editContainer(sandbox, observed, { resources: { limits: { cpu: '2', memory: '512Mi' } } }),
  },
  outOfBand: {
    attribute: 'minInstances',
    edit: (sandbox, observed) =>
      void sandbox.console.edit('cloudrun', 'service', observed.physicalId, {
        template: { scaling: { minInstanceCount: 3 } },
      }),
  },
  immutable: { attribute: 'region', value: 'us-central1' },
  counters: { api: 'cloudrun', writeOperations: ['CreateService', 'UpdateService', 'DeleteService'] },
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
};

const cloudSqlInstance: ResourceFixture = {
  spec: (name) => ({
    id: 'db/main',
    type: 'gcp.sql.instance',
    name,
    attributes: {
      region: REGION,
      databaseVersion: 'POSTGRES_16',
      tier: 'db-custom-1-3840',
      diskSizeGb: 20,
      availabilityType: 'ZONAL',
      backupEnabled: true,
      backupRetentionDays: 7,
      labels: { team: 'data' },
    },
  }),
  patch: { attribute: 'tier', value: 'db-custom-2-7680' },
  conflict: {
    edit: (sandbox, observed) =>
      void sandbox.console.edit('cloudsql', 'instance', sqlId(observed), {
        settings: { tier: 'db-custom-4-15360' },
      }),
  },
  outOfBand: {
    attribute: 'backupRetentionDays',
    edit: (sandbox, observed) =>
      void sandbox.console.edit('cloudsql', 'instance', sqlId(observed), {
        settings: {
          backupConfiguration: { backupRetentionSettings: { retainedBackups: 14, retentionUnit: 'COUNT' } },
        },
      }),
  },
  immutable: { attribute: 'databaseVersion', value: 'POSTGRES_17' },
  counters: { api: 'cloudsql', writeOperations: ['instances.insert', 'instances.patch', 'instances.delete'] },
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
};

const clusterSpec = (name: string, id = 'cluster/gke', location = REGION): ResourceSpec => ({
  id,
  type: 'gcp.gke.cluster',
  name,
  attributes: {
    location,
    version: '1.31',
    autopilot: false,
    network: 'default',
    labels: { team: 'platform' },
  },
});

const gkeCluster: ResourceFixture = {
  spec: (name) => clusterSpec(name),
  patch: { attribute: 'version', value: '1.32' },
  conflict: {
    edit: (sandbox, observed) =>
      void sandbox.console.edit('gke', 'cluster', observed.physicalId, {
        currentMasterVersion: '1.30.9-gke.100',
      }),
  },
  outOfBand: {
    attribute: 'labels.note',
    edit: (sandbox, observed) =>
      void sandbox.console.tag('gke', 'cluster', observed.physicalId, 'note', 'edited-by-ops'),
  },
  immutable: { attribute: 'network', value: 'other-network' },
  counters: {
    api: 'gke',
    writeOperations: ['CreateCluster', 'UpdateCluster', 'SetLabels', 'DeleteCluster', 'DeleteNodePool'],
  },
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
};

// A node pool needs a cluster: two of that name in two regions, so that moving it (an immutable change of
// `location`) has somewhere to go.
const gkeNodePool: ResourceFixture = {
  spec: (name) => ({
    id: 'cluster/gke/nodes',
    type: 'gcp.gke.nodepool',
    name,
    attributes: {
      cluster: `${name}-a`,
      location: REGION,
      machineType: 'e2-standard-4',
      minNodes: 1,
      maxNodes: 3,
      labels: { team: 'platform' },
    },
    dependsOn: ['cluster/a', 'cluster/b'],
  }),
  dependencies: (name) => [
    clusterSpec(`${name}-a`, 'cluster/a'),
    clusterSpec(`${name}-a`, 'cluster/b', 'us-central1'),
  ],
  patch: { attribute: 'maxNodes', value: 5 },
  conflict: {
    edit: (sandbox, observed) =>
      void sandbox.console.edit('gke', 'nodePool', observed.physicalId, {
        autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 7 },
      }),
  },
  outOfBand: {
    attribute: 'machineType',
    edit: (sandbox, observed) =>
      void sandbox.console.edit('gke', 'nodePool', observed.physicalId, {
        config: { machineType: 'e2-highmem-4' },
      }),
  },
  immutable: { attribute: 'location', value: 'us-central1' },
  counters: {
    api: 'gke',
    writeOperations: ['CreateNodePool', 'UpdateNodePool', 'SetNodePoolAutoscaling', 'DeleteNodePool'],
  },
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
};

testProvider({
  name: 'gcp provider conformance',
  sandbox: () => startSandbox({ operationDelayMs: 5 }),
  provider: (sandbox) =>
    gcp({ project: PROJECT, region: REGION, ...googleClientOptions(sandbox), pollIntervalMs: 2 }),
  fixtures: [cloudRunService, cloudSqlInstance, gkeCluster, gkeNodePool],
});
