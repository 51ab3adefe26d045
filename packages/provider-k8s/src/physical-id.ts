import type { ResourceRef } from '@patchbay/core';
import type { K8sContext } from './k8s-context.js';

/** A namespaced object's place: physicalId `namespace/name`. */
export interface NamespacedName {
  namespace: string;
  name: string;
}

/**
 * Where a namespaced resource lives: its physicalId `namespace/name` once created, else `ref.name` in the
 * namespace the engine passes in `ref.identity` (the spec's `namespace`: last-applied, else desired), else
 * (no `namespace` attribute known) the `namespace` option, else the environment's name as `desiredResources`
 * defaults it.
 */
export function namespacedName(ref: ResourceRef, ctx: K8sContext): NamespacedName {
  const slash = ref.physicalId?.indexOf('/') ?? -1;
  if (ref.physicalId && slash > 0)
    return { namespace: ref.physicalId.slice(0, slash), name: ref.physicalId.slice(slash + 1) };
  const namespace = ref.identity?.namespace;
  if (typeof namespace === 'string' && namespace !== '') return { namespace, name: ref.name };
  return { namespace: ctx.namespace ?? ref.environment, name: ref.name };
}

export const physicalIdOf = (at: NamespacedName) => `${at.namespace}/${at.name}`;
