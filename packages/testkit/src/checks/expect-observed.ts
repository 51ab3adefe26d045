import type { Attributes, Observed } from '@patchbay/core';
import { expect } from 'vitest';
import { matchesDesired } from '../attribute-path.js';
import type { Session } from '../suite-harness.js';

/**
 * Every expected attribute equals the observed one (map attributes: every desired key), with a message
 * naming the attribute so a provider author sees which normalization is missing.
 */
export function expectObservedMatches(session: Session, observed: Observed, expected: Attributes): void {
  const maps = session.type.maps ?? [];
  for (const [attribute, value] of Object.entries(expected)) {
    const actual = observed.attributes[attribute];
    expect(
      matchesDesired(value, actual, maps.includes(attribute)),
      `${session.spec.type} attribute ${attribute}: observed ${JSON.stringify(actual)} does not equal ` +
        `desired ${JSON.stringify(value)} after normalization (normalize it in observe or in normalize())`,
    ).toBe(true);
  }
}

/** A plan right after an apply writes nothing and reads nothing. */
export async function expectEmptyPlan(session: Session, desired = session.desired()): Promise<void> {
  const plan = await session.plan(desired);
  const writes = plan.actions.filter((a) => a.kind !== 'noop');
  expect(writes, 'a plan right after apply must be empty').toEqual([]);
  expect(plan.empty).toBe(true);
  expect(plan.reads, 'a plan with nothing changed must read nothing').toBe(0);
}
