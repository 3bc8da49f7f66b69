/**
 * The wasmtime runtime: `wasmtime run` for both the P1 baseline (wasmtime runs core wasip1 modules natively) and the
 * P2 component, so both sides run on the same engine.
 *
 * Only explicit flags reach the guest: `--dir HOST::GUEST` per preopen (a fresh copy per run), `--env K=V` per
 * variable, the sandbox args after the file. wasmtime itself gets a minimal environment (no inheritance), stdin from a
 * file or empty, stdout/stderr to files, and a wall-clock timeout that kills its process group.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { parseTrap } from '../../diagnose/trap/parse.js';
import type { RunResult, Runner, RuntimeId, Sandbox } from '../../model.js';
import { copyPreopens, minimalHostEnv, notRunResult, readTail, runSandboxedProcess } from '../process.js';
import { limitsOf } from '../limits.js';
import { cliFeatures } from './release.js';

export interface WasmtimeRunnerOptions {
  /** The wasmtime executable (or anything that behaves like `wasmtime run`, e.g. the test harness). */
  binary: string;
  /** Its version (from `--version`): selects the flags the CLI understands. */
  version: string;
  /** Scratch directory: per-run preopen copies and captured output. */
  workDir: string;
  /** RuntimeId name; default 'wasmtime' ('wasmtime-py-harness' for the test harness, see resolveWasmtime). */
  runtimeName?: string;
}

/** How much of the end of stderr is read back for trap parsing when the kept part is truncated. */
const TRAP_TAIL_BYTES = 256 * 1024;

/** The `wasmtime run …` argument list for one run (exported for tests and for `RunResult.command`). */
export function wasmtimeRunArgs(
  version: string,
  phase: 'p1' | 'p2',
  file: string,
  sandbox: Pick<Sandbox, 'args' | 'env'> & { dirs: { host: string; guest: string }[] },
): { args: string[]; cwd?: string } {
  const features = cliFeatures(version);
  if (!features.supported) {
    throw new Error(`wasmtime ${version} is too old: wasm-p2-check drives the wasmtime 14+ CLI (--dir HOST::GUEST, -S, -W)`);
  }
  const args = ['run'];
  if (phase === 'p2' && features.componentModelFlag) args.push('-W', 'component-model=y');
  // P2 only: the adapter maps any non-zero proc_exit to wasi:cli/exit's err; with exit-with-code available a guest
  // calling it directly keeps its code. P1 modules get their exit code natively.
  if (phase === 'p2' && features.cliExitWithCode) args.push('-S', 'cli-exit-with-code=y');
  for (const dir of sandbox.dirs) args.push('--dir', `${dir.host}::${dir.guest}`);
  for (const [key, value] of Object.entries(sandbox.env)) args.push('--env', `${key}=${value}`);
  // argv[0] is the file's base name, as in the embedded runtime.
  const base = path.basename(file);
  if (features.argv0) {
    args.push('--argv0', base, path.resolve(file));
    return { args: [...args, ...sandbox.args] };
  }
  // Before --argv0 (v24) wasmtime passes the file as given: run from its directory with the bare name.
  args.push(base.startsWith('-') ? `./${base}` : base);
  return { args: [...args, ...sandbox.args], cwd: path.dirname(path.resolve(file)) };
}

export function createWasmtimeRunner(opts: WasmtimeRunnerOptions): Runner {
  const runtime: RuntimeId = { name: opts.runtimeName ?? 'wasmtime', version: opts.version };
  let counter = 0;

  async function run(phase: 'p1' | 'p2', file: string, sandbox: Sandbox): Promise<RunResult> {
    await mkdir(opts.workDir, { recursive: true });
    const runDir = await mkdtemp(path.join(opts.workDir, `wasmtime-${++counter}-${phase}-`));
    let args: string[];
    let cwd: string | undefined;
    try {
      const dirs = await copyPreopens(sandbox.dirs, path.join(runDir, 'preopens'), limitsOf(sandbox).diskBytes);
      ({ args, cwd } = wasmtimeRunArgs(opts.version, phase, file, { ...sandbox, dirs }));
    } catch (e) {
      return notRunResult(phase, runtime, `cannot prepare the run: ${(e as Error).message}`);
    }
    const proc = await runSandboxedProcess({
      command: opts.binary,
      args,
      env: minimalHostEnv(),
      cwd: cwd ?? runDir,
      stdinFile: sandbox.stdinFile,
      timeoutMs: sandbox.timeoutMs,
      outputCapBytes: sandbox.outputCapBytes,
      scratchDir: runDir,
    });
    const result: RunResult = {
      phase,
      runtime,
      exitCode: proc.exitCode,
      stdout: proc.stdout,
      stderr: proc.stderr,
      durationMs: proc.durationMs,
      timedOut: proc.timedOut,
      command: [opts.binary, ...args],
    };
    if (proc.spawnError !== undefined) {
      result.hostError = `cannot start wasmtime (${opts.binary}): ${proc.spawnError}`;
      return result;
    }
    if (proc.outputLimitExceeded) {
      result.harnessError = 'output limit exceeded: the guest wrote more than the checker keeps on disk; wasmtime was killed';
      return result;
    }
    if (proc.timedOut) return result;
    if (proc.signal) {
      result.hostError = `wasmtime was killed by ${proc.signal}`;
    }
    if (proc.exitCode !== 0) {
      // The trap is at the end of stderr: when the kept part is cut, parse the tail of the full file instead.
      const text = proc.stderr.truncated ? await readTail(proc.stderrFile, TRAP_TAIL_BYTES) : proc.stderr.text;
      const trap = parseTrap(text);
      if (trap) result.trap = trap;
    }
    return result;
  }

  return {
    name: 'wasmtime',
    async describe() {
      return { p1: runtime, p2: runtime };
    },
    runModule: (file, sandbox) => run('p1', file, sandbox),
    runComponent: (file, sandbox) => run('p2', file, sandbox),
  };
}
