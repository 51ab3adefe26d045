import {
  createEngine,
  MemoryStore,
  memoryProvider,
  outputRef,
  type Provider,
  type ResourceRef,
  type ResourceSpec,
  type ResourceType,
} from '@patchbay/core';
import { describe, expect, it } from 'vitest';

interface Call {
  type: string;
  operation: 'observe' | 'create' | 'patch' | 'delete';
  ref: ResourceRef;
}

/**
 * `memory.member` lives in a cluster, like an ECS service: the memory cloud keys it `<cluster>/<name>`, and
 * without `ref.identity` the type guesses the cluster from the environment (what the AWS types did).
 */
function clusteredProvider(options: { declareIdentity?: boolean } = {}) {
  const memory = memoryProvider({ types: { cluster: {}, member: {}, plain: {} } });
  const calls: Call[] = [];
  const located = (ref: ResourceRef): ResourceRef => ({
    ...ref,
    name: `${String(ref.identity?.cluster ?? ref.environment)}/${ref.name}`,
  });
  const wrap = (
    name: string,
    base: ResourceType,
    locate: (ref: ResourceRef) => ResourceRef,
  ): ResourceType => {
    // Logs the call and returns the ref to hand on.
    const log = (operation: Call['operation'], ref: ResourceRef) => {
      calls.push({ type: name, operation, ref });
      return locate(ref);
    };
    const type: ResourceType = {
      ...base,
      observe: (ref, ctx) => base.observe(log('observe', ref), ctx),
      create: (input, ctx) => base.create({ ...input, ref: log('create', input.ref) }, ctx),
      patch: (ref, changes, precondition, ctx) => base.patch(log('patch', ref), changes, precondition, ctx),
      delete: (ref, ctx) => base.delete!(log('delete', ref), ctx),
    };
    return type;
  };
  const types = memory.types;
  const member = wrap('memory.member', types['memory.member']!, located);
  if (options.declareIdentity !== false) member.identity = ['cluster'];
  const provider: Provider = {
    name: 'memory',
    types: {
      'memory.cluster': wrap('memory.cluster', types['memory.cluster']!, (r) => r),
      'memory.member': member,
      'memory.plain': wrap('memory.plain', types['memory.plain']!, (r) => r),
    },
  };
  const store = new MemoryStore();
  const engine = createEngine({ environment: 'test', providers: [provider], store });
  return { cloud: memory.cloud, calls, engine, store };
}

const member = (
  cluster: ResourceSpec['attributes'][string],
  extra: Partial<ResourceSpec> = {},
): ResourceSpec => ({
  id: 'compute/api',
  type: 'memory.member',
  name: 'api',
  attributes: { cluster, replicas: 2 },
  policy: { createOnly: ['cluster'] },
  ...extra,
});

const clusterSpec: ResourceSpec = { id: 'cluster', type: 'memory.cluster', name: 'shared', attributes: {} };

describe('ResourceRef.identity', () => {
  it('locates a resource in a parent not named after the environment, on every call', async () => {
    const f = clusteredProvider();
    const create = await f.engine.plan([member('shared')]);
    expect(create.actions[0]?.kind).toBe('create');
    expect((await f.engine.apply(create)).ok).toBe(true);
    expect(f.cloud.get('memory.member', 'shared/api')).toBeDefined();
    expect(f.cloud.get('memory.member', 'test/api')).toBeUndefined();

    const patch = await f.engine.plan([member('shared', { attributes: { cluster: 'shared', replicas: 3 } })]);
    expect(patch.actions[0]?.kind).toBe('update');
    expect((await f.engine.apply(patch)).ok).toBe(true);
    expect(f.cloud.get('memory.member', 'shared/api')?.attributes.replicas).toBe(3);
    expect((await f.engine.refresh()).resources[0]?.status).toBe('in-sync');

    const removal = await f.engine.plan([]);
    expect(removal.actions[0]?.kind).toBe('delete');
    expect((await f.engine.apply(removal)).ok).toBe(true);
    expect(f.cloud.get('memory.member', 'shared/api')).toBeUndefined();

    const operations = new Set(f.calls.map((c) => c.operation));
    expect(operations).toEqual(new Set(['observe', 'create', 'patch', 'delete']));
    for (const call of f.calls) expect(call.ref.identity, `${call.operation}`).toEqual({ cluster: 'shared' });
  });

  it('adopts and observes a resource found by name in its parent', async () => {
    const f = clusteredProvider();
    f.cloud.put('memory.member', 'shared/api', { cluster: 'shared', replicas: 2 });
    const adopt = await f.engine.plan([member('shared', { policy: { mode: 'adopt' } })]);
    expect(adopt.actions[0]).toMatchObject({ kind: 'record', reason: 'adopting the existing resource' });
    expect((await f.engine.apply(adopt)).ok).toBe(true);
    expect(f.calls.filter((c) => c.operation === 'create')).toEqual([]);

    const g = clusteredProvider();
    g.cloud.put('memory.member', 'shared/api', { cluster: 'shared', replicas: 5 });
    const observe = await g.engine.plan([member('shared', { policy: { mode: 'observe-only' } })]);
    // Found (not `blocked` as missing): its baseline is recorded and the differing value reported.
    expect(observe.actions[0]?.kind).toBe('record');
    expect(observe.actions[0]?.attributes).toMatchObject([{ attribute: 'replicas', case: 'drift-kept' }]);
    expect((await g.engine.apply(observe)).ok).toBe(true);
    expect(g.calls.every((c) => c.operation === 'observe')).toBe(true);
  });

  it('without identity the type guesses from the environment (the gap identity closes)', async () => {
    const f = clusteredProvider({ declareIdentity: false });
    f.cloud.put('memory.member', 'shared/api', { cluster: 'shared', replicas: 2 });
    const plan = await f.engine.plan([member('shared', { policy: { mode: 'adopt' } })]);
    // Looked in `test/api`: nothing there, so it would create a second one.
    expect(plan.actions[0]?.kind).toBe('create');
    expect(f.calls[0]?.ref.identity).toBeUndefined();
    expect('identity' in f.calls[0]!.ref).toBe(false);
  });

  it('keeps the last-applied identity while the desired one moved (the resource is still there)', async () => {
    const f = clusteredProvider();
    await f.engine.apply(await f.engine.plan([member('shared', { policy: { createOnly: [] } })]));
    // A changed identity is a change of where the resource should be; it still is where L says.
    const moved = member('other', {
      policy: { createOnly: [] },
      attributes: { cluster: 'other', replicas: 4 },
    });
    f.calls.length = 0;
    const plan = await f.engine.plan([moved]);
    expect(f.calls.filter((c) => c.operation === 'observe').map((c) => c.ref.identity)).toEqual([
      { cluster: 'shared' },
    ]);
    expect(plan.actions[0]?.kind).toBe('update');
    await f.engine.apply(plan);
    expect(f.calls.filter((c) => c.operation === 'patch').map((c) => c.ref.identity)).toEqual([
      { cluster: 'shared' },
    ]);
  });

  it('resolves identity from output refs: from state when known, at apply time when created in the same plan', async () => {
    const f = clusteredProvider();
    const ref = member(outputRef('cluster', 'id'));
    const first = await f.engine.plan([clusterSpec, ref]);
    const lookup = f.calls.find((c) => c.type === 'memory.member' && c.operation === 'observe');
    // The cluster is created in this plan: its id is not known yet, so the plan's lookup has no identity.
    expect(lookup?.ref.identity).toBeUndefined();
    expect((await f.engine.apply(first)).ok).toBe(true);
    const clusterId = (await f.store.read('test')).resources.cluster!.physicalId;
    const create = f.calls.find((c) => c.type === 'memory.member' && c.operation === 'create');
    expect(create?.ref.identity).toEqual({ cluster: clusterId });
    expect(f.cloud.get('memory.member', `${clusterId}/api`)).toBeDefined();

    f.calls.length = 0;
    const scaled = member(outputRef('cluster', 'id'), {
      attributes: { cluster: outputRef('cluster', 'id'), replicas: 6 },
    });
    await f.engine.apply(await f.engine.plan([clusterSpec, scaled]));
    const memberCalls = f.calls.filter((c) => c.type === 'memory.member');
    expect(memberCalls.map((c) => c.operation)).toEqual(['observe', 'patch']);
    for (const call of memberCalls) expect(call.ref.identity).toEqual({ cluster: clusterId });
    // Types without identity get refs exactly as before.
    for (const call of f.calls.filter((c) => c.type === 'memory.cluster'))
      expect('identity' in call.ref).toBe(false);
  });
});
