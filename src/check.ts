/**
 * The pipeline, nothing else, as a prepared session:
 *
 *   const session = await prepareCheck(options); // once: discover the artifacts, snapshot the sandbox (stdin file,
 *                                                // preopens), load the signatures, open the work folder and the
 *                                                // converter process
 *   try {
 *     const bound = await session.bind();        // a runtime: its runner and adapters (options.runtime/wasmtime/adapter)
 *     const report = bound.report(await bound.checkAll()); // or bound.checkArtifact(file), file of session.files
 *   } finally {
 *     await session.dispose();                   // ends the converter process, removes the work folder
 *   }
 *
 * check(options) is exactly that. Per artifact: inspect → predict → P1 baseline → convert → P2 → compare → diagnose.
 * Each artifact's problems are its own result; one bad file never stops the others. A configuration that cannot be
 * carried out (a ConfigError from prepareCheck or bind) stops before any artifact runs and is the report's
 * `configurationError` (configurationErrorReport), so every output still says what happened; the shells turn it into a
 * usage error.
 *
 * Several runtimes on one session (a release matrix, a baseline): `session.bind({ runtime, wasmtime, adapter })` as
 * often as wanted, one after the other or at once. Bindings share the session's sandbox snapshot, signatures, result
 * cache store, converter process, concurrency limit and time budget; each has its own runner, adapters, cache counts
 * and report. With `shareP1Runs`, bindings whose P1 host is the same (name and version) run each artifact's P1
 * baseline once between them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { lstat, mkdir } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pLimit, { type LimitFunction } from 'p-limit';
import { contextDigest, decodeEntry, encodeEntry, isCacheable, resultKey, type ResultStore } from './cache/index.js';
import { compare, isReactor, outputOnlyRegression } from './compare/index.js';
import { adapterKindFor, convertModule } from './convert/index.js';
import { useJcoProcess } from './convert/jco-process.js';
import { resolveAdapters, type AdapterSet } from './convert/resolve.js';
import { confirmPredictions, diagnose, predict } from './diagnose/engine.js';
import { prepareSignatures, type PreparedSignatures } from './diagnose/signatures.js';
import { type Discovered, discover, selectShard } from './discover/index.js';
import { componentInterfaceImports, loadArtifact } from './inspect/index.js';
import { redactCommand } from './report/log-safe.js';
import {
  REPORT_SCHEMA_VERSION,
  type Artifact,
  type ArtifactResult,
  type ConversionResult,
  type Note,
  type Report,
  type RunResult,
  type RuntimeId,
  type Runner,
  type Sandbox,
} from './model.js';
import {
  ConfigError,
  type AdapterSpec,
  type CheckOptions,
  type ProgressEvent,
  type RuntimeChoice,
  type WasmtimeOptions,
} from './options/index.js';
import { summarize } from './report/summary.js';
import { createRunner } from './runtime/index.js';
import { withBudget } from './runtime/budget.js';
import { removeOnInterrupt } from './runtime/interrupt.js';
import { removeTree } from './runtime/remove.js';
import { artifactMemoryEstimate, defaultMemoryBudget, MemoryBudget } from './runtime/admission.js';
import { ownerTag, removeStaleWorkDirs, WORK_DIR_PREFIX } from './runtime/stale.js';
import { withTrap } from './diagnose/trap/of-run.js';
import { SandboxInputError } from './guard/safe-fs.js';
import { converterLimitsFor } from './guard/limits.js';
import { prepareSandbox } from './runtime/sandbox.js';
import { VERSION } from './package/version.js';

/** The whole check: prepare, bind the configured runtime, check every artifact, report (see the top of this file). */
export async function check(options: CheckOptions): Promise<Report> {
  let session: CheckSession;
  try {
    session = await prepareCheck(options);
  } catch (e) {
    if (e instanceof ConfigError) return configurationErrorReport(options, e);
    throw e;
  }
  try {
    let bound: BoundRuntime;
    try {
      bound = await session.bind();
    } catch (e) {
      if (e instanceof ConfigError) return configurationErrorReport(options, e);
      throw e;
    }
    return bound.report(await bound.checkAll());
  } finally {
    await session.dispose();
  }
}

/** One artifact to check: where it is, and the path the report shows (as it matched). */
export interface ArtifactFile {
  absPath: string;
  shownPath: string;
  /** Why a glob's match is reported without being read (a link or special file: discover/index.ts). */
  skipped?: string;
}

/** A runtime to bind to a session; `bind()` without one binds the check options' own. */
export interface RuntimeSpec {
  runtime: RuntimeChoice;
  wasmtime?: WasmtimeOptions;
  /** Default `{ kind: 'auto' }`. */
  adapter?: AdapterSpec;
}

export interface BindOptions {
  /** Take each artifact's P1 run from another binding of this session with the same P1 host, or run it for both. */
  shareP1Runs?: boolean;
  /** What this binding's report is called (default: the check options' `label`). */
  label?: string;
}

/** What is prepared once, whatever runtime checks it. */
export interface CheckSession {
  readonly options: CheckOptions;
  /** Scratch folder of every binding (the options' `workDir`, or a temp folder of the session's own). */
  readonly workDir: string;
  /** The artifacts that matched (this shard's), in input order. */
  readonly files: readonly ArtifactFile[];
  /** The sandbox with its stdin file and preopens snapshotted: what every run of the session gets. */
  readonly sandbox: Sandbox;
  /** The signature database, parsed when a diagnosis first needs it (a fully cached run loads none). */
  readonly signatures: PreparedSignatures;
  /** @throws ConfigError when the runtime or the adapter cannot be had */
  bind(spec?: RuntimeSpec, bindOptions?: BindOptions): Promise<BoundRuntime>;
  /** Ends the converter process and removes the work folder (unless kept). */
  dispose(): Promise<void>;
}

/** A session with a runtime (runner and adapters): checks artifacts and reports them. */
export interface BoundRuntime {
  readonly session: CheckSession;
  readonly hosts: { p1: RuntimeId; p2: RuntimeId };
  checkArtifact(file: ArtifactFile): Promise<ArtifactResult>;
  /** Every file's result (a few at once, in input order). */
  checkAll(): Promise<ArtifactResult[]>;
  /** The report of these results (this binding's runtime, adapter, warnings and cache counts). */
  report(results: ArtifactResult[]): Report;
}

/**
 * Prepare a check (see the top of this file).
 * @throws ConfigError when no artifact matched, a literal path does not exist, or the sandbox's inputs cannot be used
 */
export async function prepareCheck(options: CheckOptions): Promise<CheckSession> {
  const ownWorkDir = !options.workDir;
  // Named for its owner: a run after a checker that died without removing its folder removes it (runtime/stale.ts).
  const workDir = options.workDir ?? path.join(tmpdir(), `${WORK_DIR_PREFIX}${ownerTag()}-${randomUUID()}`);
  if (ownWorkDir) await removeStaleWorkDirs(tmpdir());
  // A temp folder of our own is removed even when the checker is interrupted (registered before it exists).
  const forgetWorkDir = ownWorkDir && !options.keepWorkDir ? removeOnInterrupt(workDir) : () => undefined;
  const removeWorkDir = async () => {
    if (!options.keepWorkDir && ownWorkDir) await removeTree(workDir);
    forgetWorkDir();
  };
  await mkdir(workDir, { recursive: !ownWorkDir, mode: 0o700 });
  try {
    const all = await discover(options.patterns, options.cwd);
    // Nothing checked never looks green: a path that does not exist (a typo, a mistyped subcommand) is a usage error
    // naming it, like a glob that matches nothing — in every shard, since every shard is given the same list.
    const unmatched = discoveryError(all, options.patterns);
    if (unmatched) throw new ConfigError('artifacts', unmatched);
    // A shard may well be empty (few artifacts, many shards): an empty report, not an error.
    const found = options.shard ? selectShard(all, options.shard) : all;
    // The stdin file and preopen folders are untrusted data: checked and snapshotted once, before anything runs.
    // prepareSandbox names the input (any failure to read or copy it, e.g. a path too long to copy, is one).
    const sandbox = await prepareSandbox(options.sandbox, options.cwd, path.join(workDir, 'sandbox')).catch((e: unknown) => {
      // prepareSandbox sets `option` on every refusal it throws; anything else is a bug, not a configuration error.
      if (!(e instanceof SandboxInputError) || e.option === undefined) throw e;
      throw new ConfigError(e.option, e.message);
    });
    const signatures = await prepareSignatures(options.signatureDirs ?? []);
    const files = found.files.map((file) => {
      const skipped = found.skipped.get(file);
      return { absPath: path.resolve(options.cwd, file), shownPath: file, ...(skipped ? { skipped } : {}) };
    });
    return new Session(options, workDir, files, sandbox, signatures, removeWorkDir);
  } catch (e) {
    await removeWorkDir();
    throw e;
  }
}

/** The report of a check whose configuration cannot be carried out: nothing was run. */
export function configurationErrorReport(options: CheckOptions, e: ConfigError): Report {
  const none: RuntimeId = { name: 'none', version: '' };
  return buildReport(options, { requested: options.runtime, p1: none, p2: none }, [], {
    configurationError: { option: e.option, message: e.message },
  });
}

class Session implements CheckSession {
  /** Artifacts checked at once, over all bindings (each run is its own child process). */
  readonly limit: LimitFunction;
  /** Artifacts admitted by their memory estimate (runtime/admission.ts), within `limit`. */
  readonly memory: MemoryBudget;
  /** P1 runs that bindings with `shareP1Runs` share, by P1 host and artifact. */
  readonly p1Runs = new Map<string, Promise<RunResult>>();
  /** The whole check's time budget ends here (set when the first runtime is bound). */
  private deadline: number | undefined;
  private bindings = 0;
  private readonly releaseConverter = useJcoProcess();

  constructor(
    readonly options: CheckOptions,
    readonly workDir: string,
    readonly files: readonly ArtifactFile[],
    readonly sandbox: Sandbox,
    readonly signatures: PreparedSignatures,
    private readonly removeWorkDir: () => Promise<void>,
  ) {
    this.limit = pLimit(Math.max(1, options.concurrency ?? Math.min(4, availableParallelism())));
    this.memory = new MemoryBudget(options.memoryBudgetBytes ?? defaultMemoryBudget());
  }

  /** Runs `work` once the artifact's memory estimate fits the budget beside the artifacts already running. */
  async admit<T>(file: ArtifactFile, work: () => Promise<T>): Promise<T> {
    const size = await lstat(file.absPath).then(
      (s) => s.size,
      () => 0,
    );
    return this.memory.run(artifactMemoryEstimate(size), work);
  }

  progress(event: ProgressEvent): void {
    this.options.onProgress?.(event);
  }

  /** A message about the whole check (not one artifact's stage). */
  log(message: string): void {
    this.progress({ artifact: '', stage: 'inspect', message });
  }

  async bind(spec: RuntimeSpec = this.options, bindOptions: BindOptions = {}): Promise<BoundRuntime> {
    // The first binding's folders are named as they always were; the others get their own (a run's files are named by
    // a per-runner counter, an artifact's scratch folder by its path).
    const n = this.bindings++;
    const suffix = n === 0 ? '' : `-${n}`;
    const selection = await createRunner({
      runtime: spec.runtime,
      wasmtime: spec.wasmtime,
      cwd: this.options.cwd,
      workDir: path.join(this.workDir, `runs${suffix}`),
      keepFiles: this.options.keepWorkDir === true,
      log: (message) => this.log(message),
    });
    // One time budget for the whole check: the runs it leaves no time for are reported, not started.
    const budgetMs = this.options.budgetMs;
    if (budgetMs !== undefined) this.deadline ??= performance.now() + budgetMs;
    const runner = withBudget(selection.runner, budgetMs, this.deadline);
    const hosts = await runner.describe();
    const adapters = await resolveAdapters(spec.adapter ?? { kind: 'auto' }, selection.adapterRuntime);
    const warnings = [...selection.warnings, ...adapters.warnings];
    for (const w of warnings) this.log(`warning: ${w.message}`);
    const runtime = { requested: spec.runtime, p1: hosts.p1, p2: hosts.p2 };
    const store = this.options.cache;
    const cache: CacheUse | undefined = store
      ? { store, context: await contextDigest({ runtime, sandbox: this.sandbox, signatures: this.signatures.version }), hits: 0, misses: 0 }
      : undefined;
    return new Binding(this, { runner, runtime, adapters, warnings, cache }, path.join(this.workDir, `artifacts${suffix}`), bindOptions);
  }

  async dispose(): Promise<void> {
    try {
      await this.releaseConverter();
    } finally {
      await this.removeWorkDir();
    }
  }
}

/** The result cache during one binding: the store, the key part every artifact shares, and the counts. */
interface CacheUse {
  store: ResultStore;
  context: string;
  hits: number;
  misses: number;
}

/** What binding a runtime resolved. */
interface BoundParts {
  runner: Runner;
  runtime: Report['runtime'];
  adapters: AdapterSet;
  warnings: Note[];
  cache: CacheUse | undefined;
}

class Binding implements BoundRuntime {
  readonly hosts: { p1: RuntimeId; p2: RuntimeId };

  constructor(
    readonly session: Session,
    private readonly parts: BoundParts,
    private readonly scratchDir: string,
    private readonly bindOptions: BindOptions,
  ) {
    this.hosts = { p1: parts.runtime.p1, p2: parts.runtime.p2 };
  }

  async checkAll(): Promise<ArtifactResult[]> {
    this.session.progress({ artifact: '', stage: 'inspect', total: this.session.files.length });
    return Promise.all(
      this.session.files.map((file) => this.session.limit(() => this.session.admit(file, () => this.checkArtifact(file)))),
    );
  }

  report(results: ArtifactResult[]): Report {
    const { options } = this.session;
    const { adapters, warnings, cache } = this.parts;
    const label = this.bindOptions.label ?? options.label;
    return buildReport(options, this.parts.runtime, results, {
      adapter: adapters.report,
      ...(warnings.length ? { warnings } : {}),
      ...(cache ? { cache: { hits: cache.hits, misses: cache.misses } } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
      ...(label ? { label } : {}),
    });
  }

  async checkArtifact(file: ArtifactFile): Promise<ArtifactResult> {
    const { session } = this;
    const { cache, adapters } = this.parts;
    const progress = this.progressOf(file);
    progress('inspect');
    // A link or special file a glob matched is named, never read (discover/index.ts).
    if (file.skipped) {
      progress('done', 'INVALID-INPUT');
      return invalidResult({ path: file.shownPath, size: 0, sha256: '', kind: 'invalid', error: file.skipped });
    }
    // Read once (lstat first, regular files only, size-capped: see guard/safe-fs.ts): inspect and convert share the bytes.
    const loaded = await loadArtifact(file.absPath, session.options.maxArtifactBytes);
    const artifact = { ...loaded.artifact, path: file.shownPath };
    if (artifact.kind === 'not-wasm' || artifact.kind === 'invalid') {
      progress('done', 'INVALID-INPUT');
      return invalidResult(artifact);
    }
    const log = (message: string) => session.log(`${file.shownPath}: ${message}`);
    let key: string | undefined;
    if (cache) {
      // The adapter is part of the key: a module converted with another adapter may behave differently.
      const adapterSha = artifact.kind === 'module' ? adapters[adapterKindFor(artifact)].info.sha256 : undefined;
      if (artifact.kind !== 'module' || adapterSha) {
        key = resultKey(cache.context, artifact.sha256, path.basename(file.absPath), adapterSha);
        const text = await cache.store.read(key).catch(() => undefined);
        const entry = text === undefined ? undefined : decodeEntry(text, key, artifact.sha256);
        if (entry?.ok) {
          cache.hits++;
          progress('done', `${entry.result.verdict} (cached)`);
          return {
            ...entry.result,
            artifact: { ...entry.result.artifact, path: file.shownPath },
            cached: { key, storedAt: entry.storedAt },
          };
        }
        if (entry && !entry.ok) log(`cached result ignored (${entry.reason}); checking it again`);
        cache.misses++;
      }
    }
    const result = await this.checkFresh(file, loaded.bytes, artifact);
    if (cache && key && isCacheable(result)) {
      await cache.store.write(key, encodeEntry(key, result)).catch((e: Error) => log(`result not cached: ${e.message}`));
    }
    return result;
  }

  private progressOf(file: ArtifactFile): (stage: ProgressEvent['stage'], message?: string) => void {
    return (stage, message) => this.session.progress({ artifact: file.shownPath, stage, message });
  }

  /** The P1 baseline run of a module: this binding's own, or (shareP1Runs) the one of the session's with the same host. */
  private runP1(file: ArtifactFile, artifact: Artifact): Promise<RunResult> {
    const { runner } = this.parts;
    const progress = this.progressOf(file);
    const run = () => {
      progress('p1');
      return runner.runModule(file.absPath, this.session.sandbox, { style: artifact.module!.style }).then(withTrap);
    };
    if (!this.bindOptions.shareP1Runs) return run();
    const key = JSON.stringify([this.hosts.p1.name, this.hosts.p1.version, file.absPath, artifact.sha256]);
    let shared = this.session.p1Runs.get(key);
    // The progress says which of the two it is (a release matrix's P1 runs are counted by it).
    if (shared) progress('p1', 'the P1 run another binding started (shared)');
    else this.session.p1Runs.set(key, (shared = run()));
    return shared;
  }

  private async checkFresh(file: ArtifactFile, bytes: Uint8Array | undefined, artifact: Artifact): Promise<ArtifactResult> {
    const { options, sandbox } = this.session;
    const db = await this.session.signatures.load();
    const { runner } = this.parts;
    const progress = this.progressOf(file);
    const predictions = predict(artifact, db);
    const scratch = path.join(this.scratchDir, createHash('sha256').update(file.absPath).digest('hex').slice(0, 12));
    await mkdir(scratch, { recursive: true });

    // The P1 run (a child process) goes on while the module is converted and its component runs: the phases are
    // independent (each run has its own process and its own preopen copies), so neither waits for the other.
    let p1Run: Promise<RunResult> | undefined;
    let conversion: ConversionResult | undefined;
    let componentPath = file.absPath;
    if (artifact.kind === 'module') {
      // A module built for WASI 0.2 directly cannot run as P1: there is nothing to compare, only the P2 run.
      if (!artifact.module!.targetsWasiP2) {
        p1Run = this.runP1(file, artifact);
        // Awaited below; should a step in between throw, its failure is the one reported, not an unhandled rejection.
        p1Run.catch(() => undefined);
      }
      progress('convert');
      // Named like the artifact: the file name is argv[0] for the guest, as it was for the P1 run.
      const adapter = this.parts.adapters[adapterKindFor(artifact)];
      const limits = converterLimitsFor(options.sandbox.timeoutMs, bytes!.length);
      conversion = await convertModule(bytes!, adapter, path.join(scratch, path.basename(file.absPath)), limits);
      if (conversion.componentPath) componentPath = conversion.componentPath;
    } else {
      conversion = { ok: true, skipped: true, durationMs: 0 };
    }

    let p2: RunResult | undefined;
    const runnable = !isReactor(artifact) || runner.runsReactors === true;
    if (conversion.ok && runnable) {
      progress('p2');
      p2 = withTrap(await runner.runComponent(componentPath, sandbox, { imports: componentInterfaceImports(artifact) }));
    }
    const p1 = await p1Run;
    let comparison = compare(artifact, p1, conversion, p2);
    if (outputOnlyRegression(comparison, p1, p2)) {
      // Output alone differs: once more P1 (same sandbox, caps and time limit as every run), so that output the program
      // varies by itself (its CPU time, a clock, a random value) is not taken for the adapter's doing.
      progress('p1', 'output differs: P1 again, to tell output that varies by itself');
      const again = withTrap(await runner.runModule(file.absPath, sandbox, { style: artifact.module!.style }));
      comparison = compare(artifact, p1, conversion, p2, again);
    }
    if (conversion.ok && !runnable) {
      comparison.notes.push({
        code: 'reactor-not-run',
        message:
          `${runner.name} cannot run a reactor component (it exports no wasi:cli/run): the conversion was checked, ` +
          `the component was not run. The embedded runtime (runtime 'embedded') instantiates reactors.`,
      });
    }
    // This artifact is done with its files (the component): they go now, not at the end of the whole check.
    if (!options.keepWorkDir) await removeTree(scratch);
    progress('diagnose');
    const { diagnoses, unknown, corroborated } = diagnose({ artifact, verdict: comparison.verdict, p1, p2, conversion }, db);
    progress('done', comparison.verdict);
    return {
      artifact,
      predictions: confirmPredictions(predictions, diagnoses, { verdict: comparison.verdict, conversion, p2 }, corroborated),
      p1: redactRun(p1),
      conversion: conversion.skipped ? conversion : { ...conversion, componentPath: undefined },
      p2: redactRun(p2),
      verdict: comparison.verdict,
      differences: comparison.differences,
      notes: comparison.notes,
      diagnoses,
      unknown,
    };
  }
}

/** Why the artifact list cannot be checked as given, or undefined: a literal path that does not exist, or no match. */
function discoveryError(found: Discovered, patterns: readonly string[]): string | undefined {
  const quote = (list: readonly string[]) => list.map((p) => `'${p}'`).join(', ');
  if (found.missing.length) return `no such file: ${quote(found.missing)} (a path, not a glob: it must exist; nothing was checked)`;
  if (found.files.length === 0) return `no artifacts matched ${quote(patterns) || '(no patterns given)'}`;
  return undefined;
}

function buildReport(
  options: CheckOptions,
  runtime: Report['runtime'],
  results: ArtifactResult[],
  extra: Pick<Report, 'adapter' | 'warnings' | 'configurationError' | 'cache' | 'shard' | 'label'>,
): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'wasm-p2-check', version: VERSION },
    createdAt: new Date().toISOString(),
    runtime,
    sandbox: {
      args: options.sandbox.args,
      envKeys: Object.keys(options.sandbox.env),
      dirs: options.sandbox.dirs,
      stdin: options.sandbox.stdinFile !== undefined,
      timeoutMs: options.sandbox.timeoutMs,
      outputCapBytes: options.sandbox.outputCapBytes,
    },
    results,
    summary: summarize(results),
    ...extra,
  };
}

/** `--env` values are the user's (possibly secrets): every report shows the run's command line with `KEY=***`. */
function redactRun(run: RunResult | undefined): RunResult | undefined {
  return run?.command ? { ...run, command: redactCommand(run.command) } : run;
}

function invalidResult(artifact: Artifact): ArtifactResult {
  return { artifact, predictions: [], verdict: 'INVALID-INPUT', differences: [], notes: [], diagnoses: [] };
}
