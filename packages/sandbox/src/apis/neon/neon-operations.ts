import { randomUUID } from 'node:crypto';
import type { NeonCall, NeonReply } from './neon-call.js';
import { type NeonEnv, wire } from './neon-env.js';
import { neonError } from './neon-errors.js';
import type { NeonOperation, NeonOperationAction } from './neon-records.js';

interface OperationTarget {
  project_id: string;
  branch_id?: string;
  endpoint_id?: string;
  action: NeonOperationAction;
}

/**
 * Answers 423 Locked when the project (or, with `branchId`, that branch) has an operation still
 * running, as Neon does: callers must poll operations until finished before the next mutation.
 */
export function assertUnlocked(env: NeonEnv, projectId: string, branchId?: string): void {
  const busy = env
    .under(env.operations, `${projectId}/`)
    .some(
      ([, operation]) =>
        operation.status === 'running' && (branchId === undefined || operation.branch_id === branchId),
    );
  if (busy) throw neonError.locked();
}

/** Starts operations (status `running`) that finish after the operation delay of the API call. */
export function startOperations(env: NeonEnv, targets: OperationTarget[]): object[] {
  const now = env.isoNow();
  const settleAt = env.ctx.now() + env.ctx.operationDelayMs(env.apiOperation);
  return targets.map((target) => {
    const operation: NeonOperation = {
      id: randomUUID(),
      ...target,
      status: 'running',
      failures_count: 0,
      created_at: now,
      updated_at: now,
      total_duration_ms: 0,
      _sandbox: { settleAt },
    };
    env.operations.put(`${target.project_id}/${operation.id}`, operation);
    return wire(operation);
  });
}

/** Finishes every operation whose time has come and applies its effect (branch ready, compute active…). */
export function settleOperations(env: NeonEnv): void {
  const now = env.ctx.now();
  for (const [id, record] of env.operations.entries()) {
    const operation = record.data;
    if (operation.status !== 'running' || operation._sandbox.settleAt > now) continue;
    const finishedAt = env.isoNow();
    env.operations.put(id, {
      ...structuredClone(operation),
      status: 'finished',
      updated_at: finishedAt,
      total_duration_ms: Math.max(0, now - Date.parse(operation.created_at)),
    });
    applyEffect(env, operation, finishedAt);
  }
}

function applyEffect(env: NeonEnv, operation: NeonOperation, at: string): void {
  const { project_id: projectId, branch_id: branchId, endpoint_id: endpointId } = operation;
  if (operation.action === 'create_timeline' && branchId) {
    const record = env.branches.get(`${projectId}/${branchId}`);
    if (!record || record.data.current_state === 'ready') return;
    const { pending_state: _pending, ...branch } = structuredClone(record.data);
    env.branches.put(`${projectId}/${branchId}`, { ...branch, current_state: 'ready', state_changed_at: at });
  }
  if ((operation.action === 'start_compute' || operation.action === 'suspend_compute') && endpointId) {
    const record = env.endpoints.get(`${projectId}/${endpointId}`);
    if (!record) return;
    const { pending_state: _pending, ...endpoint } = structuredClone(record.data);
    const active = operation.action === 'start_compute';
    env.endpoints.put(`${projectId}/${endpointId}`, {
      ...endpoint,
      current_state: active ? 'active' : 'idle',
      ...(active ? { started_at: at, last_active: at } : { suspended_at: at }),
    });
  }
}

export function getProjectOperation(call: NeonCall, env: NeonEnv): NeonReply {
  const projectId = call.params.project_id as string;
  env.project(projectId);
  const record = env.operations.get(`${projectId}/${call.params.operation_id}`);
  if (!record) throw neonError.notFound(`operation ${call.params.operation_id}`);
  return { status: 200, body: { operation: wire(record.data) } };
}

/** Newest first; `cursor` is the id of the last operation of the previous page. */
export function listProjectOperations(call: NeonCall, env: NeonEnv): NeonReply {
  const projectId = call.params.project_id as string;
  env.project(projectId);
  const all = env
    .under(env.operations, `${projectId}/`)
    .map(([, operation]) => operation)
    .reverse();
  const limit = (call.query.limit as number | undefined) ?? 10;
  const start = call.query.cursor ? all.findIndex((op) => op.id === call.query.cursor) + 1 : 0;
  const page = all.slice(start, start + limit);
  const last = page.at(-1);
  return {
    status: 200,
    body: {
      operations: page.map(wire),
      ...(last && start + limit < all.length ? { pagination: { cursor: last.id } } : {}),
    },
  };
}
