/**
 * Hostile guests against the sandbox, on both runtimes (embedded: node:wasi + preview2-shim; wasmtime: the wasmtime
 * 49 engine through the test harness) and in both phases (the P1 module and its P2 component).
 *
 * The guest (WAT, assembled at test time: test/hostile/guest.ts) gets one preopen and tries every route out of it:
 * reading and writing through `..` and absolute paths, creating its own symbolic links (absolute, relative with `..`,
 * to /proc) and hard links and going through them, and listing. A secret file sits next to the preopen folder;
 * nothing of it, of /proc or of /etc may reach the guest, and nothing outside the copy may change.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runner, RunResult, Sandbox } from '../src/model.js';
import { createEmbeddedRunner } from '../src/runtime/embedded/runner.js';
import { createWasmtimeRunner } from '../src/runtime/wasmtime/runner.js';
import { engineUnavailable, harness } from './harness/engine.js';
import { attackGuest, type AttackOp } from './hostile/guest.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'TOPSECRET-7f3a9c';
const skipEngine = engineUnavailable();

let work: string;
let dataDir: string;
let secretDir: string;
let adapter: Uint8Array;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-escape-'));
  dataDir = path.join(work, 'workspace', 'data');
  secretDir = path.join(work, 'secret');
  await mkdir(dataDir, { recursive: true });
  await mkdir(secretDir, { recursive: true });
  await writeFile(path.join(dataDir, 'inside.txt'), 'inside-content\n');
  await writeFile(path.join(secretDir, 'secret.txt'), `${SECRET}\n`);
  adapter = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Every route out of the preopen (mounted at /data) a guest can take on its own. */
function attacks(): AttackOp[] {
  const up = '../'.repeat(12);
  const secretRel = `${up}${secretDir.slice(1)}`;
  return [
    { op: 'read', path: 'inside.txt' },
    { op: 'read', path: `../secret/secret.txt` },
    { op: 'read', path: `${secretRel}/secret.txt` },
    { op: 'read', path: `${secretDir}/secret.txt` },
    { op: 'read', path: '/proc/self/environ' },
    { op: 'read', path: `${up}proc/self/environ` },
    { op: 'write', path: `${up}${work.slice(1)}/pwned.txt`, data: 'pwned' },
    { op: 'write', path: '../pwned.txt', data: 'pwned' },
    { op: 'symlink', target: secretDir, path: 'abs' },
    { op: 'read', path: 'abs/secret.txt' },
    { op: 'symlink', target: secretRel, path: 'rel' },
    { op: 'read', path: 'rel/secret.txt' },
    { op: 'symlink', target: '/proc', path: 'proc' },
    { op: 'read', path: 'proc/self/environ' },
    { op: 'symlink', target: '/', path: 'hostroot' },
    { op: 'write', path: `hostroot/${work.slice(1)}/pwned.txt`, data: 'pwned' },
    { op: 'symlink', target: '..', path: 'parent' },
    { op: 'read', path: 'parent/../secret/secret.txt' },
    { op: 'list', path: 'parent' },
    // A link that stays inside where it is made, but leads out once the OS resolves `..` after it: d1/d2/up -> ../..
    // is the preopen itself, so d1/d2/up/../secret is lexically inside and really the folder next to it.
    { op: 'mkdir', path: 'd1' },
    { op: 'mkdir', path: 'd1/d2' },
    { op: 'symlink', target: '../..', path: 'd1/d2/up' },
    { op: 'list', path: 'd1/d2/up' },
    { op: 'read', path: 'd1/d2/up/../secret/secret.txt' },
    { op: 'read', path: 'd1/d2/up/../../secret/secret.txt' },
    { op: 'read', path: `d1/d2/up/${up}proc/self/environ` },
    { op: 'link', oldPath: 'inside.txt', newPath: 'hard.txt' },
    { op: 'link', oldPath: `${up}${secretDir.slice(1)}/secret.txt`, newPath: 'hard-secret.txt' },
    { op: 'read', path: 'hard-secret.txt' },
    { op: 'write', path: 'own.txt', data: 'mine' },
    { op: 'read', path: 'own.txt' },
    { op: 'list' },
  ];
}

const sandbox = (): Sandbox => ({
  args: [],
  env: {},
  dirs: [{ host: dataDir, guest: '/data' }],
  timeoutMs: 30_000,
  outputCapBytes: 64 * 1024,
});

async function guestFiles(name: string): Promise<{ module: string; component: string }> {
  const dir = path.join(work, 'guests', name);
  await mkdir(dir, { recursive: true });
  const bytes = await attackGuest(attacks());
  const module = path.join(dir, 'attack.wasm');
  await writeFile(module, bytes);
  const component = path.join(dir, 'component', 'attack.wasm');
  await mkdir(path.dirname(component), { recursive: true });
  await writeFile(component, await componentNew(bytes, [['wasi_snapshot_preview1', adapter]]));
  return { module, component };
}

function expectContained(run: RunResult): void {
  const out = run.stdout.text;
  if (process.env.SHOW_ATTACKS) console.log(`${run.runtime.name} ${run.phase}\n${out}`);
  expect(run.hostError, out).toBeUndefined();
  expect(run.exitCode, `${out}\n${run.stderr.text}`).toBe(0);
  // The guest really ran its attacks: the first and last steps worked.
  expect(out).toMatch(/^read inside\.txt errno 0: inside-content/m);
  expect(out).toMatch(/^read own\.txt errno 0: mine/m);
  // (preview2-shim cannot list a preopen through the adapter: errno 8; the other hosts list it)
  expect(out).toMatch(/^list \. errno (8|.*inside\.txt.*0)$/m);
  // Nothing from outside the preopen reached it.
  expect(out).not.toContain(SECRET);
  expect(out).not.toMatch(/PATH=|HOME=|root:x:0/);
  for (const line of out.split('\n')) {
    if (/^read (?!inside\.txt|own\.txt)/.test(line)) expect(line, line).not.toMatch(/errno 0:/);
  }
  // Nothing outside the copy was written, and the original folder is untouched.
  expect(existsSync(path.join(work, 'pwned.txt'))).toBe(false);
  expect(existsSync(path.join(work, 'workspace', 'pwned.txt'))).toBe(false);
  expect(existsSync(path.join(dataDir, 'own.txt'))).toBe(false);
}

/** The embedded hosts give the guest no way to make links (node:wasi is not a security boundary). */
function expectNoLinks(run: RunResult): void {
  const lines = run.stdout.text.split('\n').filter((line) => /^(sym)?link /.test(line));
  expect(lines.length).toBeGreaterThan(5);
  for (const line of lines) expect(line).toMatch(/errno 63$/);
}

function runtimeSuite(name: string, makeRunner: () => Runner, guardsLinks = false): void {
  describe(name, () => {
    let runner: Runner;
    let files: { module: string; component: string };
    beforeAll(async () => {
      runner = makeRunner();
      files = await guestFiles(name);
    });
    it('P1: every route out of the preopen is closed', async () => {
      const run = await runner.runModule(files.module, sandbox());
      expectContained(run);
      if (guardsLinks) expectNoLinks(run);
    });
    it('P2: every route out of the preopen is closed', async () => {
      const run = await runner.runComponent(files.component, sandbox());
      expectContained(run);
      if (guardsLinks) expectNoLinks(run);
    });
  });
}

runtimeSuite('embedded runtime', () => createEmbeddedRunner({ workDir: path.join(work, 'runs-embedded') }), true);
describe.skipIf(skipEngine !== undefined)('wasmtime engine (test harness)', () => {
  runtimeSuite('wasmtime', () =>
    createWasmtimeRunner({
      binary: harness,
      version: '49.0.0',
      workDir: path.join(work, 'runs-wasmtime'),
      runtimeName: 'wasmtime-py-harness',
    }),
  );
});
