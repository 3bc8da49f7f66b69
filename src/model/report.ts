/**
 * The report every output renders (serialised as JSON, versioned by `REPORT_SCHEMA_VERSION`, see docs/report-schema.json;
 * bump it on any breaking change to these shapes): per-artifact results, baseline changes, merge and shard parts.
 */

import type { Difference, Note, Verdict } from './compare.js';
import type { AdapterInfo, ConversionResult } from './convert.js';
import type { Diagnosis, Prediction, UnknownFailure } from './diagnose.js';
import type { Artifact } from './inspect.js';
import type { Preopen, RunResult, RuntimeId } from './runtime.js';
import type { VersionsReport } from './versions.js';

export const REPORT_SCHEMA_VERSION = 1;

/* ───────────────────────────── report ───────────────────────────── */

export interface ArtifactResult {
  artifact: Artifact;
  predictions: Prediction[];
  p1?: RunResult;
  conversion?: ConversionResult;
  p2?: RunResult;
  verdict: Verdict;
  differences: Difference[];
  notes: Note[];
  diagnoses: Diagnosis[];
  unknown?: UnknownFailure;
  /** Present when this result was taken from the result cache instead of being checked again. */
  cached?: CachedFrom;
  /** In a merged report: the shard or matrix entry whose report this result came from. */
  group?: string;
  /** Set when the run was compared with a baseline report (`--baseline`, the Action's `baseline`): what changed. */
  change?: ResultChange;
}

/* ───────────────────────────── baseline ───────────────────────────── */

/**
 * How a result compares with the baseline report's result for the same artifact (same path, or the same bytes under
 * another path: a rename). new-failure: fails now, passed on the baseline. changed: fails in both, the verdict or the
 * cause differs. new-artifact: not in the baseline. fixed: passes now, failed on the baseline. still-failing: fails in
 * both with the same verdict and cause. passing: passes in both. removed: in the baseline only (listed in
 * `BaselineInfo.removed`).
 */
export const CHANGE_CLASSES = ['new-failure', 'changed', 'new-artifact', 'fixed', 'still-failing', 'passing', 'removed'] as const;
export type ChangeClass = (typeof CHANGE_CLASSES)[number];

/** A baseline result, in brief. */
export interface BaselineResult {
  path: string;
  verdict: Verdict;
  /** What failed, in words (the diagnosis title, an unknown failure's summary, the reason); absent for PASS. */
  cause?: string;
  /** Its shard or matrix entry, in a merged baseline. */
  group?: string;
}

export interface ResultChange {
  class: Exclude<ChangeClass, 'removed'>;
  /** For `changed`: worse than on the baseline (it now fails `fail-on: regression`, the baseline's result did not). */
  worse?: boolean;
  /** The baseline's result it was compared with (absent for a new artifact). */
  base?: BaselineResult;
  /** How it was matched: by path, or by sha256 (the same bytes under another path: a rename). */
  matchedBy?: 'path' | 'sha256';
}

/** Which baseline a report was compared with, and how its setup differs from this run's. */
export interface BaselineInfo {
  /** Where it came from, e.g. 'file base.json', 'cache wasm-p2-check-baseline-…'. */
  source: string;
  /** The commit the baseline describes, when known. */
  commit?: string;
  /** The branch it was saved on (e.g. 'main'), when known. */
  ref?: string;
  /** When the baseline's check ran (its report's createdAt). */
  createdAt: string;
  /** The wasm-p2-check version and report schema version that wrote it. */
  tool: string;
  schemaVersion: number;
  /** Its runtime and adapter, in words. */
  runtime: string;
  adapter?: string;
  /** What differs from this run's setup (tool, schema, runtime, adapter, sandbox), one sentence each; empty when nothing does. */
  differences: string[];
  /** Baseline artifacts this run no longer has. */
  removed: BaselineResult[];
  counts: Record<ChangeClass, number>;
}

/** Where a cached result came from: its content-addressed key (see src/cache/) and when it was stored. */
export interface CachedFrom {
  key: string;
  storedAt: string;
}

/** One input of a merged report (`wasm-p2-check merge`). */
export interface MergedPart {
  /** The label its results carry in `ArtifactResult.group`. */
  label: string;
  createdAt: string;
  runtime: { requested: string; p1: RuntimeId; p2: RuntimeId };
  shard?: Shard;
  total: number;
}

/** `--shard index/count`: this report covers the artifacts whose path hash falls in shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export interface ReportSummary {
  total: number;
  counts: Record<Verdict, number>;
  /** Artifacts whose verdict is REGRESSION or CONVERT-FAIL. */
  regressions: number;
  /** Artifacts whose verdict is not PASS. */
  failures: number;
}

/** The adapter the configuration asked for and the one every conversion used. */
export interface ReportAdapter {
  /** As configured: 'auto', 'bundled', 'release <version>' or 'file <path>'. */
  requested: string;
  command: AdapterInfo;
  reactor: AdapterInfo;
}

/** A configuration that could not be carried out (runtime or adapter that cannot be had): nothing was run. */
export interface ConfigurationError {
  /** The option at fault, as named in the option table (= the Action input; the CLI flag may differ). */
  option: string;
  message: string;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'wasm-p2-check'; version: string };
  createdAt: string;
  /** Runtime selection as requested ('embedded' | 'wasmtime' | 'auto') and the hosts actually used. */
  runtime: { requested: string; p1: RuntimeId; p2: RuntimeId };
  sandbox: { args: string[]; envKeys: string[]; dirs: Preopen[]; stdin: boolean; timeoutMs: number; outputCapBytes: number };
  results: ArtifactResult[];
  summary: ReportSummary;
  /** Result-cache use in this run (absent when the cache was off). */
  cache?: { hits: number; misses: number };
  /** The shard this report covers (absent when not sharded). */
  shard?: Shard;
  /** What this job is called in a merged report (e.g. its matrix entry); the report file name when absent. */
  label?: string;
  /** Present in a merged report: the reports it was made from, in input order. */
  merged?: MergedPart[];
  /** Which adapter converted the modules (absent when the configuration failed before it was resolved). */
  adapter?: ReportAdapter;
  /**
   * Things about the whole run every reader must see: a fallback (adapter `auto` offline → bundled; runtime `auto`
   * without wasmtime → embedded), a version skew between adapter and runtime.
   */
  warnings?: Note[];
  /** Set when the configuration could not be carried out: no artifact was run (results is empty). */
  configurationError?: ConfigurationError;
  /** The commit the checked artifacts were built from, when known (the Action: the commit of the run). */
  commit?: string;
  /** Present when the results were compared with a baseline report: which one (each result's `change` says what changed). */
  baseline?: BaselineInfo;
  /**
   * A release matrix (`versions`): every release's outcome per artifact, where it changes, host compatibility. The
   * report's results are then the newest checked release's.
   */
  versions?: VersionsReport;
}
