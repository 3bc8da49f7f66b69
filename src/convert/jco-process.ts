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
 */
import { type ChildProcess, fork } from 'node:child_process';
import { jcoServerScript } from '../package/assets.js';
import { minimalHostEnv } from '../guard/env.js';
import type { JcoAnswer, JcoRequest, TranspileOptions } from './jco-protocol.js';

/** The converter process could not answer (it could not start, crashed or was killed): a checker problem. */
export class JcoProcessError extends Error {
  override name = 'JcoProcessError';
}

type Pending = { resolve: (answer: JcoAnswer) => void; reject: (e: Error) => void };
type Request = JcoRequest extends infer R ? (R extends JcoRequest ? Omit<R, 'id'> : never) : never;

let child: ChildProcess | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

function ended(proc: ChildProcess, why: string): void {
  if (child !== proc) return;
  child = undefined;
  for (const p of pending.values()) p.reject(new JcoProcessError(`the jco converter process ${why}`));
  pending.clear();
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
  const proc = fork(jcoServerScript(), [], {
    env: minimalHostEnv(),
    execArgv: [...JCO_SERVER_EXEC_ARGV],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  proc.on('message', (answer: JcoAnswer) => {
    const p = pending.get(answer.id);
    if (!p) return;
    pending.delete(answer.id);
    if (pending.size === 0) idle(proc);
    p.resolve(answer);
  });
  proc.on('exit', (code, signal) => ended(proc, signal ? `was killed by ${signal}` : `exited with code ${code}`));
  proc.on('error', (e) => ended(proc, `failed: ${e.message}`));
  child = proc;
  return proc;
}

/** While nothing is asked, the process and its channel do not keep the checker running. */
function idle(proc: ChildProcess): void {
  proc.unref();
  (proc.channel as { unref?: () => void } | undefined)?.unref?.();
}

function busy(proc: ChildProcess): void {
  proc.ref();
  (proc.channel as { ref?: () => void } | undefined)?.ref?.();
}

function ask(request: Request): Promise<JcoAnswer> {
  const proc = server();
  const id = ++nextId;
  return new Promise<JcoAnswer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
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

export async function componentNew(module: Uint8Array, adapters: [string, Uint8Array][]): Promise<Uint8Array> {
  const answer = await ask({ op: 'componentNew', module, adapters });
  if (!answer.ok) failure(answer);
  if (!('component' in answer)) throw new JcoProcessError('the jco converter process answered componentNew without a component');
  return answer.component;
}

export async function transpileBytes(
  component: Uint8Array,
  options: TranspileOptions,
): Promise<{ files: Record<string, Uint8Array>; exports: [string, string][] }> {
  const answer = await ask({ op: 'transpile', component, options });
  if (!answer.ok) failure(answer);
  if (!('files' in answer)) throw new JcoProcessError('the jco converter process answered transpile without files');
  return { files: answer.files, exports: answer.exports };
}

let users = 0;

/**
 * Runs `fn` (a check) and then ends the converter process once no check uses it any more, waiting for it to exit: a
 * check leaves no process behind. (Without this, the checker's own exit ends it too: its channel closes.)
 */
export async function withJcoProcess<T>(fn: () => Promise<T>): Promise<T> {
  users++;
  try {
    return await fn();
  } finally {
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
  }
}

/** The converter process's pid while it runs (tests: it must not outlive a check, and may be killed). */
export function jcoProcessPid(): number | undefined {
  return child?.pid;
}
