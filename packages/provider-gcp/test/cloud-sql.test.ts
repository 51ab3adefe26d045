import { v1 } from '@google-cloud/sql';
import {
  ConflictError,
  ProviderError,
  type ResourceRef,
  type ResourceType,
  ValidationError,
} from '@patchbay/core';
import { gcp } from '@patchbay/provider-gcp';
import { googleClientOptions, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callContext } from './call-context.js';

const PROJECT = 'demo-project';
const REGION = 'europe-west1';
const ctx = callContext();
let sandbox: Sandbox;
let instances: v1.SqlInstancesServiceClient;
let type: ResourceType;

const ref = (name: string, physicalId?: string): ResourceRef => ({
  id: 'db/main',
  type: 'gcp.sql.instance',
  name,
  environment: 'staging',
  ...(physicalId ? { physicalId } : {}),
});
const attributes = {
  region: REGION,
  databaseVersion: 'POSTGRES_16',
  tier: 'db-custom-1-3840',
  diskSizeGb: 20,
  availabilityType: 'ZONAL',
  backupEnabled: true,
  backupRetentionDays: 7,
  labels: { 'patchbay-environment': 'staging', 'patchbay-logical-id': 'db_main' },
};

interface StoredSettings {
  tier: string;
  settingsVersion: string;
  userLabels: Record<string, string>;
  dataDiskSizeGb: string;
  backupConfiguration: { enabled: boolean; backupRetentionSettings?: { retainedBackups: number } };
}
function settingsOf(name: string): StoredSettings {
  const record = sandbox.console.get('cloudsql', 'instance', `${PROJECT}/${name}`);
  if (!record) throw new Error(`no instance ${name}`);
  return (record.data as { settings: StoredSettings }).settings;
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 5, defaultRateLimits: false });
  instances = new v1.SqlInstancesServiceClient(googleClientOptions(sandbox));
  const provider = gcp({
    project: PROJECT,
    region: REGION,
    ...googleClientOptions(sandbox),
    clients: { sqlInstances: instances },
    pollIntervalMs: 2,
  });
  type = provider.types['gcp.sql.instance']!;
});

afterAll(async () => {
  await sandbox?.close();
});

describe('gcp.sql.instance against the sandbox', () => {
  it('creates an instance, waits for its operation, and observes what was desired', async () => {
    const created = await type.create({ ref: ref('staging-main'), attributes, idempotencyToken: 't' }, ctx);
    expect(created.physicalId).toBe(`projects/${PROJECT}/instances/staging-main`);
    expect(created.outputs).toEqual({
      connectionName: `${PROJECT}:${REGION}:staging-main`,
      ipAddress: '10.20.0.3',
    });
    const observed = await type.observe(ref('staging-main'), ctx);
    expect(observed?.attributes).toEqual(attributes);
    expect(observed?.version).toBe('1');
    expect(settingsOf('staging-main').backupConfiguration).toMatchObject({
      enabled: true,
      backupRetentionSettings: { retainedBackups: 7 },
    });
    expect(type.stateful).toBe(true);
    expect(type.serialUpdates).toBe(true);
  });

  it('defaults to PostgreSQL when the spec names no version', async () => {
    const { databaseVersion: _v, ...rest } = attributes;
    await type.create(
      { ref: { ...ref('staging-other'), id: 'db/other' }, attributes: rest, idempotencyToken: 't2' },
      ctx,
    );
    const observed = await type.observe({ ...ref('staging-other'), id: 'db/other' }, ctx);
    expect(observed?.attributes.databaseVersion).toBe('POSTGRES_16');
  });

  it('patches with patch (never update): only the changed settings, with the settingsVersion read', async () => {
    sandbox.console.tag('cloudsql', 'instance', `${PROJECT}/staging-main`, 'owner', 'ana');
    const observed = (await type.observe(ref('staging-main'), ctx))!;
    expect(observed.version).toBe('2');
    const patch = vi.spyOn(instances, 'patch');
    const update = vi.spyOn(instances, 'update');
    sandbox.counters.reset();
    await type.patch(
      ref('staging-main', observed.physicalId),
      [
        { attribute: 'tier', from: 'db-custom-1-3840', to: 'db-custom-2-7680' },
        { attribute: 'labels.team', from: undefined, to: 'data' },
      ],
      { kind: 'version', version: observed.version! },
      ctx,
    );
    expect(update).not.toHaveBeenCalled();
    expect(patch).toHaveBeenCalledTimes(1);
    expect(patch.mock.calls[0]![0]?.body).toEqual({
      settings: { settingsVersion: { value: '2' }, tier: 'db-custom-2-7680', userLabels: { team: 'data' } },
    });
    patch.mockRestore();
    update.mockRestore();
    const counts = sandbox.counters.snapshot();
    expect(counts['cloudsql.instances.patch']).toBe(1);
    expect(counts['cloudsql.operations.get']).toBeGreaterThanOrEqual(1);
    const settings = settingsOf('staging-main');
    expect(settings.tier).toBe('db-custom-2-7680');
    expect(settings.userLabels).toMatchObject({ owner: 'ana', team: 'data' });
    expect(settings.dataDiskSizeGb).toBe('20');
  });

  it('removes one label with null, leaving the others', async () => {
    const observed = (await type.observe(ref('staging-main'), ctx))!;
    await type.patch(
      ref('staging-main', observed.physicalId),
      [{ attribute: 'labels.team', from: 'data', to: undefined }],
      { kind: 'version', version: observed.version! },
      ctx,
    );
    expect(settingsOf('staging-main').userLabels).toEqual({ ...attributes.labels, owner: 'ana' });
  });

  it('a stale settingsVersion is a ConflictError and nothing is overwritten', async () => {
    const observed = (await type.observe(ref('staging-main'), ctx))!;
    sandbox.console.edit('cloudsql', 'instance', `${PROJECT}/staging-main`, {
      settings: { ...settingsOf('staging-main'), tier: 'db-custom-4-15360' },
    });
    const error = await type
      .patch(
        ref('staging-main', observed.physicalId),
        [{ attribute: 'tier', from: 'db-custom-2-7680', to: 'db-custom-1-3840' }],
        { kind: 'version', version: observed.version! },
        ctx,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(settingsOf('staging-main').tier).toBe('db-custom-4-15360');
  });

  it('operationInProgress (409) is transient: the engine waits and retries', async () => {
    sandbox.faults.set([{ api: 'cloudsql', operation: 'instances.patch', operationDelayMs: 60_000 }]);
    try {
      const observed = (await type.observe(ref('staging-main'), ctx))!;
      // Someone else's change holds the instance's one admin operation slot.
      await instances.patch({
        project: PROJECT,
        instance: 'staging-main',
        body: { settings: { userLabels: { x: 'y' } } },
      });
      const error = await type
        .patch(
          ref('staging-main', observed.physicalId),
          [{ attribute: 'backupRetentionDays', from: 7, to: 14 }],
          { kind: 'version', version: observed.version! },
          ctx,
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind).toBe('transient');
    } finally {
      sandbox.faults.clear();
      sandbox.console.action('cloudsql', 'instance', `${PROJECT}/staging-main`, 'complete-operation');
    }
  });

  it('a failed operation fails the patch (fatal) and the setting is not applied', async () => {
    const observed = (await type.observe(ref('staging-main'), ctx))!;
    sandbox.faults.set([{ api: 'cloudsql', operation: 'instances.patch', operationDelayMs: 60_000 }]);
    sandbox.counters.reset();
    const pending = type
      .patch(
        ref('staging-main', observed.physicalId),
        [{ attribute: 'diskSizeGb', from: 20, to: 30 }],
        { kind: 'version', version: observed.version! },
        ctx,
      )
      .catch((e: unknown) => e);
    await vi.waitFor(() => expect(sandbox.counters.get('cloudsql', 'operations.get')).toBeGreaterThan(0));
    sandbox.faults.clear();
    sandbox.console.action('cloudsql', 'instance', `${PROJECT}/staging-main`, 'fail-operation');
    const error = await pending;
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('fatal');
    expect(settingsOf('staging-main').dataDiskSizeGb).toBe('20');
  });

  it('refuses to shrink the disk or change create-only attributes, before any call', async () => {
    sandbox.counters.reset();
    const observed = (await type.observe(ref('staging-main'), ctx))!;
    await expect(
      type.patch(
        ref('staging-main', observed.physicalId),
        [{ attribute: 'diskSizeGb', from: 20, to: 10 }],
        { kind: 'version', version: observed.version! },
        ctx,
      ),
    ).rejects.toThrow(ValidationError);
    await expect(
      type.patch(
        ref('staging-main', observed.physicalId),
        [{ attribute: 'databaseVersion', from: 'POSTGRES_16', to: 'POSTGRES_17' }],
        { kind: 'version', version: observed.version! },
        ctx,
      ),
    ).rejects.toThrow(ValidationError);
    expect(sandbox.counters.get('cloudsql', 'instances.patch')).toBe(0);
  });

  it('deletes through an operation', async () => {
    await type.delete!({ ...ref('staging-other'), id: 'db/other' }, ctx);
    expect(await type.observe({ ...ref('staging-other'), id: 'db/other' }, ctx)).toBeUndefined();
  });
});
