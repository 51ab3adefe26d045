import type { SandboxResponse } from '../../core/sandbox-request.js';
import type { RequestTarget } from './kubernetes-request-target.js';
import { apiResources, groupVersions } from './kubernetes-resource-types.js';

/** The Kubernetes version the sandbox reports (`/version`). */
export const SANDBOX_KUBERNETES_VERSION = { major: '1', minor: '31', gitVersion: 'v1.31.0' };

/** Answers `/version`, `/api`, `/apis`, `/apis/{group}` and the resource lists `/api/v1`, `/apis/{g}/{v}`. */
export function discovery(
  target: Exclude<RequestTarget, { kind: 'resource' }>,
  baseUrl: string,
): SandboxResponse {
  const host = baseUrl.replace(/^https?:\/\//, '');
  const groups = groupVersions();
  const groupEntry = (group: string) => {
    const versions = groups
      .filter((g) => g.group === group)
      .map((g) => ({ groupVersion: `${group}/${g.version}`, version: g.version }));
    return { name: group, versions, preferredVersion: versions[0] };
  };
  const body = (() => {
    switch (target.kind) {
      case 'version':
        return {
          ...SANDBOX_KUBERNETES_VERSION,
          gitVersion: `${SANDBOX_KUBERNETES_VERSION.gitVersion}`,
          gitCommit: 'patchbay-sandbox',
          gitTreeState: 'clean',
          buildDate: '2024-08-13T00:00:00Z',
          goVersion: 'go1.22.5',
          compiler: 'gc',
          platform: 'linux/amd64',
        };
      case 'coreVersions':
        return {
          kind: 'APIVersions',
          versions: ['v1'],
          serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
        };
      case 'groups':
        return {
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: [...new Set(groups.map((g) => g.group).filter((g) => g !== ''))].map(groupEntry),
        };
      case 'group':
        return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(target.group) };
      case 'resources': {
        const entry = groups.find((g) => g.group === target.group && g.version === target.version)!;
        return {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: target.group ? `${target.group}/${target.version}` : target.version,
          resources: entry.types.flatMap(apiResources),
        };
      }
    }
  })();
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}
