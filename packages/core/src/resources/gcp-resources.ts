import type { Allocation } from '../allocation/allocation.js';
import type { App, Environment } from '../model/index.js';
import { gcpLabels } from './ownership-labels.js';
import type { ResourceSpec } from './resource-spec.js';
import { databaseSecrets, unitEnvironment, withSecrets } from './unit-environment.js';

/** Cloud Run (v2): one service per unit; only gateway units accept traffic from the internet. */
export function cloudRunResources(
  env: Environment,
  allocation: Allocation,
  image: (unit: string) => string,
): ResourceSpec[] {
  if (env.cloud.provider !== 'gcp') return [];
  const region = env.cloud.region;
  return allocation.units.map((unit) => {
    const id = `compute/${unit.name}`;
    return {
      id,
      type: 'gcp.run.service',
      name: `${env.name}-${unit.name}`,
      attributes: {
        region,
        image: image(unit.name),
        cpu: unit.sizing.cpu,
        memory: unit.sizing.memory,
        port: unit.port,
        minInstances: unit.sizing.minInstances,
        maxInstances: unit.sizing.maxInstances,
        ingress: unit.gateway ? 'all' : 'internal',
        environment: unitEnvironment(env, unit),
        ...withSecrets(databaseSecrets(env, unit)),
        labels: gcpLabels(env.name, id),
      },
      policy: { createOnly: ['region'] },
    };
  });
}

/** Cloud SQL for PostgreSQL: one instance per app database. Stateful: retained when removed. */
export function cloudSqlResources(env: Environment, app: App): ResourceSpec[] {
  const db = env.database;
  if (db?.kind !== 'cloud-sql' || env.cloud.provider !== 'gcp') return [];
  const region = env.cloud.region;
  return app.databases.map((database) => {
    const id = `db/${database.name}`;
    return {
      id,
      type: 'gcp.sql.instance',
      name: `${env.name}-${database.name}`,
      attributes: {
        region,
        databaseVersion: db.databaseVersion,
        tier: db.tier,
        diskSizeGb: db.storageGb,
        availabilityType: db.availability === 'regional' ? 'REGIONAL' : 'ZONAL',
        backupEnabled: db.backupsEnabled,
        backupRetentionDays: db.backupRetentionDays,
        labels: gcpLabels(env.name, id),
      },
      policy: { createOnly: ['region', 'databaseVersion'], deletion: 'retain' },
    };
  });
}

/** A new GKE cluster and, unless it is Autopilot, its node pool. */
export function gkeResources(env: Environment): ResourceSpec[] {
  if (env.compute.kind !== 'kubernetes' || env.cloud.provider !== 'gcp') return [];
  const cluster = env.compute.cluster;
  if (cluster.mode !== 'new' || cluster.platform !== 'gke') return [];
  const network = env.cloud.network;
  const autopilot = 'autopilot' in cluster.nodes;
  const specs: ResourceSpec[] = [
    {
      id: 'cluster/gke',
      type: 'gcp.gke.cluster',
      name: env.name,
      attributes: {
        location: env.cloud.region,
        ...(cluster.version ? { version: cluster.version } : {}),
        autopilot,
        ...(network?.network ? { network: network.network } : {}),
        ...(network?.subnetwork ? { subnetwork: network.subnetwork } : {}),
        labels: gcpLabels(env.name, 'cluster/gke'),
      },
      policy: { createOnly: ['location', 'autopilot', 'network', 'subnetwork'], deletion: 'retain' },
    },
  ];
  if ('machineType' in cluster.nodes) {
    specs.push({
      id: 'cluster/gke/nodes',
      type: 'gcp.gke.nodepool',
      name: `${env.name}-nodes`,
      attributes: {
        cluster: env.name,
        location: env.cloud.region,
        machineType: cluster.nodes.machineType,
        minNodes: cluster.nodes.min,
        maxNodes: cluster.nodes.max,
        labels: gcpLabels(env.name, 'cluster/gke/nodes'),
      },
      dependsOn: ['cluster/gke'],
      policy: { createOnly: ['cluster', 'location'] },
    });
  }
  return specs;
}
