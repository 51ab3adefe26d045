import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Api, createApiClient } from '@neondatabase/api-client';
import { type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NEON_RATE_LIMIT } from '../src/apis/neon/neon-rate-limits.js';

let sandbox: Sandbox;
let neon: Api<unknown>;

function isHttpError(error: unknown): error is { response: { status: number; data: unknown } } {
  return typeof error === 'object' && error !== null && 'response' in error && error.response !== undefined;
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

async function settled(client: Api<unknown>, projectId: string, operations: { id: string }[]): Promise<void> {
  for (const operation of operations) {
    for (let attempt = 0; ; attempt += 1) {
      const { data } = await client.getProjectOperation(projectId, operation.id);
      if (data.operation.status === 'finished') break;
      if (attempt > 500) throw new Error(`operation ${operation.id} never finished`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** A raw request to the sandbox's Neon API, for inputs the typed client cannot express. */
async function raw(method: string, path: string, body?: unknown, key: string | null = 'test-key') {
  const response = await fetch(`${sandbox.url}/api/v2${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as { code: string; message: string } };
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 20, defaultRateLimits: false });
  neon = createApiClient({ apiKey: 'test-key', baseURL: `${sandbox.url}/api/v2` });
});

afterAll(async () => {
  await sandbox.close();
});

afterEach(() => {
  sandbox.faults.clear();
});

describe('Neon auth and unknown resources', () => {
  it('answers 401 without a Bearer API key, before anything else', async () => {
    const anonymous = createApiClient({ apiKey: null, baseURL: `${sandbox.url}/api/v2` });
    expect(await failure(anonymous.listProjects({}))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect((await raw('GET', '/projects/ghost', undefined, null)).status).toBe(401);
    expect((await raw('GET', '/projects', undefined, '')).status).toBe(401);
    expect((await raw('GET', '/nowhere', undefined, null)).status).toBe(401);
  });

  it('answers 404 for unknown projects and routes, 501 for spec routes the sandbox does not serve', async () => {
    expect(await failure(neon.getProject('ghost-project'))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      message: 'project ghost-project not found',
    });
    expect((await raw('GET', '/nowhere')).status).toBe(404);
    // PATCH on a role is not in the API at all (roles have no update).
    expect((await raw('PATCH', '/projects/p/branches/b/roles/r', { role: {} })).status).toBe(404);
    const unserved = await raw('GET', '/projects/p/branches/b/schema?db_name=neondb');
    expect(unserved.status).toBe(501);
    expect(unserved.body.message).toContain('getProjectBranchSchema');
  });
});

describe('Neon request validation against the OpenAPI spec', () => {
  it('names unknown fields and wrong types in the body', async () => {
    const { status, body } = await raw('POST', '/projects', {
      project: { name: 42, colour: 'blue', history_retention_seconds: 'long' },
      extra: true,
    });
    expect(status).toBe(400);
    expect(body.code).toBe('BAD_REQUEST');
    expect(body.message).toContain('project.name: expected string, got number');
    expect(body.message).toContain('project.colour: is not a known field');
    expect(body.message).toContain('project.history_retention_seconds: expected integer, got string');
    expect(body.message).toContain('extra: is not a known field');
  });

  it('checks required fields, enums, path and query parameters', async () => {
    const created = await neon.createProject({ project: { name: 'validation' } });
    const projectId = created.data.project.id;
    const missing = await raw('POST', `/projects/${projectId}/endpoints`, {
      endpoint: { type: 'read_write' },
    });
    expect(missing.body.message).toContain('endpoint.branch_id: is required');
    const badEnum = await raw('POST', `/projects/${projectId}/endpoints`, {
      endpoint: { branch_id: created.data.branch.id, type: 'writer' },
    });
    expect(badEnum.body.message).toContain('endpoint.type: must be one of "read_only", "read_write"');
    const noBody = await raw('PATCH', `/projects/${projectId}`);
    expect(noBody.body.message).toContain('a JSON request body is required');
    const badPath = await raw('GET', '/projects/Not_A_Project');
    expect(badPath).toMatchObject({ status: 400 });
    expect(badPath.body.message).toContain('project_id: must match ^[a-z0-9-]{1,60}$');
    const badLimit = await raw('GET', '/projects?limit=lots');
    expect(badLimit.body.message).toContain('limit: expected integer, got string');
    const tooMany = await raw('GET', '/projects?limit=401');
    expect(tooMany.body.message).toContain('limit: must be at most 400');
    const unknownQuery = await raw('GET', '/projects?colour=blue');
    expect(unknownQuery.body.message).toContain('colour: is not a known query parameter');
    const badJson = await fetch(`${sandbox.url}/api/v2/projects`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{"project":',
    });
    expect(badJson.status).toBe(400);
  });

  it('never echoes a value it rejects (a misplaced password stays out of the error)', async () => {
    const { body } = await raw('POST', '/projects', {
      project: { name: 'x', pg_version: 'npg_Secret12345' },
    });
    expect(body.message).toContain('project.pg_version: expected integer, got string');
    expect(body.message).not.toContain('npg_Secret12345');
  });
});

describe('Neon rate limits and faults', () => {
  it('applies the published per-route limit (700/min, 40 burst) by default', async () => {
    expect(NEON_RATE_LIMIT).toEqual({ perSecond: 700 / 60, burst: 40 });
    const limited = await startSandbox({ operationDelayMs: 20 });
    try {
      const client = createApiClient({ apiKey: 'k', baseURL: `${limited.url}/api/v2` });
      // 80 concurrent calls exceed a 40 burst unless they were spread over more than 3 seconds.
      const results = await Promise.allSettled(Array.from({ length: 80 }, () => client.listProjects({})));
      const statuses = results.map((r) =>
        r.status === 'fulfilled' ? r.value.status : failureStatus(r.reason),
      );
      const throttled = statuses.filter((s) => s === 429).length;
      expect(throttled).toBeGreaterThan(0);
      expect(statuses.filter((s) => s !== 429 && s !== 200)).toEqual([]);
      expect(limited.counters.detail('neon', 'listProjects')).toEqual({ calls: 80, throttled, faulted: 0 });
      // Another route has its own bucket.
      expect((await client.createProject({ project: {} })).status).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it('surfaces 429 from a fault-rule limit and 503 from an injected error, in Neon error shape', async () => {
    sandbox.faults.add({ api: 'neon', operation: 'getProject', rateLimit: { perSecond: 0.001, burst: 2 } });
    const created = await neon.createProject({ project: { name: 'faults' } });
    const projectId = created.data.project.id;
    const before = sandbox.counters.detail('neon', 'getProject');
    await neon.getProject(projectId);
    await neon.getProject(projectId);
    expect(await failure(neon.getProject(projectId))).toMatchObject({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
    });
    const after = sandbox.counters.detail('neon', 'getProject');
    expect(after.calls - before.calls).toBe(3);
    expect(after.throttled - before.throttled).toBe(1);

    sandbox.faults.clear();
    sandbox.faults.add({ api: 'neon', operation: 'getProject', errorRate: 1 });
    expect(await failure(neon.getProject(projectId))).toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
    sandbox.faults.clear();
    sandbox.faults.add({ api: 'neon', throttleRate: 1 });
    expect(await failure(neon.listProjects({}))).toMatchObject({ status: 429 });
  });

  it('takes the operation delay from a fault rule for one operation', async () => {
    sandbox.faults.add({ api: 'neon', operation: 'updateProjectEndpoint', operationDelayMs: 60_000 });
    const created = await neon.createProject({ project: { name: 'slow' } });
    const projectId = created.data.project.id;
    await settled(neon, projectId, created.data.operations);
    const update = await neon.updateProjectEndpoint(projectId, created.data.endpoints[0]!.id, {
      endpoint: { autoscaling_limit_max_cu: 3 },
    });
    const { data } = await neon.getProjectOperation(projectId, update.data.operations[0]!.id);
    expect(data.operation.status).toBe('running');
    expect(await failure(neon.deleteProjectEndpoint(projectId, created.data.endpoints[0]!.id))).toMatchObject(
      {
        status: 423,
      },
    );
  });

  it('counts calls per spec operation', async () => {
    const before = sandbox.counters.get('neon', 'createProjectBranch');
    const created = await neon.createProject({ project: { name: 'counted' } });
    await settled(neon, created.data.project.id, created.data.operations);
    await neon.createProjectBranch(created.data.project.id, { branch: { name: 'one' } });
    await failure(neon.createProjectBranch(created.data.project.id, { branch: { name: 'one' } }));
    expect(sandbox.counters.get('neon', 'createProjectBranch') - before).toBe(2);
  });
});

function failureStatus(reason: unknown): number {
  return isHttpError(reason) ? reason.response.status : -1;
}

describe('Neon console', () => {
  it('shows a console edit of an endpoint to the client, with a new updated_at', async () => {
    const created = await neon.createProject({ project: { name: 'console-edit' } });
    const projectId = created.data.project.id;
    await settled(neon, projectId, created.data.operations);
    const endpoint = created.data.endpoints[0]!;
    sandbox.console.edit('neon', 'endpoint', `${projectId}/${endpoint.id}`, { autoscaling_limit_max_cu: 7 });
    const { data } = await neon.getProjectEndpoint(projectId, endpoint.id);
    expect(data.endpoint.autoscaling_limit_max_cu).toBe(7);
    expect(data.endpoint.autoscaling_limit_min_cu).toBe(endpoint.autoscaling_limit_min_cu);
    expect(sandbox.console.list('neon').map((entry) => entry.kind)).toEqual(
      expect.arrayContaining(['project', 'branch', 'endpoint', 'database', 'role', 'operation']),
    );
  });

  it('tags a branch as an annotation and refuses tags on kinds Neon cannot label', async () => {
    const created = await neon.createProject({ project: { name: 'console-tag' } });
    const projectId = created.data.project.id;
    sandbox.console.tag('neon', 'branch', `${projectId}/${created.data.branch.id}`, 'team', 'core');
    const { data } = await neon.getProjectBranch(projectId, created.data.branch.id);
    expect(data.annotation.value).toEqual({ team: 'core' });
    expect(() => sandbox.console.tag('neon', 'project', projectId, 'team', 'core')).toThrow(
      /Neon projects have no labels or tags; only branches carry annotations/,
    );
    expect(() =>
      sandbox.console.tag('neon', 'endpoint', `${projectId}/${created.data.endpoints[0]!.id}`, 'a', 'b'),
    ).toThrow(/Neon endpoints have no labels/);
  });

  it('deletes a project from the console with everything in it', async () => {
    const created = await neon.createProject({ project: { name: 'console-delete' } });
    const projectId = created.data.project.id;
    sandbox.console.delete('neon', 'project', projectId);
    expect(await failure(neon.getProject(projectId))).toMatchObject({ status: 404 });
    expect(sandbox.console.list('neon').filter((entry) => entry.id.startsWith(`${projectId}/`))).toEqual([]);
  });
});

describe('Neon persistence', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'patchbay-neon-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps projects and running operations across a restart, and never writes a password', async () => {
    // Creation runs long enough for the colliding call below to land while it is still running.
    const first = await startSandbox({
      dataDir,
      operationDelayMs: 30,
      defaultRateLimits: false,
      faults: [{ api: 'neon', operation: 'createProject', operationDelayMs: 400 }],
    });
    const client = createApiClient({ apiKey: 'k', baseURL: `${first.url}/api/v2` });
    const created = await client.createProject({ project: { name: 'durable' } });
    const projectId = created.data.project.id;
    const role = await client
      .createProjectBranchRole(projectId, created.data.branch.id, { role: { name: 'app' } })
      .catch((error: unknown) => error);
    // The project's first operations are still running, so the role creation collides.
    expect(isHttpError(role) && role.response.status).toBe(423);
    await first.close();

    const file = readFileSync(join(dataDir, 'neon.json'), 'utf8');
    expect(file).not.toContain(created.data.roles[0]!.password!);
    expect(file).not.toContain('npg_');

    const second = await startSandbox({ dataDir, operationDelayMs: 30, defaultRateLimits: false });
    try {
      const again = createApiClient({ apiKey: 'k', baseURL: `${second.url}/api/v2` });
      expect((await again.getProject(projectId)).data.project.name).toBe('durable');
      await settled(again, projectId, created.data.operations);
      const endpoint = await again.getProjectEndpoint(projectId, created.data.endpoints[0]!.id);
      expect(endpoint.data.endpoint.current_state).toBe('active');
      const added = await again.createProjectBranchRole(projectId, created.data.branch.id, {
        role: { name: 'app' },
      });
      expect(added.status).toBe(201);
    } finally {
      await second.close();
    }
  });
});
