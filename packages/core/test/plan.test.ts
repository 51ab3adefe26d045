import {
  outputRef,
  planToJSON,
  type ResourceSpec,
  renderPlan,
  StateError,
  ValidationError,
} from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { engineFixture, service } from './support/engine-fixture.js';

const db = (attributes: Record<string, unknown> = {}, policy: ResourceSpec['policy'] = {}): ResourceSpec => ({
  id: 'db/main',
  type: 'memory.database',
  name: 'test-main',
  attributes: {
    engine: 'postgres-16',
    instanceClass: 'small',
    storage: 20,
    ...(attributes as ResourceSpec['attributes']),
  },
  policy,
});

describe('plan', () => {
  it('reads only the resources whose desired state changed', async () => {
    const f = engineFixture();
    const many = Array.from({ length: 20 }, (_, i) => ({ ...service(1), id: `svc/${i}`, name: `svc-${i}` }));
    await f.converge(many);
    many[7] = { ...many[7]!, attributes: { ...many[7]!.attributes, replicas: 4 } };
    f.cloud.resetCounters();
    const plan = await f.engine.plan(many);
    expect(plan.reads).toBe(1);
    expect(f.cloud.callsByOperation).toEqual({ observe: 1 });
    expect(plan.actions.filter((a) => a.kind !== 'noop').map((a) => a.id)).toEqual(['svc/7']);
  });

  it('diffs map attributes per key: console-added tags are neither owned nor removed', async () => {
    const f = engineFixture();
    await f.converge([service(2)]);
    f.cloud.edit('memory.service', 'test-svc', { 'tags.owner': 'bob' });
    const plan = await f.engine.plan([service(2, { tags: { team: 'platform' } })]);
    expect(plan.actions[0]?.attributes).toEqual([
      { attribute: 'tags.team', case: 'patch', desired: 'platform', lastApplied: 'core', observed: 'core' },
    ]);
    await f.engine.apply(plan);
    expect(f.cloud.get('memory.service', 'test-svc')?.attributes.tags).toEqual({
      team: 'platform',
      owner: 'bob',
    });
    // Removing an owned key removes it, and only it.
    const removal = await f.engine.plan([service(2, { tags: {} })]);
    expect(removal.actions[0]?.attributes).toMatchObject([{ attribute: 'tags.team', case: 'patch' }]);
    await f.engine.apply(removal);
    expect(f.cloud.get('memory.service', 'test-svc')?.attributes.tags).toEqual({ owner: 'bob' });
  });

  it('never owns attributes the spec does not set, and disowns dropped ones without touching them', async () => {
    const f = engineFixture();
    await f.converge([service(2)]);
    f.cloud.edit('memory.service', 'test-svc', { platformDefault: 'x' });
    const { attributes } = service(2);
    const { image: _dropped, ...rest } = attributes;
    const plan = await f.engine.plan([{ ...service(2), attributes: rest }]);
    expect(plan.actions[0]).toMatchObject({
      kind: 'record',
      attributes: [{ attribute: 'image', case: 'disowned' }],
    });
    expect(plan.reads).toBe(0);
    await f.engine.apply(plan);
    expect(f.cloud.get('memory.service', 'test-svc')?.attributes).toMatchObject({
      image: 'api:1',
      platformDefault: 'x',
    });
    expect((await f.engine.plan([{ ...service(2), attributes: rest }])).empty).toBe(true);
  });

  it('ignores create-only and ignored attributes after creation', async () => {
    const f = engineFixture();
    const spec = (zone: string, note: string): ResourceSpec => ({
      ...service(2, { zone, note }),
      policy: { createOnly: ['zone'], ignore: ['note'] },
    });
    await f.converge([spec('a', 'first')]);
    expect(f.cloud.get('memory.service', 'test-svc')?.attributes).toMatchObject({ zone: 'a', note: 'first' });
    const plan = await f.engine.plan([spec('b', 'second')]);
    expect(plan.reads).toBe(0);
    expect(plan.actions[0]?.attributes).toEqual([{ attribute: 'zone', case: 'create-only', desired: 'b' }]);
    expect(renderPlan(plan)).toContain('set at creation only');
  });

  it('normalizes desired values so a plan after an apply is empty', async () => {
    const f = engineFixture({
      provider: {
        types: {
          service: {
            normalize: (attribute, value) =>
              attribute === 'subnets' && Array.isArray(value) ? [...value].sort() : value,
          },
        },
      },
    });
    const spec = service(1, { subnets: ['b', 'a'] });
    await f.converge([spec]);
    f.cloud.edit('memory.service', 'test-svc', { subnets: ['a', 'b'] });
    const plan = await f.engine.plan([service(2, { subnets: ['b', 'a'] })]);
    expect(plan.actions[0]?.attributes.map((a) => a.attribute)).toEqual(['replicas']);
  });

  it('resolves output refs from state, or marks them known after apply when the target changes', async () => {
    const f = engineFixture();
    const desired = (cpu: number): ResourceSpec[] => [
      { id: 'task', type: 'memory.task', name: 'test-task', attributes: { cpu } },
      { id: 'svc', type: 'memory.service', name: 'test-svc', attributes: { task: outputRef('task', 'arn') } },
    ];
    const first = await f.engine.plan(desired(256));
    expect(first.actions[1]).toMatchObject({
      kind: 'create',
      dependsOn: ['task'],
      attributes: [{ knownAfterApply: 'task.arn' }],
    });
    expect(renderPlan(first)).toContain('(known after apply: task.arn)');
    const collapsed = renderPlan(first, { collapseCreates: true });
    expect(collapsed.split('\n').filter((line) => line.startsWith('+ '))).toHaveLength(2);
    expect(collapsed).not.toContain('known after apply');
    expect(collapsed).toContain('Plan: 2 to create');
    await f.engine.apply(first);
    const change = await f.engine.plan(desired(512));
    expect(change.actions.map((a) => a.kind)).toEqual(['update', 'update']);
    f.cloud.resetCounters();
    await f.engine.apply(change);
    expect(f.cloud.callsByOperation).toEqual({ patch: 2 });
    const task = f.cloud.get('memory.task', 'test-task')!;
    expect(f.cloud.get('memory.service', 'test-svc')?.attributes.task).toBe(`${task.physicalId}:2`);
    expect((await f.engine.plan(desired(512))).empty).toBe(true);
  });

  it('resolves output refs nested inside attribute values', async () => {
    const f = engineFixture();
    const desired = (storage: number): ResourceSpec[] => [
      { id: 'db', type: 'memory.database', name: 'db', attributes: { engine: 'pg', storage } },
      {
        id: 'svc',
        type: 'memory.service',
        name: 'svc',
        attributes: { env: { DB_ID: outputRef('db', 'id'), MODE: 'x' }, list: [outputRef('db', 'arn')] },
      },
    ];
    const plan = await f.engine.plan(desired(20));
    expect(plan.actions[1]?.dependsOn).toEqual(['db']);
    await f.engine.apply(plan);
    const db = f.cloud.get('memory.database', 'db')!;
    expect(f.cloud.get('memory.service', 'svc')?.attributes).toEqual({
      env: { DB_ID: db.physicalId, MODE: 'x' },
      list: [db.physicalId],
    });
    expect((await f.engine.plan(desired(20))).empty).toBe(true);
    // The database changes, its id does not: the service's value resolves to the same thing, no write.
    const next = await f.engine.plan(desired(30));
    expect(next.actions[1]?.attributes[0]).toMatchObject({
      attribute: 'env',
      case: 'known-after-apply',
      knownAfterApply: 'db.id',
    });
    f.cloud.resetCounters();
    await f.engine.apply(next);
    expect(f.cloud.callsByOperation.patch).toBe(1);
    expect((await f.engine.plan(desired(30))).empty).toBe(true);
  });

  it('plans a replace for an immutable change, blocked for stateful resources unless allowed', async () => {
    const f = engineFixture();
    await f.converge([db()]);
    const blocked = await f.engine.plan([db({ engine: 'postgres-17' })]);
    expect(blocked.actions[0]).toMatchObject({
      kind: 'blocked',
      attributes: [{ attribute: 'engine', case: 'immutable' }],
    });
    expect(blocked.actions[0]?.reason).toContain("allowReplace: ['db/main']");
    const allowed = await f.engine.plan([db({ engine: 'postgres-17' })], { allowReplace: ['db/main'] });
    expect(allowed.actions[0]?.kind).toBe('replace');
    const before = f.cloud.get('memory.database', 'test-main')!.physicalId;
    expect((await f.engine.apply(allowed)).ok).toBe(true);
    const after = f.cloud.get('memory.database', 'test-main')!;
    expect(after.physicalId).not.toBe(before);
    expect(after.attributes.engine).toBe('postgres-17');
  });

  it('retains stateful resources by default and needs confirmation to delete them', async () => {
    const f = engineFixture();
    await f.converge([db(), service(1)]);
    const forget = await f.engine.plan([service(1)]);
    expect(forget.actions.find((a) => a.id === 'db/main')).toMatchObject({ kind: 'forget' });
    expect(forget.reads).toBe(0);

    const g = engineFixture();
    await g.converge([db({}, { deletion: 'delete' })]);
    const blocked = await g.engine.plan([]);
    expect(blocked.actions[0]).toMatchObject({ kind: 'blocked' });
    expect(blocked.actions[0]?.reason).toContain("confirmDelete: ['db/main']");
    const confirmed = await g.engine.plan([], { confirmDelete: ['db/main'] });
    expect(confirmed.actions[0]?.kind).toBe('delete');
    await g.engine.apply(confirmed);
    expect(g.cloud.get('memory.database', 'test-main')).toBeUndefined();
    expect((await g.store.read('test')).resources).toEqual({});
  });

  it('treats a pending value equal to D as requested, not drift', async () => {
    const f = engineFixture();
    await f.converge([db()]);
    await f.converge([db({ instanceClass: 'large' })]);
    expect(f.cloud.get('memory.database', 'test-main')?.pending).toEqual({ instanceClass: 'large' });
    // L is large now; force a re-read with another change: instanceClass must not be patched again.
    const plan = await f.engine.plan([db({ instanceClass: 'large', storage: 30 })]);
    expect(plan.actions[0]?.attributes.map((a) => [a.attribute, a.case])).toEqual([['storage', 'patch']]);
  });

  it('records a pending value as requested when D changes to it', async () => {
    const f = engineFixture();
    await f.converge([db()]);
    f.cloud.edit('memory.database', 'test-main', {});
    const r = f.cloud.get('memory.database', 'test-main')!;
    expect(r.pending).toEqual({});
    // A person requested the same change in the console: the plan records it, no write.
    const planWith = async () => f.engine.plan([db({ instanceClass: 'large' })]);
    const memoryDb = f.memory.types['memory.database']!;
    await memoryDb.patch(
      {
        id: 'db/main',
        type: 'memory.database',
        name: 'test-main',
        environment: 'test',
        physicalId: r.physicalId,
      },
      [{ attribute: 'instanceClass', from: 'small', to: 'large' }],
      { kind: 'version', version: String(r.version) },
      { signal: new AbortController().signal, progress: () => {} },
    );
    const plan = await planWith();
    expect(plan.actions[0]).toMatchObject({
      kind: 'record',
      attributes: [{ attribute: 'instanceClass', case: 'pending' }],
    });
  });

  it('reports externally managed resources and never writes them', async () => {
    const f = engineFixture();
    f.cloud.put('memory.service', 'test-svc', { replicas: 1 }, 'cloudformation:legacy');
    const plan = await f.engine.plan([service(2)]);
    expect(plan.actions[0]).toMatchObject({ kind: 'external' });
    expect(plan.actions[0]?.reason).toContain('cloudformation:legacy');
    f.cloud.resetCounters();
    await f.engine.apply(plan);
    expect(f.cloud.calls).toBe(0);
  });

  it('blocks a create whose name is taken by a resource Patchbay did not make, and adopts on request', async () => {
    const f = engineFixture();
    f.cloud.put('memory.service', 'test-svc', {
      replicas: 1,
      image: 'api:1',
      tags: { team: 'core', owner: 'bob' },
    });
    const plan = await f.engine.plan([service(2)]);
    expect(plan.actions[0]).toMatchObject({ kind: 'blocked' });
    expect(plan.actions[0]?.reason).toContain("'adopt'");
    const adopt = await f.engine.plan([{ ...service(2), policy: { mode: 'adopt' } }]);
    expect(adopt.actions[0]).toMatchObject({
      kind: 'update',
      attributes: [{ attribute: 'replicas', case: 'patch' }],
    });
    await f.engine.apply(adopt);
    expect(f.cloud.list()).toHaveLength(1);
    expect(f.cloud.get('memory.service', 'test-svc')?.attributes).toMatchObject({
      replicas: 2,
      tags: { team: 'core', owner: 'bob' },
    });
    expect((await f.engine.plan([{ ...service(2), policy: { mode: 'adopt' } }])).empty).toBe(true);
  });

  it('observe-only resources are read, reported and never written', async () => {
    const f = engineFixture();
    f.cloud.put('memory.service', 'test-svc', { replicas: 1, image: 'api:1', tags: { team: 'core' } });
    const spec = { ...service(2), policy: { mode: 'observe-only' as const } };
    const plan = await f.engine.plan([spec]);
    expect(plan.actions[0]).toMatchObject({
      kind: 'record',
      attributes: [{ attribute: 'replicas', case: 'drift-kept' }],
    });
    f.cloud.resetCounters();
    await f.engine.apply(plan);
    expect(f.cloud.callsByOperation.patch).toBeUndefined();
    const removed = await f.engine.plan([]);
    expect(removed.actions[0]?.kind).toBe('forget');
  });

  it('rejects bad input with a ValidationError naming the path, before any call', async () => {
    const f = engineFixture();
    const bad: ResourceSpec[] = [
      { id: 'a', type: 'nope.thing', name: 'a', attributes: {} },
      { id: 'b', type: 'memory.service', name: 'b', attributes: { x: outputRef('missing', 'arn') } },
      { id: 'b', type: 'memory.service', name: 'b2', attributes: {}, dependsOn: ['ghost'] },
    ];
    const error = await f.engine.plan(bad).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['0.type', '1.attributes.x', '2.id', '2.dependsOn']));
    expect(f.cloud.calls).toBe(0);
    const cycle = await f.engine
      .plan([
        { id: 'x', type: 'memory.service', name: 'x', attributes: {}, dependsOn: ['y'] },
        { id: 'y', type: 'memory.service', name: 'y', attributes: {}, dependsOn: ['x'] },
      ])
      .catch((e) => e);
    expect(cycle).toBeInstanceOf(ValidationError);
    expect(String(cycle.message)).toContain('cycle');
    await expect(f.engine.plan([service(1)], { force: ['nodot'] })).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a stale plan', async () => {
    const f = engineFixture();
    await f.converge([service(1)]);
    const a = await f.engine.plan([service(2)]);
    const b = await f.engine.plan([service(3)]);
    await f.engine.apply(a);
    const error = await f.engine.apply(b).catch((e) => e);
    expect(error).toBeInstanceOf(StateError);
    expect(error.reason).toBe('stale-plan');
  });

  it('renders human text and a stable JSON form', async () => {
    const f = engineFixture();
    await f.converge([service(2), { ...service(1), id: 'other', name: 'other' }]);
    f.cloud.edit('memory.service', 'test-svc', { image: 'hotfix' });
    const plan = await f.engine.plan([
      service(3),
      { id: 'new', type: 'memory.service', name: 'new', attributes: { replicas: 1 } },
    ]);
    const text = renderPlan(plan);
    expect(text).toContain('+ new  memory.service  create');
    expect(text).toContain('~ svc  memory.service  update');
    expect(text).toContain('~ replicas: 2 → 3');
    expect(text).toContain('= image kept at "hotfix" (changed outside Patchbay; "api:1" was last applied)');
    expect(text).toContain('- other  memory.service  delete');
    expect(text).toContain(
      'Plan: 1 to create, 1 to update, 0 to replace, 1 to delete, 1 drift kept, 0 conflicts.',
    );
    // Objects compared whole name their changed keys; long values are cut in the text.
    await f.engine.apply(plan);
    const envPlan = await f.engine.plan([
      service(3, { env: { A: '1', B: 'x'.repeat(300) } }),
      { id: 'new', type: 'memory.service', name: 'new', attributes: { replicas: 1 } },
    ]);
    await f.engine.apply(envPlan);
    const envText = renderPlan(
      await f.engine.plan([
        service(3, { env: { A: '2', C: 'y', B: 'x'.repeat(300) } }),
        { id: 'new', type: 'memory.service', name: 'new', attributes: { replicas: 1 } },
      ]),
    );
    expect(envText).toContain('~ env: ~A, +C (3 keys)');
    expect(renderPlan(envPlan)).toContain('chars)');
    const json = planToJSON(plan);
    expect(json.schemaVersion).toBe(1);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(Object.keys(json)).toEqual([
      'schemaVersion',
      'environment',
      'baseRevision',
      'createdAt',
      'empty',
      'reads',
      'summary',
      'actions',
    ]);
  });
});
