/**
 * Getting a wasmtime CLI: an explicit binary, a matching one on PATH, the release cache, or a download of the release
 * archive into it. The cache (and how it downloads) is injected: the runner's tool cache in the Action, a user cache
 * folder with `fetch` in the CLI (see cache.ts). Nothing here touches process-wide state.
 */
import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import type { WasmtimeOptions } from '../../options/index.js';
import { minimalHostEnv } from '../../guard/env.js';
import { DownloadError, folderCache, type ReleaseCache } from './cache.js';
import { verifyAsset } from './download.js';
import {
  DEFAULT_API_BASE_URL,
  DEFAULT_DOWNLOAD_BASE_URL,
  DEFAULT_WASMTIME_VERSION,
  archiveDirName,
  normalizeVersion,
  parseVersionOutput,
  releaseAssetUrl,
  releaseTarget,
} from './release.js';

export interface ResolveWasmtimeOptions extends WasmtimeOptions {
  log?: (msg: string) => void;
  /** Never download (runtime `auto`): use an explicit binary, PATH or the tool cache only. */
  offline?: boolean;
  /** Release target override (tests); default: this machine. */
  platform?: NodeJS.Platform;
  arch?: string;
}

export interface ResolvedWasmtime {
  binary: string;
  version: string;
  source: 'explicit' | 'path' | 'cache' | 'download';
  /** What `--version` printed. */
  versionText: string;
  /** RuntimeId name: 'wasmtime', or 'wasmtime-py-harness' for the test harness. */
  runtimeName: string;
}

const TOOL = 'wasmtime';

/** Runs `binary --version`; the version and text, or undefined when it does not run or prints no version. */
export async function probeVersion(binary: string): Promise<{ version: string; text: string } | undefined> {
  // Loaded here (execa and its signal tables): a run on the embedded runtime never starts a tool.
  const { execa } = await import('execa');
  const r = await execa(binary, ['--version'], {
    env: minimalHostEnv(),
    extendEnv: false,
    reject: false,
    timeout: 30_000,
    stdin: 'ignore',
  });
  if (r.failed || r.exitCode !== 0) return undefined;
  const text = String(r.stdout).trim();
  const version = parseVersionOutput(text);
  return version ? { version, text } : undefined;
}

function runtimeNameFor(versionText: string): string {
  return /test harness/i.test(versionText) ? 'wasmtime-py-harness' : 'wasmtime';
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First `wasmtime` on the search path. */
export async function findOnPath(searchPath: string | undefined): Promise<string | undefined> {
  const exe = process.platform === 'win32' ? 'wasmtime.exe' : 'wasmtime';
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, exe);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** `latest` → the tag of the latest release, from the GitHub API. */
export async function resolveLatestVersion(opts: { apiBaseUrl?: string; token?: string }): Promise<string> {
  const url = `${(opts.apiBaseUrl ?? DEFAULT_API_BASE_URL).replace(/\/+$/, '')}/repos/bytecodealliance/wasmtime/releases/latest`;
  const headers: Record<string, string> = { accept: 'application/vnd.github+json', 'user-agent': 'wasm-p2-check' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    throw new Error(`cannot resolve the latest wasmtime release: GET ${url} failed (${(e as Error).message})`);
  }
  if (!response.ok) {
    throw new Error(`cannot resolve the latest wasmtime release: GET ${url} answered HTTP ${response.status}`);
  }
  const body = (await response.json()) as { tag_name?: unknown };
  if (typeof body.tag_name !== 'string') {
    throw new Error(`cannot resolve the latest wasmtime release: GET ${url} returned no tag_name`);
  }
  return normalizeVersion(body.tag_name);
}

/**
 * Download a release asset into a temporary file and verify its sha256 (download.ts: pinned, or recorded on first
 * use), turning failures into messages that name the URL and version.
 */
export async function downloadReleaseAsset(
  cache: ReleaseCache,
  url: string,
  version: string,
  asset: string,
  log: (message: string) => void = () => undefined,
): Promise<string> {
  let file: string;
  try {
    file = await cache.download(url);
  } catch (e) {
    if (e instanceof DownloadError && e.status === 404) {
      throw new Error(`wasmtime v${version} has no asset ${asset} at ${url} (HTTP 404)`);
    }
    throw new Error(`downloading ${asset} of wasmtime v${version} from ${url} failed: ${(e as Error).message}`);
  }
  const store = cache.recorded && cache.record ? { recorded: cache.recorded.bind(cache), record: cache.record.bind(cache) } : undefined;
  await verifyAsset(file, { version, asset, url }, store, log);
  return file;
}

async function verified(binary: string, version: string, where: string): Promise<{ version: string; text: string }> {
  const probe = await probeVersion(binary);
  if (!probe) throw new Error(`${where}: ${binary} does not run or prints no version with --version`);
  if (probe.version !== version) {
    throw new Error(`${where}: ${binary} reports version ${probe.version} (${probe.text}), expected ${version}`);
  }
  return probe;
}

/**
 * Find or install the wasmtime CLI. Order: explicit `binary`; a `wasmtime` on PATH whose version matches the requested
 * one (any version when none is requested); the tool cache; a download of `wasmtime-v{V}-{arch}-{os}.tar.xz` (.zip on
 * Windows) from `{downloadBaseUrl}/v{V}/`. Prints the version used through `log`.
 */
export async function resolveWasmtime(opts: ResolveWasmtimeOptions): Promise<ResolvedWasmtime> {
  const log = opts.log ?? (() => {});
  const requested = opts.version?.trim() || undefined;
  let want = requested && requested !== 'latest' ? normalizeVersion(requested) : undefined;

  if (opts.binary) {
    const probe = await probeVersion(opts.binary);
    if (!probe) throw new Error(`wasmtime binary ${opts.binary} does not run or prints no version with --version`);
    if (want && probe.version !== want) {
      log(`note: ${opts.binary} is wasmtime ${probe.version}, not the requested ${want}; using it as given`);
    }
    log(`using wasmtime ${probe.version} (explicit: ${opts.binary})`);
    return {
      binary: opts.binary,
      version: probe.version,
      source: 'explicit',
      versionText: probe.text,
      runtimeName: runtimeNameFor(probe.text),
    };
  }

  if (requested === 'latest' && !opts.offline) {
    want = await resolveLatestVersion(opts);
    log(`latest wasmtime release: ${want}`);
  }

  const onPath = await findOnPath(opts.searchPath ?? process.env.PATH);
  if (onPath) {
    const probe = await probeVersion(onPath);
    if (probe && (!want || probe.version === want)) {
      log(`using wasmtime ${probe.version} (PATH: ${onPath})`);
      return { binary: onPath, version: probe.version, source: 'path', versionText: probe.text, runtimeName: runtimeNameFor(probe.text) };
    }
    if (probe) log(`wasmtime ${probe.version} on PATH (${onPath}) does not match the requested ${want}`);
  }

  const target = releaseTarget(opts.platform, opts.arch);
  const exe = target.os === 'windows' ? 'wasmtime.exe' : 'wasmtime';
  const cache = opts.cache ?? folderCache();
  // Offline with no particular release asked for (none, or 'latest' that cannot be resolved): the newest cached one.
  const newestCached = !want && opts.offline ? (await cache.versions(TOOL, target.arch)).sort(semver.rcompare)[0] : undefined;
  const version = want ?? newestCached ?? DEFAULT_WASMTIME_VERSION;

  const cached = await cache.find(TOOL, version, target.arch);
  if (cached) {
    const binary = path.join(cached, exe);
    const probe = await verified(binary, version, `cached wasmtime v${version}`);
    log(`using wasmtime ${version} (cache: ${binary})`);
    return { binary, version, source: 'cache', versionText: probe.text, runtimeName: runtimeNameFor(probe.text) };
  }
  if (opts.offline) {
    throw new Error(`no wasmtime ${want ?? ''} on PATH or in ${cache.where}, and not downloading (offline)`.replace('  ', ' '));
  }

  const dirName = archiveDirName(version, target);
  const asset = `${dirName}.${target.ext}`;
  const url = releaseAssetUrl(opts.downloadBaseUrl ?? DEFAULT_DOWNLOAD_BASE_URL, version, asset);
  log(`downloading wasmtime ${version}: ${url}`);
  const archive = await downloadReleaseAsset(cache, url, version, asset, log);
  let extracted: string;
  try {
    extracted = await cache.extract(archive, target.ext);
  } catch (e) {
    throw new Error(`extracting ${asset} of wasmtime v${version} (from ${url}) failed: ${(e as Error).message}`);
  }
  const inner = path.join(extracted, dirName);
  if (!(await isExecutable(path.join(inner, exe)))) {
    throw new Error(`${asset} from ${url} has no ${dirName}/${exe}`);
  }
  await verified(path.join(inner, exe), version, `downloaded wasmtime v${version} (${url})`);
  const cachedDir = await cache.cacheDir(inner, TOOL, version, target.arch);
  const binary = path.join(cachedDir, exe);
  const probe = await verified(binary, version, `cached wasmtime v${version}`);
  log(`using wasmtime ${version} (downloaded: ${binary})`);
  return { binary, version, source: 'download', versionText: probe.text, runtimeName: runtimeNameFor(probe.text) };
}
