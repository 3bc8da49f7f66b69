/**
 * `wasm-p2-check explain LOG [--module FILE] [--adapter-version V]`: diagnose from a pasted error log (wasmtime CLI,
 * an embedder, jco/Node), optionally with the module that produced it for the inspect facts. Its result is an
 * `ExplainResult` (model/diagnose.ts), rendered by report/ like a check's Report (terminal, Markdown, JSON).
 */
import { inspectFile } from '../inspect/index.js';
import { REPORT_SCHEMA_VERSION, type ExplainResult } from '../model.js';
import { diagnose } from './engine.js';
import { loadSignatures } from './signatures.js';
import { boundText } from './text-bounds.js';
import { normalizeLog, parseTrap } from './trap/parse.js';

export type { ExplainResult };

export interface ExplainOptions {
  logText: string;
  modulePath?: string;
  signatureDirs?: string[];
  /** wasmtime release of the adapter that produced the log, when the user knows it (pins adapter line meanings). */
  adapterVersion?: string;
}

/** Parse the log, inspect the module if given, and diagnose. */
export async function explain(opts: ExplainOptions): Promise<ExplainResult> {
  const db = await loadSignatures(opts.signatureDirs ?? []);
  const text = boundText(normalizeLog(opts.logText));
  const trap = parseTrap(text);
  const artifact = opts.modulePath ? await inspectFile(opts.modulePath) : undefined;
  const { diagnoses, unknown } = diagnose({ trap, text, artifact, adapterVersion: opts.adapterVersion }, db);
  const result: ExplainResult = { schemaVersion: REPORT_SCHEMA_VERSION, diagnoses };
  if (trap) result.trap = trap;
  if (artifact) result.artifact = artifact;
  if (unknown) result.unknown = unknown;
  return result;
}
