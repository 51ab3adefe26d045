import { describe, expect, it } from 'vitest';

// Imports the built package as a user would; `.ci/run` builds before testing (ESM build only, as in provider-aws).
describe('@patchbay/provider-neon built output', () => {
  it('loads and builds a provider with all five types', async () => {
    const mod = await import('../dist/index.js');
    const provider = mod.neon({ apiKey: 'test', baseURL: 'http://127.0.0.1:9/api/v2' });
    expect(provider.name).toBe('neon');
    expect(Object.keys(provider.types).sort()).toEqual([
      'neon.branch',
      'neon.database',
      'neon.endpoint',
      'neon.project',
      'neon.role',
    ]);
    expect(mod.classifyNeonError({ response: { status: 423, data: { code: 'LOCKED', message: 'x' } } })).toBe(
      'transient',
    );
    expect(() => mod.neon({ apiKey: '' })).toThrow(/apiKey/);
  });
});
