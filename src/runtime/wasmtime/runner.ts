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
import type { ComponentInfo, Preopen, RunResult, Runner, RuntimeId, Sandbox } from '../../model.js';
import { compileTimeoutFor, limitsOf } from '../../guard/limits.js';
import { minimalHostEnv } from '../../guard/env.js';
import { copyLimitOf, copyPreopens, notRunResult, runSandboxedProcess, toRunResult } from '../process.js';
import { removeTree } from '../remove.js';
import { formatBytes } from '../../guard/safe-fs.js';
import { compiledCache } from './compiled-cache.js';
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
  /** Keep each run's scratch files (preopen copies, compiled code, output) instead of removing them after the run. */
  keepFiles?: boolean;
  /** Folder where compiled code is kept between runs (see compiled-cache.ts); absent: every run compiles. */
  compileCacheDir?: string;
}

/** What the run adds to the guest's own flags: limits, and a precompiled file (`wasmtime compile` ran first). */
export interface RunExtras {
  /** Each linear memory's limit (`-W max-memory-size`); growing past it traps (`-W trap-on-grow-failure`). */
  memoryBytes?: number;
  /** `file` is the output of `wasmtime compile` (named like the original, so argv[0] is unchanged). */
  precompiled?: boolean;
  /** The component's interface imports (from inspect): `-S http` when one is wasi:http's. */
  imports?: readonly string[];
}

/**
 * A wasi:http interface (`wasi:http/types@0.2.12`): `wasmtime run` links the CLI world only; `-S http` (the v14+ CLI's
 * WASI options) adds wasi:http, as the embedded host (preview2-shim) always has it.
 */
export const importsWasiHttp = (imports: readonly string[] | undefined): boolean =>
  imports?.some((i) => i.startsWith('wasi:http/')) === true;

/** The -W flags a phase needs (shared by `compile` and `run`, so the compiled code matches the run's engine). */
function engineFlags(version: string, phase: 'p1' | 'p2'): string[] {
  return phase === 'p2' && cliFeatures(version).componentModelFlag ? ['-W', 'component-model=y'] : [];
}

/** The `wasmtime run …` argument list for one run (exported for tests and for `RunResult.command`). */
export function wasmtimeRunArgs(
  version: string,
  phase: 'p1' | 'p2',
  file: string,
  sandbox: Pick<Sandbox, 'args' | 'env'> & { dirs: { host: string; guest: string }[] },
  extras: RunExtras = {},
): { args: string[]; cwd?: string } {
  const features = cliFeatures(version);
  if (!features.supported) {
    throw new Error(`wasmtime ${version} is too old: wasm-p2-check drives the wasmtime 14+ CLI (--dir HOST::GUEST, -S, -W)`);
  }
  const args = ['run', ...engineFlags(version, phase)];
  if (extras.memoryBytes !== undefined) args.push('-W', `max-memory-size=${extras.memoryBytes},trap-on-grow-failure=y`);
  if (extras.precompiled) args.push('--allow-precompiled');
  // P2 only: the adapter maps any non-zero proc_exit to wasi:cli/exit's err; with exit-with-code available a guest
  // calling it directly keeps its code. P1 modules get their exit code natively.
  if (phase === 'p2' && features.cliExitWithCode) args.push('-S', 'cli-exit-with-code=y');
  // P2 only: a component importing wasi:http gets it linked, so both runtimes give it the same host world.
  if (phase === 'p2' && importsWasiHttp(extras.imports)) args.push('-S', 'http');
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

/** A trap wasmtime raises for a memory.grow past `-W max-memory-size` (with trap-on-grow-failure). */
const GROW_FAILURE_RE = /forcing (?:a )?(?:memory growth failure to be a trap|trap when growing memory)/i;

export function createWasmtimeRunner(opts: WasmtimeRunnerOptions): Runner {
  const runtime: RuntimeId = { name: opts.runtimeName ?? 'wasmtime', version: opts.version };
  const hostName = `wasmtime (${opts.binary})`;
  let counter = 0;
  const caches = opts.compileCacheDir
    ? {
        p1: compiledCache(opts.compileCacheDir, {
          binary: opts.binary,
          version: opts.version,
          flags: ['p1', ...engineFlags(opts.version, 'p1')],
        }),
        p2: compiledCache(opts.compileCacheDir, {
          binary: opts.binary,
          version: opts.version,
          flags: ['p2', ...engineFlags(opts.version, 'p2')],
        }),
      }
    : undefined;

  /**
   * `wasmtime compile` first, under its own generous limit, so that the time limit measures the guest. When compiling
   * fails (not a valid module: the run reports it as wasmtime words it) the run takes the original file.
   */
  async function precompile(phase: 'p1' | 'p2', file: string, sandbox: Sandbox, runDir: string) {
    const out = path.join(runDir, 'compiled', path.basename(file));
    await mkdir(path.dirname(out), { recursive: true });
    const started = performance.now();
    if (await caches?.[phase].fetch(file, out)) return { ok: true, out, ms: Math.round(performance.now() - started) };
    const args = ['compile', ...engineFlags(opts.version, phase), '-o', out, path.resolve(file)];
    const proc = await runSandboxedProcess({
      command: opts.binary,
      args,
      env: minimalHostEnv(),
      cwd: runDir,
      timeoutMs: compileTimeoutFor(sandbox.timeoutMs),
      outputCapBytes: 64 * 1024,
      scratchDir: runDir,
    });
    const ok = proc.exitCode === 0 && !proc.timedOut && proc.spawnError === undefined;
    if (ok) await caches?.[phase].store(file, out);
    return { proc, out, ok, ms: proc.durationMs };
  }

  async function run(phase: 'p1' | 'p2', file: string, sandbox: Sandbox, component?: ComponentInfo): Promise<RunResult> {
    await mkdir(opts.workDir, { recursive: true });
    const runDir = await mkdtemp(path.join(opts.workDir, `wasmtime-${++counter}-${phase}-`));
    const limits = limitsOf(sandbox);
    try {
      // biome-ignore lint/style/useConst: assigned by destructuring below
      let args: string[];
      // biome-ignore lint/style/useConst: assigned by destructuring below
      let cwd: string | undefined;
      let dirs: Preopen[];
      try {
        // Copying is bounded by the run's time limit (a preopen of many files must not cost minutes per run).
        dirs = await copyPreopens(sandbox.dirs, path.join(runDir, 'preopens'), limits, sandbox.timeoutMs);
        wasmtimeRunArgs(opts.version, phase, file, { ...sandbox, dirs }); // refuses a CLI too old before compiling
      } catch (e) {
        return notRunResult(phase, runtime, `cannot prepare the run: ${(e as Error).message}`, copyLimitOf(e));
      }
      const compiled = await precompile(phase, file, sandbox, runDir);
      if (compiled.proc && (compiled.proc.spawnError !== undefined || compiled.proc.timedOut)) {
        // The checker could not get the guest compiled: no run, no verdict about the guest.
        const result = await toRunResult(
          { ...compiled.proc, timedOut: false, compileTimedOut: compiled.proc.timedOut },
          {
            phase,
            runtime,
            hostName,
            command: [opts.binary, 'compile', path.resolve(file)],
            timeoutMs: sandbox.timeoutMs,
            limits,
          },
        );
        return { ...result, exitCode: null, compileMs: compiled.proc.durationMs };
      }
      const target = compiled.ok ? compiled.out : file;
      ({ args, cwd } = wasmtimeRunArgs(
        opts.version,
        phase,
        target,
        { ...sandbox, dirs },
        { memoryBytes: limits.memoryBytes, precompiled: compiled.ok, ...(component ? { imports: component.imports } : {}) },
      ));
      const proc = await runSandboxedProcess({
        command: opts.binary,
        args,
        env: minimalHostEnv(),
        cwd: cwd ?? runDir,
        stdinFile: sandbox.stdinFile,
        timeoutMs: sandbox.timeoutMs,
        outputCapBytes: sandbox.outputCapBytes,
        maxOutputFileBytes: limits.outputBytes,
        scratchDir: runDir,
        watchDirs: dirs.map((d) => d.host),
        maxDiskBytes: limits.diskBytes,
      });
      const result = await toRunResult(proc, {
        phase,
        runtime,
        hostName,
        command: [opts.binary, ...args],
        timeoutMs: sandbox.timeoutMs,
        limits,
        compileMs: compiled.ms,
      });
      if (!result.limit && result.exitCode !== 0 && GROW_FAILURE_RE.test(result.stderr.tail ?? result.stderr.text)) {
        result.limit = {
          kind: 'memory',
          value: limits.memoryBytes,
          message: `memory limit of ${formatBytes(limits.memoryBytes)} reached: a memory.grow past it trapped`,
        };
      }
      return result;
    } finally {
      if (!opts.keepFiles) await removeTree(runDir);
    }
  }

  return {
    name: 'wasmtime',
    async describe() {
      return { p1: runtime, p2: runtime };
    },
    runModule: (file, sandbox) => run('p1', file, sandbox),
    runComponent: (file, sandbox, component) => run('p2', file, sandbox, component),
  };
}
