import { createHash } from 'node:crypto';
import type { StatusCause } from './kubernetes-errors.js';
import { asObject, type Json, type KindStrategy, k8sTimestamp } from './kubernetes-kind-strategy.js';
import { matchesLabels, selectorRequirements } from './kubernetes-label-selector.js';
import { podSpecDefaults, podTemplateCauses } from './kubernetes-pod-template.js';
import { RESOURCE_TYPES } from './kubernetes-resource-types.js';
import { cause } from './kubernetes-validation.js';

const type = RESOURCE_TYPES.find((t) => t.kind === 'Deployment')!;
const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const STRATEGIES = ['Recreate', 'RollingUpdate'];

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/**
 * apps/v1 Deployments. The sandbox plays the deployment controller: a spec change is observed at once
 * (`observedGeneration`, Progressing/ReplicaSetUpdated, `updatedReplicas` 0 when the template changed)
 * and completes after the operation delay (every replica updated, ready and available; Available True,
 * Progressing NewReplicaSetAvailable). Paused deployments do not progress. No pods or ReplicaSets exist.
 */
export const deploymentStrategy: KindStrategy = {
  type,
  defaults(object) {
    object.spec ??= {};
    const spec = object.spec as Json;
    spec.replicas ??= 1;
    spec.strategy ??= { type: 'RollingUpdate' };
    const strategy = spec.strategy as Json;
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      strategy.rollingUpdate ??= {};
      const rolling = strategy.rollingUpdate as Json;
      rolling.maxUnavailable ??= '25%';
      rolling.maxSurge ??= '25%';
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    spec.template ??= {};
    const template = spec.template as Json;
    template.metadata ??= {};
    template.spec ??= {};
    podSpecDefaults(template.spec as Json);
  },
  validate(object, previous) {
    const spec = asObject(object.spec);
    const causes: StatusCause[] = [];
    const selector = spec.selector as Parameters<typeof selectorRequirements>[0] | undefined;
    const requirements = selector ? selectorRequirements(selector) : [];
    if (requirements.length === 0) causes.push(cause.required('spec.selector'));
    const template = asObject(spec.template);
    const labels = asObject(asObject(template.metadata).labels) as Record<string, string>;
    if (requirements.length && !matchesLabels(requirements, labels)) {
      causes.push(
        cause.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'),
      );
    }
    causes.push(...podTemplateCauses(template, 'spec.template', ['Always']));
    if (typeof spec.replicas === 'number' && spec.replicas < 0) {
      causes.push(cause.invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
    }
    const strategyType = asObject(spec.strategy).type;
    if (!STRATEGIES.includes(strategyType as string)) {
      causes.push(cause.notSupported('spec.strategy.type', strategyType, STRATEGIES));
    }
    if (previous && !equal(asObject(previous.spec).selector, spec.selector)) {
      causes.push(cause.immutable('spec.selector', spec.selector));
    }
    return causes;
  },
  afterChange(object, previous, specChanged, w) {
    if (!specChanged) return;
    const spec = asObject(object.spec);
    const metadata = asObject(object.metadata);
    const before = asObject(object.status);
    const replicas = spec.replicas as number;
    const templateChanged = !previous || !equal(asObject(previous.spec).template, spec.template);
    const available = Math.min((before.availableReplicas as number | undefined) ?? 0, replicas);
    const conditions = (before.conditions as Condition[] | undefined) ?? [];
    const rsName = `${metadata.name as string}-${templateHash(spec.template)}`;
    const next: Json = counts({
      observedGeneration: metadata.generation,
      replicas: (before.replicas as number | undefined) ?? 0,
      updatedReplicas: templateChanged ? 0 : ((before.updatedReplicas as number | undefined) ?? 0),
      readyReplicas: Math.min((before.readyReplicas as number | undefined) ?? 0, replicas),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, replicas - available),
    });
    const wasAvailable = conditions.find((c) => c.type === 'Available');
    next.conditions = setConditions(conditions, w.timestamp, [
      wasAvailable ??
        condition(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
          w.timestamp,
        ),
      spec.paused
        ? condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', w.timestamp)
        : condition(
            'Progressing',
            'True',
            'ReplicaSetUpdated',
            `ReplicaSet "${rsName}" is progressing.`,
            w.timestamp,
          ),
    ]);
    object.status = next;
    const internal = asObject(object._sandbox);
    if (spec.paused) delete internal.settleAt;
    else internal.settleAt = w.now + w.ctx.operationDelayMs(w.operation);
    object._sandbox = internal;
  },
  settle(ctx) {
    const collection = ctx.collection<Json>(type.collection);
    const now = ctx.now();
    for (const [id, record] of collection.entries()) {
      const settleAt = asObject(record.data._sandbox).settleAt as number | undefined;
      if (settleAt === undefined || settleAt > now) continue;
      collection.put(id, completeRollout(structuredClone(record.data), k8sTimestamp(now)));
    }
  },
};

/** The status the deployment controller reports once every replica runs the current template. */
function completeRollout(object: Json, timestamp: string): Json {
  const spec = asObject(object.spec);
  const metadata = asObject(object.metadata);
  const replicas = spec.replicas as number;
  const before = asObject(object.status);
  const rsName = `${metadata.name as string}-${templateHash(spec.template)}`;
  object.status = {
    ...counts({
      observedGeneration: metadata.generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
    }),
    conditions: setConditions((before.conditions as Condition[] | undefined) ?? [], timestamp, [
      condition(
        'Available',
        'True',
        'MinimumReplicasAvailable',
        'Deployment has minimum availability.',
        timestamp,
      ),
      condition(
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${rsName}" has successfully progressed.`,
        timestamp,
      ),
    ]),
  };
  const internal = asObject(object._sandbox);
  delete internal.settleAt;
  object._sandbox = internal;
  return object;
}

/** Status counts are `omitempty` in k8s: zero counts are absent. */
function counts(values: Json): Json {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== 0 && v !== undefined));
}

function condition(
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  timestamp: string,
): Condition {
  return { type, status, lastUpdateTime: timestamp, lastTransitionTime: timestamp, reason, message };
}

/** Replaces conditions by type, keeping `lastTransitionTime` when the status did not change. */
function setConditions(existing: Condition[], timestamp: string, updates: Condition[]): Condition[] {
  return updates.map((update) => {
    const current = existing.find((c) => c.type === update.type);
    if (current && equal(current, update)) return current;
    const transition = current && current.status === update.status ? current.lastTransitionTime : timestamp;
    return { ...update, lastUpdateTime: timestamp, lastTransitionTime: transition };
  });
}

/** A pod-template-hash-like suffix (k8s' safe alphabet), stable for a template. */
function templateHash(template: unknown): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha256')
    .update(JSON.stringify(template ?? {}))
    .digest();
  return [...digest.subarray(0, 10)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** The autoscaling/v1 Scale view of a deployment (the `/scale` subresource). */
export function deploymentScale(object: Json, resourceVersion: string): Json {
  const metadata = asObject(object.metadata);
  const spec = asObject(object.spec);
  const selector = spec.selector as Parameters<typeof selectorRequirements>[0] | undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      uid: metadata.uid,
      resourceVersion,
      creationTimestamp: metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas },
    status: {
      replicas: (asObject(object.status).replicas as number | undefined) ?? 0,
      selector: selector
        ? selectorRequirements(selector)
            .map((r) => (r.operator === 'In' && r.values.length === 1 ? `${r.key}=${r.values[0]}` : r.key))
            .join(',')
        : '',
    },
  };
}
