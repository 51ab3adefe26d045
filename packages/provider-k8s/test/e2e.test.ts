import {
  type AppInput,
  createEngine,
  desiredResources,
  type Engine,
  type EnvironmentInput,
  MemoryStore,
  type Plan,
  type PlannedAction,
  parseApp,
  parseEnvironment,
  planAllocation,
  type ResourceSpec,
  renderPlan,
} from '@patchbay/core';
import { k8s } from '@patchbay/provider-k8s';
import { kubeconfigFor, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// End to end on an existing cluster: parse → planAllocation → desiredResources → engine plan/apply with
// k8s() against the sandbox's API server. The provider is built from the environment's own inline
// kubeconfig, as a user would wire it. The app has no database, so no database provider is needed.

const ENV = 'shop';
const NS = 'shop-apps';

const app: AppInput = {
  name: 'shop',
  services: [
    { name: 'gateway', public: true, calls: ['catalog', 'cart'], image: 'registry.example.com/shop:1' },
    { name: 'catalog', image: 'registry.example.com/shop:1' },
    { name: 'cart', calls: ['catalog'], image: 'registry.example.com/shop:1' },
  ],
};

let sandbox: Sandbox;
let engine: Engine;

function environment(change: { cpu?: number; maxInstances?: number } = {}): EnvironmentInput {
  return {
    name: ENV,
    cloud: { provider: 'aws', region: 'us-east-1' },
    compute: {
      kind: 'kubernetes',
      cluster: { mode: 'existing', kubeconfig: { inline: kubeconfigFor(sandbox).yaml }, namespace: NS },
    },
    sizing: { cpu: change.cpu ?? 0.5, memory: 1024, minInstances: 2, maxInstances: change.maxInstances ?? 4 },
    allocation: { strategy: 'per-service' },
  };
}

function desired(change: Parameters<typeof environment>[0] = {}): ResourceSpec[] {
  const env = parseEnvironment(environment(change));
  const parsed = parseApp(app);
  return desiredResources(env, parsed, planAllocation(parsed, env));
}

const calls = () => Object.fromEntries(Object.entries(sandbox.counters.snapshot()).filter(([, n]) => n > 0));
const writes = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).filter(([k]) => /\.(create|patch|replace|delete)/.test(k)));
const actionOf = (plan: Plan, id: string): PlannedAction => {
  const action = plan.actions.find((a) => a.id === id);
  if (!action) throw new Error(`no action for ${id}`);
  return action;
};
// biome-ignore lint/suspicious/noExplicitAny: sandbox records are untyped wire objects
type Wire = any;
const deployment = (name: string): Wire =>
  sandbox.console.get('kubernetes', 'deployment', `${NS}/${name}`)!.data;

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 5 });
  const env = parseEnvironment(environment());
  if (env.compute.kind !== 'kubernetes' || env.compute.cluster.mode !== 'existing')
    throw new Error('unexpected');
  const kubeconfig = env.compute.cluster.kubeconfig;
  if (!kubeconfig || !('inline' in kubeconfig)) throw new Error('expected an inline kubeconfig');
  engine = createEngine({
    environment: ENV,
    // No `namespace` option: the specs' `namespace` (compute.cluster.namespace) reaches the provider in
    // ref.identity, so it need not be repeated here although it is not the environment's name.
    providers: [k8s({ kubeconfig: { yaml: kubeconfig.inline }, pollIntervalMs: 2 })],
    store: new MemoryStore(),
    retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 100 },
  });
});
afterAll(() => sandbox?.close());

describe('an existing cluster, end to end', () => {
  it('first apply creates the namespace and, per unit, a deployment, a service and an HPA', async () => {
    const specs = desired();
    expect(specs.map((s) => s.type).sort()).toEqual([
      ...Array(3).fill('k8s.deployment'),
      ...Array(3).fill('k8s.hpa'),
      'k8s.namespace',
      ...Array(3).fill('k8s.service'),
    ]);
    const plan = await engine.plan(specs);
    expect(plan.actions.every((a) => a.kind === 'create')).toBe(true);
    const result = await engine.apply(plan);
    expect(result.ok).toBe(true);
    expect(deployment('gateway').status.availableReplicas).toBe(2);
    const gateway = sandbox.console.get('kubernetes', 'service', `${NS}/gateway`)!.data as {
      spec: { type: string };
    };
    expect(gateway.spec.type).toBe('LoadBalancer');

    sandbox.counters.reset();
    const again = await engine.plan(desired());
    expect(again.reads).toBe(0);
    expect(again.actions.every((a) => a.kind === 'noop')).toBe(true);
    // A refresh reads everything and finds it as applied (normalization: quantities, defaults, order).
    const drift = await engine.refresh();
    expect(drift.resources.filter((r) => r.status !== 'in-sync')).toEqual([]);
  });

  it('a console edit is kept; a cpu change patches only cpu, one write per deployment', async () => {
    // A person pins the cart image in the console; wait out the rollout the edit started.
    const [container] = deployment('cart').spec.template.spec.containers;
    sandbox.console.edit('kubernetes', 'deployment', `${NS}/cart`, {
      spec: {
        template: { spec: { containers: [{ ...container, image: 'registry.example.com/shop:hotfix' }] } },
      },
    });
    for (;;) {
      await engine.refresh();
      const { metadata, status } = deployment('cart');
      if (status.observedGeneration === metadata.generation && status.updatedReplicas === 2) break;
    }

    sandbox.counters.reset();
    const plan = await engine.plan(desired({ cpu: 1 }));
    const planCalls = calls();
    // Only the three deployments are read: they are the only resources whose desired attributes moved.
    expect(planCalls).toEqual({ 'kubernetes.readNamespacedDeployment': 3 });
    const cart = actionOf(plan, 'compute/cart');
    expect(cart.kind).toBe('update');
    expect(cart.attributes.find((a) => a.attribute === 'cpu')?.case).toBe('patch');
    // D = L for the image and O moved: the console's value is drift, kept and reported, never written.
    expect(cart.attributes.find((a) => a.attribute === 'image')?.case).toBe('drift-kept');
    expect(renderPlan(plan)).toContain('cpu: 0.5 → 1');

    sandbox.counters.reset();
    const result = await engine.apply(plan);
    expect(result.ok).toBe(true);
    expect(writes(calls())).toEqual({ 'kubernetes.patchNamespacedDeployment': 3 });
    expect(deployment('cart').spec.template.spec.containers[0]).toMatchObject({
      image: 'registry.example.com/shop:hotfix',
      resources: { requests: { cpu: '1', memory: '1024Mi' } },
    });

    sandbox.counters.reset();
    const after = await engine.plan(desired({ cpu: 1 }));
    expect(after.reads).toBe(0);
    expect(after.actions.every((a) => a.kind === 'noop')).toBe(true);
    // refresh reports the console's image as drift from what Patchbay last applied, and never writes.
    const drift = await engine.refresh();
    expect(drift.resources.filter((r) => r.status === 'drifted').map((r) => r.id)).toEqual(['compute/cart']);
    expect(writes(calls())).toEqual({});
  });

  it('raising max instances patches only the HPAs', async () => {
    sandbox.counters.reset();
    const plan = await engine.plan(desired({ cpu: 1, maxInstances: 6 }));
    const hpa = actionOf(plan, 'compute/gateway/hpa');
    expect(hpa.attributes.filter((a) => a.case === 'patch').map((a) => a.attribute)).toEqual(['maxReplicas']);
    const result = await engine.apply(plan);
    expect(result.ok).toBe(true);
    expect(writes(calls())).toEqual({ 'kubernetes.patchNamespacedHorizontalPodAutoscaler': 3 });
    const after = await engine.plan(desired({ cpu: 1, maxInstances: 6 }));
    expect(after.reads).toBe(0);
  });
});
