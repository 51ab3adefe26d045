import { expect, it } from 'vitest';
import type { SuiteHarness } from '../suite-harness.js';
import type { ResolvedFixture } from '../validate-options.js';

/**
 * Capabilities must match what the type implements, so no check is skipped by leaving a capability out:
 * a type with `delete` must declare `delete`, a type with immutable attributes must declare `immutable`.
 */
export function capabilitiesCheck(h: SuiteHarness, f: ResolvedFixture): void {
  it('declares its type and capabilities as implemented', () => {
    const type = h.typeOf(f.type);
    expect(
      type,
      `provider ${h.provider.name} has no type ${f.type}; types: ${Object.keys(h.provider.types).join(', ')}`,
    ).toBeDefined();
    expect(h.sandbox.apis, `sandbox serves no API ${f.fixture.counters.api}`).toContain(
      f.fixture.counters.api,
    );
    expect(['version', 'read-before-write']).toContain(type!.precondition);
    expect(
      typeof type!.delete === 'function',
      `${f.type}: capabilities.delete is ${f.capabilities.delete} but the type ${type!.delete ? 'implements' : 'lacks'} delete`,
    ).toBe(f.capabilities.delete);
    const immutable = type!.immutable ?? [];
    expect(
      immutable.length > 0,
      `${f.type}: capabilities.immutable is ${f.capabilities.immutable} but the type declares immutable [${immutable.join(', ')}]`,
    ).toBe(f.capabilities.immutable);
    if (f.fixture.immutable) expect(immutable).toContain(f.fixture.immutable.attribute);
    if (f.capabilities.throttling) expect(h.sandbox.apis).toContain(f.capabilities.throttling.api);
  });
}
