/**
 * The wasmtime runner on a real wasmtime engine.
 *
 * TEST HARNESS: no wasmtime CLI can be installed here, so `WasmtimeOptions.binary` points at test/harness/wasmtime,
 * a shim over the wasmtime 49 Python wheel (.venv, created by .ci/run) that behaves like `wasmtime run` for the flags
 * the runner passes. The runner drives it exactly as it drives the CLI. Skipped (with the reason printed) only when
 * .venv has no wasmtime.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runner, Sandbox } from '../src/model.js';
import { resolveWasmtime } from '../src/runtime/wasmtime/install.js';
import { createWasmtimeRunner, wasmtimeRunArgs } from '../src/runtime/wasmtime/runner.js';
import { engineUnavailable, harness } from './harness/engine.js';
import { withTrap } from '../src/diagnose/trap/of-run.js';
import { makeSandbox } from './report-factory.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'test', 'fixtures');
const skipReason = engineUnavailable();
if (skipReason) console.warn(`runtime-wasmtime-engine: skipped: ${skipReason}`);

const sandbox = (over: Partial<Sandbox> = {}): Sandbox => makeSandbox(over);

describe.skipIf(skipReason !== undefined)('wasmtime runner on the wasmtime 49 engine (test harness)', () => {
  let work: string;
  let runner: Runner;
  let adapter: Uint8Array;

  /** P2: convert with jco componentNew + the bundled command adapter; same base name so argv[0] matches P1's. */
  async function component(file: string): Promise<string> {
    const out = path.join(work, 'components', path.basename(file));
    await mkdir(path.dirname(out), { recursive: true });
    const bytes = await componentNew(await readFile(file), [['wasi_snapshot_preview1', adapter]]);
    await writeFile(out, bytes);
    return out;
  }

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'p2c-wasmtime-engine-'));
    adapter = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
    const logs: string[] = [];
    const resolved = await resolveWasmtime({ binary: harness, log: (m) => logs.push(m) });
    expect(resolved).toMatchObject({ binary: harness, version: '49.0.0', source: 'explicit', runtimeName: 'wasmtime-py-harness' });
    expect(logs.join('\n')).toMatch(/using wasmtime 49\.0\.0/);
    // Traps are read by the pipeline (diagnose/trap/of-run.ts), as check() does after each run.
    const raw = createWasmtimeRunner({
      binary: resolved.binary,
      version: resolved.version,
      workDir: path.join(work, 'runs'),
      runtimeName: resolved.runtimeName,
    });
    runner = {
      ...raw,
      runModule: async (f, s) => withTrap(await raw.runModule(f, s)),
      runComponent: async (f, s) => withTrap(await raw.runComponent(f, s)),
    };
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('describes the same engine for P1 and P2', async () => {
    const id = { name: 'wasmtime-py-harness', version: '49.0.0' };
    expect(await runner.describe()).toEqual({ p1: id, p2: id });
  });

  it('runs a core module as P1 and its component as P2', async () => {
    const file = path.join(fixtures, 'c-hello.wasm');
    const p1 = await runner.runModule(file, sandbox());
    expect(p1).toMatchObject({ phase: 'p1', exitCode: 0, timedOut: false, stdout: { text: 'hello from C\n' } });
    expect(p1.trap).toBeUndefined();
    const p2 = await runner.runComponent(await component(file), sandbox());
    expect(p2).toMatchObject({ phase: 'p2', exitCode: 0, stdout: { text: 'hello from C\n' } });
    expect(p2.command).toContain('-S');
  });

  it('passes args and --env only: the guest does not see HOME or anything else of ours', async () => {
    expect(process.env.HOME).toBeTruthy();
    const file = path.join(fixtures, 'c-args-env.wasm');
    const box = sandbox({ args: ['one', 'two words'], env: { FOO: 'bar' } });
    const expected = 'c-args-env.wasm\none\ntwo words\nFOO=bar\nHOME=(unset)\n';
    const p1 = await runner.runModule(file, box);
    expect(p1.stdout.text).toBe(expected);
    const p2 = await runner.runComponent(await component(file), box);
    expect(p2.stdout.text).toBe(expected);
    expect(p1.command).toEqual(expect.arrayContaining(['--env', 'FOO=bar', '--argv0', 'c-args-env.wasm']));
  });

  it('preopens a fresh copy of each directory per run (never the original)', async () => {
    const file = path.join(fixtures, 'c-read-file.wasm');
    const data = path.join(fixtures, 'data');
    const box = sandbox({ dirs: [{ host: data, guest: '/data' }] });
    const content = await readFile(path.join(data, 'input.txt'), 'utf8');
    const p1 = await runner.runModule(file, box);
    const p2 = await runner.runComponent(await component(file), box);
    for (const r of [p1, p2]) {
      expect(r).toMatchObject({ exitCode: 0, stdout: { text: content } });
      const dirArg = r.command![r.command!.indexOf('--dir') + 1]!;
      expect(dirArg.endsWith('::/data')).toBe(true);
      expect(dirArg.startsWith(`${data}::`)).toBe(false);
    }
    expect(p1.command![p1.command!.indexOf('--dir') + 1]).not.toBe(p2.command![p2.command!.indexOf('--dir') + 1]);
    // without the preopen the guest cannot reach the file
    const none = await runner.runModule(file, sandbox());
    expect(none.exitCode).toBe(2);
    expect(none.stderr.text).toContain('cannot open /data/input.txt');
  });

  it('feeds stdin from a file', async () => {
    const input = path.join(work, 'stdin.txt');
    await writeFile(input, 'echo me\nand me\n');
    const p1 = await runner.runModule(path.join(fixtures, 'c-stdin-echo.wasm'), sandbox({ stdinFile: input }));
    expect(p1.stdout.text).toBe('echo me\nand me\n');
    const empty = await runner.runModule(path.join(fixtures, 'c-stdin-echo.wasm'), sandbox());
    expect(empty).toMatchObject({ exitCode: 0, stdout: { text: '' } });
  });

  it('keeps the P1 exit code; P2 collapses it to 1 through the adapter', async () => {
    const file = path.join(fixtures, 'c-exit3.wasm');
    const p1 = await runner.runModule(file, sandbox());
    expect(p1).toMatchObject({ exitCode: 3, stdout: { text: 'exiting with status 3\n' } });
    expect(p1.trap).toBeUndefined();
    const p2 = await runner.runComponent(await component(file), sandbox());
    expect(p2).toMatchObject({ exitCode: 1, stdout: { text: 'exiting with status 3\n' } });
  });

  it('kills a guest that does not finish within the timeout', async () => {
    const started = Date.now();
    const r = await runner.runModule(path.join(fixtures, 'c-loop.wasm'), sandbox({ timeoutMs: 1500 }));
    expect(r).toMatchObject({ timedOut: true, exitCode: null });
    expect(r.trap).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('captures big output completely through files and keeps only the cap', async () => {
    const r = await runner.runModule(path.join(fixtures, 'c-big-output.wasm'), sandbox({ outputCapBytes: 1000 }));
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatchObject({ bytes: 204800, truncated: true });
    expect(Buffer.byteLength(r.stdout.text)).toBe(1000);
  });

  it('reports a guest trap from the engine text (P1 out of bounds)', async () => {
    const r = await runner.runModule(path.join(fixtures, 'c-oob-trap.wasm'), sandbox());
    expect(r.exitCode).toBe(134);
    expect(r.trap).toMatchObject({ kind: 'out-of-bounds', format: 'wasmtime-embedded' });
    expect(r.trap!.frames.map((f) => f.name)).toContain('__original_main');
  });

  it('seed: Go 1.24 runs as P1 and trips the adapter State canary as P2', async () => {
    const file = path.join(fixtures, 'go124-hello.wasm');
    const p1 = await runner.runModule(file, sandbox());
    expect(p1).toMatchObject({ exitCode: 0, stdout: { text: 'hello from Go\n' } });
    const p2 = await runner.runComponent(await component(file), sandbox());
    expect(p2.exitCode).toBe(134);
    expect(p2.stdout.text).toBe('');
    expect(p2.stderr.text).toContain('assertion failed at adapter line 2857');
    const trap = p2.trap!;
    // jco 1.35's bundled adapter numbers like wasmtime v46–v48: 2857 is the State magic1 check
    expect(trap.adapterLine).toMatchObject({ line: 2857, kind: 'assertion' });
    expect(trap.kind).toBe('unreachable');
    const names = trap.frames.map((f) => f.name);
    expect(names[0]).toMatch(/wasi_snapshot_preview1::macros::assert_fail$/);
    expect(names).toEqual(expect.arrayContaining(['args_sizes_get', 'runtime.args_sizes_get', 'runtime.goenvs', 'runtime.schedinit']));
  });

  it('cabi_realloc calling a WASI import: `cannot leave component instance`', async () => {
    const file = path.join(fixtures, 'wasmtime', 'realloc-calls-import.wasm');
    const p2 = await runner.runComponent(await component(file), sandbox());
    expect(p2.exitCode).toBe(134);
    expect(p2.stdout.text).toBe('calling get-arguments\n');
    expect(p2.trap).toMatchObject({ kind: 'cannot-leave-instance' });
    expect(p2.trap!.message).toMatch(/cannot leave component instance/);
    const names = p2.trap!.frames.map((f) => f.name);
    // the tell: cabi_realloc near the bottom, under the import call
    expect(names.indexOf('cabi_realloc')).toBeGreaterThan(names.indexOf('random_get'));
    // as P1 it cannot even link: the module imports a P2 function directly
    const p1 = await runner.runModule(file, sandbox());
    expect(p1.exitCode).not.toBe(0);
    expect(p1.trap).toBeDefined();
  });

  it('reports a binary that cannot start as a host error (the checker could not run it)', async () => {
    const broken = createWasmtimeRunner({ binary: path.join(work, 'no-wasmtime'), version: '49.0.0', workDir: path.join(work, 'runs') });
    const r = await broken.runModule(path.join(fixtures, 'c-hello.wasm'), sandbox());
    expect(r.hostError).toMatch(/cannot start wasmtime/);
    expect(r.harnessError).toBeUndefined();
    expect(r.exitCode).toBeNull();
  });

  it('leaves nothing of a run in the original preopen directory', async () => {
    const before = await readdir(path.join(fixtures, 'data'));
    await runner.runModule(
      path.join(fixtures, 'c-read-file.wasm'),
      sandbox({ dirs: [{ host: path.join(fixtures, 'data'), guest: '/data' }] }),
    );
    expect(await readdir(path.join(fixtures, 'data'))).toEqual(before);
  });
});

describe('wasmtimeRunArgs (flags by CLI version)', () => {
  const box = { args: ['a', '-b'], env: { K: 'v=w' }, dirs: [{ host: '/tmp/copy', guest: '/data' }] };

  it('uses --argv0 and -S cli-exit-with-code (P2) on current releases', () => {
    expect(wasmtimeRunArgs('49.0.7', 'p2', '/x/m.wasm', box)).toEqual({
      args: [
        'run',
        '-S',
        'cli-exit-with-code=y',
        '--dir',
        '/tmp/copy::/data',
        '--env',
        'K=v=w',
        '--argv0',
        'm.wasm',
        '/x/m.wasm',
        'a',
        '-b',
      ],
    });
    expect(wasmtimeRunArgs('49.0.7', 'p1', '/x/m.wasm', box).args).not.toContain('cli-exit-with-code=y');
  });

  it('drops flags older releases do not know', () => {
    // v26: no cli-exit-with-code (v27+); v23: no --argv0 (v24+) → run from the file's directory
    expect(wasmtimeRunArgs('26.0.1', 'p2', '/x/m.wasm', box).args).not.toContain('-S');
    expect(wasmtimeRunArgs('23.0.2', 'p1', '/x/m.wasm', box)).toEqual({
      args: ['run', '--dir', '/tmp/copy::/data', '--env', 'K=v=w', 'm.wasm', 'a', '-b'],
      cwd: '/x',
    });
    // v14–v16: components need -W component-model
    expect(wasmtimeRunArgs('16.0.0', 'p2', '/x/m.wasm', box).args.slice(0, 3)).toEqual(['run', '-W', 'component-model=y']);
    expect(() => wasmtimeRunArgs('13.0.0', 'p1', '/x/m.wasm', box)).toThrow(/too old/);
  });

  it('-S http for a component importing a wasi:http interface, and only then', () => {
    const http = { imports: ['wasi:io/streams@0.2.12', 'wasi:http/types@0.2.12'] };
    const sFlags = (a: string[]) => a.flatMap((x, i) => (a[i - 1] === '-S' ? [x] : []));
    expect(sFlags(wasmtimeRunArgs('49.0.7', 'p2', '/x/m.wasm', box, http).args)).toEqual(['cli-exit-with-code=y', 'http']);
    expect(sFlags(wasmtimeRunArgs('16.0.0', 'p2', '/x/m.wasm', box, http).args)).toEqual(['http']);
    expect(wasmtimeRunArgs('49.0.7', 'p2', '/x/m.wasm', box, { imports: ['wasi:cli/environment@0.2.12'] }).args).not.toContain('http');
    expect(wasmtimeRunArgs('49.0.7', 'p2', '/x/m.wasm', box).args).not.toContain('http');
    expect(wasmtimeRunArgs('49.0.7', 'p1', '/x/m.wasm', box, http).args).not.toContain('http');
  });
});
