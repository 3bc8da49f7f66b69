/**
 * The GitHub Action (bundled to dist/index.js): inputs → check() or a saved report → local results → GitHub.
 * With src/cli/, the only module that reads the environment. Nothing goes to the API before check() has run and the
 * report, job summary, annotations and outputs are written, so an API fault or a read-only token loses nothing;
 * every API step is attempted on its own and its failure is a warning (or, with `publish-errors: fail`, fails the
 * step) that names the step and the error.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { check } from '../check.js';
import { failingResults, reportFails } from '../report/fail-on.js';
import { collectFindings, emitWorkflowAnnotations, toCheckRunAnnotations } from '../github/annotations.js';
import { answerEvent } from '../github/bot.js';
import { checkRunName, finishCheckRun, type CheckRunRef } from '../github/check-run.js';
import {
  createOctokit,
  describeError,
  isPermissionDenied,
  isUnreachable,
  tokenLogin,
  type ClientOptions,
  type Octokit,
} from '../github/client.js';
import {
  metadataPath,
  parseRunMetadata,
  pullRequestsForCommit,
  resolveTarget,
  triggeringRun,
  type EventContext,
  type RunMetadata,
  type Target,
} from '../github/context.js';
import { MAX_CHECK_SUMMARY_CHARS, MAX_JOB_SUMMARY_BYTES } from '../github/markdown-limits.js';
import { checkConclusion, checkTitle, resultOutput } from '../github/outcome.js';
import {
  deriveCommentKey,
  matrixHeading,
  matrixLabel,
  publishReportComment,
  savedReportCommentKey,
  savedReportHeading,
  type RunOrder,
} from '../github/sticky-comment.js';
import { glob } from 'tinyglobby';
import { actionsCachePersistence, openResultCache, type PersistedCache } from './cache.js';
import { logSafeIO, type ActionIO } from './io.js';
import { InputError, parseCheckRunInputs, parseInputs, type ActionInputs, type CheckRunInputs } from './inputs.js';
import { folderCache } from '../runtime/wasmtime/cache.js';
import type { Report } from '../model.js';
import { parseReport, renderJson } from '../report/json.js';
import { rederiveReport } from '../diagnose/saved-report.js';
import { loadSignatures } from '../diagnose/signatures.js';
import { readRegularFile } from '../guard/safe-fs.js';
import { logSafeLine } from '../report/log-safe.js';
import { mergeReports, type MergeInput } from '../report/merge.js';
import { renderMarkdown } from '../report/markdown.js';
import { summarize } from '../report/summary.js';

const FORK_HELP = 'docs/forks.md';

/** What the runner tells us, read once. */
interface RunnerEnv {
  workspace: string;
  event: EventContext;
  serverUrl: string;
  apiUrl: string;
  /** GITHUB_GRAPHQL_URL; undefined = derived by Octokit from the REST URL. */
  graphqlUrl?: string;
  runUrl?: string;
  /** This run's place in time (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT). */
  run?: RunOrder;
  workflow: string;
  job: string;
  tempDir: string;
  /** RUNNER_TOOL_CACHE: where setup actions keep tools between jobs (absent outside a runner). */
  toolCacheDir?: string;
  /** The runner's PATH, searched for a `wasmtime`. */
  path?: string;
}

async function readRunnerEnv(env: Record<string, string | undefined>): Promise<RunnerEnv> {
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH && existsSync(env.GITHUB_EVENT_PATH)) {
    payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
  }
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY ?? '';
  const attempt = Number(env.GITHUB_RUN_ATTEMPT || '1');
  const runId = Number(env.GITHUB_RUN_ID || 'NaN');
  return {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    event: { eventName: env.GITHUB_EVENT_NAME ?? '', payload, repository, sha: env.GITHUB_SHA ?? '' },
    serverUrl,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    graphqlUrl: env.GITHUB_GRAPHQL_URL || undefined,
    runUrl:
      env.GITHUB_RUN_ID && repository
        ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}${attempt > 1 ? `/attempts/${attempt}` : ''}`
        : undefined,
    run:
      Number.isSafeInteger(runId) && runId > 0
        ? { id: runId, attempt: Number.isSafeInteger(attempt) && attempt > 0 ? attempt : 1 }
        : undefined,
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    tempDir: env.RUNNER_TEMP || path.join(env.GITHUB_WORKSPACE || process.cwd(), '.wasm-p2-check'),
    toolCacheDir: env.RUNNER_TOOL_CACHE || undefined,
    path: env.PATH,
  };
}

/**
 * Every API step goes through `attempt`: its error never ends the run. A refusal (a fork's read-only token, missing
 * `permissions`) is explained once; any other error is named with the step. Once the API cannot be reached at all,
 * later steps are skipped instead of waiting out the same retries.
 */
class Publisher {
  readonly failures: string[] = [];
  refused = false;
  unreachable?: string;
  constructor(
    readonly octokit: Octokit | undefined,
    private readonly io: ActionIO,
    private readonly isFork: boolean,
    /** Where the report file is; none when nothing was checked. */
    private readonly reportPath?: string,
  ) {}

  private get where(): string {
    return this.reportPath ? ` and in ${this.reportPath}` : '';
  }

  async attempt<T>(step: string, fn: (octokit: Octokit) => Promise<T>): Promise<T | undefined> {
    if (!this.octokit) return undefined;
    if (this.unreachable) {
      this.io.info(`Skipped: ${step} (the GitHub API could not be reached: ${this.unreachable}).`);
      return undefined;
    }
    try {
      return await fn(this.octokit);
    } catch (e) {
      if (isPermissionDenied(e)) {
        this.refused = true;
        this.io.warning(
          `Could not ${step} (${describeError(e)}). ` +
            (this.isFork
              ? 'This pull request comes from a fork, so its token is read-only: '
              : "The token lacks a permission (see the workflow's `permissions`): ") +
            `the result is still in the job summary${this.where}. ` +
            `For fork pull requests, use the two-workflow setup in ${FORK_HELP}.`,
        );
        return undefined;
      }
      if (isUnreachable(e)) this.unreachable = describeError(e);
      this.failures.push(`${step}: ${describeError(e)}`);
      this.io.warning(`Could not ${step}: ${describeError(e)}. The verdict stands; the result is in the job summary${this.where}.`);
      return undefined;
    }
  }
}

/**
 * `mode: merge`: the reports of the shard/matrix jobs, each read as untrusted input (schema-validated), merged into
 * one. Each is named by its path under the workspace (`reports/shard-1/report`), unless it carries a label.
 */
async function mergedReport(inputs: ActionInputs, runner: RunnerEnv): Promise<Report> {
  const patterns = inputs.reports ?? [];
  const files = (
    await glob(patterns, {
      cwd: runner.workspace,
      absolute: true,
      onlyFiles: true,
      dot: false,
      expandDirectories: false,
      followSymbolicLinks: false,
    })
  ).sort();
  if (files.length === 0) throw new Error(`Input 'reports' matched no files (${patterns.join(', ')}): did the jobs upload their reports?`);
  const parts: MergeInput[] = [];
  // The jobs ran pull-request code: what their reports say in our voice is derived again here.
  const db = await loadSignatures(inputs.signatureDirs ?? []);
  for (const file of files) {
    const source = path
      .relative(runner.workspace, file)
      .split(path.sep)
      .join('/')
      .replace(/\.json$/, '');
    try {
      parts.push({ source, report: rederiveReport(parseReport(await readSaved(file, MAX_SAVED_REPORT_BYTES, 'report')), db) });
    } catch (e) {
      throw new Error(`Cannot merge ${source}.json: ${(e as Error).message}`);
    }
  }
  return mergeReports(parts);
}

/** Saved reports come from other jobs (PR code): regular files only (no FIFO or device can hang the step), capped. */
const MAX_SAVED_REPORT_BYTES = 256 * 1024 * 1024;

async function readSaved(file: string, maxBytes: number, what: string): Promise<string> {
  return (await readRegularFile(file, maxBytes, what)).toString('utf8');
}

/** The report to publish and where it belongs, from a fresh check, from the shards' reports, or from a saved report. */
async function obtainReport(
  io: ActionIO,
  inputs: ActionInputs,
  runner: RunnerEnv,
  persisted: PersistedCache | undefined,
): Promise<{ report: Report; meta?: RunMetadata }> {
  if (inputs.mode === 'merge') return { report: await mergedReport(inputs, runner) };
  if (inputs.mode === 'post-from-report') {
    const file = inputs.reportPath!;
    // Written by a run of PR code: validated against docs/report-schema.json, and its summary is never believed —
    // counts, result and conclusion are recomputed from the results; diagnoses, fixes and links are derived again
    // by this build (diagnose/saved-report.ts), what cannot be is quoted as the report's words.
    const saved = rederiveReport(
      parseReport(
        await readSaved(file, MAX_SAVED_REPORT_BYTES, 'report').catch((e: Error) => {
          throw new Error(`Input 'report' has an invalid value '${file}': ${e.message}`);
        }),
      ),
      await loadSignatures(inputs.signatureDirs ?? []),
    );
    const report: Report = { ...saved, summary: summarize(saved.results) };
    const metaFile = metadataPath(file);
    const meta = existsSync(metaFile) ? parseRunMetadata(await readSaved(metaFile, 64 * 1024, 'report metadata')) : undefined;
    return { report, meta };
  }
  io.startGroup('wasm-p2-check');
  try {
    const options = inputs.check!;
    const label = matrixLabel(inputs.publish.matrix);
    const cache = inputs.cache
      ? await openResultCache(
          persisted,
          path.join(runner.tempDir, 'wasm-p2-check-cache'),
          deriveCommentKey(runner.workflow, runner.job, inputs.publish.matrix),
          (m) => io.info(m),
        )
      : undefined;
    const report = await check({
      ...options,
      ...(label ? { label } : {}),
      ...(cache ? { cache: cache.store } : {}),
      // wasmtime releases live on github.com, also for GitHub Enterprise users; our token only goes there when it
      // is a github.com token (it lifts the API rate limit for resolving 'latest').
      wasmtime: {
        ...options.wasmtime,
        // The runner's tool cache (tool-cache layout); runtime `auto` may download wasmtime into it (else it falls back to
        // the embedded runtime, with a warning in the summary and the comment). PATH is the runner's.
        cache: runner.toolCacheDir ? folderCache(runner.toolCacheDir, { tempDir: runner.tempDir }) : folderCache(),
        autoDownload: true,
        searchPath: runner.path,
        apiBaseUrl: 'https://api.github.com',
        ...(runner.apiUrl.replace(/\/+$/, '') === 'https://api.github.com' && inputs.publish.token ? { token: inputs.publish.token } : {}),
      },
      onProgress: (e) =>
        io.info(
          e.artifact ? `${logSafeLine(e.artifact)}: ${e.stage}${e.message ? ` (${logSafeLine(e.message)})` : ''}` : (e.message ?? e.stage),
        ),
    });
    await cache?.finish();
    return { report };
  } finally {
    io.endGroup();
  }
}

export interface ActionDeps {
  /** The runner's environment (`process.env` on a runner). */
  env: Record<string, string | undefined>;
  io: ActionIO;
  /** Builds the API client; tests shorten its waits (see `ClientOptions.waitUnitMs`). */
  createClient?: (token: string, options: ClientOptions) => Octokit;
  /** Keeps the result cache between runs (default `@actions/cache` when the runner has a cache service). */
  persistedCache?: PersistedCache;
}

/**
 * The Action: inputs → check() or a saved report → local results → GitHub. Never throws: a failure is reported
 * through `io.setFailed`.
 */
export async function run(deps: ActionDeps): Promise<void> {
  const { env } = deps;
  // Everything printed to the log goes through one log-safe layer (names and text from artifacts are untrusted).
  const io = logSafeIO(deps.io);
  const createClient = deps.createClient ?? createOctokit;

  // 1. Configuration: errors here are the user's to fix, before anything runs or is posted.
  let runner: RunnerEnv | undefined;
  let resolved: Target | undefined;
  let inputs: ActionInputs;
  try {
    runner = await readRunnerEnv(env);
    resolved = resolveTarget(runner.event);
    inputs = parseInputs((name) => io.getInput(name), runner.workspace);
  } catch (e) {
    const checkRun = runner && resolved ? await configurationErrorCheckRun(io, e, runner, resolved, createClient) : undefined;
    await failBeforeRunning(io, e, checkRun);
    return;
  }
  let target: Target = resolved;
  const { publish } = inputs;
  const reportPath = inputs.reportPath ?? path.join(runner.tempDir, 'wasm-p2-check', 'report.json');
  const octokit =
    publish.token && inputs.mode !== 'report-only'
      ? createClient(publish.token, { baseUrl: runner.apiUrl, log: (m) => io.info(m) })
      : undefined;
  if (inputs.mode === 'explain') {
    if (!octokit) {
      await failBeforeRunning(io, new InputError('github-token', '', "mode 'explain' needs a token with issues: write"));
      return;
    }
    try {
      await explainMode(io, octokit, runner.event, inputs.bot!);
    } catch (e) {
      await failStep(io, 'wasm-p2-check could not answer', e);
    }
    return;
  }
  const publisher = new Publisher(octokit, io, target.isFork, reportPath);
  // One check-run name per matrix entry: a required check matches by name, and same-named runs on one commit
  // would hide each other.
  const checkName = checkRunName(publish.checkName, publish.matrix);
  const checkRef = (t: Target, detailsUrl?: string): CheckRunRef | undefined =>
    publish.checkRun && inputs.mode !== 'report-only' && t.headSha
      ? { owner: t.owner, repo: t.repo, name: checkName, headSha: t.headSha, detailsUrl }
      : undefined;
  if (target.isFork && inputs.mode === 'check') {
    io.info(`This pull request comes from a fork: its token is likely read-only (see ${FORK_HELP}).`);
  }

  // 2. The check itself (or the saved report), before any API call.
  let obtained: { report: Report; meta?: RunMetadata };
  try {
    const persisted =
      inputs.cache && (inputs.mode === 'check' || inputs.mode === 'report-only')
        ? (deps.persistedCache ?? actionsCachePersistence())
        : undefined;
    obtained = await obtainReport(io, inputs, runner, persisted);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // A required check must not wait forever for a run that will never come: complete it, naming the error (also
    // when a merge refuses its reports).
    const ref = inputs.mode === 'check' || inputs.mode === 'merge' ? checkRef(target, runner.runUrl) : undefined;
    if (ref) {
      await publisher.attempt('publish the check run', (o) =>
        finishCheckRun(o, ref, undefined, {
          conclusion: 'failure',
          title: 'wasm-p2-check could not finish',
          summary: fenced(message),
          annotations: [],
        }),
      );
    }
    await failStep(io, 'wasm-p2-check could not finish', e);
    return;
  }
  const { report, meta } = obtained;

  // Where the report belongs and how it is shown. For a saved report: the commit and the links come from the
  // event (GitHub's word), never from the report or its metadata.
  const fromEvent = inputs.mode === 'post-from-report' ? triggeringRun(runner.event, runner.serverUrl) : undefined;
  const ownKey = deriveCommentKey(runner.workflow, runner.job, publish.matrix);
  let commentKey = publish.commentKey ?? ownKey;
  let heading = matrixHeading('wasm-p2-check', publish.matrix);
  if (inputs.mode === 'post-from-report') {
    // The saved key and heading are PR data: the key is used only inside the triggering workflow's own comments, and
    // the heading names that workflow (from the event), the saved one only as unverified text (see sticky-comment.ts).
    const chosen = savedReportCommentKey(meta?.commentKey, fromEvent?.workflow, ownKey);
    if (publish.commentKey === undefined) {
      if (chosen.refused) io.warning(`Not using the saved report's comment key: ${chosen.refused}. Posting under '${chosen.key}'.`);
      commentKey = chosen.key;
    }
    heading = savedReportHeading(meta?.heading, fromEvent?.workflow, chosen.job);
  }
  const detailsUrl = inputs.mode === 'post-from-report' ? fromEvent?.htmlUrl : runner.runUrl;
  const runOrder =
    inputs.mode === 'post-from-report' ? (fromEvent ? { id: fromEvent.id, attempt: fromEvent.attempt } : undefined) : runner.run;

  // 3. Local results: each on its own, so one failing does not take the others with it.
  const render = (maxBytes: number) => renderMarkdown(report, { maxBytes, detailsUrl, heading });
  const findings = collectFindings(report, publish.failOn, runner.workspace);
  const local: string[] = [];
  const step = async (what: string, fn: () => unknown) => {
    try {
      await fn();
    } catch (e) {
      local.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  if (inputs.mode !== 'post-from-report') {
    await step('write the report', async () => {
      await mkdir(path.dirname(reportPath), { recursive: true });
      await writeFile(reportPath, renderJson(report));
      const metadata: RunMetadata = {
        schemaVersion: 1,
        repository: runner.event.repository,
        eventName: runner.event.eventName,
        headSha: target.headSha,
        pullNumber: target.pullNumber,
        commentKey,
        heading,
        runUrl: runner.runUrl,
      };
      await writeFile(metadataPath(reportPath), `${JSON.stringify(metadata, null, 2)}\n`);
      io.info(`Report written to ${reportPath}`);
    });
  }
  await step('write the job summary', () =>
    io.writeSummary(renderMarkdown(report, { maxBytes: MAX_JOB_SUMMARY_BYTES - 4096, heading, surface: 'job-summary' })),
  );
  await step('write annotations', () => emitWorkflowAnnotations(findings, io));
  await step('set outputs', () => {
    io.setOutput('result', resultOutput(report));
    io.setOutput('regressions', report.summary.regressions);
    io.setOutput('failures', report.summary.failures);
    io.setOutput('report-json', reportPath);
    if (report.configurationError)
      io.setOutput('error', `Input '${report.configurationError.option}': ${report.configurationError.message}`);
  });
  for (const l of local) io.warning(`Could not ${l}`);

  // 4. GitHub.
  if (inputs.mode === 'post-from-report') {
    if (meta && meta.headSha !== target.headSha) {
      io.warning(`The saved report says it is for ${meta.headSha}; the triggering run was for ${target.headSha}: posting for the latter.`);
    }
    target = await postTarget(io, target, publisher);
  }
  const ref = checkRef(target, detailsUrl);
  if (ref) {
    const handle = await publisher.attempt('publish the check run', (o) =>
      finishCheckRun(o, ref, undefined, {
        conclusion: checkConclusion(report, publish.failOn),
        title: checkTitle(report),
        summary: render(MAX_CHECK_SUMMARY_CHARS - 1024),
        annotations: toCheckRunAnnotations(findings),
        detailsUrl,
      }),
    );
    if (handle?.url) io.info(`Check run: ${handle.url}`);
  }
  if (inputs.mode !== 'report-only' && publish.comment !== 'never' && octokit) {
    if (target.pullNumber === undefined) {
      io.info('No pull request for this run: no comment.');
    } else {
      const issueNumber = target.pullNumber;
      // Who we are (a PAT's login; undefined for installation tokens, whose comments are a bot's).
      const author = publisher.unreachable ? undefined : await tokenLogin(octokit);
      const outcome = await publisher.attempt('comment on the pull request', (o) =>
        publishReportComment(o, {
          owner: target.owner,
          repo: target.repo,
          issueNumber,
          key: commentKey,
          author,
          mode: publish.comment,
          report,
          render,
          sha: target.headSha,
          detailsUrl,
          run: runOrder,
          hideOld: publish.hideOld,
          graphqlUrl: runner.graphqlUrl,
        }),
      );
      if (outcome) {
        io.info(
          outcome.url && outcome.action !== 'skipped' && outcome.action !== 'unchanged'
            ? `Comment ${outcome.action}: ${outcome.url}`
            : `No comment written: ${outcome.reason}`,
        );
        if (outcome.removed) io.info(`Removed ${outcome.removed} duplicate comment(s) for '${commentKey}' (left by runs that raced).`);
        if (outcome.minimized) io.info(`Minimized ${outcome.minimized} earlier comment(s) for '${commentKey}' as outdated.`);
      }
    }
  }

  // 5. The step's result: the verdicts (or a configuration error); publishing errors only when asked to.
  if (report.configurationError && inputs.mode !== 'post-from-report') {
    // The job summary and report-json above already say so; this names the input.
    io.setFailed(`Input '${report.configurationError.option}': ${report.configurationError.message}`);
  } else if (reportFails(report, publish.failOn) && inputs.mode !== 'post-from-report') {
    const failing = failingResults(report, publish.failOn);
    io.setFailed(
      publish.failOn === 'any'
        ? `${failing.length} artifact(s) do not pass (fail-on: any)`
        : `${failing.length} artifact(s) break when converted to P2 components or could not be checked (fail-on: ` +
            `regression): ${failing.map((r) => `${r.artifact.path} ${r.verdict}`).join(', ')}`,
    );
  } else if (publish.publishErrors === 'fail' && (publisher.failures.length > 0 || local.length > 0)) {
    io.setFailed(`Publishing failed (publish-errors: fail): ${[...local, ...publisher.failures].join('; ')}`);
  }
}

/** Bot mode: answer the issue or comment of this event (see github/bot.ts). */
async function explainMode(io: ActionIO, octokit: Octokit, event: EventContext, bot: NonNullable<ActionInputs['bot']>): Promise<void> {
  const outcome = await answerEvent(octokit, event, { ...bot, self: await tokenLogin(octokit), log: (m) => io.info(m) });
  io.info(
    outcome.action === 'ignored' || outcome.action === 'silent' ? `No reply: ${outcome.reason}` : `Reply ${outcome.action}: ${outcome.url}`,
  );
  io.setOutput('result', outcome.action);
}

/**
 * A configuration the step cannot carry out (a bad input, an event or runner variable it cannot read): a usage error
 * before any artifact runs or anything is posted — and still no lost verdict. The job summary and the outputs say
 * what was wrong (`result: fail`, `error`), in every mode, so a later step or a reader of the run sees why nothing
 * was checked. An `env` value is never repeated (it may be a secret).
 */
async function failBeforeRunning(io: ActionIO, e: unknown, checkRun?: string): Promise<void> {
  const done = checkRun
    ? `Nothing was checked; the check run '${checkRun}' was completed as failed, naming the input`
    : 'Nothing was checked or posted';
  await failStep(io, 'wasm-p2-check: configuration error', redacted(e), `${done}: ${badPart(e)} cannot be used as given.`);
}

const badPart = (e: unknown) => (e instanceof InputError ? `input \`${e.input}\`` : 'the runner’s event or environment');
/** An `env` input's value may be a secret: never repeated. */
const redacted = (e: unknown) =>
  e instanceof InputError && e.input === 'env' && e.value ? new Error(e.message.replace(`'${e.value}'`, "'***'")) : e;

/**
 * A bad input with a required check: branch protection would wait forever ("Expected — waiting for status") for a
 * check run that never comes. When the inputs a check run is made from (mode, token, `check-run`, `check-name`,
 * `matrix`) and the event are good, the check run this job would have completed, under the same name, is completed
 * as `failure` and says which input is wrong. Not when `check-run: false`, nor in modes that make no check run; a
 * refusal (a fork's read-only token) is a warning, as for any check run.
 *
 * @returns the check run's name when it was completed
 */
async function configurationErrorCheckRun(
  io: ActionIO,
  e: unknown,
  runner: RunnerEnv,
  target: Target,
  createClient: NonNullable<ActionDeps['createClient']>,
): Promise<string | undefined> {
  let given: CheckRunInputs;
  try {
    given = parseCheckRunInputs((name) => io.getInput(name), runner.workspace);
  } catch {
    return undefined; // an input the check run needs is the bad one
  }
  if (!given.token || !given.checkRun || !target.headSha || given.mode === 'report-only' || given.mode === 'explain') return undefined;
  const octokit = createClient(given.token, { baseUrl: runner.apiUrl, log: (m) => io.info(m) });
  const name = checkRunName(given.checkName, given.matrix);
  const ref: CheckRunRef = { owner: target.owner, repo: target.repo, name, headSha: target.headSha, detailsUrl: runner.runUrl };
  const handle = await new Publisher(octokit, io, target.isFork).attempt('publish the check run', (o) =>
    finishCheckRun(o, ref, undefined, {
      conclusion: 'failure',
      title: `Configuration error: ${badPart(e).replace(/`/g, "'")}`,
      summary:
        `Nothing was checked: ${badPart(e)} cannot be used as given. Fix the workflow file and re-run.\n\n` +
        fenced(messageOf(redacted(e))),
      annotations: [],
      detailsUrl: runner.runUrl,
    }),
  );
  return handle ? name : undefined;
}

/** Ends the step for a reason that is not a verdict: the job summary and the `result`/`error` outputs say why. */
async function failStep(io: ActionIO, title: string, e: unknown, lead?: string): Promise<void> {
  const message = messageOf(e);
  await io.writeSummary(`## ${title}\n\n${lead ? `${lead}\n\n` : ''}${fenced(message)}\n`).catch(() => false);
  io.setOutput('result', 'fail');
  io.setOutput('error', message);
  io.setFailed(message);
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

/**
 * Where a saved report's comment goes: the PR GitHub lists for the triggering run when its head is that run's
 * commit, else the open PR whose head is that commit (asked of the API). Never a number from the report.
 */
async function postTarget(io: ActionIO, target: Target, publisher: Publisher): Promise<Target> {
  if (target.pullNumber !== undefined || !publisher.octokit) return target;
  const found = await publisher.attempt('look up the pull request for the commit', (o) => pullRequestsForCommit(o, target));
  if (found?.length === 1) return { ...target, pullNumber: found[0] };
  io.warning(
    found && found.length > 1
      ? `Pull requests ${found.map((n) => `#${n}`).join(', ')} all have head ${target.headSha}: ` +
          `no comment (which one is meant is not known).`
      : `No open pull request has head ${target.headSha} (the commit the triggering run was for): no comment.`,
  );
  return target;
}
