import { randomUUID } from 'node:crypto';
import type { ApiContext } from '../../core/sandbox-api.js';
import { asObject, type Json, type KindStrategy, k8sTimestamp } from './kubernetes-kind-strategy.js';
import { RESOURCE_TYPES } from './kubernetes-resource-types.js';

const type = RESOURCE_TYPES.find((t) => t.kind === 'Namespace')!;

/** Namespaces every cluster has; the API refuses to delete the first three. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
export const UNDELETABLE_NAMESPACES = ['default', 'kube-system', 'kube-public'];

/**
 * core/v1 Namespaces: `kubernetes.io/metadata.name` label and `kubernetes` finalizer set by the
 * server; a deleted namespace is Terminating (its content still readable, no new content) until the
 * operation delay has passed, then it and everything in it are gone.
 */
export const namespaceStrategy: KindStrategy = {
  type,
  defaults(object, previous) {
    const metadata = asObject(object.metadata);
    metadata.labels = { ...asObject(metadata.labels), 'kubernetes.io/metadata.name': metadata.name };
    object.metadata = metadata;
    object.spec ??= {};
    const spec = object.spec as Json;
    spec.finalizers ??= ['kubernetes'];
    object.status = previous?.status ?? { phase: 'Active' };
  },
  validate: () => [],
  settle(ctx) {
    seedSystemNamespaces(ctx);
    const namespaces = ctx.collection<Json>(type.collection);
    const now = ctx.now();
    for (const [name, record] of namespaces.entries()) {
      const settleAt = asObject(record.data._sandbox).settleAt as number | undefined;
      if (settleAt === undefined || settleAt > now) continue;
      for (const namespaced of RESOURCE_TYPES.filter((t) => t.namespaced)) {
        const collection = ctx.collection(namespaced.collection);
        for (const id of collection.entries().map(([id]) => id)) {
          if (id.startsWith(`${name}/`)) collection.delete(id);
        }
      }
      namespaces.delete(name);
    }
  },
};

/** Marks a namespace Terminating; `settle` removes it after the operation delay. */
export function terminateNamespace(object: Json, ctx: ApiContext, operation: string): Json {
  const now = ctx.now();
  const next = structuredClone(object);
  asObject(next.metadata).deletionTimestamp = k8sTimestamp(now);
  next.status = {
    phase: 'Terminating',
    conditions: [
      {
        type: 'NamespaceDeletionContentFailure',
        status: 'False',
        lastTransitionTime: k8sTimestamp(now),
        reason: 'ContentDeleted',
        message: 'All content successfully deleted, may be waiting on finalization',
      },
    ],
  };
  next._sandbox = { ...asObject(next._sandbox), settleAt: now + ctx.operationDelayMs(operation) };
  return next;
}

export function isTerminating(object: Json | undefined): boolean {
  return asObject(object?.status).phase === 'Terminating';
}

/** A fresh cluster has default, kube-system, kube-public and kube-node-lease (re-created after a console reset). */
function seedSystemNamespaces(ctx: ApiContext): void {
  const namespaces = ctx.collection<Json>(type.collection);
  if (namespaces.has('default')) return;
  const timestamp = k8sTimestamp(ctx.now());
  for (const name of SYSTEM_NAMESPACES) {
    if (namespaces.has(name)) continue;
    namespaces.put(name, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        uid: randomUUID(),
        creationTimestamp: timestamp,
        labels: { 'kubernetes.io/metadata.name': name },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
      _sandbox: {},
    });
  }
}
