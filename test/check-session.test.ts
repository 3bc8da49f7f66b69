/**
 * The prepared session (src/check.ts): prepared once, several runtimes bound to it, each artifact checked with one
 * object. Real guests (a clock program whose every run prints another time, assembled with wabt) on the embedded
 * runtime and, when .venv has it, the wasmtime 49 engine harness.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareCheck } from '../src/check.js';
import type { CheckOptions } from '../src/options/index.js';
import { CHECK_RUNTIMES, useGuests } from './check-runtimes.js';
import { clockWat } from './nondeterministic-guest.js';
import { makeSandbox } from './report-factory.js';

const guests = useGuests('p2c-session-', { 'clock.wasm': clockWat({ regress: false }) });
const options = (name: string): CheckOptions => ({
  patterns: ['clock.wasm'],
  cwd: guests.dir,
  runtime: 'embedded',
  sandbox: makeSandbox({ timeoutMs: 60_000 }),
  workDir: path.join(guests.dir, name),
});

describe('a prepared check session', () => {
  it('serves several bindings; with shareP1Runs, bindings on the same P1 host run P1 once between them', async () => {
    const session = await prepareCheck(options('share'));
    try {
      expect(session.files.map((f) => f.shownPath)).toEqual(['clock.wasm']);
      const [a, b, own] = [
        await session.bind(undefined, { shareP1Runs: true }),
        await session.bind(undefined, { shareP1Runs: true }),
        await session.bind(),
      ];
      const [ra, rb, rown] = await Promise.all([a, b, own].map((bound) => bound.checkArtifact(session.files[0]!)));
      // The clock line differs between any two runs: equal stdout is one run.
      expect(rb!.p1?.stdout).toBe(ra!.p1?.stdout);
      expect(rown!.p1?.stdout).not.toBe(ra!.p1?.stdout);
      for (const r of [ra, rb, rown]) expect(r!.verdict).toBe('PASS');

      const report = own.report(await own.checkAll());
      expect(report.results.map((r) => [r.artifact.path, r.verdict])).toEqual([['clock.wasm', 'PASS']]);
      expect(report.runtime).toEqual({ requested: 'embedded', ...own.hosts });
    } finally {
      await session.dispose();
    }
  });

  const wasmtime = CHECK_RUNTIMES.find((r) => r.name === 'wasmtime')!;
  it.skipIf(wasmtime.skip !== undefined)('binds another runtime to the same session, each with its own hosts and report', async () => {
    const session = await prepareCheck(options('two'));
    try {
      const embedded = await session.bind(undefined, { shareP1Runs: true });
      const other = await session.bind(wasmtime.options, { shareP1Runs: true, label: 'wasmtime' });
      const [re, rw] = await Promise.all([embedded.checkAll(), other.checkAll()]);
      expect(other.hosts.p1.name).not.toBe(embedded.hosts.p1.name);
      // Another P1 host: its own P1 run, not the embedded one's.
      expect(rw[0]!.p1?.stdout).not.toBe(re[0]!.p1?.stdout);
      expect(other.report(rw).label).toBe('wasmtime');
      expect(other.report(rw).runtime.p2).toEqual(other.hosts.p2);
    } finally {
      await session.dispose();
    }
  });

  it('dispose removes a work folder of its own', async () => {
    const { workDir: _, ...own } = options('unused');
    const session = await prepareCheck(own);
    const bound = await session.bind();
    expect(await bound.checkAll()).toHaveLength(1);
    const dir = session.workDir;
    expect(existsSync(dir)).toBe(true);
    await session.dispose();
    expect(existsSync(dir)).toBe(false);
  });
});
