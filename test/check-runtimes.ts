/**
 * For tests that run check() on guests assembled at test time: the runtimes to run it on — embedded, and the wasmtime
 * 49 engine harness (skipped, with the reason, when .venv has no wasmtime) — and a scratch folder holding the guests.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { CheckOptions } from '../src/options/index.js';
import { engineUnavailable, harness } from './harness/engine.js';
import { assemble } from './hostile/guest.js';

const root = path.resolve(import.meta.dirname, '..');

export interface CheckRuntime {
  name: string;
  options: Pick<CheckOptions, 'runtime'> & Partial<CheckOptions>;
  /** Why this runtime cannot run here (undefined: it can). */
  skip?: string;
}

export const CHECK_RUNTIMES: CheckRuntime[] = [
  { name: 'embedded', options: { runtime: 'embedded' } },
  {
    name: 'wasmtime',
    options: {
      runtime: 'wasmtime',
      wasmtime: { binary: harness },
      adapter: { kind: 'file', path: path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm') },
    },
    skip: engineUnavailable(),
  },
];

/** A scratch folder for the test file with each guest (file name → WAT) assembled into it; removed afterwards. */
export function useGuests(prefix: string, guests: Record<string, string>): { readonly dir: string } {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), prefix));
    for (const [name, wat] of Object.entries(guests)) await writeFile(path.join(dir, name), await assemble(wat, name));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
  };
}
