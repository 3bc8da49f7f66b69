import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bundledAdapterDir } from '../package/assets.js';
import { highestWasi02, inspectBytes } from '../inspect/index.js';
import type { AdapterInfo } from '../model.js';
import knownAdapters from './known-adapters.json' with { type: 'json' };

export interface ResolvedAdapter {
  bytes: Uint8Array;
  info: AdapterInfo;
}

interface KnownAdapter {
  sha256: string;
  kind: 'command' | 'reactor';
  /** wasmtime release whose `wasi-preview1-component-adapter` built it. */
  version: string;
  origin: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The highest `wasi:*@0.2.x` version an adapter module imports (the same reading as a component's imports). */
export function adapterWasiVersion(bytes: Uint8Array): string | undefined {
  return highestWasi02((inspectBytes('adapter', bytes).module?.imports ?? []).map((imp) => imp.module));
}

/** Identify an adapter's wasmtime release from its hash, when it is one we know. */
export function knownAdapterVersion(sha256: string): KnownAdapter | undefined {
  return (knownAdapters as KnownAdapter[]).find((k) => k.sha256 === sha256);
}

export function describeAdapter(
  bytes: Uint8Array,
  partial: Pick<AdapterInfo, 'kind' | 'source' | 'name'> & { path?: string; version?: string },
): AdapterInfo {
  const sha256 = sha256Hex(bytes);
  const known = knownAdapterVersion(sha256);
  return {
    ...partial,
    sha256,
    version: partial.version ?? known?.version,
    wasiVersion: adapterWasiVersion(bytes),
  };
}

/** The adapter shipped with wasm-p2-check (taken from `@bytecodealliance/jco`, see adapters/manifest.json). */
export async function bundledAdapter(kind: 'command' | 'reactor'): Promise<ResolvedAdapter> {
  const file = path.join(bundledAdapterDir(), `wasi_snapshot_preview1.${kind}.wasm`);
  const bytes = new Uint8Array(await readFile(file));
  return { bytes, info: describeAdapter(bytes, { kind, source: 'bundled', name: path.basename(file), path: file }) };
}

/** A user-given adapter file. Its kind is read from its exports (a command adapter exports `wasi:cli/run`). */
export async function adapterFromFile(file: string): Promise<ResolvedAdapter> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    throw new Error(`adapter ${file}: cannot read it (${(e as Error).message})`);
  }
  const artifact = inspectBytes(file, bytes);
  if (artifact.kind !== 'module') {
    throw new Error(`adapter ${file}: not a core wasm module (${artifact.error ?? artifact.kind})`);
  }
  const exportsRun = artifact.module!.exports.some((e) => e.name.startsWith('wasi:cli/run@'));
  return {
    bytes,
    info: describeAdapter(bytes, { kind: exportsRun ? 'command' : 'reactor', source: 'file', name: path.basename(file), path: file }),
  };
}
