import type { SandboxRequest } from '../../core/sandbox-request.js';
import { findType, RESOURCE_TYPES, type ResourceType } from './kubernetes-resource-types.js';

/** What a request path addresses: a discovery document or a resource (collection, object, subresource). */
export type RequestTarget =
  | { kind: 'version' }
  | { kind: 'coreVersions' }
  | { kind: 'groups' }
  | { kind: 'group'; group: string }
  | { kind: 'resources'; group: string; version: string }
  | {
      kind: 'resource';
      type: ResourceType;
      /** Set for namespaced paths (`/namespaces/{ns}/...`); unset for cluster-wide lists. */
      namespace?: string;
      name?: string;
      subresource?: string;
    };

/** Whether a path belongs to the Kubernetes API (`/version`, `/api`, `/api/v1/...`, `/apis/...`). */
export function isKubernetesPath(path: string): boolean {
  const p = path.replace(/\/+$/, '');
  // `/api/v2/...` is Neon's: the core group only has v1.
  return (
    p === '/version' ||
    p === '/api' ||
    p === '/api/v1' ||
    p.startsWith('/api/v1/') ||
    p === '/apis' ||
    p.startsWith('/apis/')
  );
}

/** Parses the request path; undefined when it names nothing the sandbox serves. */
export function requestTarget(path: string): RequestTarget | undefined {
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  const [root, ...rest] = segments;
  if (root === 'version' && rest.length === 0) return { kind: 'version' };
  let group: string;
  let version: string;
  let tail: string[];
  if (root === 'api') {
    if (rest.length === 0) return { kind: 'coreVersions' };
    if (rest[0] !== 'v1') return undefined;
    group = '';
    version = 'v1';
    tail = rest.slice(1);
  } else if (root === 'apis') {
    if (rest.length === 0) return { kind: 'groups' };
    if (rest.length === 1) {
      return RESOURCE_TYPES.some((t) => t.group === rest[0] && t.group !== '')
        ? { kind: 'group', group: rest[0]! }
        : undefined;
    }
    group = rest[0]!;
    version = rest[1]!;
    tail = rest.slice(2);
  } else return undefined;
  if (!RESOURCE_TYPES.some((t) => t.group === group && t.version === version)) return undefined;
  if (tail.length === 0) return { kind: 'resources', group, version };

  // /namespaces/{ns}/{plural}[/{name}[/{sub}]] unless the third segment is a Namespace subresource.
  if (tail[0] === 'namespaces' && tail.length >= 3) {
    const type = findType(group, version, tail[2]!);
    if (type?.namespaced) return resource(type, tail[1], tail[3], tail[4], tail.length <= 5);
  }
  const type = findType(group, version, tail[0]!);
  if (!type) return undefined;
  if (type.namespaced) return tail.length === 1 ? { kind: 'resource', type } : undefined;
  return resource(type, undefined, tail[1], tail[2], tail.length <= 3);
}

function resource(
  type: ResourceType,
  namespace: string | undefined,
  name: string | undefined,
  subresource: string | undefined,
  complete: boolean,
): RequestTarget | undefined {
  if (!complete) return undefined;
  if (subresource !== undefined && !type.subresources.includes(subresource)) return undefined;
  return {
    kind: 'resource',
    type,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The operation name, as `@kubernetes/client-node` names its methods: `readNamespacedDeployment`,
 * `listDeploymentForAllNamespaces`, `patchNamespace`, `replaceNamespacedDeploymentStatus`; discovery:
 * `getCode`, `getCoreAPIVersions`, `getAPIVersions`, `getAppsAPIGroup`, `getAppsV1APIResources`.
 */
export function kubernetesOperation(request: SandboxRequest): string {
  const target = requestTarget(request.path);
  if (!target) return 'unknown';
  switch (target.kind) {
    case 'version':
      return 'getCode';
    case 'coreVersions':
      return 'getCoreAPIVersions';
    case 'groups':
      return 'getAPIVersions';
    case 'group':
      return `get${pascal(target.group)}APIGroup`;
    case 'resources':
      return `get${pascal(target.group || 'core')}${pascal(target.version)}APIResources`;
  }
  const { type, namespace, name, subresource } = target;
  const item = name !== undefined;
  const verb = (
    {
      GET: item ? 'read' : 'list',
      POST: item ? undefined : 'create',
      PUT: item ? 'replace' : undefined,
      PATCH: item ? 'patch' : undefined,
      DELETE: item ? 'delete' : 'deleteCollection',
    } as Record<string, string | undefined>
  )[request.method];
  if (!verb) return 'unknown';
  const suffix = subresource ? pascal(subresource) : '';
  if (verb === 'list' && type.namespaced && namespace === undefined)
    return `list${type.kind}ForAllNamespaces`;
  return `${verb}${type.namespaced ? 'Namespaced' : ''}${type.kind}${suffix}`;
}
