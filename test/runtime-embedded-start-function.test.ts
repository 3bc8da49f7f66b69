/**
 * A module's start function runs inside WebAssembly.instantiate, before wasi.start(): node:wasi's proc_exit there
 * throws a private symbol nobody catches, and the embedded P1 host reported a host error (exit 70, "Symbol(kExitCode)").
 * The checker then called the P2 failure PRE-EXISTING ("a bug in the program itself", exit status 0 under the default
 * fail-on) where wasmtime's P1 run exits 7 and the component traps: a REGRESSION. A trap in a start function is the
 * guest's trap, not a load failure (harnessError). Guests assembled from WAT (test/hostile/guest.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAP_EXIT_CODE } from '../src/runtime/embedded/host-protocol.js';
import { createEmbeddedRunner } from '../src/runtime/embedded/runner.js';
import { assemble } from './hostile/guest.js';
import { makeSandbox } from './report-factory.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-start-fn-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function guest(name: string, startBody: string, mainBody = ''): Promise<string> {
  const wat = `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $init ${startBody})
  (start $init)
  (func (export "_start") ${mainBody}))`;
  const file = path.join(work, `${name}.wasm`);
  await writeFile(file, await assemble(wat));
  return file;
}

describe('embedded P1 host: the start function is guest code', () => {
  it('proc_exit(7) in the start function is exit 7, as under wasmtime', async () => {
    const result = await createEmbeddedRunner({ workDir: path.join(work, 'runs') }).runModule(
      await guest('exit7', '(call $exit (i32.const 7))'),
      makeSandbox({ timeoutMs: 10_000 }),
    );
    expect([result.exitCode, result.hostError, result.trap]).toEqual([7, undefined, undefined]);
  });

  it('a trap in the start function is a trap, as one in _start is (not a load failure)', async () => {
    const runner = createEmbeddedRunner({ workDir: path.join(work, 'runs') });
    const inStart = await runner.runModule(await guest('trap', 'unreachable'), makeSandbox({ timeoutMs: 10_000 }));
    const inMain = await runner.runModule(await guest('trap-main', '', 'unreachable'), makeSandbox({ timeoutMs: 10_000 }));
    expect([inStart.exitCode, inStart.harnessError, inStart.hostError]).toEqual([TRAP_EXIT_CODE, undefined, undefined]);
    expect([inMain.exitCode, inMain.harnessError]).toEqual([inStart.exitCode, inStart.harnessError]);
    expect(inStart.stderr.text).toMatch(/RuntimeError: unreachable/);
  });
});
