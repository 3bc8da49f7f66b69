/**
 * The P2 host starts preview2-shim's I/O thread only when a guest call needs it (runtime/embedded/lazy-worker.ts) and
 * serves stdin itself (p2-host.ts). Guests printing, reading stdin or sleeping behave as before; the host's status
 * file says whether the thread ran. Needs the built hosts (npm run build).
 */
import { readdir, readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult, Sandbox } from '../src/model.js';
import { createEmbeddedRunner } from '../src/runtime/embedded/runner.js';
import type { HostStatusFile } from '../src/runtime/embedded/host-protocol.js';
import { assemble } from './hostile/guest.js';
import { makeSandbox } from './report-factory.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'test', 'fixtures');
let work: string;
let adapter: Uint8Array;
let runs = 0;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-io-thread-'));
  adapter = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function componentOf(name: string, module: Uint8Array): Promise<string> {
  const file = path.join(work, `${name}.wasm`);
  await writeFile(file, await componentNew(module, [['wasi_snapshot_preview1', adapter]]));
  return file;
}

/** Runs a component with the files kept, and returns the result plus the host's status file. */
async function run(component: string, sandbox: Sandbox): Promise<{ result: RunResult; status: HostStatusFile }> {
  const workDir = path.join(work, `runs-${++runs}`);
  const result = await createEmbeddedRunner({ workDir, keepFiles: true }).runComponent(component, sandbox);
  const runDir = (await readdir(workDir)).find((d) => d.endsWith('-p2'))!;
  const status = JSON.parse(await readFile(path.join(workDir, runDir, 'status.json'), 'utf8')) as HostStatusFile;
  return { result, status };
}

/** poll_oneoff on a 1 ms monotonic clock, then prints whether it worked. */
const sleepWat = `(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 512) "slept\\n")
  (data (i32.const 520) "failed\\n")
  (func (export "_start")
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const 1000000))
    (i32.store (i32.const 256) (i32.const 520))
    (i32.store (i32.const 260) (i32.const 7))
    (if (i32.eqz (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))
      (then (if (i32.eq (i32.load (i32.const 128)) (i32.const 1))
        (then (i32.store (i32.const 256) (i32.const 512)) (i32.store (i32.const 260) (i32.const 6))))))
    (drop (call $fd_write (i32.const 1) (i32.const 256) (i32.const 1) (i32.const 300)))))`;

describe('embedded P2 host: the shim I/O thread only when needed', () => {
  it('a guest that prints runs without the I/O thread', async () => {
    const component = await componentOf('c-hello', await readFile(path.join(fixtures, 'c-hello.wasm')));
    const { result, status } = await run(component, makeSandbox());
    expect([result.exitCode, result.stdout.text, result.hostError]).toEqual([0, 'hello from C\n', undefined]);
    expect(status.ioThread).toBe(false);
  });

  it('stdin (a file, and empty) is read on the host thread, all of it, in order', async () => {
    const component = await componentOf('c-stdin-echo', await readFile(path.join(fixtures, 'c-stdin-echo.wasm')));
    const input = path.join(work, 'stdin.txt');
    // More than one read's worth (the host reads at most 64 KiB at a time).
    const text = Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n');
    await writeFile(input, text);
    const { result, status } = await run(component, makeSandbox({ stdinFile: input, outputCapBytes: 1024 * 1024 }));
    expect(result.exitCode).toBe(0);
    expect(result.stdout.text).toBe(text);
    expect(status.ioThread).toBe(false);

    const empty = await run(component, makeSandbox());
    expect(empty.result.exitCode).toBe(0);
    expect(empty.status.ioThread).toBe(false);
  });

  it('a guest that sleeps (poll_oneoff on a clock) starts the I/O thread and works', async () => {
    const component = await componentOf('sleep', await assemble(sleepWat));
    const { result, status } = await run(component, makeSandbox());
    expect([result.exitCode, result.stdout.text, result.hostError]).toEqual([0, 'slept\n', undefined]);
    expect(status.ioThread).toBe(true);
  });
});
