import type { NeonCall, NeonReply } from './neon-call.js';
import { checkComputeUnits, checkSuspendTimeout } from './neon-compute-units.js';
import { type NeonEnv, wire } from './neon-env.js';
import { neonError } from './neon-errors.js';
import { neonId } from './neon-ids.js';
import { assertUnlocked, startOperations } from './neon-operations.js';
import type { NeonEndpoint, NeonProject } from './neon-records.js';
import { checkRegion, regionHost } from './neon-regions.js';

/** Endpoint fields a create request may set (spec `EndpointCreateRequest.endpoint` and branch options). */
export interface EndpointOptions {
  type: 'read_write' | 'read_only';
  region_id?: string;
  autoscaling_limit_min_cu?: number;
  autoscaling_limit_max_cu?: number;
  suspend_timeout_seconds?: number;
  settings?: Record<string, unknown>;
  provisioner?: string;
  pooler_enabled?: boolean;
  pooler_mode?: string;
  disabled?: boolean;
  passwordless_access?: boolean;
  name?: string;
}

/**
 * Builds (does not store) a new endpoint on `branchId`, checking compute sizes, region and the
 * one-read-write-endpoint-per-branch rule. `field` names the request path for errors.
 */
export function newEndpoint(
  env: NeonEnv,
  project: NeonProject,
  branchId: string,
  options: EndpointOptions,
  field: string,
  pending: NeonEndpoint[] = [],
): NeonEndpoint {
  const defaults = (project.default_endpoint_settings ?? {}) as Partial<EndpointOptions>;
  const min = options.autoscaling_limit_min_cu ?? defaults.autoscaling_limit_min_cu ?? 0.25;
  const max = options.autoscaling_limit_max_cu ?? defaults.autoscaling_limit_max_cu ?? Math.max(min, 2);
  checkComputeUnits(min, max, field);
  const suspend = options.suspend_timeout_seconds ?? defaults.suspend_timeout_seconds ?? 0;
  checkSuspendTimeout(suspend, field);
  if (options.region_id !== undefined) {
    checkRegion(options.region_id, `${field}.region_id`);
    if (options.region_id !== project.region_id) {
      throw neonError.invalid(
        `${field}.region_id: ${options.region_id} differs from the project's region ${project.region_id}`,
      );
    }
  }
  if (options.type === 'read_write') assertNoReadWrite(env, project.id, branchId, pending);
  const id = neonId('ep', (candidate) => env.endpoints.has(`${project.id}/${candidate}`));
  const host = regionHost(project.region_id);
  const now = env.isoNow();
  const disabled = options.disabled ?? false;
  return {
    host: `${id}.${host}`,
    id,
    ...(options.name !== undefined ? { name: options.name } : {}),
    project_id: project.id,
    branch_id: branchId,
    autoscaling_limit_min_cu: min,
    autoscaling_limit_max_cu: max,
    region_id: project.region_id,
    type: options.type,
    current_state: disabled ? 'idle' : 'init',
    ...(disabled ? {} : { pending_state: 'active' as const }),
    settings: options.settings ?? {},
    pooler_enabled: options.pooler_enabled ?? false,
    pooler_mode: options.pooler_mode ?? 'transaction',
    disabled,
    passwordless_access: options.passwordless_access ?? false,
    creation_source: 'console',
    created_at: now,
    updated_at: now,
    proxy_host: host,
    suspend_timeout_seconds: suspend,
    provisioner: options.provisioner ?? 'k8s-neonvm',
  };
}

function assertNoReadWrite(env: NeonEnv, projectId: string, branchId: string, pending: NeonEndpoint[]): void {
  const existing = [...env.branchEndpoints(projectId, branchId), ...pending].find(
    (endpoint) => endpoint.branch_id === branchId && endpoint.type === 'read_write',
  );
  if (existing) {
    throw neonError.conflict(`branch ${branchId} already has a read_write endpoint (${existing.id})`);
  }
}

export function createProjectEndpoint(call: NeonCall, env: NeonEnv): NeonReply {
  const projectId = call.params.project_id as string;
  const project = env.project(projectId);
  const options = call.body.endpoint as EndpointOptions & { branch_id: string };
  env.branch(projectId, options.branch_id);
  assertUnlocked(env, projectId, options.branch_id);
  const { branch_id: branchId, ...rest } = options;
  const endpoint = newEndpoint(env, project, branchId, rest, 'endpoint');
  env.endpoints.put(`${projectId}/${endpoint.id}`, endpoint);
  const operations = endpoint.disabled
    ? []
    : startOperations(env, [
        { project_id: projectId, branch_id: branchId, endpoint_id: endpoint.id, action: 'start_compute' },
      ]);
  return { status: 201, body: { endpoint: wire(endpoint), operations } };
}

export function getProjectEndpoint(call: NeonCall, env: NeonEnv): NeonReply {
  const endpoint = env.endpoint(call.params.project_id as string, call.params.endpoint_id as string);
  return { status: 200, body: { endpoint: wire(endpoint) } };
}

export function listProjectEndpoints(call: NeonCall, env: NeonEnv): NeonReply {
  const projectId = call.params.project_id as string;
  env.project(projectId);
  const endpoints = env.under(env.endpoints, `${projectId}/`).map(([, endpoint]) => wire(endpoint));
  return { status: 200, body: { endpoints } };
}

export function listProjectBranchEndpoints(call: NeonCall, env: NeonEnv): NeonReply {
  const projectId = call.params.project_id as string;
  const branchId = call.params.branch_id as string;
  env.branch(projectId, branchId);
  return { status: 200, body: { endpoints: env.branchEndpoints(projectId, branchId).map(wire) } };
}

/** Fields of `EndpointUpdateRequest.endpoint` the sandbox applies (all of them). */
type EndpointUpdate = Partial<EndpointOptions> & { branch_id?: string };

export function updateProjectEndpoint(call: NeonCall, env: NeonEnv): NeonReply {
  const projectId = call.params.project_id as string;
  const current = env.endpoint(projectId, call.params.endpoint_id as string);
  const update = call.body.endpoint as EndpointUpdate;
  assertUnlocked(env, projectId, current.branch_id);
  const min = update.autoscaling_limit_min_cu ?? current.autoscaling_limit_min_cu;
  const max = update.autoscaling_limit_max_cu ?? current.autoscaling_limit_max_cu;
  checkComputeUnits(min, max, 'endpoint');
  if (update.suspend_timeout_seconds !== undefined)
    checkSuspendTimeout(update.suspend_timeout_seconds, 'endpoint');
  if (update.branch_id !== undefined && update.branch_id !== current.branch_id) {
    env.branch(projectId, update.branch_id);
    assertUnlocked(env, projectId, update.branch_id);
    if (current.type === 'read_write') assertNoReadWrite(env, projectId, update.branch_id, []);
  }
  const endpoint: NeonEndpoint = { ...structuredClone(current), ...update, updated_at: env.isoNow() };
  env.endpoints.put(`${projectId}/${endpoint.id}`, endpoint);
  const operations = startOperations(env, [
    {
      project_id: projectId,
      branch_id: endpoint.branch_id,
      endpoint_id: endpoint.id,
      action: 'apply_config',
    },
  ]);
  return { status: 200, body: { endpoint: wire(endpoint), operations } };
}

export function deleteProjectEndpoint(call: NeonCall, env: NeonEnv): NeonReply {
  const projectId = call.params.project_id as string;
  const endpoint = env.endpoint(projectId, call.params.endpoint_id as string);
  assertUnlocked(env, projectId, endpoint.branch_id);
  env.endpoints.delete(`${projectId}/${endpoint.id}`);
  const operations =
    endpoint.current_state === 'idle'
      ? []
      : startOperations(env, [
          {
            project_id: projectId,
            branch_id: endpoint.branch_id,
            endpoint_id: endpoint.id,
            action: 'suspend_compute',
          },
        ]);
  return { status: 200, body: { endpoint: wire(endpoint), operations } };
}

export const startProjectEndpoint = (call: NeonCall, env: NeonEnv): NeonReply =>
  transition(call, env, 'active');
export const suspendProjectEndpoint = (call: NeonCall, env: NeonEnv): NeonReply =>
  transition(call, env, 'idle');

function transition(call: NeonCall, env: NeonEnv, target: 'active' | 'idle'): NeonReply {
  const projectId = call.params.project_id as string;
  const current = env.endpoint(projectId, call.params.endpoint_id as string);
  assertUnlocked(env, projectId, current.branch_id);
  if (current.disabled) throw neonError.unprocessable(`endpoint ${current.id} is disabled`);
  const endpoint: NeonEndpoint = {
    ...structuredClone(current),
    pending_state: target,
    updated_at: env.isoNow(),
  };
  env.endpoints.put(`${projectId}/${endpoint.id}`, endpoint);
  const operations = startOperations(env, [
    {
      project_id: projectId,
      branch_id: endpoint.branch_id,
      endpoint_id: endpoint.id,
      action: target === 'active' ? 'start_compute' : 'suspend_compute',
    },
  ]);
  return { status: 200, body: { endpoint: wire(endpoint), operations } };
}
