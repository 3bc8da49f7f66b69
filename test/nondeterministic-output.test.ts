/**
 * A program whose output varies by itself (its CPU time, a clock, a random value — yosys without -q prints "CPU: user
 * 0.01s") is not a REGRESSION: when only the output differs, check() runs P1 once more and leaves out what changed
 * between the two P1 runs (src/compare/nondeterminism.ts). A real P2 difference beside such lines is still found.
 * Real guests (test/nondeterministic-guest.ts, assembled with wabt) on both runtimes.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { CHECK_RUNTIMES, useGuests } from './check-runtimes.js';
import { clockWat } from './nondeterministic-guest.js';
import { makeSandbox } from './report-factory.js';

const root = path.resolve(import.meta.dirname, '..');
const guests = useGuests('p2c-nondet-', {
  'clock.wasm': clockWat({ regress: false }),
  'clock-regress.wasm': clockWat({ regress: true }),
  'clock-many.wasm': clockWat({ regress: false, clockLines: 5 }),
});

for (const { name, options: runtime, skip } of CHECK_RUNTIMES) {
  describe.skipIf(skip !== undefined)(`${name}: output that varies by itself`, () => {
    it('a clock line is not evidence (PASS, noted); a real P2 difference beside it is still a REGRESSION; one extra P1 run each', async () => {
      const p1Runs = new Map<string, number>();
      const report = await check({
        patterns: ['clock.wasm', 'clock-regress.wasm', 'clock-many.wasm'],
        cwd: guests.dir,
        ...runtime,
        sandbox: makeSandbox({ timeoutMs: 60_000 }),
        workDir: path.join(guests.dir, `check-${name}`),
        onProgress: (e) => {
          if (e.stage === 'p1') p1Runs.set(e.artifact, (p1Runs.get(e.artifact) ?? 0) + 1);
        },
      });
      const [clock, regress, many] = report.results;

      expect(clock!.verdict, JSON.stringify(clock!.differences)).toBe('PASS');
      expect(clock!.differences).toEqual([]);
      const note = clock!.notes.find((n) => n.code === 'nondeterministic-output');
      // The line's shape, not one run's values: the note (and so a PR comment) reads the same on every run.
      expect(note?.message).toContain(
        'stdout varies from run to run: 1 line(s) differed between two P1 runs (e.g. line 2, `time: … ns (… us)`',
      );

      expect(many!.verdict, JSON.stringify(many!.differences)).toBe('PASS');
      expect(many!.notes.find((n) => n.code === 'nondeterministic-output')?.message).toMatch(/5 line\(s\) differed/);

      // The adapter's memory.grow shows in `pages:` under P2: a real difference on a line P1 printed the same twice.
      expect(regress!.verdict).toBe('REGRESSION');
      expect(regress!.differences).toEqual([{ field: 'stdout', p1: 'pages: 1', p2: expect.stringMatching(/^pages: \d+$/) }]);
      expect(regress!.notes.find((n) => n.code === 'nondeterministic-output')?.message).toMatch(
        /those parts were left out, and P2's stdout still differs where P1 agreed with itself \(line 3\)/,
      );
      // Bounded: one extra P1 run per artifact whose output differed, none more.
      expect([...p1Runs.values()]).toEqual([2, 2, 2]);
    });

    it('a program whose output does not vary gets no extra run', async () => {
      const p1Runs: string[] = [];
      const report = await check({
        patterns: [path.join(root, 'test', 'fixtures', 'wat-hello.wasm')],
        cwd: guests.dir,
        ...runtime,
        sandbox: makeSandbox({ timeoutMs: 60_000 }),
        workDir: path.join(guests.dir, `check-hello-${name}`),
        onProgress: (e) => {
          if (e.stage === 'p1') p1Runs.push(e.artifact);
        },
      });
      expect(report.results[0]!.verdict).toBe('PASS');
      expect(p1Runs).toHaveLength(1);
    });
  });
}
