/**
 * jco runs in one converter process beside the checker (src/convert/jco-process.ts): conversion errors are still
 * the artifact's, the process failing is the checker's (never a CONVERT-FAIL), and a check leaves no process behind.
 * Needs the built jco-server.js (test/build-once.ts).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { bundledAdapter, convertModule } from '../src/convert/index.js';
import {
  componentNew,
  JcoLimitError,
  JcoProcessError,
  jcoProcessPid,
  retireAfterInput,
  transpileBytes,
} from '../src/convert/jco-process.js';
import { compare } from '../src/compare/index.js';
import { MODULE_HEADER, section, str, uleb, vec } from './inspect-wasm-builder.js';
import { makeArtifact, makeSandbox } from './report-factory.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'test', 'fixtures');
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-jco-process-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the jco converter process', () => {
  it('a conversion error is the conversion result, as jco gave it', async () => {
    const adapter = await bundledAdapter('command');
    const result = await convertModule(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0xff]), adapter, path.join(work, 'bad.wasm'));
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/\S/);
  });

  it('runs jco on V8 flags that keep its memory down (--liftoff-only) and still converts and transpiles', async () => {
    const module = await readFile(path.join(fixtures, 'go124-hello.wasm'));
    const adapter = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
    const component = await componentNew(module, [['wasi_snapshot_preview1', adapter]]);
    const cmdline = (await readFile(`/proc/${jcoProcessPid()!}/cmdline`, 'utf8')).split('\0');
    expect(cmdline).toContain('--liftoff-only');
    const out = await transpileBytes(component, { name: 'component', instantiation: 'async' });
    expect(Object.keys(out.files)).toContain('component.js');
  });

  it("the process killed mid-request fails that request as the checker's problem; the next request starts a new one", async () => {
    const module = await readFile(path.join(fixtures, 'go124-hello.wasm'));
    const adapter = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
    const component = await componentNew(module, [['wasi_snapshot_preview1', adapter]]);
    const first = jcoProcessPid()!;
    const request = transpileBytes(component, { name: 'component', instantiation: 'async' });
    process.kill(first, 'SIGKILL');
    await expect(request).rejects.toBeInstanceOf(JcoProcessError);
    await expect(request).rejects.toThrow(/jco converter process was killed by SIGKILL/);
    const again = await transpileBytes(component, { name: 'component', instantiation: 'async' });
    expect(Object.keys(again.files)).toContain('component.js');
    expect(jcoProcessPid()).not.toBe(first);
  });

  it('check() ends the process it used: none is left running after it', async () => {
    const seen = new Set<number>();
    const report = await check({
      patterns: [path.join(fixtures, 'c-hello.wasm'), path.join(fixtures, 'rust-hello.wasm')],
      cwd: root,
      runtime: 'embedded',
      sandbox: makeSandbox(),
      workDir: path.join(work, 'check'),
      onProgress: () => {
        const pid = jcoProcessPid();
        if (pid !== undefined) seen.add(pid);
      },
    });
    expect(report.results.map((r) => r.verdict)).toEqual(['PASS', 'PASS']);
    expect(seen.size).toBeGreaterThan(0);
    expect(jcoProcessPid()).toBeUndefined();
    for (const pid of seen) expect(alive(pid), `converter process ${pid}`).toBe(false);
  });
});

/**
 * A module with thousands of duplicate imports: wit-component's time grows with their square (measured: 1,000 in
 * 0.7 s, 3,000 in 3 s, 10,000 in 30 s, 20,000 in 151 s). Before (issue 17), conversion had no limit at all.
 */
function duplicateImports(n: number): Uint8Array {
  const one = Buffer.from([...str('wasi_snapshot_preview1'), ...str('sched_yield'), 0x00, 0x01]);
  const imports = Buffer.concat([Buffer.from(uleb(n)), ...Array.from({ length: n }, () => one)]);
  return Buffer.concat([
    Buffer.from([
      ...MODULE_HEADER,
      ...section(
        1,
        vec([
          [0x60, 0x00, 0x00],
          [0x60, 0x00, 0x01, 0x7f],
        ]),
      ),
    ]),
    Buffer.from([2, ...uleb(imports.length)]),
    imports,
    Buffer.from([
      ...section(3, vec([[0x00]])),
      ...section(5, vec([[0x00, 0x01]])),
      ...section(
        7,
        vec([
          [...str('memory'), 0x02, 0x00],
          [...str('_start'), 0x00, ...uleb(n)],
        ]),
      ),
      ...section(10, vec([[0x02, 0x00, 0x0b]])),
    ]),
  ]);
}

describe('the converter under limits', () => {
  it('a slow conversion past its time limit is ERROR naming the limit, and the converter is replaced', async () => {
    const adapter = await bundledAdapter('command');
    const hello = new Uint8Array(await readFile(path.join(fixtures, 'c-hello.wasm')));
    await convertModule(hello, adapter, path.join(work, 'warm.wasm'));
    const before = jcoProcessPid()!;
    const started = performance.now();
    const slow = await convertModule(duplicateImports(5_000), adapter, path.join(work, 'slow.wasm'), { timeMs: 500, memoryBytes: 2 ** 40 });
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(slow).toMatchObject({ ok: false, limit: { kind: 'time', value: 500 } });
    expect(slow.checkerError).toMatch(/time limit of 0\.5 s for converting the module \(componentNew\) reached/);
    expect(slow.error).toBeUndefined();
    for (let i = 0; i < 50 && alive(before); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(before)).toBe(false);
    const verdict = compare(makeArtifact('slow.wasm'), undefined, slow, undefined);
    expect(verdict.verdict).toBe('ERROR');
    expect(verdict.notes.map((n) => n.message).join(' ')).toMatch(/time limit of 0\.5 s/);
    // The next artifact gets a new converter.
    const next = await convertModule(hello, adapter, path.join(work, 'next.wasm'), { timeMs: 60_000, memoryBytes: 2 ** 40 });
    expect(next.ok).toBe(true);
    expect(jcoProcessPid()).not.toBe(before);
  });

  it("a conversion past its memory limit (the converter's resident memory) is ERROR naming the limit", async () => {
    const adapter = await bundledAdapter('command');
    const module = new Uint8Array(await readFile(path.join(fixtures, 'go124-hello.wasm')));
    const result = await convertModule(module, adapter, path.join(work, 'big.wasm'), { timeMs: 60_000, memoryBytes: 16 * 1024 * 1024 });
    expect(result).toMatchObject({ ok: false, limit: { kind: 'memory', value: 16 * 1024 * 1024 } });
    expect(result.checkerError).toMatch(/memory limit of 16 MiB for converting the module/);
  });

  it('a transpile past its time limit fails as a limit, and requests waiting behind it are asked again', async () => {
    const module = await readFile(path.join(fixtures, 'go124-hello.wasm'));
    const adapter = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
    const component = await componentNew(module, [['wasi_snapshot_preview1', adapter]]);
    const slow = transpileBytes(component, { name: 'component', instantiation: 'async' }, { timeMs: 1, memoryBytes: 2 ** 40 });
    const waiting = transpileBytes(component, { name: 'component', instantiation: 'async' }, { timeMs: 60_000, memoryBytes: 2 ** 40 });
    await expect(slow).rejects.toBeInstanceOf(JcoLimitError);
    await expect(slow).rejects.toThrow(/time limit of 0\.001 s for transpiling the component/);
    expect(Object.keys((await waiting).files)).toContain('component.js');
  });
});

describe('the converter after a large input', () => {
  it('is retired once idle (wasm memories never shrink) and the next request gets a fresh one; the component is written by it', async () => {
    const adapter = await bundledAdapter('command');
    const hello = new Uint8Array(await readFile(path.join(fixtures, 'c-hello.wasm')));
    await convertModule(hello, adapter, path.join(work, 'small.wasm'));
    const first = jcoProcessPid()!;
    retireAfterInput(hello.length - 1);
    try {
      const out = path.join(work, 'large.wasm');
      const result = await convertModule(hello, adapter, out);
      expect(result.ok).toBe(true);
      expect((await readFile(out)).subarray(0, 8)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 0x01, 0]));
      for (let i = 0; i < 50 && alive(first); i++) await new Promise((r) => setTimeout(r, 50));
      expect(alive(first)).toBe(false);
      expect(jcoProcessPid()).toBeUndefined();
    } finally {
      retireAfterInput(64 * 1024 * 1024);
    }
    expect((await convertModule(hello, adapter, path.join(work, 'again.wasm'))).ok).toBe(true);
    expect(jcoProcessPid()).not.toBe(first);
  });
});
