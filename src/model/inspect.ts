/**
 * What inspect finds in a file: its kind and the facts of a core module or a component (built once, read by every later stage).
 */

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
