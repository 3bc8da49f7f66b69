/**
 * Hostile data behind what the configuration names: preopen folders with committed links (to /proc, absolute, `..`,
 * the folder itself), hard links, FIFOs and sockets; a preopen that is itself a link; stdin files that are links to
 * /proc, FIFOs or devices; artifacts that are links to /dev/zero, FIFOs or sparse giants. All made at test time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { link, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import type { Runner, Sandbox } from '../src/model.js';
import { createEmbeddedRunner } from '../src/runtime/embedded/runner.js';
import { copyPreopens } from '../src/runtime/process.js';
import { prepareSandbox } from '../src/runtime/sandbox.js';
import { readRegularFile, SandboxInputError } from '../src/guard/safe-fs.js';
import { createWasmtimeRunner } from '../src/runtime/wasmtime/runner.js';
import { engineUnavailable, harness } from './harness/engine.js';
import { attackGuest } from './hostile/guest.js';
import { makeSandbox } from './report-factory.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'test', 'fixtures');
const SECRET = 'TOPSECRET-41b2';
const skipEngine = engineUnavailable();

let work: string;
let ws: string; // the workspace (cwd)
let outside: string;
const servers: Server[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-inputs-'));
  ws = path.join(work, 'ws');
  outside = path.join(work, 'outside');
  await mkdir(ws, { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(outside, 'secret.txt'), `${SECRET}\n`);
});
afterAll(async () => {
  for (const s of servers) s.close();
  await rm(work, { recursive: true, force: true });
});

let n = 0;
/** A fresh preopen folder in the workspace with one good file and whatever `hostile` adds. */
async function folder(hostile?: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(ws, `data-${++n}`);
  await mkdir(dir);
  await writeFile(path.join(dir, 'good.txt'), 'good\n');
  await hostile?.(dir);
  return dir;
}

const sandbox = (over: Partial<Sandbox> = {}): Sandbox => makeSandbox({ timeoutMs: 20_000, ...over });
const prepare = (s: Partial<Sandbox>) => prepareSandbox(sandbox(s), ws, path.join(work, 'scratch'));
const dirAt = (host: string) => ({ dirs: [{ host, guest: '/data' }] });

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

describe('preopen folders: only regular files and folders from inside are carried', () => {
  const refused: [string, (dir: string) => Promise<void>, RegExp][] = [
    ['a link to /proc', (d) => symlink('/proc', path.join(d, 'proc')), /link .*proc points outside the granted folder/],
    ['a link to /proc/self/environ', (d) => symlink('/proc/self/environ', path.join(d, 'env')), /link .*env points outside/],
    ['an absolute link outside', (d) => symlink(path.join(outside, 'secret.txt'), path.join(d, 's')), /link .*s points outside/],
    ['a relative link with ..', (d) => symlink('../../outside', path.join(d, 'up')), /link .*up points outside/],
    ['a link to the folder itself', (d) => symlink('.', path.join(d, 'self')), /link .*self points to a folder/],
    ['a link to its parent', (d) => symlink('..', path.join(d, 'parent')), /link .*parent points outside/],
    ['a link to /dev/zero', (d) => symlink('/dev/zero', path.join(d, 'zero')), /link .*zero points outside/],
    ['a dangling link', (d) => symlink('nope', path.join(d, 'dangling')), /link .*dangling is dangling/],
    ['a FIFO', async (d) => mkfifo(path.join(d, 'fifo')), /fifo is a FIFO .*never carried/],
    ['a socket', (d) => listen(path.join(d, 'sock')), /sock is a socket/],
    [
      'a link deep inside a subfolder',
      async (d) => {
        await mkdir(path.join(d, 'a', 'b'), { recursive: true });
        await symlink('../../../../outside/secret.txt', path.join(d, 'a', 'b', 'deep'));
      },
      /link .*deep points outside/,
    ],
  ];
  for (const [what, make, message] of refused) {
    it(`refuses ${what}, naming it, before anything runs`, async () => {
      const dir = await folder(make);
      const error = await prepare(dirAt(dir)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxInputError);
      expect((error as Error).message).toMatch(message);
      // The runners' own per-run copies hold the same rule (defence in depth).
      await expect(copyPreopens([{ host: dir, guest: '/data' }], path.join(work, 'scratch'))).rejects.toThrow(message);
    });
  }

  it('carries a link to a file inside as a regular copy; hard links become independent copies', async () => {
    const dir = await folder(async (d) => {
      await symlink('good.txt', path.join(d, 'alias.txt'));
      await link(path.join(d, 'good.txt'), path.join(d, 'hard.txt'));
    });
    const prepared = await prepare(dirAt(dir));
    const copy = prepared.dirs[0]!.host;
    expect((await readdir(copy)).sort()).toEqual(['alias.txt', 'good.txt', 'hard.txt']);
    for (const name of ['alias.txt', 'good.txt', 'hard.txt']) {
      const st = statSync(path.join(copy, name), { bigint: false });
      expect(st.isFile()).toBe(true);
      expect(st.nlink).toBe(1);
      expect(await readFile(path.join(copy, name), 'utf8')).toBe('good\n');
    }
    await writeFile(path.join(copy, 'hard.txt'), 'changed');
    expect(await readFile(path.join(copy, 'good.txt'), 'utf8')).toBe('good\n');
    expect(await readFile(path.join(dir, 'hard.txt'), 'utf8')).toBe('good\n');
  });

  it('a granted folder that is a link inside the workspace is resolved once and copied, never linked', async () => {
    const real = await folder();
    const alias = path.join(ws, `alias-${n}`);
    await symlink(path.basename(real), alias);
    const prepared = await prepare(dirAt(alias));
    const copy = prepared.dirs[0]!.host;
    expect(statSync(copy).isDirectory()).toBe(true);
    expect((await import('node:fs')).lstatSync(copy).isSymbolicLink()).toBe(false);
    await writeFile(path.join(copy, 'new.txt'), 'x');
    expect(existsSync(path.join(real, 'new.txt'))).toBe(false);
  });

  for (const [what, target] of [
    ['/', '/'],
    ['/proc', '/proc'],
    ['a folder outside the workspace', '../outside'],
  ] as const) {
    it(`a granted folder that is a link to ${what} is refused`, async () => {
      const alias = path.join(ws, `evil-${++n}`);
      await symlink(target, alias);
      await expect(prepare(dirAt(alias))).rejects.toThrow(/preopen .*evil-\d+ (resolves to|is, or passes through, a symbolic link)/);
    });
  }

  it('the disk limit bounds the copy', async () => {
    const dir = await folder((d) => writeFile(path.join(d, 'big.bin'), Buffer.alloc(256 * 1024)));
    await expect(prepare({ ...dirAt(dir), maxDiskBytes: 128 * 1024 })).rejects.toThrow(/exceed the disk limit of 128 KiB/);
  });
});

async function listen(file: string): Promise<void> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(file, resolve));
}

describe('the stdin file', () => {
  const refused: [string, () => Promise<string>, RegExp][] = [
    ['a link to /proc/self/environ', async () => link2('/proc/self/environ'), /stdin file .* resolves to \/proc/],
    ['a link out of the workspace', async () => link2(path.join(outside, 'secret.txt')), /outside the workspace/],
    [
      'a FIFO',
      async () => {
        const f = path.join(ws, `fifo-${++n}`);
        mkfifo(f);
        return f;
      },
      /is a FIFO/,
    ],
    ['/dev/zero', async () => '/dev/zero', /resolves to \/dev\/zero/],
    ['a folder', async () => folder(), /is a folder/],
  ];
  for (const [what, make, message] of refused) {
    it(`refuses ${what} before anything runs`, async () => {
      const file = await make();
      await expect(prepare({ stdinFile: file })).rejects.toThrow(message);
    });
  }
  it('is size-capped', async () => {
    const file = path.join(ws, 'big-stdin');
    await writeFile(file, Buffer.alloc(2048));
    await expect(prepare({ stdinFile: file, maxStdinBytes: 1024 })).rejects.toThrow(/larger than the limit of 1 KiB/);
  });
  it('a link to a regular file inside the workspace is followed and handed over as a copy', async () => {
    await writeFile(path.join(ws, 'input.txt'), 'hello stdin');
    const alias = path.join(ws, 'stdin-alias');
    await symlink('input.txt', alias);
    const prepared = await prepare({ stdinFile: 'stdin-alias' });
    expect(prepared.stdinFile).not.toBe(alias);
    expect(await readFile(prepared.stdinFile!, 'utf8')).toBe('hello stdin');
  });
});

async function link2(target: string): Promise<string> {
  const file = path.join(ws, `stdin-link-${++n}`);
  await symlink(target, file);
  return file;
}

describe('artifacts', () => {
  it('readRegularFile refuses FIFOs and devices without reading, and caps the size', async () => {
    const fifo = path.join(ws, `a-fifo-${++n}.wasm`);
    mkfifo(fifo);
    await expect(readRegularFile(fifo, 1024, 'artifact')).rejects.toThrow(/is a FIFO/);
    await expect(readRegularFile('/dev/zero', 1024, 'artifact')).rejects.toThrow(/\/dev\/zero/);
  });

  it('check(): a link to /dev/zero, a FIFO and a sparse giant are INVALID-INPUT naming the file and the limit', async () => {
    const dir = path.join(ws, 'artifacts');
    await mkdir(dir);
    await symlink('/dev/zero', path.join(dir, 'zero.wasm'));
    mkfifo(path.join(dir, 'fifo.wasm'));
    execFileSync('truncate', ['-s', '1G', path.join(dir, 'sparse.wasm')]);
    const report = await check({
      // a link is not matched by a glob (discover/): named literally, as a configuration would
      patterns: ['artifacts/*.wasm', 'artifacts/fifo.wasm', 'artifacts/zero.wasm'],
      cwd: ws,
      runtime: 'embedded',
      sandbox: sandbox(),
      workDir: path.join(work, 'check-artifacts'),
    });
    const byName = Object.fromEntries(report.results.map((r) => [path.basename(r.artifact.path), r]));
    expect(Object.keys(byName).sort()).toEqual(['fifo.wasm', 'sparse.wasm', 'zero.wasm']);
    for (const r of report.results) expect(r.verdict).toBe('INVALID-INPUT');
    expect(byName['zero.wasm']!.artifact.error).toMatch(/\/dev\/zero/);
    expect(byName['fifo.wasm']!.artifact.error).toMatch(/FIFO/);
    expect(byName['sparse.wasm']!.artifact.error).toMatch(/1073741824 bytes, larger than the limit of 512 MiB/);
  });

  it('the artifact size limit is configurable', async () => {
    const report = await check({
      patterns: [path.join(fixtures, 'c-hello.wasm')],
      cwd: ws,
      runtime: 'embedded',
      sandbox: sandbox(),
      maxArtifactBytes: 1024,
      workDir: path.join(work, 'check-cap'),
    });
    expect(report.results[0]!.verdict).toBe('INVALID-INPUT');
    expect(report.results[0]!.artifact.error).toMatch(/larger than the limit of 1 KiB/);
  });
});

describe('a committed link to the secret never reaches a guest (runner level, both runtimes, both phases)', () => {
  const runners: [string, () => Runner, boolean][] = [
    ['embedded', () => createEmbeddedRunner({ workDir: path.join(work, 'runs-e') }), false],
    [
      'wasmtime',
      () =>
        createWasmtimeRunner({
          binary: harness,
          version: '49.0.0',
          workDir: path.join(work, 'runs-w'),
          runtimeName: 'wasmtime-py-harness',
        }),
      skipEngine !== undefined,
    ],
  ];
  for (const [name, make, skip] of runners) {
    it.skipIf(skip)(`${name}: the run is refused with a host error and the guest never runs`, async () => {
      const dir = await folder((d) => symlink(outside, path.join(d, 'escape')));
      const guest = await attackGuest([
        { op: 'read', path: 'escape/secret.txt' },
        { op: 'list', path: 'escape' },
      ]);
      const module = path.join(work, `${name}-guest.wasm`);
      await writeFile(module, guest);
      const adapter = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
      const component = path.join(work, `${name}-component`, 'guest.wasm');
      await mkdir(path.dirname(component), { recursive: true });
      await writeFile(component, await componentNew(guest, [['wasi_snapshot_preview1', adapter]]));
      const runner = make();
      for (const run of [await runner.runModule(module, sandbox(dirAt(dir))), await runner.runComponent(component, sandbox(dirAt(dir)))]) {
        expect(run.hostError).toMatch(/symbolic link .*escape points outside the granted folder/);
        expect(run.exitCode).toBeNull();
        expect(run.stdout.text).not.toContain(SECRET);
      }
    });
  }
});

describe('host errors are reported, never a silent pass', () => {
  it('embedded: a host that cannot start (missing node binary) is a hostError', async () => {
    const runner = createEmbeddedRunner({ workDir: path.join(work, 'runs-nonode'), nodeBinary: path.join(work, 'no-such-node') });
    const run = await runner.runModule(path.join(fixtures, 'c-hello.wasm'), sandbox());
    expect(run.hostError).toMatch(/cannot start the embedded host/);
  });
  it('embedded: a missing stdin file is a hostError, in both phases', async () => {
    const runner = createEmbeddedRunner({ workDir: path.join(work, 'runs-nostdin') });
    const s = sandbox({ stdinFile: path.join(work, 'missing-stdin.txt') });
    const p1 = await runner.runModule(path.join(fixtures, 'c-hello.wasm'), s);
    const p2 = await runner.runComponent(path.join(fixtures, 'c-hello.component.wasm'), s);
    for (const run of [p1, p2]) {
      expect(run.hostError).toMatch(/missing-stdin\.txt/);
      expect(run.exitCode).toBeNull();
    }
  });
  it('embedded: a host that dies before the guest starts is a hostError', async () => {
    // A node that exits at once: the host script never runs.
    const fake = path.join(work, 'fake-node.sh');
    await writeFile(fake, '#!/bin/sh\necho "host broke" >&2\nexit 70\n', { mode: 0o755 });
    const runner = createEmbeddedRunner({ workDir: path.join(work, 'runs-fake'), nodeBinary: fake });
    const run = await runner.runModule(path.join(fixtures, 'c-hello.wasm'), sandbox());
    expect(run.hostError).toMatch(/exited with code 70 before the guest started: host broke/);
  });
});
