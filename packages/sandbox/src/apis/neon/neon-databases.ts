import type { NeonCall, NeonReply } from './neon-call.js';
import type { NeonEnv } from './neon-env.js';
import { neonError } from './neon-errors.js';
import { assertUnlocked, startOperations } from './neon-operations.js';
import type { NeonDatabase } from './neon-records.js';

/** Builds (does not store) a database; ids are integers unique across the sandbox, as Neon's are. */
export function newDatabase(env: NeonEnv, branchId: string, name: string, ownerName: string): NeonDatabase {
  const now = env.isoNow();
  const id = Math.max(0, ...env.databases.values().map((record) => record.data.id)) + 1;
  return { id, branch_id: branchId, name, owner_name: ownerName, created_at: now, updated_at: now };
}

/** Database and role changes run through the branch's computes: one `apply_config` per endpoint. */
export function applyConfigOperations(env: NeonEnv, projectId: string, branchId: string): object[] {
  return startOperations(
    env,
    env.branchEndpoints(projectId, branchId).map((endpoint) => ({
      project_id: projectId,
      branch_id: branchId,
      endpoint_id: endpoint.id,
      action: 'apply_config' as const,
    })),
  );
}

function target(call: NeonCall, env: NeonEnv): { projectId: string; branchId: string } {
  const projectId = call.params.project_id as string;
  const branchId = call.params.branch_id as string;
  env.branch(projectId, branchId);
  return { projectId, branchId };
}

function assertOwner(env: NeonEnv, projectId: string, branchId: string, owner: string): void {
  if (!env.roles.has(`${projectId}/${branchId}/${owner}`)) {
    throw neonError.invalid(`database.owner_name: role ${owner} does not exist on branch ${branchId}`);
  }
}

export function createProjectBranchDatabase(call: NeonCall, env: NeonEnv): NeonReply {
  const { projectId, branchId } = target(call, env);
  const input = call.body.database as { name: string; owner_name: string };
  if (env.databases.has(`${projectId}/${branchId}/${input.name}`))
    throw neonError.conflict(`database ${input.name} already exists`);
  assertOwner(env, projectId, branchId, input.owner_name);
  assertUnlocked(env, projectId, branchId);
  const database = newDatabase(env, branchId, input.name, input.owner_name);
  env.databases.put(`${projectId}/${branchId}/${database.name}`, database);
  return { status: 201, body: { database, operations: applyConfigOperations(env, projectId, branchId) } };
}

export function getProjectBranchDatabase(call: NeonCall, env: NeonEnv): NeonReply {
  const { projectId, branchId } = target(call, env);
  return {
    status: 200,
    body: { database: env.database(projectId, branchId, call.params.database_name as string) },
  };
}

export function listProjectBranchDatabases(call: NeonCall, env: NeonEnv): NeonReply {
  const { projectId, branchId } = target(call, env);
  const databases = env.under(env.databases, `${projectId}/${branchId}/`).map(([, database]) => database);
  return { status: 200, body: { databases } };
}

export function updateProjectBranchDatabase(call: NeonCall, env: NeonEnv): NeonReply {
  const { projectId, branchId } = target(call, env);
  const current = env.database(projectId, branchId, call.params.database_name as string);
  const input = call.body.database as { name?: string; owner_name?: string };
  if (
    input.name !== undefined &&
    input.name !== current.name &&
    env.databases.has(`${projectId}/${branchId}/${input.name}`)
  )
    throw neonError.conflict(`database ${input.name} already exists`);
  if (input.owner_name !== undefined) assertOwner(env, projectId, branchId, input.owner_name);
  assertUnlocked(env, projectId, branchId);
  const database: NeonDatabase = { ...current, ...input, updated_at: env.isoNow() };
  if (database.name !== current.name) env.databases.delete(`${projectId}/${branchId}/${current.name}`);
  env.databases.put(`${projectId}/${branchId}/${database.name}`, database);
  return { status: 200, body: { database, operations: applyConfigOperations(env, projectId, branchId) } };
}

export function deleteProjectBranchDatabase(call: NeonCall, env: NeonEnv): NeonReply {
  const { projectId, branchId } = target(call, env);
  const database = env.database(projectId, branchId, call.params.database_name as string);
  assertUnlocked(env, projectId, branchId);
  env.databases.delete(`${projectId}/${branchId}/${database.name}`);
  return { status: 200, body: { database, operations: applyConfigOperations(env, projectId, branchId) } };
}
