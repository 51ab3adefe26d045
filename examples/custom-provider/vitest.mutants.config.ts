import { defineConfig } from 'vitest/config';

// Runs the deliberately broken providers in test/mutants (only conformance-catches-mutants.test.ts does).
export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: ['patchbay-source'] },
  ssr: { resolve: { conditions: ['patchbay-source'] } },
  test: { include: ['test/mutants/*.mutant.ts'], testTimeout: 20_000, hookTimeout: 30_000 },
});
