import type { Attributes, JsonValue, ResourceRef } from '@patchbay/core';
import { toStringMap } from '@patchbay/core';

/** Tag keys Patchbay puts on every resource it creates, so ownership is visible in the console. */
export const OWNERSHIP_TAG_KEYS = {
  environment: 'patchbay:environment',
  logicalId: 'patchbay:logical-id',
} as const;

/** The tag CloudFormation stamps on every resource of a stack. */
export const CLOUDFORMATION_STACK_TAG = 'aws:cloudformation:stack-name';

export type TagMap = Record<string, string>;

/** Ownership tags for a resource: environment and logical id. */
export function ownershipTags(ref: Pick<ResourceRef, 'environment' | 'id'>): TagMap {
  return { [OWNERSHIP_TAG_KEYS.environment]: ref.environment, [OWNERSHIP_TAG_KEYS.logicalId]: ref.id };
}

/** The desired `tags` attribute plus ownership tags (ownership wins: it cannot be overridden). */
export function tagsForCreate(
  ref: Pick<ResourceRef, 'environment' | 'id'>,
  tags: JsonValue | undefined,
): TagMap {
  return { ...toTagMap(tags), ...ownershipTags(ref) };
}

/**
 * The user-visible `tags` attribute: live tags without Patchbay's ownership tags and without
 * AWS-reserved `aws:` tags, which nobody can set, so a plan after an apply compares equal.
 */
export function userTags(all: TagMap): TagMap {
  const out: TagMap = {};
  for (const key of Object.keys(all).sort()) {
    if (
      key.startsWith('aws:') ||
      key === OWNERSHIP_TAG_KEYS.environment ||
      key === OWNERSHIP_TAG_KEYS.logicalId
    )
      continue;
    out[key] = all[key]!;
  }
  return out;
}

/** `cloudformation:<stack>` when a CloudFormation stack owns the resource, else undefined. */
export function managedByFromTags(all: TagMap): string | undefined {
  const stack = all[CLOUDFORMATION_STACK_TAG];
  return stack ? `cloudformation:${stack}` : undefined;
}

/** Coerce an attribute value to a tag map: core's one map coercion. */
export const toTagMap: (value: JsonValue | undefined) => TagMap = toStringMap;

/** ECS spells tags `{ key, value }`. */
export function toEcsTags(tags: TagMap): { key: string; value: string }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

export function fromEcsTags(tags: readonly { key?: string; value?: string }[] | undefined): TagMap {
  const out: TagMap = {};
  for (const t of tags ?? []) if (t.key !== undefined) out[t.key] = t.value ?? '';
  return out;
}

/** RDS spells tags `{ Key, Value }`. */
export function toRdsTags(tags: TagMap): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function fromRdsTags(tags: readonly { Key?: string; Value?: string }[] | undefined): TagMap {
  const out: TagMap = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** EKS returns tags as a map, possibly undefined. */
export function fromTagRecord(tags: Record<string, string | undefined> | undefined): TagMap {
  const out: TagMap = {};
  for (const [k, v] of Object.entries(tags ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/** Convenience for observe: split live tags into the `tags` attribute and `managedBy`. */
export function readTags(all: TagMap): { tags: Attributes[string]; managedBy: string | undefined } {
  return { tags: userTags(all), managedBy: managedByFromTags(all) };
}
