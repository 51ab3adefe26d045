import type { Observed, ResourceSpec } from '@patchbay/core';
import { k8s } from '@patchbay/provider-k8s';
import { kubeconfigFor, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { type ResourceFixture, testProvider } from '@patchbay/testkit';

// The Patchbay conformance suite for all four Kubernetes types against the sandbox's API server, through
// the real @kubernetes/client-node client. Namespaced resources live in `conformance` (their `namespace`
// attribute, which reaches the provider in ref.identity, so adopt and retain find them by name with no
// `namespace` option); the immutable check moves them to `conformance-b`.

const NS = 'conformance';
const OTHER_NS = 'conformance-b';

// biome-ignore lint/suspicious/noExplicitAny: sandbox records are untyped wire objects
type Data = Record<string, any>;
const data = (sandbox: Sandbox, kind: string, id: string): Data => {
  const found = sandbox.console.get('kubernetes', kind, id);
  if (!found) throw new Error(`sandbox has no ${kind} ${id}`);
  return found.data as Data;
};

function editContainer(sandbox: Sandbox, observed: Observed, change: Record<string, unknown>): void {
  const [first, ...rest] = data(sandbox, 'deployment', observed.physicalId).spec.template.spec.containers;
  sandbox.console.edit('kubernetes', 'deployment', observed.physicalId, {
    spec: { template: { spec: { containers: [{ ...first, ...change }, ...rest] } } },
  });
}

const writes = (kind: string) =>
  ['create', 'patch', 'replace', 'delete'].map((verb) =>
    kind === 'Namespace' ? `${verb}Namespace` : `${verb}Namespaced${kind}`,
  );

const namespace: ResourceFixture = {
  spec: (name): ResourceSpec => ({
    id: 'k8s/namespace',
    type: 'k8s.namespace',
    name,
    attributes: { labels: { team: 'web' } },
  }),
  patch: { attribute: 'labels', value: { team: 'data' } },
  conflict: {
    edit: (sandbox, observed) =>
      void sandbox.console.tag('kubernetes', 'namespace', observed.physicalId, 'team', 'ops'),
  },
  // Namespaces own only `labels`: the out-of-band edit is a console-added key the patch does not change.
  outOfBand: {
    attribute: 'labels.note',
    edit: (sandbox, observed) =>
      void sandbox.console.tag('kubernetes', 'namespace', observed.physicalId, 'note', 'by-hand'),
  },
  counters: { api: 'kubernetes', writeOperations: writes('Namespace') },
  capabilities: { delete: true, adopt: true, throttling: true },
};

const deployment: ResourceFixture = {
  spec: (name): ResourceSpec => ({
    id: 'compute/web',
    type: 'k8s.deployment',
    name,
    attributes: {
      namespace: NS,
      image: 'registry.example.com/web:1',
      replicas: 2,
      cpu: '250m',
      memory: '0.5Gi',
      port: 8080,
      environment: { LOG_LEVEL: 'info', A: '1' },
      labels: { team: 'web' },
    },
  }),
  patch: { attribute: 'image', value: 'registry.example.com/web:2' },
  conflict: {
    edit: (sandbox, observed) => editContainer(sandbox, observed, { image: 'registry.example.com/web:9' }),
  },
  outOfBand: {
    attribute: 'replicas',
    edit: (sandbox, observed) =>
      void sandbox.console.edit('kubernetes', 'deployment', observed.physicalId, { spec: { replicas: 4 } }),
  },
  immutable: { attribute: 'namespace', value: OTHER_NS },
  counters: { api: 'kubernetes', writeOperations: writes('Deployment') },
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
};

const service: ResourceFixture = {
  spec: (name): ResourceSpec => ({
    id: 'compute/web/service',
    type: 'k8s.service',
    name,
    attributes: {
      namespace: NS,
      port: 80,
      targetPort: '8080',
      serviceType: 'ClusterIP',
      selector: { app: name },
      labels: { team: 'web' },
    },
  }),
  patch: { attribute: 'serviceType', value: 'NodePort' },
  conflict: {
    edit: (sandbox, observed) =>
      void sandbox.console.edit('kubernetes', 'service', observed.physicalId, {
        spec: { type: 'LoadBalancer' },
      }),
  },
  outOfBand: {
    attribute: 'port',
    edit: (sandbox, observed) => {
      const [first] = data(sandbox, 'service', observed.physicalId).spec.ports;
      sandbox.console.edit('kubernetes', 'service', observed.physicalId, {
        spec: { ports: [{ ...first, port: 90 }] },
      });
    },
  },
  immutable: { attribute: 'namespace', value: OTHER_NS },
  counters: { api: 'kubernetes', writeOperations: writes('Service') },
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
};

const hpa: ResourceFixture = {
  spec: (name): ResourceSpec => ({
    id: 'compute/web/hpa',
    type: 'k8s.hpa',
    name,
    attributes: {
      namespace: NS,
      deployment: name,
      minReplicas: 2,
      maxReplicas: 5,
      targetCpuUtilization: 70,
      labels: { team: 'web' },
    },
  }),
  patch: { attribute: 'maxReplicas', value: 6 },
  conflict: {
    edit: (sandbox, observed) =>
      void sandbox.console.edit('kubernetes', 'horizontalpodautoscaler', observed.physicalId, {
        spec: { maxReplicas: 9 },
      }),
  },
  outOfBand: {
    attribute: 'minReplicas',
    edit: (sandbox, observed) =>
      void sandbox.console.edit('kubernetes', 'horizontalpodautoscaler', observed.physicalId, {
        spec: { minReplicas: 3 },
      }),
  },
  immutable: { attribute: 'namespace', value: OTHER_NS },
  counters: { api: 'kubernetes', writeOperations: writes('HorizontalPodAutoscaler') },
  capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
};

testProvider({
  name: 'k8s provider conformance',
  sandbox: async () => {
    const sandbox = await startSandbox({ operationDelayMs: 5 });
    // The namespaces the fixtures live in exist before the suite, as on a real cluster.
    const setup = k8s({ kubeconfig: { options: kubeconfigFor(sandbox).options } }).types['k8s.namespace']!;
    for (const name of [NS, OTHER_NS])
      await setup.create(
        {
          ref: { id: `ns/${name}`, type: 'k8s.namespace', name, environment: 'setup' },
          attributes: { labels: {} },
          idempotencyToken: name,
        },
        { signal: new AbortController().signal, progress: () => {} },
      );
    return sandbox;
  },
  provider: (sandbox) => k8s({ kubeconfig: { options: kubeconfigFor(sandbox).options }, pollIntervalMs: 2 }),
  fixtures: [namespace, deployment, service, hpa],
});
