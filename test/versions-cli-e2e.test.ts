/**
 * `wasm-p2-check versions` through the bundled CLI (what `npx wasm-p2-check` runs): real adapters of two releases from
 * the loopback mirror, the embedded runtime; the JSON report, the exit status, and a release that cannot be had.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VersionsReport } from '../src/model/versions.js';
import { type AdapterMirror, startAdapterMirror } from './adapter-mirror.js';
import { builtCli } from './build-once.js';

const root = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);
let mirror: AdapterMirror;
let home: string;
beforeAll(async () => {
  mirror = await startAdapterMirror(['17.0.0', '47.0.0']);
  home = await mkdtemp(path.join(tmpdir(), 'versions-e2e-'));
});
afterAll(async () => {
  await mirror.close();
  await rm(home, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: home };
  try {
    const { stdout, stderr } = await run(process.execPath, [builtCli, ...args], { cwd: root, env, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return e as { code: number; stdout: string; stderr: string };
  }
}

describe('wasm-p2-check versions (bundled CLI)', () => {
  it('checks each release, writes the JSON report, exits 0 when nothing breaks between releases', async () => {
    const json = path.join(home, 'versions.json');
    const r = await cli([
      'versions',
      '--runtime',
      'embedded',
      '--releases',
      '47.0.0,17.0.0',
      '--wasmtime-download-url',
      mirror.url,
      '-q',
      '--json',
      json,
      'examples/go124-hello.wasm',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 artifact × 2 wasmtime releases');
    const report = JSON.parse(await readFile(json, 'utf8')) as VersionsReport;
    expect(report).toMatchObject({ schemaVersion: 1, kind: 'versions', mode: 'matrix' });
    expect(report.releases.map((x) => x.version)).toEqual(['17.0.0', '47.0.0']);
    expect(report.artifacts[0]!.cells.map((c) => c.cause)).toEqual(['go-heap-clobbers-adapter-state', 'go-heap-clobbers-adapter-state']);
  });

  it('a release that cannot be had is a usage error (exit 2) naming it', async () => {
    const r = await cli([
      'versions',
      '--runtime',
      'embedded',
      '--releases',
      '17.0.0,26.0.0',
      '--wasmtime-download-url',
      mirror.url,
      '-q',
      'examples/c-hello.wasm',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--releases: a release cannot be had, nothing was run: 26\.0\.0 \(/);
  });
});
