import { parseInput } from '../../../protocols/aws/parse-input.js';
import { rdsError } from './rds-errors.js';
import { type RdsEnv, wire } from './rds-instances.js';
import type { RdsInstance } from './rds-records.js';
import {
  addTagsToResourceInput,
  listTagsForResourceInput,
  type RdsTag,
  removeTagsFromResourceInput,
} from './rds-schemas.js';

export function addTagsToResource(params: unknown, env: RdsEnv): Record<string, unknown> {
  const input = parseInput(addTagsToResourceInput, params, 'InvalidParameterValue');
  const instance = byArn(input.ResourceName, env);
  const tags = mergeRdsTags(instance.TagList, input.Tags);
  if (tags.length > 50) throw rdsError.value('A resource can have at most 50 tags.');
  env.instances.put(instance.DBInstanceIdentifier, { ...instance, TagList: tags });
  return {};
}

export function removeTagsFromResource(params: unknown, env: RdsEnv): Record<string, unknown> {
  const input = parseInput(removeTagsFromResourceInput, params, 'InvalidParameterValue');
  const instance = byArn(input.ResourceName, env);
  const TagList = instance.TagList.filter((t) => !input.TagKeys.includes(t.Key));
  env.instances.put(instance.DBInstanceIdentifier, { ...instance, TagList });
  return {};
}

export function listTagsForResource(params: unknown, env: RdsEnv): Record<string, unknown> {
  const input = parseInput(listTagsForResourceInput, params, 'InvalidParameterValue');
  return { TagList: (wire(byArn(input.ResourceName, env)) as { TagList: RdsTag[] }).TagList };
}

/** Adds or replaces tags by key. */
export function mergeRdsTags(existing: RdsTag[], added: RdsTag[]): RdsTag[] {
  const result = existing.map((t) => ({ ...t }));
  for (const tag of added) {
    const found = result.find((t) => t.Key === tag.Key);
    if (found) found.Value = tag.Value;
    else result.push({ ...tag });
  }
  return result;
}

function byArn(arn: string, env: RdsEnv): RdsInstance {
  const match = arn.match(/^arn:aws:rds:[^:]+:\d{12}:db:(.+)$/);
  if (!match)
    throw rdsError.value(`The specified resource name does not match an RDS resource in this region: ${arn}`);
  const instance = env.instances.get(match[1]!)?.data;
  if (!instance || instance.DBInstanceArn !== arn) throw rdsError.notFound(match[1]!);
  return instance;
}
