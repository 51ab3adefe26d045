import { expect, it } from 'vitest';
import { withinAttribute } from '../attribute-path.js';
import type { SuiteHarness } from '../suite-harness.js';
import type { ResolvedFixture } from '../validate-options.js';
import { expectEmptyPlan, expectObservedMatches } from './expect-observed.js';

/**
 * Changing one attribute costs one read and one write, and only that attribute travels: checked in the
 * plan, in the changes the provider receives, and on the wire (sandbox counters).
 */
export function patchCheck(h: SuiteHarness, f: ResolvedFixture): void {
  const { attribute, value } = f.fixture.patch;
  const isMap = () => (h.typeOf(f.type)?.maps ?? []).includes(attribute);

  it(`patching ${attribute} sends only ${attribute}`, async () => {
    const s = h.session(f);
    await s.converge(s.desired());
    const patched = s.desired({ attributes: { [attribute]: value } });

    const plan = await s.plan(patched);
    expect(plan.reads, 'one read: only the changed resource is observed').toBe(1);
    const action = s.action(plan);
    expect(action.kind).toBe('update');
    expect(plan.actions.filter((a) => a.kind !== 'noop').map((a) => a.id)).toEqual([s.spec.id]);
    const diffs = action.attributes.filter((a) => a.case !== 'drift-kept');
    expect(diffs.length).toBeGreaterThan(0);
    for (const diff of diffs) {
      expect(withinAttribute(diff.attribute, attribute), `plan touches ${diff.attribute}`).toBe(true);
      expect(diff.case).toBe('patch');
    }
    if (!isMap()) expect(diffs).toHaveLength(1);

    const mark = h.recorder.calls.length;
    const writesBefore = s.answeredWrites();
    const result = await s.apply(plan);
    expect(result.ok, JSON.stringify(result.outcomes)).toBe(true);
    expect(s.outcome(result).outcome).toBe('updated');

    const calls = h.recorder.since(mark);
    expect(calls.filter((c) => c.operation === 'create' || c.operation === 'delete')).toEqual([]);
    const patches = calls.filter((c) => c.operation === 'patch' && !c.error);
    expect(patches, 'one successful patch call').toHaveLength(1);
    const changes = patches[0]!.changes ?? [];
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) {
      expect(
        withinAttribute(change.attribute, attribute),
        `provider was asked to change ${change.attribute}`,
      ).toBe(true);
    }
    expect(
      s.answeredWrites() - writesBefore,
      `answered calls to ${f.fixture.counters.writeOperations.join('/')}`,
    ).toBe(1);

    const observed = await s.observeExisting();
    expectObservedMatches(s, observed, await s.expectedAttributes({ attributes: { [attribute]: value } }));
    await expectEmptyPlan(s, patched);
  });
}
