import { gcpLabels, type JsonValue, type ResourceRef } from '@patchbay/core';

/** Label keys that say which environment and logical id an object belongs to. */
export const OWNERSHIP_LABEL_KEYS = ['patchbay-environment', 'patchbay-logical-id'] as const;

/** The ownership labels of a resource, stamped on every create. */
export function ownershipLabels(ref: ResourceRef): Record<string, string> {
  return gcpLabels(ref.environment, ref.id);
}

/** Whether live labels say the object is this resource's (made by an earlier, interrupted apply). */
export function ownedBy(labels: Record<string, string> | undefined, ref: ResourceRef): boolean {
  const mine = ownershipLabels(ref);
  return OWNERSHIP_LABEL_KEYS.every((key) => labels?.[key] === mine[key]);
}

/** Desired labels as strings, plus the ownership labels. */
export function labelsForCreate(desired: JsonValue | undefined, ref: ResourceRef): Record<string, string> {
  return { ...stringMap(desired), ...ownershipLabels(ref) };
}

/** A map attribute's value as a string map (values stringified, non-objects → {}). */
export function stringMap(value: JsonValue | undefined): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}
