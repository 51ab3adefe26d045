import { parseInput } from '../../../protocols/aws/parse-input.js';
import type { EksEnv } from './eks-env.js';
import { eksError } from './eks-errors.js';
import type { EksCluster, EksNodegroup } from './eks-records.js';
import { tagResourceInput } from './eks-schemas.js';

type Tagged = EksCluster | EksNodegroup;

export function tagResource(arn: string, body: unknown, env: EksEnv): object {
  const input = parseInput(tagResourceInput, body, 'BadRequestException');
  const { id, record, collection } = resolve(arn, env);
  const tags = { ...record.tags, ...input.tags };
  if (Object.keys(tags).length > 50) throw eksError.badRequest('A resource can have at most 50 tags.');
  collection.put(id, { ...record, tags } as never);
  return {};
}

export function untagResource(arn: string, tagKeys: string[], env: EksEnv): object {
  const { id, record, collection } = resolve(arn, env);
  const tags = { ...record.tags };
  for (const key of tagKeys) delete tags[key];
  collection.put(id, { ...record, tags } as never);
  return {};
}

export function listTagsForResource(arn: string, env: EksEnv): object {
  return { tags: resolve(arn, env).record.tags };
}

function resolve(arn: string, env: EksEnv) {
  if (!/^arn:aws:eks:/.test(arn)) throw eksError.badRequest(`${arn} is not a valid EKS resource ARN.`);
  for (const [id, stored] of env.clusters.entries()) {
    if (stored.data.arn === arn) return { id, record: stored.data as Tagged, collection: env.clusters };
  }
  for (const [id, stored] of env.nodegroups.entries()) {
    if (stored.data.nodegroupArn === arn)
      return { id, record: stored.data as Tagged, collection: env.nodegroups };
  }
  throw eksError.tagNotFound(arn);
}
