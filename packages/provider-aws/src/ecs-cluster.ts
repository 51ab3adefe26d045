import {
  type Cluster,
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
} from '@aws-sdk/client-ecs';
import type { JsonValue, Observed, ResourceRef, ResourceType } from '@patchbay/core';
import { assertPatchable, groupChanges } from '@patchbay/core';
import { awsCall } from './aws-call.js';
import type { AwsContext } from './aws-context.js';
import {
  fromEcsTags,
  managedByFromTags,
  type TagMap,
  tagsForCreate,
  toEcsTags,
  userTags,
} from './aws-tags.js';
import { writeEcsTags } from './ecs-tags.js';
import { readForPatch } from './read-for-patch.js';

const TYPE = 'aws.ecs.cluster';
const MAPS = ['tags'] as const;

/** `aws.ecs.cluster`: the environment's ECS cluster. Attributes `{ tags }`; outputs `arn`, `name`. */
export function ecsCluster(ctx: AwsContext): ResourceType {
  const describe = async (ref: ResourceRef, signal?: AbortSignal): Promise<Cluster | undefined> => {
    const out = await awsCall('DescribeClusters', ref.id, () =>
      ctx.ecs.send(
        new DescribeClustersCommand({ clusters: [ref.physicalId ?? ref.name], include: ['TAGS'] }),
        {
          abortSignal: signal,
        },
      ),
    );
    const cluster = out.clusters?.[0];
    // A deleted cluster stays describable as INACTIVE for a while: it no longer exists for us.
    return cluster && cluster.status !== 'INACTIVE' ? cluster : undefined;
  };

  const toObserved = (cluster: Cluster): Observed => {
    const all = fromEcsTags(cluster.tags);
    const observed: Observed = {
      physicalId: cluster.clusterArn!,
      attributes: { tags: userTags(all) },
      outputs: { arn: cluster.clusterArn!, name: cluster.clusterName! },
    };
    const managedBy = managedByFromTags(all);
    if (managedBy) observed.managedBy = managedBy;
    return observed;
  };

  return {
    api: 'ecs',
    precondition: 'read-before-write',
    maps: MAPS,
    normalize: normalizeEcsCluster,

    async observe(ref, call) {
      const cluster = await describe(ref, call.signal);
      return cluster ? toObserved(cluster) : undefined;
    },

    async create(input, call) {
      const tags = tagsForCreate(input.ref, input.attributes.tags);
      // CreateCluster is idempotent by name: a cluster left by a crashed apply is returned as is.
      const out = await awsCall('CreateCluster', input.ref.id, () =>
        ctx.ecs.send(new CreateClusterCommand({ clusterName: input.ref.name, tags: toEcsTags(tags) }), {
          abortSignal: call.signal,
        }),
      );
      const cluster = out.cluster!;
      return {
        physicalId: cluster.clusterArn!,
        attributes: { tags: userTags(fromEcsTags(cluster.tags ?? toEcsTags(tags))) },
        outputs: { arn: cluster.clusterArn!, name: cluster.clusterName ?? input.ref.name },
      };
    },

    async patch(ref, changes, precondition, call) {
      const grouped = groupChanges(changes, MAPS);
      assertPatchable(TYPE, grouped, ['tags']);
      const { current: cluster, live } = await readForPatch(ref, changes, precondition, {
        describe: () => describe(ref, call.signal),
        toObserved,
        missing: `ECS cluster ${ref.name} does not exist`,
        normalize: normalizeEcsCluster,
        maps: MAPS,
      });
      await writeEcsTags(
        ctx,
        ref,
        cluster.clusterArn!,
        fromEcsTags(cluster.tags),
        grouped.maps.get('tags'),
        call.signal,
      );
      return { physicalId: cluster.clusterArn!, outputs: live.outputs };
    },

    async delete(ref, call) {
      const cluster = await describe(ref, call.signal);
      if (!cluster) return;
      await awsCall('DeleteCluster', ref.id, () =>
        ctx.ecs.send(new DeleteClusterCommand({ cluster: cluster.clusterArn! }), {
          abortSignal: call.signal,
        }),
      );
    },
  };
}

export function normalizeEcsCluster(attribute: string, value: JsonValue): JsonValue {
  return attribute === 'tags' ? userTags(value as TagMap) : value;
}
