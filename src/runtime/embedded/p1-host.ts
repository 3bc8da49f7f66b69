/**
 * Child-process host for the P1 baseline of the embedded runtime: Node's `node:wasi` (preview1).
 * It must run out of the checker's process: node:wasi's `proc_raise` aborts the whole process, and a guest may loop.
 * The guest gets only the configured args, env and preopens; stdio are the inherited fds (files set by the parent).
 */
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { finish, readConfig, reportThrown, started, trackMemories } from './host-common.js';
import { conformingP1 } from './p1-conformance.js';

/** WASI errno `perm` (operation not permitted). */
const ERRNO_PERM = 63;

/**
 * node:wasi is not a security boundary (Node's own documentation): uvwasi checks paths lexically and lets the OS
 * follow links, so a link the guest makes is a way out of the preopen waiting for a lexical/physical mismatch.
 * The guest gets node:wasi's functions except the two that make links, which answer `perm`; its preopens are
 * sanitised copies holding only regular files and folders (guard/safe-fs.ts), so it meets no link at all.
 * The P2 host denies the same two operations, so both phases of the embedded runtime behave alike.
 */
function guardedImports(wasi: WASI, memory: () => WebAssembly.Memory | undefined): WebAssembly.Imports {
  const p1 = (wasi.getImportObject() as { wasi_snapshot_preview1: Record<string, (...args: never[]) => number> }).wasi_snapshot_preview1;
  return {
    wasi_snapshot_preview1: {
      ...p1,
      // node:wasi's departures from the WASI P1 spec, corrected (p1-conformance.ts).
      ...conformingP1(p1 as Parameters<typeof conformingP1>[0], memory),
      // node:wasi ends the guest by throwing a private symbol that only wasi.start() catches: from a start function
      // (run by instantiate) it would surface as a host error. The status is kept so the exit is the guest's.
      proc_exit: (code: number) => {
        exitedWith = code >>> 0;
        return (p1.proc_exit as (code: number) => number)(code);
      },
      path_symlink: () => ERRNO_PERM,
      path_link: () => ERRNO_PERM,
      // node:wasi would raise the signal in the host process itself (an abort, a core dump, a crash indistinguishable
      // from the host's own): the guest's abort is a trap instead, as it is under wasmtime.
      proc_raise: (signal: number) => {
        throw new WebAssembly.RuntimeError(`proc_raise(${signal}): the guest raised signal ${signal}`);
      },
    },
  } as WebAssembly.Imports;
}

const config = readConfig();
let instance: WebAssembly.Instance;
let wasi: WASI;
/** The status the guest gave proc_exit (set before node:wasi unwinds the guest). */
let exitedWith: number | undefined;
/** Set once the module compiled: what instantiate throws after that comes from the guest's start function or linking. */
let compiled = false;
try {
  wasi = new WASI({
    version: 'preview1',
    args: config.args,
    env: config.env,
    preopens: config.preopens,
    returnOnExit: true,
  });
  const compileStart = performance.now();
  const module = await WebAssembly.compile(readFileSync(config.target));
  compiled = true;
  instance = await WebAssembly.instantiate(
    module,
    guardedImports(wasi, () => instance?.exports.memory as WebAssembly.Memory | undefined),
  );
  trackMemories(instance);
  started(config, Math.round(performance.now() - compileStart));
} catch (e) {
  // A start function is guest code: its proc_exit is an exit and its trap a trap (a LinkError stays a host error).
  if (exitedWith !== undefined) finish(config, { outcome: 'exit', code: exitedWith });
  reportThrown(config, e, compiled && e instanceof WebAssembly.RuntimeError ? 'run' : 'link');
}
try {
  if (config.style === 'command') {
    const code = wasi.start(instance);
    finish(config, { outcome: 'exit', code: typeof code === 'number' ? code : 0 });
  } else {
    // A reactor: only its initialisation runs (`_initialize`, when exported).
    wasi.initialize(instance);
    finish(config, { outcome: 'exit', code: 0 });
  }
} catch (e) {
  reportThrown(config, e, 'run');
}
