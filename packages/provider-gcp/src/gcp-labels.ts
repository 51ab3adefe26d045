import {
  gcpLabels,
  type JsonValue,
  type ResourceRef,
  toStringMap,
  type ValidationIssue,
} from '@patchbay/core';

export type LabelMap = Record<string, string>;

/** Label keys Patchbay stamps on every resource it creates, so ownership is visible in the console. */
export const OWNERSHIP_LABEL_KEYS = {
  environment: 'patchbay-environment',
  logicalId: 'patchbay-logical-id',
} as const;

/**
 * Label key prefixes the platform reserves: Cloud Run rejects writes of the first five; `goog-` labels
 * are set by Google services (billing, GKE). Patchbay never writes them and leaves them out of `labels`.
 */
export const RESERVED_LABEL_PREFIXES = [
  'run.googleapis.com/',
  'cloud.googleapis.com/',
  'serving.knative.dev/',
  'autoscaling.knative.dev/',
  'features.knative.dev/',
  'goog-',
] as const;

const KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const VALUE = /^[a-z0-9_-]{0,63}$/;

export const isReservedLabel = (key: string): boolean =>
  RESERVED_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix));

/** The ownership labels of a resource (values made label-safe the way `desiredResources` does). */
export function ownershipLabels(ref: Pick<ResourceRef, 'environment' | 'id'>): LabelMap {
  return gcpLabels(ref.environment, ref.id);
}

/** Desired labels plus ownership labels (ownership wins: it cannot be overridden). */
export function labelsForCreate(
  ref: Pick<ResourceRef, 'environment' | 'id'>,
  labels: JsonValue | undefined,
): LabelMap {
  return { ...toLabelMap(labels), ...ownershipLabels(ref) };
}

/** True when `live` carries this resource's ownership labels (a crashed earlier create of ours). */
export function ownedBy(
  live: LabelMap | null | undefined,
  ref: Pick<ResourceRef, 'environment' | 'id'>,
): boolean {
  const own = ownershipLabels(ref);
  return Object.entries(own).every(([k, v]) => live?.[k] === v);
}

/** The `labels` attribute as observed: keys sorted, reserved (system) labels left out. */
export function observedLabels(live: Record<string, string> | null | undefined): LabelMap {
  const out: LabelMap = {};
  for (const key of Object.keys(live ?? {}).sort()) if (!isReservedLabel(key)) out[key] = live![key]!;
  return out;
}

/** Coerce an attribute value to a label map: core's one map coercion. */
export const toLabelMap: (value: JsonValue | undefined) => LabelMap = toStringMap;

/** Problems with label keys/values (Google's label rules), checked before any call. */
export function labelIssues(
  labels: JsonValue | undefined,
  path: (string | number)[] = ['labels'],
): ValidationIssue[] {
  if (labels === undefined) return [];
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    return [{ path, message: 'must be an object of label key → value', received: labels }];
  }
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(labels)) {
    if (isReservedLabel(key)) {
      issues.push({
        path: [...path, key],
        message: 'uses a reserved, system-managed label prefix',
        allowed: `keys not starting with ${RESERVED_LABEL_PREFIXES.join(', ')}`,
      });
    } else if (!KEY.test(key)) {
      issues.push({
        path: [...path, key],
        message: 'is not a valid label key',
        allowed: 'a lowercase letter, then up to 62 lowercase letters, digits, "_" or "-"',
      });
    }
    if (value !== null && (typeof value !== 'string' || !VALUE.test(value))) {
      issues.push({
        path: [...path, key],
        message: 'is not a valid label value',
        received: value,
        allowed: 'up to 63 lowercase letters, digits, "_" or "-"',
      });
    }
  }
  return issues;
}
