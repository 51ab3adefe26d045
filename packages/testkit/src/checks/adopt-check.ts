import { expect, it } from 'vitest';
import type { SuiteHarness } from '../suite-harness.js';
import type { ResolvedFixture } from '../validate-options.js';
import { expectEmptyPlan, expectObservedMatches } from './expect-observed.js';

/**
 * A resource Patchbay did not create is found by its deterministic name: `manage` refuses to take it over,
 * `adopt` takes it over without creating anything and then patches it like its own.
 */
export function adoptCheck(h: SuiteHarness, f: ResolvedFixture): void {
  const { patch } = f.fixture;
  it.skipIf(!f.capabilities.adopt)(
    f.capabilities.adopt ? 'adopts an existing resource by name' : 'adopt (capability adopt not declared)',
    async () => {
      // Another environment (another team, an earlier tool) made it.
      const owner = h.session(f);
      await owner.converge(owner.desired());
      const s = h.session(f, owner.name);

      const mark = h.recorder.calls.length;
      const refused = await s.plan(s.desired({ dependencyPolicy: { mode: 'adopt' } }));
      const blocked = s.action(refused);
      expect(blocked.kind, 'an existing resource is not taken over without adopt').toBe('blocked');
      expect(await s.apply(refused).then((r) => s.outcome(r).outcome)).toBe('blocked');

      const adopted = s.desired({
        attributes: { [patch.attribute]: patch.value },
        policy: { mode: 'adopt' },
        dependencyPolicy: { mode: 'adopt' },
      });
      const plan = await s.plan(adopted);
      const action = s.action(plan);
      expect(action.kind).toBe('update');
      expect(action.reason).toMatch(/adopt/);
      const result = await s.apply(plan);
      expect(result.ok, JSON.stringify(result.outcomes)).toBe(true);
      expect(h.recorder.since(mark, 'create'), 'adopting must not create').toEqual([]);

      const observed = await s.observeExisting();
      const ownerState = await owner.store.read(owner.environment);
      expect(observed.physicalId).toBe(ownerState.resources[owner.spec.id]?.physicalId);
      expectObservedMatches(
        s,
        observed,
        await s.expectedAttributes({ attributes: { [patch.attribute]: patch.value } }),
      );
      await expectEmptyPlan(s, adopted);
    },
  );
}
