/**
 * Running a guest host (wasmtime, the embedded node hosts, the test harness) as a sandboxed child process.
 *
 * Shared by every runtime so that P1 and P2 runs are captured the same way:
 * - stdout/stderr go to files, never pipes (pipes truncate large guest output in some hosts, see field notes),
 *   then are read back capped at `outputCapBytes` with the total byte count kept;
 * - stdin is a file or empty (/dev/null), never the checker's own stdin;
 * - the child environment is exactly `env` (no inheritance);
 * - a wall-clock timeout kills the whole process group (the child is started `detached`, i.e. in its own group);
 * - it is started under the watchdog (watchdog.ts): it ends at its own deadline and as soon as the checker is gone.
 */
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import type { CapturedOutput, Preopen, RunLimit, RunResult, RuntimeId } from '../model.js';
import { compileTimeoutFor, DEFAULT_LIMITS, defaultOutputLimit, type EffectiveLimits } from '../guard/limits.js';
import { killGroup, releaseGroup, spawnGroup } from './interrupt.js';
import { assertExecutable, WATCHDOG_GRACE_MS, watched } from './watchdog.js';
import {
  CopyTimeError,
  copyBudget,
  copyTreeSafely,
  describeType,
  joinBytes,
  ENTRY_COST_BYTES,
  formatBytes,
  SandboxInputError,
} from '../guard/safe-fs.js';

export interface SandboxedProcessOptions {
  command: string;
  args: string[];
  /** The child's whole environment (nothing is inherited). See `minimalHostEnv()`. */
  env: Record<string, string>;
  cwd: string;
  /** File whose content is the child's stdin; empty stdin (/dev/null) when absent. */
  stdinFile?: string;
  timeoutMs: number;
  /** Bytes kept of each of stdout and stderr. */
  outputCapBytes: number;
  /** Directory for this run's captured output files (created when missing). */
  scratchDir: string;
  /**
   * Hard limit on the bytes written to the output files together; the process group is killed beyond it
   * (`outputLimitExceeded`). Protects the disk from a guest printing in a loop. Default: max(64 MiB, 16 × cap).
   */
  maxOutputFileBytes?: number;
  /**
   * The child writes a byte to fd 3 when the guest starts (the embedded hosts do, after compiling): the time limit
   * counts from there, and loading/compiling before it has its own limit (`compileTimeoutMs`).
   */
  readySignal?: boolean;
  /** Limit for the part before the ready signal. Default: compileTimeoutFor(timeoutMs). */
  compileTimeoutMs?: number;
  /** Folders the guest writes into (its preopen copies), measured while it runs; ended beyond `maxDiskBytes`. */
  watchDirs?: string[];
  maxDiskBytes?: number;
  /** How often the output files are measured while the child runs (default 50 ms). */
  outputPollMs?: number;
}

export interface SandboxedProcessResult {
  /** Exit code, or null when the process was ended by a signal or could not be started. */
  exitCode: number | null;
  /** Signal that ended the process, e.g. 'SIGKILL' after a timeout. */
  signal?: string;
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  timedOut: boolean;
  durationMs: number;
  /** Where the complete output was written (for reading more than the cap, e.g. the tail of stderr). */
  stdoutFile: string;
  stderrFile: string;
  /** The process could not be started at all (e.g. ENOENT): a harness problem, not the guest's. */
  spawnError?: string;
  /** The output files grew past `maxOutputFileBytes` (the child was ended, or had already finished). */
  outputLimitExceeded?: boolean;
  /** Time from the start to the ready signal (loading + compiling), when the child gave one. */
  compileMs?: number;
  /** Ended because it did not get ready (compile) within `compileTimeoutMs`. */
  compileTimedOut?: boolean;
  /** The watched folders grew past `maxDiskBytes`. */
  diskLimitExceeded?: boolean;
  /** Size of the watched folders at the end (see treeBytes). */
  diskBytes?: number;
}

let runCounter = 0;

/** Reads back at most `cap` bytes from the start of `file`; `bytes` is the file's full size. */
export async function readCapped(file: string, cap: number): Promise<CapturedOutput> {
  let size = 0;
  try {
    size = (await stat(file)).size;
  } catch {
    return { text: '', bytes: 0, truncated: false };
  }
  const keep = Math.max(0, Math.min(size, cap));
  const buf = Buffer.alloc(keep);
  if (keep > 0) {
    const fh = await open(file, 'r');
    try {
      await fh.read(buf, 0, keep, 0);
    } finally {
      await fh.close();
    }
  }
  return { text: decodeUtf8Prefix(buf, keep < size), bytes: size, truncated: keep < size };
}

/** Reads the last `bytes` bytes of `file` (for finding a trap at the end of a long stderr). */
export async function readTail(file: string, bytes: number): Promise<string> {
  const size = (await stat(file)).size;
  const start = Math.max(0, size - bytes);
  const buf = Buffer.alloc(size - start);
  const fh = await open(file, 'r');
  try {
    await fh.read(buf, 0, buf.length, start);
  } finally {
    await fh.close();
  }
  let text = buf.toString('utf8');
  // drop a partial first line (and a partial leading UTF-8 sequence with it)
  if (start > 0) {
    const nl = text.indexOf('\n');
    if (nl >= 0) text = text.slice(nl + 1);
  }
  return text;
}

/** Decodes lossily; when cut, drops an incomplete trailing UTF-8 sequence instead of showing U+FFFD. */
function decodeUtf8Prefix(buf: Buffer, cut: boolean): string {
  let end = buf.length;
  if (cut) {
    // step back over continuation bytes to the lead byte of the last sequence and check it is complete
    let i = end - 1;
    let cont = 0;
    while (i >= 0 && cont < 3 && (buf[i]! & 0xc0) === 0x80) {
      i--;
      cont++;
    }
    if (i >= 0) {
      const lead = buf[i]!;
      const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
      if (need > cont) end = i;
    }
  }
  return buf.subarray(0, end).toString('utf8');
}

/**
 * Opens the stdin file without following a final link and without blocking (a FIFO opens at once); anything but a
 * regular file is refused. (check() hands runners a checked copy; this holds for any caller.)
 */
function openStdin(file: string): number {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new Error(`stdin file ${file} is ${describeType(st)}: only regular files are accepted`);
  }
  return fd;
}

/**
 * Bytes a folder tree takes: file sizes (apparent, so a sparse file counts whole) plus a cost per entry.
 * Infinity when part of it cannot be measured because its path is too long: a guest on a host that walks folders
 * one `openat` at a time (wasmtime) can nest them past PATH_MAX, where whatever it writes would be out of sight.
 */
export async function treeBytes(dirs: string[], stopAbove = Number.POSITIVE_INFINITY): Promise<number> {
  let total = 0;
  // Names as bytes: a file the guest named with bytes that are not UTF-8 is measured too (as text it names nothing).
  const pending: (string | Buffer)[] = [...dirs];
  const tooLong = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENAMETOOLONG';
  while (pending.length > 0 && total <= stopAbove) {
    const dir = pending.pop()!;
    let entries: Dirent<Buffer>[];
    try {
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      if (tooLong(e)) return Number.POSITIVE_INFINITY;
      continue; // gone meanwhile
    }
    for (const entry of entries) {
      total += ENTRY_COST_BYTES;
      const file = joinBytes(dir, entry.name);
      if (entry.isDirectory()) pending.push(file);
      else if (entry.isFile()) {
        try {
          total += (await lstat(file)).size;
        } catch (e) {
          if (tooLong(e)) return Number.POSITIVE_INFINITY;
        }
      }
    }
  }
  return total;
}

/** How often the output files (cheap: two stats) and the preopen copies (a walk) are measured while the child runs. */
const OUTPUT_POLL_MS = 50;
const DISK_POLL_MS = 250;
/** Idle time between two walks of the preopen copies, as a multiple of the last walk's duration. */
const DISK_POLL_IDLE = 4;

/** Runs `command` sandboxed as described at the top of this file. Never throws for guest/host failures. */
export async function runSandboxedProcess(options: SandboxedProcessOptions): Promise<SandboxedProcessResult> {
  await mkdir(options.scratchDir, { recursive: true });
  const outDir = await mkdtemp(join(options.scratchDir, `proc-${process.pid}-${++runCounter}-`));
  const stdoutFile = join(outDir, 'stdout');
  const stderrFile = join(outDir, 'stderr');
  const cap = Math.max(0, options.outputCapBytes);
  const maxFileBytes = options.maxOutputFileBytes ?? defaultOutputLimit(cap);
  const watchDirs = options.watchDirs ?? [];
  const maxDiskBytes = options.maxDiskBytes ?? Number.POSITIVE_INFINITY;

  const stdoutFd = openSync(stdoutFile, 'w');
  const stderrFd = openSync(stderrFile, 'w');
  let stdinFd: number | undefined;
  const started = performance.now();
  let readyAt: number | undefined;
  let timedOut = false;
  let compileTimedOut = false;
  let outputLimitExceeded = false;
  let diskLimitExceeded = false;
  let spawnError: string | undefined;
  let exitCode: number | null = null;
  let signal: string | undefined;

  try {
    stdinFd = options.stdinFile !== undefined ? openStdin(options.stdinFile) : undefined;
    const stdin = stdinFd !== undefined ? stdinFd : 'ignore';
    assertExecutable(options.command, options.env, options.cwd);
    // Under the watchdog (watchdog.ts): fd 3 is the control pipe, which the host also uses for its ready signal.
    // The watchdog's own deadline: every limit the checker gives the host, plus a grace (the checker ends it first).
    const compileMs = options.readySignal ? (options.compileTimeoutMs ?? compileTimeoutFor(options.timeoutMs)) : 0;
    const deadlineMs = compileMs + options.timeoutMs + WATCHDOG_GRACE_MS;
    const host = watched(options.command, options.args, 3, options.readySignal === true, deadlineMs);
    // Started with the interrupt listeners in place: an interrupted checker kills the host's group (interrupt.ts).
    const child = spawnGroup(() =>
      spawn(host.command, host.args, {
        cwd: options.cwd,
        env: options.env,
        // The child's stdout *is* the file: no pipe in between (checked with fstat in the child).
        stdio: [stdin, stdoutFd, stderrFd, 'pipe'],
        detached: true,
        windowsHide: true,
      }),
    );
    const control = child.stdio[3] as (NodeJS.ReadableStream & { destroy(): void }) | null;
    control?.on('error', () => undefined);
    // Ended when the host has ended (not when every holder of its pipes has closed them: the watchers hold one).
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolveExit) => {
      child.once('exit', (code, signal) => resolveExit({ code, signal }));
      child.once('error', (error) => resolveExit({ code: null, signal: null, error }));
    });
    const pid = child.pid;
    const kill = () => killGroup(pid, () => child.kill('SIGKILL'));
    // The time limit measures the guest: with a ready signal, loading/compiling before it has its own limit.
    let timer = setTimeout(
      () => {
        if (options.readySignal) compileTimedOut = true;
        else timedOut = true;
        kill();
      },
      Math.max(1, options.readySignal ? (options.compileTimeoutMs ?? compileTimeoutFor(options.timeoutMs)) : options.timeoutMs),
    );
    if (options.readySignal) {
      control?.once('data', () => {
        if (readyAt !== undefined || compileTimedOut) return;
        readyAt = performance.now();
        clearTimeout(timer);
        timer = setTimeout(
          () => {
            timedOut = true;
            kill();
          },
          Math.max(1, options.timeoutMs),
        );
      });
    }
    const outputWatch = setInterval(() => {
      void Promise.all([stat(stdoutFile), stat(stderrFile)])
        .then(([a, b]) => {
          if (a.size + b.size > maxFileBytes && !outputLimitExceeded) {
            outputLimitExceeded = true;
            kill();
          }
        })
        .catch(() => undefined);
    }, options.outputPollMs ?? OUTPUT_POLL_MS);
    // A walk of a large tree is not free: the next one waits at least DISK_POLL_IDLE times as long as the last took,
    // so measuring never takes more than a fraction of a core from the guest (the final size is measured anyway).
    let nextWalkAt = 0;
    let measuring = false;
    const diskWatch =
      watchDirs.length > 0 && Number.isFinite(maxDiskBytes)
        ? setInterval(() => {
            if (measuring || performance.now() < nextWalkAt) return;
            measuring = true;
            const walkStarted = performance.now();
            void treeBytes(watchDirs, maxDiskBytes)
              .then((bytes) => {
                if (bytes > maxDiskBytes && !diskLimitExceeded) {
                  diskLimitExceeded = true;
                  kill();
                }
              })
              .finally(() => {
                measuring = false;
                nextWalkAt = performance.now() + DISK_POLL_IDLE * (performance.now() - walkStarted);
              });
          }, DISK_POLL_MS)
        : undefined;
    try {
      const result = await exited;
      if (result.error && pid === undefined) spawnError = result.error.message;
      exitCode = result.code;
      signal = result.signal ?? undefined;
    } finally {
      // The watchers see the pipe close and end with the group.
      control?.destroy();
      clearTimeout(timer);
      clearInterval(outputWatch);
      if (diskWatch) clearInterval(diskWatch);
      // Anything the child left behind in its group goes with it.
      if (timedOut || compileTimedOut || outputLimitExceeded || diskLimitExceeded) killGroup(pid, () => undefined);
      releaseGroup(pid);
    }
  } catch (error) {
    spawnError = error instanceof Error ? error.message : String(error);
  } finally {
    closeSync(stdoutFd);
    closeSync(stderrFd);
    if (stdinFd !== undefined) closeSync(stdinFd);
  }
  const ended = performance.now();
  const [stdout, stderr] = await Promise.all([readCapped(stdoutFile, cap), readCapped(stderrFile, cap)]);
  // Limits are judged on what was written, not on whether a poll caught it in time: a guest that wrote past a limit
  // hit it whether it finished before the next poll or was killed (both phases are classified alike).
  if (stdout.bytes + stderr.bytes > maxFileBytes) outputLimitExceeded = true;
  const diskBytes = watchDirs.length > 0 ? await treeBytes(watchDirs) : undefined;
  if (diskBytes !== undefined && diskBytes > maxDiskBytes) diskLimitExceeded = true;
  return {
    exitCode,
    ...(signal !== undefined ? { signal } : {}),
    stdout,
    stderr,
    timedOut,
    durationMs: Math.round(ended - (readyAt ?? started)),
    ...(readyAt !== undefined ? { compileMs: Math.round(readyAt - started) } : {}),
    stdoutFile,
    stderrFile,
    ...(spawnError !== undefined ? { spawnError } : {}),
    ...(outputLimitExceeded ? { outputLimitExceeded } : {}),
    ...(compileTimedOut ? { compileTimedOut } : {}),
    ...(diskLimitExceeded ? { diskLimitExceeded } : {}),
    ...(diskBytes !== undefined ? { diskBytes } : {}),
  };
}

/**
 * Gives a run its own fresh copy of each preopened directory (guests modify their preopens; the P2 run must not see
 * what the P1 run left behind). Returns the preopens pointing at the copies, guest paths unchanged. The copies hold
 * only regular files and folders (see safe-fs.ts): a link out of the folder or a special file refuses the run.
 */
export async function copyPreopens(
  dirs: Preopen[],
  scratchDir: string,
  limits: { diskBytes: number; entries: number } = DEFAULT_LIMITS,
  timeLimitMs?: number,
): Promise<Preopen[]> {
  if (dirs.length === 0) return [];
  await mkdir(scratchDir, { recursive: true });
  const root = await mkdtemp(join(scratchDir, 'preopens-'));
  const copies: Preopen[] = [];
  const budget = copyBudget(limits, timeLimitMs);
  for (const [i, dir] of dirs.entries()) {
    let source: string;
    try {
      source = await realpath(resolve(dir.host));
    } catch {
      throw new SandboxInputError(`preopen ${dir.host} (guest ${dir.guest}) does not exist`);
    }
    const target = join(root, `${i}-${basename(source) || 'root'}`);
    await copyTreeSafely(source, target, dir.host, budget);
    copies.push({ host: target, guest: dir.guest });
  }
  return copies;
}

/** The limit that stopped a run's preopen copy (its time limit), for the result of a run that could not start. */
export function copyLimitOf(e: unknown): RunLimit | undefined {
  return e instanceof CopyTimeError ? { kind: 'time', value: e.limitMs, message: e.message } : undefined;
}

/** A run the checker could not carry out (nothing ran, or not as configured): the result says why (`hostError`). */
export function notRunResult(phase: 'p1' | 'p2', runtime: RuntimeId, hostError: string, limit?: RunLimit): RunResult {
  const empty = { text: '', bytes: 0, truncated: false };
  return {
    phase,
    runtime,
    exitCode: null,
    stdout: empty,
    stderr: empty,
    durationMs: 0,
    timedOut: false,
    hostError,
    ...(limit ? { limit } : {}),
  };
}

/** How much of the end of a cut stderr is kept (`CapturedOutput.tail`): a trap is printed last. */
export const STDERR_TAIL_BYTES = 64 * 1024;

export interface RunContext {
  phase: 'p1' | 'p2';
  runtime: RuntimeId;
  /** The host as named in messages, e.g. 'wasmtime (/usr/bin/wasmtime)'. */
  hostName: string;
  command: string[];
  timeoutMs: number;
  limits: EffectiveLimits;
  /** Time spent compiling before this process (wasmtime compile), added to the process's own. */
  compileMs?: number;
}

/**
 * The one way a finished host process becomes a `RunResult`, for every runner and both phases: the same capped
 * output (with the tail of a cut stderr), the same reading of spawn errors, signals and limit flags. What the host
 * itself reports (a status file, a trap) is the runner's to add; traps are parsed by diagnose/, not here.
 */
export async function toRunResult(proc: SandboxedProcessResult, ctx: RunContext): Promise<RunResult> {
  const stderr = proc.stderr.truncated ? { ...proc.stderr, tail: await readTail(proc.stderrFile, STDERR_TAIL_BYTES) } : proc.stderr;
  const result: RunResult = {
    phase: ctx.phase,
    runtime: ctx.runtime,
    exitCode: proc.exitCode,
    stdout: proc.stdout,
    stderr,
    durationMs: proc.durationMs,
    timedOut: proc.timedOut,
    command: ctx.command,
  };
  const compileMs = (ctx.compileMs ?? 0) + (proc.compileMs ?? 0);
  if (ctx.compileMs !== undefined || proc.compileMs !== undefined) result.compileMs = compileMs;
  const endedByUs = proc.timedOut || proc.compileTimedOut || proc.outputLimitExceeded || proc.diskLimitExceeded;
  if (proc.spawnError !== undefined) {
    result.hostError = `cannot start ${ctx.hostName}: ${proc.spawnError}`;
  } else if (proc.compileTimedOut) {
    const limit = compileTimeoutFor(ctx.timeoutMs);
    result.hostError =
      `${ctx.hostName} did not finish compiling the guest within ` + `${limit / 1000} s (the compile limit; the guest never started)`;
    result.limit = { kind: 'time', value: limit, message: `compile limit of ${limit / 1000} s reached before the guest started` };
  } else if (proc.signal && !endedByUs) {
    result.hostError = `${ctx.hostName} was killed by ${proc.signal}`;
  }
  const written = proc.stdout.bytes + proc.stderr.bytes;
  if (!result.limit && proc.outputLimitExceeded) {
    result.limit = {
      kind: 'output',
      value: ctx.limits.outputBytes,
      message:
        `output limit of ${formatBytes(ctx.limits.outputBytes)} reached: ` +
        `the guest wrote ${written} bytes to stdout and stderr${proc.exitCode === null ? ' and was ended' : ''}`,
    };
  } else if (!result.limit && proc.diskLimitExceeded) {
    result.limit = {
      kind: 'disk',
      value: ctx.limits.diskBytes,
      message:
        `disk limit of ${formatBytes(ctx.limits.diskBytes)} reached: ` +
        (proc.diskBytes === Number.POSITIVE_INFINITY
          ? 'the guest nested folders in its preopen copy deeper than a path can reach (past PATH_MAX), out of measure'
          : `the preopen copies grew to ${proc.diskBytes ?? 'more than that'} bytes`) +
        (proc.exitCode === null ? ' and the guest was ended' : ''),
    };
  } else if (!result.limit && proc.timedOut) {
    result.limit = { kind: 'time', value: ctx.timeoutMs, message: `time limit of ${ctx.timeoutMs / 1000} s reached: the guest was ended` };
  }
  return result;
}

/** Marks a run that ended abnormally with its memory at the limit (a failed memory.grow is all the guest sees). */
export function memoryLimitHit(result: RunResult, memoryBytes: number | undefined, limits: EffectiveLimits): void {
  if (result.limit || memoryBytes === undefined || result.exitCode === 0) return;
  // A grow fails when it would pass the limit; allocators grow in steps of up to a few MiB.
  if (memoryBytes + MEMORY_SLACK_BYTES > limits.memoryBytes) {
    result.limit = {
      kind: 'memory',
      value: limits.memoryBytes,
      message: `memory limit of ${formatBytes(limits.memoryBytes)} reached: the guest's memory was ${memoryBytes} bytes when it failed`,
    };
  }
}

/** How close to the memory limit a failed run's memory must be to count as having hit it. */
export const MEMORY_SLACK_BYTES = 16 * 1024 * 1024;
