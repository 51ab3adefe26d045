/** Ownership tags on every AWS resource: which environment and logical id it belongs to. */
export function awsTags(environment: string, id: string): Record<string, string> {
  return { 'patchbay:environment': environment, 'patchbay:logical-id': id };
}

/**
 * Ownership labels for GCP and Kubernetes, whose label values allow only lowercase letters, digits, `-` and
 * `_` (63 characters): a logical id's `/` becomes `_` (`compute/api` → `compute_api`).
 */
export function gcpLabels(environment: string, id: string): Record<string, string> {
  return { 'patchbay-environment': labelValue(environment), 'patchbay-logical-id': labelValue(id) };
}

export function labelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, 63);
}
