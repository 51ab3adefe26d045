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
    const gone = await eventually(
      () => failure(core.readNamespace({ name: 'tmp' })),
      (f) => f.code === 404,
    );
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
