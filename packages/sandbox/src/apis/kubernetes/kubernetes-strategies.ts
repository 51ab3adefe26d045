import { configMapStrategy, secretStrategy } from './kubernetes-config-data.js';
import { deploymentStrategy } from './kubernetes-deployments.js';
import { hpaStrategy } from './kubernetes-hpas.js';
import type { KindStrategy } from './kubernetes-kind-strategy.js';
import { namespaceStrategy } from './kubernetes-namespaces.js';
import { serviceStrategy } from './kubernetes-services.js';

/** Every served kind's behaviour, keyed by kind; namespaces first so `settle` seeds them before the rest. */
export const KIND_STRATEGIES: Record<string, KindStrategy> = {
  Namespace: namespaceStrategy,
  Service: serviceStrategy,
  ConfigMap: configMapStrategy,
  Secret: secretStrategy,
  Deployment: deploymentStrategy,
  HorizontalPodAutoscaler: hpaStrategy,
};
