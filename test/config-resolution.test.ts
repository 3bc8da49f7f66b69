/**
 * Everything the configuration names (runtime, wasmtime, adapter) is resolved once, before any artifact runs.
 * What cannot be had is a configuration error (the report's `configurationError`, CLI exit 2) naming the option —
 * never an artifact's CONVERT-FAIL. `adapter: auto` whose release adapter cannot be downloaded falls back to the
 * bundled adapter with one warning; a downloaded adapter is cached so the next run works offline.
 *
 * No network: downloads go to 127.0.0.1 — a port nobody listens on (refused), or a local server.
 * TEST HARNESS: the wasmtime runtime is test/harness/wasmtime (the wasmtime 49 Python wheel); those tests are skipped,
 * with the reason printed, only when .venv has no wasmtime.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import type { CheckOptions, ProgressEvent } from '../src/options/index.js';
import { folderCache } from '../src/runtime/wasmtime/cache.js';
import { engineUnavailable, harness } from './harness/engine.js';

const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(root, 'test', 'fixtures');
const sandbox = { args: [], env: {}, dirs: [], timeoutMs: 60_000, outputCapBytes: 65_536 };
let work: string;
let refused: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-config-'));
  // A port that was just free: connecting to it is refused, like an offline runner's download.
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  refused = `http://127.0.0.1:${(s.address() as AddressInfo).port}/download`;
  await new Promise<void>((ok) => s.close(() => ok()));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function checkWith(
  options: Partial<CheckOptions>,
): Promise<{ report: Awaited<ReturnType<typeof check>>; artifactEvents: ProgressEvent[] }> {
  const events: ProgressEvent[] = [];
  const report = await check({
    patterns: ['c-hello.wasm'],
    cwd: fixtures,
    runtime: 'embedded',
    sandbox,
    onProgress: (e) => events.push(e),
    ...options,
  });
  return { report, artifactEvents: events.filter((e) => e.artifact) };
}

describe('configuration errors, before any artifact runs', () => {
  it('a missing adapter file is a configuration error naming `adapter`, not a CONVERT-FAIL', async () => {
    const { report, artifactEvents } = await checkWith({ adapter: { kind: 'file', path: path.join(work, 'nope.wasm') } });
    expect(report.configurationError).toMatchObject({ option: 'adapter' });
    expect(report.configurationError!.message).toMatch(/nope\.wasm: cannot read it/);
    expect(report.results).toEqual([]);
    expect(artifactEvents).toEqual([]);
  });

  it('an adapter release that cannot be downloaded is a configuration error naming `adapter`', async () => {
    const { report, artifactEvents } = await checkWith({
      adapter: { kind: 'release', version: '9.9.9' },
      wasmtime: { downloadBaseUrl: refused, cache: folderCache(path.join(work, 'cache-release')) },
    });
    expect(report.configurationError?.option).toBe('adapter');
    expect(report.configurationError!.message).toMatch(
      /adapter of wasmtime 9\.9\.9 cannot be had: downloading wasi_snapshot_preview1\.command\.wasm .* failed: ECONNREFUSED/,
    );
    expect(artifactEvents).toEqual([]);
  });

  it('runtime wasmtime that cannot be had is a configuration error naming the option', async () => {
    const cache = folderCache(path.join(work, 'cache-runtime'));
    const pinned = await checkWith({ runtime: 'wasmtime', wasmtime: { version: '9.9.9', downloadBaseUrl: refused, cache } });
    expect(pinned.report.configurationError).toMatchObject({ option: 'wasmtime-version' });
    expect(pinned.report.configurationError!.message).toMatch(
      /^wasmtime cannot be had: downloading wasmtime-v9\.9\.9-.* failed: ECONNREFUSED/,
    );
    const binary = await checkWith({ runtime: 'auto', wasmtime: { binary: path.join(work, 'no-wasmtime') } });
    expect(binary.report.configurationError).toMatchObject({ option: 'wasmtime' });
    expect([...pinned.artifactEvents, ...binary.artifactEvents]).toEqual([]);
  });

  it('a stdin file or preopen that cannot be given to the guest is a configuration error naming `stdin` / `dirs`', async () => {
    const stdin = await checkWith({ sandbox: { ...sandbox, stdinFile: path.join(work, 'no-such-stdin.txt') } });
    expect(stdin.report.configurationError).toMatchObject({ option: 'stdin' });
    expect(stdin.report.configurationError!.message).toMatch(/no-such-stdin\.txt/);
    const dirs = await checkWith({ sandbox: { ...sandbox, dirs: [{ host: path.join(work, 'no-such-dir'), guest: '/data' }] } });
    expect(dirs.report.configurationError).toMatchObject({ option: 'dirs' });
    expect([...stdin.artifactEvents, ...dirs.artifactEvents]).toEqual([]);
  });

  it('the CLI exits 2 naming the flag, and --json still gets the report saying so', async () => {
    const out = path.join(work, 'cli.json');
    const r = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'dist/cli.js'), '--runtime', 'embedded', '--adapter', 'nope.wasm', '--json', out, 'test/fixtures/c-hello.wasm'],
      { cwd: root },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`wasm-p2-check: --adapter: adapter ${path.join(root, 'nope.wasm')}: cannot read it`);
    expect(r.stderr).not.toMatch(/c-hello/); // nothing ran
    const report = JSON.parse(await readFile(out, 'utf8'));
    expect(report.configurationError.option).toBe('adapter');
    expect(report.results).toEqual([]);
  });
});

const skipReason = engineUnavailable();
if (skipReason) console.warn(`config-resolution (wasmtime): skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('adapter auto: offline fallback and the cache', () => {
  let server: Server;
  let base: string;
  let requests: string[];
  beforeAll(async () => {
    requests = [];
    const adapters = path.join(root, 'adapters');
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const m = /^\/download\/v49\.0\.0\/(wasi_snapshot_preview1\.(command|reactor)\.wasm)$/.exec(req.url ?? '');
      if (!m) {
        res.writeHead(404).end();
        return;
      }
      void readFile(path.join(adapters, m[1]!)).then((b) => res.writeHead(200, { 'content-length': b.length }).end(b));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/download`;
  });
  afterAll(async () => {
    await new Promise<void>((ok) => server.close(() => ok()));
  });

  it('offline: the bundled adapter, one warning, the artifact still checked', async () => {
    const messages: string[] = [];
    const report = await check({
      patterns: ['c-hello.wasm'],
      cwd: fixtures,
      runtime: 'wasmtime',
      wasmtime: { binary: harness, downloadBaseUrl: refused, cache: folderCache(path.join(work, 'cache-offline')) },
      sandbox,
      onProgress: (e) => e.message && messages.push(e.message),
    });
    expect(report.configurationError).toBeUndefined();
    expect(report.results[0]!.verdict).toBe('PASS');
    expect(report.results[0]!.conversion?.adapter?.source).toBe('bundled');
    expect(report.adapter).toMatchObject({ requested: 'auto', command: { source: 'bundled' } });
    const fallbacks = (report.warnings ?? []).filter((w) => w.code === 'adapter-fallback');
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]!.message).toMatch(
      /adapter of wasmtime 49\.0\.0 could not be had \(.*ECONNREFUSED.*\): converted with the bundled adapter/,
    );
    expect(messages.filter((m) => m.startsWith('warning: ') && /could not be had/.test(m))).toHaveLength(1);
  }, 120_000);

  it("online once: the runtime's release adapter is downloaded and cached; the next run works offline", async () => {
    const cache = folderCache(path.join(work, 'cache-online'));
    const first = await check({
      patterns: ['c-hello.wasm'],
      cwd: fixtures,
      runtime: 'wasmtime',
      wasmtime: { binary: harness, downloadBaseUrl: base, cache },
      sandbox,
    });
    expect(first.adapter).toMatchObject({
      command: { source: 'wasmtime-release', version: '49.0.0' },
      reactor: { source: 'wasmtime-release' },
    });
    expect(requests.sort()).toEqual([
      '/download/v49.0.0/wasi_snapshot_preview1.command.wasm',
      '/download/v49.0.0/wasi_snapshot_preview1.reactor.wasm',
    ]);
    const second = await check({
      patterns: ['c-hello.wasm'],
      cwd: fixtures,
      runtime: 'wasmtime',
      wasmtime: { binary: harness, downloadBaseUrl: refused, cache },
      sandbox,
    });
    expect(second.adapter?.command.source).toBe('wasmtime-release');
    expect(second.warnings ?? []).toEqual([]);
    expect(second.results[0]!.verdict).toBe('PASS');
  }, 120_000);
});
