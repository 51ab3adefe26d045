/**
 * Live test against a real cluster. Skipped unless PATCHBAY_LIVE_K8S=1; uses the kubeconfig at
 * KUBECONFIG (default ~/.kube/config) and PATCHBAY_LIVE_K8S_CONTEXT (default: its current context).
 * Everything lives in a namespace `pb-live-<timestamp>` that is deleted at the end (also on failure).
 * See the README ("Live test").
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConflictError, type Provider, type ResourceRef } from '@patchbay/core';
import { k8s } from '@patchbay/provider-k8s';
import { afterAll, describe, expect, it } from 'vitest';
import { callContext } from './call-context.js';

const live = process.env.PATCHBAY_LIVE_K8S === '1';
const env = `pb-live-${Date.now().toString(36)}`;
const ctx = callContext();
const ref = (id: string, type: string, name: string): ResourceRef => ({ id, type, name, environment: env });

describe.skipIf(!live)('live Kubernetes', () => {
  const provider: Provider = live
    ? k8s({
        kubeconfig: { path: process.env.KUBECONFIG?.split(':')[0] ?? join(homedir(), '.kube', 'config') },
        ...(process.env.PATCHBAY_LIVE_K8S_CONTEXT ? { context: process.env.PATCHBAY_LIVE_K8S_CONTEXT } : {}),
        namespace: env,
        pollIntervalMs: 2000,
        waitTimeoutMs: 300_000,
      })
    : ({} as Provider);
  const type = (name: string) => provider.types[name]!;
  const nsRef = ref('k8s/namespace', 'k8s.namespace', env);

  afterAll(async () => {
    await type('k8s.namespace').delete!(nsRef, ctx).catch((e: unknown) =>
      console.error('cleanup failed:', e),
    );
  }, 600_000);

  it('namespace, deployment (waits until available), service, HPA; minimal patch; stale write refused', async () => {
    await type('k8s.namespace').create(
      { ref: nsRef, attributes: { labels: {} }, idempotencyToken: env },
      ctx,
    );
    const depRef = ref('compute/web', 'k8s.deployment', 'web');
    const attributes = {
      namespace: env,
      image: 'registry.k8s.io/pause:3.10',
      replicas: 1,
      cpu: 0.05,
      memory: 32,
      port: 8080,
      environment: { A: '1' },
      labels: {},
    };
    await type('k8s.deployment').create({ ref: depRef, attributes, idempotencyToken: env }, ctx);
    const observed = (await type('k8s.deployment').observe(depRef, ctx))!;
    expect(observed.attributes).toMatchObject({ ...attributes, labels: expect.any(Object) });

    await type('k8s.service').create(
      {
        ref: ref('compute/web/service', 'k8s.service', 'web'),
        attributes: {
          namespace: env,
          port: 80,
          targetPort: 8080,
          serviceType: 'ClusterIP',
          selector: { app: 'web' },
        },
        idempotencyToken: env,
      },
      ctx,
    );
    await type('k8s.hpa').create(
      {
        ref: ref('compute/web/hpa', 'k8s.hpa', 'web'),
        attributes: {
          namespace: env,
          deployment: 'web',
          minReplicas: 1,
          maxReplicas: 2,
          targetCpuUtilization: 70,
        },
        idempotencyToken: env,
      },
      ctx,
    );

    await type('k8s.deployment').patch(
      depRef,
      [{ attribute: 'environment', from: { A: '1' }, to: { A: '2' } }],
      { kind: 'version', version: observed.version! },
      ctx,
    );
    const after = (await type('k8s.deployment').observe(depRef, ctx))!;
    expect(after.attributes.environment).toEqual({ A: '2' });

    // The first observation's version is stale now and `environment` moved: a conflict, nothing written.
    await expect(
      type('k8s.deployment').patch(
        depRef,
        [{ attribute: 'environment', from: { A: '1' }, to: { A: '3' } }],
        { kind: 'version', version: observed.version! },
        ctx,
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await type('k8s.deployment').observe(depRef, ctx))!.attributes.environment).toEqual({ A: '2' });
  }, 600_000);
});
