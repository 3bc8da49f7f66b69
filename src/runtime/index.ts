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

/** What a runtime is set up with (check.ts binds one per runtime). */
export interface RunnerRequest {
  runtime: RuntimeChoice;
  wasmtime?: WasmtimeOptions;
  workDir: string;
  /** What a relative `wasmtime.binary` path is relative to (default: this process's working folder). */
  cwd?: string;
  /** Keep each run's scratch files (debugging); by default they are removed as soon as the run is read. */
  keepFiles?: boolean;
  log?: (message: string) => void;
}

type Setup = Required<Pick<RunnerRequest, 'log'>> & RunnerRequest & { releaseAdapter: AdapterRuntime['releaseAdapter'] };

/**
 * How each runtime of src/options/runtimes.ts is set up. `auto` uses a wasmtime given explicitly, on PATH or in the
 * cache — and downloads it when `wasmtime.autoDownload` is set (the Action) — else the embedded runtime; `wasmtime`
 * installs the requested release when needed.
 */
const RUNTIMES = {
  embedded: async (o) => embedded(o, 'requested'),
  wasmtime: (o) => wasmtime(o, true),
  auto: async (o) => {
    const download = o.wasmtime?.autoDownload === true;
    try {
      return await wasmtime(o, download);
    } catch (e) {
      // An explicit binary is what the user asked for, whatever the runtime: it must work.
      if (!(e instanceof WasmtimeUnavailable) || o.wasmtime?.binary) throw e;
      o.log(`no usable wasmtime (${e.message}); using the embedded runtime`);
      const warnings: Note[] = download
        ? [
            {
              code: 'runtime-fallback',
              message:
                `wasmtime could not be had (${e.message}): both runs used the embedded runtime (Node's ` +
                `WASI and jco's preview2-shim) instead. Set \`runtime: wasmtime\` to make that an error.`,
            },
          ]
        : [];
      return { ...embedded(o, 'no wasmtime: embedded runtime'), warnings };
    }
  },
} satisfies Record<RuntimeChoice, (setup: Setup) => Promise<RuntimeSelection>>;

/**
 * Pick and prepare the runtime, once, before any artifact (see RUNTIMES).
 * @throws ConfigError when an explicitly requested wasmtime cannot be had
 */
export async function createRunner(given: RunnerRequest): Promise<RuntimeSelection> {
  const log = given.log ?? (() => {});
  // A binary named by a path is resolved now: runs start in scratch folders.
  const named = given.wasmtime?.binary;
  const options = named?.includes(path.sep)
    ? { ...given, wasmtime: { ...given.wasmtime, binary: path.resolve(given.cwd ?? '.', named) } }
    : given;
  const releaseAdapter: AdapterRuntime['releaseAdapter'] = (version, kind) =>
    wasmtimeReleaseAdapter(version, kind, { ...given.wasmtime, log });
  try {
    return await RUNTIMES[options.runtime]({ ...options, log, releaseAdapter });
  } catch (e) {
    if (e instanceof WasmtimeUnavailable) throw new ConfigError(wasmtimeOption(options.wasmtime), `wasmtime cannot be had: ${e.message}`);
    throw e;
  }
}

/** No wasmtime could be had (not on PATH or cached, not downloadable, or not working). */
class WasmtimeUnavailable extends Error {}

function embedded(o: Setup, reason: string): RuntimeSelection {
  return {
    runner: createEmbeddedRunner({ workDir: o.workDir, keepFiles: o.keepFiles }),
    requested: o.runtime,
    reason,
    warnings: [],
    adapterRuntime: { releaseAdapter: o.releaseAdapter },
  };
}

async function wasmtime(o: Setup, download: boolean): Promise<RuntimeSelection> {
  const resolved = await resolveWasmtime({ ...o.wasmtime, log: o.log, offline: !download }).catch((e: Error) => {
    throw new WasmtimeUnavailable(e.message);
  });
  const { binary, version } = resolved;
  return {
    runner: createWasmtimeRunner({
      binary,
      version,
      workDir: o.workDir,
      runtimeName: resolved.runtimeName,
      keepFiles: o.keepFiles,
      ...(o.wasmtime?.compileCacheDir ? { compileCacheDir: o.wasmtime.compileCacheDir } : {}),
    }),
    requested: o.runtime,
    reason: `wasmtime ${version} from ${resolved.source}`,
    wasmtimeVersion: version,
    warnings: [],
    adapterRuntime: { wasmtimeVersion: version, releaseAdapter: o.releaseAdapter },
  };
}
