/**
 * What convert produces: the adapter used and the outcome of turning a module into a component.
 */

import type { RunLimit } from './runtime.js';

export interface AdapterInfo {
  kind: 'command' | 'reactor';
  /** bundled = shipped with wasm-p2-check (from jco); file = user-given; wasmtime-release = same release as the runtime. */
  source: 'bundled' | 'file' | 'wasmtime-release';
  path?: string;
  /** File name as it was given to the encoder (the import interface name is derived from it). */
  name: string;
  sha256: string;
  /** wasmtime release the adapter was built from, e.g. '33.0.0', when known. */
  version?: string;
  /** WASI 0.2.x version the adapter imports, e.g. '0.2.3'. */
  wasiVersion?: string;
}

export interface ConversionResult {
  ok: boolean;
  /** True when the input already was a component. */
  skipped: boolean;
  adapter?: AdapterInfo;
  componentPath?: string;
  error?: string;
  /** The checker could not carry the conversion out (its converter failed, or went past `limit`): no verdict on it. */
  checkerError?: string;
  limit?: RunLimit;
  durationMs: number;
}
