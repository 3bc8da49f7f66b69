import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Artifact, ConversionResult } from '../model.js';
import type { ResolvedAdapter } from './adapter.js';
import { componentNewToFile, type JcoLimits, JcoLimitError, JcoProcessError } from './jco-process.js';

export { adapterFromFile, bundledAdapter, describeAdapter, sha256Hex, type ResolvedAdapter } from './adapter.js';

/**
 * The adapter kind a module needs: a P1 command (`_start`) gets the command adapter, anything else the reactor one —
 * including a WASI 0.2 core module that exports `wasi:cli/run` itself (a command, but the adapter must not add a run).
 */
export function adapterKindFor(artifact: Artifact): 'command' | 'reactor' {
  return artifact.module?.hasStart ? 'command' : 'reactor';
}

/**
 * The name the encoder gets for the adapter. wit-component derives the adapted import module from it, so an adapter
 * must be passed as `wasi_snapshot_preview1` whatever its file is called — unless the user's file is named for another
 * module on purpose (then we keep their name and the diagnosis can point at it).
 */
export function adapterImportName(fileName: string): string {
  const base = fileName.replace(/\.wasm$/, '').replace(/\.(command|reactor|proxy)$/, '');
  return base.startsWith('wasi_snapshot_preview1') ? 'wasi_snapshot_preview1' : base;
}

/**
 * Wrap a core module into a component with jco's `componentNew` (wit-component) and the given adapter, and write it
 * to `outPath`. Conversion errors are results, not exceptions: they are the CONVERT-FAIL verdict's evidence. The
 * converter failing or going past `limits` is a result too, with `checkerError` (and `limit`): the verdict is ERROR.
 */
export async function convertModule(
  bytes: Uint8Array,
  adapter: ResolvedAdapter,
  outPath: string,
  limits?: JcoLimits,
): Promise<ConversionResult> {
  const started = performance.now();
  try {
    // The converter writes the component itself: its bytes never pass through the checker.
    await mkdir(path.dirname(outPath), { recursive: true });
    await componentNewToFile(bytes, [[adapterImportName(adapter.info.name), adapter.bytes]], outPath, limits);
    return { ok: true, skipped: false, adapter: adapter.info, componentPath: outPath, durationMs: performance.now() - started };
  } catch (e) {
    // The converter process failing (or ended at a limit) is the checker's problem, not the artifact's: no verdict on it.
    if (e instanceof JcoProcessError) {
      return {
        ok: false,
        skipped: false,
        adapter: adapter.info,
        checkerError: e.message,
        ...(e instanceof JcoLimitError ? { limit: e.limit } : {}),
        durationMs: performance.now() - started,
      };
    }
    return { ok: false, skipped: false, adapter: adapter.info, error: errorText(e), durationMs: performance.now() - started };
  }
}

/** jco surfaces wit-component's anyhow chain as a string or an Error whose message holds the chain. */
function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}
