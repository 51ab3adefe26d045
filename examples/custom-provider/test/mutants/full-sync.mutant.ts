import { testProvider } from '@patchbay/testkit';
import { brokenFlags } from './broken-flags.js';
import { capabilities, flagFixture, sandbox } from './mutant-fixture.js';

// Broken: every patch re-sends every attribute the spec sets (a full sync), overwriting console edits.
testProvider({
  name: 'mutant full-sync',
  sandbox,
  provider: (s) =>
    brokenFlags(s, (type) => ({
      async patch(ref, changes, precondition, ctx) {
        const live = await type.observe(ref, ctx);
        const all = Object.entries(live?.attributes ?? {})
          .filter(([attribute]) => attribute !== 'tags' && attribute !== 'valueType')
          .filter(([attribute]) => !changes.some((c) => c.attribute === attribute))
          .map(([attribute, to]) => ({
            attribute,
            from: to,
            to: attribute === 'description' ? 'New checkout flow' : to,
          }));
        return type.patch(ref, [...changes, ...all], precondition, ctx);
      },
    })),
  capabilities,
  fixtures: [flagFixture],
});
