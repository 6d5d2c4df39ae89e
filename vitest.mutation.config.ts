import { defineConfig } from 'vitest/config';

/**
 * `npm run test:mutation`: the unit tests of the pure core only (plan/ and the entry rules), the
 * suite Stryker runs against each mutant (stryker.config.json).
 */
export default defineConfig({
  test: {
    include: ['test/plan/**/*.test.ts', 'test/config/entry-rules.test.ts'],
    testTimeout: 60_000,
  },
});
