/**
 * check() end to end with `runtime: 'wasmtime'` on the real wasmtime 49 engine.
 *
 * TEST HARNESS: `wasmtime.binary` is test/harness/wasmtime (the wasmtime Python wheel behaving like `wasmtime run`,
 * see test/harness/wasmtime-run.py). The adapter is given as a file (the bundled jco 1.35 one), so nothing is
 * downloaded. Skipped, with the reason printed, only when .venv has no wasmtime.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import type { ArtifactResult, Report } from '../src/model.js';
import { createRunner } from '../src/runtime/index.js';
import { engineUnavailable, harness } from './harness/engine.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const skipReason = engineUnavailable();
if (skipReason) console.warn(`runtime-wasmtime-check: skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('check() on the wasmtime runtime (test harness engine)', () => {
  let work: string;
  let report: Report;
  const byFile = (name: string): ArtifactResult => report.results.find((r) => path.basename(r.artifact.path) === name)!;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'p2c-wasmtime-check-'));
    report = await check({
      patterns: ['c-hello.wasm', 'c-args-env.wasm', 'c-exit3.wasm', 'c-oob-trap.wasm', 'go124-hello.wasm'],
      cwd: path.join(root, 'test', 'fixtures'),
      runtime: 'wasmtime',
      wasmtime: { binary: harness },
      adapter: { kind: 'file', path: path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm') },
      sandbox: { args: ['one'], env: { GREETING: 'hi' }, dirs: [], timeoutMs: 60_000, outputCapBytes: 64 * 1024 },
      workDir: work,
    });
  }, 180_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('--env values are never in a report: command lines show KEY=***', async () => {
    const { renderJson } = await import('../src/report/json.js');
    const commands = report.results.flatMap((r) => [r.p1?.command, r.p2?.command]).filter((c): c is string[] => c !== undefined);
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) {
      expect(c).toContain('GREETING=***');
      expect(c).not.toContain('GREETING=hi');
    }
    expect(renderJson(report)).not.toMatch(/"--env",\s*"GREETING=hi"/);
  });

  it('runs P1 and P2 on the same engine', () => {
    expect(report.runtime.requested).toBe('wasmtime');
    expect(report.runtime.p1).toEqual(report.runtime.p2);
    expect(report.runtime.p1.version).toBe('49.0.0');
    expect(report.runtime.p1.name).toMatch(/^wasmtime/);
  });

  it('verdicts: PASS, exit-code collapse note, PRE-EXISTING guest trap, Go 1.24 REGRESSION', () => {
    expect(byFile('c-hello.wasm').verdict).toBe('PASS');
    const args = byFile('c-args-env.wasm');
    expect(args.verdict).toBe('PASS');
    expect(args.p1!.stdout.text).toBe('c-args-env.wasm\none\nGREETING=hi\nHOME=(unset)\n');
    const exit3 = byFile('c-exit3.wasm');
    expect(exit3).toMatchObject({ verdict: 'PASS', p1: { exitCode: 3 }, p2: { exitCode: 1 } });
    expect(exit3.diagnoses.map((d) => [d.signatureId, d.severity])).toContainEqual(['exit-code-collapse', 'note']);
    const oob = byFile('c-oob-trap.wasm');
    expect(oob.verdict).toBe('PRE-EXISTING');
    expect(oob.p1!.trap?.kind).toBe('out-of-bounds');
    const go = byFile('go124-hello.wasm');
    expect(go.verdict).toBe('REGRESSION');
    expect(go.p1!.exitCode).toBe(0);
    expect(go.p2!.trap?.adapterLine?.line).toBe(2857);
    expect(go.diagnoses.map((d) => d.signatureId)).toContain('go-heap-clobbers-adapter-state');
  });

  it('createRunner: an explicit binary is used for `wasmtime` and for `auto`', async () => {
    for (const runtime of ['wasmtime', 'auto'] as const) {
      const selection = await createRunner({ runtime, wasmtime: { binary: harness }, workDir: path.join(work, runtime) });
      expect(selection.runner.name).toBe('wasmtime');
      expect((await selection.runner.describe()).p1.version).toBe('49.0.0');
    }
  });
});
