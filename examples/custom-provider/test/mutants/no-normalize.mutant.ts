import { testProvider } from '@patchbay/testkit';
import { brokenFlags } from './broken-flags.js';
import { capabilities, flagFixture, sandbox } from './mutant-fixture.js';

// Broken: no normalize(), so desired 12.345 % never equals the 12.35 % the API keeps.
testProvider({
  name: 'mutant no-normalize',
  sandbox,
  provider: (s) => brokenFlags(s, () => ({ normalize: undefined })),
  capabilities,
  fixtures: [flagFixture],
});
