/**
 * The Action end to end, as the runner runs it: a child `node index.js` from a fresh bundle (scripts/build.mjs),
 * inputs as `INPUT_*` variables, a real-shaped event payload in GITHUB_EVENT_PATH, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, and GITHUB_API_URL pointing at the emulator, which validates every request and
 * response against GitHub's OpenAPI description. Runtime `embedded` (no wasmtime download here).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commentMarker } from '../src/github/sticky-comment.js';
import { parseReport } from '../src/report/json.js';
import { GitHubEmulator, secondaryRateLimit } from './github/emulator.js';
import { pullRequestEvent, workflowRunEvent } from './github/events.js';

const root = path.resolve(import.meta.dirname, '..');
const PASSING = 'c-hello.wasm';
const REGRESSING = 'go124-hello.wasm';
const HEAD = '0123456789abcdef0123456789abcdef01234567';
const MERGE = 'fedcba9876543210fedcba9876543210fedcba98';
const PR = 42;
const RUN_TIMEOUT_MS = 120_000;

let bundle: string;
let scratch: string;
let gh: GitHubEmulator;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'wasm-p2-check-action-e2e-'));
  bundle = path.join(scratch, 'dist');
  await promisify(execFile)(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--outdir', bundle], { cwd: root, timeout: 300_000 });
}, 300_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
  gh = await new GitHubEmulator().start();
  gh.addToken('ghs_write');
  gh.addToken('ghs_read', { canWrite: false });
  gh.addPullRequest({ number: PR, headSha: HEAD });
});

afterEach(async () => {
  await gh.stop();
  // The action sent nothing GitHub would refuse, and the emulator answered only as GitHub documents.
  expect(gh.rejected).toEqual([]);
  expect(gh.violations).toEqual([]);
});

interface RunResult {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
  runnerTemp: string;
}

interface RunOptions {
  inputs: Record<string, string>;
  /** Fixture files copied into the workspace's build/ folder. */
  artifacts?: string[];
  eventName?: string;
  event?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Reuse a workspace (the two-stage tests hand files from one run to the next). */
  workspace?: string;
}

let runCount = 0;

/** Runs the bundled action like the runner: a fresh process, state only in files and the emulator. */
async function runAction(o: RunOptions): Promise<RunResult> {
  const dir = path.join(scratch, `run-${++runCount}`);
  const workspace = o.workspace ?? path.join(dir, 'workspace');
  const runnerTemp = path.join(dir, 'temp');
  await mkdir(path.join(workspace, 'build'), { recursive: true });
  await mkdir(runnerTemp, { recursive: true });
  for (const f of o.artifacts ?? []) await copyFile(path.join(root, 'test', 'fixtures', f), path.join(workspace, 'build', f));
  const eventPath = path.join(dir, 'event.json');
  await writeFile(eventPath, JSON.stringify(o.event ?? pullRequestEvent(gh.api, { repository: gh.fullName, number: PR, headSha: HEAD })));
  const outputFile = path.join(dir, 'github_output');
  const summaryFile = path.join(dir, 'step_summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: o.eventName ?? 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: gh.fullName,
    GITHUB_REPOSITORY_OWNER: gh.owner,
    GITHUB_SHA: MERGE,
    GITHUB_REF: `refs/pull/${PR}/merge`,
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'wasm',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: gh.url,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    NO_PROXY: '127.0.0.1,localhost',
    ...o.env,
  };
  // The runner's mapping: upper case, spaces to underscores, dashes kept (`fail-on` → `INPUT_FAIL-ON`).
  const inputs = { runtime: 'embedded', 'github-token': 'ghs_write', timeout: '60', ...o.inputs };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;

  const child = spawn(process.execPath, [path.join(bundle, 'index.js')], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, stdout, outputs: parseOutputs(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8'), workspace, runnerTemp };
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<DELIM\nvalue\nDELIM`. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

const commentOps = () => gh.requests.filter((r) => r.operationId?.startsWith('issues/'));

describe('the Action end to end', () => {
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

    const comments = gh.commentsOn(PR);
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
    expect(gh.checkRuns.map((r) => [r.name, r.headSha, r.status, r.conclusion])).toEqual([
      ['wasm-p2-check', HEAD, 'completed', 'failure'],
      ['wasm-p2-check', HEAD, 'completed', 'failure'],
      ['wasm-p2-check', HEAD, 'completed', 'success'],
    ]);
    const run1 = gh.checkRuns[0]!;
    expect(run1.history[0]).toMatchObject({ status: 'in_progress' });
    expect(run1.output.title).toBe('1 of 1 artifact breaks as a P2 component');
    expect(run1.output.annotations).toMatchObject([{ path: `build/${REGRESSING}`, annotation_level: 'failure' }]);
    expect(run1.output.summary!.length).toBeLessThanOrEqual(65_535);
    expect(run1.detailsUrl).toBe(`https://github.com/${gh.fullName}/actions/runs/4242`);
  });

  it('keeps separate comments for two matrix jobs', async () => {
    const go = await runAction({ inputs: { artifacts: 'build/*.wasm', matrix: '{"toolchain":"go-1.24"}' }, artifacts: [REGRESSING] });
    const c = await runAction({ inputs: { artifacts: 'build/*.wasm', matrix: '{"toolchain":"c"}', comment: 'always' }, artifacts: [PASSING] });
    expect([go.code, c.code]).toEqual([1, 0]);
    const again = await runAction({ inputs: { artifacts: 'build/*.wasm', matrix: '{"toolchain":"go-1.24"}' }, artifacts: [REGRESSING] });
    expect(again.code).toBe(1);
    const comments = gh.commentsOn(PR);
    expect(comments).toHaveLength(2);
    const markers = comments.map((x) => x.body.split('\n')[0]);
    expect(new Set(markers).size).toBe(2);
    expect(markers.every((m) => /^<!-- wasm-p2-check:CI\/wasm\/[0-9a-f]{12} -->$/.test(m!))).toBe(true);
    expect(comments[0]!.body).toContain('wasm-p2-check (toolchain: go-1.24)');
    expect(comments[1]!.body).toContain('wasm-p2-check (toolchain: c)');
  });

  it('on a fork PR with a read-only token: 403s are logged, the step passes, summary and report are written', async () => {
    const event = pullRequestEvent(gh.api, { repository: gh.fullName, number: PR, headSha: HEAD, headRepo: 'contributor/wasm-app' });
    const r = await runAction({
      inputs: { artifacts: 'build/*.wasm', 'github-token': 'ghs_read', comment: 'always' },
      artifacts: [PASSING],
      event,
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('Resource not accessible by integration');
    expect(r.stdout).toMatch(/::warning::Could not create the check run .*fork/);
    expect(r.stdout).not.toContain('::error');
    expect(r.summary).toContain('wasm-p2-check');
    expect(r.outputs).toMatchObject({ result: 'pass', failures: '0' });
    expect(existsSync(r.outputs['report-json']!)).toBe(true);
    expect(r.outputs['report-json']!.startsWith(r.runnerTemp)).toBe(true);
    expect(gh.comments).toEqual([]);
    expect(gh.checkRuns).toEqual([]);
    expect(gh.requests.filter((x) => x.status === 403).map((x) => x.operationId)).toEqual(
      expect.arrayContaining(['checks/create', 'issues/create-comment']),
    );
  });

  it('retries a 500 and waits out a secondary rate limit', async () => {
    gh.inject({ operation: 'issues/create-comment', times: 1, status: 500 });
    gh.inject(secondaryRateLimit('issues/list-comments'));
    const r = await runAction({ inputs: { artifacts: 'build/*.wasm' }, artifacts: [REGRESSING] });
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/secondary rate limit .*retrying after 1s/);
    const lists = gh.requests.filter((x) => x.operationId === 'issues/list-comments');
    expect(lists.map((x) => x.status)).toEqual([403, 200]);
    expect(lists[1]!.at - lists[0]!.at).toBeGreaterThanOrEqual(900);
    expect(gh.requests.filter((x) => x.operationId === 'issues/create-comment').map((x) => x.status)).toEqual([500, 201]);
    expect(gh.commentsOn(PR)).toHaveLength(1);
  });

  it('check-run conclusion and exit code follow fail-on; update-only creates nothing', async () => {
    const never = await runAction({ inputs: { artifacts: 'build/*.wasm', 'fail-on': 'never', comment: 'update-only' }, artifacts: [REGRESSING] });
    expect(never.code, never.stdout).toBe(0);
    expect(never.outputs.result).toBe('regression');
    expect(gh.checkRuns.map((r) => r.conclusion)).toEqual(['neutral']);
    expect(gh.comments).toEqual([]);
    expect(never.stdout).toContain("No comment: no earlier comment and comment is 'update-only'");
  });

  it('fails on a bad input, naming it, before touching GitHub', async () => {
    const r = await runAction({ inputs: { artifacts: 'build/*.wasm', 'fail-on': 'sometimes' }, artifacts: [PASSING] });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error::Input 'fail-on' has an invalid value 'sometimes': expected one of regression, any, never");
    expect(gh.requests).toEqual([]);
  });

  it('two stages for forks: report-only posts nothing; post-from-report posts on the verified PR', async () => {
    const event = pullRequestEvent(gh.api, { repository: gh.fullName, number: PR, headSha: HEAD, headRepo: 'contributor/wasm-app' });
    const ci = await runAction({
      inputs: { artifacts: 'build/*.wasm', mode: 'report-only', report: 'wasm-p2-check/report.json', 'github-token': 'ghs_read' },
      artifacts: [REGRESSING],
      event,
    });
    expect(ci.code, ci.stdout).toBe(1);
    expect(gh.requests).toEqual([]);
    const reportFile = path.join(ci.workspace, 'wasm-p2-check', 'report.json');
    expect(ci.outputs['report-json']).toBe(reportFile);
    const meta = JSON.parse(await readFile(path.join(ci.workspace, 'wasm-p2-check', 'report.meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ headSha: HEAD, pullNumber: PR, commentKey: 'CI/wasm' });

    // The artifact, downloaded into the trusted workflow's workspace.
    const post = await runAction({
      inputs: { mode: 'post-from-report', report: reportFile },
      eventName: 'workflow_run',
      event: workflowRunEvent(gh.api, { repository: gh.fullName, headSha: HEAD, headRepo: 'contributor/wasm-app', conclusion: 'failure' }),
      env: { GITHUB_WORKFLOW: 'wasm-p2-check report', GITHUB_JOB: 'post', GITHUB_SHA: 'e'.repeat(40), GITHUB_RUN_ID: '4343' },
    });
    expect(post.code, post.stdout).toBe(0);
    expect(post.outputs).toMatchObject({ result: 'regression', regressions: '1', 'report-json': reportFile });
    expect(gh.requests.map((r) => r.operationId)).toContain('pulls/get');
    const comments = gh.commentsOn(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(commentMarker('CI/wasm'))).toBe(true);
    expect(gh.checkRuns.map((r) => [r.headSha, r.conclusion])).toEqual([[HEAD, 'failure']]);
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
      expect(gh.requests).toEqual([]);
    } finally {
      await ghes.stop();
    }
  });

  it('when the check itself cannot run, the step fails and the check run does not stay in progress', async () => {
    const r = await runAction({ inputs: { artifacts: 'build/nothing-here-*.wasm' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::no artifacts matched 'build\/nothing-here-\*\.wasm'/);
    expect(gh.checkRuns.map((c) => [c.status, c.conclusion, c.output.title])).toEqual([['completed', 'failure', 'wasm-p2-check could not finish']]);
    expect(gh.checkRuns[0]!.output.summary).toContain('no artifacts matched');
    expect(gh.comments).toEqual([]);
  });

  it('post-from-report fails clearly on a file that is not a report', async () => {
    const file = path.join(scratch, 'not-a-report.json');
    await writeFile(file, '{"hello": "world"}');
    const r = await runAction({
      inputs: { mode: 'post-from-report', report: file },
      eventName: 'workflow_run',
      event: workflowRunEvent(gh.api, { repository: gh.fullName, headSha: HEAD }),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::not a wasm-p2-check report/);
    expect(gh.comments).toEqual([]);
    expect(gh.checkRuns).toEqual([]);
  });

  it('post-from-report refuses a PR number whose head is not the triggering commit', async () => {
    const dir = path.join(scratch, 'forged');
    await mkdir(dir, { recursive: true });
    const ci = await runAction({ inputs: { artifacts: 'build/*.wasm', mode: 'report-only', report: path.join(dir, 'report.json') }, artifacts: [PASSING] });
    expect(ci.code).toBe(0);
    const metaFile = path.join(dir, 'report.meta.json');
    const meta = JSON.parse(await readFile(metaFile, 'utf8')) as Record<string, unknown>;
    await writeFile(metaFile, JSON.stringify({ ...meta, headSha: '9'.repeat(40) }));
    const post = await runAction({
      inputs: { mode: 'post-from-report', report: path.join(dir, 'report.json'), comment: 'always' },
      eventName: 'workflow_run',
      event: workflowRunEvent(gh.api, { repository: gh.fullName, headSha: '9'.repeat(40), headRepo: 'contributor/wasm-app' }),
    });
    expect(post.code, post.stdout).toBe(0);
    expect(post.stdout).toMatch(/Pull request #42 named in the saved report does not have head 9{40}: no comment/);
    expect(gh.comments).toEqual([]);
  });
});
