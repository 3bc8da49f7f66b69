import type { ResultStore } from '../cache/index.js';
import type { Sandbox, Shard } from '../model.js';
import type { RuntimeChoice } from './runtimes.js';

export type { RuntimeChoice } from './runtimes.js';

/**
 * The adapter the configuration names, decoded once by the shells (`--adapter` / `adapter:`):
 * - `auto`: the wasmtime runtime's own release adapter (when the runtime is wasmtime), else the bundled one;
 * - `bundled`: the one shipped with wasm-p2-check (from jco);
 * - `file`: a user-given `wasi_snapshot_preview1.*.wasm` (absolute path);
 * - `release`: the adapter of that wasmtime release (plain version, no `v`).
 * convert/ resolves it once, before any artifact runs.
 */
export type AdapterSpec = { kind: 'auto' } | { kind: 'bundled' } | { kind: 'file'; path: string } | { kind: 'release'; version: string };

export interface WasmtimeOptions {
  /** Release to use ('49.0.0', 'v49.0.0' or 'latest'); a matching `wasmtime` on PATH is used first. */
  version?: string;
  /** Explicit executable that behaves like `wasmtime` (skips PATH lookup and download). */
  binary?: string;
  /** Base URL of release downloads (default https://github.com/bytecodealliance/wasmtime/releases/download). */
  downloadBaseUrl?: string;
  /** GitHub API base for resolving 'latest' (default GITHUB_API_URL or https://api.github.com). */
  apiBaseUrl?: string;
  token?: string;
  /** PATH searched for a `wasmtime` (default: this process's PATH; the Action passes the runner's). */
  searchPath?: string;
  /** Runtime `auto` downloads wasmtime when it is not on PATH or cached (the Action); the CLI's `auto` never downloads. */
  autoDownload?: boolean;
  /** Where releases and release adapters are downloaded to and kept (default: the user cache folder, with fetch). */
  cache?: ReleaseCache;
  /**
   * Folder where wasmtime's compiled code is kept between runs, by content hash + wasmtime build + flags (the CLI:
   * `compiled/` in the cache folder unless `--no-cache`). Absent: every run compiles.
   */
  compileCacheDir?: string;
}

/**
 * Where wasmtime releases and release adapters are downloaded to and kept, injected by the shells (the Action: the
 * runner's tool cache; the CLI: a user cache folder, runtime/wasmtime/cache.ts `folderCache`).
 */
export interface ReleaseCache {
  /** Human name for messages ('the tool cache', a folder). */
  readonly where: string;
  /** The folder of a cached `tool` `version` for `arch`, or undefined. */
  find(tool: string, version: string, arch: string): Promise<string | undefined>;
  /** Cached versions of `tool` for `arch`. */
  versions(tool: string, arch: string): Promise<string[]>;
  /** Downloads `url` to a new temporary file; throws DownloadError. */
  download(url: string): Promise<string>;
  /** Extracts a `.tar.xz` or `.zip` archive into a new temporary folder. */
  extract(archive: string, ext: 'tar.xz' | 'zip'): Promise<string>;
  /** Copies a folder into the cache; returns the cached folder. */
  cacheDir(dir: string, tool: string, version: string, arch: string): Promise<string>;
  /** Copies a file into the cache under `name`; returns the cached folder. */
  cacheFile(file: string, name: string, tool: string, version: string, arch: string): Promise<string>;
  /** The sha256 recorded when the asset `key` (`v{version}/{asset}`) was first downloaded (see wasmtime/download.ts). */
  recorded?(key: string): Promise<string | undefined>;
  record?(key: string, sha256: string): Promise<void>;
}

export interface ProgressEvent {
  artifact: string;
  stage: 'inspect' | 'p1' | 'convert' | 'p2' | 'diagnose' | 'done';
  message?: string;
  /** How many artifacts this check has (on a run-wide event, once they are found), for done/total and an ETA. */
  total?: number;
}

/** Everything `check()` needs. Built by the shells (src/cli/, src/action/) from their inputs; check() reads no environment. */
export interface CheckOptions {
  /** Globs or paths of artifacts. */
  patterns: string[];
  cwd: string;
  runtime: RuntimeChoice;
  wasmtime?: WasmtimeOptions;
  /** Adapter to convert with (default `{ kind: 'auto' }`). */
  adapter?: AdapterSpec;
  sandbox: Sandbox;
  /** Extra signature directories (user-provided). */
  signatureDirs?: string[];
  /** Scratch directory (components, preopen copies, captured output). A fresh temp dir when absent. */
  workDir?: string;
  /** Keep the scratch directory after the run (for debugging). */
  keepWorkDir?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** Time budget for the whole check (ms); runs it leaves no time for are not started (limit 'budget'). */
  budgetMs?: number;
  /** Largest artifact file read (default 512 MiB); a larger one is INVALID-INPUT naming the limit. */
  maxArtifactBytes?: number;
  /**
   * Result cache: a result whose inputs (artifact, adapter, runtime, options, signatures, tool build) are unchanged
   * is taken from here instead of being checked again. No cache when absent.
   */
  cache?: ResultStore;
  /** Check only this shard of the matched artifacts (see `selectShard()` in discover/). */
  shard?: Shard;
  /** What this run is called when its report is merged with others (e.g. the matrix entry). */
  label?: string;
  /** Artifacts checked at once (default: the number of CPUs, at most 4). Timing-sensitive runs may want 1. */
  concurrency?: number;
  /**
   * Memory the artifacts checked at once may use together, by an estimate from each one's size (runtime/admission.ts);
   * default: 3/4 of the machine's (or cgroup's) memory.
   */
  memoryBudgetBytes?: number;
}

/**
 * The configuration names something that cannot be had (a wasmtime binary, release or adapter): a usage error found
 * before any artifact runs (CLI exit 2; the Action fails the step), never an artifact's verdict. `option` is the
 * option's name in the table (src/options/table.ts); each shell words it its own way.
 */
export class ConfigError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
