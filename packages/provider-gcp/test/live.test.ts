/**
 * Live tests against real Google Cloud. Skipped unless PATCHBAY_LIVE_GCP=1; they use application default
 * credentials (`gcloud auth application-default login` or GOOGLE_APPLICATION_CREDENTIALS), the project in
 * PATCHBAY_LIVE_GCP_PROJECT and the region in PATCHBAY_LIVE_GCP_REGION (default us-central1). See the README
 * ("Live tests") for what they create and cost. Every resource is named `pb-live-<timestamp>` and deleted at
 * the end.
 */
import type { Provider, ResourceRef } from '@patchbay/core';
import { gcp } from '@patchbay/provider-gcp';
import { afterAll, describe, expect, it } from 'vitest';
import { callContext } from './call-context.js';

const live = process.env.PATCHBAY_LIVE_GCP === '1';
const project = process.env.PATCHBAY_LIVE_GCP_PROJECT ?? '';
const region = process.env.PATCHBAY_LIVE_GCP_REGION ?? 'us-central1';
const env = `pb-live-${Date.now().toString(36)}`;
const ctx = callContext();
const cleanup: (() => Promise<void>)[] = [];

const ref = (id: string, type: string, name: string, physicalId?: string): ResourceRef => ({
  id,
  type,
  name,
  environment: env,
  ...(physicalId ? { physicalId } : {}),
});

describe.skipIf(!live)('live GCP', () => {
  const provider: Provider = live ? gcp({ project, region, pollIntervalMs: 5_000 }) : ({} as Provider);
  const type = (name: string) => provider.types[name]!;

  afterAll(async () => {
    for (const step of cleanup.reverse())
      await step().catch((e: unknown) => console.error('cleanup failed:', e));
  }, 1_800_000);

  it('Cloud Run: create, observe equal to desired, masked patch with the etag, stale etag refused', async () => {
    const attributes = {
      region,
      image: 'us-docker.pkg.dev/cloudrun/container/hello',
      cpu: 1,
      memory: 512,
      port: 8080,
      minInstances: 0,
      maxInstances: 2,
      ingress: 'internal',
      environment: { A: '1' },
      labels: { purpose: 'patchbay-live-test' },
    };
    const r = ref('compute/api', 'gcp.run.service', `${env}-api`);
    const created = await type('gcp.run.service').create({ ref: r, attributes, idempotencyToken: env }, ctx);
    const at = { ...r, physicalId: created.physicalId! };
    cleanup.push(() => type('gcp.run.service').delete!(at, ctx));
    const observed = (await type('gcp.run.service').observe(at, ctx))!;
    expect(observed.attributes).toMatchObject(attributes);
    await type('gcp.run.service').patch(
      at,
      [{ attribute: 'maxInstances', from: 2, to: 3 }],
      { kind: 'version', version: observed.version! },
      ctx,
    );
    await expect(
      type('gcp.run.service').patch(
        at,
        [{ attribute: 'maxInstances', from: 3, to: 4 }],
        { kind: 'version', version: observed.version! },
        ctx,
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  }, 900_000);

  it('Cloud SQL: create (smallest tier), patch one label with settingsVersion, stale version refused', async () => {
    const attributes = {
      region,
      databaseVersion: 'POSTGRES_16',
      tier: 'db-f1-micro',
      diskSizeGb: 10,
      availabilityType: 'ZONAL',
      backupEnabled: false,
      backupRetentionDays: 7,
      labels: { purpose: 'patchbay-live-test' },
    };
    const r = ref('db/main', 'gcp.sql.instance', `${env}-main`);
    const created = await type('gcp.sql.instance').create({ ref: r, attributes, idempotencyToken: env }, ctx);
    const at = { ...r, physicalId: created.physicalId! };
    cleanup.push(() => type('gcp.sql.instance').delete!(at, ctx));
    const observed = (await type('gcp.sql.instance').observe(at, ctx))!;
    expect(observed.attributes).toMatchObject(attributes);
    await type('gcp.sql.instance').patch(
      at,
      [{ attribute: 'labels.team', from: undefined, to: 'data' }],
      { kind: 'version', version: observed.version! },
      ctx,
    );
    await expect(
      type('gcp.sql.instance').patch(
        at,
        [{ attribute: 'labels.team', from: 'data', to: 'db' }],
        { kind: 'version', version: observed.version! },
        ctx,
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  }, 3_600_000);
});
