import { defineConfig } from 'vitest/config';

// Tests run against the packages' TypeScript sources through the `patchbay-source` export condition;
// `packages/*/test/dist.test.ts` files import the built output instead, as a user would.
export default defineConfig({
  resolve: { conditions: ['patchbay-source'] },
  ssr: { resolve: { conditions: ['patchbay-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
