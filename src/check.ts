import { createHash, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import pLimit from 'p-limit';
import path from 'node:path';
import { contextDigest, decodeEntry, encodeEntry, isCacheable, resultKey, type ResultStore } from './cache/index.js';
import { compare, isReactor, outputOnlyRegression } from './compare/index.js';
import { adapterKindFor, convertModule } from './convert/index.js';
import { withJcoProcess } from './convert/jco-process.js';
import { resolveAdapters, type AdapterSet } from './convert/resolve.js';
import { confirmPredictions, diagnose, predict } from './diagnose/engine.js';
import { loadSignatures, type SignatureDb } from './diagnose/signatures.js';
import { type Discovered, discover, selectShard } from './discover/index.js';
import { loadArtifact } from './inspect/index.js';
import { redactCommand } from './report/log-safe.js';
import {
  REPORT_SCHEMA_VERSION,
  type Artifact,
  type ArtifactResult,
  type ConversionResult,
  type Report,
  type RunResult,
  type RuntimeId,
  type Sandbox,
} from './model.js';
import { ConfigError, type CheckOptions } from './options/index.js';
import { summarize } from './report/summary.js';
import { createRunner, type RuntimeSelection } from './runtime/index.js';
import { withBudget } from './runtime/budget.js';
import { removeOnInterrupt } from './runtime/interrupt.js';
import { removeTree } from './runtime/remove.js';
import { ownerTag, removeStaleWorkDirs, WORK_DIR_PREFIX } from './runtime/stale.js';
import { withTrap } from './diagnose/trap/of-run.js';
import { SandboxInputError } from './guard/safe-fs.js';
import { converterLimitsFor } from './guard/limits.js';
import { prepareSandbox } from './runtime/sandbox.js';
import { wasmtimeReleaseAdapter } from './runtime/wasmtime/adapter.js';
import { VERSION } from './package/version.js';

/**
 * The pipeline, nothing else: discover → resolve the configuration (runtime, wasmtime, adapter) once → for each
 * artifact: inspect → predict → P1 baseline → convert → P2 → compare → diagnose.
 * Each artifact's problems are its own result; one bad file never stops the others. A configuration that cannot be
 * carried out (ConfigError) stops before any artifact runs and is the report's `configurationError`, so every output
 * still says what happened; the shells turn it into a usage error.
 */
export async function check(options: CheckOptions): Promise<Report> {
  const ownWorkDir = !options.workDir;
  // Named for its owner: a run after a checker that died without removing its folder removes it (runtime/stale.ts).
  const workDir = options.workDir ?? path.join(tmpdir(), `${WORK_DIR_PREFIX}${ownerTag()}-${randomUUID()}`);
  if (ownWorkDir) await removeStaleWorkDirs(tmpdir());
  // A temp folder of our own is removed even when the checker is interrupted (registered before it exists).
  const forgetWorkDir = ownWorkDir && !options.keepWorkDir ? removeOnInterrupt(workDir) : () => undefined;
  await mkdir(workDir, { recursive: !ownWorkDir, mode: 0o700 });
  const progress = options.onProgress ?? (() => {});
  try {
    const all = await discover(options.patterns, options.cwd);
    // Nothing checked never looks green: a path that does not exist (a typo, a mistyped subcommand) is a usage error
    // naming it, like a glob that matches nothing — in every shard, since every shard is given the same list.
    const unmatched = discoveryError(all, options.patterns);
    if (unmatched) {
      const none: RuntimeId = { name: 'none', version: '' };
      return buildReport(options, { p1: none, p2: none }, [], { configurationError: { option: 'artifacts', message: unmatched } });
    }
    // A shard may well be empty (few artifacts, many shards): an empty report, not an error.
    const found = options.shard ? selectShard(all, options.shard) : all;
    const wasmtime = options.wasmtime?.binary?.includes(path.sep)
      ? { ...options.wasmtime, binary: path.resolve(options.cwd, options.wasmtime.binary) } // runs start in scratch dirs
      : options.wasmtime;
    let selection: RuntimeSelection;
    let hosts: { p1: RuntimeId; p2: RuntimeId };
    let adapters: AdapterSet;
    let sandbox: Sandbox;
    try {
      // The stdin file and preopen folders are untrusted data: checked and snapshotted once, before anything runs.
      // prepareSandbox names the input (any failure to read or copy it, e.g. a path too long to copy, is one).
      sandbox = await prepareSandbox(options.sandbox, options.cwd, path.join(workDir, 'sandbox')).catch((e: unknown) => {
        // prepareSandbox sets `option` on every refusal it throws; anything else is a bug, not a configuration error.
        if (!(e instanceof SandboxInputError) || e.option === undefined) throw e;
        throw new ConfigError(e.option, e.message);
      });
      selection = await createRunner({
        runtime: options.runtime,
        wasmtime,
        workDir: path.join(workDir, 'runs'),
        keepFiles: options.keepWorkDir === true,
        log: (message) => progress({ artifact: '', stage: 'inspect', message }),
      });
      // One time budget for the whole check: the runs it leaves no time for are reported, not started.
      selection.runner = withBudget(selection.runner, options.budgetMs);
      hosts = await selection.runner.describe();
      adapters = await resolveAdapters(options.adapter ?? { kind: 'auto' }, {
        wasmtimeVersion: selection.wasmtimeVersion,
        releaseAdapter: (version, kind) =>
          wasmtimeReleaseAdapter(version, kind, {
            ...options.wasmtime,
            log: (message) => progress({ artifact: '', stage: 'inspect', message }),
          }),
      });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const none: RuntimeId = { name: 'none', version: '' };
      return buildReport(options, { p1: none, p2: none }, [], { configurationError: { option: e.option, message: e.message } });
    }
    const warnings = [...selection.warnings, ...adapters.warnings];
    for (const w of warnings) progress({ artifact: '', stage: 'inspect', message: `warning: ${w.message}` });
    const db = await loadSignatures(options.signatureDirs ?? []);
    const runtime = { requested: options.runtime, p1: hosts.p1, p2: hosts.p2 };
    const cache: CacheUse | undefined = options.cache
      ? { store: options.cache, context: await contextDigest({ runtime, sandbox, signatureDb: db }), hits: 0, misses: 0 }
      : undefined;

    progress({ artifact: '', stage: 'inspect', total: found.files.length });
    const results: ArtifactResult[] = [];
    // Artifacts are independent: check a few at once (each run is its own child process), report in input order.
    const limit = pLimit(Math.max(1, options.concurrency ?? Math.min(4, availableParallelism())));
    results.push(
      ...(await withJcoProcess(() =>
        Promise.all(
          found.files.map((file) =>
            limit(() => checkOne(path.resolve(options.cwd, file), file, { ...options, sandbox }, selection, db, adapters, workDir, cache)),
          ),
        ),
      )),
    );
    return buildReport(options, hosts, results, {
      adapter: adapters.report,
      ...(warnings.length ? { warnings } : {}),
      ...(cache ? { cache: { hits: cache.hits, misses: cache.misses } } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
      ...(options.label ? { label: options.label } : {}),
    });
  } finally {
    if (!options.keepWorkDir && ownWorkDir) await removeTree(workDir);
    forgetWorkDir();
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
  hosts: { p1: RuntimeId; p2: RuntimeId },
  results: ArtifactResult[],
  extra: Pick<Report, 'adapter' | 'warnings' | 'configurationError' | 'cache' | 'shard' | 'label'>,
): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'wasm-p2-check', version: VERSION },
    createdAt: new Date().toISOString(),
    runtime: { requested: options.runtime, p1: hosts.p1, p2: hosts.p2 },
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

/** The result cache during one run: the store, the key part every artifact shares, and the counts. */
interface CacheUse {
  store: ResultStore;
  context: string;
  hits: number;
  misses: number;
}

function invalidResult(artifact: Artifact): ArtifactResult {
  return { artifact, predictions: [], verdict: 'INVALID-INPUT', differences: [], notes: [], diagnoses: [] };
}

async function checkOne(
  absPath: string,
  shownPath: string,
  options: CheckOptions,
  selection: RuntimeSelection,
  db: SignatureDb,
  adapters: AdapterSet,
  workDir: string,
  cache: CacheUse | undefined,
): Promise<ArtifactResult> {
  const progress = (stage: Parameters<NonNullable<CheckOptions['onProgress']>>[0]['stage'], message?: string) =>
    options.onProgress?.({ artifact: shownPath, stage, message });
  const log = (message: string) => options.onProgress?.({ artifact: '', stage: 'inspect', message: `${shownPath}: ${message}` });
  progress('inspect');
  // Read once (lstat first, regular files only, size-capped: see guard/safe-fs.ts): inspect and convert share the bytes.
  const loaded = await loadArtifact(absPath, options.maxArtifactBytes);
  const bytes = loaded.bytes;
  const artifact = { ...loaded.artifact, path: shownPath };
  if (artifact.kind === 'not-wasm' || artifact.kind === 'invalid') {
    progress('done', 'INVALID-INPUT');
    return invalidResult(artifact);
  }
  let key: string | undefined;
  if (cache) {
    // The adapter is part of the key: a module converted with another adapter may behave differently.
    const adapterSha = artifact.kind === 'module' ? adapters[adapterKindFor(artifact)].info.sha256 : undefined;
    if (artifact.kind !== 'module' || adapterSha) {
      key = resultKey(cache.context, artifact.sha256, path.basename(absPath), adapterSha);
      const text = await cache.store.read(key).catch(() => undefined);
      const entry = text === undefined ? undefined : decodeEntry(text, key, artifact.sha256);
      if (entry?.ok) {
        cache.hits++;
        progress('done', `${entry.result.verdict} (cached)`);
        return { ...entry.result, artifact: { ...entry.result.artifact, path: shownPath }, cached: { key, storedAt: entry.storedAt } };
      }
      if (entry && !entry.ok) log(`cached result ignored (${entry.reason}); checking it again`);
      cache.misses++;
    }
  }
  const result = await checkFresh(absPath, shownPath, bytes, artifact, options, selection, db, adapters, workDir);
  if (cache && key && isCacheable(result)) {
    await cache.store.write(key, encodeEntry(key, result)).catch((e: Error) => log(`result not cached: ${e.message}`));
  }
  return result;
}

async function checkFresh(
  absPath: string,
  shownPath: string,
  bytes: Uint8Array | undefined,
  artifact: Artifact,
  options: CheckOptions,
  selection: RuntimeSelection,
  db: SignatureDb,
  adapters: AdapterSet,
  workDir: string,
): Promise<ArtifactResult> {
  const progress = (stage: Parameters<NonNullable<CheckOptions['onProgress']>>[0]['stage'], message?: string) =>
    options.onProgress?.({ artifact: shownPath, stage, message });
  const predictions = predict(artifact, db);
  const scratch = path.join(workDir, 'artifacts', createHash('sha256').update(absPath).digest('hex').slice(0, 12));
  await mkdir(scratch, { recursive: true });

  // The P1 run (a child process) goes on while the module is converted and its component runs: the phases are
  // independent (each run has its own process and its own preopen copies), so neither waits for the other.
  let p1Run: Promise<RunResult> | undefined;
  let conversion: ConversionResult | undefined;
  let componentPath = absPath;
  if (artifact.kind === 'module') {
    // A module built for WASI 0.2 directly cannot run as P1: there is nothing to compare, only the P2 run.
    if (!artifact.module!.targetsWasiP2) {
      progress('p1');
      p1Run = selection.runner.runModule(absPath, options.sandbox, { style: artifact.module!.style }).then(withTrap);
      // Awaited below; should a step in between throw, its failure is the one reported, not an unhandled rejection.
      p1Run.catch(() => undefined);
    }
    progress('convert');
    // Named like the artifact: the file name is argv[0] for the guest, as it was for the P1 run.
    const file = path.join(scratch, path.basename(absPath));
    const limits = converterLimitsFor(options.sandbox.timeoutMs, bytes!.length);
    conversion = await convertModule(bytes!, adapters[adapterKindFor(artifact)], file, limits);
    if (conversion.componentPath) componentPath = conversion.componentPath;
  } else {
    conversion = { ok: true, skipped: true, durationMs: 0 };
  }

  let p2: RunResult | undefined;
  const runnable = !isReactor(artifact) || selection.runner.runsReactors === true;
  if (conversion.ok && runnable) {
    progress('p2');
    p2 = withTrap(await selection.runner.runComponent(componentPath, options.sandbox));
  }
  const p1 = await p1Run;
  let comparison = compare(artifact, p1, conversion, p2);
  if (outputOnlyRegression(comparison, p1, p2)) {
    // Output alone differs: once more P1 (same sandbox, caps and time limit as every run), so that output the program
    // varies by itself (its CPU time, a clock, a random value) is not taken for the adapter's doing.
    progress('p1', 'output differs: P1 again, to tell output that varies by itself');
    const again = withTrap(await selection.runner.runModule(absPath, options.sandbox, { style: artifact.module!.style }));
    comparison = compare(artifact, p1, conversion, p2, again);
  }
  if (conversion.ok && !runnable) {
    comparison.notes.push({
      code: 'reactor-not-run',
      message:
        `${selection.runner.name} cannot run a reactor component (it exports no wasi:cli/run): the conversion was checked, ` +
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
