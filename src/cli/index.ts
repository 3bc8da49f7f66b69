#!/usr/bin/env node
import { createReadStream, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { directoryStore } from '../cache/index.js';
import { check } from '../check.js';
import { userCacheDir } from '../runtime/wasmtime/cache.js';
import { type CliCommand, flagOf, HELP, parseCli, UsageError } from './args.js';
import type { CheckOptions, ProgressEvent } from '../options/index.js';
import { useColor } from './color.js';
import { progressPrinter } from './progress.js';
import { readBoundedLog } from '../diagnose/text-bounds.js';
import { explain } from '../diagnose/explain.js';
import { rederiveReport } from '../diagnose/saved-report.js';
import { loadSignatures, type SignatureDb } from '../diagnose/signatures.js';
import { failOnNotice, reportFails } from '../report/fail-on.js';
import { baselineReport, compareWithBaseline } from '../compare/baseline.js';
import { readSavedReport } from '../guard/safe-fs.js';
import type { Report } from '../model.js';
import { parseReport, renderExplanationJson } from '../report/json.js';
import { renderExplainFindings } from '../report/explain-markdown.js';
import { mergeReports } from '../report/merge.js';
import { logSafe, neutralizeCommands, reportToStdout } from '../report/log-safe.js';
import { REPORT_FORMATS, type ReportOutput } from '../report/formats.js';
import { renderExplanation, renderTerminal } from '../report/terminal.js';
import { VERSION } from '../package/version.js';
import { versionsBreak } from '../versions/matrix.js';
import { renderVersionsJson, renderVersionsMarkdown, renderVersionsTerminal } from '../versions/render.js';
import { runVersions } from '../versions/run.js';

/** argv → options → check → render → exit code. The only place (with src/action/) that reads the environment. */
async function main(argv: string[]): Promise<number> {
  const command = parseCli(argv);
  switch (command.kind) {
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case 'version':
      process.stdout.write(`wasm-p2-check ${VERSION}\n`);
      return 0;
    case 'explain': {
      // Read in one bounded pass: a log of any size costs a fixed amount of memory and matching.
      const logText = await readBoundedLog(command.log === '-' ? process.stdin : createReadStream(command.log)).catch((e: Error) => {
        throw new UsageError(`explain: cannot read ${command.log}: ${e.message}`);
      });
      if (isSavedReport(logText)) {
        throw new UsageError(
          `explain: ${command.log} is a wasm-p2-check JSON report, not an error log: each of its results already has its ` +
            `diagnosis (show them with: wasm-p2-check merge ${command.log})`,
        );
      }
      const result = await explain({
        logText,
        modulePath: command.module,
        signatureDirs: command.signatureDirs,
        adapterVersion: command.adapterVersion,
      });
      // The same renderers as a check's report (report/): terminal, Markdown (the bot's reply), JSON with schemaVersion.
      if (command.format === 'json') process.stdout.write(reportToStdout(renderExplanationJson(result), 'json'));
      else if (command.format === 'markdown')
        process.stdout.write(
          reportToStdout(
            `${renderExplainFindings([{ block: 0, result }], true) || 'Nothing to diagnose: the log shows no failure.'}\n`,
            'markdown',
          ),
        );
      else
        process.stdout.write(
          neutralizeCommands(renderExplanation(result, { color: useColor(command.color, process.env, process.stdout.isTTY === true) })),
        );
      return 0;
    }
    case 'check': {
      outputFoldersExist(command.outputs);
      const progress = command.quiet ? undefined : progressPrinter(process.stderr);
      // The baseline is read before anything runs: a bad one is a usage error, not a verdict after minutes of work.
      const baseline = command.baseline
        ? await readBaseline(command.baseline, '--baseline', await loadSignatures(command.options.signatureDirs ?? []))
        : undefined;
      const report = await check(checkOptions(command, progress?.onEvent)).finally(() => progress?.end());
      return emit(baseline ? compareWithBaseline(report, baseline, { source: `file ${command.baseline}` }) : report, command);
    }
    case 'versions': {
      const outputs = versionsOutputs(command);
      outputFoldersExist(outputs);
      const progress = command.quiet ? undefined : progressPrinter(process.stderr);
      const { versions: report } = await runVersions(checkOptions(command, progress?.onEvent), {
        releases: command.releases,
        bisect: command.bisect,
        releaseData: command.releaseData,
      }).finally(() => progress?.end());
      for (const o of outputs) await output(o, o.format === 'json' ? renderVersionsJson(report) : renderVersionsMarkdown(report));
      if (report.configurationError) {
        throw new UsageError(`${flagOf(report.configurationError.option)}: ${report.configurationError.message}`);
      }
      if (command.json !== '-' && command.markdown !== '-') process.stdout.write(neutralizeCommands(renderVersionsTerminal(report)));
      // Exit 1 when an artifact that works with one release breaks with a later one: an upgrade that breaks something.
      return versionsBreak(report) ? 1 : 0;
    }
    case 'diff': {
      // Both are saved reports: what either says in our voice is derived again (compare/baseline.ts).
      const db = await loadSignatures();
      const baseline = await readBaseline(command.baseline, 'diff', db);
      const report = await readBaseline(command.report, 'diff', db);
      return emit(compareWithBaseline(report, baseline, { source: `file ${command.baseline}` }), command);
    }
    case 'merge': {
      const inputs = [];
      // Reports of jobs that ran pull-request code: their diagnoses are derived again (diagnose/saved-report.ts).
      const db = await loadSignatures();
      for (const file of command.reports) {
        // Untrusted like a baseline: a regular file within the size limit (never a FIFO that blocks, nor /dev/zero).
        const text = await readSavedReport(file).catch((e: Error) => {
          throw new UsageError(`merge: cannot read ${file}: ${e.message}`);
        });
        try {
          inputs.push({ source: path.basename(file).replace(/\.json$/, ''), report: rederiveReport(parseReport(text), db) });
        } catch (e) {
          throw new UsageError(`merge: ${file}: ${(e as Error).message}`);
        }
      }
      let report: Report;
      try {
        report = mergeReports(inputs);
      } catch (e) {
        throw new UsageError(`merge: ${(e as Error).message}`);
      }
      return emit(report, command);
    }
  }
}

/** A saved report given to explain: read as a log, the prose of its diagnoses would pass for a trap. */
function isSavedReport(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    const value = JSON.parse(text) as { tool?: { name?: unknown }; results?: unknown };
    return value?.tool?.name === 'wasm-p2-check' && Array.isArray(value.results);
  } catch {
    return false;
  }
}

/** The check options of `check` and `versions`: the command's, with the result cache and wasmtime's compiled code. */
function checkOptions(
  command: Extract<CliCommand, { kind: 'check' | 'versions' }>,
  onProgress: ((event: ProgressEvent) => void) | undefined,
): CheckOptions {
  const cacheRoot = command.cacheDir ?? userCacheDir(process.env);
  const cache = command.cache ? directoryStore(path.join(cacheRoot, 'results')) : undefined;
  // wasmtime's compiled code is kept beside the results (runtime/wasmtime/compiled-cache.ts); --no-cache: neither.
  const wasmtime = command.cache
    ? { ...command.options.wasmtime, compileCacheDir: path.join(cacheRoot, 'compiled') }
    : command.options.wasmtime;
  return { ...command.options, ...(wasmtime ? { wasmtime } : {}), cwd: process.cwd(), onProgress, cache };
}

async function readBaseline(file: string, what: string, db: SignatureDb): Promise<Report> {
  const text = await readSavedReport(file).catch((e: Error) => {
    throw new UsageError(`${what}: cannot read ${file}: ${e.message}`);
  });
  try {
    return baselineReport(text, db);
  } catch (e) {
    throw new UsageError(`${what}: ${file} cannot be used as a baseline: ${(e as Error).message}`);
  }
}

/** Writes the requested outputs of a report; the exit status follows --fail-on. */
async function emit(
  report: Report,
  command: { outputs: ReportOutput[]; color?: boolean; failOn: Parameters<typeof reportFails>[1] },
): Promise<number> {
  for (const o of command.outputs) await output(o, REPORT_FORMATS[o.format].render(report));
  if (report.configurationError) {
    // A usage error found before any artifact ran (a runtime or adapter that cannot be had): exit 2.
    throw new UsageError(`${flagOf(report.configurationError.option)}: ${report.configurationError.message}`);
  }
  const notice = failOnNotice(report, command.failOn);
  if (notice) process.stderr.write(`wasm-p2-check: ${notice}\n`);
  if (!command.outputs.some((o) => o.path === '-')) {
    process.stdout.write(
      neutralizeCommands(renderTerminal(report, { color: useColor(command.color, process.env, process.stdout.isTTY === true) })),
    );
  }
  return reportFails(report, command.failOn) ? 1 : 0;
}

/** A report to a file, or to stdout ('-'), where it is a log the CI runner reads: no workflow command gets through. */
async function output(o: ReportOutput, text: string): Promise<void> {
  if (o.path === '-') process.stdout.write(reportToStdout(text.endsWith('\n') ? text : `${text}\n`, o.format));
  else
    await writeFile(o.path, text).catch((e: Error) => {
      throw new UsageError(`${o.given} '${o.path}': cannot write it (${e.message})`);
    });
}

/** The report files of `versions` (its own renderers, in the same formats). */
function versionsOutputs(command: Extract<CliCommand, { kind: 'versions' }>): ReportOutput[] {
  return [
    ...(command.json ? [{ format: 'json' as const, path: command.json, given: '--json' }] : []),
    ...(command.markdown ? [{ format: 'markdown' as const, path: command.markdown, given: '--markdown' }] : []),
  ];
}

/** Report files are written after the run: one whose folder does not exist is a usage error before anything runs. */
function outputFoldersExist(outputs: readonly ReportOutput[]): void {
  for (const o of outputs) {
    const dir = path.dirname(path.resolve(o.path));
    if (o.path !== '-' && !existsSync(dir)) throw new UsageError(`${o.given} '${o.path}': no folder ${dir} (nothing was checked)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`wasm-p2-check: ${logSafe(e.message)}\n(see wasm-p2-check --help)\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`wasm-p2-check: ${logSafe(e instanceof Error ? e.message : String(e))}\n`);
      process.exitCode = 2;
    }
  },
);
