/**
 * Merge keys of the associative lists the sandbox knows (the `patchMergeKey` / `listMapKeys` of the
 * k8s OpenAPI). Strategic merge patch merges these lists item by item and server-side apply tracks
 * ownership per item; every other list is atomic (replaced whole).
 *
 * Simplification: ports use their primary key only (`containerPort`, `port`); real server-side apply
 * keys them by port and protocol.
 */
const BY_FIELD: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  conditions: 'type',
};

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/**
 * The merge key of the list at `path` (field names only, list indexes left out), or undefined when the
 * list is atomic.
 * @example listMergeKey(['spec', 'template', 'spec', 'containers']) // 'name'
 */
export function listMergeKey(path: readonly string[]): string | undefined {
  const field = path.at(-1);
  if (field === undefined) return undefined;
  if (field === 'ports') {
    const parent = path.at(-2);
    if (parent !== undefined && CONTAINER_LISTS.has(parent)) return 'containerPort';
    if (parent === 'spec' && path.length === 2) return 'port';
    return undefined;
  }
  // Top-level `metadata.finalizers` and similar string lists are sets in k8s; treated as atomic here.
  return BY_FIELD[field];
}
