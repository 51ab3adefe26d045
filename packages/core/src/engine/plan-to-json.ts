import type { Plan, PlannedAction, PlanSummary } from './plan-types.js';

/** Stable, documented JSON form of a plan for portals (see docs/engine.md). Contains no secret. */
export interface PlanJSON {
  schemaVersion: 1;
  environment: string;
  baseRevision: number;
  createdAt: string;
  empty: boolean;
  reads: number;
  summary: PlanSummary;
  actions: PlannedAction[];
}

export function planToJSON(plan: Plan): PlanJSON {
  return {
    schemaVersion: 1,
    environment: plan.environment,
    baseRevision: plan.baseRevision,
    createdAt: plan.createdAt,
    empty: plan.empty,
    reads: plan.reads,
    summary: { ...plan.summary },
    actions: plan.actions.map((a) => {
      const out: PlannedAction = {
        id: a.id,
        type: a.type,
        name: a.name,
        kind: a.kind,
        attributes: a.attributes.map((x) => ({ ...x })),
        dependsOn: [...a.dependsOn],
        observed: a.observed,
      };
      if (a.reason !== undefined) out.reason = a.reason;
      if (a.physicalId !== undefined) out.physicalId = a.physicalId;
      return out;
    }),
  };
}
