/**
 * What runtime/ owns: the sandbox a run gets, its captured output and trap, the run result, and the Runner interface.
 */

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

/** What a runner needs to know about a component, from inspect (never inspected twice). */
export interface ComponentInfo {
  /**
   * The interfaces the component imports (`wasi:http/types@0.2.12`, …): a host links the worlds they belong to
   * (`wasmtime run -S http` for wasi:http).
   */
  imports: readonly string[];
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
  runComponent(path: string, sandbox: Sandbox, component?: ComponentInfo): Promise<RunResult>;
}
