import { describe, expect, it } from 'vitest';
import { bundledTestFiles } from './projects.js';

// vitest.config.ts runs every other test file with nothing built: a test that needs build/ but lands in the unit
// project would run stale hosts, or fail for a missing one.
describe('the test projects', () => {
  const bundled = bundledTestFiles();

  it('put the tests that run the built bundles (directly or through what they import) in the bundled project', () => {
    expect(bundled).toContain('test/cli-e2e.test.ts'); // imports build-once
    expect(bundled).toContain('test/action/main.test.ts'); // check() → the embedded hosts and the converter process
    expect(bundled).toContain('test/runtime-embedded-shape.test.ts'); // the embedded runner
    expect(bundled).toContain('test/convert-jco-process.test.ts'); // the converter process
  });

  it('leave the unit tests to run from source', () => {
    for (const unit of ['test/fail-on.test.ts', 'test/report.test.ts', 'test/projects.test.ts', 'test/cli-args.test.ts'])
      expect(bundled).not.toContain(unit);
  });
});
