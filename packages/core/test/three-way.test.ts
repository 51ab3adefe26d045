import { describe, expect, it } from 'vitest';
import { engineFixture, service } from './support/engine-fixture.js';

// One test per row of the DESIGN.md 3-way table (D desired, L last applied, O observed), end to end.
describe('3-way diff table', () => {
  it('D = L, O = L: nothing to do and nothing read', async () => {
    const f = engineFixture();
    await f.converge([service(2)]);
    f.cloud.resetCounters();
    const plan = await f.engine.plan([service(2)]);
    expect(plan.actions[0]?.kind).toBe('noop');
    expect(plan.empty).toBe(true);
    expect(plan.reads).toBe(0);
    expect(f.cloud.calls).toBe(0);
  });

  it('D = L, O ≠ L: the outside change is kept and reported as drift', async () => {
    const f = engineFixture();
    await f.converge([service(2)]);
    f.cloud.edit('memory.service', 'test-svc', { replicas: 5 });
    // Another attribute's change makes the plan read the resource and see the drift.
    const plan = await f.engine.plan([service(2, { image: 'api:2' })]);
    const attrs = plan.actions[0]?.attributes ?? [];
    expect(attrs.find((a) => a.attribute === 'replicas')).toMatchObject({
      case: 'drift-kept',
      lastApplied: 2,
      observed: 5,
      desired: 2,
    });
    expect(attrs.find((a) => a.attribute === 'image')).toMatchObject({
      case: 'patch',
      observed: 'api:1',
      desired: 'api:2',
    });
    expect(plan.summary.driftKept).toBe(1);
    expect(f.log.some((e) => e.name === 'drift:kept')).toBe(true);
    await f.engine.apply(plan);
    expect(f.cloud.get('memory.service', 'test-svc')?.attributes).toMatchObject({
      replicas: 5,
      image: 'api:2',
    });
    const report = await f.engine.refresh();
    expect(report.resources[0]).toMatchObject({
      status: 'drifted',
      attributes: [{ attribute: 'replicas', lastApplied: 2, observed: 5 }],
    });
  });

  it('D ≠ L, O = L: patches that attribute only, with compare-and-set', async () => {
    const f = engineFixture();
    await f.converge([service(2)]);
    const plan = await f.engine.plan([service(3)]);
    expect(plan.actions[0]).toMatchObject({
      kind: 'update',
      attributes: [{ attribute: 'replicas', case: 'patch', lastApplied: 2, observed: 2, desired: 3 }],
    });
    f.cloud.resetCounters();
    const result = await f.engine.apply(plan);
    expect(result.ok).toBe(true);
    expect(f.cloud.callsByOperation).toEqual({ patch: 1 });
    expect(f.cloud.get('memory.service', 'test-svc')?.attributes.replicas).toBe(3);
    expect((await f.engine.plan([service(3)])).empty).toBe(true);
  });

  it('D ≠ L, O = D: no write, L is recorded as D', async () => {
    const f = engineFixture();
    await f.converge([service(2)]);
    f.cloud.edit('memory.service', 'test-svc', { replicas: 3 });
    const plan = await f.engine.plan([service(3)]);
    expect(plan.actions[0]).toMatchObject({
      kind: 'record',
      attributes: [{ attribute: 'replicas', case: 'already' }],
    });
    f.cloud.resetCounters();
    await f.engine.apply(plan);
    expect(f.cloud.calls).toBe(0);
    expect((await f.store.read('test')).resources.svc?.attributes.replicas).toBe(3);
    const next = await f.engine.plan([service(3)]);
    expect(next.empty).toBe(true);
    expect(next.reads).toBe(0);
  });

  it('D ≠ L, O ∉ {L, D}: conflict, no write unless the attribute is forced', async () => {
    const f = engineFixture();
    await f.converge([service(2)]);
    f.cloud.edit('memory.service', 'test-svc', { replicas: 7 });
    const plan = await f.engine.plan([service(3)]);
    expect(plan.actions[0]).toMatchObject({
      kind: 'conflict',
      attributes: [{ attribute: 'replicas', case: 'conflict', lastApplied: 2, observed: 7, desired: 3 }],
    });
    expect(plan.summary.conflicts).toBe(1);
    const result = await f.engine.apply(plan);
    expect(result.ok).toBe(false);
    expect(result.outcomes[0]?.outcome).toBe('conflict');
    expect(f.cloud.get('memory.service', 'test-svc')?.attributes.replicas).toBe(7);
    // Still a conflict on the next plan: L was not moved.
    expect((await f.engine.plan([service(3)])).summary.conflicts).toBe(1);

    const forced = await f.engine.plan([service(3)], { force: ['svc.replicas'] });
    expect(forced.actions[0]).toMatchObject({ kind: 'update', attributes: [{ case: 'forced' }] });
    await f.engine.apply(forced);
    expect(f.cloud.get('memory.service', 'test-svc')?.attributes.replicas).toBe(3);
    expect((await f.engine.plan([service(3)])).empty).toBe(true);
  });
});
