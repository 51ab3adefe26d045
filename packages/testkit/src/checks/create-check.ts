import { expect, it } from 'vitest';
import type { SuiteHarness } from '../suite-harness.js';
import type { ResolvedFixture } from '../validate-options.js';
import { expectEmptyPlan, expectObservedMatches } from './expect-observed.js';

/** Create, then observe equals desired after normalization; refresh finds no drift; the next plan is empty. */
export function createCheck(h: SuiteHarness, f: ResolvedFixture): void {
  it('creates it, and observe equals desired after normalization', async () => {
    const s = h.session(f);
    const plan = await s.plan(s.desired());
    expect(s.action(plan).kind).toBe('create');
    const mark = h.recorder.calls.length;
    const { result } = await s.converge(s.desired());
    expect(s.outcome(result).outcome).toBe('created');
    const creates = h.recorder.since(mark, 'create').filter((c) => c.ref.id === s.spec.id && !c.error);
    expect(creates, 'one successful create call').toHaveLength(1);

    const observed = await s.observeExisting();
    const state = await s.store.read(s.environment);
    expect(observed.physicalId).toBe(state.resources[s.spec.id]?.physicalId);
    expectObservedMatches(s, observed, await s.expectedAttributes());

    const drift = await s.engine.refresh();
    const mine = drift.resources.find((r) => r.id === s.spec.id);
    expect(mine?.status, `refresh right after create found drift: ${JSON.stringify(mine?.attributes)}`).toBe(
      'in-sync',
    );
  });

  it('plans nothing right after an apply', async () => {
    const s = h.session(f);
    await s.converge(s.desired());
    await expectEmptyPlan(s);
    const patched = s.desired({ attributes: { [f.fixture.patch.attribute]: f.fixture.patch.value } });
    await s.converge(patched);
    await expectEmptyPlan(s, patched);
    const drift = await s.engine.refresh();
    expect(drift.drifted, JSON.stringify(drift.resources)).toBe(0);
    expect(drift.missing).toBe(0);
  });
}
