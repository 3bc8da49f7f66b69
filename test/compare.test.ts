import { describe, expect, it } from 'vitest';
import { compare, outputOnlyRegression } from '../src/compare/index.js';
import type { Artifact, ConversionResult, RunResult } from '../src/model.js';
import { makeArtifact, makeRun } from './report-factory.js';

const moduleArtifact = makeArtifact('x.wasm');
const converted: ConversionResult = { ok: true, skipped: false, durationMs: 1 };

/** A run on one engine for both phases (no hosts-differ note), printing `hello`. */
function run(phase: 'p1' | 'p2', over: Partial<RunResult> = {}): RunResult {
  return makeRun(phase, {
    runtime: { name: 'wasmtime', version: '49.0.0' },
    stdout: { text: 'hello\n', bytes: 6, truncated: false },
    durationMs: 1,
    ...over,
  });
}
const trap = { kind: 'unreachable' as const, message: 'unreachable', causes: [], frames: [], format: 'text' as const };

describe('compare', () => {
  it('passes identical runs', () => {
    expect(compare(moduleArtifact, run('p1'), converted, run('p2'))).toEqual({ verdict: 'PASS', differences: [], notes: [] });
  });

  it('is a regression when only P2 traps', () => {
    const c = compare(moduleArtifact, run('p1'), converted, run('p2', { trap, exitCode: 134 }));
    expect(c.verdict).toBe('REGRESSION');
    expect(c.differences[0]).toMatchObject({ field: 'trap', p1: 'exit 0', p2: 'trap: unreachable' });
  });

  it('is pre-existing when both fail', () => {
    expect(compare(moduleArtifact, run('p1', { trap }), converted, run('p2', { trap })).verdict).toBe('PRE-EXISTING');
  });

  it('treats a non-zero exit code collapsing to 1 as no regression; the signature, not compare, explains it', () => {
    const c = compare(moduleArtifact, run('p1', { exitCode: 3 }), converted, run('p2', { exitCode: 1 }));
    expect(c.verdict).toBe('PASS');
    expect(c.differences).toContainEqual({ field: 'exitCode', p1: '3', p2: '1' });
    expect(c.notes).toEqual([]);
  });

  it('is a regression when the exit code changes otherwise', () => {
    expect(compare(moduleArtifact, run('p1', { exitCode: 0 }), converted, run('p2', { exitCode: 1 })).verdict).toBe('REGRESSION');
    expect(compare(moduleArtifact, run('p1', { exitCode: 3 }), converted, run('p2', { exitCode: 0 })).verdict).toBe('REGRESSION');
  });

  it('is a regression when stdout differs, and compares kept text plus total size', () => {
    const c = compare(moduleArtifact, run('p1'), converted, run('p2', { stdout: { text: 'hell', bytes: 4, truncated: false } }));
    expect(c.verdict).toBe('REGRESSION');
    expect(c.differences).toEqual([{ field: 'stdout', p1: 'hello\n', p2: 'hell' }]);
    const capped = { text: 'x'.repeat(10), bytes: 100, truncated: true };
    expect(compare(moduleArtifact, run('p1', { stdout: capped }), converted, run('p2', { stdout: { ...capped, bytes: 99 } })).verdict).toBe(
      'REGRESSION',
    );
  });

  it('normalises CRLF', () => {
    const c = compare(
      moduleArtifact,
      run('p1', { stdout: { text: 'a\r\n', bytes: 3, truncated: false } }),
      converted,
      run('p2', { stdout: { text: 'a\r\n', bytes: 3, truncated: false } }),
    );
    expect(c.verdict).toBe('PASS');
  });

  it('reports TIMEOUT and says which run timed out', () => {
    const c = compare(moduleArtifact, run('p1'), converted, run('p2', { timedOut: true, exitCode: null }));
    expect(c.verdict).toBe('TIMEOUT');
    expect(c.notes[0]!.message).toMatch(/Only the P2 run/);
  });

  it('CONVERT-FAIL and INVALID-INPUT come first', () => {
    expect(compare(moduleArtifact, run('p1'), { ok: false, skipped: false, error: 'x', durationMs: 0 }, undefined).verdict).toBe(
      'CONVERT-FAIL',
    );
    expect(compare({ ...moduleArtifact, kind: 'invalid', module: undefined }, undefined, undefined, undefined).verdict).toBe(
      'INVALID-INPUT',
    );
  });

  it('names both hosts when they differ, and does not blame the adapter for a P1-host-only failure', () => {
    const p1 = run('p1', { runtime: { name: 'node:wasi', version: 'node 20' }, trap });
    const p2 = run('p2', { runtime: { name: 'preview2-shim', version: '0.26.1' } });
    const c = compare(moduleArtifact, p1, converted, p2);
    expect(c.verdict).toBe('PASS');
    expect(c.notes.map((n) => n.code)).toEqual(['hosts-differ', 'p1-only-failure']);
  });

  it('has no P1 baseline for a component input', () => {
    const component: Artifact = {
      path: 'c.wasm',
      size: 1,
      sha256: 'x',
      kind: 'component',
      component: { imports: [], exports: ['wasi:cli/run@0.2.3'] },
    };
    const c = compare(component, undefined, { ok: true, skipped: true, durationMs: 0 }, run('p2'));
    expect(c.verdict).toBe('PASS');
    expect(c.notes.map((n) => n.code)).toEqual(['no-p1-baseline']);
  });

  describe('ERROR: a run the checker could not carry out is never PASS or REGRESSION', () => {
    const capped = (bytes: number) => ({ text: 'x'.repeat(64), bytes, truncated: true });
    it('a host error in either run', () => {
      for (const [p1, p2] of [
        [
          run('p1', {
            hostError: 'cannot start the embedded host: ENOENT',
            exitCode: null,
            stdout: { text: '', bytes: 0, truncated: false },
          }),
          run('p2'),
        ],
        [run('p1'), run('p2', { hostError: 'wasmtime was killed by SIGSEGV', exitCode: null })],
      ]) {
        const c = compare(moduleArtifact, p1, converted, p2);
        expect(c.verdict).toBe('ERROR');
        expect(c.notes.find((n) => n.code === 'checker-error')?.message).toMatch(/could not be carried out by the checker/);
      }
    });

    it('both runs with no exit status and nothing to explain it (the old false PASS)', () => {
      const silent = { exitCode: null, stdout: { text: '', bytes: 0, truncated: false } };
      expect(compare(moduleArtifact, run('p1', silent), converted, run('p2', silent)).verdict).toBe('ERROR');
    });

    it('a component input whose only run failed to start', () => {
      const component: Artifact = {
        path: 'c.wasm',
        size: 1,
        sha256: 'x',
        kind: 'component',
        component: { imports: [], exports: ['wasi:cli/run@0.2.3'] },
      };
      expect(
        compare(component, undefined, { ok: true, skipped: true, durationMs: 0 }, run('p2', { hostError: 'spawn failed', exitCode: null }))
          .verdict,
      ).toBe('ERROR');
    });

    it('a memory/disk/budget limit the checker set', () => {
      const c = compare(
        moduleArtifact,
        run('p1'),
        converted,
        run('p2', { exitCode: null, limit: { kind: 'memory', value: 1 << 30, message: 'memory limit 1 GiB reached' } }),
      );
      expect(c.verdict).toBe('ERROR');
      expect(c.notes.at(-1)!.message).toContain('memory limit 1 GiB reached');
    });

    it('output cut at the cap in one run only: inconclusive, the cap named', () => {
      const c = compare(
        moduleArtifact,
        run('p1', { stdout: { text: 'hello\n', bytes: 6, truncated: false } }),
        converted,
        run('p2', { stdout: capped(5_000_000) }),
      );
      expect(c.verdict).toBe('ERROR');
      expect(c.notes.at(-1)!.message).toMatch(/Only the P2 run's output was cut at the output cap/);
    });

    it('P1 cut, P2 failed having written less, all of it as P1 wrote it: REGRESSION (P2 stopped where P1 went on)', () => {
      const p1 = run('p1', { stdout: capped(5_000_000) });
      const early = { text: 'x'.repeat(10), bytes: 10, truncated: false };
      for (const p2 of [run('p2', { stdout: early, trap, exitCode: 134 }), run('p2', { stdout: early, exitCode: 2 })]) {
        const c = compare(moduleArtifact, p1, converted, p2);
        expect(c.verdict).toBe('REGRESSION');
        expect(c.notes.map((n) => n.code)).toEqual(['p2-stopped-first']);
      }
      // Less certain: still ERROR.
      const inconclusive = [
        run('p2', { stdout: early, exitCode: 0 }), // merely shorter
        run('p2', { stdout: { text: 'y'.repeat(10), bytes: 10, truncated: false }, trap, exitCode: 134 }), // differs before its end
        run('p2', { stdout: { text: 'x'.repeat(64), bytes: 64, truncated: false }, trap, exitCode: 134 }), // not less than P1 kept
      ];
      for (const p2 of inconclusive) expect(compare(moduleArtifact, p1, converted, p2).verdict).toBe('ERROR');
      // The mirror case: P1 failed early, P2 cut.
      expect(
        compare(moduleArtifact, run('p1', { stdout: early, trap, exitCode: 134 }), converted, run('p2', { stdout: capped(5_000_000) }))
          .verdict,
      ).toBe('ERROR');
    });

    it('both cut, one run ended for its output (the old false REGRESSION): the kept output is compared', () => {
      const p1 = run('p1', { stdout: capped(80_000_000), exitCode: 0 });
      const p2 = run('p2', {
        stdout: capped(67_000_000),
        exitCode: null,
        limit: { kind: 'output', value: 65_536, message: 'output limit exceeded' },
      });
      const c = compare(moduleArtifact, p1, converted, p2);
      expect(c.verdict).toBe('PASS');
      expect(c.notes.map((n) => n.code)).toContain('output-capped');
      const differs = run('p2', { stdout: { text: 'y'.repeat(64), bytes: 67_000_000, truncated: true }, exitCode: null });
      expect(compare(moduleArtifact, p1, converted, differs).verdict).toBe('REGRESSION');
    });

    it('a P2-only timeout is noted as such (it fails the gate: see fail-on)', () => {
      const c = compare(moduleArtifact, run('p1'), converted, run('p2', { timedOut: true, exitCode: null }));
      expect(c.notes.map((n) => n.code)).toEqual(['p2-only-timeout']);
      expect(compare(moduleArtifact, run('p1', { timedOut: true, exitCode: null }), converted, run('p2')).notes.map((n) => n.code)).toEqual(
        ['timeout'],
      );
    });
  });

  describe('output that varies by itself (a second P1 run)', () => {
    const out = (text: string) => ({ text, bytes: Buffer.byteLength(text), truncated: false });
    const yosys = (cpu: string, sys = '0.00', tail = 'End of script.') =>
      out(`Executing pass.\nCPU: user ${cpu}s system ${sys}s, MEM: 12.5 MB peak\n${tail}\n`);

    it('asks for the second run only when output alone makes the regression', () => {
      const p1 = run('p1', { stdout: yosys('0.01') });
      const p2 = run('p2', { stdout: yosys('0.03') });
      expect(outputOnlyRegression(compare(moduleArtifact, p1, converted, p2), p1, p2)).toBe(true);
      const trapped = run('p2', { stdout: yosys('0.03'), trap, exitCode: 134 });
      expect(outputOnlyRegression(compare(moduleArtifact, p1, converted, trapped), p1, trapped)).toBe(false);
      const exit2 = run('p2', { stdout: yosys('0.03'), exitCode: 2 });
      expect(outputOnlyRegression(compare(moduleArtifact, p1, converted, exit2), p1, exit2)).toBe(false);
      expect(outputOnlyRegression(compare(moduleArtifact, p1, converted, run('p2', { stdout: yosys('0.01') })), p1, p2)).toBe(false);
    });

    it('what changed between the P1 runs is not evidence: PASS, noted (numbers on a varying line are all free)', () => {
      const c = compare(
        moduleArtifact,
        run('p1', { stdout: yosys('0.01') }),
        converted,
        run('p2', { stdout: yosys('0.12', '0.01') }),
        run('p1', { stdout: yosys('0.02') }),
      );
      expect(c.verdict).toBe('PASS');
      expect(c.differences).toEqual([]);
      expect(c.notes.map((n) => n.code)).toEqual(['nondeterministic-output']);
      // The note shows the line's shape, not the values of a run: the same text every run (no comment churn).
      expect(c.notes[0]!.message).toContain(
        '1 line(s) differed between two P1 runs (e.g. line 2, `CPU: user ….… system ….…, MEM: ….… MB peak`',
      );
    });

    it('a real difference is still a REGRESSION: on a stable line, in the words of a varying line, or in the line count', () => {
      const p1 = run('p1', { stdout: yosys('0.01') });
      const again = run('p1', { stdout: yosys('0.02') });
      const stable = compare(moduleArtifact, p1, converted, run('p2', { stdout: yosys('0.03', '0.00', 'ERROR: oops') }), again);
      expect(stable.verdict).toBe('REGRESSION');
      expect(stable.differences).toEqual([{ field: 'stdout', p1: 'End of script.', p2: 'ERROR: oops' }]);
      const words = compare(
        moduleArtifact,
        p1,
        converted,
        run('p2', { stdout: out('Executing pass.\npanic: index out of range\nEnd of script.\n') }),
        again,
      );
      expect(words.verdict).toBe('REGRESSION');
      const shorter = compare(moduleArtifact, p1, converted, run('p2', { stdout: out('Executing pass.\n') }), again);
      expect(shorter.verdict).toBe('REGRESSION');
    });

    it('P1 that varies in its number of lines: P2 like either run passes, anything else is ERROR, not REGRESSION', () => {
      const p1 = run('p1', { stdout: out('a\nb\n') });
      const again = run('p1', { stdout: out('a\nb\nc\n') });
      expect(compare(moduleArtifact, p1, converted, run('p2', { stdout: out('a\nb\nc\n') }), again).verdict).toBe('PASS');
      const c = compare(moduleArtifact, p1, converted, run('p2', { stdout: out('x\n') }), again);
      expect(c.verdict).toBe('ERROR');
      expect(c.notes.at(-1)!.message).toMatch(/varies from run to run in its number of lines \(3, then 4 lines/);
    });

    it('a second P1 run that ended differently is not used: the output is compared as it was, and that is said', () => {
      const c = compare(
        moduleArtifact,
        run('p1', { stdout: yosys('0.01') }),
        converted,
        run('p2', { stdout: yosys('0.03') }),
        run('p1', { stdout: yosys('0.02'), exitCode: null, timedOut: true }),
      );
      expect(c.verdict).toBe('REGRESSION');
      expect(c.notes.map((n) => n.code)).toEqual(['p1-rerun-incomparable']);
    });
  });
});
