import { createApiClient } from '@neondatabase/api-client';
import {
  type CallContext,
  createEngine,
  MemoryStore,
  outputRef,
  type ResourceRef,
  type ResourceSpec,
} from '@patchbay/core';
import { type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neon } from '../src/index.js';

// A ref without physical id (before a create, after a `forget`) is found where `ref.identity` says, in one
// read, even when the environment has several annotated branches or another project holds the same name.

const call = (): CallContext => ({ signal: new AbortController().signal, progress: () => {} });

const onBranch = (id: string, type: string, name: string, branch: string, extra = {}): ResourceSpec => ({
  id,
  type,
  name,
  attributes: {
    project: outputRef('db/neon/project', 'id'),
    branch: outputRef(branch, 'id'),
    ...extra,
  },
});

const branchSpec = (id: string, name: string): ResourceSpec => ({
  id,
  type: 'neon.branch',
  name,
  attributes: {
    project: outputRef('db/neon/project', 'id'),
    parent: outputRef('db/neon/project', 'defaultBranchId'),
  },
});

describe('neon lookups by ref.identity', () => {
  let sandbox: Sandbox;
  let provider: ReturnType<typeof neon>;
  /** Physical ids by resource id, of the environment `idt` (two annotated branches) and `idu`. */
  const ids: Record<string, string> = {};
  const other: Record<string, string> = {};

  const converge = async (environment: string, specs: ResourceSpec[], into: Record<string, string>) => {
    const store = new MemoryStore();
    const engine = createEngine({
      environment,
      // Its own provider instance, as another process would have: no memory of the other environment.
      providers: [neon({ apiKey: 'k', baseURL: sandbox.endpoints.neon.baseURL, pollIntervalMs: 5 })],
      store,
      retry: { attempts: 10, baseDelayMs: 5, maxDelayMs: 100 },
    });
    const result = await engine.apply(await engine.plan(specs));
    expect(result.ok, JSON.stringify(result.outcomes)).toBe(true);
    for (const [id, record] of Object.entries((await store.read(environment)).resources)) {
      into[id] = record.physicalId!;
    }
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ operationDelayMs: 5 });
    provider = neon({ apiKey: 'k', baseURL: sandbox.endpoints.neon.baseURL, pollIntervalMs: 5 });
    const project = (name: string): ResourceSpec => ({
      id: 'db/neon/project',
      type: 'neon.project',
      name,
      attributes: { historyRetentionSeconds: 86_400 },
    });
    // Both branches of `idt` carry the annotation `patchbay-environment: idt`; the children live on `idmain`.
    await converge(
      'idt',
      [
        project('idproj'),
        branchSpec('db/neon/branch', 'idmain'),
        branchSpec('db/neon/other', 'idother'),
        onBranch('db/neon/endpoint', 'neon.endpoint', 'idt', 'db/neon/branch', { minCu: 0.25, maxCu: 1 }),
        onBranch('db/neon/role', 'neon.role', 'app', 'db/neon/branch'),
        onBranch('db/main', 'neon.database', 'main', 'db/neon/branch', { owner: 'app' }),
      ],
      ids,
    );
    // Another environment's project holds a branch of the same name.
    await converge('idu', [project('idproj2'), branchSpec('db/neon/branch', 'idmain')], other);
  });
  afterAll(() => sandbox?.close());

  const [projectOf, branchOf] = [(id: string) => id.split('/')[0]!, (id: string) => id.split('/')[1]!];

  /** Observes `ref` (no physical id) and counts the Neon calls it made. */
  const observe = async (ref: ResourceRef) => {
    const before = sandbox.counters.total('neon');
    const observed = await provider.types[ref.type]!.observe(ref, call());
    return { observed, calls: sandbox.counters.total('neon') - before };
  };

  const ref = (type: string, id: string, name: string, identity: Record<string, string>): ResourceRef => ({
    id,
    type,
    name,
    environment: 'idt',
    identity,
  });

  it('declares identity: branch by project, endpoint/role/database by project and branch', () => {
    expect(provider.types['neon.project']!.identity).toBeUndefined();
    expect(provider.types['neon.branch']!.identity).toEqual(['project']);
    for (const type of ['neon.endpoint', 'neon.role', 'neon.database']) {
      expect(provider.types[type]!.identity).toEqual(['project', 'branch']);
    }
  });

  it('finds a branch in the identity project, not a same-named one elsewhere, in one read', async () => {
    const project = projectOf(other['db/neon/branch']!);
    const { observed, calls } = await observe(ref('neon.branch', 'db/neon/branch', 'idmain', { project }));
    expect(observed?.physicalId).toBe(other['db/neon/branch']);
    expect(calls).toBe(1);
  });

  it('finds a branch given by id in the identity project in one read', async () => {
    const [project, branch] = ids['db/neon/other']!.split('/') as [string, string];
    const { observed, calls } = await observe(ref('neon.branch', 'db/neon/branch', branch, { project }));
    expect(observed?.physicalId).toBe(ids['db/neon/other']);
    expect(calls).toBe(1);
  });

  it.each([
    ['neon.endpoint', 'db/neon/endpoint', 'idt'],
    ['neon.role', 'db/neon/role', 'app'],
    ['neon.database', 'db/main', 'main'],
  ])(
    'finds a %s on the identity branch in one read, and not on another annotated branch',
    async (type, id, name) => {
      const project = projectOf(ids['db/neon/branch']!);
      const found = await observe(ref(type, id, name, { project, branch: branchOf(ids['db/neon/branch']!) }));
      expect(found.observed?.physicalId).toBe(ids[id]);
      expect(found.calls).toBe(1);
      // Same project, the environment's other annotated branch: nothing there, and no search elsewhere.
      const missing = await observe(
        ref(type, id, name, { project, branch: branchOf(ids['db/neon/other']!) }),
      );
      expect(missing.observed).toBeUndefined();
      expect(missing.calls).toBe(1);
    },
  );

  it("takes an imported branch's own read-write endpoint (unnamed, made in the console) as the endpoint", async () => {
    // A new project's default branch comes with a read-write endpoint Patchbay did not name.
    const project = projectOf(ids['db/neon/branch']!);
    const api = createApiClient({ apiKey: 'k', baseURL: sandbox.endpoints.neon.baseURL });
    const { branches } = (await api.listProjectBranches({ projectId: project })).data;
    const main = branches.find((b) => b.default)!;
    const { endpoints } = (await api.listProjectBranchEndpoints(project, main.id)).data;
    expect(endpoints.filter((e) => e.type === 'read_write')).toHaveLength(1);
    const found = await observe(
      ref('neon.endpoint', 'db/neon/endpoint', 'imported', { project, branch: main.id }),
    );
    expect(found.observed?.physicalId).toBe(`${project}/${endpoints[0]!.id}`);
    expect(found.calls).toBe(1);
  });

  it('with only the project known, looks for the environment branch in that project only', async () => {
    // `idu` has one annotated branch; a child branch starts with its parent's roles (neondb_owner).
    const [project, branch] = other['db/neon/branch']!.split('/') as [string, string];
    const searches = sandbox.counters.detail('neon', 'listProjects').calls;
    const found = await observe({
      ...ref('neon.role', 'db/neon/role', 'neondb_owner', { project }),
      environment: 'idu',
    });
    expect(found.observed?.physicalId).toBe(`${project}/${branch}/neondb_owner`);
    // 1 list of that project's branches + 1 role read: no search for candidate projects.
    expect(found.calls).toBe(2);
    expect(sandbox.counters.detail('neon', 'listProjects').calls).toBe(searches);
  });
});
