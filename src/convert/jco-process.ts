/**
 * jco's componentNew and transpile, run in one long-lived child process (jco-server.ts) instead of the checker.
 *
 * Why (profiled, issue 11): jco's wasm-tools and bindgen modules and their memories take the checker's resident memory
 * from ~80 to ~200 MB, and every host process the checker starts is a fork of it: spawning took 25-45 ms of the
 * checker's main thread each (2 per artifact), against ~9 ms from a small process. And conversion no longer competes
 * with the checker's own work on its thread. The process gets an empty environment; it only ever sees artifact bytes.
 *
 * A failure of jco (a conversion error, a component it cannot transpile) is the answer to that request, as before.
 * The process itself failing is not the artifact's fault: the request fails with `JcoProcessError` (and the next one
 * starts a new process).
 *
 * Each request runs under limits (`JcoLimits`: time from when the process takes it up, and the process's resident
 * memory). Past one, the process is killed and replaced, the request fails with `JcoLimitError` naming the limit (the
 * artifact's verdict is ERROR, never a PASS after minutes), and the requests that were waiting are asked again of the
 * new process. The process runs under the watchdog (runtime/watchdog.ts): it ends as soon as the checker is gone.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { jcoServerScript } from '../package/assets.js';
import { minimalHostEnv } from '../guard/env.js';
import { formatBytes } from '../guard/safe-fs.js';
import type { RunLimit } from '../model.js';
import { watched } from '../runtime/watchdog.js';
import type { JcoAnswer, JcoRequest, TranspileOptions } from './jco-protocol.js';

/** The converter process could not answer (it could not start, crashed or was killed): a checker problem. */
export class JcoProcessError extends Error {
  override name = 'JcoProcessError';
}

/** A request went past one of its limits: the process was replaced; `limit` says which. */
export class JcoLimitError extends JcoProcessError {
  override name = 'JcoLimitError';
  constructor(
    message: string,
    readonly limit: RunLimit,
  ) {
    super(message);
  }
}

/** The process was replaced because of another request's limit: this one is asked again. */
class JcoReplacedError extends JcoProcessError {}

/** What one request may cost: time once the process has taken it up, and the process's resident memory. */
export interface JcoLimits {
  timeMs: number;
  memoryBytes: number;
}

type Pending = {
  resolve: (answer: JcoAnswer) => void;
  reject: (e: Error) => void;
  what: string;
  limits?: JcoLimits;
  timer?: NodeJS.Timeout;
};
type Request = JcoRequest extends infer R ? (R extends JcoRequest ? Omit<R, 'id'> : never) : never;

let child: ChildProcess | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;
/** The request the process is working on (it takes them one at a time), and the memory watch while it does. */
let current: number | undefined;
let memoryWatch: NodeJS.Timeout | undefined;
/** How often the process's resident memory is measured while it works on a request. */
const MEMORY_POLL_MS = 100;
/**
 * A request with more input than this retires the process once it is idle: wasm memories never shrink, so after a
 * large artifact jco's memories would stay as large (measured: ~6 GB after a 524 MB module) for the rest of the check.
 */
let retireAfterInputBytes = 64 * 1024 * 1024;

/** Sets the input size past which the process is retired (the default is 64 MiB). */
export function retireAfterInput(bytes: number): void {
  retireAfterInputBytes = bytes;
}
/** The process to end once it has answered everything it was asked. */
let retiring: ChildProcess | undefined;

function ended(proc: ChildProcess, why: string, culprit?: { id: number; error: JcoLimitError }): void {
  if (child !== proc) return;
  child = undefined;
  current = undefined;
  if (memoryWatch) clearInterval(memoryWatch);
  memoryWatch = undefined;
  for (const [id, p] of pending) {
    clearTimeout(p.timer);
    if (culprit?.id === id) p.reject(culprit.error);
    else if (culprit) p.reject(new JcoReplacedError(`the jco converter process was replaced (${culprit.error.message})`));
    else p.reject(new JcoProcessError(`the jco converter process ${why}`));
  }
  pending.clear();
}

/** Kills the process for request `id`'s limit; that request fails with the limit, the others are asked again. */
function overLimit(proc: ChildProcess, id: number, limit: RunLimit): void {
  const p = pending.get(id);
  if (!p || child !== proc) return;
  ended(proc, 'was killed', { id, error: new JcoLimitError(limit.message, limit) });
  killTree(proc);
}

function killTree(proc: ChildProcess): void {
  try {
    if (proc.pid !== undefined) process.kill(-proc.pid, 'SIGKILL');
  } catch {
    proc.kill('SIGKILL');
  }
}

/**
 * The process's resident memory (Linux: /proc), or undefined where it cannot be read: now (`VmRSS`), or its peak since
 * the last `resetPeak` (`VmHWM`).
 */
export function residentBytes(pid: number, which: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | undefined {
  try {
    const line = which === 'VmHWM' ? /^VmHWM:\s+(\d+) kB$/m : /^VmRSS:\s+(\d+) kB$/m;
    const match = line.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the process's peak (VmHWM) afresh (Linux ≥ 4.0: clear_refs 5), so that it measures one request. */
function resetPeak(pid: number | undefined): void {
  try {
    if (pid !== undefined) writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not Linux, or not allowed: the samples alone watch the memory
  }
}

/** Ends the process when `rss` is past the request's memory limit; true when it did. */
function pastMemoryLimit(proc: ChildProcess, id: number, rss: number | undefined): boolean {
  const p = pending.get(id);
  const limits = p?.limits;
  if (!p || !limits || rss === undefined || rss <= limits.memoryBytes) return false;
  overLimit(proc, id, {
    kind: 'memory',
    value: limits.memoryBytes,
    message:
      `memory limit of ${formatBytes(limits.memoryBytes)} for ${p.what} reached ` +
      `(the converter's resident memory was ${formatBytes(rss)}): the converter was ended`,
  });
  return true;
}

/** The process has taken up request `id`: its time limit counts from now, and its memory is watched. */
function startedOn(proc: ChildProcess, id: number): void {
  const p = pending.get(id);
  if (!p || child !== proc) return;
  current = id;
  const limits = p.limits;
  if (!limits) return;
  p.timer = setTimeout(
    () =>
      overLimit(proc, id, {
        kind: 'time',
        value: limits.timeMs,
        message: `time limit of ${limits.timeMs / 1000} s for ${p.what} reached: the converter was ended`,
      }),
    limits.timeMs,
  );
  if (memoryWatch) clearInterval(memoryWatch);
  // Sampled now and every MEMORY_POLL_MS while it works, and its peak is read when it answers (a request shorter than
  // one interval is measured too).
  resetPeak(proc.pid);
  const sample = () => current === id && proc.pid !== undefined && pastMemoryLimit(proc, id, residentBytes(proc.pid));
  if (sample()) return;
  memoryWatch = setInterval(sample, MEMORY_POLL_MS);
  memoryWatch.unref();
}

/**
 * V8 flags of the converter process. `--liftoff-only`: jco's wasm-tools and bindgen modules stay on V8's baseline
 * compiler instead of being recompiled by TurboFan when hot. Measured (issue 11, 34 fixtures cold, embedded, 2 runs
 * each): the process's peak RSS 183-214 MB -> 120 MB, the whole process tree's 449-455 MB -> 353-370 MB, and the run
 * no slower (13.0-15.5 s -> 11.1-12.3 s on a loaded 2-core machine). Guests never run in this process.
 */
export const JCO_SERVER_EXEC_ARGV: readonly string[] = ['--liftoff-only'];

function server(): ChildProcess {
  if (child) return child;
  // Under the watchdog (fd 4: its control pipe; fd 3 is the IPC channel), in a process group of its own.
  const host = watched(process.execPath, [...JCO_SERVER_EXEC_ARGV], 4, false, undefined);
  const proc = fork(jcoServerScript(), [], {
    env: minimalHostEnv(),
    execPath: host.command,
    execArgv: host.args,
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc', 'pipe'],
    detached: true,
  });
  const control = proc.stdio[4] as (NodeJS.ReadableStream & { destroy(): void; unref?(): void }) | null;
  control?.on('error', () => undefined);
  // The pipe alone never keeps the checker running (the channel and the process are held while a request is out).
  (control as { unref?: () => void } | null)?.unref?.();
  proc.on('message', (answer: JcoAnswer | { id: number; started: true }) => {
    if ('started' in answer) return startedOn(proc, answer.id);
    const p = pending.get(answer.id);
    if (!p) return;
    if (p.limits && proc.pid !== undefined && pastMemoryLimit(proc, answer.id, residentBytes(proc.pid, 'VmHWM'))) return;
    clearTimeout(p.timer);
    pending.delete(answer.id);
    if (current === answer.id) current = undefined;
    if (pending.size === 0) {
      idle(proc);
      if (retiring === proc) retire(proc);
    }
    p.resolve(answer);
  });
  proc.on('exit', (code, signal) => {
    control?.destroy();
    ended(proc, signal ? `was killed by ${signal}` : `exited with code ${code}`);
  });
  proc.on('error', (e) => ended(proc, `failed: ${e.message}`));
  child = proc;
  return proc;
}

/** Ends an idle process (the next request starts a new one); it goes at once, its memory with it. */
function retire(proc: ChildProcess): void {
  retiring = undefined;
  if (child === proc) child = undefined;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  retired.add(exited);
  void exited.then(() => retired.delete(exited));
  if (proc.connected) proc.disconnect();
  else proc.kill();
}

/** Retired processes still exiting (a check waits for them too). */
const retired = new Set<Promise<void>>();

/** While nothing is asked, the process and its channel do not keep the checker running. */
function idle(proc: ChildProcess): void {
  proc.unref();
  (proc.channel as { unref?: () => void } | undefined)?.unref?.();
}

function busy(proc: ChildProcess): void {
  proc.ref();
  (proc.channel as { ref?: () => void } | undefined)?.ref?.();
}

/** Asks the process (a new one when another request's limit replaced it while this one waited). */
async function ask(request: Request, what: string, limits: JcoLimits | undefined, inputBytes: number): Promise<JcoAnswer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await askOnce(request, what, limits, inputBytes);
    } catch (e) {
      if (!(e instanceof JcoReplacedError) || attempt >= 3) throw e;
    }
  }
}

function askOnce(request: Request, what: string, limits: JcoLimits | undefined, inputBytes: number): Promise<JcoAnswer> {
  const proc = server();
  const id = ++nextId;
  if (inputBytes > retireAfterInputBytes) retiring = proc;
  return new Promise<JcoAnswer>((resolve, reject) => {
    pending.set(id, { resolve, reject, what, ...(limits ? { limits } : {}) });
    busy(proc);
    proc.send({ ...request, id } as JcoRequest, (e) => {
      if (e && pending.delete(id)) {
        if (pending.size === 0) idle(proc);
        reject(new JcoProcessError(`cannot reach the jco converter process: ${e.message}`));
      }
    });
  });
}

/** jco's error as jco gave it: an Error (with wit-component's chain in its message) or a string. */
function failure(answer: Extract<JcoAnswer, { ok: false }>): never {
  throw typeof answer.error === 'string' ? answer.error : new Error(answer.error.message);
}

export async function componentNew(module: Uint8Array, adapters: [string, Uint8Array][], limits?: JcoLimits): Promise<Uint8Array> {
  const answer = await ask({ op: 'componentNew', module, adapters }, 'converting the module (componentNew)', limits, module.length);
  if (!answer.ok) failure(answer);
  if (!('component' in answer)) throw new JcoProcessError('the jco converter process answered componentNew without a component');
  return answer.component;
}

/**
 * componentNew whose component the converter writes to `outPath` itself: the component's bytes never come back to
 * the checker (for a large module, one copy less in the checker and none in the channel). Returns its size.
 */
export async function componentNewToFile(
  module: Uint8Array,
  adapters: [string, Uint8Array][],
  outPath: string,
  limits?: JcoLimits,
): Promise<number> {
  const answer = await ask(
    { op: 'componentNew', module, adapters, outPath },
    'converting the module (componentNew)',
    limits,
    module.length,
  );
  if (!answer.ok) failure(answer);
  if (!('written' in answer)) throw new JcoProcessError('the jco converter process answered componentNew without writing the component');
  return answer.written;
}

export async function transpileBytes(
  component: Uint8Array,
  options: TranspileOptions,
  limits?: JcoLimits,
): Promise<{ files: Record<string, Uint8Array>; exports: [string, string][] }> {
  const answer = await ask({ op: 'transpile', component, options }, 'transpiling the component (jco transpile)', limits, component.length);
  if (!answer.ok) failure(answer);
  if (!('files' in answer)) throw new JcoProcessError('the jco converter process answered transpile without files');
  return { files: answer.files, exports: answer.exports };
}

/**
 * transpile whose files (but `.d.ts`) the converter writes into `outDir` itself: the core modules' bytes never come back
 * to the checker. Answers the files' names with their sha256, the generated JS and the exports.
 */
export async function transpileToDir(
  component: Uint8Array,
  options: TranspileOptions,
  outDir: string,
  limits?: JcoLimits,
): Promise<{ written: [string, string][]; js: Uint8Array | undefined; exports: [string, string][] }> {
  const request = { op: 'transpile' as const, component, options, outDir };
  const answer = await ask(request, 'transpiling the component (jco transpile)', limits, component.length);
  if (!answer.ok) failure(answer);
  if (!('wroteFiles' in answer)) throw new JcoProcessError('the jco converter process answered transpile without writing the files');
  return { written: answer.wroteFiles, js: answer.js, exports: answer.exports };
}

let users = 0;

/**
 * Marks the converter process as in use (by a check session) until the returned function is called; that call ends the
 * process once nobody uses it any more, waiting for it to exit: a check leaves no process behind. The process itself
 * starts at the first request. (Without this, the checker's own exit ends it too: its channel closes.)
 */
export function useJcoProcess(): () => Promise<void> {
  users++;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    users--;
    const proc = child;
    if (users === 0 && proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      // Held while waiting: an unreferenced child would let the checker's event loop run dry and end it right here.
      proc.ref();
      if (proc.connected) proc.disconnect();
      else proc.kill();
      await exited;
    }
    if (users === 0) await Promise.all(retired);
  };
}

/** The converter process's pid while it runs (tests: it must not outlive a check, and may be killed). */
export function jcoProcessPid(): number | undefined {
  return child?.pid;
}
