import { PatchStrategy, setHeaderOptions, type V1Namespace } from '@kubernetes/client-node';
import type { Observed, ResourceRef, ResourceType } from '@patchbay/core';
import { ProviderError } from '@patchbay/core';
import { isAlreadyExists, notOursError } from './already-exists.js';
import { toProviderError } from './classify-k8s-error.js';
import { guardedPatch } from './guarded-patch.js';
import { k8sRead } from './k8s-call.js';
import type { K8sContext } from './k8s-context.js';
import { mapChanges } from './map-changes.js';
import { labelsForCreate, ownedBy, stringMap } from './ownership-labels.js';
import { waitUntilGone } from './wait-until-gone.js';

// Set by the API server on every namespace: not something a spec could own.
const SERVER_LABEL = 'kubernetes.io/metadata.name';
const MAPS = ['labels'] as const;
const smp = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

/** `k8s.namespace`: a cluster-scoped Namespace named `ref.name`; owns `labels` (per key). */
export function k8sNamespace(ctx: K8sContext): ResourceType {
  const name = (ref: ResourceRef) => ref.physicalId ?? ref.name;
  const read = (n: string) => k8sRead('readNamespace', n, () => ctx.core.readNamespace({ name: n }));

  const type: ResourceType = {
    precondition: 'version',
    maps: MAPS,
    api: 'k8s',
    async observe(ref) {
      const ns = await read(name(ref));
      return ns ? toObserved(ns) : undefined;
    },
    async create({ ref, attributes }, call) {
      const body: V1Namespace = {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ref.name, labels: labelsForCreate(attributes.labels, ref) },
      };
      let created: V1Namespace;
      try {
        created = await ctx.core.createNamespace({ body, fieldManager: ctx.fieldManager });
      } catch (error) {
        if (!isAlreadyExists(error)) throw toProviderError(error, 'createNamespace', ref.name);
        // A crashed earlier apply may have created it: take it if it carries our ownership labels.
        const existing = await read(ref.name);
        if (existing && ownedBy(existing.metadata?.labels, ref) && !existing.metadata?.deletionTimestamp)
          return toObserved(existing);
        throw notOursError(ref, `namespace ${ref.name}`, 'createNamespace', error);
      }
      call.progress(`namespace ${ref.name} created`);
      return toObserved(created);
    },
    async patch(ref, changes, precondition) {
      const n = name(ref);
      const result = await guardedPatch({
        resource: n,
        operation: 'patchNamespace',
        changes,
        precondition,
        maps: MAPS,
        normalize: (_a, v) => v,
        read: async () => {
          const ns = await read(n);
          return ns ? { object: ns, observed: toObserved(ns) } : undefined;
        },
        needsLive: false,
        body: () => ({ metadata: { labels: mapChanges(changes, 'labels') } }),
        send: (body) => ctx.core.patchNamespace({ name: n, body, fieldManager: ctx.fieldManager }, smp),
      });
      return result ? toObserved(result) : {};
    },
    async delete(ref, call) {
      const n = name(ref);
      const gone = await k8sRead('deleteNamespace', n, () => ctx.core.deleteNamespace({ name: n }));
      if (gone === undefined) return;
      call.progress(`namespace ${n} terminating`);
      await waitUntilGone(ctx, call, 'namespace', n, () => read(n));
    },
  };
  return type;
}

function toObserved(ns: V1Namespace): Observed {
  const name = ns.metadata?.name;
  if (!name)
    throw new ProviderError('k8s', 'readNamespace', 'fatal', 'the API returned a namespace without a name');
  const labels = stringMap(ns.metadata?.labels);
  delete labels[SERVER_LABEL];
  return {
    physicalId: name,
    attributes: { labels },
    version: ns.metadata?.resourceVersion,
  };
}
