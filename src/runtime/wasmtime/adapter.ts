/**
 * The `wasi_snapshot_preview1` adapter from the same wasmtime release as the runtime, so the component's WASI imports
 * are exactly the ones that runtime implements (no self-inflicted version skew).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeAdapter, type ResolvedAdapter } from '../../convert/adapter.js';
import type { AdapterInfo } from '../../model.js';
import { folderCache, type ReleaseCache } from './cache.js';
import { downloadReleaseAsset } from './install.js';
import { DEFAULT_DOWNLOAD_BASE_URL, normalizeVersion, releaseAssetUrl } from './release.js';

export interface ReleaseAdapterOptions {
  downloadBaseUrl?: string;
  log?: (msg: string) => void;
  cache?: ReleaseCache;
}

export interface ReleaseAdapter extends ResolvedAdapter {
  path: string;
  info: AdapterInfo;
}

/** The adapter is the same file on every platform: cache it under a fixed arch. */
const ADAPTER_ARCH = 'wasm32';

/**
 * `wasi_snapshot_preview1.{kind}.wasm` of wasmtime release `version`, from the tool cache or downloaded from
 * `{downloadBaseUrl}/v{V}/` and cached (so a second run works offline).
 */
export async function wasmtimeReleaseAdapter(
  version: string,
  kind: 'command' | 'reactor',
  opts: ReleaseAdapterOptions = {},
): Promise<ReleaseAdapter> {
  const v = normalizeVersion(version);
  const name = `wasi_snapshot_preview1.${kind}.wasm`;
  const tool = `wasmtime-adapter-${kind}`;
  const cache = opts.cache ?? folderCache();

  let dir = await cache.find(tool, v, ADAPTER_ARCH);
  if (!dir) {
    const url = releaseAssetUrl(opts.downloadBaseUrl ?? DEFAULT_DOWNLOAD_BASE_URL, v, name);
    opts.log?.(`downloading the ${kind} adapter of wasmtime ${v}: ${url}`);
    const file = await downloadReleaseAsset(cache, url, v, name, opts.log);
    const bytes = await readFile(file);
    if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100 || bytes.readUInt32LE(4) !== 1) {
      throw new Error(`${name} of wasmtime v${v} from ${url} is not a core wasm module`);
    }
    dir = await cache.cacheFile(file, name, tool, v, ADAPTER_ARCH);
  }
  const file = path.join(dir, name);
  const bytes = new Uint8Array(await readFile(file));
  const info = describeAdapter(bytes, { kind, source: 'wasmtime-release', name, path: file, version: v });
  opts.log?.(`adapter: ${name} of wasmtime ${v} (sha256 ${info.sha256.slice(0, 12)}…)`);
  return { path: file, bytes, info };
}
