import { createHash } from 'node:crypto';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  type NetworkConfiguration,
  type Service,
  UpdateServiceCommand,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import {
  type Attributes,
  assertPatchable,
  type CallContext,
  differs,
  groupChanges,
  type JsonValue,
  type Observed,
  ProviderError,
  type ResourceRef,
  type ResourceType,
  type ValidationIssue,
} from '@patchbay/core';
import { awsCall, awsRead } from './aws-call.js';
import type { AwsContext } from './aws-context.js';
import {
  fromEcsTags,
  managedByFromTags,
  type TagMap,
  tagsForCreate,
  toEcsTags,
  userTags,
} from './aws-tags.js';
import { awsErrorCode } from './classify-aws-error.js';
import { writeEcsTags } from './ecs-tags.js';
import { planTimeIssues } from './plan-time-issues.js';
import { readForPatch } from './read-for-patch.js';
import { throwIfInvalid } from './throw-if-invalid.js';
import { toWriteResult } from './to-write-result.js';
import { waitForStatus } from './wait-for-status.js';
import { waitUntilGone } from './wait-until-gone.js';

const TYPE = 'aws.ecs.service';
const MAPS = ['tags'] as const;
const PATCHABLE = ['taskDefinition', 'desiredCount', 'subnets', 'securityGroups', 'assignPublicIp', 'tags'];

/**
 * `aws.ecs.service`: one Fargate service per unit (`<env>-<unit>`). A patch is one UpdateService
 * carrying only the changed fields; tags go through TagResource / UntagResource.
 */
export function ecsService(ctx: AwsContext): ResourceType {
  const describe = async (ref: ResourceRef, signal: AbortSignal): Promise<Service | undefined> => {
    // A missing cluster (not created yet, or deleted) means the service does not exist either.
    const out = await awsRead(
      'DescribeServices',
      ref.id,
      () =>
        ctx.ecs.send(
          new DescribeServicesCommand({
            cluster: clusterOf(ref),
            services: [ref.physicalId ?? ref.name],
            include: ['TAGS'],
          }),
          { abortSignal: signal },
        ),
      (error) => awsErrorCode(error) === 'ClusterNotFoundException',
    );
    const service = out?.services?.[0];
    // Deleted services stay describable as INACTIVE for a while; a missing one is a `failures` entry.
    return service && service.status !== 'INACTIVE' ? service : undefined;
  };

  const waitStable = (ref: ResourceRef, call: CallContext): Promise<Service> =>
    waitForStatus(ctx, ref, call, {
      subject: `ECS service ${ref.name}`,
      state: 'stable',
      timeoutMs: ctx.waitTimeoutMs.ecs,
      describe: () => describe(ref, call.signal),
      settled: (service) => {
        const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
        if (primary?.rolloutState === 'FAILED') {
          throw new ProviderError(
            'aws',
            'deploy',
            'fatal',
            `deployment failed: ${primary.rolloutStateReason ?? 'no reason given'}`,
            {
              resource: ref.id,
            },
          );
        }
        const done =
          service.status === 'ACTIVE' &&
          (primary?.rolloutState === 'COMPLETED' ||
            (primary?.rolloutState === undefined && service.runningCount === service.desiredCount));
        call.progress(
          `service ${ref.name}: ${service.runningCount ?? 0}/${service.desiredCount ?? 0} running` +
            (primary?.rolloutState ? `, rollout ${primary.rolloutState}` : ''),
        );
        return done;
      },
    });

  return {
    api: 'ecs',
    precondition: 'read-before-write',
    maps: MAPS,
    // A service is found by name within its cluster.
    identity: ['cluster'],
    normalize: normalizeEcsService,
    // The create-time check at plan time (taskDefinition is usually known only after apply: not judged).
    validate: (attributes, _ref, context) =>
      planTimeIssues(serviceIssues(attributes, true), attributes, context),

    async observe(ref, call) {
      const service = await describe(ref, call.signal);
      return service ? toObserved(service) : undefined;
    },

    async create(input, call) {
      const attrs = input.attributes;
      throwIfInvalid(TYPE, input.ref, serviceIssues(attrs, true));
      const out = await awsCall('CreateService', input.ref.id, () =>
        ctx.ecs.send(
          new CreateServiceCommand({
            cluster: attrs.cluster as string,
            serviceName: input.ref.name,
            taskDefinition: attrs.taskDefinition as string,
            desiredCount: attrs.desiredCount as number,
            launchType: 'FARGATE',
            networkConfiguration: networkConfiguration(attrs),
            // Roll forward with the circuit breaker: a deployment that cannot start tasks rolls back.
            deploymentConfiguration: {
              minimumHealthyPercent: 100,
              maximumPercent: 200,
              deploymentCircuitBreaker: { enable: true, rollback: true },
            },
            propagateTags: 'SERVICE',
            clientToken: clientToken(input.idempotencyToken),
            tags: toEcsTags(tagsForCreate(input.ref, attrs.tags)),
          }),
          { abortSignal: call.signal },
        ),
      );
      const ref = { ...input.ref, physicalId: out.service!.serviceArn! };
      return toWriteResult(toObserved(await waitStable(ref, call)));
    },

    async patch(ref, changes, precondition, call) {
      const grouped = groupChanges(changes, MAPS);
      assertPatchable(TYPE, grouped, PATCHABLE);
      throwIfInvalid(TYPE, ref, serviceIssues(Object.fromEntries(grouped.plain) as Attributes, false));
      const { current: service, live } = await readForPatch(ref, changes, precondition, {
        describe: () => describe(ref, call.signal),
        toObserved,
        missing: `ECS service ${ref.name} does not exist`,
        normalize: normalizeEcsService,
        maps: MAPS,
      });

      const update: UpdateServiceCommandInput = { cluster: service.clusterArn, service: service.serviceName };
      const want = (attribute: string): JsonValue | undefined =>
        grouped.plain.has(attribute) ? normalizeValue(attribute, grouped.plain.get(attribute)) : undefined;
      const changed = (attribute: string): boolean =>
        grouped.plain.has(attribute) && differs(live.attributes[attribute], want(attribute));
      if (changed('taskDefinition')) update.taskDefinition = want('taskDefinition') as string;
      if (changed('desiredCount')) update.desiredCount = want('desiredCount') as number;
      if (changed('subnets') || changed('securityGroups') || changed('assignPublicIp')) {
        // awsvpcConfiguration is replaced as a whole: send the live values for the parts not changing.
        const merged: Attributes = { ...live.attributes };
        for (const a of ['subnets', 'securityGroups', 'assignPublicIp']) if (changed(a)) merged[a] = want(a)!;
        update.networkConfiguration = networkConfiguration(merged);
      }
      let result = service;
      if (Object.keys(update).length > 2) {
        const out = await awsCall('UpdateService', ref.id, () =>
          ctx.ecs.send(new UpdateServiceCommand(update), { abortSignal: call.signal }),
        );
        result = out.service ?? service;
      }
      await writeEcsTags(
        ctx,
        ref,
        service.serviceArn!,
        fromEcsTags(service.tags),
        grouped.maps.get('tags'),
        call.signal,
      );
      if (update.taskDefinition || update.networkConfiguration) {
        result = await waitStable({ ...ref, physicalId: service.serviceArn! }, call);
      }
      return { physicalId: result.serviceArn!, outputs: { arn: result.serviceArn! } };
    },

    async delete(ref, call) {
      const service = await describe(ref, call.signal);
      if (!service) return;
      const target = { cluster: service.clusterArn, service: service.serviceName };
      if ((service.desiredCount ?? 0) > 0) {
        await awsCall('UpdateService', ref.id, () =>
          ctx.ecs.send(new UpdateServiceCommand({ ...target, desiredCount: 0 }), {
            abortSignal: call.signal,
          }),
        );
      }
      await awsCall('DeleteService', ref.id, () =>
        ctx.ecs.send(new DeleteServiceCommand(target), { abortSignal: call.signal }),
      );
      const gone = { ...ref, physicalId: service.serviceArn! };
      await waitUntilGone(ctx, ref, call, {
        subject: `ECS service ${ref.name}`,
        timeoutMs: ctx.waitTimeoutMs.ecs,
        describe: () => describe(gone, call.signal),
        progress: (s) => `service ${ref.name}: ${s.status}`,
      });
    },
  };
}

function toObserved(service: Service): Observed {
  const all = fromEcsTags(service.tags);
  const vpc = service.networkConfiguration?.awsvpcConfiguration;
  const attributes: Attributes = {
    cluster: clusterName(service.clusterArn ?? ''),
    desiredCount: service.desiredCount ?? 0,
    subnets: [...(vpc?.subnets ?? [])].sort(),
    securityGroups: [...(vpc?.securityGroups ?? [])].sort(),
    assignPublicIp: vpc?.assignPublicIp === 'ENABLED',
    tags: userTags(all),
  };
  if (service.taskDefinition) attributes.taskDefinition = service.taskDefinition;
  const observed: Observed = {
    physicalId: service.serviceArn!,
    attributes,
    outputs: { arn: service.serviceArn! },
  };
  const managedBy = managedByFromTags(all);
  if (managedBy) observed.managedBy = managedBy;
  return observed;
}

function networkConfiguration(attrs: Attributes): NetworkConfiguration {
  return {
    awsvpcConfiguration: {
      subnets: [...((attrs.subnets as string[] | undefined) ?? [])].sort(),
      // Never sent empty: with none given AWS uses the VPC's default security group.
      ...(Array.isArray(attrs.securityGroups) && attrs.securityGroups.length > 0
        ? { securityGroups: [...(attrs.securityGroups as string[])].sort() }
        : {}),
      assignPublicIp: attrs.assignPublicIp === true ? 'ENABLED' : 'DISABLED',
    },
  };
}

/**
 * The service's cluster: parsed from the service ARN (`…:service/<cluster>/<name>`), else the `cluster`
 * attribute the engine passes in `ref.identity`, else (identity not known yet) the environment's cluster,
 * which `desiredResources` names after the environment.
 */
function clusterOf(ref: ResourceRef): string {
  const parts = ref.physicalId?.split(':').at(-1)?.split('/');
  if (parts && parts.length === 3 && parts[0] === 'service') return parts[1]!;
  const cluster = ref.identity?.cluster;
  return typeof cluster === 'string' && cluster !== '' ? clusterName(cluster) : ref.environment;
}

/** `arn:aws:ecs:…:cluster/<name>` or `<name>` → `<name>`. */
function clusterName(value: string): string {
  const i = value.lastIndexOf('cluster/');
  return i === -1 ? value : value.slice(i + 'cluster/'.length);
}

/** ECS `clientToken` allows at most 36 ASCII characters: longer tokens are hashed, deterministically. */
function clientToken(token: string): string {
  return token.length <= 36 && /^[\x21-\x7e]+$/.test(token)
    ? token
    : createHash('sha256').update(token).digest('hex').slice(0, 36);
}

function normalizeValue(attribute: string, value: JsonValue | undefined): JsonValue | undefined {
  return value === undefined || value === null ? value : normalizeEcsService(attribute, value);
}

export function normalizeEcsService(attribute: string, value: JsonValue): JsonValue {
  switch (attribute) {
    case 'cluster':
      return typeof value === 'string' ? clusterName(value) : value;
    case 'subnets':
    case 'securityGroups':
      return Array.isArray(value) ? [...value].sort() : value;
    case 'desiredCount':
      return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    case 'assignPublicIp':
      return value === 'ENABLED' ? true : value === 'DISABLED' ? false : value;
    case 'tags':
      return userTags(value as TagMap);
    default:
      return value;
  }
}

/** Input checks before any call; on create every required attribute must be there. */
function serviceIssues(attrs: Attributes, creating: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const has = (a: string) => creating || a in attrs;
  if (has('cluster') && (typeof attrs.cluster !== 'string' || attrs.cluster === '')) {
    issues.push({ path: ['cluster'], message: 'must be the cluster name or ARN', received: attrs.cluster });
  }
  if (has('taskDefinition') && (typeof attrs.taskDefinition !== 'string' || attrs.taskDefinition === '')) {
    issues.push({
      path: ['taskDefinition'],
      message: 'must be a task definition ARN',
      received: attrs.taskDefinition,
    });
  }
  if (has('desiredCount') && !(Number.isInteger(attrs.desiredCount) && (attrs.desiredCount as number) >= 0)) {
    issues.push({
      path: ['desiredCount'],
      message: 'must be a whole number ≥ 0',
      received: attrs.desiredCount,
    });
  }
  for (const list of ['subnets', 'securityGroups']) {
    // Without security groups AWS attaches the VPC's default one: only subnets are required.
    if (list === 'subnets' ? !has(list) : !(list in attrs)) continue;
    const v = attrs[list];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string') || (list === 'subnets' && v.length === 0)) {
      issues.push({
        path: [list],
        message:
          list === 'subnets'
            ? 'must be a non-empty list of subnet ids'
            : 'must be a list of security group ids',
        received: v,
      });
    }
  }
  if ('assignPublicIp' in attrs && typeof attrs.assignPublicIp !== 'boolean') {
    issues.push({
      path: ['assignPublicIp'],
      message: 'must be true or false',
      received: attrs.assignPublicIp,
    });
  }
  return issues;
}
