import type { NeonEnv } from './neon-env.js';

/** Removes a branch with its endpoints, databases and roles (Neon deletes them with the branch). */
export function deleteBranchTree(env: NeonEnv, projectId: string, branchId: string): boolean {
  const deleted = env.branches.delete(`${projectId}/${branchId}`);
  for (const endpoint of env.branchEndpoints(projectId, branchId)) {
    env.endpoints.delete(`${projectId}/${endpoint.id}`);
  }
  for (const collection of [env.databases, env.roles]) {
    for (const [id] of env.under<unknown>(collection, `${projectId}/${branchId}/`)) collection.delete(id);
  }
  return deleted;
}

/** Removes a project and everything in it, operations included. */
export function deleteProjectTree(env: NeonEnv, projectId: string): boolean {
  const deleted = env.projects.delete(projectId);
  for (const collection of [env.branches, env.endpoints, env.databases, env.roles, env.operations]) {
    for (const [id] of env.under<unknown>(collection, `${projectId}/`)) collection.delete(id);
  }
  return deleted;
}
