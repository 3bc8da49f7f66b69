import { closeSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { HOST_ERROR_EXIT_CODE, TRAP_EXIT_CODE, type HostConfig, type HostStatus, type HostStatusFile } from './host-protocol.js';

export function readConfig(): HostConfig {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: embedded-host CONFIG.json\n');
    process.exit(HOST_ERROR_EXIT_CODE);
  }
  const config = JSON.parse(readFileSync(file, 'utf8')) as HostConfig;
  // The guest memory limit, set before any guest module is compiled (see wasmMemoryPages in host-protocol.ts).
  if (!Number.isSafeInteger(config.memoryPages) || config.memoryPages < 1) {
    process.stderr.write(`embedded-host: no valid memoryPages in ${file}\n`);
    process.exit(HOST_ERROR_EXIT_CODE);
  }
  setFlagsFromString(`--wasm-max-mem-pages=${config.memoryPages}`);
  return config;
}

let compiledIn: number | undefined;
let finished = false;
/** The guest's linear memories (exported ones), measured when the host ends: a run that hit the memory limit says so. */
const memories: WebAssembly.Memory[] = [];

export function trackMemories(instance: WebAssembly.Instance): void {
  for (const value of Object.values(instance.exports)) if (value instanceof WebAssembly.Memory) memories.push(value);
}

function memoryBytes(): number | undefined {
  return memories.length > 0 ? Math.max(...memories.map((m) => m.buffer.byteLength)) : undefined;
}

/** Extra facts a host adds to its status file (the P2 host: whether the shim's I/O thread ran). */
type ExtraStatus = Pick<HostStatusFile, 'ioThread' | 'mayLeave'>;
let extraStatus: () => ExtraStatus = () => ({});

export function addToStatus(extra: () => ExtraStatus): void {
  extraStatus = extra;
}

function writeStatus(config: HostConfig, status: HostStatus): void {
  const memory = memoryBytes();
  const file: HostStatusFile = {
    ...status,
    ...(compiledIn !== undefined ? { compileMs: compiledIn } : {}),
    ...(memory !== undefined ? { memoryBytes: memory } : {}),
    ...extraStatus(),
  };
  writeFileSync(config.statusFile, JSON.stringify(file));
}

/**
 * Marks the start of the guest (see HostStatus 'running') and tells the parent on fd 3 (the ready signal: the time
 * limit counts from here; compiling came before). From here on, a guest's own exit (proc_exit / wasi:cli/exit calls
 * process.exit) still leaves its status behind.
 */
export function started(config: HostConfig, compileMs: number): void {
  compiledIn = compileMs;
  writeStatus(config, { outcome: 'running', compileMs });
  process.on('exit', (code) => {
    if (!finished) writeStatus(config, { outcome: 'exit', code });
  });
  try {
    writeSync(3, 'r');
    closeSync(3);
  } catch {
    // started without the ready pipe (run by hand)
  }
}

export function finish(config: HostConfig, status: HostStatus): never {
  finished = true;
  writeStatus(config, status);
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
  const isTrap = phase === 'run' && (e instanceof WebAssembly.RuntimeError || (e instanceof RangeError && /call stack/i.test(e.message)));
  if (isTrap) finish(config, { outcome: 'trap', name: e.name, message: e.message, stack });
  finish(config, { outcome: 'error', message: `${e.name}: ${e.message}`, stack });
}

/** Deep guest recursion should show as many wasm frames as the trap parser can use. */
Error.stackTraceLimit = 200;
