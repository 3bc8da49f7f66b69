/**
 * What the hostile tests share: the two runtimes every guest is tried on (embedded, and the wasmtime 49 engine
 * harness, skipped where the engine is not installed), a guest as its P1 module and P2 component, and whether a
 * process still lives.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';
import type { Runner } from '../../src/model.js';
import { createEmbeddedRunner } from '../../src/runtime/embedded/runner.js';
import { createWasmtimeRunner } from '../../src/runtime/wasmtime/runner.js';
import { root } from '../action/harness.js';
import { engineUnavailable, harness } from '../harness/engine.js';

/** [name, make a runner working in `workDir`, skip] for each runtime. */
export const RUNTIMES: [string, (workDir: string) => Runner, boolean][] = [
  ['embedded', (workDir) => createEmbeddedRunner({ workDir }), false],
  [
    'wasmtime',
    (workDir) => createWasmtimeRunner({ binary: harness, version: '49.0.0', workDir, runtimeName: 'wasmtime-py-harness' }),
    engineUnavailable() !== undefined,
  ],
];

/** Writes `bytes` as a P1 module and, converted with the bundled adapter, as its P2 component (same base name). */
export async function guestFiles(bytes: Uint8Array, dir: string, name = 'guest.wasm'): Promise<{ module: string; component: string }> {
  await mkdir(path.join(dir, 'p2'), { recursive: true });
  const module = path.join(dir, name);
  const component = path.join(dir, 'p2', name);
  await writeFile(module, bytes);
  const adapter = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
  await writeFile(component, await componentNew(bytes, [['wasi_snapshot_preview1', adapter]]));
  return { module, component };
}

/** The process is there and not a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
