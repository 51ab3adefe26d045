import { expect, it } from 'vitest';
import type { SuiteHarness } from '../suite-harness.js';
import type { ResolvedFixture } from '../validate-options.js';
import { expectEmptyPlan, expectObservedMatches } from './expect-observed.js';

/** A change of an immutable attribute plans a `replace` (never an in-place patch), which then converges. */
export function immutableCheck(h: SuiteHarness, f: ResolvedFixture): void {
  const immutable = f.fixture.immutable;
  it.skipIf(!f.capabilities.immutable || !immutable)(
    f.capabilities.immutable && immutable
      ? `an immutable change (${immutable.attribute}) plans a replace`
      : 'immutable change plans a replace (capability immutable not declared)',
    async () => {
      const { attribute, value } = immutable!;
      const s = h.session(f);
      await s.converge(s.desired());
      const changed = s.desired({ attributes: { [attribute]: value } });
      // Stateful types need the replace allowed explicitly; that is the engine's rule, not the provider's.
      const plan = await s.plan(changed, { allowReplace: [s.spec.id] });
      const action = s.action(plan);
      expect(action.kind, action.reason).toBe('replace');
      expect(action.reason ?? '').toContain(attribute);

      if (!f.capabilities.delete) return; // A replace deletes first: without delete it cannot be applied.
      const mark = h.recorder.calls.length;
      const result = await s.apply(plan);
      expect(result.ok, JSON.stringify(result.outcomes)).toBe(true);
      expect(s.outcome(result).outcome).toBe('replaced');
      const mine = h.recorder.since(mark).filter((c) => c.ref.id === s.spec.id && !c.error);
      expect(
        mine.some((c) => c.operation === 'patch'),
        'an immutable attribute must not be patched',
      ).toBe(false);
      expect(mine.filter((c) => c.operation === 'delete')).toHaveLength(1);
      expect(mine.filter((c) => c.operation === 'create')).toHaveLength(1);
      const observed = await s.observeExisting();
      expectObservedMatches(s, observed, await s.expectedAttributes({ attributes: { [attribute]: value } }));
      await expectEmptyPlan(s, changed);
    },
  );
}
