import { k8sError, type StatusCause, type StatusSubject } from './kubernetes-errors.js';
import {
  deleteAtPath,
  describePath,
  type FieldSet,
  fieldSet,
  fromFieldsV1,
  type ManagedFieldsEntry,
  managedEntries,
  toFieldsV1,
  valueAtPath,
} from './kubernetes-managed-fields.js';
import { strategicMerge } from './kubernetes-strategic-merge.js';

type Json = Record<string, unknown>;

/** What a server-side apply produced: the merged object and its new managedFields. */
export interface ApplyResult {
  object: Json;
  managedFields: ManagedFieldsEntry[];
}

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Server-side apply (`application/apply-patch+yaml`) of `applied` by `manager` onto `live` (undefined
 * when the object does not exist yet: apply creates it).
 *
 * - A field the applied config sets that another manager owns with a different value is a conflict:
 *   409 naming every such field and its owner, unless `force`, which takes the fields over.
 * - The merged object is the live one with the applied config merged in (associative lists by key).
 * - Fields this manager applied before but no longer applies, and nobody else owns, are removed.
 */
export function serverSideApply(
  live: Json | undefined,
  applied: Json,
  options: { manager: string; force: boolean; apiVersion: string; time: string; subject: StatusSubject },
): ApplyResult {
  const { manager, force, apiVersion, time, subject } = options;
  const appliedFields = fieldSet(applied);
  const entries = managedEntries(live);
  const isOwnApply = (e: ManagedFieldsEntry) =>
    e.manager === manager && e.operation === 'Apply' && !e.subresource;
  const previousApply = entries.find(isOwnApply);
  const others = entries
    .filter((e) => !isOwnApply(e))
    .map((e) => ({ entry: e, fields: fromFieldsV1(e.fieldsV1) }));

  const causes: StatusCause[] = [];
  const conflicting = new Map<ManagedFieldsEntry, string[]>();
  if (live) {
    for (const path of appliedFields) {
      // Membership of a list item is shared, never a conflict; its fields are compared below.
      if (path.endsWith(',"."]')) continue;
      if (equal(valueAtPath(live, path), valueAtPath(applied, path))) continue;
      for (const { entry, fields } of others) {
        if (!fields.has(path)) continue;
        causes.push({
          reason: 'FieldManagerConflict',
          message: `conflict with "${entry.manager}"${entry.operation === 'Update' ? ` using ${entry.apiVersion}` : ''}`,
          field: describePath(path),
        });
        conflicting.set(entry, [...(conflicting.get(entry) ?? []), path]);
      }
    }
  }
  if (causes.length && !force) throw k8sError.applyConflict(subject, causes);

  for (const { entry, fields } of others)
    for (const path of conflicting.get(entry) ?? []) fields.delete(path);
  const object = strategicMerge(live ?? {}, applied) as Json;
  const ownedByOthers = (path: string) => others.some(({ fields }) => fields.has(path));
  const dropped: FieldSet = previousApply ? fromFieldsV1(previousApply.fieldsV1) : new Set();
  for (const path of appliedFields) dropped.delete(path);
  for (const path of dropped) if (!ownedByOthers(path)) deleteAtPath(object, path);

  const managedFields: ManagedFieldsEntry[] = [];
  for (const { entry, fields } of others) {
    if (fields.size) managedFields.push({ ...entry, fieldsV1: toFieldsV1(fields) });
  }
  const changed = !previousApply || !equal(previousApply.fieldsV1, toFieldsV1(appliedFields));
  managedFields.push({
    manager,
    operation: 'Apply',
    apiVersion,
    time: changed || !previousApply ? time : previousApply.time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(appliedFields),
  });
  return { object, managedFields };
}
