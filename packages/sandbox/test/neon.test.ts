import { type Api, createApiClient, EndpointType } from '@neondatabase/api-client';
import { type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchRoute, NEON_ROUTES } from '../src/apis/neon/neon-routes.js';
import { NeonSpec } from '../src/apis/neon/neon-spec.js';

/** The axios error shape the Neon client rejects with (axios itself is not a sandbox dependency). */
interface HttpError {
  config?: { method?: string; url?: string };
  response?: { status: number; data: unknown };
}

function isHttpError(error: unknown): error is HttpError & { response: { status: number; data: unknown } } {
  return typeof error === 'object' && error !== null && 'response' in error && error.response !== undefined;
}

let sandbox: Sandbox;
let neon: Api<unknown>;
/** Every response the client received that did not match the spec (should stay empty). */
const nonConforming: string[] = [];

/** Checks each response (errors too) against the spec's schema for its operation and status. */
function checkResponsesAgainstSpec(client: Api<unknown>): void {
  const check = (config: { method?: string; url?: string } | undefined, status: number, body: unknown) => {
    const path = (config?.url ?? '').split('?')[0] ?? '';
    const matched = matchRoute((config?.method ?? 'get').toUpperCase(), path);
    if (!matched) return;
    const issues = NeonSpec.get().validateResponse(matched.route.operationId, status, body);
    for (const issue of issues)
      nonConforming.push(`${matched.route.operationId} ${status}: ${issue.path} ${issue.message}`);
  };
  client.instance.interceptors.response.use(
    (response) => {
      check(response.config, response.status, response.data);
      return response;
    },
    (error: unknown) => {
      if (isHttpError(error)) check(error.config, error.response.status, error.response.data);
      return Promise.reject(error);
    },
  );
}

/** The HTTP status and Neon error body of a failed call. */
async function failure(call: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (isHttpError(error)) {
      const body = error.response.data as { code: string; message: string };
      return { status: error.response.status, code: body.code, message: body.message };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Polls each operation with GET /projects/{id}/operations/{op} until it is finished. */
async function waitForOperations(projectId: string, operations: { id: string }[]): Promise<void> {
  for (const operation of operations) {
    for (let attempt = 0; ; attempt += 1) {
      const { data } = await neon.getProjectOperation(projectId, operation.id);
      if (data.operation.status === 'finished') break;
      expect(data.operation.status).toBe('running');
      if (attempt > 500) throw new Error(`operation ${operation.id} never finished`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

async function newProject(name: string) {
  const { data } = await neon.createProject({ project: { name } });
  await waitForOperations(data.project.id, data.operations);
  return data;
}

beforeAll(async () => {
  // Polling operations would exhaust Neon's per-route burst of 40; limits are tested in neon-faults.test.ts.
  sandbox = await startSandbox({ operationDelayMs: 20, defaultRateLimits: false });
  neon = createApiClient({ apiKey: 'test-key', baseURL: `${sandbox.url}/api/v2` });
  checkResponsesAgainstSpec(neon);
});

afterAll(async () => {
  await sandbox.close();
  expect(nonConforming).toEqual([]);
});

describe('Neon routes', () => {
  it('name every route after a spec operation with the same method and path', () => {
    const spec = NeonSpec.get();
    for (const route of NEON_ROUTES) {
      const operation = spec.operations.get(route.operationId);
      expect(operation, route.operationId).toMatchObject({ method: route.method, path: route.path });
    }
  });

  it('has a response check that catches bodies off the spec (so the suite-wide check can fail)', () => {
    const issues = NeonSpec.get().validateResponse('getProject', 200, {
      project: { id: 'Not Valid', name: 3, _sandbox: {} },
    });
    const paths = issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['project.id', 'project.name', 'project._sandbox', 'project.region_id']),
    );
  });
});

describe('Neon projects', () => {
  it('creates a project with a default branch, read-write endpoint, owner role and database', async () => {
    const { data, status } = await neon.createProject({ project: { name: 'shop', pg_version: 16 } });
    expect(status).toBe(201);
    expect(data.project).toMatchObject({ name: 'shop', pg_version: 16, region_id: 'aws-us-east-2' });
    expect(data.branch).toMatchObject({ name: 'main', default: true, current_state: 'init' });
    expect(data.endpoints).toHaveLength(1);
    expect(data.endpoints[0]).toMatchObject({
      type: 'read_write',
      branch_id: data.branch.id,
      current_state: 'init',
    });
    expect(data.roles[0]).toMatchObject({ name: 'neondb_owner', branch_id: data.branch.id });
    expect(data.roles[0]?.password).toMatch(/^npg_\w{12}$/);
    expect(data.databases[0]).toMatchObject({ name: 'neondb', owner_name: 'neondb_owner' });
    const uri = data.connection_uris[0]?.connection_uri ?? '';
    expect(uri).toContain(`neondb_owner:${data.roles[0]?.password}@${data.endpoints[0]?.host}/neondb`);
    expect(data.operations.map((op) => [op.action, op.status])).toEqual([
      ['create_timeline', 'running'],
      ['start_compute', 'running'],
    ]);

    await waitForOperations(data.project.id, data.operations);
    const branch = await neon.getProjectBranch(data.project.id, data.branch.id);
    expect(branch.data.branch.current_state).toBe('ready');
    const endpoint = await neon.getProjectEndpoint(data.project.id, data.endpoints[0]!.id);
    expect(endpoint.data.endpoint.current_state).toBe('active');
  });

  it('gets, lists (search, limit, cursor), updates and deletes projects', async () => {
    const a = await newProject('list-alpha');
    const b = await newProject('list-beta');
    const got = await neon.getProject(a.project.id);
    expect(got.data.project).toMatchObject({ id: a.project.id, name: 'list-alpha' });

    const searched = await neon.listProjects({ search: 'list-' });
    expect(searched.data.projects.map((p) => p.name)).toEqual(['list-alpha', 'list-beta']);
    const first = await neon.listProjects({ search: 'list-', limit: 1 });
    expect(first.data.projects.map((p) => p.name)).toEqual(['list-alpha']);
    const next = await neon.listProjects({
      search: 'list-',
      limit: 1,
      cursor: first.data.pagination?.cursor,
    });
    expect(next.data.projects.map((p) => p.name)).toEqual(['list-beta']);

    const renamed = await neon.updateProject(a.project.id, { project: { name: 'renamed' } });
    expect(renamed.data.project.name).toBe('renamed');
    expect(renamed.data.operations).toEqual([]);
    const retention = await neon.updateProject(a.project.id, {
      project: { history_retention_seconds: 3600 },
    });
    expect(retention.data.project.history_retention_seconds).toBe(3600);
    expect(retention.data.operations.map((op) => op.action)).toEqual(['apply_storage_config']);
    await waitForOperations(a.project.id, retention.data.operations);

    const deleted = await neon.deleteProject(b.project.id);
    expect(deleted.data.project.id).toBe(b.project.id);
    expect(await failure(neon.getProject(b.project.id))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await failure(neon.getProjectBranch(b.project.id, b.branch.id))).toMatchObject({ status: 404 });
  });
});

describe('Neon operations', () => {
  it('answers 423 Locked to a mutation colliding with a running operation, then accepts it', async () => {
    // A long creation keeps the project's operations running for the whole check, whatever the load.
    sandbox.faults.add({ api: 'neon', operation: 'createProject', operationDelayMs: 60_000 });
    const { data } = await neon.createProject({ project: { name: 'locked' } });
    sandbox.faults.clear();
    const projectId = data.project.id;
    const endpointId = data.endpoints[0]!.id;
    const locked = await failure(
      neon.updateProjectEndpoint(projectId, endpointId, { endpoint: { autoscaling_limit_max_cu: 4 } }),
    );
    expect(locked).toMatchObject({ status: 423, code: 'LOCKED' });
    expect(locked.message).toContain('running conflicting operations');
    expect(await failure(neon.createProjectBranch(projectId, { branch: { name: 'dev' } }))).toMatchObject({
      status: 423,
    });
    expect(await failure(neon.updateProject(projectId, { project: { name: 'x' } }))).toMatchObject({
      status: 423,
    });
    // Reads are never locked.
    expect((await neon.getProjectOperation(projectId, data.operations[0]!.id)).data.operation.status).toBe(
      'running',
    );

    const quick = await newProject('unlocked');
    const updated = await neon.updateProjectEndpoint(quick.project.id, quick.endpoints[0]!.id, {
      endpoint: { autoscaling_limit_max_cu: 4 },
    });
    expect(updated.data.endpoint.autoscaling_limit_max_cu).toBe(4);
    expect(updated.data.operations.map((op) => op.action)).toEqual(['apply_config']);
  });

  it('lists a project operations newest first and answers 404 for an unknown one', async () => {
    const data = await newProject('ops');
    const { data: listed } = await neon.listProjectOperations({ projectId: data.project.id });
    expect(listed.operations.map((op) => op.action)).toEqual(['start_compute', 'create_timeline']);
    expect(listed.operations.every((op) => op.status === 'finished')).toBe(true);
    expect(
      await failure(neon.getProjectOperation(data.project.id, '00000000-0000-4000-8000-000000000000')),
    ).toMatchObject({ status: 404 });
  });
});

describe('Neon branches', () => {
  it('creates a branch from its parent with endpoints, copying roles and databases', async () => {
    const project = await newProject('branching');
    const projectId = project.project.id;
    const { data, status } = await neon.createProjectBranch(projectId, {
      branch: { name: 'preview', parent_id: project.branch.id },
      endpoints: [
        { type: EndpointType.ReadWrite, autoscaling_limit_max_cu: 1 },
        { type: EndpointType.ReadOnly },
      ],
      annotation_value: { owner: 'ana' },
    });
    expect(status).toBe(201);
    expect(data.branch).toMatchObject({ name: 'preview', parent_id: project.branch.id, default: false });
    expect(data.endpoints.map((e) => e.type)).toEqual(['read_write', 'read_only']);
    expect(data.roles.map((r) => r.name)).toEqual(['neondb_owner']);
    expect(data.roles[0]?.password).toBeUndefined();
    expect(data.databases.map((d) => d.name)).toEqual(['neondb']);
    expect(data.operations.map((op) => op.action)).toEqual([
      'create_timeline',
      'start_compute',
      'start_compute',
    ]);
    await waitForOperations(projectId, data.operations);

    const got = await neon.getProjectBranch(projectId, data.branch.id);
    expect(got.data.branch.current_state).toBe('ready');
    expect(got.data.annotation.value).toEqual({ owner: 'ana' });
    const endpoints = await neon.listProjectBranchEndpoints(projectId, data.branch.id);
    expect(endpoints.data.endpoints).toHaveLength(2);

    const listed = await neon.listProjectBranches({ projectId, sort_by: 'name', sort_order: 'asc' });
    expect(listed.data.branches.map((b) => b.name)).toEqual(['main', 'preview']);
    expect(listed.data.annotations[data.branch.id]?.value).toEqual({ owner: 'ana' });
  });

  it('updates name and protection, rejects duplicate names, refuses to delete the default branch', async () => {
    const project = await newProject('branch-crud');
    const projectId = project.project.id;
    const created = await neon.createProjectBranch(projectId, { branch: { name: 'dev' } });
    await waitForOperations(projectId, created.data.operations);
    const branchId = created.data.branch.id;

    const updated = await neon.updateProjectBranch(projectId, branchId, {
      branch: { name: 'qa', protected: true },
    });
    expect(updated.data.branch).toMatchObject({ name: 'qa', protected: true });
    expect(
      await failure(neon.updateProjectBranch(projectId, branchId, { branch: { name: 'main' } })),
    ).toMatchObject({
      status: 409,
    });
    expect(await failure(neon.createProjectBranch(projectId, { branch: { name: 'qa' } }))).toMatchObject({
      status: 409,
    });
    const defaultDelete = await failure(neon.deleteProjectBranch({ projectId, branchId: project.branch.id }));
    expect(defaultDelete).toMatchObject({ status: 422 });
    expect(defaultDelete.message).toContain('default branch');

    const deleted = await neon.deleteProjectBranch({ projectId, branchId });
    expect(deleted.data.operations.map((op) => op.action)).toEqual(['delete_timeline']);
    expect(await failure(neon.getProjectBranch(projectId, branchId))).toMatchObject({ status: 404 });
    await waitForOperations(projectId, deleted.data.operations);
  });

  it('rejects two read-write endpoints on one branch', async () => {
    const project = await newProject('two-rw');
    const conflict = await failure(
      neon.createProjectBranch(project.project.id, {
        endpoints: [{ type: EndpointType.ReadWrite }, { type: EndpointType.ReadWrite }],
      }),
    );
    expect(conflict).toMatchObject({ status: 409 });
    expect(conflict.message).toContain('read_write');
  });
});

describe('Neon endpoints', () => {
  it('creates a read-only endpoint, updates autoscaling and suspend timeout, suspends, starts, deletes', async () => {
    const project = await newProject('endpoints');
    const projectId = project.project.id;
    const created = await neon.createProjectEndpoint(projectId, {
      endpoint: { branch_id: project.branch.id, type: EndpointType.ReadOnly, suspend_timeout_seconds: -1 },
    });
    expect(created.status).toBe(201);
    expect(created.data.endpoint).toMatchObject({ type: EndpointType.ReadOnly, suspend_timeout_seconds: -1 });
    await waitForOperations(projectId, created.data.operations);
    const endpointId = created.data.endpoint.id;

    const updated = await neon.updateProjectEndpoint(projectId, endpointId, {
      endpoint: { autoscaling_limit_min_cu: 1, autoscaling_limit_max_cu: 8, suspend_timeout_seconds: 0 },
    });
    expect(updated.data.endpoint).toMatchObject({
      autoscaling_limit_min_cu: 1,
      autoscaling_limit_max_cu: 8,
      suspend_timeout_seconds: 0,
    });
    await waitForOperations(projectId, updated.data.operations);

    const suspended = await neon.suspendProjectEndpoint(projectId, endpointId);
    expect(suspended.data.endpoint.pending_state).toBe('idle');
    await waitForOperations(projectId, suspended.data.operations);
    expect((await neon.getProjectEndpoint(projectId, endpointId)).data.endpoint.current_state).toBe('idle');
    const started = await neon.startProjectEndpoint(projectId, endpointId);
    await waitForOperations(projectId, started.data.operations);
    expect((await neon.getProjectEndpoint(projectId, endpointId)).data.endpoint.current_state).toBe('active');

    const all = await neon.listProjectEndpoints(projectId);
    expect(all.data.endpoints.map((e) => e.type).sort()).toEqual(['read_only', 'read_write']);
    const deleted = await neon.deleteProjectEndpoint(projectId, endpointId);
    expect(deleted.data.operations.map((op) => op.action)).toEqual(['suspend_compute']);
    expect(await failure(neon.getProjectEndpoint(projectId, endpointId))).toMatchObject({ status: 404 });
  });

  it('checks compute sizes and suspend timeouts, naming the field', async () => {
    const project = await newProject('sizes');
    const projectId = project.project.id;
    const endpointId = project.endpoints[0]!.id;
    const update = (endpoint: Record<string, number>) =>
      failure(neon.updateProjectEndpoint(projectId, endpointId, { endpoint }));

    const minAboveMax = await update({ autoscaling_limit_min_cu: 4, autoscaling_limit_max_cu: 2 });
    expect(minAboveMax).toMatchObject({ status: 400 });
    expect(minAboveMax.message).toContain('endpoint.autoscaling_limit_min_cu');
    const oddSize = await update({ autoscaling_limit_max_cu: 0.75 });
    expect(oddSize.message).toContain(
      'endpoint.autoscaling_limit_max_cu: 0.75 is not an allowed compute size',
    );
    const tooSmall = await update({ autoscaling_limit_min_cu: 0.1 });
    expect(tooSmall.message).toContain('endpoint.autoscaling_limit_min_cu: must be at least 0.25');
    const wideRange = await update({ autoscaling_limit_min_cu: 1, autoscaling_limit_max_cu: 10 });
    expect(wideRange.message).toContain('at most 8 CU');
    const shortSuspend = await update({ suspend_timeout_seconds: 30 });
    expect(shortSuspend.message).toContain('endpoint.suspend_timeout_seconds');
    const beyondWeek = await update({ suspend_timeout_seconds: 604_801 });
    expect(beyondWeek.message).toContain('endpoint.suspend_timeout_seconds: must be at most 604800');
    // A fixed size above the autoscaling limit is allowed when min = max.
    const fixed = await neon.updateProjectEndpoint(projectId, endpointId, {
      endpoint: { autoscaling_limit_min_cu: 32, autoscaling_limit_max_cu: 32 },
    });
    expect(fixed.data.endpoint.autoscaling_limit_max_cu).toBe(32);
  });
});

describe('Neon databases and roles', () => {
  it('creates, gets, lists, renames and deletes databases', async () => {
    const project = await newProject('dbs');
    const projectId = project.project.id;
    const branchId = project.branch.id;
    const created = await neon.createProjectBranchDatabase(projectId, branchId, {
      database: { name: 'orders', owner_name: 'neondb_owner' },
    });
    expect(created.status).toBe(201);
    expect(created.data.operations.map((op) => op.action)).toEqual(['apply_config']);
    await waitForOperations(projectId, created.data.operations);
    expect(
      (await neon.getProjectBranchDatabase(projectId, branchId, 'orders')).data.database.owner_name,
    ).toBe('neondb_owner');
    expect(
      await failure(
        neon.createProjectBranchDatabase(projectId, branchId, {
          database: { name: 'orders', owner_name: 'neondb_owner' },
        }),
      ),
    ).toMatchObject({ status: 409 });
    const badOwner = await failure(
      neon.createProjectBranchDatabase(projectId, branchId, { database: { name: 'x', owner_name: 'ghost' } }),
    );
    expect(badOwner).toMatchObject({ status: 400 });
    expect(badOwner.message).toContain('database.owner_name');

    const renamed = await neon.updateProjectBranchDatabase(projectId, branchId, 'orders', {
      database: { name: 'sales' },
    });
    expect(renamed.data.database.name).toBe('sales');
    await waitForOperations(projectId, renamed.data.operations);
    const listed = await neon.listProjectBranchDatabases(projectId, branchId);
    expect(listed.data.databases.map((d) => d.name)).toEqual(['neondb', 'sales']);
    const deleted = await neon.deleteProjectBranchDatabase(projectId, branchId, 'sales');
    await waitForOperations(projectId, deleted.data.operations);
    expect(await failure(neon.getProjectBranchDatabase(projectId, branchId, 'sales'))).toMatchObject({
      status: 404,
    });
  });

  it('returns a role password only on create and reset, never on reads', async () => {
    const project = await newProject('roles');
    const projectId = project.project.id;
    const branchId = project.branch.id;
    const created = await neon.createProjectBranchRole(projectId, branchId, { role: { name: 'app' } });
    expect(created.status).toBe(201);
    const firstPassword = created.data.role.password;
    expect(firstPassword).toMatch(/^npg_/);
    await waitForOperations(projectId, created.data.operations);

    const got = await neon.getProjectBranchRole(projectId, branchId, 'app');
    expect(got.data.role).not.toHaveProperty('password');
    const listed = await neon.listProjectBranchRoles(projectId, branchId);
    expect(listed.data.roles.map((r) => r.name)).toEqual(['neondb_owner', 'app']);
    expect(listed.data.roles.some((r) => 'password' in r)).toBe(false);
    expect(await failure(neon.getProjectBranchRolePassword(projectId, branchId, 'app'))).toMatchObject({
      status: 412,
    });

    const reset = await neon.resetProjectBranchRolePassword(projectId, branchId, 'app');
    expect(reset.data.role.password).toMatch(/^npg_/);
    expect(reset.data.role.password).not.toBe(firstPassword);
    await waitForOperations(projectId, reset.data.operations);
    expect(JSON.stringify(sandbox.console.get('neon', 'role', `${projectId}/${branchId}/app`))).not.toContain(
      reset.data.role.password,
    );

    const ownsDatabase = await failure(neon.deleteProjectBranchRole(projectId, branchId, 'neondb_owner'));
    expect(ownsDatabase).toMatchObject({ status: 422 });
    const deleted = await neon.deleteProjectBranchRole(projectId, branchId, 'app');
    await waitForOperations(projectId, deleted.data.operations);
    expect(await failure(neon.getProjectBranchRole(projectId, branchId, 'app'))).toMatchObject({
      status: 404,
    });
    expect(
      await failure(neon.createProjectBranchRole(projectId, branchId, { role: { name: 'neondb_owner' } })),
    ).toMatchObject({ status: 409 });
  });
});
