/** @module @patchbay/provider-k8s — Patchbay provider for Kubernetes workloads on any cluster: new (EKS/GKE) or existing. */
export { classifyK8sError, type K8sStatus, k8sStatus, k8sStatusCode } from './classify-k8s-error.js';
export { type K8sOptions, k8s } from './k8s-provider.js';
export type { K8sKubeconfig, KubeConfigOptions } from './load-kubeconfig.js';
export { OWNERSHIP_LABEL_KEYS, ownershipLabels } from './ownership-labels.js';
export {
  cpuFromQuantity,
  cpuQuantity,
  memoryFromQuantity,
  memoryQuantity,
  parseQuantity,
} from './resource-quantity.js';
