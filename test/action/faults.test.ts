/**
 * API faults, races and untrusted reports, through the Action's run() in process against the emulator: the verdict
 * is never lost (report, job summary and outputs are written first), no check run is stranded in progress, a
 * deleted comment is recreated, duplicates from a race are cleaned up on the next run, matrix entries get their own
 * check runs, an older run does not overwrite a newer comment, and `post-from-report` believes nothing the saved
 * report says about where it belongs or what it concluded.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentMarker } from '../../src/github/sticky-comment.js';
import { workflowRunEvent } from '../github/events.js';
import { useActionHarness, HEAD, PR } from './harness.js';

const PASSING = 'wat-hello.wasm';
const ALSO_PASSING = 'c-hello.wasm';
const REGRESSING = 'go124-hello.wasm';

const action = useActionHarness();
const runAction = action.run;
const ours = () => action.gh.commentsOn(PR).filter((c) => c.body.startsWith(commentMarker('CI/wasm')));

/** The verdict's local results, whatever happened to the API. */
function expectLocalResults(r: Awaited<ReturnType<typeof runAction>>, result: string): void {
  expect(r.outputs.result).toBe(result);
  expect(existsSync(r.outputs['report-json']!)).toBe(true);
  expect(r.summary).toContain('wasm-p2-check');
}

describe('API faults never lose the verdict', () => {
  it('a persistent 500 on every request: report, summary and outputs written, the step follows the verdict', async () => {
    action.gh.inject({ times: 10_000, status: 500 });
    const pass = await runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always' }, artifacts: [PASSING] });
    expect(pass.code, pass.stdout).toBe(0);
    expectLocalResults(pass, 'pass');
    expect(pass.stdout).toMatch(/::warning::Could not publish the check run: 500 Server Error/);
    expect(pass.stdout).toMatch(/::warning::Could not comment on the pull request: 500 Server Error/);
    expect(action.gh.requests.filter((r) => r.operationId === 'checks/create').length).toBe(4); // 1 + 3 retries
    expect(action.gh.checkRuns).toEqual([]);

    // The verdict still fails the step, with the verdict's message, not the API's.
    const regress = await runAction({ inputs: { artifacts: 'build/*.wasm' }, artifacts: [REGRESSING] });
    expect(regress.code).toBe(1);
    expectLocalResults(regress, 'regression');
    expect(regress.stdout).toMatch(/::error::1 artifact\(s\) break when converted/);
    expect(regress.stdout).not.toMatch(/::error::.*Server Error/);

    // Asked to, publishing errors fail the step too, named.
    const strict = await runAction({ inputs: { artifacts: 'build/*.wasm', 'publish-errors': 'fail' }, artifacts: [PASSING] });
    expect(strict.code).toBe(1);
    expectLocalResults(strict, 'pass');
    expect(strict.stdout).toMatch(/::error::Publishing failed \(publish-errors: fail\): publish the check run: 500 Server Error/);
  });

  it('a refused connection: the same, and the later API steps are skipped instead of retried again', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await runAction({
      inputs: { artifacts: 'build/*.wasm', comment: 'always' },
      artifacts: [PASSING],
      env: { GITHUB_API_URL: `http://127.0.0.1:${port}` },
    });
    expect(r.code, r.stdout).toBe(0);
    expectLocalResults(r, 'pass');
    expect(r.stdout).toMatch(
      /::warning::Could not publish the check run: cannot reach the GitHub API at http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/,
    );
    expect(r.stdout).toMatch(/Skipped: comment on the pull request \(the GitHub API could not be reached/);
    // Named as a connection that could not be made, with the API's address, and listed in the job summary.
    expect(r.stdout).not.toMatch(/500 connect ECONNREFUSED/);
    expect(r.summary).toContain('**Publishing problems** (the verdict above stands):');
    expect(r.summary).toContain(
      `- could not publish the check run: cannot reach the GitHub API at http://127.0.0.1:${port}: connect ECONNREFUSED`,
    );
  });

  it('a 502 when the check run is written: retried; persistently, it is never left in progress and the comment still goes out', async () => {
    action.gh.inject({ operation: 'checks/create', times: 1, status: 502, body: { message: 'Bad Gateway' } });
    const once = await runAction({ inputs: { artifacts: 'build/*.wasm' }, artifacts: [PASSING] });
    expect(once.code).toBe(0);
    expect(action.gh.checkRuns.map((c) => [c.status, c.conclusion])).toEqual([['completed', 'success']]);

    action.gh.inject({ operation: 'checks/create', times: 100, status: 502, body: { message: 'Bad Gateway' } });
    const always = await runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always' }, artifacts: [PASSING] });
    expect(always.code, always.stdout).toBe(0);
    expect(always.stdout).toMatch(/::warning::Could not publish the check run: 502 Bad Gateway/);
    expect(action.gh.checkRuns.filter((c) => c.status !== 'completed')).toEqual([]);
    expect(ours()).toHaveLength(1);
  });

  it('a 404 when updating a sticky comment that was deleted meanwhile: the comment is posted again, the step passes', async () => {
    const first = await runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always' }, artifacts: [PASSING] });
    expect(first.code).toBe(0);
    const [created] = ours();
    action.gh.before('issues/update-comment', () => action.gh.deleteComment(created!.id));
    const second = await runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always' }, artifacts: [PASSING, ALSO_PASSING] });
    expect(second.code, second.stdout).toBe(0);
    expect(action.gh.requests.filter((r) => r.operationId === 'issues/update-comment').map((r) => r.status)).toEqual([404]);
    expect(second.stdout).toMatch(/Comment recreated: /);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.id).not.toBe(created!.id);
    expect(ours()[0]!.body).toContain(ALSO_PASSING);
  });
});

describe('races, matrices and late runs', () => {
  /** Holds both runs' comment creation until both have arrived: both listed before either posted. */
  function lineUp(operation: string, count: number): void {
    let arrived = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    for (let i = 0; i < count; i++) {
      action.gh.before(operation, async () => {
        if (++arrived === count) release();
        await gate;
      });
    }
  }

  it('two concurrent runs post two comments; the next run removes the duplicate', async () => {
    lineUp('issues/create-comment', 2);
    const [a, b] = await Promise.all([
      runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always' }, artifacts: [PASSING] }),
      runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always' }, artifacts: [PASSING] }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(ours()).toHaveLength(2);
    const keep = ours()[0]!.id;
    const next = await runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always' }, artifacts: [PASSING] });
    expect(next.stdout).toMatch(/Removed 1 duplicate comment\(s\) for 'CI\/wasm'/);
    expect(ours().map((c) => c.id)).toEqual([keep]);
  });

  it('with hide-old, the duplicate is minimized instead, once', async () => {
    lineUp('issues/create-comment', 2);
    await Promise.all([
      runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always', 'hide-old': 'true' }, artifacts: [PASSING] }),
      runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always', 'hide-old': 'true' }, artifacts: [PASSING] }),
    ]);
    const third = await runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always', 'hide-old': 'true' }, artifacts: [PASSING] });
    expect(third.stdout).toContain("Minimized 1 earlier comment(s) for 'CI/wasm' as outdated.");
    await runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always', 'hide-old': 'true' }, artifacts: [PASSING] });
    const [older, newer] = ours();
    expect([older!.minimizedAs, newer!.minimizedAs]).toEqual(['OUTDATED', undefined]);
    expect(action.gh.requests.filter((r) => r.operationId === 'graphql')).toHaveLength(3); // state, minimize; state only
  });

  it('three matrix jobs get three check runs with distinct names (and three comments)', async () => {
    for (const toolchain of ['c', 'wat', 'rust']) {
      const r = await runAction({
        inputs: { artifacts: 'build/*.wasm', matrix: JSON.stringify({ toolchain }), comment: 'always' },
        artifacts: [PASSING],
      });
      expect(r.code).toBe(0);
    }
    expect(action.gh.checkRuns.map((c) => c.name)).toEqual([
      'wasm-p2-check (toolchain: c)',
      'wasm-p2-check (toolchain: wat)',
      'wasm-p2-check (toolchain: rust)',
    ]);
    expect(new Set(action.gh.commentsOn(PR).map((c) => c.body.split('\n')[0])).size).toBe(3);
  });

  it('a run older than the one the comment shows does not overwrite it', async () => {
    const newer = await runAction({
      inputs: { artifacts: 'build/*.wasm', comment: 'always' },
      artifacts: [PASSING, ALSO_PASSING],
      env: { GITHUB_RUN_ID: '5000' },
    });
    expect(newer.code).toBe(0);
    const older = await runAction({
      inputs: { artifacts: 'build/*.wasm', comment: 'always' },
      artifacts: [PASSING],
      env: { GITHUB_RUN_ID: '4990' },
    });
    expect(older.code).toBe(0);
    expect(older.stdout).toContain('No comment written: the comment shows a later run (5000.1) than this one (4990.1)');
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toContain(ALSO_PASSING);
    expect(action.gh.requests.filter((r) => r.operationId === 'issues/update-comment')).toEqual([]);
    // A re-run (a later attempt) of the newest run does update it.
    const rerun = await runAction({
      inputs: { artifacts: 'build/*.wasm', comment: 'always' },
      artifacts: [PASSING],
      env: { GITHUB_RUN_ID: '5000', GITHUB_RUN_ATTEMPT: '2' },
    });
    expect(rerun.stdout).toMatch(/Comment updated: /);
    expect(ours()[0]!.body).not.toContain(ALSO_PASSING);
  });
});

describe('post-from-report trusts nothing in the saved report', () => {
  const OTHER = 'feedfacefeedfacefeedfacefeedfacefeedface';

  /** Stage 1 (report-only) on `artifacts`, then `edit` the saved files as a hostile PR could. */
  async function savedReport(
    artifacts: string[],
    edit: (report: Record<string, unknown>, meta: Record<string, unknown>) => void,
  ): Promise<string> {
    const ci = await runAction({ inputs: { artifacts: 'build/*.wasm', mode: 'report-only', report: 'out/report.json' }, artifacts });
    const file = path.join(ci.workspace, 'out', 'report.json');
    const report = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    const metaFile = path.join(ci.workspace, 'out', 'report.meta.json');
    const meta = JSON.parse(await readFile(metaFile, 'utf8')) as Record<string, unknown>;
    edit(report, meta);
    await writeFile(file, JSON.stringify(report));
    await writeFile(metaFile, JSON.stringify(meta));
    return file;
  }

  const post = (report: string, event: Record<string, unknown>, inputs: Record<string, string> = {}) =>
    runAction({
      inputs: { mode: 'post-from-report', report, comment: 'always', ...inputs },
      eventName: 'workflow_run',
      event,
      env: { GITHUB_WORKFLOW: 'report', GITHUB_JOB: 'post', GITHUB_SHA: 'e'.repeat(40), GITHUB_RUN_ID: '9999' },
    });

  it('a forged summary and forged links: counts, result and conclusion recomputed from the results; links from the event', async () => {
    const file = await savedReport([PASSING], (report, meta) => {
      const results = report.results as { verdict: string }[];
      results[0]!.verdict = 'REGRESSION';
      // The summary claims everything passed; the metadata points elsewhere.
      const summary = report.summary as { counts: Record<string, number> };
      report.summary = { ...summary, regressions: 0, failures: 0, counts: { ...summary.counts, PASS: 1, REGRESSION: 0 } };
      meta.runUrl = 'https://evil.example/phish';
      meta.pullNumber = 7;
    });
    const r = await post(
      file,
      workflowRunEvent(action.gh.api, { repository: action.gh.fullName, headSha: HEAD, headRepo: 'contributor/wasm-app' }),
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({ result: 'regression', regressions: '1', failures: '1' });
    expect(action.gh.checkRuns.map((c) => [c.conclusion, c.headSha, c.detailsUrl])).toEqual([
      ['failure', HEAD, `https://github.com/${action.gh.fullName}/actions/runs/30433642`],
    ]);
    const body = ours()[0]!.body;
    expect(body).not.toContain('evil.example');
    expect(JSON.stringify(action.gh.checkRuns[0]!.output)).not.toContain('evil.example');
  });

  it('a forged comment key cannot overwrite another job’s sticky comment: only keys of the triggering workflow are used', async () => {
    // A trusted job of another workflow keeps its own comment on the PR.
    const release = await runAction({
      inputs: { artifacts: 'build/*.wasm', comment: 'always' },
      artifacts: [PASSING],
      env: { GITHUB_WORKFLOW: 'Release', GITHUB_JOB: 'check' },
    });
    expect(release.code, release.stdout).toBe(0);
    const trusted = () => action.gh.commentsOn(PR).filter((c) => c.body.startsWith(commentMarker('Release/check')));
    const [before] = trusted();
    expect(before).toBeDefined();
    const body = before!.body;

    // The PR's CI run (workflow 'CI' in the event) saves a report of a regression that names that comment.
    const file = await savedReport([REGRESSING], (_report, meta) => {
      meta.commentKey = 'Release/check';
    });
    const event = workflowRunEvent(action.gh.api, { repository: action.gh.fullName, headSha: HEAD, headRepo: 'contributor/wasm-app' });
    const r = await post(file, event);
    expect(r.code, r.stdout).toBe(0);
    expect(trusted()).toHaveLength(1);
    expect(trusted()[0]!.body).toBe(body);
    expect(r.stdout).toMatch(
      /::warning::Not using the saved report's comment key: the saved key 'Release\/check' is not a key of the triggering workflow 'CI'\. Posting under 'report\/post'\./,
    );
    const own = action.gh.commentsOn(PR).filter((c) => c.body.startsWith(commentMarker('report/post')));
    expect(own).toHaveLength(1);
    expect(own[0]!.body).toContain(REGRESSING);

    // The keys CI's own jobs write (matrix ones too) are still honoured.
    const matrixKey = `CI/wasm/${'0a1b2c3d4e5f'}`;
    const legit = await savedReport([REGRESSING], (_report, meta) => {
      meta.commentKey = matrixKey;
    });
    const again = await post(legit, event);
    expect(again.stdout).not.toContain('Not using the saved report');
    expect(action.gh.commentsOn(PR).filter((c) => c.body.startsWith(commentMarker(matrixKey)))).toHaveLength(1);
    expect(trusted()[0]!.body).toBe(body);
  });

  it('a forged heading cannot pass the comment off as another job’s: the heading names the triggering workflow (event)', async () => {
    const file = await savedReport([REGRESSING], (_report, meta) => {
      meta.heading = 'wasm-p2-check (Release / check)';
    });
    const event = workflowRunEvent(action.gh.api, { repository: action.gh.fullName, headSha: HEAD, headRepo: 'contributor/wasm-app' });
    const r = await post(file, event);
    expect(r.code, r.stdout).toBe(0);
    // Comment, check run and job summary: the known heading first, the report's own words only labelled as such.
    const shown = '\u{274C} wasm-p2-check (CI / wasm) \\[unverified label from the report: Release / check\\]: ';
    for (const text of [ours()[0]!.body, action.gh.checkRuns[0]!.output.summary!, r.summary]) {
      expect(text).toContain(`## ${shown}`);
      expect(text).not.toMatch(/^## \S+ wasm-p2-check \(Release/m);
    }

    // A heading the job wrote itself (a matrix entry) still tells the comments apart, labelled the same way; none:
    // the heading is the workflow and the job.
    const matrix = await savedReport([REGRESSING], (_report, meta) => {
      meta.heading = 'wasm-p2-check (go: 1.24)';
    });
    expect((await post(matrix, event)).summary).toContain(
      '## \u{274C} wasm-p2-check (CI / wasm) \\[unverified label from the report: go: 1.24\\]: ',
    );
    const plain = await savedReport([REGRESSING], () => {});
    expect((await post(plain, event)).summary).toContain('## \u{274C} wasm-p2-check (CI / wasm): ');
  });

  it('a report that does not match docs/report-schema.json is refused before anything is posted', async () => {
    const file = await savedReport([PASSING], (report) => {
      (report.results as { verdict: string }[])[0]!.verdict = 'FINE';
    });
    const r = await post(file, workflowRunEvent(action.gh.api, { repository: action.gh.fullName, headSha: HEAD }));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::.*\/results\/0\/verdict: must be one of/);
    expect(action.gh.comments).toEqual([]);
  });

  it('a pull_requests entry whose head is another commit is not used: the PR is looked up by the run’s head SHA', async () => {
    action.gh.addPullRequest({ number: 43, headSha: OTHER, headRepo: 'contributor/wasm-app' });
    const file = await savedReport([PASSING], () => {});
    // GitHub lists PR 42 (same branch name, other head); the run was for OTHER, PR 43's head.
    const event = workflowRunEvent(action.gh.api, {
      repository: action.gh.fullName,
      headSha: OTHER,
      pullRequests: [{ number: PR, headSha: HEAD }],
    });
    const r = await post(file, event);
    expect(r.code, r.stdout).toBe(0);
    expect(action.gh.commentsOn(PR)).toEqual([]);
    expect(action.gh.commentsOn(43)).toHaveLength(1);
    expect(action.gh.checkRuns.map((c) => c.headSha)).toEqual([OTHER]);

    // No PR has the commit: silent, with a warning.
    const nowhere = await post(
      file,
      workflowRunEvent(action.gh.api, {
        repository: action.gh.fullName,
        headSha: '7'.repeat(40),
        pullRequests: [{ number: PR, headSha: HEAD }],
      }),
    );
    expect(nowhere.code).toBe(0);
    expect(nowhere.stdout).toMatch(/::warning::No open pull request has head 7{40}/);
    expect(action.gh.commentsOn(PR)).toEqual([]);
  });
});
