import type { ResolvedAdapter } from '../convert/adapter.js';
import type { Runner } from '../model.js';
import type { RuntimeChoice, WasmtimeOptions } from '../options/index.js';
import { createEmbeddedRunner } from './embedded/runner.js';
import { resolveWasmtime } from './wasmtime/install.js';
import { wasmtimeReleaseAdapter } from './wasmtime/adapter.js';
import { createWasmtimeRunner } from './wasmtime/runner.js';

export interface RuntimeSelection {
  runner: Runner;
  requested: RuntimeChoice;
  /** Why this runtime was chosen (for the log). */
  reason: string;
  /**
   * The adapter that matches this runtime when the user gave none: the wasmtime runtime converts with the adapter
   * of its own release, so a version skew is never self-inflicted. Undefined → the bundled adapter.
   */
  matchingAdapter?: (kind: 'command' | 'reactor') => Promise<ResolvedAdapter>;
}

/**
 * Pick and prepare the runtime. `auto` uses a wasmtime found on PATH (or given explicitly) and falls back to the
 * embedded runtime without downloading anything; `wasmtime` installs the requested release when needed.
 */
export async function createRunner(options: {
  runtime: RuntimeChoice;
  wasmtime?: WasmtimeOptions;
  workDir: string;
  log?: (message: string) => void;
}): Promise<RuntimeSelection> {
  const log = options.log ?? (() => {});
  if (options.runtime === 'embedded') {
    return { runner: createEmbeddedRunner({ workDir: options.workDir }), requested: 'embedded', reason: 'requested' };
  }
  let resolved: Awaited<ReturnType<typeof resolveWasmtime>> | undefined;
  try {
    resolved = await resolveWasmtime({ ...options.wasmtime, log, offline: options.runtime === 'auto' });
  } catch (e) {
    if (options.runtime === 'wasmtime') throw e;
    log(`no usable wasmtime (${(e as Error).message}); using the embedded runtime`);
    return {
      runner: createEmbeddedRunner({ workDir: options.workDir }),
      requested: 'auto',
      reason: 'no wasmtime on PATH: embedded runtime',
    };
  }
  const { binary, version } = resolved;
  return {
    runner: createWasmtimeRunner({ binary, version, workDir: options.workDir, runtimeName: resolved.runtimeName }),
    requested: options.runtime,
    reason: `wasmtime ${version} from ${resolved.source}`,
    matchingAdapter: (kind) => wasmtimeReleaseAdapter(version, kind, { ...options.wasmtime, log }),
  };
}
