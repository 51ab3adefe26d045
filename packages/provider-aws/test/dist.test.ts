import { describe, expect, it } from 'vitest';

// Imports the built package as a user would; `.ci/run` builds before testing. Only the ESM build is
// loaded here: under vitest, a native `require` of the CJS build resolves @patchbay/core through the
// `patchbay-source` condition to TypeScript sources, which Node cannot load.
describe('@patchbay/provider-aws built output', () => {
  it('loads and builds a provider with all six types', async () => {
    const mod = await import('../dist/index.js');
    const provider = mod.aws({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    expect(provider.name).toBe('aws');
    expect(Object.keys(provider.types)).toHaveLength(6);
    expect(mod.classifyAwsError(Object.assign(new Error('x'), { name: 'ThrottlingException' }))).toBe(
      'throttled',
    );
  });
});
