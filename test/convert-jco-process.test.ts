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
import { componentNew, JcoProcessError, jcoProcessPid, transpileBytes } from '../src/convert/jco-process.js';
import { makeSandbox } from './report-factory.js';

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
