/**
 * Where wasmtime releases and release adapters come from and are kept: an injected `ReleaseCache`, so that no stage
 * touches process-wide state (environment variables, process.stdout) while artifacts run concurrently.
 *
 * - The CLI uses `folderCache()`: `fetch` and the per-user cache folder (`userCacheDir()`, shared with the result
 *   cache); it prints nothing.
 * - The Action uses `folderCache(RUNNER_TOOL_CACHE, { tempDir: RUNNER_TEMP })`: the runner's tool cache, in the layout
 *   `@actions/tool-cache` uses (`{tool}/{version}/{arch}` + `{arch}.complete`), so a self-hosted runner keeps
 *   releases between jobs like every setup-* action — read from the environment the Action was given, not from
 *   process.env, and without tool-cache's retry waits and `::debug::` chatter.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';
import semver from 'semver';
import type { ReleaseCache } from '../../options/index.js';
import { minimalHostEnv } from '../../guard/env.js';

/** A download that failed: `status` is the HTTP status when the server answered. */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

// The interface is declared with the options that carry it (options/index.ts): the shells inject an implementation.
export type { ReleaseCache };

/** The platform's per-user cache folder for wasm-p2-check (XDG on Linux and other Unixes). */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32')
    return path.join(env.LOCALAPPDATA || path.join(homedir(), 'AppData', 'Local'), 'wasm-p2-check', 'Cache');
  if (process.platform === 'darwin') return path.join(homedir(), 'Library', 'Caches', 'wasm-p2-check');
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec: a relative XDG_CACHE_HOME is invalid and must be ignored.
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.cache'), 'wasm-p2-check');
}

const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

/**
 * A cache in a plain folder: `{root}/{tool}/{version}/{arch}/` plus a `{arch}.complete` marker written last, so a
 * half-copied entry is never found (the layout of `@actions/tool-cache`). Downloads with `fetch` (one attempt, a
 * 5-minute limit) into `tempDir` (default `{root}/tmp`), extracts with `tar`.
 */
export function folderCache(root: string = userCacheDir(), options: { tempDir?: string } = {}): ReleaseCache {
  const entry = (tool: string, version: string, arch: string) => path.join(root, tool, version, arch);
  const tempRoot = options.tempDir ?? path.join(root, 'tmp');
  const temp = async () => {
    await mkdir(tempRoot, { recursive: true });
    return mkdtemp(path.join(tempRoot, 'wasm-p2-check-dl-'));
  };
  const complete = async (tool: string, version: string, arch: string) => {
    await writeFile(`${entry(tool, version, arch)}.complete`, '');
    return entry(tool, version, arch);
  };
  const fresh = async (tool: string, version: string, arch: string) => {
    const dir = entry(tool, version, arch);
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}.complete`, { force: true });
    await mkdir(dir, { recursive: true });
    return dir;
  };
  return {
    where: root,
    async find(tool, version, arch) {
      const ok = await stat(`${entry(tool, version, arch)}.complete`).then(
        () => true,
        () => false,
      );
      return ok ? entry(tool, version, arch) : undefined;
    },
    async versions(tool, arch) {
      const names = await readdir(path.join(root, tool)).catch(() => [] as string[]);
      const found: string[] = [];
      for (const v of names) if (semver.valid(v) && (await this.find(tool, v, arch))) found.push(v);
      return found;
    },
    async download(url) {
      let response: Response;
      try {
        response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        throw new DownloadError(cause?.code ?? cause?.message ?? (e as Error).message);
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new DownloadError(`HTTP ${response.status}`, response.status);
      }
      const file = path.join(await temp(), randomUUID());
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(file));
      return file;
    },
    async extract(archive) {
      // GNU tar and bsdtar detect xz themselves; bsdtar (Windows' tar) also reads zip.
      const dir = await temp();
      const r = await execa('tar', ['-xf', archive, '-C', dir], {
        env: minimalHostEnv(),
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
      });
      if (r.exitCode !== 0) throw new Error(`tar -xf failed (exit ${r.exitCode}): ${String(r.stderr).trim().slice(0, 500)}`);
      return dir;
    },
    async cacheDir(dir, tool, version, arch) {
      const target = await fresh(tool, version, arch);
      await cp(dir, target, { recursive: true });
      return complete(tool, version, arch);
    },
    async cacheFile(file, name, tool, version, arch) {
      const target = await fresh(tool, version, arch);
      await rename(file, path.join(target, name)).catch(() => cp(file, path.join(target, name)));
      return complete(tool, version, arch);
    },
  };
}
