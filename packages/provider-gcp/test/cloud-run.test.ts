import { v2 } from '@google-cloud/run';
import { ConflictError, type ResourceRef, type ResourceType, ValidationError } from '@patchbay/core';
import { gcp } from '@patchbay/provider-gcp';
import { googleClientOptions, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callContext } from './call-context.js';

const PROJECT = 'demo-project';
const REGION = 'europe-west1';
const ctx = callContext();
let sandbox: Sandbox;
let runClient: v2.ServicesClient;
let type: ResourceType;

const ref = (name: string, physicalId?: string): ResourceRef => ({
  id: `compute/${name}`,
  type: 'gcp.run.service',
  name,
  environment: 'staging',
  ...(physicalId ? { physicalId } : {}),
});
const serviceId = (name: string) => `projects/${PROJECT}/locations/${REGION}/services/${name}`;
const attributes = {
  region: REGION,
  image: 'registry.example.com/api:1',
  cpu: 0.5,
  memory: 512,
  port: 8080,
  minInstances: 1,
  maxInstances: 3,
  ingress: 'internal',
  environment: { LOG_LEVEL: 'info', PATCHBAY_RUNTIME_CONFIG: '{"local":["api"]}' },
  secrets: { DB_PASSWORD: `projects/${PROJECT}/secrets/staging-main-db-password/versions/latest` },
  labels: { 'patchbay-environment': 'staging', 'patchbay-logical-id': 'compute_api', team: 'core' },
};

function live(name: string) {
  const record = sandbox.console.get('cloudrun', 'service', serviceId(name));
  if (!record) throw new Error(`no service ${name}`);
  return record.data as {
    labels: Record<string, string>;
    ingress: string;
    template: {
      containers: {
        image: string;
        env?: { name: string; value: string }[];
        resources?: { limits?: Record<string, string> };
      }[];
      scaling?: Record<string, number>;
    };
  };
}

async function create(name: string) {
  return type.create({ ref: ref(name), attributes, idempotencyToken: `token-${name}` }, ctx);
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 5, defaultRateLimits: false });
  runClient = new v2.ServicesClient(googleClientOptions(sandbox));
  const provider = gcp({
    project: PROJECT,
    region: REGION,
    ...googleClientOptions(sandbox),
    clients: { run: runClient },
    pollIntervalMs: 2,
  });
  type = provider.types['gcp.run.service']!;
});

afterAll(async () => {
  await sandbox?.close();
});

describe('gcp.run.service against the sandbox', () => {
  it('creates a service with ownership labels; observe equals desired after normalization', async () => {
    const created = await create('api');
    expect(created.physicalId).toBe(serviceId('api'));
    expect(created.outputs).toMatchObject({
      name: serviceId('api'),
      uri: expect.stringMatching(/^https:\/\/api-/),
    });
    const stored = live('api');
    expect(stored.template.containers[0]?.resources?.limits).toEqual({ cpu: '500m', memory: '512Mi' });
    expect(stored.template.scaling).toEqual({ minInstanceCount: 1, maxInstanceCount: 3 });
    // The client sends enums as numbers; the sandbox stores what it got.
    expect(['INGRESS_TRAFFIC_INTERNAL_ONLY', 2]).toContain(stored.ingress);
    expect(stored.labels).toMatchObject({
      'patchbay-environment': 'staging',
      'patchbay-logical-id': 'compute_api',
    });

    const observed = await type.observe(ref('api'), ctx);
    expect(observed?.attributes).toEqual(attributes);
    expect(observed?.version).toBeTruthy();
    for (const [attribute, value] of Object.entries(attributes)) {
      expect(type.normalize!(attribute, value), attribute).toEqual(observed?.attributes[attribute]);
    }
    expect(type.normalize!('memory', '1Gi')).toBe(1024);
    expect(type.normalize!('cpu', '1000m')).toBe(1);
    expect(type.normalize!('ingress', 'INGRESS_TRAFFIC_ALL')).toBe('all');
  });

  it('a cpu patch sends one UpdateService masked to template.containers, with the etag, and no extra read', async () => {
    const observed = (await type.observe(ref('api'), ctx))!;
    const update = vi.spyOn(runClient, 'updateService');
    sandbox.counters.reset();
    await type.patch(
      ref('api', observed.physicalId),
      [{ attribute: 'cpu', from: 0.5, to: 1 }],
      { kind: 'version', version: observed.version! },
      ctx,
    );
    expect(update).toHaveBeenCalledTimes(1);
    const [request] = update.mock.calls[0]!;
    expect(request?.updateMask?.paths).toEqual(['template.containers']);
    expect(request?.service?.etag).toBe(observed.version);
    expect(request?.service?.template?.revision).toBeUndefined();
    update.mockRestore();
    // The write is built from the copy read at this etag: no GetService before it.
    const counts = sandbox.counters.snapshot();
    expect(counts['cloudrun.UpdateService']).toBe(1);
    expect(counts['cloudrun.CreateService'] ?? 0).toBe(0);
    expect(live('api').template.containers[0]?.resources?.limits).toEqual({ cpu: '1', memory: '512Mi' });
    expect(live('api').template.containers[0]?.image).toBe(attributes.image);
  });

  it('label changes go key by key under the labels mask; a console-added label survives', async () => {
    sandbox.console.tag('cloudrun', 'service', serviceId('api'), 'owner', 'ana');
    const observed = (await type.observe(ref('api'), ctx))!;
    expect(observed.attributes.labels).toMatchObject({ owner: 'ana', team: 'core' });
    const update = vi.spyOn(runClient, 'updateService');
    await type.patch(
      ref('api', observed.physicalId),
      [
        { attribute: 'labels.team', from: 'core', to: 'platform' },
        { attribute: 'minInstances', from: 1, to: 2 },
      ],
      { kind: 'version', version: observed.version! },
      ctx,
    );
    expect(update.mock.calls[0]![0]?.updateMask?.paths).toEqual([
      'template.scaling.minInstanceCount',
      'labels',
    ]);
    update.mockRestore();
    expect(live('api').labels).toMatchObject({
      owner: 'ana',
      team: 'platform',
      'patchbay-environment': 'staging',
    });
    expect(live('api').template.scaling).toEqual({ minInstanceCount: 2, maxInstanceCount: 3 });
  });

  it('a stale etag is a ConflictError and the console value stays', async () => {
    const observed = (await type.observe(ref('api'), ctx))!;
    const stored = live('api');
    sandbox.console.edit('cloudrun', 'service', serviceId('api'), {
      template: {
        ...stored.template,
        containers: [{ ...stored.template.containers[0], image: 'registry.example.com/api:hotfix' }],
      },
    });
    const error = await type
      .patch(
        ref('api', observed.physicalId),
        [{ attribute: 'image', from: attributes.image, to: 'registry.example.com/api:2' }],
        { kind: 'version', version: observed.version! },
        ctx,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(live('api').template.containers[0]?.image).toBe('registry.example.com/api:hotfix');
  });

  it('keeps secret-backed variables (ours and a console one) when patching the environment', async () => {
    const stored = live('api');
    const [first] = stored.template.containers;
    sandbox.console.edit('cloudrun', 'service', serviceId('api'), {
      template: {
        ...stored.template,
        containers: [
          {
            ...first,
            env: [
              ...(first?.env ?? []),
              { name: 'API_KEY', valueSource: { secretKeyRef: { secret: 'api-key', version: '3' } } },
            ],
          },
        ],
      },
    });
    const observed = (await type.observe(ref('api'), ctx))!;
    expect(observed.attributes.environment).toEqual(attributes.environment);
    await type.patch(
      ref('api', observed.physicalId),
      [{ attribute: 'environment', from: attributes.environment, to: { LOG_LEVEL: 'debug' } }],
      { kind: 'version', version: observed.version! },
      ctx,
    );
    const env = live('api').template.containers[0]?.env;
    expect(env).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      {
        name: 'DB_PASSWORD',
        valueSource: {
          secretKeyRef: { secret: `projects/${PROJECT}/secrets/staging-main-db-password`, version: 'latest' },
        },
      },
      { name: 'API_KEY', valueSource: { secretKeyRef: { secret: 'api-key', version: '3' } } },
    ]);
    // A short secret name is read back as a full reference in the service's project.
    const after = (await type.observe(ref('api'), ctx))!;
    expect(after.attributes.secrets).toEqual({
      ...attributes.secrets,
      API_KEY: `projects/${PROJECT}/secrets/api-key/versions/3`,
    });
  });

  it('rejects reserved label prefixes and bad sizes before any call', async () => {
    sandbox.counters.reset();
    await expect(
      type.create(
        {
          ref: ref('bad'),
          attributes: { ...attributes, cpu: 'lots', labels: { 'run.googleapis.com/x': 'y' } },
          idempotencyToken: 't',
        },
        ctx,
      ),
    ).rejects.toThrow(ValidationError);
    expect(sandbox.counters.total()).toBe(0);
  });

  it('a repeated create of our own service takes it over instead of failing', async () => {
    await create('worker');
    const again = await create('worker');
    expect(again.physicalId).toBe(serviceId('worker'));
    // Someone else's service of that name is not taken over.
    const other = type.create(
      { ref: { ...ref('worker'), environment: 'prod' }, attributes, idempotencyToken: 'x' },
      ctx,
    );
    await expect(other).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('deletes with the etag and waits until the service is gone', async () => {
    await type.delete!(ref('worker', serviceId('worker')), ctx);
    expect(sandbox.console.get('cloudrun', 'service', serviceId('worker'))).toBeUndefined();
    expect(await type.observe(ref('worker'), ctx)).toBeUndefined();
    await type.delete!(ref('worker', serviceId('worker')), ctx);
  });
});
