import { afterAll, beforeAll, describe } from 'vitest';
import { adoptCheck } from './checks/adopt-check.js';
import { capabilitiesCheck } from './checks/capabilities-check.js';
import { createCheck } from './checks/create-check.js';
import { deletionChecks } from './checks/deletion-checks.js';
import { immutableCheck } from './checks/immutable-check.js';
import { observeOnlyCheck } from './checks/observe-only-check.js';
import { outOfBandCheck } from './checks/out-of-band-check.js';
import { patchCheck } from './checks/patch-check.js';
import { stalePreconditionCheck } from './checks/stale-precondition-check.js';
import { throttlingCheck } from './checks/throttling-check.js';
import { SuiteHarness } from './suite-harness.js';
import type { TestProviderOptions } from './test-provider-options.js';
import { validateOptions } from './validate-options.js';

/**
 * Registers the Patchbay provider conformance suite: call it at the top level of a vitest file. One sandbox
 * is started for the suite; each check runs in its own environment (MemoryStore) with unique resource names.
 * Optional checks are skipped only when their capability is not declared, and declared capabilities are
 * checked against what the types implement.
 *
 * @example
 * testProvider({
 *   sandbox: () => startSandbox({ apis: [flagsApi] }),
 *   provider: (sandbox) => flags({ endpoint: sandbox.url, project: 'demo' }),
 *   capabilities: { delete: true, immutable: true, adopt: true, throttling: true },
 *   fixtures: [flagFixture],
 * });
 */
export function testProvider(options: TestProviderOptions): void {
  const fixtures = validateOptions(options);
  const harness = new SuiteHarness(options);

  describe(options.name ?? 'provider conformance', () => {
    beforeAll(() => harness.start());
    afterAll(() => harness.stop());

    for (const fixture of fixtures) {
      describe(fixture.label, () => {
        capabilitiesCheck(harness, fixture);
        createCheck(harness, fixture);
        patchCheck(harness, fixture);
        outOfBandCheck(harness, fixture);
        stalePreconditionCheck(harness, fixture);
        immutableCheck(harness, fixture);
        deletionChecks(harness, fixture);
        adoptCheck(harness, fixture);
        observeOnlyCheck(harness, fixture);
        throttlingCheck(harness, fixture);
      });
    }
  });
}
