import {
  type Cluster,
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClusterCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateClusterConfigCommand,
  UpdateClusterVersionCommand,
} from '@aws-sdk/client-eks';
import {
  type Attributes,
  assertPatchable,
  type CallContext,
  differs,
  effectiveMapChange,
  groupChanges,
  type JsonValue,
  type MapChange,
  type Observed,
  ProviderError,
  type ResourceRef,
  type ResourceType,
  type ValidationIssue,
} from '@patchbay/core';
import { awsCall, awsRead } from './aws-call.js';
import type { AwsContext } from './aws-context.js';
import { fromTagRecord, managedByFromTags, type TagMap, tagsForCreate, userTags } from './aws-tags.js';
import { classifyAwsError } from './classify-aws-error.js';
import { followEksUpdate } from './eks-update.js';
import { eksKubeconfig } from './kubeconfig.js';
import { planTimeIssues } from './plan-time-issues.js';
import { readForPatch } from './read-for-patch.js';
import { throwIfInvalid } from './throw-if-invalid.js';
import { toWriteResult } from './to-write-result.js';
import { waitForStatus } from './wait-for-status.js';
import { waitUntilGone } from './wait-until-gone.js';

const TYPE = 'aws.eks.cluster';
const MAPS = ['tags'] as const;
const PATCHABLE = ['version', 'endpointPublicAccess', 'tags'];

/**
 * `aws.eks.cluster`: an EKS cluster named after the environment. Each patch sends one kind of update
 * per call (version alone, endpoint access alone), only with changed values, and follows each update
 * id until it is done before the next. Outputs include a kubeconfig for the Kubernetes provider.
 */
export function eksCluster(ctx: AwsContext): ResourceType {
  const describe = async (ref: ResourceRef, signal: AbortSignal): Promise<Cluster | undefined> => {
    const out = await awsRead(
      'DescribeCluster',
      ref.id,
      () => ctx.eks.send(new DescribeClusterCommand({ name: ref.name }), { abortSignal: signal }),
      (error) => classifyAwsError(error) === 'not-found',
    );
    return out?.cluster;
  };

  const waitActive = (ref: ResourceRef, call: CallContext): Promise<Cluster> =>
    waitForStatus(ctx, ref, call, {
      subject: `EKS cluster ${ref.name}`,
      state: 'active',
      timeoutMs: ctx.waitTimeoutMs.eks,
      describe: () => describe(ref, call.signal),
      settled: (cluster) => {
        call.progress(`EKS cluster ${ref.name}: ${cluster.status}`);
        if (cluster.status === 'FAILED') {
          throw new ProviderError('aws', 'wait', 'fatal', `EKS cluster ${ref.name} failed`, {
            resource: ref.id,
          });
        }
        return cluster.status === 'ACTIVE';
      },
    });

  const toObserved = (cluster: Cluster): Observed => {
    const all = fromTagRecord(cluster.tags);
    const vpc = cluster.resourcesVpcConfig;
    const attributes: Attributes = {
      roleArn: cluster.roleArn ?? '',
      subnets: [...(vpc?.subnetIds ?? [])].sort(),
      securityGroups: [...(vpc?.securityGroupIds ?? [])].sort(),
      // EKS defaults public endpoint access to true when not given.
      endpointPublicAccess: vpc?.endpointPublicAccess ?? true,
      tags: userTags(all),
    };
    if (cluster.version) attributes.version = cluster.version;
    const outputs: Record<string, JsonValue> = { arn: cluster.arn! };
    if (cluster.endpoint) outputs.endpoint = cluster.endpoint;
    if (cluster.certificateAuthority?.data) outputs.certificateAuthority = cluster.certificateAuthority.data;
    if (cluster.endpoint && cluster.certificateAuthority?.data) {
      outputs.kubeconfig = eksKubeconfig({
        name: cluster.name!,
        endpoint: cluster.endpoint,
        certificateAuthority: cluster.certificateAuthority.data,
        region: ctx.region,
      });
    }
    const observed: Observed = { physicalId: cluster.name!, attributes, outputs };
    const managedBy = managedByFromTags(all);
    if (managedBy) observed.managedBy = managedBy;
    return observed;
  };

  return {
    api: 'eks',
    precondition: 'read-before-write',
    stateful: true,
    serialUpdates: true,
    maps: MAPS,
    immutable: ['roleArn', 'subnets', 'securityGroups'],
    normalize: normalizeEksCluster,
    // Value checks at plan time; version steps need the live version and stay in patch.
    validate: (attributes, _ref, context) =>
      planTimeIssues(clusterIssues(attributes, true), attributes, context),

    async observe(ref, call) {
      const cluster = await describe(ref, call.signal);
      return cluster ? toObserved(cluster) : undefined;
    },

    async create(input, call) {
      const attrs = input.attributes;
      throwIfInvalid(TYPE, input.ref, clusterIssues(attrs, true));
      await awsCall('CreateCluster', input.ref.id, () =>
        ctx.eks.send(
          new CreateClusterCommand({
            name: input.ref.name,
            version: attrs.version as string | undefined,
            roleArn: attrs.roleArn as string,
            resourcesVpcConfig: {
              subnetIds: attrs.subnets as string[],
              securityGroupIds: (attrs.securityGroups as string[] | undefined) ?? [],
              endpointPublicAccess: attrs.endpointPublicAccess as boolean | undefined,
            },
            tags: tagsForCreate(input.ref, attrs.tags),
            clientRequestToken: input.idempotencyToken,
          }),
          { abortSignal: call.signal },
        ),
      );
      return toWriteResult(toObserved(await waitActive(input.ref, call)));
    },

    async patch(ref, changes, precondition, call) {
      const grouped = groupChanges(changes, MAPS);
      assertPatchable(TYPE, grouped, PATCHABLE);
      throwIfInvalid(TYPE, ref, clusterIssues(Object.fromEntries(grouped.plain) as Attributes, false));
      const { current: cluster, live } = await readForPatch(ref, changes, precondition, {
        describe: () => describe(ref, call.signal),
        toObserved,
        missing: `EKS cluster ${ref.name} does not exist`,
        normalize: normalizeEksCluster,
        maps: MAPS,
      });
      const target = { cluster: cluster.name!, resource: ref.id };

      const version = grouped.plain.get('version');
      if (grouped.plain.has('version') && differs(live.attributes.version, version)) {
        throwIfInvalid(TYPE, ref, versionStepIssues(live.attributes.version, version));
        const out = await awsCall('UpdateClusterVersion', ref.id, () =>
          ctx.eks.send(new UpdateClusterVersionCommand({ name: cluster.name!, version: version as string }), {
            abortSignal: call.signal,
          }),
        );
        await followEksUpdate(ctx, target, out.update, call);
      }
      const publicAccess = grouped.plain.get('endpointPublicAccess');
      if (
        grouped.plain.has('endpointPublicAccess') &&
        differs(live.attributes.endpointPublicAccess, publicAccess)
      ) {
        const out = await awsCall('UpdateClusterConfig', ref.id, () =>
          ctx.eks.send(
            new UpdateClusterConfigCommand({
              name: cluster.name!,
              resourcesVpcConfig: { endpointPublicAccess: publicAccess as boolean },
            }),
            { abortSignal: call.signal },
          ),
        );
        await followEksUpdate(ctx, target, out.update, call);
      }
      await writeEksTags(
        ctx,
        ref,
        cluster.arn!,
        fromTagRecord(cluster.tags),
        grouped.maps.get('tags'),
        call.signal,
      );
      const after = await describe(ref, call.signal);
      return { physicalId: cluster.name!, outputs: toObserved(after ?? cluster).outputs };
    },

    async delete(ref, call) {
      const cluster = await describe(ref, call.signal);
      if (!cluster) return;
      if (cluster.status !== 'DELETING') {
        await awsCall('DeleteCluster', ref.id, () =>
          ctx.eks.send(new DeleteClusterCommand({ name: cluster.name! }), { abortSignal: call.signal }),
        );
      }
      await waitUntilGone(ctx, ref, call, {
        subject: `EKS cluster ${ref.name}`,
        timeoutMs: ctx.waitTimeoutMs.eks,
        describe: () => describe(ref, call.signal),
        progress: (left) => `EKS cluster ${ref.name}: ${left.status}`,
      });
    },
  };
}

/** EKS TagResource / UntagResource (not an "update": no update id to follow). */
export async function writeEksTags(
  ctx: AwsContext,
  ref: ResourceRef,
  arn: string,
  live: TagMap,
  change: MapChange | undefined,
  signal: AbortSignal,
): Promise<void> {
  const effective = effectiveMapChange(live, change);
  if (!effective) return;
  if (Object.keys(effective.set).length > 0) {
    await awsCall('TagResource', ref.id, () =>
      ctx.eks.send(new TagResourceCommand({ resourceArn: arn, tags: effective.set }), {
        abortSignal: signal,
      }),
    );
  }
  if (effective.remove.length > 0) {
    await awsCall('UntagResource', ref.id, () =>
      ctx.eks.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: effective.remove }), {
        abortSignal: signal,
      }),
    );
  }
}

export function normalizeEksCluster(attribute: string, value: JsonValue): JsonValue {
  switch (attribute) {
    case 'subnets':
    case 'securityGroups':
      return Array.isArray(value) ? [...value].sort() : value;
    case 'tags':
      return userTags(value as TagMap);
    default:
      return value;
  }
}

function clusterIssues(attrs: Attributes, creating: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if ('version' in attrs && (typeof attrs.version !== 'string' || !/^\d+\.\d+$/.test(attrs.version))) {
    issues.push({
      path: ['version'],
      message: 'must be a Kubernetes minor version',
      received: attrs.version,
      allowed: 'e.g. "1.31"',
    });
  }
  if (creating && (typeof attrs.roleArn !== 'string' || !attrs.roleArn.startsWith('arn:'))) {
    issues.push({ path: ['roleArn'], message: 'must be the cluster IAM role ARN', received: attrs.roleArn });
  }
  if (
    creating &&
    (!Array.isArray(attrs.subnets) ||
      attrs.subnets.length < 2 ||
      attrs.subnets.some((s) => typeof s !== 'string'))
  ) {
    issues.push({
      path: ['subnets'],
      message: 'must list at least two subnet ids (in different AZs)',
      received: attrs.subnets,
    });
  }
  if (
    creating &&
    attrs.securityGroups !== undefined &&
    (!Array.isArray(attrs.securityGroups) || attrs.securityGroups.some((s) => typeof s !== 'string'))
  ) {
    issues.push({
      path: ['securityGroups'],
      message: 'must be a list of security group ids',
      received: attrs.securityGroups,
    });
  }
  if ('endpointPublicAccess' in attrs && typeof attrs.endpointPublicAccess !== 'boolean') {
    issues.push({
      path: ['endpointPublicAccess'],
      message: 'must be true or false',
      received: attrs.endpointPublicAccess,
    });
  }
  return issues;
}

/** EKS upgrades one minor version at a time and never downgrades. */
function versionStepIssues(from: JsonValue | undefined, to: JsonValue | undefined): ValidationIssue[] {
  const parse = (v: unknown) =>
    typeof v === 'string' && /^\d+\.\d+$/.test(v) ? v.split('.').map(Number) : undefined;
  const a = parse(from);
  const b = parse(to);
  if (!a || !b) return [];
  if (a[0] === b[0] && b[1] === a[1]! + 1) return [];
  return [
    {
      path: ['version'],
      message: `EKS upgrades one minor version at a time from ${from} (no downgrades)`,
      received: to,
      allowed: [`${a[0]}.${a[1]! + 1}`],
    },
  ];
}
