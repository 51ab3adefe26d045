import {
  createProjectBranch,
  deleteProjectBranch,
  getProjectBranch,
  listProjectBranches,
  updateProjectBranch,
} from './neon-branches.js';
import type { NeonHandler } from './neon-call.js';
import {
  createProjectBranchDatabase,
  deleteProjectBranchDatabase,
  getProjectBranchDatabase,
  listProjectBranchDatabases,
  updateProjectBranchDatabase,
} from './neon-databases.js';
import {
  createProjectEndpoint,
  deleteProjectEndpoint,
  getProjectEndpoint,
  listProjectBranchEndpoints,
  listProjectEndpoints,
  startProjectEndpoint,
  suspendProjectEndpoint,
  updateProjectEndpoint,
} from './neon-endpoints.js';
import { getProjectOperation, listProjectOperations } from './neon-operations.js';
import { createProject, deleteProject, getProject, listProjects, updateProject } from './neon-projects.js';
import {
  createProjectBranchRole,
  deleteProjectBranchRole,
  getProjectBranchRole,
  getProjectBranchRolePassword,
  listProjectBranchRoles,
  resetProjectBranchRolePassword,
} from './neon-roles.js';
import { templateRegex } from './neon-spec.js';

/** One implemented operation: method and path template exactly as in the spec, named by its operationId. */
export interface NeonRoute {
  method: string;
  path: string;
  operationId: string;
  handler: NeonHandler;
}

const P = '/projects/{project_id}';
const B = `${P}/branches/{branch_id}`;

/** Every operation the sandbox implements; counters and faults use the spec's operationIds. */
export const NEON_ROUTES: readonly NeonRoute[] = [
  { method: 'GET', path: '/projects', operationId: 'listProjects', handler: listProjects },
  { method: 'POST', path: '/projects', operationId: 'createProject', handler: createProject },
  { method: 'GET', path: P, operationId: 'getProject', handler: getProject },
  { method: 'PATCH', path: P, operationId: 'updateProject', handler: updateProject },
  { method: 'DELETE', path: P, operationId: 'deleteProject', handler: deleteProject },
  {
    method: 'GET',
    path: `${P}/operations`,
    operationId: 'listProjectOperations',
    handler: listProjectOperations,
  },
  {
    method: 'GET',
    path: `${P}/operations/{operation_id}`,
    operationId: 'getProjectOperation',
    handler: getProjectOperation,
  },
  { method: 'GET', path: `${P}/branches`, operationId: 'listProjectBranches', handler: listProjectBranches },
  { method: 'POST', path: `${P}/branches`, operationId: 'createProjectBranch', handler: createProjectBranch },
  { method: 'GET', path: B, operationId: 'getProjectBranch', handler: getProjectBranch },
  { method: 'PATCH', path: B, operationId: 'updateProjectBranch', handler: updateProjectBranch },
  { method: 'DELETE', path: B, operationId: 'deleteProjectBranch', handler: deleteProjectBranch },
  {
    method: 'GET',
    path: `${B}/endpoints`,
    operationId: 'listProjectBranchEndpoints',
    handler: listProjectBranchEndpoints,
  },
  {
    method: 'GET',
    path: `${B}/databases`,
    operationId: 'listProjectBranchDatabases',
    handler: listProjectBranchDatabases,
  },
  {
    method: 'POST',
    path: `${B}/databases`,
    operationId: 'createProjectBranchDatabase',
    handler: createProjectBranchDatabase,
  },
  {
    method: 'GET',
    path: `${B}/databases/{database_name}`,
    operationId: 'getProjectBranchDatabase',
    handler: getProjectBranchDatabase,
  },
  {
    method: 'PATCH',
    path: `${B}/databases/{database_name}`,
    operationId: 'updateProjectBranchDatabase',
    handler: updateProjectBranchDatabase,
  },
  {
    method: 'DELETE',
    path: `${B}/databases/{database_name}`,
    operationId: 'deleteProjectBranchDatabase',
    handler: deleteProjectBranchDatabase,
  },
  {
    method: 'GET',
    path: `${B}/roles`,
    operationId: 'listProjectBranchRoles',
    handler: listProjectBranchRoles,
  },
  {
    method: 'POST',
    path: `${B}/roles`,
    operationId: 'createProjectBranchRole',
    handler: createProjectBranchRole,
  },
  {
    method: 'GET',
    path: `${B}/roles/{role_name}`,
    operationId: 'getProjectBranchRole',
    handler: getProjectBranchRole,
  },
  {
    method: 'DELETE',
    path: `${B}/roles/{role_name}`,
    operationId: 'deleteProjectBranchRole',
    handler: deleteProjectBranchRole,
  },
  {
    method: 'POST',
    path: `${B}/roles/{role_name}/reset_password`,
    operationId: 'resetProjectBranchRolePassword',
    handler: resetProjectBranchRolePassword,
  },
  {
    method: 'GET',
    path: `${B}/roles/{role_name}/reveal_password`,
    operationId: 'getProjectBranchRolePassword',
    handler: getProjectBranchRolePassword,
  },
  {
    method: 'GET',
    path: `${P}/endpoints`,
    operationId: 'listProjectEndpoints',
    handler: listProjectEndpoints,
  },
  {
    method: 'POST',
    path: `${P}/endpoints`,
    operationId: 'createProjectEndpoint',
    handler: createProjectEndpoint,
  },
  {
    method: 'GET',
    path: `${P}/endpoints/{endpoint_id}`,
    operationId: 'getProjectEndpoint',
    handler: getProjectEndpoint,
  },
  {
    method: 'PATCH',
    path: `${P}/endpoints/{endpoint_id}`,
    operationId: 'updateProjectEndpoint',
    handler: updateProjectEndpoint,
  },
  {
    method: 'DELETE',
    path: `${P}/endpoints/{endpoint_id}`,
    operationId: 'deleteProjectEndpoint',
    handler: deleteProjectEndpoint,
  },
  {
    method: 'POST',
    path: `${P}/endpoints/{endpoint_id}/start`,
    operationId: 'startProjectEndpoint',
    handler: startProjectEndpoint,
  },
  {
    method: 'POST',
    path: `${P}/endpoints/{endpoint_id}/suspend`,
    operationId: 'suspendProjectEndpoint',
    handler: suspendProjectEndpoint,
  },
];

/** The route a request calls and its raw (still encoded) path parameters. */
export function matchRoute(
  method: string,
  path: string,
): { route: NeonRoute; params: Record<string, string> } | undefined {
  for (const route of NEON_ROUTES) {
    if (route.method !== method) continue;
    const match = templateRegex(route.path).exec(path);
    if (match) return { route, params: { ...match.groups } };
  }
  return undefined;
}
