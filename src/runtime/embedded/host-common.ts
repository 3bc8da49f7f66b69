import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { HOST_ERROR_EXIT_CODE, TRAP_EXIT_CODE, type HostConfig, type HostStatus } from './host-protocol.js';

export function readConfig(): HostConfig {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: embedded-host CONFIG.json\n');
    process.exit(HOST_ERROR_EXIT_CODE);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as HostConfig;
}

/** Marks the start of the guest (see HostStatus 'running'). */
let compiledIn: number | undefined;
export function started(config: HostConfig, compileMs: number): void {
  compiledIn = compileMs;
  writeFileSync(config.statusFile, JSON.stringify({ outcome: 'running', compileMs } satisfies HostStatus));
}

export function finish(config: HostConfig, status: HostStatus): never {
  writeFileSync(config.statusFile, JSON.stringify({ ...status, ...(compiledIn !== undefined ? { compileMs: compiledIn } : {}) }));
  process.exit(status.outcome === 'exit' ? status.code : status.outcome === 'trap' ? TRAP_EXIT_CODE : HOST_ERROR_EXIT_CODE);
}

/**
 * A wasm trap surfaces in V8 as a `WebAssembly.RuntimeError` (or a `RangeError` for stack exhaustion). Everything else
 * thrown while the guest runs is a host/harness problem. The stack goes to stderr as V8 prints it, which is what users
 * of jco-based hosts see.
 */
export function reportThrown(config: HostConfig, error: unknown, phase: 'link' | 'run'): never {
  const e = error instanceof Error ? error : new Error(String(error));
  const stack = e.stack ?? `${e.name}: ${e.message}`;
  // The adapter prints its assertion without a newline right before trapping: keep the stack on its own line.
  writeSync(2, `\n${stack}\n`);
  const isTrap =
    phase === 'run' &&
    (e instanceof WebAssembly.RuntimeError || (e instanceof RangeError && /call stack/i.test(e.message)));
  if (isTrap) finish(config, { outcome: 'trap', name: e.name, message: e.message, stack });
  finish(config, { outcome: 'error', message: `${e.name}: ${e.message}`, stack });
}

/** Deep guest recursion should show as many wasm frames as the trap parser can use. */
Error.stackTraceLimit = 200;
