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
import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import semver from 'semver';
import type { ReleaseCache } from '../../options/index.js';
import { minimalHostEnv } from '../../guard/env.js';
import { DownloadError, fetchToFile, type RetryOptions, unsafeEntry } from './download.js';

export { DownloadError };

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

/** Runs `tar` with no environment of ours; its output, or an error with its message. */
async function tar(args: string[]): Promise<string> {
  // Loaded here (execa and its signal tables): a run on the embedded runtime never starts a tool.
  const { execa } = await import('execa');
  const r = await execa('tar', args, {
    env: minimalHostEnv(),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.exitCode !== 0) throw new Error(`tar ${args[0]} failed (exit ${r.exitCode}): ${String(r.stderr).trim().slice(0, 500)}`);
  return String(r.stdout);
}

/**
 * Refuses an archive any entry of which would land outside the folder it is extracted into: a name that is absolute
 * or steps up (`..`), or a link whose target does. Read from the archive's listing before anything is extracted
 * (GNU tar and bsdtar list names one a line; the verbose listing shows link targets after ` -> ` / ` link to `).
 */
export async function checkArchiveEntries(archive: string): Promise<void> {
  const names = (await tar(['-tf', archive])).split('\n').filter((line) => line !== '');
  for (const name of names) {
    const why = unsafeEntry(name);
    if (why) throw new Error(`the archive's entry ${JSON.stringify(name.slice(0, 200))} is ${why} (outside the folder): refused`);
  }
  for (const line of (await tar(['-tvf', archive])).split('\n')) {
    const link = / -> (.*)$/.exec(line)?.[1] ?? / link to (.*)$/.exec(line)?.[1];
    const why = link !== undefined ? unsafeEntry(link) : undefined;
    if (why) throw new Error(`the archive holds a link to ${JSON.stringify(link!.slice(0, 200))}, ${why} (outside the folder): refused`);
  }
}

/**
 * A cache in a plain folder: `{root}/{tool}/{version}/{arch}/` plus a `{arch}.complete` marker written last, so a
 * half-copied entry is never found (the layout of `@actions/tool-cache`). Downloads with `fetch` (retried with
 * backoff on transient failures, see download.ts) into `tempDir` (default `{root}/tmp`), extracts with `tar` once the
 * archive's entries are checked. sha256 values recorded on first use are kept in `{root}/sha256.json`.
 */
export function folderCache(root: string = userCacheDir(), options: { tempDir?: string; retry?: RetryOptions } = {}): ReleaseCache {
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
  const readRecords = async (): Promise<Record<string, string>> => {
    try {
      const parsed = JSON.parse(await readFile(path.join(root, 'sha256.json'), 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
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
      const file = path.join(await temp(), randomUUID());
      await fetchToFile(url, file, options.retry);
      return file;
    },
    async extract(archive) {
      // GNU tar and bsdtar detect xz themselves; bsdtar (Windows' tar) also reads zip.
      await checkArchiveEntries(archive);
      const dir = await temp();
      await tar(['-xf', archive, '-C', dir]);
      return dir;
    },
    async recorded(key) {
      const all = await readRecords();
      return Object.hasOwn(all, key) ? all[key] : undefined;
    },
    async record(key, sha256) {
      await mkdir(root, { recursive: true });
      const all = await readRecords();
      all[key] = sha256;
      const tmp = path.join(root, `sha256.json.${randomUUID()}`);
      await writeFile(tmp, `${JSON.stringify(all, null, 2)}\n`);
      await rename(tmp, path.join(root, 'sha256.json'));
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
