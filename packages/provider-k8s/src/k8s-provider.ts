import { AppsV1Api, AutoscalingV2Api, CoreV1Api } from '@kubernetes/client-node';
import { type Provider, ValidationError, type ValidationIssue } from '@patchbay/core';
import { classifyK8sError } from './classify-k8s-error.js';
import type { K8sContext } from './k8s-context.js';
import { k8sDeployment } from './k8s-deployment.js';
import { k8sHpa } from './k8s-hpa.js';
import { k8sNamespace } from './k8s-namespace.js';
import { k8sService } from './k8s-service.js';
import { type K8sKubeconfig, loadKubeconfig } from './load-kubeconfig.js';

/** Options of the Kubernetes provider. */
export interface K8sOptions {
  /**
   * The cluster and credentials. Exec-based users (EKS `aws eks get-token`, GKE `gke-gcloud-auth-plugin`)
   * work as in kubectl: a short-lived token is minted per call, none is stored.
   * @example { path: `${homedir()}/.kube/config` }
   * @example { yaml: eksClusterOutputs.kubeconfig }
   * @example { options: kubeconfigFor(sandbox).options }
   */
  kubeconfig: K8sKubeconfig;
  /**
   * kubeconfig context to use.
   * @default the kubeconfig's current context
   */
  context?: string;
  /**
   * Fallback namespace for looking up a namespaced resource that has no physicalId yet (before its first
   * create, or to adopt it) and whose spec sets no `namespace`. A spec's `namespace` attribute wins: the
   * engine passes it in `ref.identity` (the types declare `identity: ['namespace']`), so specs from
   * `desiredResources` (which set `compute.cluster.namespace`) need nothing here. Once created, the
   * physicalId (`namespace/name`) is used.
   * @default the environment's name, as `desiredResources` defaults `compute.cluster.namespace`
   * @example 'team-a'
   */
  namespace?: string;
  /**
   * Field manager recorded in `managedFields` for every write.
   * @default 'patchbay'
   */
  fieldManager?: string;
  /**
   * Interval between status polls while waiting (rollouts, deletions).
   * @default 2000 (ms)
   */
  pollIntervalMs?: number;
  /**
   * Longest wait for a rollout or a deletion, in ms; then a `transient` ProviderError.
   * @default 600000 (10 minutes, a Deployment's default progressDeadlineSeconds)
   */
  waitTimeoutMs?: number;
}

const NAMESPACE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The Kubernetes provider: Namespaces, Deployments, Services and HorizontalPodAutoscalers on any cluster
 * (a new EKS/GKE cluster or an existing one), with `resourceVersion` compare-and-set on every write.
 *
 * @example
 * const provider = k8s({ kubeconfig: { path: '/home/me/.kube/config' }, context: 'prod' });
 * const local = k8s({ kubeconfig: { options: kubeconfigFor(sandbox).options } });
 */
export const k8s = (options: K8sOptions): Provider => {
  const { kubeConfig, issues } = validateOptions(options);
  if (!kubeConfig || issues.length > 0) throw new ValidationError('k8s() options', issues);
  const ctx: K8sContext = {
    core: kubeConfig.makeApiClient(CoreV1Api),
    apps: kubeConfig.makeApiClient(AppsV1Api),
    autoscaling: kubeConfig.makeApiClient(AutoscalingV2Api),
    fieldManager: options.fieldManager ?? 'patchbay',
    namespace: options.namespace,
    pollIntervalMs: options.pollIntervalMs ?? 2000,
    waitTimeoutMs: options.waitTimeoutMs ?? 600_000,
  };
  return {
    name: 'k8s',
    types: {
      'k8s.namespace': k8sNamespace(ctx),
      'k8s.deployment': k8sDeployment(ctx),
      'k8s.service': k8sService(ctx),
      'k8s.hpa': k8sHpa(ctx),
    },
    // The API server has no published rate: API priority and fairness gives a default user ~49 concurrent
    // seats (see the sandbox's Kubernetes docs). Stay well inside them, leaving room for controllers and kubectl.
    limits: {
      default: { concurrency: 16 },
      k8s: { concurrency: 16, ratePerSecond: 40 },
    },
    classifyError: classifyK8sError,
  };
};

function validateOptions(options: K8sOptions): ReturnType<typeof loadKubeconfig> {
  const issues: ValidationIssue[] = [];
  if (typeof options !== 'object' || options === null)
    return { issues: [{ path: [], message: 'must be an object', allowed: '{ kubeconfig, context?, … }' }] };
  if (options.context !== undefined && (typeof options.context !== 'string' || options.context === ''))
    issues.push({
      path: ['context'],
      message: 'must be a non-empty context name',
      received: options.context,
    });
  if (
    options.namespace !== undefined &&
    (typeof options.namespace !== 'string' || !NAMESPACE.test(options.namespace))
  )
    issues.push({
      path: ['namespace'],
      message: 'must be a Kubernetes namespace name',
      received: options.namespace,
      allowed: '1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit',
    });
  const fm = options.fieldManager;
  if (fm !== undefined && (typeof fm !== 'string' || fm.length === 0 || fm.length > 128))
    issues.push({ path: ['fieldManager'], message: 'must be 1-128 characters', received: fm });
  if (
    options.pollIntervalMs !== undefined &&
    !(Number.isFinite(options.pollIntervalMs) && options.pollIntervalMs >= 0)
  )
    issues.push({
      path: ['pollIntervalMs'],
      message: 'must be a number of ms ≥ 0',
      received: options.pollIntervalMs,
    });
  if (
    options.waitTimeoutMs !== undefined &&
    !(Number.isFinite(options.waitTimeoutMs) && options.waitTimeoutMs > 0)
  )
    issues.push({
      path: ['waitTimeoutMs'],
      message: 'must be a number of ms > 0',
      received: options.waitTimeoutMs,
    });
  const loaded = loadKubeconfig(
    options.kubeconfig,
    issues.some((i) => i.path[0] === 'context') ? undefined : options.context,
  );
  return { kubeConfig: loaded.kubeConfig, issues: [...issues, ...loaded.issues] };
}
