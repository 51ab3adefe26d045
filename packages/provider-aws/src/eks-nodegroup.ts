import {
  CreateNodegroupCommand,
  DeleteNodegroupCommand,
  DescribeNodegroupCommand,
  type Nodegroup,
  type NodegroupScalingConfig,
  UpdateNodegroupConfigCommand,
  type UpdateNodegroupConfigCommandInput,
} from '@aws-sdk/client-eks';
import {
  type Attributes,
  assertPatchable,
  type CallContext,
  differs,
  effectiveMapChange,
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
  fromTagRecord,
  managedByFromTags,
  type TagMap,
  tagsForCreate,
  toTagMap,
  userTags,
} from './aws-tags.js';
import { classifyAwsError } from './classify-aws-error.js';
import { writeEksTags } from './eks-cluster.js';
import { followEksUpdate } from './eks-update.js';
import { planTimeIssues } from './plan-time-issues.js';
import { readForPatch } from './read-for-patch.js';
import { throwIfInvalid } from './throw-if-invalid.js';
import { toWriteResult } from './to-write-result.js';
import { waitForStatus } from './wait-for-status.js';
import { waitUntilGone } from './wait-until-gone.js';

const TYPE = 'aws.eks.nodegroup';
const MAPS = ['tags', 'labels'] as const;
const PATCHABLE = ['minSize', 'maxSize', 'desiredSize', 'labels', 'tags'];
const SCALING = { minSize: 'minSize', maxSize: 'maxSize', desiredSize: 'desiredSize' } as const;

/**
 * `aws.eks.nodegroup`: the environment's managed node group (`<env>-nodes`). Scaling and labels
 * change through one UpdateNodegroupConfig carrying only changed values, followed to completion.
 */
export function eksNodegroup(ctx: AwsContext): ResourceType {
  const describe = async (ref: ResourceRef, signal: AbortSignal): Promise<Nodegroup | undefined> => {
    const out = await awsRead(
      'DescribeNodegroup',
      ref.id,
      () =>
        ctx.eks.send(new DescribeNodegroupCommand({ clusterName: clusterOf(ref), nodegroupName: ref.name }), {
          abortSignal: signal,
        }),
      (error) => classifyAwsError(error) === 'not-found',
    );
    return out?.nodegroup;
  };

  const waitActive = (ref: ResourceRef, call: CallContext): Promise<Nodegroup> =>
    waitForStatus(ctx, ref, call, {
      subject: `EKS node group ${ref.name}`,
      state: 'active',
      timeoutMs: ctx.waitTimeoutMs.eks,
      describe: () => describe(ref, call.signal),
      settled: (ng) => {
        call.progress(`EKS node group ${ref.name}: ${ng.status}`);
        if (ng.status === 'CREATE_FAILED' || ng.status === 'DEGRADED') {
          const issues = (ng.health?.issues ?? []).map((i) => `${i.code}: ${i.message}`).join('; ');
          throw new ProviderError(
            'aws',
            'wait',
            'fatal',
            `EKS node group ${ref.name} is ${ng.status}${issues ? `: ${issues}` : ''}`,
            {
              resource: ref.id,
            },
          );
        }
        return ng.status === 'ACTIVE';
      },
    });

  return {
    api: 'eks',
    precondition: 'read-before-write',
    serialUpdates: true,
    maps: MAPS,
    // A node group is found by name within its cluster.
    identity: ['cluster'],
    immutable: ['cluster', 'nodeRoleArn', 'subnets', 'instanceTypes'],
    normalize: normalizeEksNodegroup,
    // Required attributes and minSize ≤ desiredSize ≤ maxSize at plan time (patch re-checks against live).
    validate: (attributes, _ref, context) =>
      planTimeIssues(nodegroupIssues(attributes, true), attributes, context),

    async observe(ref, call) {
      const ng = await describe(ref, call.signal);
      return ng ? toObserved(ng) : undefined;
    },

    async create(input, call) {
      const attrs = input.attributes;
      throwIfInvalid(TYPE, input.ref, nodegroupIssues(attrs, true));
      await awsCall('CreateNodegroup', input.ref.id, () =>
        ctx.eks.send(
          new CreateNodegroupCommand({
            clusterName: attrs.cluster as string,
            nodegroupName: input.ref.name,
            nodeRole: attrs.nodeRoleArn as string,
            subnets: attrs.subnets as string[],
            instanceTypes: attrs.instanceTypes as string[],
            scalingConfig: {
              minSize: attrs.minSize as number,
              maxSize: attrs.maxSize as number,
              desiredSize: (attrs.desiredSize ?? attrs.minSize) as number,
            },
            labels: toTagMap(attrs.labels),
            tags: tagsForCreate(input.ref, attrs.tags),
            clientRequestToken: input.idempotencyToken,
          }),
          { abortSignal: call.signal },
        ),
      );
      return toWriteResult(
        toObserved(
          await waitActive({ ...input.ref, physicalId: `${attrs.cluster}/${input.ref.name}` }, call),
        ),
      );
    },

    async patch(ref, changes, precondition, call) {
      const grouped = groupChanges(changes, MAPS);
      assertPatchable(TYPE, grouped, PATCHABLE);
      const { current: ng, live } = await readForPatch(ref, changes, precondition, {
        describe: () => describe(ref, call.signal),
        toObserved,
        missing: `EKS node group ${ref.name} does not exist`,
        normalize: normalizeEksNodegroup,
        maps: MAPS,
      });

      // Only changed scaling values are sent: EKS rejects an update that changes nothing.
      const scaling: NodegroupScalingConfig = {};
      for (const key of Object.keys(SCALING) as (keyof typeof SCALING)[]) {
        if (grouped.plain.has(key) && differs(live.attributes[key], grouped.plain.get(key))) {
          scaling[key] = grouped.plain.get(key) as number;
        }
      }
      const after = { ...live.attributes, ...scaling } as Attributes;
      throwIfInvalid(TYPE, ref, nodegroupIssues(after, false));
      const liveLabels = toTagMap(live.attributes.labels);
      const labelChange = effectiveMapChange(liveLabels, grouped.maps.get('labels'));
      const update: UpdateNodegroupConfigCommandInput = {
        clusterName: ng.clusterName!,
        nodegroupName: ng.nodegroupName!,
      };
      if (Object.keys(scaling).length > 0) update.scalingConfig = scaling;
      if (labelChange) {
        update.labels = {};
        if (Object.keys(labelChange.set).length > 0) update.labels.addOrUpdateLabels = labelChange.set;
        if (labelChange.remove.length > 0) update.labels.removeLabels = labelChange.remove;
      }
      if (update.scalingConfig || update.labels) {
        const out = await awsCall('UpdateNodegroupConfig', ref.id, () =>
          ctx.eks.send(new UpdateNodegroupConfigCommand(update), { abortSignal: call.signal }),
        );
        await followEksUpdate(
          ctx,
          { cluster: ng.clusterName!, nodegroup: ng.nodegroupName!, resource: ref.id },
          out.update,
          call,
        );
      }
      await writeEksTags(
        ctx,
        ref,
        ng.nodegroupArn!,
        fromTagRecord(ng.tags),
        grouped.maps.get('tags'),
        call.signal,
      );
      return { physicalId: live.physicalId, outputs: live.outputs };
    },

    async delete(ref, call) {
      const ng = await describe(ref, call.signal);
      if (!ng) return;
      if (ng.status !== 'DELETING') {
        await awsCall('DeleteNodegroup', ref.id, () =>
          ctx.eks.send(
            new DeleteNodegroupCommand({ clusterName: ng.clusterName!, nodegroupName: ng.nodegroupName! }),
            {
              abortSignal: call.signal,
            },
          ),
        );
      }
      await waitUntilGone(ctx, ref, call, {
        subject: `EKS node group ${ref.name}`,
        timeoutMs: ctx.waitTimeoutMs.eks,
        describe: () => describe(ref, call.signal),
        progress: (left) => `EKS node group ${ref.name}: ${left.status}`,
      });
    },
  };
}

function toObserved(ng: Nodegroup): Observed {
  const all = fromTagRecord(ng.tags);
  const attributes: Attributes = {
    cluster: ng.clusterName!,
    nodeRoleArn: ng.nodeRole ?? '',
    subnets: [...(ng.subnets ?? [])].sort(),
    instanceTypes: [...(ng.instanceTypes ?? [])],
    minSize: ng.scalingConfig?.minSize ?? 0,
    maxSize: ng.scalingConfig?.maxSize ?? 0,
    desiredSize: ng.scalingConfig?.desiredSize ?? 0,
    labels: toTagMap(ng.labels as JsonValue),
    tags: userTags(all),
  };
  // physicalId `<cluster>/<nodegroup>`: enough to find it again without the ARN's random suffix.
  const observed: Observed = {
    physicalId: `${ng.clusterName}/${ng.nodegroupName}`,
    attributes,
    outputs: { arn: ng.nodegroupArn! },
  };
  const managedBy = managedByFromTags(all);
  if (managedBy) observed.managedBy = managedBy;
  return observed;
}

/**
 * The cluster: from the physical id `<cluster>/<nodegroup>`, else the `cluster` attribute the engine passes
 * in `ref.identity`, else (identity not known yet) the environment's cluster, which is named after it.
 */
function clusterOf(ref: ResourceRef): string {
  const slash = ref.physicalId?.indexOf('/') ?? -1;
  if (slash > 0) return ref.physicalId!.slice(0, slash);
  const cluster = ref.identity?.cluster;
  return typeof cluster === 'string' && cluster !== '' ? cluster : ref.environment;
}

export function normalizeEksNodegroup(attribute: string, value: JsonValue): JsonValue {
  switch (attribute) {
    case 'subnets':
      return Array.isArray(value) ? [...value].sort() : value;
    case 'minSize':
    case 'maxSize':
    case 'desiredSize':
      return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    case 'labels':
      return toTagMap(value);
    case 'tags':
      return userTags(value as TagMap);
    default:
      return value;
  }
}

function nodegroupIssues(attrs: Attributes, creating: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (creating) {
    if (typeof attrs.cluster !== 'string' || attrs.cluster === '') {
      issues.push({ path: ['cluster'], message: 'must be the EKS cluster name', received: attrs.cluster });
    }
    if (typeof attrs.nodeRoleArn !== 'string' || !attrs.nodeRoleArn.startsWith('arn:')) {
      issues.push({
        path: ['nodeRoleArn'],
        message: 'must be the node IAM role ARN',
        received: attrs.nodeRoleArn,
      });
    }
    if (
      !Array.isArray(attrs.subnets) ||
      attrs.subnets.length === 0 ||
      attrs.subnets.some((s) => typeof s !== 'string')
    ) {
      issues.push({
        path: ['subnets'],
        message: 'must be a non-empty list of subnet ids',
        received: attrs.subnets,
      });
    }
    if (
      !Array.isArray(attrs.instanceTypes) ||
      attrs.instanceTypes.length === 0 ||
      attrs.instanceTypes.some((s) => typeof s !== 'string')
    ) {
      issues.push({
        path: ['instanceTypes'],
        message: 'must be a non-empty list of EC2 instance types',
        received: attrs.instanceTypes,
        allowed: 'e.g. ["t3.medium"]',
      });
    }
  }
  const min = attrs.minSize;
  const max = attrs.maxSize;
  const desired = attrs.desiredSize ?? min;
  for (const [key, v] of [
    ['minSize', min],
    ['maxSize', max],
    ['desiredSize', desired],
  ] as const) {
    if (!(Number.isInteger(v) && (v as number) >= 0))
      issues.push({ path: [key], message: 'must be a whole number ≥ 0', received: v });
  }
  if (issues.length === 0) {
    if ((max as number) < 1) issues.push({ path: ['maxSize'], message: 'must be at least 1', received: max });
    if (
      (min as number) > (max as number) ||
      (desired as number) < (min as number) ||
      (desired as number) > (max as number)
    ) {
      issues.push({
        path: ['desiredSize'],
        message: 'must satisfy minSize ≤ desiredSize ≤ maxSize',
        received: { minSize: min, desiredSize: desired, maxSize: max },
      });
    }
  }
  return issues;
}
