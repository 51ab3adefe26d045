import type { Allocation } from '../allocation/allocation.js';
import type { App, Environment } from '../model/index.js';
import { awsTags } from './ownership-labels.js';
import { outputRef, type ResourceSpec } from './resource-spec.js';
import { databaseSecrets, unitEnvironment, withSecrets } from './unit-environment.js';

/** ECS on Fargate: the cluster, and per unit a task definition and a service. */
export function fargateResources(
  env: Environment,
  allocation: Allocation,
  image: (unit: string) => string,
): ResourceSpec[] {
  const network = env.cloud.provider === 'aws' ? env.cloud.network : undefined;
  const executionRoleArn = env.compute.kind === 'fargate' ? env.compute.executionRoleArn : undefined;
  const specs: ResourceSpec[] = [
    {
      id: 'cluster',
      type: 'aws.ecs.cluster',
      name: env.name,
      attributes: { tags: awsTags(env.name, 'cluster') },
    },
  ];
  for (const unit of allocation.units) {
    const taskId = `compute/${unit.name}/task`;
    const serviceId = `compute/${unit.name}`;
    specs.push({
      id: taskId,
      type: 'aws.ecs.task-definition',
      name: `${env.name}-${unit.name}`,
      attributes: {
        // CPU units: 1024 = 1 vCPU.
        cpu: Math.round(unit.sizing.cpu * 1024),
        memory: unit.sizing.memory,
        image: image(unit.name),
        port: unit.port,
        environment: unitEnvironment(env, unit),
        ...withSecrets(databaseSecrets(env, unit)),
        ...(executionRoleArn ? { executionRoleArn } : {}),
        tags: awsTags(env.name, taskId),
      },
    });
    specs.push({
      id: serviceId,
      type: 'aws.ecs.service',
      name: `${env.name}-${unit.name}`,
      attributes: {
        cluster: env.name,
        taskDefinition: outputRef(taskId, 'arn'),
        desiredCount: unit.sizing.minInstances,
        ...(network?.subnets ? { subnets: [...network.subnets] } : {}),
        ...(network?.securityGroups ? { securityGroups: [...network.securityGroups] } : {}),
        assignPublicIp: network?.assignPublicIp ?? false,
        tags: awsTags(env.name, serviceId),
      },
      dependsOn: ['cluster'],
      policy: { createOnly: ['cluster'] },
    });
  }
  return specs;
}

/** RDS for PostgreSQL: one instance per app database. Stateful: retained when removed, unless told otherwise. */
export function rdsResources(env: Environment, app: App): ResourceSpec[] {
  const db = env.database;
  if (db?.kind !== 'rds') return [];
  return app.databases.map((database) => {
    const id = `db/${database.name}`;
    return {
      id,
      type: 'aws.rds.instance',
      name: `${env.name}-${database.name}`,
      attributes: {
        engine: 'postgres',
        ...(db.engineVersion ? { engineVersion: db.engineVersion } : {}),
        instanceClass: db.instanceClass,
        allocatedStorage: db.storageGb,
        multiAz: db.availability === 'regional',
        backupRetentionPeriod: db.backupRetentionDays,
        deletionProtection: db.deletionProtection,
        tags: awsTags(env.name, id),
      },
      policy: { createOnly: ['engine', 'masterUsername'], deletion: 'retain' },
    };
  });
}

/** A new EKS cluster and, unless it runs on Fargate profiles, its managed node group. */
export function eksResources(env: Environment): ResourceSpec[] {
  if (env.compute.kind !== 'kubernetes') return [];
  const cluster = env.compute.cluster;
  if (cluster.mode !== 'new' || cluster.platform !== 'eks') return [];
  const network = env.cloud.provider === 'aws' ? env.cloud.network : undefined;
  const specs: ResourceSpec[] = [
    {
      id: 'cluster/eks',
      type: 'aws.eks.cluster',
      name: env.name,
      attributes: {
        ...(cluster.version ? { version: cluster.version } : {}),
        ...(cluster.clusterRoleArn ? { roleArn: cluster.clusterRoleArn } : {}),
        ...(network?.subnets ? { subnets: [...network.subnets] } : {}),
        ...(network?.securityGroups ? { securityGroups: [...network.securityGroups] } : {}),
        endpointPublicAccess: true,
        tags: awsTags(env.name, 'cluster/eks'),
      },
      policy: { deletion: 'retain' },
    },
  ];
  if ('instanceType' in cluster.nodes) {
    specs.push({
      id: 'cluster/eks/nodes',
      type: 'aws.eks.nodegroup',
      name: `${env.name}-nodes`,
      attributes: {
        cluster: env.name,
        ...(cluster.nodeRoleArn ? { nodeRoleArn: cluster.nodeRoleArn } : {}),
        ...(network?.subnets ? { subnets: [...network.subnets] } : {}),
        instanceTypes: [cluster.nodes.instanceType],
        minSize: cluster.nodes.min,
        maxSize: cluster.nodes.max,
        desiredSize: cluster.nodes.min,
        labels: {},
        tags: awsTags(env.name, 'cluster/eks/nodes'),
      },
      dependsOn: ['cluster/eks'],
    });
  }
  return specs;
}
