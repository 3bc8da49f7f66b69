/**
 * The wasmtime runtime keeps compiled code between runs (src/runtime/wasmtime/compiled-cache.ts): a second run of the
 * same file takes it from the cache; an entry whose content no longer has its recorded sha256 is ignored and
 * replaced; a cache folder others can write to is not used. Driven through the wasmtime 49 engine harness.
 */
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWasmtimeRunner } from '../src/runtime/wasmtime/runner.js';
import { engineUnavailable, harness } from './harness/engine.js';
import { makeSandbox } from './report-factory.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'test', 'fixtures');
const skipEngine = engineUnavailable();
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-compiled-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const runnerWith = (compileCacheDir: string, name: string) =>
  createWasmtimeRunner({
    binary: harness,
    version: '49.0.0',
    workDir: path.join(work, `runs-${name}`),
    runtimeName: 'wasmtime-py-harness',
    compileCacheDir,
  });

const entries = async (dir: string, ext: string) => (await readdir(dir).catch(() => [])).filter((f) => f.endsWith(ext));

/** Puts c-exit3's compiled code, with its correct sum, in `dir` under the name `entry` (another file's key). */
async function plantExit3(dir: string, entry: string, name: string): Promise<void> {
  const other = path.join(work, `cache-${name}`);
  await runnerWith(other, name).runModule(path.join(fixtures, 'c-exit3.wasm'), makeSandbox());
  const [otherEntry] = await entries(other, '.cwasm');
  const sum = (file: string) => file.replace(/\.cwasm$/, '.sha256');
  await writeFile(path.join(dir, entry), await readFile(path.join(other, otherEntry!)));
  await writeFile(path.join(dir, sum(entry)), await readFile(path.join(other, sum(otherEntry!))));
}

describe.skipIf(skipEngine !== undefined)('wasmtime runtime: compiled code kept between runs', () => {
  it('the second run of a file uses the cached code (a planted entry shows it), each phase its own entry', async () => {
    const dir = path.join(work, 'cache-a');
    const runner = runnerWith(dir, 'a');
    const hello = path.join(fixtures, 'c-hello.wasm');
    const first = await runner.runModule(hello, makeSandbox());
    expect([first.exitCode, first.stdout.text]).toEqual([0, 'hello from C\n']);
    const [entry] = await entries(dir, '.cwasm');
    expect(entry).toBeDefined();

    // Put c-exit3's compiled code under c-hello's key, with its correct sum: a run that takes it proves the hit path.
    await plantExit3(dir, entry!, 'b');
    const planted = await runner.runModule(hello, makeSandbox());
    expect(planted.exitCode).toBe(3);

    // P2 (a component) is another entry.
    const component = path.join(fixtures, 'c-hello.component.wasm');
    const p2 = await runner.runComponent(component, makeSandbox());
    expect([p2.exitCode, p2.stdout.text]).toEqual([0, 'hello from C\n']);
    expect(await entries(dir, '.cwasm')).toHaveLength(2);
  });

  it("an entry whose content changed is ignored and replaced: the run is the file's own", async () => {
    const dir = path.join(work, 'cache-c');
    const runner = runnerWith(dir, 'c');
    const hello = path.join(fixtures, 'c-hello.wasm');
    await runner.runModule(hello, makeSandbox());
    const [entry] = await entries(dir, '.cwasm');
    const good = await readFile(path.join(dir, entry!));
    await writeFile(path.join(dir, entry!), good.subarray(0, good.length >> 1)); // truncated
    const run = await runner.runModule(hello, makeSandbox());
    expect([run.exitCode, run.stdout.text, run.hostError]).toEqual([0, 'hello from C\n', undefined]);
    expect(Buffer.compare(await readFile(path.join(dir, entry!)), good)).toBe(0);
  });

  it.skipIf(process.platform === 'win32')('a cache folder others can write to is neither read nor written', async () => {
    const dir = path.join(work, 'cache-d');
    const runner = runnerWith(dir, 'd');
    await runner.runModule(path.join(fixtures, 'c-hello.wasm'), makeSandbox()); // creates it, private
    const [entry] = await entries(dir, '.cwasm');
    await chmod(dir, 0o777);
    // A fresh runner (each checks the folder once): a planted entry would run c-exit3; the folder is ignored instead.
    await plantExit3(dir, entry!, 'e');
    const run = await runnerWith(dir, 'd2').runModule(path.join(fixtures, 'c-hello.wasm'), makeSandbox());
    expect([run.exitCode, run.stdout.text]).toEqual([0, 'hello from C\n']);
    await runnerWith(dir, 'd3').runModule(path.join(fixtures, 'c-args-env.wasm'), makeSandbox());
    expect(await entries(dir, '.cwasm')).toHaveLength(1);
  });
});
