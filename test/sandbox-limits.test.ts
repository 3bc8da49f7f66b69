/**
 * Limits, with their defaults and flags, reported when hit — on both runtimes and in both phases alike: output
 * written per run (judged on what was written, not on whether a poll caught it), disk written into preopen copies,
 * guest memory, the time limit measuring the guest and not compilation, the time budget of a whole check, and the
 * scratch files of a finished artifact.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import type { Runner, RunResult, Sandbox } from '../src/model.js';
import { createEmbeddedRunner } from '../src/runtime/embedded/runner.js';
import { limitsOf } from '../src/guard/limits.js';
import { runSandboxedProcess, toRunResult } from '../src/runtime/process.js';
import { createWasmtimeRunner } from '../src/runtime/wasmtime/runner.js';
import { engineUnavailable, harness } from './harness/engine.js';
import { assemble, bombWat, slowToCompileWat } from './hostile/guest.js';
import { makeSandbox } from './report-factory.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'test', 'fixtures');
const skipEngine = engineUnavailable();
let work: string;
let adapter: Uint8Array;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-limits-'));
  adapter = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const sandbox = (over: Partial<Sandbox> = {}): Sandbox => makeSandbox({ outputCapBytes: 16 * 1024, ...over });

let n = 0;
/** The guest as a P1 module and as its P2 component (same base name). */
async function guest(wat: string): Promise<{ module: string; component: string }> {
  const dir = path.join(work, `g${++n}`);
  await mkdir(path.join(dir, 'p2'), { recursive: true });
  const bytes = await assemble(wat);
  const module = path.join(dir, 'guest.wasm');
  const component = path.join(dir, 'p2', 'guest.wasm');
  await writeFile(module, bytes);
  await writeFile(component, await componentNew(bytes, [['wasi_snapshot_preview1', adapter]]));
  return { module, component };
}

async function both(runner: Runner, files: { module: string; component: string }, s: Sandbox): Promise<RunResult[]> {
  return [await runner.runModule(files.module, s), await runner.runComponent(files.component, s)];
}

const runtimes: [string, () => Runner, boolean][] = [
  ['embedded', () => createEmbeddedRunner({ workDir: path.join(work, 'runs-e') }), false],
  [
    'wasmtime',
    () =>
      createWasmtimeRunner({ binary: harness, version: '49.0.0', workDir: path.join(work, 'runs-w'), runtimeName: 'wasmtime-py-harness' }),
    skipEngine !== undefined,
  ],
];

for (const [name, makeRunner, skip] of runtimes) {
  describe.skipIf(skip)(`${name}: limits hit in P1 and P2 alike`, () => {
    it('output: a guest that writes past the limit and exits at once is reported in both phases (no poll race)', async () => {
      const files = await guest(bombWat('output', 4 * 1024 * 1024));
      for (const run of await both(makeRunner(), files, sandbox({ maxOutputBytes: 256 * 1024 }))) {
        expect(run.limit, `${run.phase} ${run.stderr.text}`).toMatchObject({ kind: 'output', value: 256 * 1024 });
        expect(run.limit!.message).toMatch(/output limit of 256 KiB reached/);
        expect(run.stdout.truncated).toBe(true);
        expect(run.stdout.text.length).toBe(16 * 1024);
        expect(run.hostError).toBeUndefined();
      }
    });

    it('disk: a guest that fills its preopen copy is ended and reported', async () => {
      const data = path.join(work, `data-${++n}`);
      await mkdir(data);
      await writeFile(path.join(data, 'seed.txt'), 'x');
      const files = await guest(bombWat('disk', 64 * 1024 * 1024));
      for (const run of await both(makeRunner(), files, sandbox({ dirs: [{ host: data, guest: '/data' }], maxDiskBytes: 1024 * 1024 }))) {
        expect(run.limit, `${run.phase} ${run.stderr.text}`).toMatchObject({ kind: 'disk', value: 1024 * 1024 });
        expect(run.limit!.message).toMatch(/disk limit of 1 MiB reached/);
      }
      expect(await readdir(data)).toEqual(['seed.txt']);
    });

    it('memory: no guest memory grows past the limit', async () => {
      const files = await guest(bombWat('memory', 0, 16));
      for (const run of await both(makeRunner(), files, sandbox({ maxMemoryBytes: 32 * 1024 * 1024 }))) {
        const pages = /(\d+)/.exec(run.stdout.text)?.[1];
        expect(Number(pages), `${run.phase} ${run.stdout.text} ${run.stderr.text}`).toBeGreaterThan(0);
        expect(Number(pages) * 65536).toBeLessThanOrEqual(32 * 1024 * 1024);
        expect(run.exitCode).not.toBe(0);
        // The embedded hosts see the memories and report the limit; the wasmtime CLI reports it through
        // -W trap-on-grow-failure (the wheel behind the test harness has no such switch: enforced, not reported).
        if (name === 'embedded') expect(run.limit, run.phase).toMatchObject({ kind: 'memory', value: 32 * 1024 * 1024 });
      }
    });
  });
}

describe.skipIf(skipEngine !== undefined)('the time limit measures the guest, not compilation (wasmtime engine)', () => {
  it('a module that compiles for longer than the timeout runs in both phases; compile time is reported apart', async () => {
    const runner = runtimes[1]![1]();
    // How long compiling takes depends on the machine: grow the module until its compilation alone takes well over a
    // second here, then give the run a time limit shorter than that compilation.
    let files = await guest(slowToCompileWat(1000, 100));
    let compileMs = 0;
    for (let functions = 1000; ; functions *= 2) {
      files = await guest(slowToCompileWat(functions, 100));
      const probe = await both(runner, files, sandbox({ timeoutMs: 600_000 }));
      compileMs = Math.min(...probe.map((r) => r.compileMs ?? 0));
      if (compileMs >= 1500 || functions >= 16_000) break;
    }
    const timeoutMs = Math.floor(compileMs * 0.6);
    for (const run of await both(runner, files, sandbox({ timeoutMs }))) {
      expect(run.timedOut, `${run.phase} ${run.stderr.text}`).toBe(false);
      expect(run.exitCode).toBe(0);
      expect(run.limit).toBeUndefined();
      expect(run.compileMs).toBeGreaterThan(timeoutMs);
      expect(run.command).toContain('--allow-precompiled');
    }
  }, 600_000);
});

describe('runSandboxedProcess: the output limit is judged on what was written', () => {
  it('a child that writes past the limit and exits before any poll still hit the limit', async () => {
    const node = process.execPath;
    const proc = await runSandboxedProcess({
      command: node,
      args: ['-e', "process.stdout.write('x'.repeat(1024 * 1024))"],
      env: {},
      cwd: work,
      timeoutMs: 30_000,
      outputCapBytes: 1024,
      maxOutputFileBytes: 64 * 1024,
      scratchDir: path.join(work, 'proc'),
      outputPollMs: 600_000, // no poll ever fires: only the judgement at the end can see it
    });
    expect(proc.exitCode).toBe(0);
    expect(proc.outputLimitExceeded).toBe(true);
    const run = await toRunResult(proc, {
      phase: 'p1',
      runtime: { name: 'test', version: '0' },
      hostName: 'node',
      command: [node],
      timeoutMs: 30_000,
      limits: { ...limitsOf(sandbox()), outputBytes: 64 * 1024 },
    });
    expect(run.limit).toMatchObject({ kind: 'output', value: 64 * 1024 });
    expect(run.limit!.message).toMatch(/wrote 1048576 bytes/);
  });
});

describe('embedded: compile time is measured apart', () => {
  it('compileMs is reported for both phases', async () => {
    const runner = runtimes[0]![1]();
    const p1 = await runner.runModule(path.join(fixtures, 'c-hello.wasm'), sandbox());
    const p2 = await runner.runComponent(path.join(fixtures, 'c-hello.component.wasm'), sandbox());
    for (const run of [p1, p2]) {
      expect(run.exitCode).toBe(0);
      expect(run.compileMs).toBeGreaterThanOrEqual(0);
      expect(run.compileMs).toBeDefined();
    }
  });
});

describe('check(): budget and scratch files', () => {
  it('runs the budget leaves no time for are not started: limit "budget" and a host error in each', async () => {
    const report = await check({
      patterns: [path.join(fixtures, 'c-hello.wasm'), path.join(fixtures, 'c-exit3.wasm')],
      cwd: work,
      runtime: 'embedded',
      sandbox: sandbox(),
      budgetMs: 1,
      workDir: path.join(work, 'check-budget'),
    });
    for (const r of report.results) {
      expect(r.p1?.limit?.kind).toBe('budget');
      expect(r.p1?.hostError).toMatch(/time budget of 0.001 s/);
      // (the verdict, ERROR, is compare/'s: see test/compare.test.ts)
    }
  });

  it('the scratch files of each artifact are gone once it is reported', async () => {
    const workDir = path.join(work, 'check-scratch');
    const data = path.join(work, 'scratch-data');
    await mkdir(data, { recursive: true });
    await writeFile(path.join(data, 'in.txt'), 'x');
    await check({
      patterns: [path.join(fixtures, 'c-hello.wasm'), path.join(fixtures, 'c-exit3.wasm')],
      cwd: work,
      runtime: 'embedded',
      sandbox: sandbox({ dirs: [{ host: data, guest: '/data' }] }),
      workDir,
    });
    const artifacts = existsSync(path.join(workDir, 'artifacts')) ? await readdir(path.join(workDir, 'artifacts')) : [];
    expect(artifacts).toEqual([]);
    const runs = existsSync(path.join(workDir, 'runs')) ? await readdir(path.join(workDir, 'runs')) : [];
    expect(runs).toEqual([]);
  });
});
