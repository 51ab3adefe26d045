import { randomInt } from 'node:crypto';
import type { NeonCall, NeonReply } from './neon-call.js';
import { deleteBranchTree } from './neon-cascade.js';
import { newDatabase } from './neon-databases.js';
import { type EndpointOptions, newEndpoint } from './neon-endpoints.js';
import { type NeonEnv, wire } from './neon-env.js';
import { neonError } from './neon-errors.js';
import { neonId } from './neon-ids.js';
import { assertUnlocked, startOperations } from './neon-operations.js';
import type { NeonBranch, NeonEndpoint } from './neon-records.js';

interface BranchInput {
  parent_id?: string;
  name?: string;
  parent_lsn?: string;
  parent_timestamp?: string;
  protected?: boolean;
  archived?: boolean;
  init_source?: string;
  expires_at?: string | null;
}

/** Builds (does not store) a branch in state `init`, `ready` once its `create_timeline` finishes. */
export function newBranch(
  env: NeonEnv,
  projectId: string,
  input: BranchInput & { default?: boolean },
  field: string,
): NeonBranch {
  const id = neonId('br', (candidate) => env.branches.has(`${projectId}/${candidate}`));
  const name = input.name ?? id;
  assertUniqueName(env, projectId, name, `${field}.name`);
  const now = env.isoNow();
  return {
    id,
    project_id: projectId,
    ...(input.parent_id
      ? {
          parent_id: input.parent_id,
          parent_lsn: input.parent_lsn ?? `0/${randomInt(0x1000000, 0xfffffff).toString(16).toUpperCase()}`,
          ...(input.parent_timestamp ? { parent_timestamp: input.parent_timestamp } : {}),
        }
      : {}),
    name,
    current_state: 'init',
    pending_state: 'ready',
    state_changed_at: now,
    logical_size: 0,
    creation_source: 'console',
    primary: input.default ?? false,
    default: input.default ?? false,
    protected: input.protected ?? false,
    cpu_used_sec: 0,
    compute_time_seconds: 0,
    active_time_seconds: 0,
    written_data_bytes: 0,
    data_transfer_bytes: 0,
    created_at: now,
    updated_at: now,
    ...(input.parent_id ? { init_source: input.init_source ?? 'parent-data' } : {}),
    ...(input.expires_at ? { expires_at: input.expires_at } : {}),
    _sandbox: { annotations: {} },
  };
}

function assertUniqueName(
  env: NeonEnv,
  projectId: string,
  name: string,
  field: string,
  except?: string,
): void {
  const taken = env
    .under(env.branches, `${projectId}/`)
    .some(([, branch]) => branch.name === name && branch.id !== except);
  if (taken) throw neonError.conflict(`${field}: branch with name ${name} already exists`);
}

/** The `annotation` object Neon returns with a branch. */
export function branchAnnotation(branch: NeonBranch): object {
  return {
    object: { type: 'console/branch', id: branch.id },
    value: { ...branch._sandbox.annotations },
    created_at: branch.created_at,
    updated_at: branch.updated_at,
  };
}

export function createProjectBranch(call: NeonCall, env: NeonEnv): NeonReply {
  const projectId = call.params.project_id as string;
  const project = env.project(projectId);
  const input = (call.body.branch ?? {}) as BranchInput;
  const defaultBranch = env.under(env.branches, `${projectId}/`).find(([, b]) => b.default)?.[1];
  const parentId = input.parent_id ?? defaultBranch?.id;
  if (!parentId) throw neonError.invalid('branch.parent_id: the project has no default branch');
  env.branch(projectId, parentId);
  assertUnlocked(env, projectId, parentId);

  const branch = newBranch(env, projectId, { ...input, parent_id: parentId }, 'branch');
  branch._sandbox.annotations = { ...((call.body.annotation_value ?? {}) as Record<string, string>) };
  const endpoints: NeonEndpoint[] = [];
  ((call.body.endpoints ?? []) as EndpointOptions[]).forEach((options, index) => {
    endpoints.push(newEndpoint(env, project, branch.id, options, `endpoints[${index}]`, endpoints));
  });
  env.branches.put(`${projectId}/${branch.id}`, branch);
  for (const endpoint of endpoints) env.endpoints.put(`${projectId}/${endpoint.id}`, endpoint);
  // A child branch starts with copies of its parent's roles and databases.
  const roles = env.under(env.roles, `${projectId}/${parentId}/`).map(([, role]) => {
    const copy = {
      ...role,
      branch_id: branch.id,
      created_at: branch.created_at,
      updated_at: branch.created_at,
    };
    env.roles.put(`${projectId}/${branch.id}/${copy.name}`, copy);
    return copy;
  });
  const databases = env.under(env.databases, `${projectId}/${parentId}/`).map(([, database]) => {
    const copy = newDatabase(env, branch.id, database.name, database.owner_name);
    env.databases.put(`${projectId}/${branch.id}/${copy.name}`, copy);
    return copy;
  });
  const operations = startOperations(env, [
    { project_id: projectId, branch_id: branch.id, action: 'create_timeline' },
    ...endpoints
      .filter((endpoint) => !endpoint.disabled)
      .map((endpoint) => ({
        project_id: projectId,
        branch_id: branch.id,
        endpoint_id: endpoint.id,
        action: 'start_compute' as const,
      })),
  ]);
  return {
    status: 201,
    body: { branch: wire(branch), endpoints: endpoints.map(wire), operations, roles, databases },
  };
}

export function getProjectBranch(call: NeonCall, env: NeonEnv): NeonReply {
  const branch = env.branch(call.params.project_id as string, call.params.branch_id as string);
  return { status: 200, body: { branch: wire(branch), annotation: branchAnnotation(branch) } };
}

const SORT_FIELDS = { name: 'name', created_at: 'created_at', updated_at: 'updated_at' } as const;

export function listProjectBranches(call: NeonCall, env: NeonEnv): NeonReply {
  const projectId = call.params.project_id as string;
  env.project(projectId);
  const search = call.query.search as string | undefined;
  const sortBy = (call.query.sort_by as keyof typeof SORT_FIELDS | undefined) ?? 'updated_at';
  const sortOrder = (call.query.sort_order as 'asc' | 'desc' | undefined) ?? 'desc';
  const key = SORT_FIELDS[sortBy];
  const all = env
    .under(env.branches, `${projectId}/`)
    .map(([, branch]) => branch)
    .filter((branch) => !search || branch.name.includes(search) || branch.id.includes(search))
    .sort((a, b) => {
      const order = String(a[key]).localeCompare(String(b[key])) || a.id.localeCompare(b.id);
      return sortOrder === 'asc' ? order : -order;
    });
  const start = call.query.cursor ? all.findIndex((branch) => branch.id === call.query.cursor) + 1 : 0;
  const limit = (call.query.limit as number | undefined) ?? all.length;
  const page = all.slice(start, start + limit);
  const last = page.at(-1);
  return {
    status: 200,
    body: {
      branches: page.map(wire),
      annotations: Object.fromEntries(page.map((branch) => [branch.id, branchAnnotation(branch)])),
      pagination: {
        ...(last && start + limit < all.length ? { next: last.id } : {}),
        sort_by: sortBy,
        sort_order: sortOrder,
      },
    },
  };
}

export function updateProjectBranch(call: NeonCall, env: NeonEnv): NeonReply {
  const projectId = call.params.project_id as string;
  const current = env.branch(projectId, call.params.branch_id as string);
  const input = call.body.branch as Pick<BranchInput, 'name' | 'protected' | 'expires_at'>;
  if (input.name !== undefined) assertUniqueName(env, projectId, input.name, 'branch.name', current.id);
  assertUnlocked(env, projectId, current.id);
  const { expires_at: expiresAt, ...changes } = input;
  const branch: NeonBranch = { ...structuredClone(current), ...changes, updated_at: env.isoNow() };
  if (expiresAt === null) delete branch.expires_at;
  else if (expiresAt !== undefined) branch.expires_at = expiresAt;
  env.branches.put(`${projectId}/${branch.id}`, branch);
  return { status: 200, body: { branch: wire(branch), operations: [] } };
}

export function deleteProjectBranch(call: NeonCall, env: NeonEnv): NeonReply {
  const projectId = call.params.project_id as string;
  const branch = env.branch(projectId, call.params.branch_id as string);
  if (branch.default) throw neonError.unprocessable(`branch ${branch.id} is the project's default branch`);
  const children = env.under(env.branches, `${projectId}/`).filter(([, b]) => b.parent_id === branch.id);
  if (children.length > 0) {
    throw neonError.unprocessable(
      `branch ${branch.id} has child branches (${children.map(([, b]) => b.id).join(', ')}); delete them first`,
    );
  }
  assertUnlocked(env, projectId, branch.id);
  const running = env
    .branchEndpoints(projectId, branch.id)
    .filter((endpoint) => endpoint.current_state !== 'idle');
  deleteBranchTree(env, projectId, branch.id);
  const operations = startOperations(env, [
    ...running.map((endpoint) => ({
      project_id: projectId,
      branch_id: branch.id,
      endpoint_id: endpoint.id,
      action: 'suspend_compute' as const,
    })),
    { project_id: projectId, branch_id: branch.id, action: 'delete_timeline' },
  ]);
  return { status: 200, body: { branch: wire(branch), operations } };
}
