/**
 * The embedded runtime runs every guest in a child Node process (a host script bundled to
 * `dist/embedded-{p1,p2}-host.js`). The parent passes a JSON config file path as the only argument; the child
 * writes a status file before it exits, so the parent learns how the guest ended without parsing stderr.
 */
export interface HostConfig {
  /** P1: the core module file. P2: the directory holding the transpiled component (`component.js` + core wasm). */
  target: string;
  /** argv as the guest sees it (argv[0] = program name). */
  args: string[];
  env: Record<string, string>;
  /** guest path → host path (already a fresh copy for this run). */
  preopens: Record<string, string>;
  style: 'command' | 'reactor';
  statusFile: string;
  /** Limit of each guest memory in 64 KiB pages (wasmMemoryPages). */
  memoryPages: number;
}

/**
 * V8's limit on each wasm memory, in 64 KiB pages: the guest memory limit. The host sets it itself, at run time
 * (host-common.ts readConfig), not as a flag on its command line: any V8 flag there makes Node refuse the code cache
 * of its own built-in modules (it is keyed by V8's flags), which cost 10–15 ms of CPU per host start (issue 20).
 */
export function wasmMemoryPages(memoryBytes: number): number {
  return Math.max(1, Math.floor(memoryBytes / 65536));
}

export type HostStatus =
  /** Written right before the guest starts: from here on an exit code without a final status is the guest's own. */
  | { outcome: 'running'; compileMs: number }
  | { outcome: 'exit'; code: number }
  | { outcome: 'trap'; name: string; message: string; stack: string }
  | {
      outcome: 'error';
      message: string;
      stack?: string;
      /** The host itself could not carry out the run as the checker requires (not the guest's doing): hostError. */
      host?: boolean;
    };

/** What the host writes: the status, plus the compile time once the guest has started. */
export type HostStatusFile = HostStatus & {
  compileMs?: number;
  memoryBytes?: number;
  /** P2: whether preview2-shim's I/O thread was started (only when a guest call needs it; see lazy-worker.ts). */
  ioThread?: boolean;
  /** P2: what the may-leave guard held (may-leave.ts): core instances seen, realloc exports marked, imports guarded. */
  mayLeave?: { instances: number; reallocs: number; imports: number };
};

/** Exit code the hosts use when the guest trapped: 128 + SIGABRT, as the wasmtime CLI does on Unix. */
export const TRAP_EXIT_CODE = 134;
/** Exit code for a failure of the host itself (could not load or link the guest). */
export const HOST_ERROR_EXIT_CODE = 70;
