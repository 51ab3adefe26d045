import { randomUUID } from 'node:crypto';
import { parseInput } from '../../../protocols/aws/parse-input.js';
import { epochSeconds } from '../aws-account.js';
import type { EcsEnv } from './ecs-env.js';
import { ecsError } from './ecs-errors.js';
import type { EcsCluster, EcsDeployment, EcsService } from './ecs-records.js';
import {
  type CreateServiceInput,
  createServiceInput,
  deleteServiceInput,
  describeServicesInput,
  type UpdateServiceInput,
  updateServiceInput,
} from './ecs-schemas.js';
import { findTaskDefinition } from './ecs-task-definitions.js';

/** Fields UpdateService changes that start a new deployment (desiredCount alone only scales). */
const DEPLOYMENT_FIELDS = [
  'taskDefinition',
  'networkConfiguration',
  'platformVersion',
  'capacityProviderStrategy',
  'loadBalancers',
  'serviceRegistries',
  'serviceConnectConfiguration',
  'volumeConfigurations',
  'vpcLatticeConfigurations',
] as const;

export function createService(body: unknown, env: EcsEnv): object {
  const input = parseInput(createServiceInput, body, 'InvalidParameterException');
  const cluster = env.cluster(input.cluster);
  const id = env.serviceId(cluster, input.serviceName);
  const existing = env.services.get(id)?.data;
  if (existing && existing.status !== 'INACTIVE') {
    if (input.clientToken && existing._sandbox.clientToken === input.clientToken)
      return { service: wire(existing, false) };
    throw ecsError.invalidParameter('Creation of service was not idempotent.');
  }
  if (input.launchType && input.capacityProviderStrategy) {
    throw ecsError.invalidParameter(
      'Specifying both a launch type and capacity provider strategy is not supported.',
    );
  }
  const taskDefinition = requireTaskDefinition(input.taskDefinition, input.deploymentController?.type, env);
  const launchType = input.capacityProviderStrategy ? undefined : (input.launchType ?? 'EC2');
  checkNetworking(input, taskDefinition?.networkMode as string | undefined, launchType);

  const now = env.ctx.now();
  const desiredCount = input.desiredCount ?? 0;
  const { cluster: _cluster, clientToken, tags, ...fields } = input;
  const service: EcsService = {
    ...fields,
    serviceArn: env.arn(`service/${cluster.clusterName}/${input.serviceName}`),
    serviceName: input.serviceName,
    clusterArn: cluster.clusterArn,
    status: 'ACTIVE',
    desiredCount,
    runningCount: 0,
    pendingCount: desiredCount,
    ...(launchType ? { launchType } : {}),
    ...(launchType === 'FARGATE'
      ? { platformVersion: input.platformVersion ?? 'LATEST', platformFamily: 'Linux' }
      : {}),
    taskDefinition: taskDefinition?.taskDefinitionArn ?? '',
    deploymentConfiguration: input.deploymentConfiguration ?? {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deployments: [],
    events: [],
    createdAt: epochSeconds(now),
    createdBy: 'arn:aws:iam::123456789012:user/sandbox',
    schedulingStrategy: input.schedulingStrategy ?? 'REPLICA',
    deploymentController: input.deploymentController ?? { type: 'ECS' },
    enableECSManagedTags: input.enableECSManagedTags ?? false,
    propagateTags: input.propagateTags ?? 'NONE',
    enableExecuteCommand: input.enableExecuteCommand ?? false,
    tags: tags ?? [],
    _sandbox: { ...(clientToken ? { clientToken } : {}) },
  };
  startDeployment(service, env, 'CreateService');
  env.services.put(id, service);
  return { service: wire(service, false) };
}

export function describeServices(body: unknown, env: EcsEnv): object {
  const input = parseInput(describeServicesInput, body, 'InvalidParameterException');
  const cluster = env.cluster(input.cluster);
  const includeTags = input.include?.includes('TAGS') ?? false;
  const services: object[] = [];
  const failures: object[] = [];
  for (const reference of input.services) {
    const service = env.services.get(env.serviceId(cluster, reference))?.data;
    if (service) services.push(wire(service, includeTags));
    else
      failures.push({
        arn: env.arn(`service/${cluster.clusterName}/${env.serviceId(cluster, reference).split('/')[1]}`),
        reason: 'MISSING',
      });
  }
  return { services, failures };
}

export function updateService(body: unknown, env: EcsEnv): object {
  const input = parseInput(updateServiceInput, body, 'InvalidParameterException');
  const cluster = env.cluster(input.cluster);
  const id = env.serviceId(cluster, input.service);
  const current = env.services.get(id)?.data;
  if (!current) throw ecsError.serviceNotFound();
  if (current.status !== 'ACTIVE') throw ecsError.serviceNotActive();
  const service = structuredClone(current);
  const { cluster: _cluster, service: _name, forceNewDeployment, ...changes } = input;

  let newDeployment = forceNewDeployment ?? false;
  if (changes.taskDefinition !== undefined) {
    const taskDefinition = requireTaskDefinition(
      changes.taskDefinition,
      (service.deploymentController as { type?: string } | undefined)?.type,
      env,
    );
    changes.taskDefinition = taskDefinition?.taskDefinitionArn ?? changes.taskDefinition;
    checkNetworking(
      {
        ...changes,
        networkConfiguration:
          changes.networkConfiguration ??
          (service.networkConfiguration as UpdateServiceInput['networkConfiguration']),
      },
      taskDefinition?.networkMode as string | undefined,
      service.launchType as string | undefined,
    );
  }
  for (const field of DEPLOYMENT_FIELDS) {
    if (changes[field] !== undefined && JSON.stringify(changes[field]) !== JSON.stringify(service[field]))
      newDeployment = true;
  }
  Object.assign(service, changes);
  if (newDeployment) startDeployment(service, env, 'UpdateService');
  else if (changes.desiredCount !== undefined) scale(service, env, 'UpdateService');
  env.services.put(id, service);
  return { service: wire(service, false) };
}

export function deleteService(body: unknown, env: EcsEnv): object {
  const input = parseInput(deleteServiceInput, body, 'InvalidParameterException');
  const cluster = env.cluster(input.cluster);
  const id = env.serviceId(cluster, input.service);
  const current = env.services.get(id)?.data;
  if (!current || current.status === 'INACTIVE') throw ecsError.serviceNotFound();
  if (current.status === 'DRAINING') throw ecsError.serviceNotActive();
  if (current.desiredCount > 0 && !input.force) {
    throw ecsError.invalidParameter('The service cannot be stopped while it is scaled above 0.');
  }
  const service: EcsService = structuredClone(current);
  service.status = 'DRAINING';
  service.desiredCount = 0;
  service._sandbox.settleAt = env.ctx.now() + env.ctx.operationDelayMs('DeleteService');
  env.services.put(id, service);
  return { service: wire(service, false) };
}

/** Finishes deployments and draining whose time has come (called before every ECS request). */
export function settleServices(env: EcsEnv): void {
  const now = env.ctx.now();
  for (const [id, record] of env.services.entries()) {
    const settleAt = record.data._sandbox.settleAt;
    if (settleAt === undefined || settleAt > now) continue;
    const service = structuredClone(record.data);
    delete service._sandbox.settleAt;
    if (service.status === 'DRAINING') {
      service.status = 'INACTIVE';
      service.runningCount = 0;
      service.pendingCount = 0;
      service.deployments = [];
    } else {
      service.deployments = service.deployments
        .filter((d) => d.status === 'PRIMARY')
        .map((d) => ({
          ...d,
          desiredCount: service.desiredCount,
          runningCount: service.desiredCount,
          pendingCount: 0,
          rolloutState: 'COMPLETED',
          rolloutStateReason: 'ECS deployment completed.',
          updatedAt: epochSeconds(now),
        }));
      service.runningCount = service.desiredCount;
      service.pendingCount = 0;
      addEvent(service, now, `(service ${service.serviceName}) has reached a steady state.`);
    }
    env.services.put(id, service);
  }
}

function startDeployment(service: EcsService, env: EcsEnv, operation: string): void {
  const now = env.ctx.now();
  const previous = service.deployments.find((d) => d.status === 'PRIMARY');
  const deployment: EcsDeployment = {
    id: `ecs-svc/${randomUUID().replaceAll('-', '').slice(0, 19)}`,
    status: 'PRIMARY',
    taskDefinition: service.taskDefinition,
    desiredCount: service.desiredCount,
    pendingCount: service.desiredCount,
    runningCount: 0,
    failedTasks: 0,
    createdAt: epochSeconds(now),
    updatedAt: epochSeconds(now),
    ...(service.launchType ? { launchType: service.launchType } : {}),
    ...(service.platformVersion ? { platformVersion: service.platformVersion } : {}),
    ...(service.networkConfiguration ? { networkConfiguration: service.networkConfiguration } : {}),
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: 'ECS deployment in progress.',
  };
  service.deployments = [
    deployment,
    ...service.deployments
      .filter((d) => d.status !== 'INACTIVE')
      .map((d) => ({ ...d, status: 'ACTIVE' as const })),
  ];
  if (previous) service.pendingCount = service.desiredCount;
  service._sandbox.settleAt = now + env.ctx.operationDelayMs(operation);
}

function scale(service: EcsService, env: EcsEnv, operation: string): void {
  for (const deployment of service.deployments) {
    if (deployment.status === 'PRIMARY') deployment.desiredCount = service.desiredCount;
  }
  service._sandbox.settleAt = env.ctx.now() + env.ctx.operationDelayMs(operation);
}

function requireTaskDefinition(reference: string | undefined, controller: string | undefined, env: EcsEnv) {
  if (reference === undefined) {
    if (controller === 'EXTERNAL') return undefined;
    throw ecsError.invalidParameter('Task definition must be specified.');
  }
  const taskDefinition = findTaskDefinition(reference, env);
  if (!taskDefinition) throw ecsError.client('TaskDefinition not found.');
  if (taskDefinition.status !== 'ACTIVE') {
    throw ecsError.client(
      `TaskDefinition is inactive (${taskDefinition.family}:${taskDefinition.revision}).`,
    );
  }
  return taskDefinition;
}

function checkNetworking(
  input: Pick<CreateServiceInput, 'networkConfiguration'>,
  networkMode: string | undefined,
  launchType: string | undefined,
): void {
  if (launchType === 'FARGATE' && networkMode !== undefined && networkMode !== 'awsvpc') {
    throw ecsError.invalidParameter('Task definition does not support launch_type FARGATE.');
  }
  if (networkMode === 'awsvpc' && !input.networkConfiguration?.awsvpcConfiguration) {
    throw ecsError.invalidParameter(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  }
}

function addEvent(service: EcsService, now: number, message: string): void {
  const events = (service.events as object[] | undefined) ?? [];
  service.events = [{ id: randomUUID(), createdAt: epochSeconds(now), message }, ...events].slice(0, 100);
}

/** The wire `Service`: no sandbox bookkeeping, tags only when asked for (as DescribeServices does). */
export function wire(service: EcsService, includeTags: boolean): object {
  const { _sandbox: _internal, tags, ...rest } = service;
  return includeTags ? { ...rest, tags } : rest;
}

export type { EcsCluster };
