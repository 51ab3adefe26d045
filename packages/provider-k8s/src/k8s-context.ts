import type { AppsV1Api, AutoscalingV2Api, CoreV1Api } from '@kubernetes/client-node';

/** What every resource type of the provider shares: API clients and waiting settings. */
export interface K8sContext {
  core: CoreV1Api;
  apps: AppsV1Api;
  autoscaling: AutoscalingV2Api;
  /** `fieldManager` sent with every write, so managedFields name Patchbay. */
  fieldManager: string;
  /**
   * Namespace to look in for a resource with neither physicalId nor a known `namespace` identity;
   * undefined: the environment's name.
   */
  namespace?: string;
  pollIntervalMs: number;
  waitTimeoutMs: number;
}
