import { testProvider } from '@patchbay/testkit';
import { brokenFlags } from './broken-flags.js';
import { capabilities, flagFixture, sandbox } from './mutant-fixture.js';

// Broken: reads the current version right before writing and sends that, so a stale plan overwrites the console.
testProvider({
  name: 'mutant ignores-precondition',
  sandbox,
  provider: (s) =>
    brokenFlags(s, (type) => ({
      async patch(ref, changes, _precondition, ctx) {
        const live = await type.observe(ref, ctx);
        return type.patch(ref, changes, { kind: 'version', version: live!.version! }, ctx);
      },
    })),
  capabilities,
  fixtures: [flagFixture],
});
