import { testProvider } from '@patchbay/testkit';
import { brokenFlags } from './broken-flags.js';
import { flagFixture, sandbox } from './mutant-fixture.js';

// Broken: declares no capabilities although the type deletes and has an immutable attribute.
testProvider({
  name: 'mutant hidden-capabilities',
  sandbox,
  provider: (s) => brokenFlags(s, () => ({})),
  capabilities: { adopt: true },
  fixtures: [{ ...flagFixture, immutable: undefined }],
});
