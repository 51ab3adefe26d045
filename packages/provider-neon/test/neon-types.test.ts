import {
  ConflictError,
  createEngine,
  MemoryStore,
  outputRef,
  type ResourceSpec,
  ValidationError,
} from '@patchbay/core';
import { type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyNeonError, neon, type RolePasswordStore } from '../src/index.js';

const ctx = () => ({ signal: new AbortController().signal, progress: () => {} });

describe('neon role, database, 423 and secrets against the sandbox', () => {
  let sandbox: Sandbox;
  const secrets = new Map<string, string>();
  const store: RolePasswordStore = {
    reference: ({ projectId, branchId, role }) => `vault:neon/${projectId}/${branchId}/${role}`,
    put: async (reference, password) => void secrets.set(reference, password),
  };
  beforeAll(async () => {
    sandbox = await startSandbox({ operationDelayMs: 5 });
  });
  afterAll(() => sandbox?.close());

  const graph = (
    name: string,
    owner = { $ref: { resource: 'db/neon/role', output: 'name' } },
  ): ResourceSpec[] => [
    { id: 'db/neon/project', type: 'neon.project', name, attributes: { historyRetentionSeconds: 86_400 } },
    {
      id: 'db/neon/branch',
      type: 'neon.branch',
      name,
      attributes: {
        project: outputRef('db/neon/project', 'id'),
        parent: outputRef('db/neon/project', 'defaultBranchId'),
      },
    },
    {
      id: 'db/neon/role',
      type: 'neon.role',
      name: 'app',
      attributes: { project: outputRef('db/neon/project', 'id'), branch: outputRef('db/neon/branch', 'id') },
    },
    {
      id: 'db/main',
      type: 'neon.database',
      name: 'main',
      attributes: {
        project: outputRef('db/neon/project', 'id'),
        branch: outputRef('db/neon/branch', 'id'),
        owner,
      },
    },
  ];

  it('creates role and database; the password reaches only the store; owner patch is one write; console owner kept as conflict', async () => {
    const provider = neon({
      apiKey: 'secret-key-123',
      baseURL: sandbox.endpoints.neon.baseURL,
      pollIntervalMs: 5,
      rolePasswords: store,
    });
    const stateStore = new MemoryStore();
    const engine = createEngine({
      environment: 'rd',
      providers: [provider],
      store: stateStore,
      retry: { attempts: 10, baseDelayMs: 5, maxDelayMs: 100 },
    });
    const events: unknown[] = [];
    engine.events.on('action:finished', (e) => events.push(e));
    const first = await engine.apply(await engine.plan(graph('rdtest')));
    expect(first.ok, JSON.stringify(first.outcomes)).toBe(true);
    const state = await stateStore.read('rd');
    const role = state.resources['db/neon/role']!;
    const password = secrets.get(String(role.outputs.passwordSecret));
    expect(password).toMatch(/^npg_/);
    expect(JSON.stringify({ state, events })).not.toContain(password!);
    expect(state.resources['db/main']!.attributes.owner).toBe('app');
    expect((await engine.plan(graph('rdtest'))).empty).toBe(true);

    // Patch owner to the project's default role: one write.
    const before = sandbox.counters.detail('neon', 'updateProjectBranchDatabase').calls;
    const patched = await engine.apply(await engine.plan(graph('rdtest', 'neondb_owner' as never)));
    expect(patched.ok, JSON.stringify(patched.outcomes)).toBe(true);
    expect(sandbox.counters.detail('neon', 'updateProjectBranchDatabase').calls - before).toBe(1);

    // Read-before-write: the console changes the owner between plan and apply → conflict, no write.
    const plan = await engine.plan(graph('rdtest'));
    const db = state.resources['db/main']!;
    sandbox.console.edit('neon', 'database', db.physicalId!, { owner_name: 'someone' });
    const writes = sandbox.counters.detail('neon', 'updateProjectBranchDatabase').calls;
    const result = await engine.apply(plan);
    expect(result.outcomes.find((o) => o.id === 'db/main')?.outcome).toBe('conflict');
    expect(sandbox.counters.detail('neon', 'updateProjectBranchDatabase').calls).toBe(writes);

    // Direct patch with a stale expectation throws ConflictError.
    const type = provider.types['neon.database']!;
    const ref = {
      id: 'db/main',
      type: 'neon.database',
      name: 'main',
      physicalId: db.physicalId!,
      environment: 'rd',
    };
    await expect(
      type.patch(
        ref,
        [{ attribute: 'owner', from: 'app', to: 'neondb_owner' }],
        { kind: 'read-before-write', expected: { owner: 'app' } },
        ctx(),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    // A role cannot be patched (Neon has no role update).
    await expect(
      provider.types['neon.role']!.patch(
        { ...ref, id: 'db/neon/role', type: 'neon.role', name: 'app' },
        [{ attribute: 'x', from: 1, to: 2 }],
        { kind: 'read-before-write', expected: {} },
        ctx(),
      ),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('423 Locked is transient: the engine retries until the operation finishes', async () => {
    const locked = {
      response: {
        status: 423,
        data: { code: 'LOCKED', message: 'project already has running conflicting operations' },
      },
    };
    expect(classifyNeonError(locked)).toBe('transient');
    expect(classifyNeonError({ response: { status: 429, data: {} } })).toBe('throttled');
    expect(classifyNeonError({ response: { status: 404, data: {} } })).toBe('not-found');
    expect(classifyNeonError({ response: { status: 400, data: {} } })).toBe('fatal');
    expect(classifyNeonError({ response: { status: 503, data: {} } })).toBe('transient');

    // A long-running operation on the branch makes the endpoint create answer 423 until it finishes.
    const slow = neon({ apiKey: 'k', baseURL: sandbox.endpoints.neon.baseURL, pollIntervalMs: 5 });
    const quick = neon({
      apiKey: 'k',
      baseURL: sandbox.endpoints.neon.baseURL,
      pollIntervalMs: 5,
      waitTimeoutMs: 1,
    });
    const s = new MemoryStore();
    const engine = createEngine({
      environment: 'lk',
      providers: [slow],
      store: s,
      retry: { attempts: 12, baseDelayMs: 20, maxDelayMs: 200 },
    });
    const base = graph('lktest').slice(0, 2);
    expect((await engine.apply(await engine.plan(base))).ok).toBe(true);
    const st = await s.read('lk');
    const [projectId, branchId] = st.resources['db/neon/branch']!.physicalId!.split('/');
    // An endpoint start (slowed to 400 ms) runs on the branch: branch-scoped mutations answer 423 meanwhile.
    sandbox.faults.add({ api: 'neon', operation: 'createProjectEndpoint', operationDelayMs: 400 } as never);
    await quick.types['neon.endpoint']!.create(
      {
        ref: { id: 'db/neon/endpoint', type: 'neon.endpoint', name: 'lktest', environment: 'lk' },
        attributes: {
          project: projectId!,
          branch: branchId!,
          minCu: 0.25,
          maxCu: 1,
          suspendTimeoutSeconds: 0,
        },
        idempotencyToken: 't',
      },
      ctx(),
    ).catch(() => undefined);
    const retries: unknown[] = [];
    engine.events.on('retry:scheduled', (e) => retries.push(e));
    const role = graph('lktest')[2]!;
    const endpoint: ResourceSpec = {
      id: 'db/neon/endpoint',
      type: 'neon.endpoint',
      name: 'lktest',
      attributes: {
        project: outputRef('db/neon/project', 'id'),
        branch: outputRef('db/neon/branch', 'id'),
        minCu: 0.25,
        maxCu: 1,
        suspendTimeoutSeconds: 0,
      },
      policy: { mode: 'adopt' },
    };
    const result = await engine.apply(await engine.plan([...base, role]));
    sandbox.faults.clear();
    expect(result.ok, JSON.stringify(result.outcomes)).toBe(true);
    expect(retries.length).toBeGreaterThan(0);
    expect(sandbox.counters.detail('neon', 'createProjectBranchRole').calls).toBeGreaterThan(1);
    // The endpoint made outside this engine is adopted; suspend 0 (Neon default) compares equal to 300.
    expect((await engine.apply(await engine.plan([...base, role, endpoint]))).ok).toBe(true);
    // suspend 0 (Neon default) is normalized to 300: the re-plan is empty.
    expect(
      (
        await engine.plan([
          ...base,
          role,
          { ...endpoint, attributes: { ...endpoint.attributes, suspendTimeoutSeconds: 300 } },
        ])
      ).empty,
    ).toBe(true);
  });

  it('rejects bad options and bad attributes before any call, never echoing the key', () => {
    expect(() => neon({ apiKey: '' })).toThrow(ValidationError);
    expect(() => neon({ apiKey: 'k', baseURL: 'nope' })).toThrow(/baseURL/);
    try {
      neon({ apiKey: 'k', pollIntervalMs: -1, waitTimeoutMs: 0 });
    } catch (e) {
      expect((e as ValidationError).issues.map((i) => i.path[0])).toEqual([
        'pollIntervalMs',
        'waitTimeoutMs',
      ]);
    }
  });
});
