import { type EngineClock, MemoryStore, ProviderError, type ResourceSpec, StateError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { engineFixture, service } from './support/engine-fixture.js';

const fakeClock = (): EngineClock & { slept: number[] } => {
  const slept: number[] = [];
  return { slept, now: () => 0, random: () => 0.5, sleep: async (ms) => void slept.push(ms) };
};

const svc = (i: number, replicas = 1): ResourceSpec => ({
  id: `svc/${i}`,
  type: 'memory.service',
  name: `svc-${i}`,
  attributes: { replicas },
});

describe('apply', () => {
  it('turns a version-token mismatch between plan and apply into a conflict, never a write', async () => {
    const f = engineFixture();
    await f.converge([service(2)]);
    const plan = await f.engine.plan([service(3)]);
    f.cloud.edit('memory.service', 'test-svc', { replicas: 9 });
    const result = await f.engine.apply(plan);
    expect(result.outcomes[0]).toMatchObject({ outcome: 'conflict' });
    expect(f.cloud.get('memory.service', 'test-svc')?.attributes.replicas).toBe(9);
    expect(f.log.some((e) => e.name === 'conflict')).toBe(true);
    expect((await f.engine.plan([service(3)])).summary.conflicts).toBe(1);
  });

  it('read-before-write types re-read and refuse when an attribute they change moved', async () => {
    const f = engineFixture();
    const db: ResourceSpec = {
      id: 'db',
      type: 'memory.database',
      name: 'db',
      attributes: { engine: 'pg', storage: 20 },
    };
    await f.converge([db]);
    const plan = await f.engine.plan([{ ...db, attributes: { engine: 'pg', storage: 30 } }]);
    f.cloud.edit('memory.database', 'db', { storage: 25 });
    const result = await f.engine.apply(plan);
    expect(result.outcomes[0]?.outcome).toBe('conflict');
    expect(f.cloud.get('memory.database', 'db')?.attributes.storage).toBe(25);
    // An edit to an attribute the patch does not touch does not block it.
    const g = engineFixture();
    await g.converge([db]);
    const plan2 = await g.engine.plan([{ ...db, attributes: { engine: 'pg', storage: 30 } }]);
    g.cloud.edit('memory.database', 'db', { other: 1 });
    expect((await g.engine.apply(plan2)).ok).toBe(true);
  });

  it('retries throttled and transient errors with full-jitter backoff, and fails fatal ones', async () => {
    const clock = fakeClock();
    const f = engineFixture({ engine: { clock, retry: { attempts: 4, baseDelayMs: 100 } } });
    let failures = 2;
    f.cloud.hook = (call) => {
      if (call.operation === 'create' && call.phase === 'before' && failures-- > 0) {
        throw new ProviderError('memory', 'create', failures === 1 ? 'throttled' : 'transient', 'slow down');
      }
    };
    const { result } = await f.converge([service(1)]);
    expect(result.ok).toBe(true);
    expect(clock.slept).toEqual([50, 100]); // random 0.5 × 100·2^n
    expect(f.log.filter((e) => e.name === 'retry:scheduled')).toHaveLength(2);
    expect(f.cloud.list()).toHaveLength(1);

    const g = engineFixture({ engine: { clock: fakeClock() } });
    g.cloud.hook = (call) => {
      if (call.operation === 'create') throw new ProviderError('memory', 'create', 'fatal', 'bad request');
    };
    const failed = await g.converge([service(1)]);
    expect(failed.result.outcomes[0]).toMatchObject({ outcome: 'failed', errorKind: 'fatal' });
    expect(g.cloud.callsByOperation.create).toBe(1);
  });

  it('reports a resource deleted between plan and apply as not found: re-plan', async () => {
    const f = engineFixture();
    await f.converge([service(1)]);
    const plan = await f.engine.plan([service(2)]);
    f.cloud.remove('memory.service', 'test-svc');
    const result = await f.engine.apply(plan);
    expect(result.outcomes[0]).toMatchObject({ outcome: 'failed', errorKind: 'not-found' });
    expect(result.outcomes[0]?.message).toContain('re-plan');
    const replan = await f.engine.plan([service(2)]);
    expect(replan.actions[0]).toMatchObject({
      kind: 'create',
      reason: 'deleted outside Patchbay: re-creating it',
    });
  });

  it('runs in dependency order and skips dependents of a failed action', async () => {
    const f = engineFixture();
    const order: string[] = [];
    f.cloud.hook = (call) => {
      if (call.phase === 'after' && call.operation === 'create') order.push(call.name);
      if (call.name === 'b' && call.operation === 'create')
        throw new ProviderError('memory', 'create', 'fatal', 'no');
    };
    const desired: ResourceSpec[] = [
      { id: 'c', type: 'memory.service', name: 'c', attributes: {}, dependsOn: ['b'] },
      { id: 'b', type: 'memory.service', name: 'b', attributes: {}, dependsOn: ['a'] },
      { id: 'a', type: 'memory.service', name: 'a', attributes: {} },
      { id: 'd', type: 'memory.service', name: 'd', attributes: {}, dependsOn: ['a'] },
    ];
    const { result } = await f.converge(desired);
    expect(order[0]).toBe('a');
    expect(Object.fromEntries(result.outcomes.map((o) => [o.id, o.outcome]))).toEqual({
      a: 'created',
      b: 'failed',
      c: 'skipped',
      d: 'created',
    });
  });

  it('makes before it breaks: deletions start after every create finished, and not at all if one failed', async () => {
    const f = engineFixture({ provider: { latencyMs: 2 } });
    await f.converge([svc(1), svc(2)]);
    const events: string[] = [];
    f.cloud.hook = (call) => {
      if (call.operation !== 'observe') events.push(`${call.phase} ${call.operation} ${call.name}`);
    };
    const { result } = await f.converge([svc(3), svc(4)]);
    expect(result.ok).toBe(true);
    const lastCreate = Math.max(events.indexOf('after create svc-3'), events.indexOf('after create svc-4'));
    const firstDelete = Math.min(
      events.indexOf('before delete svc-1'),
      events.indexOf('before delete svc-2'),
    );
    expect(lastCreate).toBeGreaterThanOrEqual(0);
    expect(firstDelete).toBeGreaterThan(lastCreate);

    const g = engineFixture();
    await g.converge([svc(1)]);
    g.cloud.hook = (call) => {
      if (call.operation === 'create') throw new ProviderError('memory', 'create', 'fatal', 'quota');
    };
    const failed = await g.converge([svc(2)]);
    expect(failed.result.outcomes.find((o) => o.id === 'svc/1')?.outcome).toBe('skipped');
    expect(g.cloud.get('memory.service', 'svc-1')).toBeDefined();
  });

  it('respects the global concurrency limit and per-API limits', async () => {
    const f = engineFixture({
      provider: { latencyMs: 3, limits: { 'memory.service': { concurrency: 2 } } },
      engine: { concurrency: 4 },
    });
    let inFlight = 0;
    let max = 0;
    f.cloud.hook = (call) => {
      if (call.phase === 'before') max = Math.max(max, ++inFlight);
      else inFlight--;
    };
    await f.converge(Array.from({ length: 10 }, (_, i) => svc(i)));
    expect(max).toBe(2);

    const g = engineFixture({ provider: { latencyMs: 3 }, engine: { concurrency: 3 } });
    let inFlight2 = 0;
    let max2 = 0;
    g.cloud.hook = (call) => {
      if (call.phase === 'before') max2 = Math.max(max2, ++inFlight2);
      else inFlight2--;
    };
    await g.converge(Array.from({ length: 10 }, (_, i) => svc(i)));
    expect(max2).toBe(3);
  });

  it('cancels waiting work with an AbortSignal', async () => {
    const f = engineFixture({ provider: { latencyMs: 20 }, engine: { concurrency: 1 } });
    const controller = new AbortController();
    const plan = await f.engine.plan(Array.from({ length: 5 }, (_, i) => svc(i)));
    setTimeout(() => controller.abort(), 30);
    const result = await f.engine.apply(plan, { signal: controller.signal });
    const outcomes = result.outcomes.map((o) => o.outcome);
    expect(outcomes).toContain('cancelled');
    expect(outcomes.filter((o) => o === 'created').length).toBeLessThan(5);
    expect(result.ok).toBe(false);
    // What finished is committed; a re-plan creates only the rest.
    const replan = await f.engine.plan(Array.from({ length: 5 }, (_, i) => svc(i)));
    expect(replan.summary.create).toBe(5 - f.cloud.list().length);
  });

  it('holds an apply lock with a lease; a second applier gets an error naming the holder', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    await store.acquireLock('test', 'ci-runner-7', 60_000);
    const f = engineFixture({ store });
    const plan = await f.engine.plan([service(1)]);
    const error = await f.engine.apply(plan).catch((e) => e);
    expect(error).toBeInstanceOf(StateError);
    expect(error.reason).toBe('locked');
    expect(error.message).toContain('ci-runner-7');
    expect(error.message).toContain(new Date(1_000_000).toISOString());
    now += 61_000; // the lease expired: the lock can be taken over
    expect((await f.engine.apply(plan)).ok).toBe(true);
    expect((await store.read('test')).lock).toBeUndefined();
  });

  it('writes a create intent to the journal and clears it when the create is committed', async () => {
    const f = engineFixture();
    const seen: unknown[] = [];
    f.cloud.hook = async (call) => {
      if (call.operation === 'create' && call.phase === 'before')
        seen.push((await f.store.read('test')).journal);
    };
    await f.converge([service(1)]);
    expect(seen[0]).toMatchObject([{ kind: 'create-intent', id: 'svc', name: 'test-svc' }]);
    expect((await f.store.read('test')).journal).toEqual([]);
  });

  it('recovers a create interrupted after the cloud made the resource, with no duplicate', async () => {
    const f = engineFixture();
    f.cloud.hook = (call) => {
      if (call.operation === 'create' && call.phase === 'after') throw new Error('process killed');
    };
    const { result } = await f.converge([service(1)]);
    expect(result.ok).toBe(false);
    expect(f.cloud.list()).toHaveLength(1);
    f.cloud.hook = undefined;
    const plan = await f.engine.plan([service(1)]);
    expect(plan.actions[0]).toMatchObject({ kind: 'record', reason: 'recovering an interrupted create' });
    await f.engine.apply(plan);
    expect(f.cloud.list()).toHaveLength(1);
    expect((await f.engine.plan([service(1)])).empty).toBe(true);
  });

  it('classifies SDK errors with the provider classifier', async () => {
    const f = engineFixture();
    f.memory.classifyError = (e) => ((e as Error).message === 'Rate exceeded' ? 'throttled' : 'fatal');
    let once = true;
    f.cloud.hook = (call) => {
      if (call.operation === 'create' && once) {
        once = false;
        throw new Error('Rate exceeded');
      }
    };
    const { result } = await f.converge([service(1)]);
    expect(result.ok).toBe(true);
    expect(f.log.filter((e) => e.name === 'retry:scheduled')).toHaveLength(1);
    expect(f.cloud.list()).toHaveLength(1);
  });
});
