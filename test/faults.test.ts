/**
 * Faults that must never become a false verdict, end to end through check() on the embedded runtime with real
 * guests (test/fixtures/faults/*.wat, built by build.sh). The P2-only behaviours are triggered by jco 1.0.3's adapter,
 * which answers an empty write to a closed descriptor with success where every P1 host answers EBADF.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { reportFails, resultFails } from '../src/report/fail-on.js';
import { collectFindings } from '../src/report/findings.js';
import type { Report } from '../src/model.js';
import { renderMarkdown } from '../src/report/markdown.js';

const fixtures = path.resolve(import.meta.dirname, 'fixtures');
const oldAdapter = {
  kind: 'file' as const,
  path: path.join(fixtures, 'signatures/adapters/jco-1.0.3/wasi_snapshot_preview1.command.wasm'),
};

async function run(file: string, sandbox: Partial<Report['sandbox']> & { stdinFile?: string } = {}): Promise<Report> {
  return check({
    patterns: [file],
    cwd: fixtures,
    runtime: 'embedded',
    adapter: oldAdapter,
    sandbox: { args: [], env: {}, dirs: [], timeoutMs: 20_000, outputCapBytes: 65_536, ...sandbox },
  });
}

describe('faults never give a false verdict', () => {
  it('a component that hangs where the module finished fails the gate by default, and both timeouts are in the report', async () => {
    const report = await run('faults/p2-only-hang.wasm', { timeoutMs: 4000 });
    const r = report.results[0]!;
    expect(r.p1).toMatchObject({ timedOut: false, exitCode: 0 });
    expect(r.p1!.stdout.text).toBe('done\n');
    expect(r.p2?.timedOut).toBe(true);
    expect(r.verdict).toBe('TIMEOUT');
    expect(r.notes.map((n) => n.code)).toContain('p2-only-timeout');
    expect(resultFails(r, 'regression')).toBe(true);
    expect(reportFails(report, 'regression')).toBe(true);
    expect(collectFindings(report, 'regression')[0]?.level).toBe('failure');
    expect(resultFails(r, 'never')).toBe(false);
  }, 60_000);

  it('output cut at the cap in P2 only is inconclusive: ERROR naming the cap, never REGRESSION or PASS', async () => {
    const report = await run('faults/p2-only-flood.wasm');
    const r = report.results[0]!;
    expect(r.p1?.stdout).toMatchObject({ text: 'done\n', truncated: false });
    expect(r.p2?.stdout.truncated).toBe(true);
    expect(r.verdict).toBe('ERROR');
    expect(r.notes.find((n) => n.code === 'checker-error')?.message).toMatch(/Only the P2 run's output was cut at the output cap/);
    expect(reportFails(report, 'regression')).toBe(true);
    expect(renderMarkdown(report)).toContain('ERROR');
  }, 60_000);

  it('with a cap above what the guest writes, the same artifact is compared in full (a real REGRESSION)', async () => {
    const report = await run('faults/p2-only-flood.wasm', { outputCapBytes: 1024 * 1024 });
    expect(report.results[0]!.verdict).toBe('REGRESSION');
  }, 60_000);

  it('a host that cannot start (stdin names a missing file) is never a PASS', async () => {
    const report = await check({
      patterns: ['c-hello.wasm'],
      cwd: fixtures,
      runtime: 'embedded',
      sandbox: {
        args: [],
        env: {},
        dirs: [],
        stdinFile: path.join(fixtures, 'no-such-stdin.txt'),
        timeoutMs: 20_000,
        outputCapBytes: 65_536,
      },
    }).catch((e: Error) => e);
    // Either a usage error before anything runs, or an ERROR verdict: never PASS.
    if (report instanceof Error) {
      expect(report.message).toMatch(/no-such-stdin/);
      return;
    }
    if (report.configurationError) {
      expect(report.configurationError.option).toBe('stdin');
      expect(report.results).toEqual([]);
      return;
    }
    const r = report.results[0]!;
    expect(r.verdict).toBe('ERROR');
    expect(r.p1?.hostError ?? r.p2?.hostError).toMatch(/no-such-stdin|ENOENT/);
    expect(reportFails(report, 'regression')).toBe(true);
  }, 60_000);
});
