import { isDeepStrictEqual } from 'node:util';
import { expect, it } from 'vitest';
import { readPath, withinAttribute } from '../attribute-path.js';
import type { SuiteHarness } from '../suite-harness.js';
import type { ResolvedFixture } from '../validate-options.js';
import { expectEmptyPlan, expectObservedMatches } from './expect-observed.js';

/** A console edit of another attribute is neither written back nor lost when the patch attribute changes. */
export function outOfBandCheck(h: SuiteHarness, f: ResolvedFixture): void {
  const { patch, outOfBand } = f.fixture;

  it(`keeps a console edit of ${outOfBand.attribute} through a patch of ${patch.attribute}`, async () => {
    const s = h.session(f);
    const maps = s.type.maps;
    if (withinAttribute(outOfBand.attribute, patch.attribute)) {
      // Another key of the patched attribute is another attribute only if the type owns its keys one by one.
      expect(
        maps ?? [],
        `${outOfBand.attribute} is a key of ${patch.attribute}, which ${f.type} does not declare in maps: ` +
          'a non-map attribute is compared and written whole',
      ).toContain(patch.attribute);
    }
    await s.converge(s.desired());
    const before = await s.observeExisting();
    await outOfBand.edit(h.sandbox, before);
    const edited = await s.observeExisting();
    const consoleValue = readPath(edited.attributes, outOfBand.attribute, maps);
    expect(
      isDeepStrictEqual(consoleValue, readPath(before.attributes, outOfBand.attribute, maps)),
      `outOfBand.edit did not change ${outOfBand.attribute} as observe reports it`,
    ).toBe(false);

    const patched = s.desired({ attributes: { [patch.attribute]: patch.value } });
    const plan = await s.plan(patched);
    const action = s.action(plan);
    expect(action.kind).toBe('update');
    for (const diff of action.attributes) {
      if (withinAttribute(diff.attribute, outOfBand.attribute)) expect(diff.case).toBe('drift-kept');
    }
    const mark = h.recorder.calls.length;
    const result = await s.apply(plan);
    expect(result.ok, JSON.stringify(result.outcomes)).toBe(true);
    for (const call of h.recorder.since(mark, 'patch')) {
      for (const change of call.changes ?? []) {
        expect(
          withinAttribute(change.attribute, outOfBand.attribute),
          `${outOfBand.attribute} was written`,
        ).toBe(false);
      }
    }

    const after = await s.observeExisting();
    expect(
      readPath(after.attributes, outOfBand.attribute, maps),
      `the console's ${outOfBand.attribute} was lost`,
    ).toEqual(consoleValue);
    expectObservedMatches(s, after, {
      [patch.attribute]: (await s.expectedAttributes({ attributes: { [patch.attribute]: patch.value } }))[
        patch.attribute
      ]!,
    });
    await expectEmptyPlan(s, patched);
  });
}
