/**
 * The data model every stage shares. Stages are pure functions over these types;
 * only runtime/ starts processes, only github/ talks to the API.
 *
 * The JSON report is a serialisation of `Report` and is versioned by
 * `REPORT_SCHEMA_VERSION` (see docs/report-schema.json). Bump it on any
 * breaking change to these shapes.
 */

import type { VersionsReport } from './versions/matrix.js';

export const REPORT_SCHEMA_VERSION = 1;

/* ───────────────────────────── inspect ───────────────────────────── */

export type ArtifactKind = 'module' | 'component' | 'not-wasm' | 'invalid';

export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export interface ImportEntry {
  module: string;
  name: string;
  kind: ExternKind;
}

export interface ExportEntry {
  name: string;
  kind: ExternKind;
}

export interface MemoryInfo {
  /** Number of memories (imported + defined). */
  count: number;
  imported: boolean;
  exported: boolean;
  shared: boolean;
  memory64: boolean;
  /** Initial size of memory 0 in 64 KiB pages. */
  minPages?: number;
  maxPages?: number;
}

export interface ProducerEntry {
  name: string;
  version: string;
}

/** The decoded `producers` custom section (tool-conventions/ProducersSection.md). */
export interface Producers {
  language: ProducerEntry[];
  processedBy: ProducerEntry[];
  sdk: ProducerEntry[];
}

/** What built the module, derived from `producers` (and names when producers is absent). */
export interface Toolchain {
  /** 'go' | 'tinygo' | 'rust' | 'c' | 'c++' | 'assemblyscript' | 'zig' | 'wat' | 'unknown' */
  language: string;
  /** Human name of the compiler: 'Go', 'rustc', 'clang', … */
  compiler?: string;
  /** Plain semver-ish version of the compiler, e.g. '1.24.4', '1.63.0', '14.0.6'. */
  version?: string;
  /** What identified it, e.g. 'producers: Rust, C11, clang 18.1.2, rustc 1.92.0 (entry point: C main)', 'function ~start'. */
  evidence?: string;
  /** A language runtime compiled into the module, e.g. 'CPython', 'CRuby', '.NET (Mono)': what the program is written in. */
  runtime?: string;
}

/**
 * A module built for one specific non-WASI host (verdict NOT-WASI): it cannot run as a WASI command, P1 or P2.
 * kind: napi-addon (Node-API, napi-rs/emnapi), plugin (a plugin host's ABI: SWC, Extism, Proxy-Wasm …), js-bridge
 * (wasm-bindgen, Go GOOS=js, ruby.wasm's JS bridge), shared-library (dylink.0: for a dynamic linker), emscripten
 * (needs its generated JS glue), library (a library whose host calls its exports: no WASI imports at all, or a reactor
 * that imports its host's own functions).
 */
export interface HostRequirement {
  kind: 'napi-addon' | 'plugin' | 'js-bridge' | 'shared-library' | 'emscripten' | 'library';
  /** What it is, e.g. 'a Node-API addon (napi-rs / emnapi), loaded by Node.js'. */
  name: string;
  /** What showed it (imports, exports, custom sections). */
  evidence: string[];
}

export interface ModuleFacts {
  imports: ImportEntry[];
  /** Import names grouped by module name, in order of first appearance. */
  importsByModule: Record<string, string[]>;
  exports: ExportEntry[];
  /** `_start` (or a WASI 0.2 `wasi:cli/run@…#run`) exported → command; `_initialize` (or neither) → reactor. */
  style: 'command' | 'reactor';
  /** A core module built for WASI 0.2 that exports `wasi:cli/run@0.2.x#run` itself (a command with no `_start`). */
  witRunExport?: string;
  hasStart: boolean;
  hasInitialize: boolean;
  hasCabiRealloc: boolean;
  memory: MemoryInfo;
  /** Imports from `wasi_unstable` (WASI snapshot 0). */
  wasiUnstable: boolean;
  /**
   * Import modules that no WASI layer provides: neither wasi_snapshot_preview1 nor wasi_unstable, nor (in a module that
   * carries component-type metadata) WIT interfaces such as `wasi:cli/environment@0.2.3`.
   */
  nonWasiImportModules: string[];
  /**
   * A core module built for WASI 0.2 (component-type metadata and WIT-interface imports, possibly next to P1 ones), e.g.
   * wasm32-wasip2 output before `component new`: no P1 host can run it, so it has no P1 baseline.
   */
  targetsWasiP2?: boolean;
  /**
   * The exported `cabi_realloc` reaches a WASI import through direct calls (static call graph). The host and the adapter
   * call `cabi_realloc` while lowering values into the instance, when the component may not call out: wasmtime traps
   * with `cannot leave component instance`; jco's runtime does not check it.
   */
  reallocCallsImport?: { import: string; path: string[]; indirect: boolean };
  /** Set when the module is built for a specific non-WASI host (see HostRequirement). */
  host?: HostRequirement;
  producers?: Producers;
  toolchain?: Toolchain;
  customSections: string[];
  /**
   * Wasm proposals the binary uses that matter for conversion or for hosts (e.g. 'threads', 'memory64', 'multi-memory',
   * 'legacy-exceptions': try/catch/rethrow/delegate, which hosts refuse unless enabled; 'exceptions': try_table/throw_ref).
   */
  features: string[];
  /** The `target_features` custom section, as written: '+exception-handling', '+simd128', … */
  targetFeatures?: string[];
  /** The first legacy exception-handling instruction found and the function it is in. */
  legacyExceptions?: { instruction: string; function: string };
}

export interface ComponentFacts {
  /** Top-level component imports / exports by name (e.g. `wasi:cli/environment@0.2.3`). */
  imports: string[];
  exports: string[];
  /** The highest WASI 0.2.x version referenced by imports, if any. */
  wasiVersion?: string;
}

export interface Artifact {
  /** Path as given / matched (relative to cwd when possible). */
  path: string;
  size: number;
  sha256: string;
  kind: ArtifactKind;
  /** Why the file is `not-wasm` or `invalid` (bad magic, truncated, validation error …). */
  error?: string;
  module?: ModuleFacts;
  component?: ComponentFacts;
}

/* ───────────────────────────── convert ───────────────────────────── */

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

/* ───────────────────────────── runtime ───────────────────────────── */

export interface Preopen {
  host: string;
  guest: string;
}

/** What the guest is given. Nothing else: no inherited environment, no network. */
export interface Sandbox {
  args: string[];
  env: Record<string, string>;
  dirs: Preopen[];
  /** File whose content is the guest's stdin; empty stdin when absent. */
  stdinFile?: string;
  timeoutMs: number;
  /** Bytes kept of each of stdout and stderr. */
  outputCapBytes: number;
  /** Bytes of stdout + stderr one run may write; the run is ended beyond it. Default max(64 MiB, 16 × cap). */
  maxOutputBytes?: number;
  /** Disk one run's preopen copies may use (copy + guest writes); the run is ended beyond it. Default 512 MiB. */
  maxDiskBytes?: number;
  /** Size each guest linear memory may grow to. Default 2 GiB. */
  maxMemoryBytes?: number;
  /** Size of the stdin file. Default 64 MiB. */
  maxStdinBytes?: number;
  /** Entries (files, folders, links) in the preopen folders together; more refuses them before any copy. Default 10,000. */
  maxEntries?: number;
}

export interface CapturedOutput {
  /** Kept text (UTF-8, lossy), at most the cap. */
  text: string;
  /** Total bytes the guest wrote. */
  bytes: number;
  truncated: boolean;
  /** When truncated (stderr only): the end of the output (about 64 KiB, from a line start), where a trap is printed. */
  tail?: string;
}

export const TRAP_KINDS = [
  'unreachable',
  'out-of-bounds',
  'stack-overflow',
  'indirect-call',
  'integer-overflow',
  'divide-by-zero',
  'unaligned-atomic',
  'null-reference',
  'cannot-leave-instance',
  'link-error',
  'instantiation-error',
  'invalid-exit-status',
  'host-error',
  'other',
] as const;
export type TrapKind = (typeof TRAP_KINDS)[number];

export const FRAME_ORIGINS = ['adapter', 'shim', 'guest', 'host', 'unknown'] as const;
export type FrameOrigin = (typeof FRAME_ORIGINS)[number];

export interface Frame {
  /** Position in the backtrace, 0 = innermost. */
  index: number;
  /** Code offset in the binary, when printed. */
  offset?: number;
  /** Module part as printed (e.g. `wit-component:adapter:wasi_snapshot_preview1`, `<unknown>`). */
  module?: string;
  origin: FrameOrigin;
  /** Name as printed. */
  rawName: string;
  /** Demangled name without the Rust hash (e.g. `wasi_snapshot_preview1::macros::assert_fail`). */
  name: string;
}

export interface AdapterLine {
  line: number;
  /** 'assertion' for `assertion failed at adapter line N`, 'unreachable' for `unreachable at adapter line N`. */
  kind: 'assertion' | 'unreachable';
  /** The line as printed. */
  text: string;
}

export interface Trap {
  kind: TrapKind;
  /** The innermost / most specific message, e.g. `wasm trap: wasm \`unreachable\` instruction executed`. */
  message: string;
  /** The whole error chain, outermost first (wasmtime `Caused by:` entries, JS error + cause). */
  causes: string[];
  frames: Frame[];
  adapterLine?: AdapterLine;
  /** Which output format was recognised. */
  format: 'wasmtime-cli' | 'wasmtime-embedded' | 'v8' | 'text';
}

export interface RuntimeId {
  /** 'node:wasi' | 'preview2-shim' | 'wasmtime' | 'wasmtime-py-harness' */
  name: string;
  version: string;
}

export interface RunResult {
  phase: 'p1' | 'p2';
  runtime: RuntimeId;
  exitCode: number | null;
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  trap?: Trap;
  durationMs: number;
  timedOut: boolean;
  /**
   * The guest could not be loaded or linked by the host (e.g. unknown imports at instantiation): a fact about the
   * artifact, kept with a trap so the diagnosis sees it.
   */
  harnessError?: string;
  /**
   * The checker could not carry out this run: the host process could not start, crashed, or reported an internal
   * error. Not the guest's fault; the artifact's verdict becomes ERROR.
   */
  hostError?: string;
  /** A limit the checker set was hit during this run (the run was ended, or its output cut, because of it). */
  limit?: RunLimit;
  /** Time spent compiling/loading before the guest started (outside the time limit), when the host reports it. */
  compileMs?: number;
  /** Part of `compileMs`: turning the component into JS (embedded runtime, P2). */
  transpileMs?: number;
  /** Host process start-up before the guest started, besides `compileMs` (embedded runtime: Node and its modules). */
  hostStartMs?: number;
  /** The command line used, for reproduction; `--env` values shown as `KEY=***` in reports. */
  command?: string[];
}

export type LimitKind = 'time' | 'output' | 'memory' | 'disk' | 'budget';

export interface RunLimit {
  kind: LimitKind;
  /** The limit's value in its unit (ms for time/budget, bytes otherwise). */
  value: number;
  /** Human sentence, e.g. 'output cap 1 MiB reached: stdout cut at 1048576 of 5242880 bytes'. */
  message: string;
}

/** What a runner needs to know about a module, from inspect (never inspected twice). */
export interface GuestInfo {
  style: 'command' | 'reactor';
}

/** One runtime implementation. Only runtime/ starts processes. */
export interface Runner {
  readonly name: string;
  /**
   * Whether `runComponent` can instantiate a reactor component (no `wasi:cli/run` export). `wasmtime run` cannot, so
   * for the wasmtime runtime a reactor's component is converted but not run (and the report says so).
   */
  readonly runsReactors?: boolean;
  /** Host used for the P1 baseline and the P2 run, resolved once. */
  describe(): Promise<{ p1: RuntimeId; p2: RuntimeId }>;
  /** `guest`: what inspect found (the embedded host runs a reactor's `_initialize` instead of `_start`). */
  runModule(path: string, sandbox: Sandbox, guest?: GuestInfo): Promise<RunResult>;
  runComponent(path: string, sandbox: Sandbox): Promise<RunResult>;
}

/* ───────────────────────────── compare ───────────────────────────── */

/**
 * PASS: P2 behaves like P1. REGRESSION: works as P1, fails or differs as P2. PRE-EXISTING: already fails as P1.
 * CONVERT-FAIL: could not be converted. TIMEOUT: a run hit the time limit. INVALID-INPUT: not a usable wasm file.
 * NOT-WASI: not a WASI program (needs a specific non-WASI host: Node-API, a plugin host, a dynamic linker, a JS bridge).
 * ERROR: the checker could not carry out a run (host failed to start or crashed, harness error, a checker-set resource
 * limit made the comparison inconclusive): never PASS, never REGRESSION.
 * P2-FAIL: no P1 baseline exists (the input already is a component, or a core module built for WASI 0.2) and the P2
 * run failed (trapped, could not be loaded, or exited non-zero): it fails as P2, with nothing to compare against.
 */
export const VERDICTS = [
  'PASS',
  'REGRESSION',
  'PRE-EXISTING',
  'CONVERT-FAIL',
  'TIMEOUT',
  'INVALID-INPUT',
  'NOT-WASI',
  'ERROR',
  'P2-FAIL',
] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Difference {
  field: 'exitCode' | 'stdout' | 'stderr' | 'trap';
  p1: string;
  p2: string;
}

export interface Note {
  /** Stable code, e.g. 'exit-code-collapse', 'hosts-differ', 'reactor-exports-not-run'. */
  code: string;
  message: string;
}

export interface Comparison {
  verdict: Verdict;
  differences: Difference[];
  notes: Note[];
}

/* ───────────────────────────── diagnose ───────────────────────────── */

export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export interface Workaround {
  text: string;
  safe: boolean;
  /** Why it is (un)safe / when it applies. */
  why?: string;
}

export interface Link {
  title: string;
  url: string;
}

export interface Diagnosis {
  signatureId: string;
  title: string;
  confidence: Confidence;
  /** Ranking score (higher = more specific match). */
  score: number;
  cause: string;
  /** Evidence lines, rendered from the signature's template with the facts that matched. */
  evidence: string[];
  workarounds: Workaround[];
  links: Link[];
  /** 'note' = an expected, documented difference (e.g. exit-code collapse), not a breakage. Absent = 'failure'. */
  severity?: 'failure' | 'note';
}

/** A failure predicted from inspect facts alone, before anything runs. */
export interface Prediction {
  signatureId: string;
  title: string;
  message: string;
  /** true = the run confirmed it, false = the stage it is about ran and did not fail that way, null = not reached. */
  confirmed: boolean | null;
  /**
   * The same, said in words: 'confirmed'; 'contradicted' (the stage it is about ran and did not fail that way);
   * 'not-reached' (that stage did not run, or stopped at an earlier problem, so the run cannot tell).
   */
  outcome: 'confirmed' | 'contradicted' | 'not-reached';
  /** The stage the prediction is about: 'convert' (the encoder) or 'run' (the P2 run). */
  stage: 'convert' | 'run';
  /** Why it is not reached / contradicted, e.g. 'conversion stopped at an earlier problem: …'. */
  reason?: string;
}

export interface UnknownFailure {
  /** Stable hash of the normalised top frames + message. */
  fingerprint: string;
  summary: string;
  evidence: string[];
  /** Prefilled link to propose a new signature. */
  proposeUrl: string;
}

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

/**
 * What `explain` found in a log (or pasted text): the trap parsed from it, the module when one was given, and the
 * diagnoses. Rendered by report/ like a Report: terminal, Markdown, and JSON (`schemaVersion` first).
 */
export interface ExplainResult {
  schemaVersion: number;
  trap?: Trap;
  artifact?: Artifact;
  diagnoses: Diagnosis[];
  unknown?: UnknownFailure;
}
