/**
 * Publishing, in one place: a mode's result (src/action/mode.ts) goes out as its publishing rules say — locally first
 * (the JSON report, the job summary, annotations, outputs), then to GitHub (check run, sticky comment), then the step's
 * result. Nothing goes to the API before the local results are written, so an API fault or a read-only token loses
 * nothing; every API step is attempted on its own and its failure is a warning (or, with `publish-errors: fail`, fails
 * the step) that names the step and the error.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { emitWorkflowAnnotations, toCheckRunAnnotations } from '../github/annotations.js';
import { checkRunName, finishCheckRun, type CheckRunRef } from '../github/check-run.js';
import { tokenLogin, type ClientOptions, type Octokit } from '../github/client.js';
import { metadataPath, type RunMetadata, type Target } from '../github/context.js';
import { MAX_CHECK_SUMMARY_CHARS, MAX_JOB_SUMMARY_BYTES } from '../github/markdown-limits.js';
import { checkConclusion, checkTitle, resultOutput } from '../github/outcome.js';
import { deriveCommentKey, matrixHeading, publishReportComment } from '../github/sticky-comment.js';
import { failingResults, reportFails } from '../report/fail-on.js';
import { baseName, changeGroups } from '../report/change.js';
import { collectFindings } from '../report/findings.js';
import { REPORT_FORMATS } from '../report/formats.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { escapeInline, fence } from '../report/markdown-utils.js';
import { InputError, parseCheckRunInputs, type CheckRunInputs, type Mode, type PublishOptions } from './inputs.js';
import type { ActionIO } from './io.js';
import type { ModeResult, Placement, Publishing } from './mode.js';
import { FORK_HELP, Publisher } from './publisher.js';
import type { RunnerEnv } from './runner-env.js';

/** Builds the API client; tests shorten its waits (see `ClientOptions.waitUnitMs`). */
export type CreateClient = (token: string, options: ClientOptions) => Octokit;

/** What publishing needs of the run, besides the result. */
export interface PublishContext {
  io: ActionIO;
  runner: RunnerEnv;
  target: Target;
  publish: PublishOptions;
  publisher: Publisher;
  /** Where the JSON report is written (and what the `report-json` output says). */
  reportPath: string;
}

/** One check-run name per matrix entry: a required check matches by name, and same-named runs on one commit would hide each other. */
export function checkRunRef(rules: Publishing, publish: PublishOptions): (target: Target, detailsUrl?: string) => CheckRunRef | undefined {
  const name = checkRunName(publish.checkName, publish.matrix);
  return (t, detailsUrl) =>
    publish.checkRun && rules.checkRun !== 'never' && t.headSha
      ? { owner: t.owner, repo: t.repo, name, headSha: t.headSha, detailsUrl }
      : undefined;
}

/** Where this run's result is published: its sticky-comment key and heading (from workflow, job, matrix), its run. */
export function thisRunPlacement(runner: RunnerEnv, publish: PublishOptions): Placement {
  return {
    commentKey: publish.commentKey ?? deriveCommentKey(runner.workflow, runner.job, publish.matrix),
    heading: matrixHeading(publish.commentTitle ?? 'wasm-p2-check', publish.matrix),
    detailsUrl: runner.runUrl,
    runOrder: runner.run,
  };
}

/** The result could not be had: a check run that the mode completes always is completed, naming the error; the step fails. */
export async function publishFailure(ctx: PublishContext, rules: Publishing, e: unknown): Promise<void> {
  // A required check must not wait forever for a run that will never come (also when a merge refuses its reports).
  const ref = rules.checkRun === 'always' ? checkRunRef(rules, ctx.publish)(ctx.target, ctx.runner.runUrl) : undefined;
  if (ref) {
    await ctx.publisher.attempt('publish the check run', (o) =>
      finishCheckRun(o, ref, undefined, {
        conclusion: 'failure',
        title: 'wasm-p2-check could not finish',
        summary: fence(messageOf(e)),
        annotations: [],
      }),
    );
  }
  await failStep(ctx.io, 'wasm-p2-check could not finish', e);
}

/** Publishes a mode's result as its rules say (see the top of this file). */
export async function publishResult(ctx: PublishContext, rules: Publishing, result: ModeResult): Promise<void> {
  const { io, runner, publish, publisher, reportPath } = ctx;
  const { report } = result;
  const { commentKey, heading, detailsUrl, runOrder } = result.placement ?? thisRunPlacement(runner, publish);
  let target = ctx.target;

  // Local results: each on its own, so one failing does not take the others with it.
  const render = (maxBytes: number) => renderMarkdown(report, { maxBytes, detailsUrl, heading });
  const findings = collectFindings(report, publish.failOn, runner.workspace);
  const local: string[] = [];
  const step = async (what: string, fn: () => unknown) => {
    try {
      await fn();
    } catch (e) {
      local.push(`${what}: ${messageOf(e)}`);
    }
  };
  if (rules.writesReport) {
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
    io.setOutput(REPORT_FORMATS.json.actionOutput.name, reportPath);
    io.setOutput('new-failures', report.baseline ? changeGroups(report).newFailures.length : '');
    io.setOutput('baseline', report.baseline ? (report.baseline.commit ?? report.baseline.source) : '');
    if (report.configurationError)
      io.setOutput('error', `Input '${report.configurationError.option}': ${report.configurationError.message}`);
  });
  for (const l of local) io.warning(`Could not ${l}`);

  // GitHub.
  if (result.resolveTarget) target = await result.resolveTarget(target, publisher);
  const ref = checkRunRef(rules, publish)(target, detailsUrl);
  if (ref) {
    const handle = await publisher.attempt('publish the check run', (o) =>
      finishCheckRun(o, ref, undefined, {
        conclusion: checkConclusion(report, publish.failOn),
        title: checkTitle(report),
        // The short form: causes and fixes, linking the job summary rather than repeating it in full.
        summary: renderMarkdown(report, { maxBytes: MAX_CHECK_SUMMARY_CHARS - 1024, detailsUrl, heading, form: 'short' }),
        annotations: toCheckRunAnnotations(findings),
        detailsUrl,
      }),
    );
    if (handle?.url) io.info(`Check run: ${handle.url}`);
    if (handle) {
      io.setOutput('check-run-id', handle.id);
      io.setOutput('check-run-url', handle.url);
    }
  }
  const { octokit } = publisher;
  if (rules.comment && publish.comment !== 'never' && octokit) {
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
      if (outcome?.id !== undefined && outcome.action !== 'skipped') {
        io.setOutput('comment-id', outcome.id);
        if (outcome.url) io.setOutput('comment-url', outcome.url);
      }
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

  // What could not be published is said where the reader looks: the job summary (written before any API call).
  const problems = [...local.map((l) => `could not ${l}`), ...publisher.failures.map((f) => `could not ${f}`)];
  if (publisher.refused) problems.push(`the token may not publish here (read-only or missing \`permissions\`; see ${FORK_HELP})`);
  if (problems.length) {
    await io
      .writeSummary(`\n**Publishing problems** (the verdict above stands):\n\n${problems.map((p) => `- ${escapeInline(p)}`).join('\n')}\n`)
      .catch(() => false);
  }

  // The step's result: the verdicts (or a configuration error); publishing errors only when asked to.
  if (report.configurationError && rules.gates) {
    // The job summary and report-json above already say so; this names the input.
    io.setFailed(`Input '${report.configurationError.option}': ${report.configurationError.message}`);
  } else if (reportFails(report, publish.failOn) && rules.gates) {
    const failing = failingResults(report, publish.failOn);
    io.setFailed(
      publish.failOn === 'any'
        ? `${failing.length} artifact(s) do not pass (fail-on: any)`
        : publish.failOn === 'new' && report.baseline
          ? `${failing.length} artifact(s) newly break against ${baseName(report)} (fail-on: new): ` +
            `${failing.map((r) => `${r.artifact.path} ${r.verdict}`).join(', ')}`
          : `${failing.length} artifact(s) break when converted to P2 components or could not be checked (fail-on: ` +
            `regression): ${failing.map((r) => `${r.artifact.path} ${r.verdict}`).join(', ')}`,
    );
  } else if (publish.publishErrors === 'fail' && (publisher.failures.length > 0 || local.length > 0)) {
    io.setFailed(`Publishing failed (publish-errors: fail): ${[...local, ...publisher.failures].join('; ')}`);
  }
}

/**
 * A configuration the step cannot carry out (a bad input, an event or runner variable it cannot read): a usage error
 * before any artifact runs or anything is posted — and still no lost verdict. The job summary and the outputs say
 * what was wrong (`result: fail`, `error`), in every mode, so a later step or a reader of the run sees why nothing
 * was checked. An `env` value is never repeated (it may be a secret).
 */
export async function failBeforeRunning(io: ActionIO, e: unknown, checkRun?: string): Promise<void> {
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
export async function configurationErrorCheckRun(
  io: ActionIO,
  e: unknown,
  runner: RunnerEnv,
  target: Target,
  createClient: CreateClient,
  publishingOf: (mode: Mode) => Publishing,
): Promise<string | undefined> {
  let given: CheckRunInputs;
  try {
    given = parseCheckRunInputs((name) => io.getInput(name), runner.workspace);
  } catch {
    return undefined; // an input the check run needs is the bad one
  }
  if (!given.token || !given.checkRun || !target.headSha || publishingOf(given.mode).checkRun === 'never') return undefined;
  const octokit = createClient(given.token, { baseUrl: runner.apiUrl, log: (m) => io.info(m) });
  const name = checkRunName(given.checkName, given.matrix);
  const ref: CheckRunRef = { owner: target.owner, repo: target.repo, name, headSha: target.headSha, detailsUrl: runner.runUrl };
  const handle = await new Publisher(octokit, io, target.isFork).attempt('publish the check run', (o) =>
    finishCheckRun(o, ref, undefined, {
      conclusion: 'failure',
      title: `Configuration error: ${badPart(e).replace(/`/g, "'")}`,
      summary:
        `Nothing was checked: ${badPart(e)} cannot be used as given. Fix the workflow file and re-run.\n\n` +
        `${fence(messageOf(redacted(e)))}`,
      annotations: [],
      detailsUrl: runner.runUrl,
    }),
  );
  return handle ? name : undefined;
}

/** Ends the step for a reason that is not a verdict: the job summary and the `result`/`error` outputs say why. */
export async function failStep(io: ActionIO, title: string, e: unknown, lead?: string): Promise<void> {
  const message = messageOf(e);
  await io.writeSummary(`## ${title}\n\n${lead ? `${lead}\n\n` : ''}${fence(message)}\n`).catch(() => false);
  io.setOutput('result', 'fail');
  io.setOutput('error', message);
  io.setFailed(message);
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
