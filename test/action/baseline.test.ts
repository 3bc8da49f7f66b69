/**
 * `baseline: auto` end to end: run() in process (test/action/harness.ts) with real checks (embedded runtime), the real
 * `@actions/cache` talking to the cache-service stand-in (test/github/cache-service.ts: same protocol, same scoping
 * rule), and the GitHub emulator. A repository whose `main` already has a broken artifact: the push to `main` saves
 * its report; a pull request that breaks nothing new gets a green check, one that breaks another artifact a red one.
 */
import * as actionsCache from '@actions/cache';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselinePrefix } from '../../src/action/baseline.js';
import { deriveCommentKey } from '../../src/github/sticky-comment.js';
import { parseReport, renderJson } from '../../src/report/json.js';
import { CacheServiceStandIn, scopesFor, type CacheScope } from '../github/cache-service.js';
import { pullRequestEvent, pushEvent, workflowRunEvent } from '../github/events.js';
import { HEAD, PR, root, useActionHarness, type RunOptions } from './harness.js';

const action = useActionHarness();
const service = new CacheServiceStandIn();
const MAIN_SHA = '1111111111111111111111111111111111111111';
const KEY_PREFIX = baselinePrefix(deriveCommentKey('CI', 'wasm'));
const VARS = ['ACTIONS_CACHE_SERVICE_V2', 'ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_CACHE_URL', 'RUNNER_TEMP'];
const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));

beforeAll(() => service.start());
afterAll(async () => {
  for (const v of VARS)
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  await service.stop();
});

/** A workspace whose build/ holds `app.wasm` (Go 1.24: breaks as a component) and `tool.wasm`. */
async function workspace(name: string, tool: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = path.join(action.harness.scratch, name);
  await mkdir(path.join(dir, 'build'), { recursive: true });
  await copyFile(path.join(root, 'test/fixtures/go124-hello.wasm'), path.join(dir, 'build/app.wasm'));
  await copyFile(path.join(root, 'test/fixtures', tool), path.join(dir, 'build/tool.wasm'));
  for (const [f, text] of Object.entries(extra)) await writeFile(path.join(dir, f), text);
  return dir;
}

/** One job on a runner whose token grants `scopes`; RUNNER_TEMP is the same path in every job, as on hosted runners. */
async function job(scopes: CacheScope[], o: RunOptions) {
  const temp = path.join(action.harness.scratch, 'runner-temp');
  await mkdir(temp, { recursive: true });
  Object.assign(process.env, service.runnerEnv(scopes), { RUNNER_TEMP: temp });
  delete process.env.ACTIONS_CACHE_URL;
  return action.run({ ...o, env: { RUNNER_TEMP: temp, ...o.env } });
}

const pushToMain = async (ws: string, inputs: Record<string, string>, env: Record<string, string> = {}) =>
  job(scopesFor({ push: 'main' }), {
    inputs,
    workspace: ws,
    eventName: 'push',
    event: pushEvent(action.gh.api, { repository: action.gh.fullName, sha: MAIN_SHA }),
    env: { GITHUB_SHA: MAIN_SHA, GITHUB_REF: 'refs/heads/main', ...env },
  });
const pullRequest = async (ws: string, inputs: Record<string, string>, env: Record<string, string> = {}) =>
  job(scopesFor({ pull: PR, base: 'main' }), { inputs, workspace: ws, env });

/** The comment's first visible line (after the hidden marker and state). */
const headingOf = (body: string) => body.split('\n').find((l) => l.startsWith('## ')) ?? '';

const INPUTS = { artifacts: 'build/*.wasm', 'fail-on': 'new', comment: 'always' };

describe('baseline: auto, against the cache-service stand-in', () => {
  it('an already-broken main: green on an unrelated pull request, red on one that breaks another artifact', async () => {
    // 1. The push to main: nothing to compare with yet (gated like regression, and it says so); the report is kept.
    const main = await pushToMain(await workspace('main', 'c-hello.wasm'), INPUTS);
    expect(main.code, main.stdout).toBe(1);
    expect(main.outputs).toMatchObject({ 'new-failures': '', baseline: '' });
    expect(main.stdout).toContain('fail-on new: no baseline to compare with');
    expect(main.stdout).toContain(`Baseline: saved for main at 1111111 (${KEY_PREFIX}${MAIN_SHA})`);
    expect(service.visible('refs/heads/main', KEY_PREFIX).map((e) => e.key)).toEqual([`${KEY_PREFIX}${MAIN_SHA}`]);

    // 2. A pull request that only edits the README: the same failure as on main, a green check.
    const unrelated = await pullRequest(await workspace('docs-pr', 'c-hello.wasm', { 'README.md': 'typo fixed\n' }), INPUTS);
    expect(unrelated.code, unrelated.stdout).toBe(0);
    expect(unrelated.outputs).toMatchObject({ 'new-failures': '0', baseline: MAIN_SHA, result: 'regression' });
    expect(unrelated.stdout).toMatch(/Baseline: main at 1111111 \(\d+ (second|minute)s? older\), cache wasm-p2-check-baseline-/);
    const green = action.gh.checkRuns.at(-1)!;
    expect([green.headSha, green.conclusion, green.output.title]).toEqual([
      HEAD,
      'success',
      '0 new failures · 0 fixed · 1 still failing on main',
    ]);
    let body = action.gh.commentsOn(PR).at(-1)!.body;
    expect(headingOf(body)).toMatch(
      /^## ☑️ wasm-p2-check: 0 new failures · 0 fixed · 1 still failing on main · `0123456` · \[run\]\(https:\/\/github\.com\/.*\/actions\/runs\/4242\) · \[job summary\]/,
    );
    expect(body).toContain('<details><summary>Still failing on main (1): not caused by this change</summary>');
    const report = parseReport(await readFile(unrelated.outputs['report-json']!, 'utf8'));
    expect(report.baseline).toMatchObject({ ref: 'main', commit: MAIN_SHA, source: `cache ${KEY_PREFIX}${MAIN_SHA}` });
    expect(report.results.map((r) => [r.artifact.path, r.change?.class])).toEqual([
      ['build/app.wasm', 'still-failing'],
      ['build/tool.wasm', 'passing'],
    ]);
    // A pull request reads main's baseline and never keeps one of its own.
    expect(service.entries.filter((e) => e.key.startsWith(KEY_PREFIX)).map((e) => e.scope)).toEqual(['refs/heads/main']);

    // 3. A pull request that breaks tool.wasm too: red, the new failure first.
    const breaking = await pullRequest(await workspace('breaking-pr', 'go124-hello.wasm'), INPUTS);
    expect(breaking.code, breaking.stdout).toBe(1);
    expect(breaking.outputs['new-failures']).toBe('1');
    expect(breaking.stdout).toMatch(/1 artifact\(s\) newly break against main \(fail-on: new\): build\/tool\.wasm REGRESSION/);
    const red = action.gh.checkRuns.at(-1)!;
    expect([red.conclusion, red.output.title]).toEqual(['failure', '1 new failure · 0 fixed · 1 still failing on main']);
    body = action.gh.commentsOn(PR).at(-1)!.body;
    expect(headingOf(body)).toMatch(/^## ❌ wasm-p2-check: 1 new failure · 0 fixed · 1 still failing on main · `0123456`/);
    expect(body.indexOf('**New failures** (1)')).toBeLessThan(body.indexOf('Still failing on main (1)'));
    expect(body).toMatch(/\*\*New failures\*\* \(1\)[\s\S]*tool\.wasm/);
  }, 180_000);

  it('no baseline saved yet: one line says so, and the run is gated as without one', async () => {
    const pr = await pullRequest(await workspace('first-pr', 'c-hello.wasm'), { ...INPUTS, matrix: '{"os":"never-saved"}' });
    expect(pr.code).toBe(1);
    expect(pr.stdout).toMatch(/No baseline from main \(no report was saved there yet for this workflow, job and matrix entry/);
    expect(pr.stdout).toContain('fail-on new: no baseline to compare with');
    expect(action.gh.checkRuns.at(-1)!.output.title).toBe('1 of 2 artifacts breaks as a P2 component');
  }, 120_000);

  it('a forged or schema-invalid baseline in the cache is refused with the reason, and gating falls back', async () => {
    // Something with write access to main's cache scope stored, under this job's baseline key, a report that says the
    // broken artifact passes (and a summary that agrees). It is refused: the verdict is not one the schema knows.
    const matrix = { case: 'forged' };
    const prefix = baselinePrefix(deriveCommentKey('CI', 'wasm', matrix));
    const temp = path.join(action.harness.scratch, 'runner-temp');
    const dir = path.join(temp, 'wasm-p2-check-baseline');
    const main = await pushToMain(await workspace('forged-main', 'c-hello.wasm'), {
      ...INPUTS,
      matrix: JSON.stringify(matrix),
      baseline: 'none',
    });
    const real = parseReport(await readFile(main.outputs['report-json']!, 'utf8'));
    const forged = JSON.parse(renderJson(real)) as { results: { verdict: string }[] };
    forged.results[0]!.verdict = 'PASS, honestly';
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'report.json'), JSON.stringify(forged));
    Object.assign(process.env, service.runnerEnv(scopesFor({ push: 'main' })));
    expect(await actionsCache.saveCache([dir], `${prefix}${'2'.repeat(40)}`)).toBeGreaterThan(0);

    const pr = await pullRequest(await workspace('forged-pr', 'c-hello.wasm'), { ...INPUTS, matrix: JSON.stringify(matrix) });
    expect(pr.stdout).toMatch(
      /::warning::The baseline restored from the cache \(wasm-p2-check-baseline-\w+-2{40}\) cannot be used: .*\/results\/0\/verdict: must be one of/,
    );
    expect(pr.stdout).toContain('fail-on new: no baseline to compare with');
    expect(pr.code).toBe(1); // app.wasm breaks, and nothing shows that main is broken too
    expect(parseReport(await readFile(pr.outputs['report-json']!, 'utf8')).baseline).toBeUndefined();
  }, 120_000);

  it('a forged baseline’s diagnosis is derived again: the comment quotes its words as the saved report’s, no live link', async () => {
    // A baseline file that says app.wasm failed differently (PRE-EXISTING) for a "harmless" reason, with a link.
    const main = await pushToMain(await workspace('forged-words-main', 'c-hello.wasm'), {
      ...INPUTS,
      matrix: '{"case":"forged-words"}',
      baseline: 'none',
    });
    const forged = parseReport(await readFile(main.outputs['report-json']!, 'utf8'));
    const app = forged.results.find((r) => r.artifact.path === 'build/app.wasm')!;
    app.verdict = 'PRE-EXISTING';
    app.diagnoses = [{ ...app.diagnoses[0]!, signatureId: 'harmless', title: 'Harmless, ignore it: see https://evil.example/fix' }];
    const ws = await workspace('forged-words-pr', 'c-hello.wasm', { 'forged.json': renderJson(forged) });
    const pr = await pullRequest(ws, { ...INPUTS, matrix: '{"case":"forged-words"}', baseline: 'forged.json' });
    expect(pr.stdout).toMatch(/Baseline: .*forged\.json/);
    const body = action.gh.commentsOn(PR).at(-1)!.body;
    expect(body).toMatch(/_Was on the baseline: PRE-EXISTING: /);
    expect(body).not.toMatch(/(?<!The saved report says: “)Harmless, ignore it|https:\/\/evil/);
  }, 120_000);

  it('a merged run: each matrix entry compares with its own baseline; a merged baseline, once kept, is used instead', async () => {
    const shardJobs = async (ws: string, run: typeof pushToMain) => {
      for (const i of [1, 2]) {
        const r = await run(ws, {
          ...INPUTS,
          mode: 'report-only',
          shard: `${i}/2`,
          matrix: JSON.stringify({ shard: i }),
          report: `reports/shard-${i}/report.json`,
        });
        expect(r.stdout).toContain('Report written to');
      }
    };
    const MERGE_JOB = { GITHUB_JOB: 'merge' };
    const MERGE_INPUTS = { ...INPUTS, mode: 'merge', reports: 'reports/*/report.json' };
    const mainWs = await workspace('merged-main', 'c-hello.wasm');
    await shardJobs(mainWs, pushToMain);
    for (const i of [1, 2]) {
      const prefix = baselinePrefix(deriveCommentKey('CI', 'wasm', { shard: i }));
      expect(
        service.visible('refs/heads/main', prefix).map((e) => e.key),
        `shard ${i}`,
      ).toEqual([`${prefix}${MAIN_SHA}`]);
    }

    // The pull request's shard jobs compare with their own baselines; the merge job has none of its own yet.
    const prWs = await workspace('merged-pr', 'go124-hello.wasm');
    await shardJobs(prWs, pullRequest);
    const merged = await pullRequest(prWs, MERGE_INPUTS, MERGE_JOB);
    expect(merged.code, merged.stdout).toBe(1);
    expect(merged.stdout).toMatch(/No baseline from main \(no report was saved there yet/);
    const report = parseReport(await readFile(merged.outputs['report-json']!, 'utf8'));
    expect(report.baseline?.counts).toMatchObject({ 'new-failure': 1, 'still-failing': 1 });
    expect(report.results.map((r) => [r.artifact.path, r.change?.class]).sort()).toEqual([
      ['build/app.wasm', 'still-failing'],
      ['build/tool.wasm', 'new-failure'],
    ]);
    expect(action.gh.checkRuns.at(-1)!.output.title).toBe('1 new failure · 0 fixed · 1 still failing on main');
    expect(action.gh.checkRuns.at(-1)!.conclusion).toBe('failure');

    // Once the merge job on main keeps the merged report, the pull request's merge job compares with it.
    const kept = await pushToMain(mainWs, MERGE_INPUTS, MERGE_JOB);
    expect(kept.stdout).toContain('Baseline: saved for main at 1111111');
    const again = await pullRequest(prWs, MERGE_INPUTS, MERGE_JOB);
    expect(again.stdout).toMatch(/Baseline: main at 1111111 .*cache wasm-p2-check-baseline-/);
    const re = parseReport(await readFile(again.outputs['report-json']!, 'utf8'));
    expect(re.baseline?.source).toBe(`cache ${baselinePrefix(deriveCommentKey('CI', 'merge'))}${MAIN_SHA}`);
    expect(re.results.map((r) => [r.artifact.path, r.change?.class]).sort()).toEqual([
      ['build/app.wasm', 'still-failing'],
      ['build/tool.wasm', 'new-failure'],
    ]);
  }, 240_000);

  it('the fork flow: stage 2 compares with a baseline it restores itself, never with the classes stage 1 wrote', async () => {
    await pushToMain(await workspace('fork-main', 'c-hello.wasm'), INPUTS);
    const event = pullRequestEvent(action.gh.api, {
      repository: action.gh.fullName,
      number: PR,
      headSha: HEAD,
      headRepo: 'contributor/app',
    });
    const stage1 = await job(scopesFor({ pull: PR, base: 'main' }), {
      inputs: { ...INPUTS, mode: 'report-only', report: 'out/report.json', 'github-token': 'ghs_read' },
      workspace: await workspace('fork-pr', 'go124-hello.wasm'),
      event,
    });
    const file = stage1.outputs['report-json']!;
    const saved = parseReport(await readFile(file, 'utf8'));
    expect(saved.results.find((r) => r.artifact.path === 'build/tool.wasm')?.change?.class).toBe('new-failure');
    // The fork's code wrote this file: it claims nothing is new.
    const forged = { ...saved, results: saved.results.map((r) => ({ ...r, change: { class: 'still-failing' as const } })) };
    await writeFile(file, renderJson(forged));

    // Stage 2 runs on the default branch (workflow_run): it reads main's entries.
    const postReport = (inputs: Record<string, string>, runId: string) =>
      job(scopesFor({ push: 'main' }), {
        inputs: { ...INPUTS, mode: 'post-from-report', report: file, ...inputs },
        eventName: 'workflow_run',
        event: workflowRunEvent(action.gh.api, {
          repository: action.gh.fullName,
          headSha: HEAD,
          headRepo: 'contributor/app',
          conclusion: 'failure',
        }),
        env: { GITHUB_WORKFLOW: 'wasm-p2-check report', GITHUB_JOB: 'post', GITHUB_SHA: 'e'.repeat(40), GITHUB_RUN_ID: runId },
      });
    const stage2 = await postReport({}, '4343');
    expect(stage2.stdout).toMatch(/Baseline: main at 1111111 .*cache wasm-p2-check-baseline-/);
    const check = action.gh.checkRuns.at(-1)!;
    expect([check.headSha, check.conclusion, check.output.title]).toEqual([
      HEAD,
      'failure',
      '1 new failure · 0 fixed · 1 still failing on main',
    ]);
    expect(headingOf(action.gh.commentsOn(PR).at(-1)!.body)).toMatch(/^## ❌ wasm-p2-check \(CI \/ wasm\): 1 new failure/);

    // Without a baseline, the forged classes are not believed either: gated like regression.
    const blind = await postReport({ baseline: 'none' }, '4344');
    expect(blind.stdout).toContain('fail-on new: no baseline to compare with');
    expect(action.gh.checkRuns.at(-1)!.conclusion).toBe('failure');
  }, 180_000);
});
