import { listMergeKey } from './kubernetes-list-keys.js';

type Json = Record<string, unknown>;

/** One `metadata.managedFields` entry, in wire form. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Json;
  subresource?: string;
}

/**
 * A set of field paths, each encoded as a JSON array of FieldsV1 segments: `f:<field>`,
 * `k:{"<mergeKey>":<value>}` for an item of an associative list, `.` for the item itself.
 * Granularity: leaves (scalars, atomic lists, empty objects) and associative-list items.
 */
export type FieldSet = Set<string>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Fields the server sets or that identify the object: never owned by a manager. */
const SERVER_FIELDS: Record<string, true> = {
  name: true,
  namespace: true,
  uid: true,
  resourceVersion: true,
  generation: true,
  creationTimestamp: true,
  deletionTimestamp: true,
  managedFields: true,
  selfLink: true,
  generateName: true,
};

/** The owned-field paths of an object (apiVersion, kind, status and server-set metadata left out). */
export function fieldSet(object: Json): FieldSet {
  const out: FieldSet = new Set();
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'status' || key === '_sandbox') continue;
    if (key === 'metadata' && isObject(value)) {
      for (const [metaKey, metaValue] of Object.entries(value)) {
        if (!SERVER_FIELDS[metaKey])
          collect(metaValue, ['f:metadata', `f:${metaKey}`], ['metadata', metaKey], out);
      }
      continue;
    }
    collect(value, [`f:${key}`], [key], out);
  }
  return out;
}

function collect(value: unknown, segments: string[], names: string[], out: FieldSet): void {
  if (Array.isArray(value)) {
    const key = listMergeKey(names);
    if (!key) {
      out.add(JSON.stringify(segments));
      return;
    }
    for (const item of value) {
      if (!isObject(item) || item[key] === undefined) continue;
      const itemSegment = `k:${JSON.stringify({ [key]: item[key] })}`;
      out.add(JSON.stringify([...segments, itemSegment, '.']));
      for (const [field, fieldValue] of Object.entries(item)) {
        collect(fieldValue, [...segments, itemSegment, `f:${field}`], [...names, field], out);
      }
    }
    return;
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) out.add(JSON.stringify(segments));
    for (const key of keys) collect(value[key], [...segments, `f:${key}`], [...names, key], out);
    return;
  }
  out.add(JSON.stringify(segments));
}

/** The value an encoded path points at, or undefined. */
export function valueAtPath(object: unknown, encoded: string): unknown {
  let current = object;
  for (const segment of JSON.parse(encoded) as string[]) {
    if (segment === '.') continue;
    if (segment.startsWith('f:')) {
      current = isObject(current) ? current[segment.slice(2)] : undefined;
    } else if (segment.startsWith('k:')) {
      const key = JSON.parse(segment.slice(2)) as Json;
      current = Array.isArray(current)
        ? current.find((item) => isObject(item) && Object.entries(key).every(([k, v]) => item[k] === v))
        : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

/** Removes the field (or list item, for a `.` path) an encoded path points at. */
export function deleteAtPath(object: Json, encoded: string): void {
  const segments = JSON.parse(encoded) as string[];
  const itemPath = segments.at(-1) === '.';
  const parentSegments = segments.slice(0, itemPath ? -2 : -1);
  const last = segments.at(itemPath ? -2 : -1)!;
  const parent = parentSegments.length ? valueAtPath(object, JSON.stringify(parentSegments)) : object;
  if (last.startsWith('f:') && isObject(parent)) delete parent[last.slice(2)];
  else if (last.startsWith('k:') && Array.isArray(parent)) {
    const key = JSON.parse(last.slice(2)) as Json;
    const index = parent.findIndex(
      (item) => isObject(item) && Object.entries(key).every(([k, v]) => item[k] === v),
    );
    if (index >= 0) parent.splice(index, 1);
  }
}

export function toFieldsV1(fields: FieldSet): Json {
  const root: Json = {};
  for (const encoded of [...fields].sort()) {
    let node = root;
    for (const segment of JSON.parse(encoded) as string[]) {
      node[segment] ??= {};
      node = node[segment] as Json;
    }
  }
  return root;
}

export function fromFieldsV1(fieldsV1: Json): FieldSet {
  const out: FieldSet = new Set();
  const walk = (node: Json, segments: string[]) => {
    const keys = Object.keys(node);
    if (keys.length === 0 && segments.length) out.add(JSON.stringify(segments));
    for (const key of keys) walk((node[key] as Json) ?? {}, [...segments, key]);
  };
  walk(fieldsV1, []);
  return out;
}

/** The stored entries of an object (what the server recorded, never what a client sent). */
export function managedEntries(object: Json | undefined): ManagedFieldsEntry[] {
  const metadata = object?.metadata as { managedFields?: ManagedFieldsEntry[] } | undefined;
  return structuredClone(metadata?.managedFields ?? []);
}

/** Formats `FieldSet` paths for messages: `.spec.replicas`, `.spec.template.spec.containers[name="web"].image`. */
export function describePath(encoded: string): string {
  let result = '';
  for (const segment of JSON.parse(encoded) as string[]) {
    if (segment.startsWith('f:')) result += `.${segment.slice(2)}`;
    else if (segment.startsWith('k:')) {
      const key = JSON.parse(segment.slice(2)) as Json;
      result += `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    }
  }
  return result;
}

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Records a non-apply write (create, update, patch) by `manager`: the fields it changed become its
 * own (taken from other managers without conflict, as kube-apiserver does for Update operations) and
 * fields that no longer exist leave every manager's set.
 */
export function recordUpdate(
  previous: Json | undefined,
  next: Json,
  manager: string,
  apiVersion: string,
  time: string,
  subresource?: string,
): ManagedFieldsEntry[] {
  const before = previous ? fieldSet(previous) : new Set<string>();
  const after = fieldSet(next);
  const changed = [...after].filter(
    (p) => !before.has(p) || !equal(valueAtPath(previous, p), valueAtPath(next, p)),
  );
  const removed = [...before].filter((p) => !after.has(p));
  const entries = managedEntries(previous);
  const result: ManagedFieldsEntry[] = [];
  let own: ManagedFieldsEntry | undefined;
  for (const entry of entries) {
    const fields = fromFieldsV1(entry.fieldsV1);
    const mine =
      entry.manager === manager && entry.operation === 'Update' && entry.subresource === subresource;
    for (const p of removed) fields.delete(p);
    if (mine) {
      for (const p of changed) fields.add(p);
      own = { ...entry, fieldsV1: toFieldsV1(fields), ...(changed.length ? { time } : {}) };
      if (fields.size) result.push(own);
      continue;
    }
    for (const p of changed) fields.delete(p);
    if (fields.size) result.push({ ...entry, fieldsV1: toFieldsV1(fields) });
  }
  if (!own && changed.length) {
    result.push({
      manager,
      operation: 'Update',
      apiVersion,
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(new Set(changed)),
      ...(subresource ? { subresource } : {}),
    });
  }
  return result;
}
