import {
  ConflictError,
  type Provider,
  ProviderError,
  type ResourceRef,
  ValidationError,
} from '@patchbay/core';
import { k8s } from '@patchbay/provider-k8s';
import { kubeconfigFor, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callContext } from './call-context.js';

const ENV = 'unit';
const NS = 'unit';
let sandbox: Sandbox;
let provider: Provider;
const ctx = callContext();
const type = (name: string) => provider.types[name]!;
const ref = (id: string, t: string, name: string, physicalId?: string): ResourceRef => ({
  id,
  type: t,
  name,
  environment: ENV,
  ...(physicalId ? { physicalId } : {}),
});
const writes = () =>
  ['patch', 'create', 'replace', 'delete'].reduce(
    (sum, verb) =>
      sum +
      Object.entries(sandbox.counters.snapshot())
        .filter(([k]) => k.startsWith(`kubernetes.${verb}`))
        .reduce((s, [, n]) => s + n, 0),
    0,
  );
// biome-ignore lint/suspicious/noExplicitAny: sandbox records are untyped wire objects
type Stored = { data: Record<string, any> };
const stored = (kind: string, id: string) => sandbox.console.get('kubernetes', kind, id) as Stored;
/** Wait until the sandbox's deployment controller has finished the rollout a console edit started. */
async function rolledOut(id: string): Promise<void> {
  for (;;) {
    await type('k8s.deployment').observe(ref('compute/api', 'k8s.deployment', 'api', id), ctx);
    const { metadata, spec, status } = stored('deployment', id).data;
    if (
      status?.observedGeneration === metadata.generation &&
      (status?.updatedReplicas ?? 0) === spec.replicas
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 5 });
  provider = k8s({ kubeconfig: { options: kubeconfigFor(sandbox).options }, pollIntervalMs: 2 });
  await type('k8s.namespace').create(
    {
      ref: ref('k8s/namespace', 'k8s.namespace', NS),
      attributes: { labels: { team: 'a' } },
      idempotencyToken: 't',
    },
    ctx,
  );
});
afterAll(() => sandbox?.close());
beforeEach(() => sandbox.counters.reset());

const deploymentAttributes = {
  namespace: NS,
  image: 'registry.example.com/api:1',
  replicas: 2,
  cpu: 0.5,
  memory: 512,
  port: 8080,
  environment: { B: '2', A: '1' },
  labels: { 'patchbay-environment': ENV, 'patchbay-logical-id': 'compute_api' },
};

describe('options', () => {
  it('rejects bad options with every issue, before any call', () => {
    const bad = () =>
      k8s({
        kubeconfig: { options: kubeconfigFor(sandbox).options },
        context: 'nope',
        namespace: 'Not_A_Namespace',
        pollIntervalMs: -1,
        waitTimeoutMs: 0,
        fieldManager: '',
      });
    expect(bad).toThrow(ValidationError);
    try {
      bad();
    } catch (e) {
      const paths = (e as ValidationError).issues.map((i) => i.path.join('.'));
      expect(paths.sort()).toEqual([
        'context',
        'fieldManager',
        'namespace',
        'pollIntervalMs',
        'waitTimeoutMs',
      ]);
      expect((e as ValidationError).issues.find((i) => i.path[0] === 'context')?.allowed).toEqual([
        'sandbox',
      ]);
    }
    expect(sandbox.counters.total('kubernetes')).toBe(0);
  });

  it('rejects a missing or unparsable kubeconfig without echoing it', () => {
    expect(() => k8s({} as never)).toThrow(/kubeconfig: must say where the kubeconfig comes from/);
    const secretYaml = 'apiVersion: v1\nusers:\n  - name: u\n    user: { token: "s3cr3t-token" }\n  : : :';
    try {
      k8s({ kubeconfig: { yaml: secretYaml } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect(String((e as Error).message)).not.toContain('s3cr3t');
      expect(JSON.stringify((e as ValidationError).issues)).not.toContain('s3cr3t');
    }
    expect(() => k8s({ kubeconfig: { path: '/nonexistent/kubeconfig' } })).toThrow(
      /cannot be read \(ENOENT\)/,
    );
  });

  it('accepts an exec-based kubeconfig (the shape of the aws.eks.cluster `kubeconfig` output) without calling anything', () => {
    const yaml = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '  - name: "prod"',
      '    cluster: { server: "https://ABC.gr7.eu-west-1.eks.amazonaws.com", certificate-authority-data: "TFMwdExTMUNSVWRK" }',
      'contexts:',
      '  - name: "prod"',
      '    context: { cluster: "prod", user: "prod" }',
      'current-context: "prod"',
      'users:',
      '  - name: "prod"',
      '    user:',
      '      exec:',
      '        apiVersion: "client.authentication.k8s.io/v1beta1"',
      '        command: "aws"',
      '        args: ["eks", "get-token", "--cluster-name", "prod", "--region", "eu-west-1"]',
      '',
    ].join('\n');
    const provider = k8s({ kubeconfig: { yaml } });
    expect(Object.keys(provider.types)).toHaveLength(4);
  });

  it('loads the same cluster from YAML, from options and from a KubeConfig', async () => {
    const fromYaml = k8s({ kubeconfig: { yaml: kubeconfigFor(sandbox).yaml } });
    const observed = await fromYaml.types['k8s.namespace']!.observe(
      ref('k8s/namespace', 'k8s.namespace', NS),
      ctx,
    );
    expect(observed?.attributes.labels).toMatchObject({ team: 'a' });
  });
});

describe('k8s.namespace', () => {
  it('stamps ownership labels, hides the server label, patches one label key with resourceVersion', async () => {
    const t = type('k8s.namespace');
    const r = ref('k8s/namespace', 'k8s.namespace', NS);
    const observed = (await t.observe(r, ctx))!;
    expect(observed.attributes.labels).toEqual({
      team: 'a',
      'patchbay-environment': 'unit',
      'patchbay-logical-id': 'k8s_namespace',
    });
    sandbox.console.tag('kubernetes', 'namespace', NS, 'console', 'kept');
    const stale = observed.version!;
    await expect(
      t.patch(
        r,
        [{ attribute: 'labels.team', from: 'a', to: 'b' }],
        { kind: 'version', version: stale },
        ctx,
      ),
    ).resolves.toBeDefined();
    const labels = stored('namespace', NS).data.metadata.labels;
    expect(labels).toMatchObject({ team: 'b', console: 'kept' });
  });
});

describe('k8s.deployment', () => {
  const r = ref('compute/api', 'k8s.deployment', 'api');
  it('creates, waits until available, and observes what it wrote (normalized)', async () => {
    const t = type('k8s.deployment');
    const messages = callContext();
    const created = await t.create(
      { ref: r, attributes: deploymentAttributes, idempotencyToken: 'x' },
      messages,
    );
    expect(created.physicalId).toBe(`${NS}/api`);
    expect(messages.messages.some((m) => m.includes('2/2 replicas available'))).toBe(true);
    const observed = (await t.observe(r, ctx))!;
    expect(observed.attributes).toEqual({ ...deploymentAttributes, environment: { A: '1', B: '2' } });
    const data = stored('deployment', `${NS}/api`).data;
    expect(data.status.conditions.find((c: { type: string }) => c.type === 'Available').status).toBe('True');
    expect(data.spec.selector).toEqual({ matchLabels: { app: 'api' } });
  });

  it('normalizes quantities: 0.5Gi is 512, 500m is 0.5', async () => {
    const t = type('k8s.deployment');
    expect(t.normalize!('memory', '0.5Gi')).toBe(512);
    expect(t.normalize!('memory', 512)).toBe(512);
    expect(t.normalize!('cpu', '500m')).toBe(0.5);
    expect(t.normalize!('cpu', '0.5')).toBe(0.5);
    const data = stored('deployment', `${NS}/api`).data;
    const container = data.spec.template.spec.containers[0];
    sandbox.console.edit('kubernetes', 'deployment', `${NS}/api`, {
      spec: {
        template: {
          spec: { containers: [{ ...container, resources: { requests: { cpu: '0.5', memory: '0.5Gi' } } }] },
        },
      },
    });
    const observed = (await t.observe(r, ctx))!;
    expect(observed.attributes.cpu).toBe(0.5);
    expect(observed.attributes.memory).toBe(512);
  });

  it('patches only the changed field, keeps a console edit of another, and waits for the rollout', async () => {
    const t = type('k8s.deployment');
    const id = `${NS}/api`;
    // Console: scale to 5 and add a liveness probe to the container.
    const container = stored('deployment', id).data.spec.template.spec.containers[0];
    sandbox.console.edit('kubernetes', 'deployment', id, {
      spec: {
        replicas: 5,
        template: {
          spec: {
            containers: [{ ...container, livenessProbe: { httpGet: { path: '/healthz', port: 8080 } } }],
          },
        },
      },
    });
    await rolledOut(id);
    const observed = (await t.observe(r, ctx))!;
    sandbox.counters.reset();
    await t.patch(
      r,
      [
        { attribute: 'image', from: deploymentAttributes.image, to: 'registry.example.com/api:2' },
        { attribute: 'environment', from: { A: '1', B: '2' }, to: { A: '1', C: '3' } },
      ],
      { kind: 'version', version: observed.version! },
      ctx,
    );
    expect(sandbox.counters.get('kubernetes', 'patchNamespacedDeployment')).toBe(1);
    expect(writes()).toBe(1);
    const after = stored('deployment', id).data;
    expect(after.spec.replicas).toBe(5);
    const c = after.spec.template.spec.containers[0];
    expect(c.image).toBe('registry.example.com/api:2');
    expect(c.livenessProbe).toEqual(
      expect.objectContaining({ httpGet: expect.objectContaining({ path: '/healthz' }) }),
    );
    expect(c.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'C', value: '3' },
    ]);
    expect(after.status.updatedReplicas).toBe(5);
  });

  it('a stale resourceVersion with the attribute changed in the console is a ConflictError; nothing is overwritten', async () => {
    const t = type('k8s.deployment');
    const id = `${NS}/api`;
    const observed = (await t.observe(r, ctx))!;
    const container = stored('deployment', id).data.spec.template.spec.containers[0];
    sandbox.console.edit('kubernetes', 'deployment', id, {
      spec: {
        template: { spec: { containers: [{ ...container, image: 'registry.example.com/api:console' }] } },
      },
    });
    sandbox.counters.reset();
    const error = await t
      .patch(
        r,
        [{ attribute: 'image', from: 'registry.example.com/api:2', to: 'registry.example.com/api:3' }],
        { kind: 'version', version: observed.version! },
        ctx,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ attribute: 'image', actual: 'registry.example.com/api:console' });
    expect(provider.classifyError!(error)).toBe('conflict');
    // One refused write (409), one re-read, no second write.
    expect(sandbox.counters.get('kubernetes', 'patchNamespacedDeployment')).toBe(1);
    expect(stored('deployment', id).data.spec.template.spec.containers[0].image).toBe(
      'registry.example.com/api:console',
    );
  });

  it('a 409 caused only by other fields (status, replicas) re-checks and re-sends the same minimal patch', async () => {
    const t = type('k8s.deployment');
    const id = `${NS}/api`;
    await rolledOut(id);
    const observed = (await t.observe(r, ctx))!;
    sandbox.console.edit('kubernetes', 'deployment', id, { spec: { replicas: 3 } });
    // Let the scale's status updates land too, so the only writes after `observed` are behind us.
    await rolledOut(id);
    sandbox.counters.reset();
    await t.patch(
      r,
      [{ attribute: 'labels.team', from: undefined, to: 'web' }],
      { kind: 'version', version: observed.version! },
      ctx,
    );
    // The first write was refused (stale version), the re-read showed labels.team unmoved, the retry went through.
    expect(sandbox.counters.get('kubernetes', 'patchNamespacedDeployment')).toBe(2);
    const data = stored('deployment', id).data;
    expect(data.metadata.labels.team).toBe('web');
    expect(data.spec.replicas).toBe(3);
  });

  it('a create of a name taken by an object without our labels fails as a conflict', async () => {
    const t = type('k8s.deployment');
    const other = { ...r, id: 'compute/other', environment: 'other-env' };
    const error = await t
      .create({ ref: other, attributes: deploymentAttributes, idempotencyToken: 'y' }, ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'conflict' });
    expect(String(error)).toMatch(/adopt/);
  });

  it('deletes and waits until gone', async () => {
    const t = type('k8s.deployment');
    await t.delete!({ ...r, physicalId: `${NS}/api` }, ctx);
    expect(await t.observe(r, ctx)).toBeUndefined();
    expect(sandbox.console.get('kubernetes', 'deployment', `${NS}/api`)).toBeUndefined();
  });
});

describe('k8s.service', () => {
  const r = ref('compute/api/service', 'k8s.service', 'api');
  const attributes = {
    namespace: NS,
    port: 80,
    targetPort: 8080,
    serviceType: 'ClusterIP',
    selector: { app: 'api' },
    labels: { team: 'web' },
  };
  it('creates and observes it as written, server defaults left out', async () => {
    const t = type('k8s.service');
    await t.create({ ref: r, attributes, idempotencyToken: 'x' }, ctx);
    const observed = (await t.observe(r, ctx))!;
    expect(observed.attributes).toEqual({
      ...attributes,
      labels: { team: 'web', 'patchbay-environment': 'unit', 'patchbay-logical-id': 'compute_api_service' },
    });
  });

  it('changes port (rewriting the live port entry) and type, keeping the allocated clusterIP', async () => {
    const t = type('k8s.service');
    const id = `${NS}/api`;
    const before = stored('service', id).data;
    const observed = (await t.observe(r, ctx))!;
    sandbox.counters.reset();
    await t.patch(
      r,
      [
        { attribute: 'port', from: 80, to: 8081 },
        { attribute: 'serviceType', from: 'ClusterIP', to: 'LoadBalancer' },
        { attribute: 'selector.tier', from: undefined, to: 'backend' },
      ],
      { kind: 'version', version: observed.version! },
      ctx,
    );
    expect(sandbox.counters.get('kubernetes', 'patchNamespacedService')).toBe(1);
    const after = stored('service', id).data;
    expect(after.spec.clusterIP).toBe(before.spec.clusterIP);
    expect(after.spec.ports).toHaveLength(1);
    expect(after.spec.ports[0]).toMatchObject({ port: 8081, targetPort: 8080, protocol: 'TCP' });
    expect(after.spec.selector).toEqual({ app: 'api', tier: 'backend' });
    expect((await t.observe(r, ctx))!.attributes).toMatchObject({
      port: 8081,
      targetPort: 8080,
      serviceType: 'LoadBalancer',
    });
  });

  it('deletes', async () => {
    const t = type('k8s.service');
    await t.delete!({ ...r, physicalId: `${NS}/api` }, ctx);
    expect(await t.observe(r, ctx)).toBeUndefined();
  });
});

describe('k8s.hpa', () => {
  const r = ref('compute/api/hpa', 'k8s.hpa', 'api');
  const attributes = {
    namespace: NS,
    deployment: 'api',
    minReplicas: 2,
    maxReplicas: 5,
    targetCpuUtilization: 70,
    labels: {},
  };
  it('creates, observes, and changes the CPU target keeping a console-added metric', async () => {
    const t = type('k8s.hpa');
    await t.create({ ref: r, attributes, idempotencyToken: 'x' }, ctx);
    const observed = (await t.observe(r, ctx))!;
    expect(observed.attributes).toMatchObject({ ...attributes, labels: expect.any(Object) });
    const id = `${NS}/api`;
    const metrics = stored('horizontalpodautoscaler', id).data.spec.metrics;
    const memory = {
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
    };
    sandbox.console.edit('kubernetes', 'horizontalpodautoscaler', id, {
      spec: { metrics: [...metrics, memory] },
    });
    const current = (await t.observe(r, ctx))!;
    await t.patch(
      r,
      [
        { attribute: 'targetCpuUtilization', from: 70, to: 60 },
        { attribute: 'maxReplicas', from: 5, to: 8 },
      ],
      { kind: 'version', version: current.version! },
      ctx,
    );
    const spec = stored('horizontalpodautoscaler', id).data.spec;
    expect(spec.maxReplicas).toBe(8);
    expect(spec.metrics).toHaveLength(2);
    expect(spec.metrics).toContainEqual(memory);
    expect((await t.observe(r, ctx))!.attributes.targetCpuUtilization).toBe(60);
    await t.delete!({ ...r, physicalId: id }, ctx);
    expect(await t.observe(r, ctx)).toBeUndefined();
  });
});

describe('lookup by ref.identity (the spec namespace), before a physicalId exists', () => {
  const OTHER = 'unit-ident';
  const specs = {
    'k8s.deployment': { ...deploymentAttributes, namespace: OTHER, labels: {} },
    'k8s.service': {
      namespace: OTHER,
      port: 80,
      targetPort: 8080,
      serviceType: 'ClusterIP',
      selector: { app: 'idt' },
      labels: {},
    },
    'k8s.hpa': {
      namespace: OTHER,
      deployment: 'idt',
      minReplicas: 1,
      maxReplicas: 3,
      targetCpuUtilization: 70,
      labels: {},
    },
  } as const;

  beforeAll(async () => {
    await type('k8s.namespace').create(
      { ref: ref('ns/ident', 'k8s.namespace', OTHER), attributes: { labels: {} }, idempotencyToken: 'n' },
      ctx,
    );
  });

  it('declares identity namespace on the namespaced types only', () => {
    expect(type('k8s.namespace').identity).toBeUndefined();
    for (const t of Object.keys(specs)) expect(type(t).identity).toEqual(['namespace']);
  });

  it.each(Object.keys(specs) as (keyof typeof specs)[])(
    '%s: creates, observes and deletes in the identity namespace, not the environment or option one',
    async (t) => {
      // The environment (`unit`) and the `namespace` option both name another namespace: identity wins.
      const withOption = k8s({
        kubeconfig: { options: kubeconfigFor(sandbox).options },
        namespace: NS,
        pollIntervalMs: 2,
      }).types[t]!;
      const r: ResourceRef = { ...ref(`x/${t}`, t, 'idt'), identity: { namespace: OTHER } };
      const created = await withOption.create({ ref: r, attributes: specs[t], idempotencyToken: t }, ctx);
      expect(created.physicalId).toBe(`${OTHER}/idt`);
      // Without identity the lookup goes to the option's namespace and finds nothing there.
      expect(await withOption.observe(ref(`x/${t}`, t, 'idt'), ctx)).toBeUndefined();
      sandbox.counters.reset();
      const observed = await withOption.observe(r, ctx);
      expect(observed?.physicalId).toBe(`${OTHER}/idt`);
      expect(observed?.attributes.namespace).toBe(OTHER);
      expect(Object.values(sandbox.counters.snapshot()).reduce((a, b) => a + b, 0)).toBe(1);
      await withOption.delete!(r, ctx);
      expect(await withOption.observe(r, ctx)).toBeUndefined();
    },
  );
});
