import { isDeepStrictEqual } from 'node:util';
import { expect, it } from 'vitest';
import { readPath, withinAttribute } from '../attribute-path.js';
import type { SuiteHarness } from '../suite-harness.js';
import type { ResolvedFixture } from '../validate-options.js';

/**
 * Observe, a person changes the same attribute in the console, then the earlier plan is applied: the
 * write is refused (compare-and-set) as a conflict, not retried, and the console's value stays.
 */
export function stalePreconditionCheck(h: SuiteHarness, f: ResolvedFixture): void {
  const { patch, conflict } = f.fixture;

  it(`a stale precondition on ${patch.attribute} gives a conflict and nothing is overwritten`, async () => {
    const s = h.session(f);
    await s.converge(s.desired());
    const patched = s.desired({ attributes: { [patch.attribute]: patch.value } });
    const plan = await s.plan(patched);
    expect(s.action(plan).kind).toBe('update');

    const observed = await s.observeExisting();
    await conflict.edit(h.sandbox, observed);
    const edited = await s.observeExisting();
    const consoleValue = readPath(edited.attributes, patch.attribute, s.type.maps);
    const desired = (await s.expectedAttributes({ attributes: { [patch.attribute]: patch.value } }))[
      patch.attribute
    ];
    expect(
      isDeepStrictEqual(consoleValue, readPath(observed.attributes, patch.attribute, s.type.maps)),
      `conflict.edit did not change ${patch.attribute}`,
    ).toBe(false);
    expect(
      isDeepStrictEqual(consoleValue, desired),
      'conflict.edit must set a third value, not patch.value',
    ).toBe(false);

    const mark = h.recorder.calls.length;
    const result = await s.apply(plan);
    expect(result.ok).toBe(false);
    const outcome = s.outcome(result);
    expect(outcome.outcome, `expected a conflict, got ${outcome.outcome}: ${outcome.message}`).toBe(
      'conflict',
    );
    const patches = h.recorder.since(mark, 'patch');
    expect(patches, 'the provider is asked once and a conflict is never retried').toHaveLength(1);
    expect(patches[0]!.error, 'patch must throw when its precondition is stale').toBeDefined();

    const after = await s.observeExisting();
    expect(
      readPath(after.attributes, patch.attribute, s.type.maps),
      'the console value was overwritten',
    ).toEqual(consoleValue);
    const replan = await s.plan(patched);
    const action = s.action(replan);
    expect(action.kind).toBe('conflict');
    const conflicted = action.attributes.filter((a) => a.case === 'conflict').map((a) => a.attribute);
    expect(
      conflicted.some((a) => withinAttribute(a, patch.attribute)),
      `conflicts: ${conflicted.join(', ')}`,
    ).toBe(true);
  });
}
