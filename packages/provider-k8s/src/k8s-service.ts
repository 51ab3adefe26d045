import { PatchStrategy, setHeaderOptions, type V1Service, type V1ServicePort } from '@kubernetes/client-node';
import {
  type Attributes,
  type JsonValue,
  type Observed,
  ProviderError,
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

const MAPS = ['labels', 'selector'] as const;
const smp = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

/**
 * `k8s.service`: a v1 Service with one TCP port. Owns `namespace` (immutable), `port`, `targetPort`,
 * `serviceType`, `selector` and `labels` (both per key).
 */
export function k8sService(ctx: K8sContext): ResourceType {
  const read = (at: NamespacedName) =>
    k8sRead('readNamespacedService', physicalIdOf(at), () =>
      ctx.core.readNamespacedService({ name: at.name, namespace: at.namespace }),
    );
  return {
    precondition: 'version',
    immutable: ['namespace'],
    // A service is found by name in its namespace: ref.identity carries the spec's `namespace`.
    identity: ['namespace'],
    maps: MAPS,
    api: 'k8s',
    normalize: normalizeService,
    async observe(ref) {
      const svc = await read(namespacedName(ref, ctx));
      return svc ? toObserved(svc) : undefined;
    },
    async create({ ref, attributes: a }, call) {
      const at = { namespace: String(a.namespace ?? namespacedName(ref, ctx).namespace), name: ref.name };
      const port: V1ServicePort = { port: Number(a.port), protocol: 'TCP' };
      if (a.targetPort !== undefined)
        port.targetPort = normalizeService('targetPort', a.targetPort) as number | string;
      const body: V1Service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: at.name, namespace: at.namespace, labels: labelsForCreate(a.labels, ref) },
        spec: {
          ...(a.serviceType !== undefined ? { type: String(a.serviceType) } : {}),
          selector: stringMap(a.selector),
          ports: [port],
        },
      };
      let created: V1Service;
      try {
        created = await ctx.core.createNamespacedService({
          namespace: at.namespace,
          body,
          fieldManager: ctx.fieldManager,
        });
      } catch (error) {
        if (!isAlreadyExists(error))
          throw toProviderError(error, 'createNamespacedService', physicalIdOf(at));
        const existing = await read(at);
        if (!existing || !ownedBy(existing.metadata?.labels, ref))
          throw notOursError(ref, `service ${physicalIdOf(at)}`, 'createNamespacedService', error);
        created = existing;
      }
      call.progress(`service ${physicalIdOf(at)} created`);
      return toObserved(created);
    },
    async patch(ref, changes, precondition) {
      const at = namespacedName(ref, ctx);
      const portChange = changeOf(changes, 'port');
      const targetChange = changeOf(changes, 'targetPort');
      const result = await guardedPatch<V1Service>({
        resource: physicalIdOf(at),
        operation: 'patchNamespacedService',
        changes,
        precondition,
        maps: MAPS,
        normalize: normalizeService,
        read: async () => {
          const svc = await read(at);
          return svc ? { object: svc, observed: toObserved(svc) } : undefined;
        },
        // Service ports merge by `port`: changing either number needs the live entry to rewrite it.
        needsLive: portChange !== undefined || targetChange !== undefined,
        body: (live) => {
          const body: Record<string, unknown> = {};
          const labels = mapChanges(changes, 'labels');
          if (Object.keys(labels).length > 0) body.metadata = { labels };
          const spec: Record<string, unknown> = {};
          const type = changeOf(changes, 'serviceType');
          if (type) spec.type = type.to ?? null;
          const selector = mapChanges(changes, 'selector');
          if (Object.keys(selector).length > 0) spec.selector = selector;
          const current = live?.spec?.ports?.[0];
          if (current && (portChange || targetChange)) {
            const next: Record<string, unknown> = { ...current };
            if (portChange?.to !== undefined) next.port = Number(portChange.to);
            if (targetChange) next.targetPort = targetChange.to ?? next.port;
            spec.ports =
              next.port === current.port ? [next] : [next, { port: current.port, $patch: 'delete' }];
          }
          if (Object.keys(spec).length > 0) body.spec = spec;
          return body;
        },
        send: (body) =>
          ctx.core.patchNamespacedService(
            { name: at.name, namespace: at.namespace, body, fieldManager: ctx.fieldManager },
            smp,
          ),
      });
      return result ? toObserved(result) : {};
    },
    async delete(ref, call) {
      const at = namespacedName(ref, ctx);
      const deleted = await k8sRead('deleteNamespacedService', physicalIdOf(at), () =>
        ctx.core.deleteNamespacedService({ name: at.name, namespace: at.namespace }),
      );
      if (deleted === undefined) return;
      await waitUntilGone(ctx, call, 'service', physicalIdOf(at), () => read(at));
    },
  };
}

function toObserved(svc: V1Service): Observed {
  const meta = svc.metadata ?? {};
  if (!meta.name || !meta.namespace)
    throw new ProviderError(
      'k8s',
      'readNamespacedService',
      'fatal',
      'the API returned a service without name or namespace',
    );
  const port = svc.spec?.ports?.[0];
  const attributes: Attributes = {
    namespace: meta.namespace,
    // The API server defaults the type to ClusterIP and targetPort to the port.
    serviceType: svc.spec?.type ?? 'ClusterIP',
    selector: stringMap(svc.spec?.selector),
    labels: stringMap(meta.labels),
  };
  if (port) {
    attributes.port = port.port;
    attributes.targetPort = normalizeService('targetPort', port.targetPort ?? port.port);
  }
  return { physicalId: `${meta.namespace}/${meta.name}`, attributes, version: meta.resourceVersion };
}

/** `targetPort` may be a number or a named port: numeric strings become numbers. */
export function normalizeService(attribute: string, value: JsonValue): JsonValue {
  if (
    (attribute === 'port' || attribute === 'targetPort') &&
    typeof value === 'string' &&
    /^\d+$/.test(value)
  )
    return Number(value);
  return value;
}
