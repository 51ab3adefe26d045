import { stringify } from 'yaml';

/** Options of {@link kubeconfigFor}. */
export interface KubeconfigForOptions {
  /** Namespace of the context (the client's default for namespaced calls). @default 'default' */
  namespace?: string;
  /** Name used for the cluster, user and context entries. @default 'sandbox' */
  name?: string;
}

/** A kubeconfig for a sandbox, in both forms `@kubernetes/client-node`'s `KubeConfig` loads. */
export interface SandboxKubeconfig {
  /** For `kc.loadFromOptions(options)`. */
  options: {
    clusters: { name: string; server: string; skipTLSVerify: boolean }[];
    users: { name: string; token: string }[];
    contexts: { name: string; cluster: string; user: string; namespace: string }[];
    currentContext: string;
  };
  /** The same as kubeconfig YAML, for `kc.loadFromString(yaml)` or a `KUBECONFIG` file. */
  yaml: string;
}

/**
 * A kubeconfig pointing at a sandbox's Kubernetes API (plain http, so `skipTLSVerify` is set, which
 * `@kubernetes/client-node` requires for an `http:` server).
 *
 * @example
 * const kc = new KubeConfig();
 * kc.loadFromOptions(kubeconfigFor(sandbox, { namespace: 'prod' }).options);
 * const apps = kc.makeApiClient(AppsV1Api);
 */
export function kubeconfigFor(
  sandbox: { url: string },
  options: KubeconfigForOptions = {},
): SandboxKubeconfig {
  const name = options.name ?? 'sandbox';
  const namespace = options.namespace ?? 'default';
  // The sandbox checks no credentials; a token makes clients that insist on auth happy.
  const token = 'sandbox';
  const config = {
    clusters: [{ name, server: sandbox.url, skipTLSVerify: true }],
    users: [{ name, token }],
    contexts: [{ name, cluster: name, user: name, namespace }],
    currentContext: name,
  };
  const yaml = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: sandbox.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace } }],
    'current-context': name,
  });
  return { options: config, yaml };
}
