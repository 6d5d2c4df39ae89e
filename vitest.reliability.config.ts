import { defineConfig } from 'vitest/config';

/**
 * `npm run test:reliability`: the reliability suites at full size (VOCAB_RELIABILITY=full),
 * their figures printed and written to bench/reliability.json. `npm test` runs the same files
 * at bounded size through vitest.config.ts.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    env: { VOCAB_RELIABILITY: 'full' },
    testTimeout: 900_000,
    hookTimeout: 60_000,
  },
});
