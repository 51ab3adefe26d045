import { TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-ecs';
import type { ResourceRef } from '@patchbay/core';
import { effectiveMapChange, type MapChange } from '@patchbay/core';
import { awsCall } from './aws-call.js';
import type { AwsContext } from './aws-context.js';
import { type TagMap, toEcsTags } from './aws-tags.js';

/** ECS TagResource / UntagResource for only the tag keys that really change. */
export async function writeEcsTags(
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
      ctx.ecs.send(new TagResourceCommand({ resourceArn: arn, tags: toEcsTags(effective.set) }), {
        abortSignal: signal,
      }),
    );
  }
  if (effective.remove.length > 0) {
    await awsCall('UntagResource', ref.id, () =>
      ctx.ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: effective.remove }), {
        abortSignal: signal,
      }),
    );
  }
}
