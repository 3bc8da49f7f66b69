/**
 * The GitHub Action (bundled to dist/index.js): inputs → check() or a saved report → render → publish → outputs.
 * With cli.ts, the only module that reads the environment. Local results (report file, job summary, annotations,
 * outputs) are written before anything goes to the API, so a read-only token or an API outage loses nothing.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { check } from '../check.js';
import { failingResults, reportFails } from '../fail-on.js';
import { collectFindings, emitWorkflowAnnotations, toCheckRunAnnotations } from '../github/annotations.js';
import { answerEvent } from '../github/bot.js';
import { finishCheckRun, startCheckRun, type CheckRunHandle, type CheckRunRef } from '../github/check-run.js';
import { createOctokit, describeError, isPermissionDenied, tokenLogin, type ClientOptions, type Octokit } from '../github/client.js';
import { metadataPath, parseRunMetadata, resolveTarget, verifyPullRequest, type EventContext, type RunMetadata, type Target } from '../github/context.js';
import { MAX_CHECK_SUMMARY_CHARS, MAX_JOB_SUMMARY_BYTES } from '../github/markdown-limits.js';
import { checkConclusion, checkTitle, resultOutput } from '../github/outcome.js';
import { deriveCommentKey, matrixHeading, publishStickyComment } from '../github/sticky-comment.js';
import { logSafeIO, type ActionIO } from './io.js';
import { parseInputs, type ActionInputs } from '../inputs.js';
import { actionsToolCache } from '../runtime/wasmtime/actions-cache.js';
import type { Report } from '../model.js';
import { parseReport, renderJson } from '../report/json.js';
import { logSafeLine } from '../report/log-safe.js';
import { renderMarkdown } from '../report/markdown.js';

const FORK_HELP = "the README's 'Pull requests from forks' section";

/** What the runner tells us, read once. */
interface RunnerEnv {
  workspace: string;
  event: EventContext;
  apiUrl: string;
  runUrl?: string;
  workflow: string;
  job: string;
  tempDir: string;
}

async function readRunnerEnv(env: Record<string, string | undefined>): Promise<RunnerEnv> {
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH && existsSync(env.GITHUB_EVENT_PATH)) {
    payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
  }
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY ?? '';
  const attempt = Number(env.GITHUB_RUN_ATTEMPT || '1');
  return {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    event: { eventName: env.GITHUB_EVENT_NAME ?? '', payload, repository, sha: env.GITHUB_SHA ?? '' },
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    runUrl: env.GITHUB_RUN_ID && repository ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}${attempt > 1 ? `/attempts/${attempt}` : ''}` : undefined,
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    tempDir: env.RUNNER_TEMP || path.join(env.GITHUB_WORKSPACE || process.cwd(), '.wasm-p2-check'),
  };
}

/**
 * API calls that a read-only token may be refused: a refusal is logged once per step and the run goes on with the
 * job summary and the report file; any other API error propagates.
 */
class GitHubWriter {
  refused: string[] = [];
  constructor(
    readonly octokit: Octokit | undefined,
    private readonly io: ActionIO,
    private readonly target: Target,
    private readonly reportPath: string,
  ) {}

  async attempt<T>(step: string, fn: (octokit: Octokit) => Promise<T>): Promise<T | undefined> {
    if (!this.octokit) return undefined;
    try {
      return await fn(this.octokit);
    } catch (e) {
      if (!isPermissionDenied(e)) throw e;
      this.refused.push(step);
      this.io.warning(
        `Could not ${step} (${describeError(e)}). ` +
          (this.target.isFork
            ? 'This pull request comes from a fork, so its token is read-only: '
            : "The token lacks a permission (see the workflow's `permissions`): ") +
          `the result is still in the job summary and in ${this.reportPath}. For fork pull requests, use the two-workflow setup in ${FORK_HELP}.`,
      );
      return undefined;
    }
  }
}

/** The report to publish and where it belongs, from a fresh check or from a saved report. */
async function obtainReport(io: ActionIO, inputs: ActionInputs, runner: RunnerEnv): Promise<{ report: Report; meta?: RunMetadata }> {
  if (inputs.mode === 'post-from-report') {
    const file = inputs.reportPath!;
    const report = parseReport(await readFile(file, 'utf8').catch((e: Error) => {
      throw new Error(`Input 'report' has an invalid value '${file}': ${e.message}`);
    }));
    const metaFile = metadataPath(file);
    const meta = existsSync(metaFile) ? parseRunMetadata(await readFile(metaFile, 'utf8')) : undefined;
    return { report, meta };
  }
  io.startGroup('wasm-p2-check');
  try {
    const options = inputs.check!;
    const report = await check({
      ...options,
      // wasmtime releases live on github.com, also for GitHub Enterprise users; our token only goes there when it
      // is a github.com token (it lifts the API rate limit for resolving 'latest').
      wasmtime: {
        ...options.wasmtime,
        // The runner's tool cache; runtime `auto` may download wasmtime here (else it falls back, with a warning).
        cache: actionsToolCache(),
        autoDownload: true,
        apiBaseUrl: 'https://api.github.com',
        ...(runner.apiUrl.replace(/\/+$/, '') === 'https://api.github.com' && inputs.publish.token ? { token: inputs.publish.token } : {}),
      },
      onProgress: (e) => io.info(e.artifact ? `${logSafeLine(e.artifact)}: ${e.stage}${e.message ? ` (${logSafeLine(e.message)})` : ''}` : (e.message ?? e.stage)),
    });
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
  let closeCheckRun: ((message: string) => Promise<unknown>) | undefined;
  try {
    const runner = await readRunnerEnv(env);
    const inputs = parseInputs((name) => io.getInput(name), runner.workspace);
    const { publish } = inputs;
    let target = resolveTarget(runner.event);
    const reportPath = inputs.reportPath ?? path.join(runner.tempDir, 'wasm-p2-check', 'report.json');
    const octokit = publish.token && inputs.mode !== 'report-only' ? createClient(publish.token, { baseUrl: runner.apiUrl, log: (m) => io.info(m) }) : undefined;
    if (inputs.mode === 'explain') return await explainMode(io, octokit, runner.event, inputs.bot!);
    const writer = new GitHubWriter(octokit, io, target, reportPath);
    const checkRef = (t: Target): CheckRunRef | undefined =>
      publish.checkRun && inputs.mode !== 'report-only' && t.headSha
        ? { owner: t.owner, repo: t.repo, name: publish.checkName, headSha: t.headSha, detailsUrl: runner.runUrl }
        : undefined;
    if (target.isFork && inputs.mode === 'check') {
      io.info(`This pull request comes from a fork: its token is likely read-only (see ${FORK_HELP}).`);
    }

    // The check run shows as in progress while the check runs, and is completed whatever happens next.
    let checkRun: CheckRunHandle | undefined;
    const startRef = inputs.mode === 'check' ? checkRef(target) : undefined;
    if (startRef) {
      const handle = await writer.attempt('create the check run', (o) => startCheckRun(o, startRef));
      if (handle) {
        checkRun = handle;
        closeCheckRun = (message) =>
          writer.attempt('complete the check run', (o) =>
            finishCheckRun(o, startRef, handle, { conclusion: 'failure', title: 'wasm-p2-check could not finish', summary: message, annotations: [] }),
          );
      }
    }

    const obtained = await obtainReport(io, inputs, runner);
    const { report } = obtained;

    // Where the report belongs: this run, or (post-from-report) the run that wrote the report.
    const meta = obtained.meta;
    const commentKey = publish.commentKey ?? meta?.commentKey ?? deriveCommentKey(runner.workflow, runner.job, publish.matrix);
    const heading = meta?.heading ?? matrixHeading('wasm-p2-check', publish.matrix);
    const detailsUrl = meta?.runUrl ?? runner.runUrl;
    if (inputs.mode === 'post-from-report') target = await postTarget(io, target, meta, writer);

    // Local results first.
    if (inputs.mode !== 'post-from-report') {
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
    }
    const render = (maxBytes: number) => renderMarkdown(report, { maxBytes, detailsUrl, heading });
    await io.writeSummary(renderMarkdown(report, { maxBytes: MAX_JOB_SUMMARY_BYTES - 4096, heading, surface: 'job-summary' }));
    const findings = collectFindings(report, publish.failOn, runner.workspace);
    emitWorkflowAnnotations(findings, io);
    io.setOutput('result', resultOutput(report));
    io.setOutput('regressions', report.summary.regressions);
    io.setOutput('failures', report.summary.failures);
    io.setOutput('report-json', reportPath);

    // Then GitHub.
    const ref = checkRef(target);
    // A token that could not create the run at the start will not be able to complete it either.
    if (ref && !writer.refused.includes('create the check run')) {
      const handle = await writer.attempt('publish the check run', (o) =>
        finishCheckRun(o, ref, checkRun, {
          conclusion: checkConclusion(report, publish.failOn),
          title: checkTitle(report),
          summary: render(MAX_CHECK_SUMMARY_CHARS - 1024),
          annotations: toCheckRunAnnotations(findings),
          detailsUrl,
        }),
      );
      closeCheckRun = undefined;
      if (handle?.url) io.info(`Check run: ${handle.url}`);
    }
    if (inputs.mode !== 'report-only' && target.pullNumber !== undefined && publish.comment !== 'never' && octokit) {
      const author = await tokenLogin(octokit);
      const pullNumber = target.pullNumber;
      const outcome = await writer.attempt('comment on the pull request', (o) =>
        publishStickyComment(o, {
          owner: target.owner,
          repo: target.repo,
          issueNumber: pullNumber,
          key: commentKey,
          mode: publish.comment,
          failing: report.summary.failures > 0,
          render: (budget) => render(budget),
          sha: target.headSha,
          detailsUrl,
          author,
        }),
      );
      if (outcome) io.info(outcome.action === 'skipped' ? `No comment: ${outcome.reason}` : `Comment ${outcome.action}: ${outcome.url}`);
      if (outcome && outcome.action !== 'skipped' && outcome.duplicates > 0) {
        io.warning(`${outcome.duplicates} more comment(s) carry the marker for '${commentKey}'; the oldest one was updated.`);
      }
    } else if (inputs.mode !== 'report-only' && publish.comment !== 'never' && octokit) {
      io.info('No pull request for this run: no comment.');
    }

    if (report.configurationError && inputs.mode !== 'post-from-report') {
      // The job summary and report-json above already say so; this names the input.
      io.setFailed(`Input '${report.configurationError.option}': ${report.configurationError.message}`);
    } else if (reportFails(report, publish.failOn) && inputs.mode !== 'post-from-report') {
      const failing = failingResults(report, publish.failOn);
      io.setFailed(
        publish.failOn === 'any'
          ? `${failing.length} artifact(s) do not pass (fail-on: any)`
          : `${failing.length} artifact(s) break when converted to P2 components or could not be checked (fail-on: regression): ${failing.map((r) => `${r.artifact.path} ${r.verdict}`).join(', ')}`,
      );
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (closeCheckRun) await closeCheckRun(message).catch(() => undefined);
    io.setFailed(message);
  }
}

/** Bot mode: answer the issue or comment of this event (see github/bot.ts). */
async function explainMode(io: ActionIO, octokit: Octokit | undefined, event: EventContext, bot: NonNullable<ActionInputs['bot']>): Promise<void> {
  if (!octokit) throw new Error("mode 'explain' needs a token (input 'github-token') with issues: write");
  const outcome = await answerEvent(octokit, event, { ...bot, self: await tokenLogin(octokit), log: (m) => io.info(m) });
  io.info(outcome.action === 'ignored' || outcome.action === 'silent' ? `No reply: ${outcome.reason}` : `Reply ${outcome.action}: ${outcome.url}`);
  io.setOutput('result', outcome.action);
}

/**
 * Where a saved report belongs. The commit comes from the `workflow_run` event (GitHub's word); a PR number from
 * the saved metadata (written by PR code) is used only when that PR's head really is that commit.
 */
async function postTarget(io: ActionIO, target: Target, meta: RunMetadata | undefined, writer: GitHubWriter): Promise<Target> {
  if (meta && meta.headSha !== target.headSha) {
    io.warning(`The saved report is for ${meta.headSha}, the triggering run for ${target.headSha}: posting on the latter.`);
  }
  if (target.pullNumber !== undefined || meta?.pullNumber === undefined || !writer.octokit) return target;
  const number = meta.pullNumber;
  const ok = await writer.attempt('look up the pull request', (o) => verifyPullRequest(o, target, number));
  if (ok) return { ...target, pullNumber: number };
  io.warning(`Pull request #${number} named in the saved report does not have head ${target.headSha}: no comment.`);
  return target;
}

