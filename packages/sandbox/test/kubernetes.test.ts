import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  VersionApi,
} from '@kubernetes/client-node';
import { kubeconfigFor, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sandbox: Sandbox;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;
let autoscaling: AutoscalingV2Api;

const patchAs = (strategy: string) => setHeaderOptions('Content-Type', strategy);

/** The ApiException a call fails with, its Status body parsed. */
async function failure(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const body = JSON.parse(error.body as string) as {
      kind: string;
      status: string;
      reason: string;
      code: number;
      message: string;
      details?: { causes?: { reason: string; field: string; message: string }[]; retryAfterSeconds?: number };
    };
    return { code: error.code, body, headers: error.headers as Record<string, string> };
  }
  throw new Error('expected the call to fail');
}

/** Polls until `check` passes (state that the sandbox settles after its operation delay). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const value = await read();
    if (check(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('state never settled');
}

function deployment(name: string, image = 'nginx:1.27', replicas = 2): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'web',
              image,
              ports: [{ containerPort: 8080 }],
              env: [
                { name: 'MODE', value: 'prod' },
                { name: 'LOG', value: 'info' },
              ],
            },
            { name: 'sidecar', image: 'envoy:1' },
          ],
        },
      },
    },
  };
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 20 });
  kc = new KubeConfig();
  kc.loadFromOptions(kubeconfigFor(sandbox, { namespace: 'app' }).options);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  autoscaling = kc.makeApiClient(AutoscalingV2Api);
  await core.createNamespace({ body: { metadata: { name: 'app' } } });
});

afterAll(async () => {
  await sandbox.close();
});

describe('Kubernetes discovery and kubeconfig', () => {
  it('serves /version and the resource lists the generic object client uses', async () => {
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.major).toBe('1');
    const objects = KubernetesObjectApi.makeApiClient(kc);
    await apps.createNamespacedDeployment({ namespace: 'app', body: deployment('discovered') });
    const read = await objects.read({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'discovered', namespace: 'app' },
    });
    expect(read.metadata?.name).toBe('discovered');
    const resources = await core.getAPIResources();
    expect(resources.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(['namespaces', 'services', 'configmaps', 'secrets']),
    );
  });

  it('loads the YAML form with KubeConfig.loadFromString', async () => {
    const fromYaml = new KubeConfig();
    fromYaml.loadFromString(kubeconfigFor(sandbox, { namespace: 'app' }).yaml);
    expect(fromYaml.getCurrentContext()).toBe('sandbox');
    expect(fromYaml.getContextObject('sandbox')?.namespace).toBe('app');
    const list = await fromYaml.makeApiClient(CoreV1Api).listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(['default', 'app']));
  });
});

describe('Kubernetes namespaces', () => {
  it('creates with the server label, terminates on delete and is gone after the delay', async () => {
    const created = await core.createNamespace({ body: { metadata: { name: 'tmp' } } });
    expect(created.metadata?.labels).toEqual({ 'kubernetes.io/metadata.name': 'tmp' });
    expect(created.status?.phase).toBe('Active');
    await core.createNamespacedConfigMap({ namespace: 'tmp', body: { metadata: { name: 'c' } } });
    const deleted = await core.deleteNamespace({ name: 'tmp' });
    expect((deleted as { status?: { phase?: string } }).status?.phase).toBe('Terminating');
    const blocked = await failure(
      core.createNamespacedConfigMap({ namespace: 'tmp', body: { metadata: { name: 'd' } } }),
    );
    expect(blocked.code).toBe(403);
    expect(blocked.body.reason).toBe('Forbidden');
    await eventually(
      () =>
        core.readNamespace({ name: 'tmp' }).then(
          () => 200,
          (error: ApiException<string>) => error.code,
        ),
      (code) => code === 404,
    );
    const gone = await failure(core.readNamespace({ name: 'tmp' }));
    expect(gone.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound' });
    expect(sandbox.console.get('kubernetes', 'configmap', 'tmp/c')).toBeUndefined();
  });

  it('refuses to delete the default namespace and to create in a missing one', async () => {
    expect((await failure(core.deleteNamespace({ name: 'default' }))).code).toBe(403);
    const missing = await failure(
      core.createNamespacedConfigMap({ namespace: 'nope', body: { metadata: { name: 'x' } } }),
    );
    expect(missing.code).toBe(404);
    expect(missing.body.message).toBe('namespaces "nope" not found');
  });
});

describe('Kubernetes configmaps and secrets', () => {
  it('creates, reads, lists by label, replaces and deletes configmaps', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'app',
      body: { metadata: { name: 'settings', labels: { tier: 'web' } }, data: { LEVEL: 'debug' } },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    const again = await failure(
      core.createNamespacedConfigMap({ namespace: 'app', body: { metadata: { name: 'settings' } } }),
    );
    expect(again.code).toBe(409);
    expect(again.body).toMatchObject({
      reason: 'AlreadyExists',
      message: 'configmaps "settings" already exists',
    });
    await core.createNamespacedConfigMap({
      namespace: 'app',
      body: { metadata: { name: 'other', labels: { tier: 'db' } } },
    });

    const web = await core.listNamespacedConfigMap({ namespace: 'app', labelSelector: 'tier=web' });
    expect(web.items.map((c) => c.metadata?.name)).toEqual(['settings']);
    const notWeb = await core.listNamespacedConfigMap({ namespace: 'app', labelSelector: 'tier!=web,tier' });
    expect(notWeb.items.map((c) => c.metadata?.name)).toEqual(['other']);
    const setBased = await core.listNamespacedConfigMap({
      namespace: 'app',
      labelSelector: 'tier in (db, web)',
    });
    expect(setBased.items).toHaveLength(2);
    const bad = await failure(
      core.listNamespacedConfigMap({ namespace: 'app', labelSelector: 'tier in web' }),
    );
    expect(bad.code).toBe(400);

    const replaced = await core.replaceNamespacedConfigMap({
      name: 'settings',
      namespace: 'app',
      body: { ...created, data: { LEVEL: 'info' } },
    });
    expect(replaced.data).toEqual({ LEVEL: 'info' });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );
    await core.deleteNamespacedConfigMap({ name: 'other', namespace: 'app' });
    const missing = await failure(core.readNamespacedConfigMap({ name: 'other', namespace: 'app' }));
    expect(missing.code).toBe(404);
    expect(missing.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "other" not found',
      reason: 'NotFound',
      details: { name: 'other', group: '', kind: 'configmaps' },
      code: 404,
    });
  });

  it('folds stringData into base64 data and never echoes secret values in errors', async () => {
    const secret = await core.createNamespacedSecret({
      namespace: 'app',
      body: { metadata: { name: 'db' }, stringData: { password: 'hunter2' } },
    });
    expect(secret.type).toBe('Opaque');
    expect(secret.data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
    expect(secret.stringData).toBeUndefined();
    const bad = await failure(
      core.createNamespacedSecret({
        namespace: 'app',
        body: { metadata: { name: 'bad' }, data: { token: 'not base64!' } },
      }),
    );
    expect(bad.code).toBe(422);
    expect(bad.body.details?.causes?.[0]?.field).toBe('data[token]');
    expect(JSON.stringify(bad.body)).not.toContain('not base64!');
    const typed = await failure(
      core.patchNamespacedSecret(
        { name: 'db', namespace: 'app', body: { stringData: { pin: 987654 } } },
        patchAs(PatchStrategy.MergePatch),
      ),
    );
    expect(typed.code).toBe(422);
    expect(typed.body.details?.causes?.[0]?.field).toBe('stringData.pin');
    expect(JSON.stringify(typed.body)).not.toContain('987654');
    const retyped = await failure(
      core.patchNamespacedSecret(
        { name: 'db', namespace: 'app', body: { type: 'kubernetes.io/tls' } },
        patchAs(PatchStrategy.MergePatch),
      ),
    );
    expect(retyped.code).toBe(422);
    expect(retyped.body.details?.causes?.[0]).toMatchObject({ field: 'type', reason: 'FieldValueInvalid' });
  });
});

describe('Kubernetes services', () => {
  it('allocates a cluster IP, keeps it when a replace omits it and rejects changing it', async () => {
    const created = await core.createNamespacedService({
      namespace: 'app',
      body: {
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    });
    const clusterIP = created.spec?.clusterIP;
    expect(clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(created.spec).toMatchObject({
      type: 'ClusterIP',
      clusterIPs: [clusterIP],
      sessionAffinity: 'None',
    });
    expect(created.spec?.ports?.[0]).toMatchObject({ protocol: 'TCP', port: 80, targetPort: 8080 });

    const replaced = await core.replaceNamespacedService({
      name: 'web',
      namespace: 'app',
      body: { metadata: { name: 'web' }, spec: { selector: { app: 'web2' }, ports: [{ port: 80 }] } },
    });
    expect(replaced.spec?.clusterIP).toBe(clusterIP);
    expect(replaced.spec?.selector).toEqual({ app: 'web2' });

    const changed = await failure(
      core.patchNamespacedService(
        { name: 'web', namespace: 'app', body: { spec: { clusterIP: '10.96.9.9' } } },
        patchAs(PatchStrategy.MergePatch),
      ),
    );
    expect(changed.code).toBe(422);
    expect(changed.body.reason).toBe('Invalid');
    expect(changed.body.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "10.96.9.9": field is immutable',
        field: 'spec.clusterIP',
      },
    ]);
    expect(changed.body.message).toContain('Service "web" is invalid: spec.clusterIP');
  });

  it('gives a LoadBalancer service an ingress address after the operation delay', async () => {
    const created = await core.createNamespacedService({
      namespace: 'app',
      body: {
        metadata: { name: 'public' },
        spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443 }] },
      },
    });
    expect(created.spec?.ports?.[0]?.nodePort).toBeGreaterThanOrEqual(30000);
    expect(created.status?.loadBalancer?.ingress).toBeUndefined();
    const ready = await eventually(
      () => core.readNamespacedServiceStatus({ name: 'public', namespace: 'app' }),
      (s) => (s.status?.loadBalancer?.ingress?.length ?? 0) > 0,
    );
    expect(ready.status?.loadBalancer?.ingress?.[0]?.ip).toMatch(/^198\.51\.100\.\d+$/);
  });
  it('takes only status from a /status write and only status is kept from a main-resource write', async () => {
    const read = await core.readNamespacedService({ name: 'public', namespace: 'app' });
    const written = await core.replaceNamespacedServiceStatus({
      name: 'public',
      namespace: 'app',
      body: {
        ...read,
        spec: { ...read.spec, selector: { app: 'ignored' } },
        status: { loadBalancer: { ingress: [{ hostname: 'lb.example' }] } },
      },
    });
    expect(written.spec?.selector).toEqual(read.spec?.selector);
    expect(written.status?.loadBalancer?.ingress).toEqual([{ hostname: 'lb.example' }]);
    const main = await core.patchNamespacedService(
      { name: 'public', namespace: 'app', body: { status: { loadBalancer: {} } } },
      patchAs(PatchStrategy.MergePatch),
    );
    expect(main.status?.loadBalancer?.ingress).toEqual([{ hostname: 'lb.example' }]);
  });
});

describe('Kubernetes deployments', () => {
  it('creates with server defaults and becomes Available after the operation delay', async () => {
    const created = await apps.createNamespacedDeployment({ namespace: 'app', body: deployment('api') });
    expect(created.metadata?.generation).toBe(1);
    expect(created.spec?.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    expect(created.spec?.template.spec?.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
    });
    expect(created.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('False');
    expect(created.status?.availableReplicas).toBeUndefined();

    const done = await eventually(
      () => apps.readNamespacedDeployment({ name: 'api', namespace: 'app' }),
      (d) => d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') ?? false,
    );
    expect(done.status).toMatchObject({
      observedGeneration: 1,
      replicas: 2,
      readyReplicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
    });
    expect(done.status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe(
      'NewReplicaSetAvailable',
    );
    expect(Number(done.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));

    const scaled = await apps.patchNamespacedDeployment(
      { name: 'api', namespace: 'app', body: { spec: { replicas: 3 } } },
      patchAs(PatchStrategy.MergePatch),
    );
    expect(scaled.metadata?.generation).toBe(2);
    expect(scaled.status?.observedGeneration).toBe(2);
    expect(scaled.status?.updatedReplicas).toBe(2);
    const rolled = await eventually(
      () => apps.readNamespacedDeployment({ name: 'api', namespace: 'app' }),
      (d) => d.status?.availableReplicas === 3,
    );
    expect(rolled.status?.updatedReplicas).toBe(3);
  });

  it('serves the scale subresource and lists across namespaces', async () => {
    const scale = await apps.readNamespacedDeploymentScale({ name: 'api', namespace: 'app' });
    expect(scale.spec?.replicas).toBe(3);
    expect(scale.status?.selector).toBe('app=api');
    const updated = await apps.replaceNamespacedDeploymentScale({
      name: 'api',
      namespace: 'app',
      body: { metadata: { name: 'api' }, spec: { replicas: 1 } },
    });
    expect(updated.spec?.replicas).toBe(1);
    const all = await apps.listDeploymentForAllNamespaces({ labelSelector: 'app=api' });
    expect(all.items.map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`)).toEqual(['app/api']);
    expect((await apps.readNamespacedDeployment({ name: 'api', namespace: 'app' })).spec?.replicas).toBe(1);
  });

  it('rejects a changed selector as immutable and names the field', async () => {
    const result = await failure(
      apps.patchNamespacedDeployment(
        { name: 'api', namespace: 'app', body: { spec: { selector: { matchLabels: { app: 'other' } } } } },
        patchAs(PatchStrategy.MergePatch),
      ),
    );
    expect(result.code).toBe(422);
    expect(result.body.reason).toBe('Invalid');
    const fields = result.body.details?.causes?.map((c) => c.field);
    expect(fields).toContain('spec.selector');
    expect(result.body.details?.causes?.find((c) => c.field === 'spec.selector')?.message).toContain(
      'field is immutable',
    );
  });

  it('rejects unknown fields and wrong types with 422 causes naming each field', async () => {
    const before = await apps.readNamespacedDeployment({ name: 'api', namespace: 'app' });
    const result = await failure(
      apps.patchNamespacedDeployment(
        {
          name: 'api',
          namespace: 'app',
          body: {
            colour: 'blue',
            spec: { replicas: 'two', template: { spec: { containers: [{ name: 'web', imagee: 'x' }] } } },
          },
        },
        patchAs(PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(result.code).toBe(422);
    expect(result.body.reason).toBe('Invalid');
    expect(result.body.details?.causes?.map((c) => c.field).sort()).toEqual(
      ['colour', 'spec.replicas', 'spec.template.spec.containers[0].imagee'].sort(),
    );
    const after = await apps.readNamespacedDeployment({ name: 'api', namespace: 'app' });
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata?.generation).toBe(before.metadata?.generation);
  });

  it('validates semantics: selector must match template labels, containers need an image', async () => {
    const body = deployment('broken');
    body.spec!.template.metadata!.labels = { app: 'different' };
    delete body.spec!.template.spec!.containers[0]!.image;
    const result = await failure(apps.createNamespacedDeployment({ namespace: 'app', body }));
    expect(result.code).toBe(422);
    expect(result.body.details?.causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'spec.template.metadata.labels' }),
        expect.objectContaining({
          field: 'spec.template.spec.containers[0].image',
          reason: 'FieldValueRequired',
        }),
      ]),
    );
  });
});

describe('Kubernetes horizontal pod autoscalers', () => {
  it('defaults minReplicas and a CPU metric, validates bounds and reports the target scale', async () => {
    const created = await autoscaling.createNamespacedHorizontalPodAutoscaler({
      namespace: 'app',
      body: {
        metadata: { name: 'api' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: 5 },
      },
    });
    expect(created.spec?.minReplicas).toBe(1);
    expect(created.spec?.metrics?.[0]?.resource?.target).toEqual({
      type: 'Utilization',
      averageUtilization: 80,
    });
    const settled = await eventually(
      () => autoscaling.readNamespacedHorizontalPodAutoscaler({ name: 'api', namespace: 'app' }),
      (h) => (h.status?.conditions?.length ?? 0) > 0,
    );
    expect(settled.status?.conditions?.[0]).toMatchObject({ type: 'AbleToScale', status: 'True' });
    expect(settled.status?.currentReplicas).toBe(1);

    const invalid = await failure(
      autoscaling.patchNamespacedHorizontalPodAutoscaler(
        { name: 'api', namespace: 'app', body: { spec: { minReplicas: 6 } } },
        patchAs(PatchStrategy.MergePatch),
      ),
    );
    expect(invalid.code).toBe(422);
    expect(invalid.body.details?.causes?.[0]?.field).toBe('spec.maxReplicas');

    const replaced = await autoscaling.replaceNamespacedHorizontalPodAutoscaler({
      name: 'api',
      namespace: 'app',
      body: { ...settled, spec: { ...settled.spec!, maxReplicas: 10 } },
    });
    expect(replaced.metadata?.generation).toBe(2);
    const listed = await autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace: 'app' });
    expect(listed.items).toHaveLength(1);
    await autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name: 'api', namespace: 'app' });
    expect(
      (await failure(autoscaling.readNamespacedHorizontalPodAutoscaler({ name: 'api', namespace: 'app' })))
        .code,
    ).toBe(404);
  });
});

describe('Kubernetes patches', () => {
  it('applies a JSON patch, and answers 422 when a test operation fails', async () => {
    await apps.createNamespacedDeployment({ namespace: 'app', body: deployment('jp', 'nginx:1', 1) });
    const patched = await apps.patchNamespacedDeployment({
      name: 'jp',
      namespace: 'app',
      body: [
        { op: 'test', path: '/spec/replicas', value: 1 },
        { op: 'replace', path: '/spec/replicas', value: 4 },
        { op: 'add', path: '/metadata/labels/team', value: 'core' },
      ],
    });
    expect(patched.spec?.replicas).toBe(4);
    expect(patched.metadata?.labels).toEqual({ app: 'jp', team: 'core' });
    const failed = await failure(
      apps.patchNamespacedDeployment({
        name: 'jp',
        namespace: 'app',
        body: [{ op: 'test', path: '/spec/replicas', value: 1 }],
      }),
    );
    expect(failed.code).toBe(422);
  });

  it('applies a merge patch: objects merge, null removes, lists replace', async () => {
    const patched = await apps.patchNamespacedDeployment(
      {
        name: 'jp',
        namespace: 'app',
        body: {
          metadata: { labels: { team: null, tier: 'web' } },
          spec: { template: { spec: { containers: [{ name: 'only', image: 'busybox:1' }] } } },
        },
      },
      patchAs(PatchStrategy.MergePatch),
    );
    expect(patched.metadata?.labels).toEqual({ app: 'jp', tier: 'web' });
    expect(patched.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['only']);
    expect(patched.metadata?.generation).toBe(3);
  });

  it('applies a strategic merge patch: containers and env merge by name, $patch delete removes', async () => {
    await apps.createNamespacedDeployment({ namespace: 'app', body: deployment('smp') });
    const patched = await apps.patchNamespacedDeployment(
      {
        name: 'smp',
        namespace: 'app',
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: 'web',
                    image: 'nginx:1.28',
                    env: [
                      { name: 'LOG', value: 'debug' },
                      { name: 'NEW', value: '1' },
                    ],
                    ports: [{ containerPort: 9090 }],
                  },
                  { name: 'sidecar', $patch: 'delete' },
                ],
              },
            },
          },
        },
      },
      patchAs(PatchStrategy.StrategicMergePatch),
    );
    const containers = patched.spec?.template.spec?.containers ?? [];
    expect(containers.map((c) => c.name)).toEqual(['web']);
    expect(containers[0]?.image).toBe('nginx:1.28');
    expect(containers[0]?.env).toEqual([
      { name: 'MODE', value: 'prod' },
      { name: 'LOG', value: 'debug' },
      { name: 'NEW', value: '1' },
    ]);
    expect(containers[0]?.ports?.map((p) => p.containerPort)).toEqual([8080, 9090]);
  });

  it('keeps the resourceVersion when a patch changes nothing', async () => {
    // Let the rollout the previous patch started finish, so only this patch could write.
    const before = await eventually(
      () => apps.readNamespacedDeployment({ name: 'smp', namespace: 'app' }),
      (d) => d.status?.updatedReplicas === d.spec?.replicas,
    );
    const after = await apps.patchNamespacedDeployment(
      { name: 'smp', namespace: 'app', body: { spec: { replicas: before.spec?.replicas } } },
      patchAs(PatchStrategy.MergePatch),
    );
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  it('rejects an unknown patch content type with 415', async () => {
    const response = await fetch(`${sandbox.url}/apis/apps/v1/namespaces/app/deployments/smp`, {
      method: 'PATCH',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { reason: string }).reason).toBe('UnsupportedMediaType');
  });
});

describe('Kubernetes server-side apply', () => {
  const applied = (replicas: number, image = 'nginx:1') => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ssa', namespace: 'app', labels: { app: 'ssa' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'ssa' } },
      template: {
        metadata: { labels: { app: 'ssa' } },
        spec: { containers: [{ name: 'web', image }] },
      },
    },
  });
  const apply = (body: object, fieldManager: string, force?: boolean) =>
    apps.patchNamespacedDeployment(
      { name: 'ssa', namespace: 'app', body, fieldManager, ...(force !== undefined ? { force } : {}) },
      patchAs(PatchStrategy.ServerSideApply),
    );

  it('creates by apply and records the manager in managedFields', async () => {
    const created = await apply(applied(2), 'patchbay');
    expect(created.spec?.replicas).toBe(2);
    const entry = created.metadata?.managedFields?.find((m) => m.manager === 'patchbay');
    expect(entry).toMatchObject({ operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
    const fields = entry?.fieldsV1 as Record<string, Record<string, unknown>>;
    expect(fields['f:spec']?.['f:replicas']).toEqual({});
    const at = (node: unknown, ...keys: string[]) =>
      keys.reduce((n, k) => (n as Record<string, unknown> | undefined)?.[k], node);
    const containers = at(fields, 'f:spec', 'f:template', 'f:spec', 'f:containers') as object;
    expect(Object.keys(containers)).toEqual(['k:{"name":"web"}']);
  });

  it('answers 409 naming the owner when another manager applies a field it does not own, and force takes it', async () => {
    const conflict = await failure(apply(applied(5), 'autoscaler-script'));
    expect(conflict.code).toBe(409);
    expect(conflict.body.reason).toBe('Conflict');
    expect(conflict.body.details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "patchbay"', field: '.spec.replicas' },
    ]);
    expect(conflict.body.message).toContain('Apply failed with 1 conflict');
    expect((await apps.readNamespacedDeployment({ name: 'ssa', namespace: 'app' })).spec?.replicas).toBe(2);

    // Same values are no conflict: both managers then share the fields.
    await apply(applied(2), 'reader');
    const forced = await apply({ ...applied(5), metadata: { name: 'ssa' } }, 'autoscaler-script', true);
    expect(forced.spec?.replicas).toBe(5);
    const owners = (field: string) =>
      forced.metadata?.managedFields
        ?.filter((m) => JSON.stringify(m.fieldsV1).includes(field))
        .map((m) => m.manager)
        .sort();
    expect(owners('"f:replicas"')).toEqual(['autoscaler-script']);
    expect(owners('"f:image"')).toEqual(['autoscaler-script', 'patchbay', 'reader']);
  });

  it('counts an Update by another manager as ownership: apply then conflicts with it', async () => {
    await apps.patchNamespacedDeployment(
      {
        name: 'ssa',
        namespace: 'app',
        body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:hotfix' }] } } } },
        fieldManager: 'kubectl-edit',
      },
      patchAs(PatchStrategy.StrategicMergePatch),
    );
    const conflict = await failure(apply(applied(2, 'nginx:2'), 'patchbay'));
    expect(conflict.code).toBe(409);
    const causes = conflict.body.details?.causes ?? [];
    expect(causes).toContainEqual({
      reason: 'FieldManagerConflict',
      message: 'conflict with "kubectl-edit" using apps/v1',
      field: '.spec.template.spec.containers[name="web"].image',
    });
    expect(causes.map((c) => c.field)).toContain('.spec.replicas');
  });

  it('removes fields a manager stops applying when nobody else owns them', async () => {
    const meta = (labels: Record<string, string>) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ssa', labels },
    });
    const withExtra = await apply(meta({ app: 'ssa', extra: 'x' }), 'labeler');
    expect(withExtra.metadata?.labels).toEqual({ app: 'ssa', extra: 'x' });
    // `app` is also owned by other managers, so it stays; `extra` was only the labeler's.
    const without = await apply(meta({}), 'labeler');
    expect(without.metadata?.labels).toEqual({ app: 'ssa' });
    expect(JSON.stringify(without.metadata?.managedFields)).not.toContain('f:extra');
  });

  it('requires a fieldManager for apply', async () => {
    const result = await failure(
      apps.patchNamespacedDeployment(
        { name: 'ssa', namespace: 'app', body: applied(1) },
        patchAs(PatchStrategy.ServerSideApply),
      ),
    );
    expect(result.code).toBe(422);
    expect(result.body.details?.causes?.[0]?.field).toBe('fieldManager');
  });
});

describe('Kubernetes compare-and-set', () => {
  it('rejects a replace carrying a stale resourceVersion with 409 and writes nothing', async () => {
    const read = await apps.readNamespacedDeployment({ name: 'smp', namespace: 'app' });
    await apps.patchNamespacedDeployment(
      { name: 'smp', namespace: 'app', body: { metadata: { labels: { touched: 'yes' } } } },
      patchAs(PatchStrategy.MergePatch),
    );
    const current = await apps.readNamespacedDeployment({ name: 'smp', namespace: 'app' });
    const stale = await failure(
      apps.replaceNamespacedDeployment({
        name: 'smp',
        namespace: 'app',
        body: { ...read, spec: { ...read.spec!, replicas: 9 } },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message:
        'Operation cannot be fulfilled on deployments.apps "smp": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'smp', group: 'apps', kind: 'deployments' },
    });
    const after = await apps.readNamespacedDeployment({ name: 'smp', namespace: 'app' });
    expect(after.metadata?.resourceVersion).toBe(current.metadata?.resourceVersion);
    expect(after.spec?.replicas).toBe(current.spec?.replicas);

    const fresh = await apps.replaceNamespacedDeployment({
      name: 'smp',
      namespace: 'app',
      body: { ...current, spec: { ...current.spec!, replicas: 9 } },
    });
    expect(fresh.spec?.replicas).toBe(9);
  });

  it('rejects a merge patch and a delete precondition with a stale resourceVersion', async () => {
    const read = await core.readNamespacedConfigMap({ name: 'settings', namespace: 'app' });
    await core.patchNamespacedConfigMap(
      { name: 'settings', namespace: 'app', body: { data: { LEVEL: 'warn' } } },
      patchAs(PatchStrategy.MergePatch),
    );
    const stalePatch = await failure(
      core.patchNamespacedConfigMap(
        {
          name: 'settings',
          namespace: 'app',
          body: { metadata: { resourceVersion: read.metadata?.resourceVersion }, data: { LEVEL: 'error' } },
        },
        patchAs(PatchStrategy.MergePatch),
      ),
    );
    expect(stalePatch.code).toBe(409);
    const staleDelete = await failure(
      core.deleteNamespacedConfigMap({
        name: 'settings',
        namespace: 'app',
        body: { preconditions: { resourceVersion: read.metadata?.resourceVersion } },
      }),
    );
    expect(staleDelete.code).toBe(409);
    expect((await core.readNamespacedConfigMap({ name: 'settings', namespace: 'app' })).data).toEqual({
      LEVEL: 'warn',
    });
  });
});

describe('Kubernetes console, faults and counters', () => {
  it('shows a console label and edit to the client, with a new resourceVersion and generation', async () => {
    const before = await apps.readNamespacedDeployment({ name: 'jp', namespace: 'app' });
    sandbox.console.tag('kubernetes', 'deployment', 'app/jp', 'owner', 'ana');
    const tagged = await apps.readNamespacedDeployment({ name: 'jp', namespace: 'app' });
    expect(tagged.metadata?.labels?.owner).toBe('ana');
    expect(tagged.metadata?.resourceVersion).not.toBe(before.metadata?.resourceVersion);
    expect(tagged.metadata?.generation).toBe(before.metadata?.generation);

    sandbox.console.edit('kubernetes', 'deployment', 'app/jp', { spec: { replicas: 7 } });
    const edited = await apps.readNamespacedDeployment({ name: 'jp', namespace: 'app' });
    expect(edited.spec?.replicas).toBe(7);
    expect(edited.metadata?.generation).toBe((before.metadata?.generation ?? 0) + 1);
    const rolled = await eventually(
      () => apps.readNamespacedDeployment({ name: 'jp', namespace: 'app' }),
      (d) => d.status?.availableReplicas === 7,
    );
    expect(rolled.status?.observedGeneration).toBe(edited.metadata?.generation);

    // A write based on the pre-edit read is stale now.
    const stale = await failure(
      apps.replaceNamespacedDeployment({ name: 'jp', namespace: 'app', body: before }),
    );
    expect(stale.code).toBe(409);
  });

  it('lists kubernetes kinds in the console and terminates a namespace deleted there', async () => {
    const kinds = new Set(sandbox.console.list('kubernetes').map((e) => e.kind));
    expect([...kinds]).toEqual(
      expect.arrayContaining(['namespace', 'deployment', 'service', 'configmap', 'secret']),
    );
    await core.createNamespace({ body: { metadata: { name: 'console-tmp' } } });
    sandbox.console.delete('kubernetes', 'namespace', 'console-tmp');
    expect((await core.readNamespace({ name: 'console-tmp' })).status?.phase).toBe('Terminating');
  });

  it('surfaces an injected throttle as ApiException 429 with Retry-After, and a 5xx as 503', async () => {
    sandbox.faults.add({ api: 'kubernetes', operation: 'readNamespacedConfigMap', throttleRate: 1 });
    sandbox.faults.add({ api: 'kubernetes', operation: 'listNamespacedSecret', errorRate: 1 });
    try {
      const throttled = await failure(core.readNamespacedConfigMap({ name: 'settings', namespace: 'app' }));
      expect(throttled.code).toBe(429);
      expect(throttled.body).toMatchObject({ kind: 'Status', reason: 'TooManyRequests', code: 429 });
      expect(throttled.headers['retry-after']).toBe('1');
      const failed = await failure(core.listNamespacedSecret({ namespace: 'app' }));
      expect(failed.code).toBe(503);
      expect(failed.body.reason).toBe('ServiceUnavailable');
      expect(sandbox.counters.detail('kubernetes', 'readNamespacedConfigMap').throttled).toBe(1);
      expect(sandbox.counters.detail('kubernetes', 'listNamespacedSecret').faulted).toBe(1);
    } finally {
      sandbox.faults.clear();
    }
  });

  it('answers 429 once the APF token bucket is empty', async () => {
    sandbox.faults.add({ api: 'kubernetes', rateLimit: { perSecond: 0.001, burst: 2 } });
    try {
      await core.readNamespace({ name: 'app' });
      await core.readNamespace({ name: 'app' });
      expect((await failure(core.readNamespace({ name: 'app' }))).code).toBe(429);
    } finally {
      sandbox.faults.clear();
    }
  });

  it('counts calls per client method name', async () => {
    const reads = sandbox.counters.get('kubernetes', 'readNamespacedDeployment');
    await apps.readNamespacedDeployment({ name: 'jp', namespace: 'app' });
    await apps.listNamespacedDeployment({ namespace: 'app' });
    expect(sandbox.counters.get('kubernetes', 'readNamespacedDeployment')).toBe(reads + 1);
    expect(sandbox.counters.get('kubernetes', 'listNamespacedDeployment')).toBeGreaterThanOrEqual(1);
    expect(sandbox.counters.get('kubernetes', 'createNamespace')).toBeGreaterThanOrEqual(1);
    expect(sandbox.counters.get('kubernetes', 'patchNamespacedDeployment')).toBeGreaterThanOrEqual(1);
  });

  it('does not persist a dry-run create and deletes a deployment with a Success status', async () => {
    const dry = await apps.createNamespacedDeployment({
      namespace: 'app',
      body: deployment('dry'),
      dryRun: 'All',
    });
    expect(dry.metadata?.name).toBe('dry');
    expect((await failure(apps.readNamespacedDeployment({ name: 'dry', namespace: 'app' }))).code).toBe(404);
    const status = await apps.deleteNamespacedDeployment({ name: 'jp', namespace: 'app' });
    expect(status).toMatchObject({
      status: 'Success',
      details: { name: 'jp', group: 'apps', kind: 'deployments' },
    });
    expect((await failure(apps.deleteNamespacedDeployment({ name: 'jp', namespace: 'app' }))).code).toBe(404);
  });
});

describe('Kubernetes persistence', () => {
  it('keeps objects and resourceVersions across a restart with dataDir', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'k8s-sandbox-'));
    try {
      const first = await startSandbox({ dataDir, operationDelayMs: 0 });
      const kc1 = new KubeConfig();
      kc1.loadFromOptions(kubeconfigFor(first).options);
      const created = await kc1.makeApiClient(CoreV1Api).createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'kept' }, data: { a: '1' } },
      });
      await first.close();
      const second = await startSandbox({ dataDir });
      try {
        const kc2 = new KubeConfig();
        kc2.loadFromOptions(kubeconfigFor(second).options);
        const read = await kc2
          .makeApiClient(CoreV1Api)
          .readNamespacedConfigMap({ name: 'kept', namespace: 'default' });
        expect(read.data).toEqual({ a: '1' });
        expect(read.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
