import type { StoredRecord } from '../../core/resource-store.js';
import type { StatusSubject } from './kubernetes-errors.js';
import { asObject, type Json } from './kubernetes-kind-strategy.js';
import { apiVersionOf, type ResourceType } from './kubernetes-resource-types.js';

const METADATA_ORDER = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** Store id of an object: `name` for cluster-scoped kinds, `namespace/name` otherwise. */
export function objectId(type: ResourceType, namespace: string | undefined, name: string): string {
  return type.namespaced ? `${namespace}/${name}` : name;
}

export function subjectOf(type: ResourceType, name: string): StatusSubject {
  return { resource: type.plural, kind: type.kind, group: type.group, name };
}

/**
 * The object as the API serves it: `metadata.resourceVersion` is the record's store generation (so
 * every write, console edits included, changes it), sandbox bookkeeping removed.
 */
export function wireObject(
  type: ResourceType,
  data: Json,
  generation: number | undefined,
  withTypeMeta = true,
): Json {
  const { _sandbox: _internal, apiVersion: _v, kind: _k, metadata, ...rest } = data;
  const source: Json = {
    ...asObject(metadata),
    ...(generation !== undefined ? { resourceVersion: String(generation) } : {}),
  };
  const ordered: Json = {};
  for (const key of METADATA_ORDER) if (source[key] !== undefined) ordered[key] = source[key];
  for (const [key, value] of Object.entries(source)) if (!(key in ordered)) ordered[key] = value;
  return {
    ...(withTypeMeta ? { apiVersion: apiVersionOf(type), kind: type.kind } : {}),
    metadata: ordered,
    ...rest,
  };
}

export function wireRecord(type: ResourceType, record: StoredRecord<Json>, withTypeMeta = true): Json {
  return wireObject(type, record.data, record.generation, withTypeMeta);
}
