/**
 * The Action's `baseline` input: which report this run is compared with, and (with `auto`) keeping reports as
 * baselines with `@actions/cache`.
 *
 * `auto`: a run on a push to the default branch (or a scheduled run) saves its report under a key scoped to the
 * workflow, the job and the matrix entry, ending in the commit; a pull-request run restores the newest one its token may
 * read — the cache service lets a pull request read its base branch's entries and never the reverse, so a pull request
 * cannot plant a baseline for `main`. Whatever comes back is untrusted (the cache is shared by the repository's
 * branches): read as a regular file within a limit, schema-validated, its summary recomputed, its diagnoses derived again
 * by this build (compare/baseline.ts `baselineReport`); an unusable one is named and the run is gated as without a
 * baseline.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { baselineReport, compareWithBaseline } from '../compare/baseline.js';
import { loadSignatures, type SignatureDb } from '../diagnose/signatures.js';
import type { EventContext } from '../github/context.js';
import { readSavedReport } from '../guard/safe-fs.js';
import type { Report } from '../model.js';
import type { BaselineSource } from '../options/parsers.js';
import { baselineAge } from '../report/change.js';
import { renderJson } from '../report/json.js';
import { deriveCommentKey } from '../github/sticky-comment.js';
import { failOnNotice } from '../report/fail-on.js';
import type { PersistedCache } from './cache.js';
import type { CommonInputs } from './inputs.js';
import type { ModeContext, ModeResult, Publishing } from './mode.js';

const FILE = 'report.json';
const SHA = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

/** What this run does with baselines under `auto`. */
export type BaselineRole =
  | { kind: 'save'; commit: string; branch: string }
  | { kind: 'restore'; base: string }
  | { kind: 'none'; reason: string };

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Save on a push to the default branch and on a schedule (which runs on it); restore for a pull request (and for a
 * `workflow_run` that posts a pull request's report: the fork flow's second stage, which runs on the default branch).
 * @param ref GITHUB_REF
 */
export function baselineRole(event: EventContext, ref: string | undefined): BaselineRole {
  const repo = obj(event.payload.repository);
  const defaultBranch = str(repo?.default_branch);
  switch (event.eventName) {
    case 'push': {
      const pushed = str(event.payload.ref) ?? ref;
      if (!defaultBranch) return { kind: 'none', reason: 'the push event names no default branch' };
      if (pushed !== `refs/heads/${defaultBranch}`) {
        return { kind: 'none', reason: `a push to ${pushed ?? 'an unknown ref'}, not to the default branch: no baseline is kept` };
      }
      return { kind: 'save', commit: event.sha, branch: defaultBranch };
    }
    case 'schedule':
      return ref?.startsWith('refs/heads/')
        ? { kind: 'save', commit: event.sha, branch: ref.slice('refs/heads/'.length) }
        : { kind: 'none', reason: 'a scheduled run on no branch' };
    case 'pull_request':
    case 'pull_request_target': {
      const base = str(obj(obj(event.payload.pull_request)?.base)?.ref);
      return base ? { kind: 'restore', base } : { kind: 'none', reason: 'the pull request names no base branch' };
    }
    case 'merge_group': {
      const base = str(obj(event.payload.merge_group)?.base_ref)?.replace(/^refs\/heads\//, '');
      return base ? { kind: 'restore', base } : { kind: 'none', reason: 'the merge group names no base branch' };
    }
    case 'workflow_run': {
      const run = obj(event.payload.workflow_run);
      if (str(run?.event) !== 'pull_request')
        return { kind: 'none', reason: `the triggering run was for ${str(run?.event) ?? 'an unknown event'}` };
      const listed = Array.isArray(run?.pull_requests) ? str(obj(obj(run.pull_requests[0])?.base)?.ref) : undefined;
      const base = listed ?? defaultBranch;
      return base ? { kind: 'restore', base } : { kind: 'none', reason: 'no base branch is known' };
    }
    default:
      return { kind: 'none', reason: `a ${event.eventName || 'local'} run neither keeps nor reads a baseline` };
  }
}

/** Keys of one job's baselines: `wasm-p2-check-baseline-<scope hash>-<commit>`. */
export function baselinePrefix(scope: string): string {
  return `wasm-p2-check-baseline-${createHash('sha256').update(scope).digest('hex').slice(0, 12)}-`;
}

export interface BaselineDeps {
  /** The cache service; undefined when the runner has none. */
  persisted: PersistedCache | undefined;
  /** The folder the cache entry is restored into and saved from (the same path in every run: part of the entry's version). */
  dir: string;
  /** Workflow, job and matrix entry (see `deriveCommentKey`). */
  scope: string;
  info: (message: string) => void;
  warning: (message: string) => void;
  /** This build's signature database (with the `signatures` input's): a baseline's diagnoses are derived again. */
  signatures: () => Promise<SignatureDb>;
}

/** Thrown for a `baseline` path input that cannot be used: the user's own file, a configuration error. */
export class BaselineInputError extends Error {}

/** Reads and validates a baseline file (untrusted); its diagnoses derived again by this build. */
async function readBaselineFile(file: string, deps: BaselineDeps): Promise<Report> {
  return baselineReport(await readSavedReport(file, 'baseline report'), await deps.signatures());
}

/**
 * The report compared with its baseline (or as it is, saying why there is none).
 * @param source the `baseline` input
 */
export async function applyBaseline(report: Report, source: BaselineSource, role: BaselineRole, deps: BaselineDeps): Promise<Report> {
  if (source.kind === 'none') return report;
  if (source.kind === 'file') {
    let base: Report;
    try {
      base = await readBaselineFile(source.path, deps);
    } catch (e) {
      throw new BaselineInputError(`Input 'baseline' has an invalid value '${source.path}': ${(e as Error).message}`);
    }
    deps.info(`Baseline: ${source.path}`);
    return compareWithBaseline(report, base, { source: `file ${path.basename(source.path)}` });
  }
  if (role.kind !== 'restore') return report;
  const found = await restoreBaseline(role.base, deps);
  if (!found) return report;
  const compared = compareWithBaseline(report, found.report, {
    source: `cache ${found.key}`,
    ref: role.base,
    ...(found.commit ? { commit: found.commit } : {}),
  });
  const age = baselineAge(compared);
  deps.info(`Baseline: ${role.base} at ${found.commit?.slice(0, 7) ?? 'an unknown commit'}${age ? ` (${age})` : ''}, cache ${found.key}`);
  return compared;
}

async function restoreBaseline(base: string, deps: BaselineDeps): Promise<{ report: Report; key: string; commit?: string } | undefined> {
  const none = (why: string) => {
    deps.info(`No baseline from ${base} (${why}): gating as without one.`);
    return undefined;
  };
  if (!deps.persisted) return none('this runner has no cache service');
  await rm(deps.dir, { recursive: true, force: true });
  let key: string | undefined;
  try {
    key = await deps.persisted.restore(deps.dir, baselinePrefix(deps.scope));
  } catch (e) {
    return none(`the cache could not be read: ${(e as Error).message}`);
  }
  if (!key) return none('no report was saved there yet for this workflow, job and matrix entry; a push to it saves one');
  let report: Report;
  try {
    report = await readBaselineFile(path.join(deps.dir, FILE), deps);
  } catch (e) {
    deps.warning(`The baseline restored from the cache (${key}) cannot be used: ${(e as Error).message}. Gating as without a baseline.`);
    return undefined;
  } finally {
    await rm(deps.dir, { recursive: true, force: true });
  }
  // The key names the commit the saving run was for (the cache service's record, not the report's word).
  const commit = key.slice(baselinePrefix(deps.scope).length);
  return { report, key, ...(SHA.test(commit) ? { commit } : {}) };
}

/** Keeps this run's report as the baseline for later pull requests (role `save`): never fails the run. */
export async function saveBaseline(report: Report, role: BaselineRole, deps: BaselineDeps): Promise<void> {
  if (role.kind !== 'save' || report.configurationError) return;
  if (!deps.persisted) {
    deps.info('Baseline: not saved (this runner has no cache service).');
    return;
  }
  // What this run found, not what it was compared with: a baseline of a baseline would only confuse the next reader.
  const kept: Report = {
    ...report,
    results: report.results.map(({ change: _change, ...r }) => r),
    baseline: undefined,
    commit: role.commit,
  };
  const key = `${baselinePrefix(deps.scope)}${role.commit}`;
  try {
    await rm(deps.dir, { recursive: true, force: true });
    await mkdir(deps.dir, { recursive: true });
    await writeFile(path.join(deps.dir, FILE), renderJson(kept));
    await deps.persisted.save(deps.dir, key);
    deps.info(`Baseline: saved for ${role.branch} at ${role.commit.slice(0, 7)} (${key})`);
  } catch (e) {
    deps.info(`Baseline: not saved (${(e as Error).message}); pull requests compare with an older one, if any.`);
  } finally {
    await rm(deps.dir, { recursive: true, force: true });
  }
}

/**
 * A mode's result placed in history: the commit it describes, compared with its baseline as the `baseline` input and
 * the mode's rule say, and (rule `compare-and-keep`, `baseline: auto`, a push to the default branch) kept as the
 * baseline of later pull requests. A report that arrives compared already is believed only from this workflow run's
 * own jobs (`compare-and-keep`: a merge of its shards); a saved report's (`compare`: written by another run, of PR
 * code) is dropped and made again from a baseline restored here.
 * @throws BaselineInputError when the `baseline` input names a file that cannot be used
 */
export async function withChange(ctx: ModeContext, rules: Publishing, inputs: CommonInputs, result: ModeResult): Promise<ModeResult> {
  if (rules.baseline === 'none') return result;
  const { io, runner, target } = ctx;
  const ownScope = deriveCommentKey(runner.workflow, runner.job, inputs.publish.matrix);
  let db: Promise<SignatureDb> | undefined;
  const signatures = () => (db ??= loadSignatures(inputs.signatureDirs));
  const deps = (scope: string): BaselineDeps => ({
    persisted: ctx.persistedCache(),
    dir: path.join(runner.tempDir, 'wasm-p2-check-baseline'),
    scope,
    info: (m) => io.info(m),
    warning: (m) => io.warning(m),
    signatures,
  });
  const role = baselineRole(runner.event, runner.ref);
  const commit = target.headSha ? { commit: target.headSha } : {};
  const own: Report = { ...withoutBaseline(result.report), ...commit };
  let report = await applyBaseline(own, inputs.baseline, role, deps(result.baselineScope ?? ownScope));
  // A merge with no baseline of its own keeps the one each of its jobs was compared with.
  if (!report.baseline && inputs.baseline.kind !== 'none' && rules.baseline === 'compare-and-keep' && result.report.baseline) {
    report = { ...result.report, ...commit };
  }
  const notice = failOnNotice(report, inputs.publish.failOn);
  if (notice) io.info(notice);
  if (rules.baseline === 'compare-and-keep' && inputs.baseline.kind === 'auto') await saveBaseline(report, role, deps(ownScope));
  return { ...result, report };
}

/** A report without any comparison. */
function withoutBaseline(report: Report): Report {
  const { baseline: _baseline, ...rest } = report;
  return { ...rest, results: report.results.map(({ change: _change, ...r }) => r) };
}
