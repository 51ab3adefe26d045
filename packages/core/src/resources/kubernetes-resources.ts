import type { Allocation } from '../allocation/allocation.js';
import { namespaceOf } from '../allocation/unit-base-url.js';
import type { Environment } from '../model/index.js';
import { gcpLabels } from './ownership-labels.js';
import type { ResourceSpec } from './resource-spec.js';
import { databaseSecrets, unitEnvironment, withSecrets } from './unit-environment.js';

/** Target CPU utilization of the horizontal autoscalers, in percent. */
export const HPA_TARGET_CPU = 70;

/**
 * Workloads on Kubernetes: the namespace, and per unit a Deployment, a Service (named after the unit, so
 * `unitBaseUrl` resolves) and, when it may scale out, a HorizontalPodAutoscaler. On a new cluster they wait
 * for its nodes.
 */
export function kubernetesResources(
  env: Environment,
  allocation: Allocation,
  image: (unit: string) => string,
): ResourceSpec[] {
  if (env.compute.kind !== 'kubernetes') return [];
  const cluster = env.compute.cluster;
  const namespace = namespaceOf(env);
  const clusterDeps =
    cluster.mode === 'new'
      ? cluster.platform === 'eks'
        ? ['instanceType' in cluster.nodes ? 'cluster/eks/nodes' : 'cluster/eks']
        : ['machineType' in cluster.nodes ? 'cluster/gke/nodes' : 'cluster/gke']
      : [];
  const specs: ResourceSpec[] = [
    {
      id: 'k8s/namespace',
      type: 'k8s.namespace',
      name: namespace,
      attributes: { labels: gcpLabels(env.name, 'k8s/namespace') },
      ...(clusterDeps.length ? { dependsOn: clusterDeps } : {}),
      // The namespace holds everything else: never deleted by accident.
      policy: { deletion: 'retain' },
    },
  ];
  for (const unit of allocation.units) {
    const id = `compute/${unit.name}`;
    const scales = unit.sizing.maxInstances > unit.sizing.minInstances;
    specs.push({
      id,
      type: 'k8s.deployment',
      name: unit.name,
      attributes: {
        namespace,
        image: image(unit.name),
        replicas: unit.sizing.minInstances,
        cpu: unit.sizing.cpu,
        memory: unit.sizing.memory,
        port: unit.port,
        environment: unitEnvironment(env, unit),
        ...withSecrets(databaseSecrets(env, unit)),
        labels: gcpLabels(env.name, id),
      },
      dependsOn: ['k8s/namespace'],
      // With an autoscaler, replicas belong to it after creation.
      policy: { createOnly: scales ? ['namespace', 'replicas'] : ['namespace'] },
    });
    specs.push({
      id: `${id}/service`,
      type: 'k8s.service',
      name: unit.name,
      attributes: {
        namespace,
        port: unit.port,
        targetPort: unit.port,
        serviceType: unit.gateway ? 'LoadBalancer' : 'ClusterIP',
        selector: { app: unit.name },
        labels: gcpLabels(env.name, `${id}/service`),
      },
      dependsOn: ['k8s/namespace'],
      policy: { createOnly: ['namespace'] },
    });
    if (scales) {
      specs.push({
        id: `${id}/hpa`,
        type: 'k8s.hpa',
        name: unit.name,
        attributes: {
          namespace,
          deployment: unit.name,
          minReplicas: Math.max(1, unit.sizing.minInstances),
          maxReplicas: unit.sizing.maxInstances,
          targetCpuUtilization: HPA_TARGET_CPU,
          labels: gcpLabels(env.name, `${id}/hpa`),
        },
        dependsOn: [id],
        policy: { createOnly: ['namespace'] },
      });
    }
  }
  return specs;
}
