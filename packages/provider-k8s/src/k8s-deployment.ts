import {
  PatchStrategy,
  setHeaderOptions,
  type V1Container,
  type V1Deployment,
} from '@kubernetes/client-node';
import {
  type AttributeChange,
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
import { cpuFromQuantity, cpuQuantity, memoryFromQuantity, memoryQuantity } from './resource-quantity.js';
import { waitUntilGone } from './wait-until-gone.js';

const MAPS = ['labels'] as const;
const smp = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
// Attributes that live in the pod template: changing one starts a rollout, which patch waits out.
const TEMPLATE_ATTRIBUTES = new Set(['image', 'cpu', 'memory', 'port', 'environment']);

/**
 * `k8s.deployment`: an apps/v1 Deployment with one container named after the resource, pods labelled
 * and selected by `app: <name>` (what the unit's `k8s.service` selects). Owns `namespace` (immutable),
 * `image`, `replicas`, `cpu` / `memory` (the container's resource requests), `port`, `environment`
 * (compared whole) and `labels` (per key).
 */
export function k8sDeployment(ctx: K8sContext): ResourceType {
  const read = (at: NamespacedName) =>
    k8sRead('readNamespacedDeployment', physicalIdOf(at), () =>
      ctx.apps.readNamespacedDeployment({ name: at.name, namespace: at.namespace }),
    );

  async function waitRolledOut(at: NamespacedName, signal: AbortSignal, progress: (m: string) => void) {
    let last = '';
    return pollUntil(
      {
        provider: 'k8s',
        what: `deployment ${physicalIdOf(at)} available`,
        intervalMs: ctx.pollIntervalMs,
        timeoutMs: ctx.waitTimeoutMs,
        signal,
        resource: physicalIdOf(at),
      },
      async () => {
        const dep = await read(at);
        if (!dep)
          throw new ProviderError('k8s', 'wait', 'not-found', 'deleted while rolling out', {
            resource: physicalIdOf(at),
          });
        const state = rolloutState(dep);
        if (state.failed)
          throw new ProviderError('k8s', 'wait', 'fatal', `rollout failed: ${state.failed}`, {
            resource: physicalIdOf(at),
          });
        if (state.message !== last) {
          last = state.message;
          progress(last);
        }
        return state.done ? dep : undefined;
      },
    );
  }

  return {
    precondition: 'version',
    immutable: ['namespace'],
    // A deployment is found by name in its namespace: ref.identity carries the spec's `namespace`.
    identity: ['namespace'],
    maps: MAPS,
    api: 'k8s',
    normalize: normalizeDeployment,
    async observe(ref) {
      const dep = await read(namespacedName(ref, ctx));
      return dep ? toObserved(dep, ref.name) : undefined;
    },
    async create({ ref, attributes }, call) {
      const at = {
        namespace: String(attributes.namespace ?? namespacedName(ref, ctx).namespace),
        name: ref.name,
      };
      const body = deploymentBody(at, attributes, labelsForCreate(attributes.labels, ref));
      try {
        await ctx.apps.createNamespacedDeployment({
          namespace: at.namespace,
          body,
          fieldManager: ctx.fieldManager,
        });
      } catch (error) {
        if (!isAlreadyExists(error))
          throw toProviderError(error, 'createNamespacedDeployment', physicalIdOf(at));
        const existing = await read(at);
        if (!existing || !ownedBy(existing.metadata?.labels, ref))
          throw notOursError(ref, `deployment ${physicalIdOf(at)}`, 'createNamespacedDeployment', error);
      }
      call.progress(`deployment ${physicalIdOf(at)} created, waiting until available`);
      return toObserved(await waitRolledOut(at, call.signal, call.progress), ref.name);
    },
    async patch(ref, changes, precondition, call) {
      const at = namespacedName(ref, ctx);
      const resource = physicalIdOf(at);
      const touchesContainer = changes.some((c) => TEMPLATE_ATTRIBUTES.has(c.attribute));
      const result = await guardedPatch<V1Deployment>({
        resource,
        operation: 'patchNamespacedDeployment',
        changes,
        precondition,
        maps: MAPS,
        normalize: normalizeDeployment,
        read: async () => {
          const dep = await read(at);
          return dep ? { object: dep, observed: toObserved(dep, ref.name) } : undefined;
        },
        // The container is addressed by name (the strategic merge key): read it only if it isn't ours.
        needsLive: false,
        body: () => patchBody(changes, ref.name),
        send: (body) =>
          ctx.apps.patchNamespacedDeployment(
            { name: at.name, namespace: at.namespace, body, fieldManager: ctx.fieldManager },
            smp,
          ),
      });
      if (!result) return {};
      if (touchesContainer) {
        call.progress(`deployment ${resource} rolling out`);
        return toObserved(await waitRolledOut(at, call.signal, call.progress), ref.name);
      }
      return toObserved(result, ref.name);
    },
    async delete(ref, call) {
      const at = namespacedName(ref, ctx);
      const deleted = await k8sRead('deleteNamespacedDeployment', physicalIdOf(at), () =>
        ctx.apps.deleteNamespacedDeployment({ name: at.name, namespace: at.namespace }),
      );
      if (deleted === undefined) return;
      call.progress(`deployment ${physicalIdOf(at)} deleting`);
      await waitUntilGone(ctx, call, 'deployment', physicalIdOf(at), () => read(at));
    },
  };
}

function deploymentBody(at: NamespacedName, a: Attributes, labels: Record<string, string>): V1Deployment {
  const container: V1Container = { name: at.name, image: String(a.image) };
  if (a.port !== undefined) container.ports = [{ containerPort: Number(a.port), protocol: 'TCP' }];
  const env = stringMap(a.environment);
  if (Object.keys(env).length > 0)
    container.env = Object.keys(env)
      .sort()
      .map((name) => ({ name, value: env[name] }));
  const requests: Record<string, string> = {};
  if (a.cpu !== undefined) requests.cpu = cpuQuantity(Number(normalizeDeployment('cpu', a.cpu)));
  if (a.memory !== undefined)
    requests.memory = memoryQuantity(Number(normalizeDeployment('memory', a.memory)));
  if (Object.keys(requests).length > 0) container.resources = { requests };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: at.name, namespace: at.namespace, labels },
    spec: {
      ...(a.replicas !== undefined ? { replicas: Number(a.replicas) } : {}),
      selector: { matchLabels: { app: at.name } },
      template: { metadata: { labels: { app: at.name } }, spec: { containers: [container] } },
    },
  };
}

/** A strategic merge patch of exactly `changes`: the container is merged by name, env vars and ports by key. */
function patchBody(changes: readonly AttributeChange[], containerName: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const labels = mapChanges(changes, 'labels');
  if (Object.keys(labels).length > 0) body.metadata = { labels };
  const spec: Record<string, unknown> = {};
  const replicas = changeOf(changes, 'replicas');
  if (replicas) spec.replicas = replicas.to ?? null;
  const container: Record<string, unknown> = { name: containerName };
  const image = changeOf(changes, 'image');
  if (image) container.image = image.to;
  const requests: Record<string, string | null> = {};
  const cpu = changeOf(changes, 'cpu');
  if (cpu)
    requests.cpu = cpu.to === undefined ? null : cpuQuantity(Number(normalizeDeployment('cpu', cpu.to)));
  const memory = changeOf(changes, 'memory');
  if (memory)
    requests.memory =
      memory.to === undefined ? null : memoryQuantity(Number(normalizeDeployment('memory', memory.to)));
  if (Object.keys(requests).length > 0) container.resources = { requests };
  const port = changeOf(changes, 'port');
  if (port) {
    const ports: Record<string, unknown>[] = [];
    if (port.to !== undefined) ports.push({ containerPort: Number(port.to), protocol: 'TCP' });
    if (port.from !== undefined && port.from !== port.to)
      ports.push({ containerPort: Number(port.from), $patch: 'delete' });
    container.ports = ports;
  }
  const environment = changeOf(changes, 'environment');
  if (environment) {
    const from = stringMap(environment.from);
    const to = stringMap(environment.to);
    const env: Record<string, unknown>[] = [];
    for (const name of Object.keys(to).sort())
      if (from[name] !== to[name]) env.push({ name, value: to[name] });
    for (const name of Object.keys(from).sort()) if (!(name in to)) env.push({ name, $patch: 'delete' });
    if (env.length > 0) container.env = env;
  }
  if (Object.keys(container).length > 1) spec.template = { spec: { containers: [container] } };
  if (Object.keys(spec).length > 0) body.spec = spec;
  return body;
}

/** The container Patchbay manages: the one named after the resource, else the only one. */
function ourContainer(dep: V1Deployment, name: string): V1Container | undefined {
  const containers = dep.spec?.template?.spec?.containers ?? [];
  return containers.find((c) => c.name === name) ?? (containers.length === 1 ? containers[0] : undefined);
}

function toObserved(dep: V1Deployment, name: string): Observed {
  const meta = dep.metadata ?? {};
  if (!meta.name || !meta.namespace)
    throw new ProviderError(
      'k8s',
      'readNamespacedDeployment',
      'fatal',
      'the API returned a deployment without name or namespace',
    );
  const attributes: Attributes = {
    namespace: meta.namespace,
    // The API server defaults an omitted replicas to 1.
    replicas: dep.spec?.replicas ?? 1,
    labels: stringMap(meta.labels),
  };
  const container = ourContainer(dep, name);
  if (container) {
    if (container.image !== undefined) attributes.image = container.image;
    const cpu = cpuFromQuantity(container.resources?.requests?.cpu);
    if (cpu !== undefined) attributes.cpu = cpu;
    const memory = memoryFromQuantity(container.resources?.requests?.memory);
    if (memory !== undefined) attributes.memory = memory;
    const port = container.ports?.[0]?.containerPort;
    if (port !== undefined) attributes.port = port;
    const env: Record<string, string> = {};
    // Variables taken from secrets or fields (valueFrom) are not values Patchbay can own.
    for (const e of container.env ?? []) if (e.valueFrom === undefined) env[e.name] = e.value ?? '';
    attributes.environment = sortKeys(env);
  }
  return { physicalId: `${meta.namespace}/${meta.name}`, attributes, version: meta.resourceVersion };
}

/** Desired values in the form observe reports: vCPU and MiB numbers from quantities, env sorted strings. */
export function normalizeDeployment(attribute: string, value: JsonValue): JsonValue {
  switch (attribute) {
    case 'cpu':
      return cpuFromQuantity(value) ?? value;
    case 'memory':
      // A bare number is MiB (Patchbay's unit); a string is a Kubernetes quantity (`"1Gi"`).
      return typeof value === 'string' ? (memoryFromQuantity(value) ?? value) : value;
    case 'replicas':
    case 'port':
      return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    case 'environment':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? sortKeys(stringMap(value))
        : value;
    default:
      return value;
  }
}

function sortKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** kubectl's `rollout status` rule: the new generation is observed and every replica updated and available. */
function rolloutState(dep: V1Deployment): { done: boolean; failed?: string; message: string } {
  const status = dep.status ?? {};
  const want = dep.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const total = status.replicas ?? 0;
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return { done: false, failed: progressing.message ?? 'progress deadline exceeded', message: '' };
  const observed = (status.observedGeneration ?? 0) >= (dep.metadata?.generation ?? 0);
  const availableCondition = status.conditions?.find((c) => c.type === 'Available')?.status === 'True';
  const done =
    observed &&
    updated >= want &&
    total <= updated &&
    available >= updated &&
    (want === 0 || availableCondition);
  return { done, message: `${available}/${want} replicas available, ${updated} updated` };
}
