/**
 * The copy bomb: a preopen folder a pull request fills with tens of thousands of (empty) files. Every run gets a
 * fresh copy, so before, 50,000 empty files cost minutes per artifact (237 s for two artifacts on this machine under
 * load), outside any limit. Now the entries are counted in one scan before anything is copied (`max-entries`,
 * default 10,000), every run's copy counts them again as it goes, and a run's copy must finish within the run's time
 * limit (else the run is not carried out: ERROR, never a verdict about the guest).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import type { Sandbox } from '../../src/model.js';
import { DEFAULT_LIMITS } from '../../src/guard/limits.js';
import { copyPreopens } from '../../src/runtime/process.js';
import { CopyTimeError, SandboxInputError } from '../../src/guard/safe-fs.js';
import { prepareSandbox } from '../../src/runtime/sandbox.js';
import { root } from '../action/harness.js';
import { builtCli } from '../build-once.js';
import { engineUnavailable } from '../harness/engine.js';
import { makeSandbox } from '../report-factory.js';
import { guestFiles, RUNTIMES } from './runners.js';

const fixtures = path.join(root, 'test', 'fixtures');
const _skipEngine = engineUnavailable();
let work: string;
let ws: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-copy-bomb-'));
  ws = path.join(work, 'ws');
  await mkdir(ws);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

let n = 0;
/** A folder in the workspace holding `files` empty files spread over `folders` subfolders (which count too). */
async function bomb(files: number, folders = 0): Promise<string> {
  const dir = path.join(ws, `bomb-${++n}`);
  await mkdir(dir);
  for (let f = 0; f < folders; f++) await mkdir(path.join(dir, `d${f}`));
  for (let i = 0; i < files; i++) {
    const where = folders > 0 ? path.join(dir, `d${i % folders}`) : dir;
    await writeFile(path.join(where, `f${i}`), '');
  }
  return dir;
}

const sandbox = (over: Partial<Sandbox> = {}): Sandbox => makeSandbox({ timeoutMs: 20_000, ...over });

describe('the entry limit is checked once, before anything is copied', () => {
  it('has a default', () => {
    expect(DEFAULT_LIMITS.entries).toBe(10_000);
  });

  it('prepareSandbox: all the folders together, counted before the first copy; the error names the option', async () => {
    // 6 + 5 entries (folders count: 2 subfolders + 4 files, then 5 files) against a limit of 10
    const a = await bomb(4, 2);
    const b = await bomb(5);
    const scratch = path.join(work, `scratch-${++n}`);
    const refused = prepareSandbox(sandbox({ dirs: [a, b].map((host, i) => ({ host, guest: `/d${i}` })), maxEntries: 10 }), ws, scratch);
    await expect(refused).rejects.toThrow(SandboxInputError);
    await expect(refused).rejects.toThrow(/past the limit of 10 entries .*option max-entries/);
    await expect(refused).rejects.toMatchObject({ option: 'dirs' });
    // nothing was copied: the snapshot folder holds no copy of either preopen
    const [snapshot] = await readdir(scratch);
    expect(await readdir(path.join(scratch, snapshot!))).toEqual([]);
    // at the limit exactly, both are taken
    const ok = await prepareSandbox(sandbox({ dirs: [a, b].map((host, i) => ({ host, guest: `/d${i}` })), maxEntries: 11 }), ws, scratch);
    expect(await readdir(ok.dirs[0]!.host)).toEqual(['d0', 'd1']);
    expect((await readdir(ok.dirs[1]!.host)).length).toBe(5);
  });

  it('check(): a configuration error naming the input and the option; nothing runs', async () => {
    const dir = await bomb(30);
    await mkdir(path.join(ws, 'build'), { recursive: true });
    await copyFile(path.join(fixtures, 'c-hello.wasm'), path.join(ws, 'build', 'c-hello.wasm'));
    const report = await check({
      patterns: ['build/*.wasm'],
      cwd: ws,
      runtime: 'embedded',
      sandbox: sandbox({ dirs: [{ host: dir, guest: '/data' }], maxEntries: 20 }),
      workDir: path.join(work, `check-${++n}`),
    });
    expect(report.configurationError?.option).toBe('dirs');
    expect(report.configurationError?.message).toMatch(/past the limit of 20 entries .*max-entries/);
    expect(report.results).toEqual([]);
  });

  it('CLI: --max-entries, exit 2 naming the folder and the option', async () => {
    const dir = await bomb(12);
    await mkdir(path.join(ws, 'build'), { recursive: true });
    await copyFile(path.join(fixtures, 'c-hello.wasm'), path.join(ws, 'build', 'c-hello.wasm'));
    const cli = (args: string[]) =>
      promisify(execFile)(process.execPath, [builtCli, '--runtime', 'embedded', '--no-cache', ...args], {
        cwd: ws,
      }).then(
        (ok) => ({ code: 0, ...ok }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const refused = await cli(['--max-entries', '10', '--dir', `${path.basename(dir)}::/data`, 'build/*.wasm']);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(
      new RegExp(`--dir: preopen \\S*${path.basename(dir)} takes the preopen folders past the limit of 10 entries`),
    );
    const bad = await cli(['--max-entries', '0', 'build/*.wasm']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-entries/);
  }, 60_000);
});

describe('each run copies within its limits (both runtimes, both phases)', () => {
  let module: string;
  let component: string;
  beforeAll(async () => {
    ({ module, component } = await guestFiles(
      await readFile(path.join(fixtures, 'c-hello.wasm')),
      path.join(work, 'guest'),
      'c-hello.wasm',
    ));
  });

  for (const [name, make, skip] of RUNTIMES) {
    it.skipIf(skip)(`${name}: a folder over the entry limit is not copied for the run (runners given a raw folder)`, async () => {
      const dir = await bomb(15);
      const runner = make(path.join(work, `runs-${name}`));
      const s = sandbox({ dirs: [{ host: dir, guest: '/data' }], maxEntries: 10 });
      for (const run of [await runner.runModule(module, s), await runner.runComponent(component, s)]) {
        expect(run.hostError, run.phase).toMatch(/past the limit of 10 entries/);
        expect(run.exitCode).toBeNull();
      }
    });

    it.skipIf(skip)(`${name}: a copy that outlasts the run's time limit stops there; the run is not carried out`, async () => {
      const dir = await bomb(2000, 10);
      const runner = make(path.join(work, `runs-${name}`));
      // No copy of 2,010 entries finishes within 5 ms; the guest would take longer than that too.
      const s = sandbox({ dirs: [{ host: dir, guest: '/data' }], timeoutMs: 5 });
      for (const run of [await runner.runModule(module, s), await runner.runComponent(component, s)]) {
        expect(run.hostError, run.phase).toMatch(/copying the preopen folders for this run took longer than its time limit of 0.005 s/);
        expect(run.limit).toMatchObject({ kind: 'time', value: 5 });
        expect(run.exitCode).toBeNull();
      }
    });
  }

  it('copyPreopens stops at the deadline, with the error that says so', async () => {
    const dir = await bomb(500);
    const copy = copyPreopens(
      [{ host: dir, guest: '/data' }],
      path.join(work, `copy-${++n}`),
      { diskBytes: 1024 ** 3, entries: 10_000 },
      1,
    );
    await expect(copy).rejects.toThrow(CopyTimeError);
    // without a time limit, the same copy completes
    const [done] = await copyPreopens([{ host: dir, guest: '/data' }], path.join(work, `copy-${++n}`));
    expect((await readdir(done!.host)).length).toBe(500);
    expect(existsSync(path.join(done!.host, 'f499'))).toBe(true);
  });
});
