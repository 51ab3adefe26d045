import {
  PatchStrategy,
  setHeaderOptions,
  type V2HorizontalPodAutoscaler,
  type V2MetricSpec,
} from '@kubernetes/client-node';
import {
  type Attributes,
  type JsonValue,
  type Observed,
  ProviderError,
  pollUntil,
  type ResourceType,
} from '@patchbay/core';
import { isAlreadyExists, notOursError } from './already-exists.js';
import { toProviderError } from './classify-k8s-error.js';
import { guardedPatch } from './guarded-patch.js';
import { k8sRead } from './k8s-call.js';
import type { K8sContext } from './k8s-context.js';
import { changeOf, mapChanges } from './map-changes.js';
import { labelsForCreate, ownedBy, stringMap } from './ownership-labels.js';
import { type NamespacedName, namespacedName, physicalIdOf } from './physical-id.js';
import { waitUntilGone } from './wait-until-gone.js';

const MAPS = ['labels'] as const;
const smp = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

const cpuMetric = (utilization: number): V2MetricSpec => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: utilization } },
});
const isCpuUtilization = (m: V2MetricSpec) =>
  m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target?.type === 'Utilization';

/**
 * `k8s.hpa`: an autoscaling/v2 HorizontalPodAutoscaler scaling a Deployment on CPU utilization. Owns
 * `namespace` (immutable), `deployment` (the target's name), `minReplicas`, `maxReplicas`,
 * `targetCpuUtilization` (percent) and `labels` (per key). Other metrics added outside Patchbay are kept.
 */
export function k8sHpa(ctx: K8sContext): ResourceType {
  const read = (at: NamespacedName) =>
    k8sRead('readNamespacedHorizontalPodAutoscaler', physicalIdOf(at), () =>
      ctx.autoscaling.readNamespacedHorizontalPodAutoscaler({ name: at.name, namespace: at.namespace }),
    );
  // The autoscaler is in effect once its controller has reported on it: conditions after a create, and
  // (where the server reports it) `status.observedGeneration` caught up after a spec change. Waiting
  // also keeps that first status write from landing between a caller's observe and its next patch.
  const waitInEffect = (at: NamespacedName, signal: AbortSignal) =>
    pollUntil(
      {
        provider: 'k8s',
        what: `hpa ${physicalIdOf(at)} picked up by its controller`,
        intervalMs: ctx.pollIntervalMs,
        timeoutMs: ctx.waitTimeoutMs,
        signal,
        resource: physicalIdOf(at),
      },
      async () => {
        const hpa = await read(at);
        if (!hpa)
          throw new ProviderError('k8s', 'wait', 'not-found', 'deleted while waiting', {
            resource: physicalIdOf(at),
          });
        const status = hpa.status;
        const observedGeneration = status?.observedGeneration;
        const caughtUp =
          observedGeneration === undefined || observedGeneration >= (hpa.metadata?.generation ?? 0);
        return (status?.conditions?.length ?? 0) > 0 && caughtUp ? hpa : undefined;
      },
    );

  return {
    precondition: 'version',
    immutable: ['namespace'],
    // A HPA is found by name in its namespace: ref.identity carries the spec's `namespace`.
    identity: ['namespace'],
    maps: MAPS,
    api: 'k8s',
    normalize: normalizeHpa,
    async observe(ref) {
      const hpa = await read(namespacedName(ref, ctx));
      return hpa ? toObserved(hpa) : undefined;
    },
    async create({ ref, attributes: a }, call) {
      const at = { namespace: String(a.namespace ?? namespacedName(ref, ctx).namespace), name: ref.name };
      const body: V2HorizontalPodAutoscaler = {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: at.name, namespace: at.namespace, labels: labelsForCreate(a.labels, ref) },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: String(a.deployment) },
          ...(a.minReplicas !== undefined ? { minReplicas: Number(a.minReplicas) } : {}),
          maxReplicas: Number(a.maxReplicas),
          ...(a.targetCpuUtilization !== undefined
            ? { metrics: [cpuMetric(Number(a.targetCpuUtilization))] }
            : {}),
        },
      };
      try {
        await ctx.autoscaling.createNamespacedHorizontalPodAutoscaler({
          namespace: at.namespace,
          body,
          fieldManager: ctx.fieldManager,
        });
      } catch (error) {
        if (!isAlreadyExists(error))
          throw toProviderError(error, 'createNamespacedHorizontalPodAutoscaler', physicalIdOf(at));
        const existing = await read(at);
        if (!existing || !ownedBy(existing.metadata?.labels, ref))
          throw notOursError(
            ref,
            `hpa ${physicalIdOf(at)}`,
            'createNamespacedHorizontalPodAutoscaler',
            error,
          );
      }
      call.progress(`hpa ${physicalIdOf(at)} created, waiting for its controller`);
      return toObserved(await waitInEffect(at, call.signal));
    },
    async patch(ref, changes, precondition, call) {
      const at = namespacedName(ref, ctx);
      const target = changeOf(changes, 'targetCpuUtilization');
      const result = await guardedPatch<V2HorizontalPodAutoscaler>({
        resource: physicalIdOf(at),
        operation: 'patchNamespacedHorizontalPodAutoscaler',
        changes,
        precondition,
        maps: MAPS,
        normalize: normalizeHpa,
        read: async () => {
          const hpa = await read(at);
          return hpa ? { object: hpa, observed: toObserved(hpa) } : undefined;
        },
        // `metrics` has no merge key (a patch replaces the list): rebuild it from the live one.
        needsLive: target !== undefined,
        body: (live) => {
          const body: Record<string, unknown> = {};
          const labels = mapChanges(changes, 'labels');
          if (Object.keys(labels).length > 0) body.metadata = { labels };
          const spec: Record<string, unknown> = {};
          for (const field of ['minReplicas', 'maxReplicas'] as const) {
            const change = changeOf(changes, field);
            if (change) spec[field] = change.to ?? null;
          }
          const deployment = changeOf(changes, 'deployment');
          if (deployment) spec.scaleTargetRef = { name: deployment.to };
          if (target) {
            const others = (live?.spec?.metrics ?? []).filter((m) => !isCpuUtilization(m));
            spec.metrics = target.to === undefined ? others : [cpuMetric(Number(target.to)), ...others];
          }
          if (Object.keys(spec).length > 0) body.spec = spec;
          return body;
        },
        send: (body) =>
          ctx.autoscaling.patchNamespacedHorizontalPodAutoscaler(
            { name: at.name, namespace: at.namespace, body, fieldManager: ctx.fieldManager },
            smp,
          ),
      });
      if (!result) return {};
      const specChanged = changes.some((c) => !c.attribute.startsWith('labels.') && c.attribute !== 'labels');
      // Only real servers report observedGeneration; without it there is nothing to wait for after a patch.
      if (specChanged && result.status?.observedGeneration !== undefined)
        return toObserved(await waitInEffect(at, call.signal));
      return toObserved(result);
    },
    async delete(ref, call) {
      const at = namespacedName(ref, ctx);
      const deleted = await k8sRead('deleteNamespacedHorizontalPodAutoscaler', physicalIdOf(at), () =>
        ctx.autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name: at.name, namespace: at.namespace }),
      );
      if (deleted === undefined) return;
      await waitUntilGone(ctx, call, 'hpa', physicalIdOf(at), () => read(at));
    },
  };
}

function toObserved(hpa: V2HorizontalPodAutoscaler): Observed {
  const meta = hpa.metadata ?? {};
  if (!meta.name || !meta.namespace)
    throw new ProviderError(
      'k8s',
      'readNamespacedHorizontalPodAutoscaler',
      'fatal',
      'the API returned an HPA without name or namespace',
    );
  const attributes: Attributes = {
    namespace: meta.namespace,
    deployment: hpa.spec?.scaleTargetRef?.name ?? null,
    // The API server defaults minReplicas to 1.
    minReplicas: hpa.spec?.minReplicas ?? 1,
    maxReplicas: hpa.spec?.maxReplicas ?? null,
    labels: stringMap(meta.labels),
  };
  const cpu = hpa.spec?.metrics?.find(isCpuUtilization)?.resource?.target?.averageUtilization;
  if (cpu !== undefined) attributes.targetCpuUtilization = cpu;
  return { physicalId: `${meta.namespace}/${meta.name}`, attributes, version: meta.resourceVersion };
}

export function normalizeHpa(attribute: string, value: JsonValue): JsonValue {
  if (
    ['minReplicas', 'maxReplicas', 'targetCpuUtilization'].includes(attribute) &&
    typeof value === 'string' &&
    /^\d+$/.test(value)
  )
    return Number(value);
  return value;
}
