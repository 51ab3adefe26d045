import type { FaultRule } from '@patchbay/sandbox';
import { expect, it } from 'vitest';
import type { SuiteHarness } from '../suite-harness.js';
import type { ResolvedFixture } from '../validate-options.js';
import { expectEmptyPlan, expectObservedMatches } from './expect-observed.js';

/**
 * With a share of the API's calls answered by its own throttling error, create and patch still converge
 * (the provider classifies the error as `throttled`, the engine retries), and the next plan is empty.
 */
export function throttlingCheck(h: SuiteHarness, f: ResolvedFixture): void {
  const t = f.capabilities.throttling;
  const { patch } = f.fixture;
  it.skipIf(!t)(
    t
      ? `converges in a throttling storm (${Math.round(t.rate * 100)}% of ${t.api} calls throttled)`
      : 'throttling storm (capability throttling not declared)',
    async () => {
      const storm = t!;
      const previous = h.sandbox.faults.rules();
      const rules: FaultRule[] = storm.operations
        ? storm.operations.map((operation) => ({ api: storm.api, operation, throttleRate: storm.rate }))
        : [{ api: storm.api, throttleRate: storm.rate }];
      const throttledBefore = h.sandbox.counters.throttled(storm.api);
      const s = h.session(f);
      const patched = s.desired({ attributes: { [patch.attribute]: patch.value } });
      try {
        for (const rule of rules) h.sandbox.faults.add(rule);
        await s.converge(s.desired());
        await s.converge(patched);
        await expectEmptyPlan(s, patched);
        const drift = await s.engine.refresh();
        expect(drift.drifted + drift.missing).toBe(0);
      } finally {
        h.sandbox.faults.set(previous);
      }
      expect(
        h.sandbox.counters.throttled(storm.api) - throttledBefore,
        'the storm throttled no call',
      ).toBeGreaterThan(0);
      const observed = await s.observeExisting();
      expectObservedMatches(
        s,
        observed,
        await s.expectedAttributes({ attributes: { [patch.attribute]: patch.value } }),
      );
    },
  );
}
