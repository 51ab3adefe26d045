import type { StatusCause } from './kubernetes-errors.js';
import { asObject, type Json, type KindStrategy, k8sTimestamp } from './kubernetes-kind-strategy.js';
import { RESOURCE_TYPES } from './kubernetes-resource-types.js';
import { cause } from './kubernetes-validation.js';

const type = RESOURCE_TYPES.find((t) => t.kind === 'HorizontalPodAutoscaler')!;

/**
 * autoscaling/v2 HorizontalPodAutoscalers: `minReplicas` defaults to 1 and `metrics` to 80 % CPU, as
 * the server defaults them. After the operation delay the status reports the target's replica count
 * (desired = current clamped to min/max); the sandbox serves no metrics and does not scale targets.
 */
export const hpaStrategy: KindStrategy = {
  type,
  defaults(object) {
    object.spec ??= {};
    const spec = object.spec as Json;
    spec.minReplicas ??= 1;
    if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
      spec.metrics = [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ];
    }
    if (spec.behavior !== undefined) {
      const behavior = asObject(spec.behavior);
      behavior.scaleUp = {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
        ...asObject(behavior.scaleUp),
      };
      behavior.scaleDown = {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        ...asObject(behavior.scaleDown),
      };
      spec.behavior = behavior;
    }
  },
  validate(object) {
    const spec = asObject(object.spec);
    const target = asObject(spec.scaleTargetRef);
    const causes: StatusCause[] = [];
    if (!target.kind) causes.push(cause.required('spec.scaleTargetRef.kind'));
    if (!target.name) causes.push(cause.required('spec.scaleTargetRef.name'));
    const min = spec.minReplicas as number;
    const max = spec.maxReplicas;
    if (min < 1) causes.push(cause.invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
    if (typeof max !== 'number') causes.push(cause.required('spec.maxReplicas'));
    else if (max < min)
      causes.push(cause.invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
    return causes;
  },
  afterChange(object, previous, specChanged, w) {
    if (!previous) object.status = { desiredReplicas: 0 };
    if (specChanged)
      object._sandbox = {
        ...asObject(object._sandbox),
        settleAt: w.now + w.ctx.operationDelayMs(w.operation),
      };
  },
  settle(ctx) {
    const collection = ctx.collection<Json>(type.collection);
    const deployments = ctx.collection<Json>('deployment');
    const now = ctx.now();
    for (const [id, record] of collection.entries()) {
      const settleAt = asObject(record.data._sandbox).settleAt as number | undefined;
      if (settleAt === undefined || settleAt > now) continue;
      const object = structuredClone(record.data);
      const spec = asObject(object.spec);
      const namespace = id.slice(0, id.indexOf('/'));
      const target = asObject(spec.scaleTargetRef);
      const deployment =
        target.kind === 'Deployment' ? deployments.get(`${namespace}/${target.name as string}`) : undefined;
      const current = (asObject(deployment?.data.spec).replicas as number | undefined) ?? 0;
      const desired = Math.min(Math.max(current, spec.minReplicas as number), spec.maxReplicas as number);
      const timestamp = k8sTimestamp(now);
      object.status = {
        ...(current ? { currentReplicas: current } : {}),
        desiredReplicas: deployment ? desired : 0,
        conditions: [
          deployment
            ? {
                type: 'AbleToScale',
                status: 'True',
                lastTransitionTime: timestamp,
                reason: 'SucceededGetScale',
                message: "the HPA controller was able to get the target's current scale",
              }
            : {
                type: 'AbleToScale',
                status: 'False',
                lastTransitionTime: timestamp,
                reason: 'FailedGetScale',
                message: `the HPA controller was unable to get the target's current scale: deployments.apps "${target.name as string}" not found`,
              },
        ],
      };
      delete asObject(object._sandbox).settleAt;
      collection.put(id, object);
    }
  },
};
