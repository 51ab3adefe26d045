import { isDeepStrictEqual } from 'node:util';
import { expect, it } from 'vitest';
import { readPath } from '../attribute-path.js';
import type { SuiteHarness } from '../suite-harness.js';
import type { ResolvedFixture } from '../validate-options.js';

/** `observe-only` reads a resource and reports how it differs, but nothing (provider call or wire write) writes. */
export function observeOnlyCheck(h: SuiteHarness, f: ResolvedFixture): void {
  const { patch } = f.fixture;
  it('observe-only makes no write', async () => {
    const owner = h.session(f);
    await owner.converge(owner.desired());
    const original = readPath((await owner.observeExisting()).attributes, patch.attribute, owner.type.maps);

    const s = h.session(f, owner.name);
    const observeOnly = s.desired({
      attributes: { [patch.attribute]: patch.value },
      policy: { mode: 'observe-only' },
      dependencyPolicy: { mode: 'observe-only' },
    });
    const mark = h.recorder.calls.length;
    const writesBefore = s.answeredWrites();
    for (let round = 0; round < 2; round++) {
      const plan = await s.plan(observeOnly);
      const action = s.action(plan);
      expect(['record', 'drift', 'noop']).toContain(action.kind);
      expect(action.attributes.filter((a) => a.case !== 'drift-kept' && a.case !== 'unchanged')).toEqual([]);
      const result = await s.apply(plan);
      expect(result.ok, JSON.stringify(result.outcomes)).toBe(true);
    }
    const drift = await s.engine.refresh();
    expect(drift.missing).toBe(0);

    expect(
      h.recorder.since(mark).filter((c) => c.operation !== 'observe'),
      'observe-only called a write',
    ).toEqual([]);
    expect(s.answeredWrites(), 'observe-only wrote on the wire').toBe(writesBefore);
    const now = readPath((await s.observeExisting()).attributes, patch.attribute, s.type.maps);
    expect(isDeepStrictEqual(now, original), `${patch.attribute} changed under observe-only`).toBe(true);

    const missing = h.session(f);
    const blocked = await missing.plan(missing.desired({ policy: { mode: 'observe-only' } }));
    expect(missing.action(blocked).kind, 'observing a resource that does not exist').toBe('blocked');
  });
}
