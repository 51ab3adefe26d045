import type { Collection } from '../../../core/resource-store.js';
import { parseInput } from '../../../protocols/aws/parse-input.js';
import type { EcsEnv } from './ecs-env.js';
import { ecsError } from './ecs-errors.js';
import {
  type EcsTag,
  listTagsForResourceInput,
  tagResourceInput,
  untagResourceInput,
} from './ecs-schemas.js';

interface Tagged {
  tags: EcsTag[];
  [field: string]: unknown;
}

export function tagResource(body: unknown, env: EcsEnv): object {
  const input = parseInput(tagResourceInput, body, 'InvalidParameterException');
  const { collection, id, data } = resolve(input.resourceArn, env);
  const tags = mergeTags(data.tags, input.tags);
  if (tags.length > 50) throw ecsError.invalidParameter('A resource can have at most 50 tags.');
  collection.put(id, { ...data, tags });
  return {};
}

export function untagResource(body: unknown, env: EcsEnv): object {
  const input = parseInput(untagResourceInput, body, 'InvalidParameterException');
  const { collection, id, data } = resolve(input.resourceArn, env);
  collection.put(id, { ...data, tags: data.tags.filter((t) => !input.tagKeys.includes(t.key)) });
  return {};
}

export function listTagsForResource(body: unknown, env: EcsEnv): object {
  const input = parseInput(listTagsForResourceInput, body, 'InvalidParameterException');
  return { tags: resolve(input.resourceArn, env).data.tags };
}

/** Adds or replaces tags by key, keeping the order of existing ones. */
export function mergeTags(existing: EcsTag[], added: EcsTag[]): EcsTag[] {
  const result = existing.map((t) => ({ ...t }));
  for (const tag of added) {
    const found = result.find((t) => t.key === tag.key);
    if (found) found.value = tag.value;
    else result.push({ ...tag });
  }
  return result;
}

function resolve(arn: string, env: EcsEnv): { collection: Collection<Tagged>; id: string; data: Tagged } {
  const collections = [env.clusters, env.services, env.taskDefinitions] as unknown as Collection<Tagged>[];
  for (const collection of collections) {
    for (const [id, record] of collection.entries()) {
      const data = record.data;
      const recordArn =
        data.clusterArn && collection.kind === 'cluster'
          ? data.clusterArn
          : (data.serviceArn ?? data.taskDefinitionArn);
      if (recordArn === arn && data.status !== 'INACTIVE') return { collection, id, data };
    }
  }
  if (!/^arn:aws:ecs:/.test(arn)) throw ecsError.invalidParameter(`Invalid resource ARN ${arn}.`);
  throw ecsError.resourceNotFound('The specified resource could not be found.');
}
