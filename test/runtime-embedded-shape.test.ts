/**
 * The embedded runtime transpiles once per component shape (src/runtime/embedded/shape.ts): artifacts with the same
 * imports and exports but other code share jco's JS, and each still runs its own core modules.
 * Needs the built hosts (npm run build).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEmbeddedRunner } from '../src/runtime/embedded/runner.js';
import { componentShape } from '../src/runtime/embedded/shape.js';
import { assemble } from './hostile/guest.js';
import { makeSandbox } from './report-factory.js';

// Counts real transpiles (the real function runs; only calls are counted).
const transpiles = vi.hoisted(() => ({ count: 0 }));
vi.mock('../src/convert/jco-process.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/convert/jco-process.js')>();
  return {
    ...real,
    transpileToDir: (...args: Parameters<typeof real.transpileToDir>) => {
      transpiles.count++;
      return real.transpileToDir(...args);
    },
  };
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let work: string;
let adapter: Uint8Array;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-shape-'));
  adapter = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A WASI command printing `text` and exiting with `code`; `extra` adds to the module (e.g. another export). */
function commandWat(text: string, code: number, extra = ''): string {
  const bytes = [...new TextEncoder().encode(`${text}\n`)].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "${bytes}")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const ${text.length + 1}))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 32)))
    (call $proc_exit (i32.const ${code})))
  ${extra})`;
}

async function component(name: string, wat: string): Promise<{ file: string; bytes: Uint8Array }> {
  const bytes = await componentNew(await assemble(wat), [['wasi_snapshot_preview1', adapter]]);
  const file = path.join(work, `${name}.wasm`);
  await writeFile(file, bytes);
  return { file, bytes };
}

describe('embedded runtime: one transpile per component shape', () => {
  it('two artifacts of one shape with other code are transpiled once and give their own results', async () => {
    // Same imports and exports; other data, other code (an extra no-op function), other exit code.
    const one = await component('one', commandWat('one', 0));
    const two = await component('two', commandWat('second program', 7, '(func $unused (result i32) (i32.const 42))'));
    expect(componentShape(one.bytes)?.key).toBeDefined();
    expect(componentShape(one.bytes)?.key).toBe(componentShape(two.bytes)?.key);

    const runner = createEmbeddedRunner({ workDir: path.join(work, 'runs') });
    transpiles.count = 0;
    const a = await runner.runComponent(one.file, makeSandbox());
    const b = await runner.runComponent(two.file, makeSandbox());
    const c = await runner.runComponent(one.file, makeSandbox());
    expect(transpiles.count).toBe(1);
    expect([a.exitCode, a.stdout.text]).toEqual([0, 'one\n']);
    // proc_exit(7) through the adapter is wasi:cli/exit's error: status 1 under P2.
    expect([b.exitCode, b.stdout.text]).toEqual([1, 'second program\n']);
    expect([c.exitCode, c.stdout.text]).toEqual([0, 'one\n']);
    for (const r of [a, b, c]) expect(r.hostError ?? r.harnessError).toBeUndefined();
  });

  it('another export, or another type for an export, is another shape (transpiled on its own)', async () => {
    const base = await component('base', commandWat('x', 0));
    const extraExport = await component('extra', commandWat('x', 0, '(func (export "extra"))'));
    const otherType = await component('typed', commandWat('x', 0, '(func (export "extra") (param i32))'));
    const keys = [base, extraExport, otherType].map((c) => componentShape(c.bytes)?.key);
    expect(new Set(keys).size).toBe(3);

    const runner = createEmbeddedRunner({ workDir: path.join(work, 'runs2') });
    transpiles.count = 0;
    for (const c of [base, extraExport, otherType]) {
      const r = await runner.runComponent(c.file, makeSandbox());
      expect([r.exitCode, r.stdout.text]).toEqual([0, 'x\n']);
    }
    expect(transpiles.count).toBe(3);
  });

  it('a component it cannot read has no shape (it is transpiled on its own, as before)', () => {
    expect(componentShape(new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 1, 0xff]))).toBeUndefined();
  });
});
