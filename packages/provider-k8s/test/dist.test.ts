import { describe, expect, it } from 'vitest';

// Imports the built package as a user would; `.ci/run` builds before testing. Only the ESM build is
// loaded here: under vitest, a native `require` of the CJS build resolves @patchbay/core through the
// `patchbay-source` condition to TypeScript sources, which Node cannot load.
describe('@patchbay/provider-k8s built output', () => {
  it('loads and builds a provider with all four types, validating options', async () => {
    const mod = await import('../dist/index.js');
    const options = {
      clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', skipTLSVerify: true }],
      users: [{ name: 'u', token: 'x' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    };
    const provider = mod.k8s({ kubeconfig: { options } });
    expect(provider.name).toBe('k8s');
    expect(Object.keys(provider.types).sort()).toEqual([
      'k8s.deployment',
      'k8s.hpa',
      'k8s.namespace',
      'k8s.service',
    ]);
    expect(() => mod.k8s({ kubeconfig: { options }, context: 'other' })).toThrow(/context/);
    expect(mod.classifyK8sError(Object.assign(new Error('x'), { code: 429 }))).toBe('throttled');
    expect(mod.memoryFromQuantity('0.5Gi')).toBe(512);
  });
});
