import type { PlanJSON } from '../engine/plan-to-json.js';
import type { ApplySummary } from '../engine/plan-types.js';
import type { ResourceSpec } from '../resources/resource-spec.js';
import type { EnvironmentType } from './access-policy.js';

/**
 * Where a change request is:
 * - `proposed`: waiting for approvals (manual approval);
 * - `approved`: may be applied (enough approvals, or automatic approval);
 * - `applied`: applied and every action succeeded;
 * - `rejected`: an approver refused it;
 * - `superseded`: a newer request for the same environment replaced it before it was applied;
 * - `failed`: the apply failed, or the approval went stale (the fresh plan differed from the approved one).
 */
export type ChangeStatus = 'proposed' | 'approved' | 'applied' | 'rejected' | 'superseded' | 'failed';

/** Statuses from which nothing moves. */
export const FINAL_STATUSES: readonly ChangeStatus[] = ['applied', 'rejected', 'superseded', 'failed'];

/** Plan options a change request was proposed with; re-used, unchanged, when it is applied. */
export interface ChangePlanOptions {
  force?: string[];
  allowReplace?: string[];
  confirmDelete?: string[];
}

/** A proposed change to one environment, as stored. Contains no secret. */
export interface ChangeRequest {
  id: string;
  environment: string;
  environmentType: EnvironmentType;
  title: string;
  author: string;
  status: ChangeStatus;
  /** The environment's approval policy when proposed. */
  approval: 'automatic' | 'manual';
  /** Distinct approvals needed (0 with automatic approval). */
  requiredApprovals: number;
  approvals: { approver: string; at: string }[];
  rejection?: { approver: string; reason: string; at: string };
  /** The plan that was proposed and is approved (`planToJSON`, redacted). */
  plan: PlanJSON;
  planOptions: ChangePlanOptions;
  /**
   * sha256 of the desired resources (sensitive values as their `sha256:` hash): an apply with desired
   * resources passed again must match it.
   */
  desiredDigest: string;
  /** The desired resources, stored only when none has a sensitive attribute (secrets are never stored). */
  desired?: ResourceSpec[];
  createdAt: string;
  updatedAt: string;
  /** The request that superseded this one. */
  supersededBy?: string;
  appliedBy?: string;
  /** Outcome of the apply (`applied` or `failed` after an apply). */
  result?: { ok: boolean; summary: ApplySummary; failed: string[] };
  /** Why it failed. */
  failure?: {
    reason: 'stale-approval' | 'apply-failed' | 'apply-error';
    message: string;
    changes?: string[];
  };
  /** Bumped by every save; the store refuses a save made from an older version. */
  version: number;
}
