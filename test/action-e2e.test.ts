/**
 * The Action end to end, as the runner runs it: a child `node index.js` from this test run's bundle (test/build-once.ts),
 * inputs as `INPUT_*` variables, a real-shaped event payload in GITHUB_EVENT_PATH, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, and GITHUB_API_URL pointing at the emulator, which validates every request and
 * response against GitHub's OpenAPI description. Runtime `embedded` (no wasmtime download here).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commentMarker } from '../src/github/sticky-comment.js';
import { parseReport } from '../src/report/json.js';
import { ActionHarness, HEAD, PR, startEmulator, stopEmulator, type RunOptions } from './action/harness.js';
import { builtAction } from './build-once.js';
import type { GitHubEmulator } from './github/emulator.js';
import { issueCommentEvent, issuesEvent, pullRequestEvent, workflowRunEvent } from './github/events.js';

const root = path.resolve(import.meta.dirname, '..');
const PASSING = 'wat-hello.wasm';
const REGRESSING = 'go124-hello.wasm';
const RUN_TIMEOUT_MS = 120_000;

let gh: GitHubEmulator;
const harness = new ActionHarness();

beforeAll(() => harness.setUp());

afterAll(() => harness.tearDown());

beforeEach(async () => {
  gh = await startEmulator();
});

afterEach(() => stopEmulator(gh));

interface RunResult {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
  runnerTemp: string;
}

/** Runs the bundled action like the runner: a fresh process, state only in files and the emulator. */
async function runAction(o: RunOptions): Promise<RunResult> {
  const { env: runnerEnv, dir, workspace, runnerTemp } = await harness.prepare(gh, o);
  const outputFile = path.join(dir, 'github_output');
  const summaryFile = path.join(dir, 'step_summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    NO_PROXY: '127.0.0.1,localhost',
    ...runnerEnv,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
  };
  // The runner's mapping: upper case, spaces to underscores, dashes kept (`fail-on` → `INPUT_FAIL-ON`).
  const inputs = { runtime: 'embedded', 'github-token': 'ghs_write', timeout: '60', ...o.inputs };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;

  const child = spawn(process.execPath, [builtAction], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
  return {
    code,
    stdout,
    outputs: parseOutputs(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    workspace,
    runnerTemp,
  };
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<DELIM\nvalue\nDELIM`. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

describe('the Action end to end (the bundled index.js in a child process; the rest runs in process: test/action/)', () => {
  it('regression then fix: exit codes, GITHUB_OUTPUT, the step summary, one sticky comment, check runs on the PR head', async () => {
    const first = await runAction({ inputs: { artifacts: 'build/*.wasm' }, artifacts: [REGRESSING] });
    expect(first.code, first.stdout).toBe(1);
    expect(first.stdout).toMatch(/::error::1 artifact\(s\) break when converted to P2 components/);
    expect(first.outputs).toMatchObject({ result: 'regression', regressions: '1', failures: '1' });
    expect(first.summary).toContain('REGRESSION');
    const report = parseReport(await readFile(first.outputs['report-json']!, 'utf8'));
    expect(report.results[0]!.verdict).toBe('REGRESSION');
    // The check run carries the short form and links the job summary, rather than repeating it in full.
    const checkSummary = gh.checkRuns[0]!.output.summary!;
    expect(checkSummary).toMatch(/is in \[the job summary\]\(https:\/\/[^)]+\/actions\/runs\/\d+\)/);
    expect(checkSummary).toContain('**Fix:** ');
    expect(checkSummary).not.toContain('<summary>Why');
    expect(first.summary).toContain('<summary>Why');
    expect(checkSummary.length).toBeLessThan(first.summary.length / 2);

    const second = await runAction({ inputs: { artifacts: 'build/*.wasm' }, artifacts: [PASSING] });
    expect(second.code, second.stdout).toBe(0);
    expect(second.outputs).toMatchObject({ result: 'pass', regressions: '0', failures: '0' });

    const comments = gh.commentsOn(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(commentMarker('CI/wasm'))).toBe(true);
    expect(comments[0]!.body).toContain('**Fixed** as of 0123456');
    expect(gh.checkRuns.map((r) => [r.headSha, r.status, r.conclusion])).toEqual([
      [HEAD, 'completed', 'failure'],
      [HEAD, 'completed', 'success'],
    ]);
  });

  it('two stages for forks: report-only posts nothing and fails on the verdict; post-from-report publishes it', async () => {
    const event = pullRequestEvent(gh.api, { repository: gh.fullName, number: PR, headSha: HEAD, headRepo: 'contributor/wasm-app' });
    const ci = await runAction({
      inputs: { artifacts: 'build/*.wasm', mode: 'report-only', report: 'wasm-p2-check/report.json', 'github-token': 'ghs_read' },
      artifacts: [REGRESSING],
      event,
    });
    expect(ci.code, ci.stdout).toBe(1);
    expect(gh.requests).toEqual([]);
    const reportFile = path.join(ci.workspace, 'wasm-p2-check', 'report.json');
    expect(existsSync(reportFile)).toBe(true);
    const post = await runAction({
      inputs: { mode: 'post-from-report', report: reportFile },
      eventName: 'workflow_run',
      event: workflowRunEvent(gh.api, { repository: gh.fullName, headSha: HEAD, headRepo: 'contributor/wasm-app', conclusion: 'failure' }),
      env: { GITHUB_WORKFLOW: 'wasm-p2-check report', GITHUB_JOB: 'post', GITHUB_SHA: 'e'.repeat(40), GITHUB_RUN_ID: '4343' },
    });
    expect(post.code, post.stdout).toBe(0);
    expect(post.outputs).toMatchObject({ result: 'regression', regressions: '1' });
    expect(gh.commentsOn(PR)).toHaveLength(1);
    expect(gh.checkRuns.map((r) => [r.headSha, r.conclusion])).toEqual([[HEAD, 'failure']]);
  });
});

describe('bot mode (mode: explain) end to end', () => {
  const ISSUE = 77;
  const trap = () => readFile(path.join(root, 'test', 'fixtures', 'transcripts', 'wasmtime33-go-default-adapter.txt'), 'utf8');
  const debugTrap = () => readFile(path.join(root, 'test', 'fixtures', 'transcripts', 'wasmtime33-go-debug-adapter.txt'), 'utf8');
  const report = (log: string) => `Go 1.24 wasip1 binary, converted with wasm-tools:\n\n\`\`\`\n${log.trimEnd()}\n\`\`\`\n`;

  it('answers a pasted Go 1.24 trap once, labels the issue, updates the same reply after an edit, ignores bots', async () => {
    gh.addIssue({ number: ISSUE });
    const inputs = { mode: 'explain', labels: 'true', 'on-unknown': 'silent' };
    const opened = await runAction({
      inputs,
      eventName: 'issues',
      event: issuesEvent(gh.api, { repository: gh.fullName, action: 'opened', number: ISSUE, body: report(await trap()) }),
    });
    expect(opened.code, opened.stdout).toBe(0);
    expect(opened.outputs.result).toBe('created');
    expect(gh.commentsOn(ISSUE)).toHaveLength(1);
    expect(gh.commentsOn(ISSUE)[0]!.body).toContain('`go-heap-clobbers-adapter-state`');
    expect(gh.labelsOn(ISSUE)).toEqual(['wasm:go-heap-clobbers-adapter-state']);
    // Nothing was run: no check run, no job summary, no report.
    expect(gh.checkRuns).toEqual([]);
    expect(opened.summary).toBe('');

    const edited = await runAction({
      inputs,
      eventName: 'issues',
      event: issuesEvent(gh.api, {
        repository: gh.fullName,
        action: 'edited',
        number: ISSUE,
        body: report(await debugTrap()),
        previousBody: report(await trap()),
      }),
    });
    expect(edited.code, edited.stdout).toBe(0);
    expect(edited.outputs.result).toBe('updated');
    expect(gh.commentsOn(ISSUE)).toHaveLength(1);
    expect(gh.commentsOn(ISSUE)[0]!.body).toContain('debug-adapter-instrumentation');

    const before = gh.requests.length;
    const byBot = await runAction({
      inputs,
      eventName: 'issue_comment',
      event: issueCommentEvent(gh.api, {
        repository: gh.fullName,
        action: 'created',
        issueNumber: ISSUE,
        commentId: 5,
        body: report(await trap()),
        author: { login: 'github-actions[bot]', type: 'Bot' },
      }),
    });
    expect(byBot.code).toBe(0);
    expect(byBot.stdout).toContain('No reply: the comment is written by a bot (github-actions[bot])');
    // Only the GET /user probe of who the token is.
    expect(gh.requests.slice(before).map((r) => r.operationId)).toEqual(['users/get-authenticated']);
  });

  it('runs the command on a pull request comment, and is silent on an unrelated issue', async () => {
    gh.addIssue({ number: ISSUE });
    const cmd = await runAction({
      inputs: { mode: 'explain' },
      eventName: 'issue_comment',
      event: issueCommentEvent(gh.api, {
        repository: gh.fullName,
        action: 'created',
        issueNumber: PR,
        isPullRequest: true,
        commentId: 9,
        body: `/wasm-p2-check explain\n${report(await trap())}`,
      }),
    });
    expect(cmd.code, cmd.stdout).toBe(0);
    expect(gh.commentsOn(PR)).toHaveLength(1);
    expect(gh.commentsOn(PR)[0]!.body).toContain('go-heap-clobbers-adapter-state');
    const quiet = await runAction({
      inputs: { mode: 'explain' },
      eventName: 'issues',
      event: issuesEvent(gh.api, { repository: gh.fullName, action: 'opened', number: ISSUE, body: 'Please add a logo to the README.' }),
    });
    expect(quiet.code, quiet.stdout).toBe(0);
    expect(quiet.outputs.result).toBe('silent');
    expect(gh.commentsOn(ISSUE)).toEqual([]);
  });
});
