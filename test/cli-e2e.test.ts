import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactResult, Report } from '../src/model.js';
import { engineUnavailable } from './harness/engine.js';
import { builtCli } from './build-once.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = builtCli;
const fx = (name: string) => path.join('test/fixtures', name);
const run = promisify(execFile);

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    // A fresh result cache per run: every run here checks for real (test/cache.test.ts covers reuse).
    const cacheHome = mkdtempSync(path.join(tmpdir(), 'p2c-e2e-cache-'));
    const env = { PATH: process.env.PATH ?? '', HOME: '/root/secret-home', XDG_CACHE_HOME: cacheHome };
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: root, env, maxBuffer: 64 << 20 }).finally(() =>
      rmSync(cacheHome, { recursive: true, force: true }),
    );
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

// End to end through the bundled CLI (what `npx wasm-p2-check` runs), embedded runtime, real fixtures.
describe('wasm-p2-check CLI (embedded runtime)', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'wpc-e2e-'));
  let report: Report;
  let result: { code: number; stdout: string; stderr: string };
  const byFile = (name: string): ArtifactResult => {
    const r = report.results.find((x) => x.artifact.path === fx(name));
    if (!r) throw new Error(`no result for ${name}`);
    return r;
  };

  beforeAll(async () => {
    const files = [
      'go124-hello.wasm',
      'go123-hello.wasm',
      'go122-hello.wasm',
      'c-exit3.wasm',
      'c-oob-trap.wasm',
      'not-wasm.wasm',
      'truncated.wasm',
      'c-hello.wasm',
      'c-args-env.wasm',
      'c-hello.component.wasm',
      'c-reactor.wasm',
    ];
    result = await runCli([
      '--runtime',
      'embedded',
      '--json',
      path.join(tmp, 'r.json'),
      '--markdown',
      path.join(tmp, 'r.md'),
      '--arg',
      'one',
      '--env',
      'GREETING=hi',
      '--timeout',
      '20',
      ...files.map(fx),
    ]);
    report = JSON.parse(readFileSync(path.join(tmp, 'r.json'), 'utf8')) as Report;
  }, 300_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('exits 1 because a regression was found, and prints a readable summary', () => {
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/go124-hello\.wasm/);
    expect(result.stdout).not.toMatch(/\x1b\[/); // no colour when not a TTY
    expect(result.stderr).toMatch(/go124-hello\.wasm/); // progress goes to stderr
  });

  it('Go >= 1.24: REGRESSION diagnosed as the Go heap overwriting the adapter state', () => {
    const r = byFile('go124-hello.wasm');
    expect(r.verdict).toBe('REGRESSION');
    expect(r.artifact.module?.toolchain).toMatchObject({ language: 'go', version: '1.24.4' });
    expect(r.p2?.trap?.adapterLine?.line).toBe(2857);
    expect(r.diagnoses[0]?.signatureId).toBe('go-heap-clobbers-adapter-state');
    expect(r.diagnoses[0]?.confidence).toBe('high');
    expect(r.predictions.some((p) => p.signatureId === 'go-heap-clobbers-adapter-state' && p.confirmed === true)).toBe(true);
    const unsafe = r.diagnoses[0]!.workarounds.filter((w) => !w.safe);
    expect(unsafe.some((w) => /random_get/.test(w.text))).toBe(true);
  });

  it('Go <= 1.23: PASS (1.23 is the last release before the heap change)', () => {
    expect(byFile('go123-hello.wasm').artifact.module?.toolchain?.version).toBe('1.23.5');
    expect(byFile('go123-hello.wasm').verdict).toBe('PASS');
    expect(byFile('go123-hello.wasm').predictions).toEqual([]);
    expect(byFile('go122-hello.wasm').verdict).toBe('PASS');
    expect(byFile('c-hello.wasm').verdict).toBe('PASS');
  });

  it('C exit 3: PASS with the exit-code note', () => {
    const r = byFile('c-exit3.wasm');
    expect(r.verdict).toBe('PASS');
    expect(r.p1?.exitCode).toBe(3);
    expect(r.p2?.exitCode).toBe(1);
    expect(r.diagnoses.map((d) => [d.signatureId, d.severity])).toContainEqual(['exit-code-collapse', 'note']);
  });

  it('a guest trap that also happens as P1: PRE-EXISTING', () => {
    const r = byFile('c-oob-trap.wasm');
    expect(r.verdict).toBe('PRE-EXISTING');
    expect(r.p1?.trap?.kind).toBe('out-of-bounds');
    expect(r.p2?.trap?.kind).toBe('out-of-bounds');
  });

  it('bad files: INVALID-INPUT with a clear message, the others still checked', () => {
    expect(byFile('not-wasm.wasm')).toMatchObject({ verdict: 'INVALID-INPUT', artifact: { kind: 'not-wasm' } });
    expect(byFile('not-wasm.wasm').artifact.error).toMatch(/magic/i);
    expect(byFile('truncated.wasm')).toMatchObject({ verdict: 'INVALID-INPUT', artifact: { kind: 'invalid' } });
    expect(byFile('truncated.wasm').artifact.error).toMatch(/truncated|past the end|remain/i);
    expect(report.results).toHaveLength(11);
  });

  it('the guest sees only the given args and env: HOME is not inherited', () => {
    const r = byFile('c-args-env.wasm');
    expect(r.verdict).toBe('PASS');
    for (const run of [r.p1!, r.p2!]) {
      expect(run.stdout.text).toContain('GREETING=hi');
      expect(run.stdout.text).toContain('one');
      expect(run.stdout.text).toContain('HOME=(unset)');
      expect(run.stdout.text).not.toContain('secret-home');
    }
  });

  it('an already-built component skips conversion; a reactor gets the reactor adapter', () => {
    const c = byFile('c-hello.component.wasm');
    expect(c.conversion?.skipped).toBe(true);
    expect(c.p1).toBeUndefined();
    expect(c.verdict).toBe('PASS');
    const reactor = byFile('c-reactor.wasm');
    expect(reactor.conversion?.adapter?.kind).toBe('reactor');
    // It imports nothing (not even WASI): both runs "pass" vacuously, so it is named a library for a host (#22).
    expect(reactor.verdict).toBe('NOT-WASI');
    expect(reactor.diagnoses[0]?.signatureId).toBe('host-library');
  });

  it('records the runtimes and the adapter identity', () => {
    expect(report.runtime).toMatchObject({ requested: 'embedded', p1: { name: 'node:wasi' }, p2: { name: 'preview2-shim' } });
    const adapter = byFile('go124-hello.wasm').conversion?.adapter;
    expect(adapter).toMatchObject({ kind: 'command', source: 'bundled', name: 'wasi_snapshot_preview1.command.wasm' });
    expect(adapter?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes a Markdown report', () => {
    const md = readFileSync(path.join(tmp, 'r.md'), 'utf8');
    expect(md).toMatch(/go124-hello\.wasm/);
    expect(md).toMatch(/REGRESSION/);
  });
});

describe('wasm-p2-check CLI usage', () => {
  it('--help and --version exit 0', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/Usage: wasm-p2-check/);
    expect((await runCli(['--version'])).stdout).toMatch(/^wasm-p2-check \d+\.\d+\.\d+/);
  });

  it('usage errors exit 2 and name the problem', async () => {
    const r = await runCli(['--runtime', 'v8', 'x.wasm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--runtime 'v8'/);
    const none = await runCli(['--runtime', 'embedded', 'nothing/*.wasm']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no artifacts matched/);
  });

  it('nothing checked never exits 0: a missing path, a mistyped command, two reports on stdout (exit 2)', async () => {
    const typo = await runCli(['--runtime', 'embedded', '--quiet', fx('c-hello.wasm'), 'build/app.wasm']);
    expect([typo.code, typo.stdout]).toEqual([2, '']);
    expect(typo.stderr).toMatch(/no such file: 'build\/app\.wasm' \(a path, not a glob/);
    const command = await runCli(['explian', 'log.txt']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/'explian' is not a command or a file — did you mean 'explain'\?/);
    const both = await runCli(['--runtime', 'embedded', fx('c-hello.wasm'), '--json', '-', '--markdown', '-']);
    expect([both.code, both.stdout]).toEqual([2, '']);
    expect(both.stderr).toMatch(/--json and --markdown both write to stdout/);
  });

  it('exits 0 when nothing regressed', async () => {
    const r = await runCli(['--runtime', 'embedded', '--quiet', fx('c-hello.wasm')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('an already-built component alone: no P1 run, the P2 run only', async () => {
    const r = await runCli(['--runtime', 'embedded', '--quiet', fx('c-hello.component.wasm')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS/);
  });

  it('stdin comes from --stdin; large output arrives whole (files, not pipes) and is kept up to the cap', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wpc-io-'));
    writeFileSync(path.join(dir, 'in.txt'), 'line one\nline two\n');
    const r = await runCli([
      '--runtime',
      'embedded',
      '--quiet',
      '--stdin',
      path.join(dir, 'in.txt'),
      '--output-cap',
      '1000',
      '--json',
      '-',
      fx('c-stdin-echo.wasm'),
      fx('c-big-output.wasm'),
    ]);
    const [echo, big] = (JSON.parse(r.stdout) as Report).results;
    for (const run of [echo!.p1!, echo!.p2!]) expect(run.stdout.text).toBe('line one\nline two\n');
    for (const run of [big!.p1!, big!.p2!]) {
      expect(run.stdout).toMatchObject({ bytes: 204_800, truncated: true });
      expect(Buffer.byteLength(run.stdout.text)).toBeLessThanOrEqual(1000);
    }
    expect(big!.verdict).toBe('PASS');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a preopened directory is copied fresh for each run', async () => {
    const data = mkdtempSync(path.join(tmpdir(), 'wpc-data-'));
    writeFileSync(path.join(data, 'input.txt'), 'from the preopen\n');
    const json = path.join(data, 'r.json');
    const r = await runCli(['--runtime', 'embedded', '--quiet', '--dir', `${data}::/data`, '--json', json, fx('c-read-file.wasm')]);
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(rep.results[0]!.p1!.stdout.text).toContain('from the preopen');
    expect(rep.results[0]!.p2!.stdout.text).toContain('from the preopen');
    rmSync(data, { recursive: true, force: true });
  });
});

// The wasmtime runtime through the CLI, on the real wasmtime 49 engine behind the test harness (test/harness/).
describe.skipIf(engineUnavailable() !== undefined)('wasm-p2-check CLI (wasmtime runtime, engine test harness)', () => {
  it('runs P1 and P2 on one engine and diagnoses the seed case', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wpc-wt-'));
    const json = path.join(dir, 'r.json');
    const r = await runCli([
      '--runtime',
      'wasmtime',
      '--wasmtime',
      'test/harness/wasmtime',
      '--adapter',
      'bundled',
      '--json',
      json,
      fx('go124-hello.wasm'),
      fx('go123-hello.wasm'),
      fx('c-exit3.wasm'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/using wasmtime 49\.0\.0/);
    const rep = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(rep.runtime).toMatchObject({ requested: 'wasmtime', p1: { version: '49.0.0' }, p2: { version: '49.0.0' } });
    const [go124, go123, exit3] = rep.results;
    expect(go124!.verdict).toBe('REGRESSION');
    expect(go124!.p2!.trap?.adapterLine?.line).toBe(2857);
    expect(go124!.p2!.trap?.frames.map((f) => f.name)).toEqual(expect.arrayContaining(['args_sizes_get', 'runtime.goenvs']));
    expect(go124!.diagnoses[0]?.signatureId).toBe('go-heap-clobbers-adapter-state');
    expect(go123!.verdict).toBe('PASS');
    expect(exit3!.verdict).toBe('PASS');
    expect(exit3!.notes.map((n) => n.code)).not.toContain('hosts-differ');
    rmSync(dir, { recursive: true, force: true });
  });

  it('wasmtime enforces may-leave: a cabi_realloc seeding itself from random_get is diagnosed by its source', async () => {
    const r = await runCli([
      '--runtime',
      'wasmtime',
      '--wasmtime',
      'test/harness/wasmtime',
      '--adapter',
      'bundled',
      '--quiet',
      '--json',
      '-',
      'test/fixtures/wasmtime/realloc-calls-import.wasm',
    ]);
    const rep = JSON.parse(r.stdout) as Report;
    const res = rep.results[0]!;
    expect(res.artifact.module?.targetsWasiP2).toBe(true); // it imports a WASI 0.2 interface next to P1: no P1 baseline
    expect(res.p1).toBeUndefined();
    expect(res.notes.map((n) => n.code)).toContain('no-p1-baseline');
    expect(res.p2?.trap?.kind).toBe('cannot-leave-instance');
    expect(res.diagnoses[0]?.signatureId).toBe('cannot-leave-allocator-seeds-itself');
  });

  it('auto picks the embedded runtime when no wasmtime is on PATH, and says so', async () => {
    const r = await runCli(['--runtime', 'auto', '--quiet', fx('c-hello.wasm')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/runtime (auto|embedded)/);
    expect(r.stdout).toMatch(/node:wasi/);
  });
});
