import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The bundles that tests run (CLI, Action, embedded hosts) are built once, into build/, before any test.
    globalSetup: ['test/build-once.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
