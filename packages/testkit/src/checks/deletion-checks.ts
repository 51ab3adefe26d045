import { expect, it } from 'vitest';
import type { SuiteHarness } from '../suite-harness.js';
import type { ResolvedFixture } from '../validate-options.js';

/** Leaving the desired graph: `deletion: 'delete'` removes it from the cloud, `retain` only from the state. */
export function deletionChecks(h: SuiteHarness, f: ResolvedFixture): void {
  it.skipIf(!f.capabilities.delete)(
    f.capabilities.delete
      ? 'deletes it when it leaves the desired graph'
      : 'delete (capability delete not declared)',
    async () => {
      const s = h.session(f);
      await s.converge(s.desired({ policy: { deletion: 'delete' } }));
      const plan = await s.plan(s.dependencies(), { confirmDelete: [s.spec.id] });
      expect(s.action(plan).kind).toBe('delete');
      const result = await s.apply(plan);
      expect(result.ok, JSON.stringify(result.outcomes)).toBe(true);
      expect(s.outcome(result).outcome).toBe('deleted');
      expect(await s.observe(), 'still there after its delete').toBeUndefined();
      const state = await s.store.read(s.environment);
      expect(state.resources[s.spec.id]).toBeUndefined();
    },
  );

  it('retains it (deletion: retain) when it leaves the desired graph', async () => {
    const s = h.session(f);
    await s.converge(s.desired({ policy: { deletion: 'retain' } }));
    const plan = await s.plan(s.dependencies());
    expect(s.action(plan).kind).toBe('forget');
    const mark = h.recorder.calls.length;
    const writesBefore = s.answeredWrites();
    const result = await s.apply(plan);
    expect(result.ok, JSON.stringify(result.outcomes)).toBe(true);
    expect(s.outcome(result).outcome).toBe('forgotten');
    expect(h.recorder.since(mark).filter((c) => c.operation !== 'observe')).toEqual([]);
    expect(s.answeredWrites()).toBe(writesBefore);
    const observed = await s.observe();
    expect(observed, 'a retained resource must stay in the cloud').toBeDefined();
    expect((await s.store.read(s.environment)).resources[s.spec.id]).toBeUndefined();
  });
}
