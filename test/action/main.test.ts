/**
 * The Action's run() in process (test/action/action.harness.ts): real check() on fixture artifacts (embedded runtime), the
 * real Octokit against the OpenAPI-validated emulator, the runner's side of @actions/core recorded.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commentMarker } from '../../src/github/sticky-comment.js';
import { parseReport } from '../../src/report/json.js';
import { GitHubEmulator, secondaryRateLimit } from '../github/emulator.js';
import { pullRequestEvent, workflowRunEvent } from '../github/events.js';
import { useActionHarness, HEAD, PR } from './harness.js';

const PASSING = 'wat-hello.wasm';
const REGRESSING = 'go124-hello.wasm';

const action = useActionHarness();
const runAction = action.run;
const commentOps = () => action.gh.requests.filter((r) => r.operationId?.startsWith('issues/'));

describe('the Action, in process', () => {
  it('keeps one sticky comment over three runs and marks it fixed when the regression is gone', async () => {
    const first = await runAction({ inputs: { artifacts: 'build/*.wasm' }, artifacts: [REGRESSING] });
    expect(first.code, first.stdout).toBe(1);
    expect(first.stdout).toContain('::error');
    expect(first.stdout).toMatch(/1 artifact\(s\) break when converted to P2 components/);
    expect(first.outputs).toMatchObject({ result: 'regression', regressions: '1', failures: '1' });
    expect(first.summary).toContain('REGRESSION');
    const report = parseReport(await readFile(first.outputs['report-json']!, 'utf8'));
    expect(report.results[0]!.verdict).toBe('REGRESSION');

    const second = await runAction({ inputs: { artifacts: 'build/*.wasm' }, artifacts: [REGRESSING] });
    expect(second.code).toBe(1);
    const third = await runAction({ inputs: { artifacts: 'build/*.wasm' }, artifacts: [PASSING] });
    expect(third.code, third.stdout).toBe(0);
    expect(third.outputs).toMatchObject({ result: 'pass', regressions: '0', failures: '0' });

    const comments = action.gh.commentsOn(PR);
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    expect(body.startsWith(commentMarker('CI/wasm'))).toBe(true);
    expect(body).toContain('**Fixed** as of 0123456');
    expect(body).not.toContain('REGRESSION');
    expect(comments[0]!.user.login).toBe('github-actions[bot]');
    expect(commentOps().map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 200', // run 1: no comment yet
      'POST 201',
      'GET 200', // run 2: found; same result, same body (no timestamp in it): not rewritten
      'GET 200', // run 3: found, turned into "fixed"
      'PATCH 200',
    ]);

    // One check run per run, on the PR head (not the merge commit), conclusion following fail-on.
    expect(action.gh.checkRuns.map((r) => [r.name, r.headSha, r.status, r.conclusion])).toEqual([
      ['wasm-p2-check', HEAD, 'completed', 'failure'],
      ['wasm-p2-check', HEAD, 'completed', 'failure'],
      ['wasm-p2-check', HEAD, 'completed', 'success'],
    ]);
    const run1 = action.gh.checkRuns[0]!;
    // Created once the check has run, completed in the same request: never stranded in_progress.
    expect(run1.history).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'failure' })]);
    expect(run1.output.title).toBe('1 of 1 artifact breaks as a P2 component');
    expect(run1.output.annotations).toMatchObject([{ path: `build/${REGRESSING}`, annotation_level: 'failure' }]);
    expect(run1.output.summary!.length).toBeLessThanOrEqual(65_535);
    expect(run1.detailsUrl).toBe(`https://github.com/${action.gh.fullName}/actions/runs/4242`);
  });

  it('keeps separate comments for two matrix jobs', async () => {
    const go = await runAction({ inputs: { artifacts: 'build/*.wasm', matrix: '{"toolchain":"go-1.24"}' }, artifacts: [REGRESSING] });
    const c = await runAction({
      inputs: { artifacts: 'build/*.wasm', matrix: '{"toolchain":"c"}', comment: 'always' },
      artifacts: [PASSING],
    });
    expect([go.code, c.code]).toEqual([1, 0]);
    const again = await runAction({ inputs: { artifacts: 'build/*.wasm', matrix: '{"toolchain":"go-1.24"}' }, artifacts: [REGRESSING] });
    expect(again.code).toBe(1);
    const comments = action.gh.commentsOn(PR);
    expect(comments).toHaveLength(2);
    const markers = comments.map((x) => x.body.split('\n')[0]);
    expect(new Set(markers).size).toBe(2);
    expect(markers.every((m) => /^<!-- wasm-p2-check:CI\/wasm\/[0-9a-f]{12} -->$/.test(m!))).toBe(true);
    expect(comments[0]!.body).toContain('wasm-p2-check (toolchain: go-1.24)');
    expect(comments[1]!.body).toContain('wasm-p2-check (toolchain: c)');
  });

  it('on a fork PR with a read-only token: 403s are logged, the step passes, summary and report are written', async () => {
    const event = pullRequestEvent(action.gh.api, {
      repository: action.gh.fullName,
      number: PR,
      headSha: HEAD,
      headRepo: 'contributor/wasm-app',
    });
    const r = await runAction({
      inputs: { artifacts: 'build/*.wasm', 'github-token': 'ghs_read', comment: 'always' },
      artifacts: [PASSING],
      event,
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('Resource not accessible by integration');
    expect(r.stdout).toMatch(/::warning::Could not publish the check run .*fork/);
    expect(r.stdout).not.toContain('::error');
    expect(r.summary).toContain('wasm-p2-check');
    expect(r.outputs).toMatchObject({ result: 'pass', failures: '0' });
    expect(existsSync(r.outputs['report-json']!)).toBe(true);
    expect(r.outputs['report-json']!.startsWith(r.runnerTemp)).toBe(true);
    expect(action.gh.comments).toEqual([]);
    expect(action.gh.checkRuns).toEqual([]);
    expect(action.gh.requests.filter((x) => x.status === 403).map((x) => x.operationId)).toEqual(
      expect.arrayContaining(['checks/create', 'issues/create-comment']),
    );
  });

  it('retries a 500 and waits out a secondary rate limit', async () => {
    action.gh.inject({ operation: 'issues/create-comment', times: 1, status: 500 });
    action.gh.inject(secondaryRateLimit('issues/list-comments'));
    const r = await runAction({ inputs: { artifacts: 'build/*.wasm' }, artifacts: [REGRESSING] });
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/secondary rate limit .*retrying after 1s/);
    const lists = action.gh.requests.filter((x) => x.operationId === 'issues/list-comments');
    expect(lists.map((x) => x.status)).toEqual([403, 200]);
    expect(action.gh.requests.filter((x) => x.operationId === 'issues/create-comment').map((x) => x.status)).toEqual([500, 201]);
    expect(action.gh.commentsOn(PR)).toHaveLength(1);
  });

  it('check-run conclusion and exit code follow fail-on; update-only creates nothing', async () => {
    const never = await runAction({
      inputs: { artifacts: 'build/*.wasm', 'fail-on': 'never', comment: 'update-only' },
      artifacts: [REGRESSING],
    });
    expect(never.code, never.stdout).toBe(0);
    expect(never.outputs.result).toBe('regression');
    expect(action.gh.checkRuns.map((r) => r.conclusion)).toEqual(['neutral']);
    expect(action.gh.comments).toEqual([]);
    expect(never.stdout).toContain("No comment written: no earlier comment and comment is 'update-only'");
  });

  it('fails on a bad input, naming it, before running anything; only the check run is completed (as failed)', async () => {
    const r = await runAction({ inputs: { artifacts: 'build/*.wasm', 'fail-on': 'sometimes' }, artifacts: [PASSING] });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::Input 'fail-on' has an invalid value 'sometimes': expected one of regression, .*never/);
    expect(action.gh.requests.map((q) => q.operationId)).toEqual(['checks/create']);
    expect(action.gh.checkRuns[0]?.conclusion).toBe('failure');
  });

  it('two stages for forks: report-only posts nothing; post-from-report posts on the verified PR', async () => {
    const event = pullRequestEvent(action.gh.api, {
      repository: action.gh.fullName,
      number: PR,
      headSha: HEAD,
      headRepo: 'contributor/wasm-app',
    });
    const ci = await runAction({
      inputs: { artifacts: 'build/*.wasm', mode: 'report-only', report: 'wasm-p2-check/report.json', 'github-token': 'ghs_read' },
      artifacts: [REGRESSING],
      event,
    });
    expect(ci.code, ci.stdout).toBe(1);
    expect(action.gh.requests).toEqual([]);
    const reportFile = path.join(ci.workspace, 'wasm-p2-check', 'report.json');
    expect(ci.outputs['report-json']).toBe(reportFile);
    const meta = JSON.parse(await readFile(path.join(ci.workspace, 'wasm-p2-check', 'report.meta.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(meta).toMatchObject({ headSha: HEAD, pullNumber: PR, commentKey: 'CI/wasm' });

    // The artifact, downloaded into the trusted workflow's workspace.
    const post = await runAction({
      inputs: { mode: 'post-from-report', report: reportFile },
      eventName: 'workflow_run',
      event: workflowRunEvent(action.gh.api, {
        repository: action.gh.fullName,
        headSha: HEAD,
        headRepo: 'contributor/wasm-app',
        conclusion: 'failure',
      }),
      env: { GITHUB_WORKFLOW: 'wasm-p2-check report', GITHUB_JOB: 'post', GITHUB_SHA: 'e'.repeat(40), GITHUB_RUN_ID: '4343' },
    });
    expect(post.code, post.stdout).toBe(0);
    expect(post.outputs).toMatchObject({ result: 'regression', regressions: '1', 'report-json': reportFile });
    expect(action.gh.requests.map((r) => r.operationId)).toContain('repos/list-pull-requests-associated-with-commit');
    const comments = action.gh.commentsOn(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(commentMarker('CI/wasm'))).toBe(true);
    expect(action.gh.checkRuns.map((r) => [r.headSha, r.conclusion])).toEqual([[HEAD, 'failure']]);
  });

  it('on push (no PR) under a GitHub Enterprise Server API prefix: a check run on GITHUB_SHA, no comment', async () => {
    const ghes = await new GitHubEmulator({ prefix: '/api/v3' }).start();
    try {
      ghes.addToken('ghs_write');
      const sha = 'abababababababababababababababababababab';
      const r = await runAction({
        inputs: { artifacts: 'build/*.wasm' },
        artifacts: [PASSING, REGRESSING],
        eventName: 'push',
        event: { ref: 'refs/heads/main', after: sha },
        env: { GITHUB_API_URL: ghes.url, GITHUB_SHA: sha, GITHUB_REF: 'refs/heads/main' },
      });
      expect(r.code, r.stdout).toBe(1);
      expect(r.outputs).toMatchObject({ result: 'regression', regressions: '1', failures: '1' });
      expect(r.stdout).toContain('No pull request for this run: no comment.');
      expect(ghes.checkRuns.map((c) => [c.headSha, c.conclusion])).toEqual([[sha, 'failure']]);
      expect(ghes.requests.every((x) => x.path.startsWith('/api/v3/'))).toBe(true);
      expect(ghes.rejected).toEqual([]);
      expect(ghes.violations).toEqual([]);
      expect(action.gh.requests).toEqual([]);
    } finally {
      await ghes.stop();
    }
  });

  it('when the check itself cannot run, the step fails and the check run does not stay in progress', async () => {
    const r = await runAction({ inputs: { artifacts: 'build/nothing-here-*.wasm' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::Input 'artifacts': no artifacts matched 'build\/nothing-here-\*\.wasm'/);
    expect(action.gh.checkRuns.map((c) => [c.status, c.conclusion])).toEqual([['completed', 'failure']]);
    expect(action.gh.checkRuns[0]!.output.summary).toContain('no artifacts matched');
    expect(action.gh.comments).toEqual([]);
  });

  it('a literal artifact path that does not exist fails the step naming the input, like an empty glob (#22)', async () => {
    const r = await runAction({ inputs: { artifacts: 'build/*.wasm\nbuild/app.wasm' }, artifacts: [PASSING] });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::Input 'artifacts': no such file: 'build\/app\.wasm'/);
    expect(action.gh.checkRuns.map((c) => [c.status, c.conclusion])).toEqual([['completed', 'failure']]);
    expect(action.gh.checkRuns[0]!.output.title).toMatch(/artifacts/);
  });

  it('post-from-report fails clearly on a file that is not a report', async () => {
    const file = path.join(action.harness.scratch, 'not-a-report.json');
    await writeFile(file, '{"hello": "world"}');
    const r = await runAction({
      inputs: { mode: 'post-from-report', report: file },
      eventName: 'workflow_run',
      event: workflowRunEvent(action.gh.api, { repository: action.gh.fullName, headSha: HEAD }),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::not a wasm-p2-check report/);
    expect(action.gh.comments).toEqual([]);
    expect(action.gh.checkRuns).toEqual([]);
  });

  it('post-from-report never takes the PR number from the saved report: no PR has the triggering commit, no comment', async () => {
    const dir = path.join(action.harness.scratch, 'forged');
    await mkdir(dir, { recursive: true });
    const ci = await runAction({
      inputs: { artifacts: 'build/*.wasm', mode: 'report-only', report: path.join(dir, 'report.json') },
      artifacts: [PASSING],
    });
    expect(ci.code).toBe(0);
    const metaFile = path.join(dir, 'report.meta.json');
    const meta = JSON.parse(await readFile(metaFile, 'utf8')) as Record<string, unknown>;
    await writeFile(metaFile, JSON.stringify({ ...meta, headSha: '9'.repeat(40) }));
    const post = await runAction({
      inputs: { mode: 'post-from-report', report: path.join(dir, 'report.json'), comment: 'always' },
      eventName: 'workflow_run',
      event: workflowRunEvent(action.gh.api, { repository: action.gh.fullName, headSha: '9'.repeat(40), headRepo: 'contributor/wasm-app' }),
    });
    expect(post.code, post.stdout).toBe(0);
    expect(post.stdout).toMatch(/No open pull request has head 9{40} \(the commit the triggering run was for\): no comment/);
    expect(action.gh.comments).toEqual([]);
  });
});

describe('runtime: auto (the default) and a wasmtime that cannot be had, offline', () => {
  // No network: the release mirror is a 127.0.0.1 port nobody listens on, PATH has no wasmtime, the tool cache is empty.
  let offline: Record<string, string>;
  let refused: string;
  beforeAll(async () => {
    const { createServer } = await import('node:net');
    const s = createServer();
    await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
    refused = `http://127.0.0.1:${(s.address() as { port: number }).port}/download`;
    await new Promise<void>((ok) => s.close(() => ok()));
    const toolCache = path.join(action.harness.scratch, 'offline-tool-cache');
    await mkdir(toolCache, { recursive: true });
    offline = { PATH: path.join(action.harness.scratch, 'no-bin'), RUNNER_TOOL_CACHE: toolCache };
  });

  it('the default runtime falls back to the embedded runtime, with a warning in the summary, the comment and the report', async () => {
    const r = await runAction({
      inputs: { artifacts: 'build/*.wasm', runtime: '', comment: 'always', 'wasmtime-download-url': refused },
      artifacts: [PASSING],
      env: offline,
    });
    expect(r.code, r.stdout).toBe(0);
    const report = parseReport(await readFile(r.outputs['report-json']!, 'utf8'));
    expect(report.runtime).toMatchObject({ requested: 'auto', p2: { name: 'preview2-shim' } });
    expect(report.results[0]!.verdict).toBe('PASS');
    expect(report.warnings?.map((w) => w.code)).toEqual(['runtime-fallback']);
    expect(report.warnings![0]!.message).toMatch(/wasmtime could not be had \(.*ECONNREFUSED.*\): both runs used the embedded runtime/);
    expect(r.summary).toMatch(/Warning:.*wasmtime could not be had/);
    expect(action.gh.commentsOn(PR)[0]?.body).toMatch(/Warning:.*wasmtime could not be had/);
  });

  it('an explicit `runtime: wasmtime` that cannot be had fails the step naming the input, and still writes the summary and report-json', async () => {
    const r = await runAction({
      inputs: { artifacts: 'build/*.wasm', runtime: 'wasmtime', 'wasmtime-download-url': refused },
      artifacts: [PASSING],
      env: offline,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::Input 'runtime': wasmtime cannot be had: downloading wasmtime-v[\d.]+-.* failed: ECONNREFUSED/);
    expect(r.summary).toMatch(/The check could not run:.*`runtime`/);
    const report = parseReport(await readFile(r.outputs['report-json']!, 'utf8'));
    expect(report.configurationError).toMatchObject({ option: 'runtime' });
    expect(report.results).toEqual([]);
    expect(r.outputs.result).toBe('fail');
    expect(action.gh.checkRuns.at(-1)).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });
});
