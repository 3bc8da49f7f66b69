/**
 * Getting wasmtime and its adapter, for real (the CLI's fetch + cache folder, and the Action's @actions/tool-cache),
 * against a local HTTP server on 127.0.0.1 that serves release-shaped archives (built here with `tar -cJf`) and a
 * releases API.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { wasmtimeReleaseAdapter } from '../src/runtime/wasmtime/adapter.js';
import { folderCache, type ReleaseCache } from '../src/runtime/wasmtime/cache.js';
import { resolveWasmtime } from '../src/runtime/wasmtime/install.js';
import { type FileServer, serveFiles } from './file-server.js';
import {
  DEFAULT_WASMTIME_VERSION,
  archiveDirName,
  cliFeatures,
  normalizeVersion,
  parseVersionOutput,
  releaseTarget,
} from '../src/runtime/wasmtime/release.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = releaseTarget();

let work: string;
let server: FileServer;
let base: string;
let requests: string[] = [];
const assets = new Map<string, Buffer>();
let latestTag = 'v41.0.0';

function fakeWasmtimeScript(printedVersion: string): string {
  return `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "wasmtime ${printedVersion} (fake release for tests)"; exit 0; fi\nexit 64\n`;
}

/** A release-shaped archive: wasmtime-v{V}-{arch}-{os}/wasmtime (+ LICENSE), as ci/build-tarballs.sh lays it out. */
async function publishRelease(version: string, printedVersion = version): Promise<string> {
  const dirName = archiveDirName(version, target);
  const src = await mkdtemp(path.join(work, 'src-'));
  await mkdir(path.join(src, dirName));
  await writeFile(path.join(src, dirName, 'wasmtime'), fakeWasmtimeScript(printedVersion));
  await chmod(path.join(src, dirName, 'wasmtime'), 0o755);
  await writeFile(path.join(src, dirName, 'LICENSE'), 'Apache-2.0 WITH LLVM-exception\n');
  const archive = path.join(src, `${dirName}.tar.xz`);
  execFileSync('tar', ['-cJf', archive, '-C', src, dirName]);
  assets.set(`/download/v${version}/${dirName}.tar.xz`, await readFile(archive));
  return `/download/v${version}/${dirName}.tar.xz`;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-wasmtime-install-'));
  server = await serveFiles(assets, (url, res) => {
    if (url !== '/api/repos/bytecodealliance/wasmtime/releases/latest') return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ tag_name: latestTag, name: latestTag }));
    return true;
  });
  base = server.url;
  requests = server.requests;
});

afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

let cacheDir: string;
let cache: ReleaseCache;
beforeEach(async () => {
  requests.length = 0;
  // A fresh cache folder per test.
  cacheDir = path.join(await mkdtemp(path.join(work, 'user-')), 'cache');
  cache = folderCache(cacheDir);
});

describe('resolveWasmtime: download into the cache', () => {
  it('downloads the release archive from {base}/v{V}/, extracts, verifies, caches; the second run is a cache hit', async () => {
    const assetPath = await publishRelease('40.0.2');
    const logs: string[] = [];
    const opts = { version: 'v40.0.2', downloadBaseUrl: `${base}/download`, searchPath: '', log: (m: string) => logs.push(m), cache };

    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let stdoutCalls = -1;
    let stderrText = '';
    const first = await resolveWasmtime(opts).finally(() => {
      stdoutCalls = stdout.mock.calls.length;
      stderrText = stderr.mock.calls.map((c) => String(c[0])).join('');
      stdout.mockRestore();
      stderr.mockRestore();
    });
    // The CLI's cache prints nothing (no ::debug::, no [command]tar, no "Waiting N seconds"): stdout is the report's.
    expect(stdoutCalls).toBe(0);
    expect(stderrText).toBe('');
    expect(requests).toEqual([assetPath]);
    expect(assetPath).toBe(`/download/v40.0.2/wasmtime-v40.0.2-${target.arch}-${target.os}.tar.xz`);
    expect(first).toMatchObject({ version: '40.0.2', source: 'download', runtimeName: 'wasmtime' });
    expect(first.binary).toBe(path.join(cacheDir, 'wasmtime', '40.0.2', target.arch, 'wasmtime'));
    expect(execFileSync(first.binary, ['--version'], { encoding: 'utf8' })).toContain('wasmtime 40.0.2');
    expect(logs.join('\n')).toContain(`${base}/download${assetPath.slice('/download'.length)}`);
    expect(logs.at(-1)).toMatch(/using wasmtime 40\.0\.2/);

    const second = await resolveWasmtime(opts);
    expect(second).toMatchObject({ binary: first.binary, version: '40.0.2', source: 'cache' });
    expect(requests).toHaveLength(1); // the server saw one request in all
  });

  it('a missing release asset is a clear error naming the version, asset and URL', async () => {
    const asset = `wasmtime-v9.9.9-${target.arch}-${target.os}.tar.xz`;
    const err = await resolveWasmtime({ version: '9.9.9', downloadBaseUrl: `${base}/download`, searchPath: '', cache }).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`wasmtime v9.9.9 has no asset ${asset} at ${base}/download/v9.9.9/${asset} (HTTP 404)`);
    expect(requests).toEqual([`/download/v9.9.9/${asset}`]); // 404 is not retried
  });

  it('refuses an archive whose binary reports another version (and caches nothing)', async () => {
    await publishRelease('40.0.3', '39.0.0');
    await expect(resolveWasmtime({ version: '40.0.3', downloadBaseUrl: `${base}/download`, searchPath: '', cache })).rejects.toThrow(
      /reports version 39\.0\.0 .*expected 40\.0\.3/,
    );
    await expect(
      resolveWasmtime({ version: '40.0.3', downloadBaseUrl: `${base}/download`, searchPath: '', offline: true, cache }),
    ).rejects.toThrow(/offline/);
  });

  it("'latest' resolves through the releases API (tag_name), then downloads that release", async () => {
    latestTag = 'v41.0.0';
    const assetPath = await publishRelease('41.0.0');
    const r = await resolveWasmtime({
      version: 'latest',
      apiBaseUrl: `${base}/api`,
      downloadBaseUrl: `${base}/download`,
      searchPath: '',
      cache,
    });
    expect(r).toMatchObject({ version: '41.0.0', source: 'download' });
    expect(requests).toEqual(['/api/repos/bytecodealliance/wasmtime/releases/latest', assetPath]);
  });

  it('a failing releases API is a clear error naming the URL', async () => {
    await expect(
      resolveWasmtime({ version: 'latest', apiBaseUrl: `${base}/nope`, downloadBaseUrl: `${base}/download`, searchPath: '', cache }),
    ).rejects.toThrow(
      `cannot resolve the latest wasmtime release: GET ${base}/nope/repos/bytecodealliance/wasmtime/releases/latest answered HTTP 404`,
    );
  });

  it('offline with no version asked for takes the newest cached release', async () => {
    await publishRelease('40.0.5');
    await publishRelease('40.0.6');
    for (const v of ['40.0.5', '40.0.6']) await resolveWasmtime({ version: v, downloadBaseUrl: `${base}/download`, searchPath: '', cache });
    requests.length = 0;
    for (const version of [undefined, 'latest']) {
      const r = await resolveWasmtime({
        version,
        downloadBaseUrl: `${base}/download`,
        apiBaseUrl: `${base}/api`,
        searchPath: '',
        offline: true,
        cache,
      });
      expect(r).toMatchObject({ version: '40.0.6', source: 'cache' });
    }
    expect(requests).toEqual([]);
  });

  it('offline (runtime auto) never downloads', async () => {
    await expect(
      resolveWasmtime({ version: '40.0.2', downloadBaseUrl: `${base}/download`, searchPath: '', offline: true, cache }),
    ).rejects.toThrow(/not downloading \(offline\)/);
    expect(requests).toEqual([]);
  });
});

describe("the Action's cache: the runner's tool cache", () => {
  it('downloads into RUNNER_TEMP and caches in the tool-cache layout ({tool}/{version}/{arch} + {arch}.complete); a second run is a cache hit', async () => {
    const toolCache = path.join(cacheDir, 'runner-tool-cache');
    const runnerTemp = path.join(cacheDir, 'runner-temp');
    const actionCache = folderCache(toolCache, { tempDir: runnerTemp });
    const assetPath = await publishRelease('40.0.7');
    const opts = { version: '40.0.7', downloadBaseUrl: `${base}/download`, searchPath: '', cache: actionCache };
    const first = await resolveWasmtime(opts);
    expect(first).toMatchObject({ version: '40.0.7', source: 'download' });
    expect(first.binary).toBe(path.join(toolCache, 'wasmtime', '40.0.7', target.arch, 'wasmtime'));
    expect(existsSync(path.join(toolCache, 'wasmtime', '40.0.7', `${target.arch}.complete`))).toBe(true);
    expect(await resolveWasmtime(opts)).toMatchObject({ binary: first.binary, source: 'cache' });
    expect(requests).toEqual([assetPath]);
    const missing = await resolveWasmtime({ ...opts, version: '9.9.8' }).catch((e: Error) => e.message);
    expect(missing).toMatch(/wasmtime v9\.9\.8 has no asset .* \(HTTP 404\)/);
  });
});

describe('resolveWasmtime: explicit binary and PATH', () => {
  let pathDir: string;
  beforeAll(async () => {
    pathDir = await mkdtemp(path.join(work, 'path-'));
    await writeFile(path.join(pathDir, 'wasmtime'), fakeWasmtimeScript('38.0.4'));
    await chmod(path.join(pathDir, 'wasmtime'), 0o755);
  });

  it('uses a wasmtime on PATH when no version is requested, or when it matches', async () => {
    for (const version of [undefined, '38.0.4']) {
      const r = await resolveWasmtime({
        version,
        searchPath: `/nonexistent${path.delimiter}${pathDir}`,
        downloadBaseUrl: `${base}/download`,
        cache,
      });
      expect(r).toMatchObject({ binary: path.join(pathDir, 'wasmtime'), version: '38.0.4', source: 'path' });
    }
    expect(requests).toEqual([]);
  });

  it('does not use a PATH wasmtime of another version', async () => {
    const logs: string[] = [];
    const assetPath = await publishRelease('40.0.4');
    const r = await resolveWasmtime({
      version: '40.0.4',
      searchPath: pathDir,
      downloadBaseUrl: `${base}/download`,
      log: (m) => logs.push(m),
      cache,
    });
    expect(r).toMatchObject({ version: '40.0.4', source: 'download' });
    expect(requests).toEqual([assetPath]);
    expect(logs.join('\n')).toMatch(/wasmtime 38\.0\.4 on PATH .* does not match the requested 40\.0\.4/);
  });

  it('an explicit binary wins and is not re-checked against PATH or the network', async () => {
    const r = await resolveWasmtime({ binary: path.join(pathDir, 'wasmtime'), version: '40.0.4', searchPath: '', cache });
    expect(r).toMatchObject({ version: '38.0.4', source: 'explicit' });
    await expect(resolveWasmtime({ binary: path.join(pathDir, 'missing') })).rejects.toThrow(/does not run or prints no version/);
  });
});

describe('wasmtimeReleaseAdapter', () => {
  it('downloads wasi_snapshot_preview1.{kind}.wasm of the same release and caches it', async () => {
    const command = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
    const reactor = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.reactor.wasm'));
    assets.set('/download/v48.0.0/wasi_snapshot_preview1.command.wasm', command);
    assets.set('/download/v48.0.0/wasi_snapshot_preview1.reactor.wasm', reactor);
    const opts = { downloadBaseUrl: `${base}/download`, cache };

    const a = await wasmtimeReleaseAdapter('v48.0.0', 'command', opts);
    expect(requests).toEqual(['/download/v48.0.0/wasi_snapshot_preview1.command.wasm']);
    expect(a.info).toMatchObject({
      kind: 'command',
      source: 'wasmtime-release',
      name: 'wasi_snapshot_preview1.command.wasm',
      version: '48.0.0',
      sha256: createHash('sha256').update(command).digest('hex'),
      wasiVersion: '0.2.12',
      path: a.path,
    });
    expect(Buffer.from(a.bytes).equals(command)).toBe(true);
    expect(a.path.startsWith(cacheDir)).toBe(true);

    const again = await wasmtimeReleaseAdapter('48.0.0', 'command', opts);
    expect(again.path).toBe(a.path);
    expect(requests).toHaveLength(1);

    const r = await wasmtimeReleaseAdapter('48.0.0', 'reactor', opts);
    expect(r.info).toMatchObject({ kind: 'reactor', sha256: createHash('sha256').update(reactor).digest('hex') });
    expect(requests).toHaveLength(2);
    // the command adapter is still cached next to it
    expect((await wasmtimeReleaseAdapter('48.0.0', 'command', opts)).path).toBe(a.path);
    expect(requests).toHaveLength(2);
  });

  it('a release without the adapter is a clear error', async () => {
    await expect(wasmtimeReleaseAdapter('9.9.9', 'command', { downloadBaseUrl: `${base}/download`, cache })).rejects.toThrow(
      `wasmtime v9.9.9 has no asset wasi_snapshot_preview1.command.wasm at ${base}/download/v9.9.9/wasi_snapshot_preview1.command.wasm (HTTP 404)`,
    );
  });

  it('refuses a file that is not a core wasm module', async () => {
    assets.set('/download/v47.0.0/wasi_snapshot_preview1.command.wasm', Buffer.from('<html>not found</html>'));
    await expect(wasmtimeReleaseAdapter('47.0.0', 'command', { downloadBaseUrl: `${base}/download`, cache })).rejects.toThrow(
      /not a core wasm module/,
    );
  });
});

describe('release facts', () => {
  it('names assets per platform', () => {
    expect(archiveDirName('49.0.7', releaseTarget('linux', 'x64'))).toBe('wasmtime-v49.0.7-x86_64-linux');
    expect(archiveDirName('49.0.7', releaseTarget('darwin', 'arm64'))).toBe('wasmtime-v49.0.7-aarch64-macos');
    expect(releaseTarget('linux', 'arm64')).toEqual({ arch: 'aarch64', os: 'linux', ext: 'tar.xz' });
    expect(releaseTarget('win32', 'x64')).toEqual({ arch: 'x86_64', os: 'windows', ext: 'zip' });
    expect(() => releaseTarget('win32', 'arm64')).toThrow(/no wasmtime release archive/);
    expect(() => releaseTarget('freebsd', 'x64')).toThrow(/no wasmtime release archive/);
  });

  it('normalizes and parses versions', () => {
    expect(normalizeVersion('v49.0.0')).toBe('49.0.0');
    expect(() => normalizeVersion('49')).toThrow(/not a release version/);
    expect(parseVersionOutput('wasmtime 49.0.0 (17830bd 2026-09-21)')).toBe('49.0.0');
    expect(parseVersionOutput('wasmtime-cli 6.0.1')).toBe('6.0.1');
    expect(parseVersionOutput('wasmtime 49.0.0 (python-wheel test harness)')).toBe('49.0.0');
    expect(normalizeVersion(DEFAULT_WASMTIME_VERSION)).toBe(DEFAULT_WASMTIME_VERSION);
  });

  it('knows which flags each release has', () => {
    expect(cliFeatures('27.0.0').cliExitWithCode).toBe(true);
    expect(cliFeatures('26.0.1').cliExitWithCode).toBe(false);
    expect(cliFeatures('24.0.0').argv0).toBe(true);
    expect(cliFeatures('23.0.0').argv0).toBe(false);
    expect(cliFeatures('17.0.0').componentModelFlag).toBe(false);
    expect(cliFeatures('16.0.0').componentModelFlag).toBe(true);
    expect(cliFeatures('13.0.1').supported).toBe(false);
  });
});
