import type { SandboxApi } from '../../core/sandbox-api.js';
import { discovery } from './kubernetes-discovery.js';
import { k8sError, statusResponse } from './kubernetes-errors.js';
import { asObject, type Json, k8sTimestamp, specHash } from './kubernetes-kind-strategy.js';
import { terminateNamespace } from './kubernetes-namespaces.js';
import { handleResource } from './kubernetes-objects.js';
import { kubernetesRateLimit } from './kubernetes-rate-limit.js';
import { isKubernetesPath, kubernetesOperation, requestTarget } from './kubernetes-request-target.js';
import { RESOURCE_TYPES } from './kubernetes-resource-types.js';
import { KIND_STRATEGIES } from './kubernetes-strategies.js';

/**
 * A Kubernetes API server (core/v1 namespaces, services, configmaps, secrets; apps/v1 deployments;
 * autoscaling/v2 horizontalpodautoscalers) with discovery, strict validation, resourceVersion
 * preconditions, JSON / merge / strategic merge patches and server-side apply with managedFields.
 * Collections are named after the kind in lower case (`deployment`); ids are `name` for namespaces
 * and `namespace/name` for everything else. See docs/kubernetes.md.
 */
export const kubernetesApi = (): SandboxApi => ({
  name: 'kubernetes',
  matches: (request) => isKubernetesPath(request.path),
  operation: kubernetesOperation,
  handle(request, ctx) {
    const target = requestTarget(request.path);
    if (!target) throw k8sError.pathNotFound(request.path);
    if (target.kind !== 'resource') {
      if (request.method !== 'GET') throw k8sError.methodNotAllowed(request.method);
      return discovery(target, ctx.baseUrl);
    }
    return handleResource({ request, ctx, operation: kubernetesOperation(request), ...target });
  },
  errorResponse: statusResponse,
  throttleError: () => k8sError.tooManyRequests(),
  serverError: () => k8sError.serviceUnavailable(),
  defaultRateLimit: kubernetesRateLimit,
  settle(ctx) {
    for (const strategy of Object.values(KIND_STRATEGIES)) strategy.settle?.(ctx);
  },
  console: {
    kinds: RESOURCE_TYPES.map((t) => t.collection),
    tag(_kind, record, key, value) {
      const metadata = asObject(record.data.metadata);
      metadata.labels = { ...asObject(metadata.labels), [key]: value };
      record.data.metadata = metadata;
    },
    afterWrite(kind, id, ctx) {
      // A console edit of the spec is a spec change: bump metadata.generation and let the controller react.
      const type = RESOURCE_TYPES.find((t) => t.collection === kind);
      const strategy = type && KIND_STRATEGIES[type.kind];
      const collection = ctx.collection<Json>(kind);
      const record = collection.get(id);
      if (!type?.hasGeneration || !strategy || !record) return;
      if (asObject(record.data._sandbox).specHash === specHash(record.data.spec)) return;
      const next = structuredClone(record.data);
      const metadata = asObject(next.metadata);
      metadata.generation = ((metadata.generation as number | undefined) ?? 0) + 1;
      const now = ctx.now();
      strategy.afterChange?.(next, record.data, true, {
        ctx,
        operation: 'console.edit',
        now,
        timestamp: k8sTimestamp(now),
      });
      next._sandbox = { ...asObject(next._sandbox), specHash: specHash(next.spec) };
      collection.put(id, next);
    },
    delete(kind, id, ctx) {
      const collection = ctx.collection<Json>(kind);
      const record = collection.get(id);
      if (!record) return false;
      if (kind === 'namespace') collection.put(id, terminateNamespace(record.data, ctx, 'console.delete'));
      else collection.delete(id);
      return true;
    },
  },
});
