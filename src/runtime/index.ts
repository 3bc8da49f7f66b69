import path from 'node:path';
import type { AdapterRuntime } from '../convert/resolve.js';
import type { Note, Runner } from '../model.js';
import { ConfigError, type RuntimeChoice, type WasmtimeOptions } from '../options/index.js';
import { createEmbeddedRunner } from './embedded/runner.js';
import { wasmtimeReleaseAdapter } from './wasmtime/adapter.js';
import { resolveWasmtime } from './wasmtime/install.js';
import { createWasmtimeRunner } from './wasmtime/runner.js';

export interface RuntimeSelection {
  runner: Runner;
  requested: RuntimeChoice;
  /** Why this runtime was chosen (for the log). */
  reason: string;
  /** The wasmtime release runs use (undefined for the embedded runtime): `adapter: auto` converts with its adapter. */
  wasmtimeVersion?: string;
  /** A fallback every reader of the report must see (runtime `auto` that wanted wasmtime and could not have it). */
  warnings: Note[];
  /** The runtime's side of the adapter choice (convert/resolve.ts): its wasmtime release, and how to get a release's adapter. */
  adapterRuntime: AdapterRuntime;
}

/** Which option a wasmtime that cannot be had is the fault of. */
function wasmtimeOption(w: WasmtimeOptions | undefined): string {
  return w?.binary ? 'wasmtime' : w?.version ? 'wasmtime-version' : 'runtime';
}

/**
 * Pick and prepare the runtime, once, before any artifact. `auto` uses a wasmtime given explicitly, on PATH or in the
 * cache — and downloads it when `wasmtime.autoDownload` is set (the Action) — else the embedded runtime; `wasmtime`
 * installs the requested release when needed.
 * @throws ConfigError when an explicitly requested wasmtime cannot be had
 */
export async function createRunner(given: {
  runtime: RuntimeChoice;
  wasmtime?: WasmtimeOptions;
  workDir: string;
  /** What a relative `wasmtime.binary` path is relative to (default: this process's working folder). */
  cwd?: string;
  /** Keep each run's scratch files (debugging); by default they are removed as soon as the run is read. */
  keepFiles?: boolean;
  log?: (message: string) => void;
}): Promise<RuntimeSelection> {
  const log = given.log ?? (() => {});
  // A binary named by a path is resolved now: runs start in scratch folders.
  const named = given.wasmtime?.binary;
  const options = named?.includes(path.sep)
    ? { ...given, wasmtime: { ...given.wasmtime, binary: path.resolve(given.cwd ?? '.', named) } }
    : given;
  const releaseAdapter: AdapterRuntime['releaseAdapter'] = (version, kind) =>
    wasmtimeReleaseAdapter(version, kind, { ...given.wasmtime, log });
  if (options.runtime === 'embedded') {
    return {
      runner: createEmbeddedRunner({ workDir: options.workDir, keepFiles: options.keepFiles }),
      requested: 'embedded',
      reason: 'requested',
      warnings: [],
      adapterRuntime: { releaseAdapter },
    };
  }
  const download = options.runtime === 'wasmtime' || options.wasmtime?.autoDownload === true;
  let resolved: Awaited<ReturnType<typeof resolveWasmtime>> | undefined;
  try {
    resolved = await resolveWasmtime({ ...options.wasmtime, log, offline: !download });
  } catch (e) {
    const message = (e as Error).message;
    // An explicit binary is what the user asked for, whatever the runtime: it must work.
    if (options.runtime === 'wasmtime' || options.wasmtime?.binary) {
      throw new ConfigError(wasmtimeOption(options.wasmtime), `wasmtime cannot be had: ${message}`);
    }
    log(`no usable wasmtime (${message}); using the embedded runtime`);
    const warnings: Note[] = download
      ? [
          {
            code: 'runtime-fallback',
            message:
              `wasmtime could not be had (${message}): both runs used the embedded runtime (Node's ` +
              `WASI and jco's preview2-shim) instead. Set \`runtime: wasmtime\` to make that an error.`,
          },
        ]
      : [];
    return {
      runner: createEmbeddedRunner({ workDir: options.workDir, keepFiles: options.keepFiles }),
      requested: 'auto',
      reason: 'no wasmtime: embedded runtime',
      warnings,
      adapterRuntime: { releaseAdapter },
    };
  }
  const { binary, version } = resolved;
  return {
    runner: createWasmtimeRunner({
      binary,
      version,
      workDir: options.workDir,
      runtimeName: resolved.runtimeName,
      keepFiles: options.keepFiles,
      ...(options.wasmtime?.compileCacheDir ? { compileCacheDir: options.wasmtime.compileCacheDir } : {}),
    }),
    requested: options.runtime,
    reason: `wasmtime ${version} from ${resolved.source}`,
    wasmtimeVersion: version,
    warnings: [],
    adapterRuntime: { wasmtimeVersion: version, releaseAdapter },
  };
}
