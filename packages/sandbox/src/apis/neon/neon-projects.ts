import { newBranch } from './neon-branches.js';
import type { NeonCall, NeonReply } from './neon-call.js';
import { deleteProjectTree } from './neon-cascade.js';
import { checkComputeUnits, checkSuspendTimeout } from './neon-compute-units.js';
import { newDatabase } from './neon-databases.js';
import { newEndpoint } from './neon-endpoints.js';
import { type NeonEnv, wire } from './neon-env.js';
import { neonId, neonPassword } from './neon-ids.js';
import { assertUnlocked, startOperations } from './neon-operations.js';
import type { NeonProject } from './neon-records.js';
import { checkRegion, NEON_DEFAULT_REGION, regionHost } from './neon-regions.js';
import { newRole } from './neon-roles.js';

/** Neon's default history retention (1 day). */
const DEFAULT_HISTORY_RETENTION_SECONDS = 86_400;

/** Project fields the list view (`ProjectListItem`) leaves out. */
const NOT_LISTED = [
  'consumption_period_start',
  'consumption_period_end',
  'active_time_seconds',
  'compute_time_seconds',
  'written_data_bytes',
  'data_transfer_bytes',
  'data_storage_bytes_hour',
  'owner',
] as const;

interface ProjectInput {
  name?: string;
  region_id?: string;
  pg_version?: number;
  history_retention_seconds?: number;
  settings?: Record<string, unknown>;
  default_endpoint_settings?: Record<string, unknown>;
  autoscaling_limit_min_cu?: number;
  autoscaling_limit_max_cu?: number;
  provisioner?: string;
  store_passwords?: boolean;
  org_id?: string;
  branch?: {
    name?: string;
    role_name?: string;
    database_name?: string;
    annotations?: Record<string, string>;
  };
}

function checkEndpointDefaults(settings: Record<string, unknown> | undefined, field: string): void {
  if (!settings) return;
  const min = settings.autoscaling_limit_min_cu as number | undefined;
  const max = settings.autoscaling_limit_max_cu as number | undefined;
  if (min !== undefined || max !== undefined)
    checkComputeUnits(min ?? 0.25, max ?? Math.max(min ?? 0.25, 2), field);
  if (settings.suspend_timeout_seconds !== undefined)
    checkSuspendTimeout(settings.suspend_timeout_seconds as number, field);
}

/**
 * Creates a project as Neon does: a default branch (`main`) with a read-write endpoint, an owner
 * role (`neondb_owner`) and a database (`neondb`). The role's password appears in this response
 * only (in `roles` and `connection_uris`).
 */
export function createProject(call: NeonCall, env: NeonEnv): NeonReply {
  const input = (call.body.project ?? {}) as ProjectInput;
  const region = input.region_id ?? NEON_DEFAULT_REGION;
  checkRegion(region, 'project.region_id');
  const endpointDefaults = {
    ...(input.autoscaling_limit_min_cu !== undefined
      ? { autoscaling_limit_min_cu: input.autoscaling_limit_min_cu }
      : {}),
    ...(input.autoscaling_limit_max_cu !== undefined
      ? { autoscaling_limit_max_cu: input.autoscaling_limit_max_cu }
      : {}),
    ...input.default_endpoint_settings,
  };
  checkEndpointDefaults(endpointDefaults, 'project.default_endpoint_settings');
  const id = neonId('', (candidate) => env.projects.has(candidate));
  const now = env.isoNow();
  const host = regionHost(region);
  const project: NeonProject = {
    data_storage_bytes_hour: 0,
    data_transfer_bytes: 0,
    written_data_bytes: 0,
    compute_time_seconds: 0,
    active_time_seconds: 0,
    cpu_used_sec: 0,
    id,
    platform_id: region.split('-')[0] as string,
    region_id: region,
    name: input.name ?? id,
    provisioner: input.provisioner ?? 'k8s-neonvm',
    default_endpoint_settings: endpointDefaults,
    settings: input.settings ?? {
      allowed_ips: { ips: [], protected_branches_only: false },
      enable_logical_replication: false,
    },
    pg_version: input.pg_version ?? 17,
    proxy_host: host,
    branch_logical_size_limit: 0,
    branch_logical_size_limit_bytes: -1,
    store_passwords: input.store_passwords ?? true,
    creation_source: 'console',
    history_retention_seconds: input.history_retention_seconds ?? DEFAULT_HISTORY_RETENTION_SECONDS,
    created_at: now,
    updated_at: now,
    consumption_period_start: now,
    consumption_period_end: new Date(env.ctx.now() + 30 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    owner_id: 'sandbox-user',
    ...(input.org_id ? { org_id: input.org_id } : {}),
  };
  const branch = newBranch(env, id, { name: input.branch?.name ?? 'main', default: true }, 'project.branch');
  branch._sandbox.annotations = { ...input.branch?.annotations };
  const endpoint = newEndpoint(env, project, branch.id, { type: 'read_write' }, 'project');
  const role = newRole(env, branch.id, input.branch?.role_name ?? 'neondb_owner');
  const database = newDatabase(env, branch.id, input.branch?.database_name ?? 'neondb', role.name);

  env.projects.put(id, project);
  env.branches.put(`${id}/${branch.id}`, branch);
  env.endpoints.put(`${id}/${endpoint.id}`, endpoint);
  env.roles.put(`${id}/${branch.id}/${role.name}`, role);
  env.databases.put(`${id}/${branch.id}/${database.name}`, database);
  const operations = startOperations(env, [
    { project_id: id, branch_id: branch.id, action: 'create_timeline' },
    { project_id: id, branch_id: branch.id, endpoint_id: endpoint.id, action: 'start_compute' },
  ]);
  const password = neonPassword();
  const connection = {
    database: database.name,
    password,
    role: role.name,
    host: endpoint.host as string,
    pooler_host: (endpoint.host as string).replace(endpoint.id, `${endpoint.id}-pooler`),
  };
  return {
    status: 201,
    body: {
      project,
      connection_uris: [
        {
          connection_uri: `postgresql://${role.name}:${password}@${connection.host}/${database.name}?sslmode=require`,
          connection_parameters: connection,
        },
      ],
      roles: [{ ...role, password }],
      databases: [database],
      operations,
      branch: wire(branch),
      endpoints: [wire(endpoint)],
    },
  };
}

export function getProject(call: NeonCall, env: NeonEnv): NeonReply {
  return { status: 200, body: { project: env.project(call.params.project_id as string) } };
}

/** Sorted by creation; `cursor` is the id of the last project of the previous page. */
export function listProjects(call: NeonCall, env: NeonEnv): NeonReply {
  const search = call.query.search as string | undefined;
  const orgId = call.query.org_id as string | undefined;
  const all = env.projects
    .values()
    .map((record) => record.data)
    .filter((project) => !search || project.name.includes(search) || project.id.includes(search))
    .filter((project) => !orgId || project.org_id === orgId);
  const start = call.query.cursor ? all.findIndex((project) => project.id === call.query.cursor) + 1 : 0;
  const limit = (call.query.limit as number | undefined) ?? 10;
  const page = all.slice(start, start + limit);
  const last = page.at(-1);
  return {
    status: 200,
    body: {
      projects: page.map(listItem),
      ...(last ? { pagination: { cursor: last.id } } : {}),
      applications: {},
      integrations: {},
    },
  };
}

function listItem(project: NeonProject): object {
  const item: Record<string, unknown> = { ...project, active_time: project.active_time_seconds };
  for (const field of NOT_LISTED) delete item[field];
  return item;
}

/**
 * Updates name, settings (shallow merge), default endpoint settings and history retention. A
 * retention change reconfigures storage (`apply_storage_config` on the default branch).
 */
export function updateProject(call: NeonCall, env: NeonEnv): NeonReply {
  const projectId = call.params.project_id as string;
  const current = env.project(projectId);
  const input = call.body.project as Pick<
    ProjectInput,
    'name' | 'settings' | 'default_endpoint_settings' | 'history_retention_seconds'
  >;
  checkEndpointDefaults(input.default_endpoint_settings, 'project.default_endpoint_settings');
  assertUnlocked(env, projectId);
  const project: NeonProject = {
    ...structuredClone(current),
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.settings ? { settings: { ...current.settings, ...input.settings } } : {}),
    ...(input.default_endpoint_settings
      ? { default_endpoint_settings: input.default_endpoint_settings }
      : {}),
    ...(input.history_retention_seconds !== undefined
      ? { history_retention_seconds: input.history_retention_seconds }
      : {}),
    updated_at: env.isoNow(),
  };
  env.projects.put(projectId, project);
  const retentionChanged =
    input.history_retention_seconds !== undefined &&
    input.history_retention_seconds !== current.history_retention_seconds;
  const defaultBranch = env.under(env.branches, `${projectId}/`).find(([, branch]) => branch.default)?.[1];
  const operations =
    retentionChanged && defaultBranch
      ? startOperations(env, [
          { project_id: projectId, branch_id: defaultBranch.id, action: 'apply_storage_config' },
        ])
      : [];
  return { status: 200, body: { project, operations } };
}

export function deleteProject(call: NeonCall, env: NeonEnv): NeonReply {
  const project = env.project(call.params.project_id as string);
  deleteProjectTree(env, project.id);
  return { status: 200, body: { project } };
}
