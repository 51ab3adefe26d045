import { describe, expect, it } from 'vitest';

// Imports the built package as a user would; `.ci/run` builds before testing. Only the ESM build is loaded
// here: under vitest, a native `require` of the CJS build resolves @patchbay/core through the
// `patchbay-source` condition to TypeScript sources, which Node cannot load.
describe('@patchbay/provider-gcp built output', () => {
  it('loads, validates options and builds a provider with its types', async () => {
    const mod = await import('../dist/index.js');
    expect(() => mod.gcp({ project: 'X', region: 'nowhere' })).toThrow(/project.*\n.*region/s);
    const provider = mod.gcp({ project: 'demo-project', region: 'europe-west1', authClient: {} });
    expect(provider.name).toBe('gcp');
    expect(Object.keys(provider.types).sort()).toEqual([
      'gcp.gke.cluster',
      'gcp.gke.nodepool',
      'gcp.run.service',
      'gcp.sql.instance',
    ]);
    expect(mod.classifyGcpError(Object.assign(new Error('quota'), { code: 8 }))).toBe('throttled');
  });
});
