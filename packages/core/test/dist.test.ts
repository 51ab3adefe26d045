import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Imports the built package as a user would (ESM and CJS); `.ci/run` builds before testing.
describe('@patchbay/core built output', () => {
  it('loads as ESM and CJS with the same exports, and both validate input', async () => {
    const esm = await import('../dist/index.js');
    const cjs = createRequire(import.meta.url)('../dist/index.cjs');
    expect(Object.keys(esm).sort()).toEqual(Object.keys(cjs).sort());
    for (const build of [esm, cjs]) {
      expect(() => build.parseEnvironment({ name: 'Bad Name' })).toThrow(build.ValidationError);
      expect(typeof build.createEngine).toBe('function');
    }
  });
});
