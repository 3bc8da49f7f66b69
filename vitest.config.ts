import { defineConfig } from 'vitest/config';
import { bundledTestFiles } from './test/projects.js';

// Two projects: `unit` runs from source with nothing built first; `bundled` holds the test files that run the built
// bundles (CLI, Action, embedded hosts, converter process; test/projects.ts finds them by their imports) and builds
// build/ first, only when stale (test/build-once.ts). `npx vitest run test/x.test.ts` picks the project by itself.
const bundled = bundledTestFiles();

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: bundled } },
      { extends: true, test: { name: 'bundled', include: bundled, globalSetup: ['test/build-once.ts'] } },
    ],
  },
});
