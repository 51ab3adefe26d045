import { testProvider } from '@patchbay/testkit';
import { brokenFlags } from './broken-flags.js';
import { capabilities, flagFixture, sandbox } from './mutant-fixture.js';

// Broken: classifies the API's 429 as fatal, so the engine never retries a throttled call.
testProvider({
  name: 'mutant throttle-fatal',
  sandbox,
  provider: (s) => {
    const provider = brokenFlags(s, () => ({ classifyError: () => 'fatal' }));
    return { ...provider, classifyError: () => 'fatal' };
  },
  capabilities,
  fixtures: [flagFixture],
});
