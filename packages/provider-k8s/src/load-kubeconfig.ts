import { KubeConfig } from '@kubernetes/client-node';
import type { ValidationIssue } from '@patchbay/core';

/** Options for `KubeConfig.loadFromOptions`: clusters, users, contexts and the current context. */
export interface KubeConfigOptions {
  clusters: unknown[];
  users: unknown[];
  contexts: unknown[];
  currentContext: string;
}

/**
 * Where the provider finds its cluster and credentials:
 * - `{ path }`: a kubeconfig file (`~/.kube/config`),
 * - `{ yaml }`: kubeconfig YAML in a string (e.g. the `kubeconfig` output of `aws.eks.cluster`),
 * - `{ options }`: an object for `KubeConfig.loadFromOptions`,
 * - a `KubeConfig` you built yourself (it is copied, never mutated).
 */
export type K8sKubeconfig = { path: string } | { yaml: string } | { options: KubeConfigOptions } | KubeConfig;

/**
 * Load the kubeconfig and select the context, without any network call. Problems are returned as
 * validation issues; the kubeconfig's content (it may hold tokens) never appears in them.
 */
export function loadKubeconfig(
  source: K8sKubeconfig | undefined,
  context: string | undefined,
): { kubeConfig?: KubeConfig; issues: ValidationIssue[] } {
  const kc = new KubeConfig();
  const fail = (
    path: (string | number)[],
    message: string,
    allowed?: string | readonly unknown[],
  ): ValidationIssue[] => [{ path, message, ...(allowed !== undefined ? { allowed } : {}) }];
  try {
    if (source instanceof KubeConfig) {
      kc.loadFromOptions({
        clusters: source.clusters,
        users: source.users,
        contexts: source.contexts,
        currentContext: source.currentContext,
      });
    } else if (isObject(source) && 'path' in source) {
      if (typeof source.path !== 'string' || source.path === '')
        return { issues: fail(['kubeconfig', 'path'], 'must be a non-empty file path') };
      kc.loadFromFile(source.path);
    } else if (isObject(source) && 'yaml' in source) {
      if (typeof source.yaml !== 'string' || source.yaml.trim() === '')
        return { issues: fail(['kubeconfig', 'yaml'], 'must be non-empty kubeconfig YAML') };
      kc.loadFromString(source.yaml);
    } else if (isObject(source) && 'options' in source) {
      const o = source.options as Partial<KubeConfigOptions> | undefined;
      if (!isObject(o) || !Array.isArray(o.clusters) || !Array.isArray(o.users) || !Array.isArray(o.contexts))
        return {
          issues: fail(
            ['kubeconfig', 'options'],
            'must be an object with clusters, users and contexts arrays',
            '{ clusters, users, contexts, currentContext }',
          ),
        };
      kc.loadFromOptions(o);
    } else {
      return {
        issues: fail(['kubeconfig'], 'must say where the kubeconfig comes from', [
          '{ path }',
          '{ yaml }',
          '{ options }',
          'a KubeConfig instance',
        ]),
      };
    }
  } catch (error) {
    // The parser's message can quote the offending line (a token): report only where it failed.
    const where = isObject(source) && 'path' in source ? ['kubeconfig', 'path'] : ['kubeconfig'];
    const code = (error as { code?: unknown }).code;
    return {
      issues: fail(
        where,
        typeof code === 'string' && code.startsWith('E')
          ? `cannot be read (${code})`
          : 'is not a valid kubeconfig (clusters, users and contexts each need a name and their fields)',
      ),
    };
  }
  const contexts = kc.getContexts().map((c) => c.name);
  if (context !== undefined) {
    if (typeof context !== 'string' || !contexts.includes(context))
      return { issues: fail(['context'], 'is not a context of the kubeconfig', contexts) };
    kc.setCurrentContext(context);
  }
  const current = kc.getContextObject(kc.getCurrentContext());
  if (!current)
    return {
      issues: fail(
        context !== undefined ? ['context'] : ['kubeconfig'],
        'names no current context: set current-context or pass `context`',
        contexts,
      ),
    };
  const cluster = kc.getCurrentCluster();
  if (!cluster || typeof cluster.server !== 'string' || !URL.canParse(cluster.server))
    return {
      issues: fail(['kubeconfig'], `context "${current.name}" needs a cluster with a server URL`),
    };
  if (new URL(cluster.server).protocol === 'http:' && !cluster.skipTLSVerify)
    return {
      issues: fail(
        ['kubeconfig'],
        `cluster "${cluster.name}" is served over plain http, which client-node only accepts with skipTLSVerify (insecure-skip-tls-verify) set`,
      ),
    };
  return { kubeConfig: kc, issues: [] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
