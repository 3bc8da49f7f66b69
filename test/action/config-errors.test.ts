/**
 * No lost verdict on a configuration error: a bad input is a usage error before any artifact runs, and in every mode
 * the job summary and the outputs (`result: fail`, `error`) still say which input was wrong. In the modes that make a
 * check run, the check run is still completed (failed, under its usual name) so a required check does not wait forever.
 */
import { describe, expect, it } from 'vitest';
import { issuesEvent, workflowRunEvent } from '../github/events.js';
import { useActionHarness, HEAD } from './harness.js';

const action = useActionHarness();

/**
 * The step failed naming the input, nothing ran, and the summary and outputs say why. Posted: nothing, or (`checkRun`)
 * only that check run, completed as failed and naming the input.
 */
function expectUsageError(r: Awaited<ReturnType<typeof action.run>>, input: string, checkRun?: string): void {
  expect(r.code, r.stdout).toBe(1);
  expect(r.stdout).toContain(`::error::Input '${input}' has an invalid value`);
  expect(r.summary).toContain('## wasm-p2-check: configuration error');
  expect(r.summary).toContain(`input \`${input}\` cannot be used as given`);
  expect(r.summary).toContain(checkRun ? `the check run '${checkRun}' was completed as failed` : 'Nothing was checked or posted');
  expect(r.summary).toContain(`Input '${input}' has an invalid value`);
  expect(r.outputs.result).toBe('fail');
  expect(r.outputs.error).toMatch(new RegExp(`^Input '${input}' has an invalid value`));
  // Before anything ran: no progress lines from check(), no API request.
  expect(r.stdout).not.toContain('::group::wasm-p2-check');
  expect(action.gh.violations).toEqual([]);
  if (checkRun === undefined) {
    expect(action.gh.requests).toEqual([]);
    return;
  }
  expect(action.gh.requests.map((q) => `${q.operationId} ${q.status}`)).toEqual(['checks/create 201']);
  const [run] = action.gh.checkRuns;
  expect(run).toMatchObject({ name: checkRun, headSha: HEAD, status: 'completed', conclusion: 'failure' });
  expect(run!.detailsUrl).toContain('/actions/runs/4242');
  expect(run!.output.title).toBe(`Configuration error: input '${input}'`);
  expect(run!.output.summary).toContain(`Input '${input}' has an invalid value`);
}

describe('a bad input in each mode: usage error, job summary and outputs name it', () => {
  it('check', async () => {
    const r = await action.run({ inputs: { artifacts: 'build/*.wasm', 'fail-on': 'sometimes' }, artifacts: ['wat-hello.wasm'] });
    expectUsageError(r, 'fail-on', 'wasm-p2-check');
    expect(r.summary).toContain("'sometimes'");
  });

  it('report-only', async () => {
    const r = await action.run({
      inputs: { artifacts: 'build/*.wasm', mode: 'report-only', timeout: 'soon' },
      artifacts: ['wat-hello.wasm'],
    });
    expectUsageError(r, 'timeout');
  });

  it('post-from-report (no report named)', async () => {
    const r = await action.run({
      inputs: { mode: 'post-from-report' },
      eventName: 'workflow_run',
      event: workflowRunEvent(action.gh.api, { repository: action.gh.fullName, headSha: HEAD }),
    });
    expectUsageError(r, 'report', 'wasm-p2-check');
    expect(r.summary).toContain('mode post-from-report needs the path of a saved JSON report');
  });

  it('merge (no reports named)', async () => {
    const r = await action.run({ inputs: { mode: 'merge' } });
    expectUsageError(r, 'reports', 'wasm-p2-check');
  });

  it('explain (a bad on-unknown, then no token)', async () => {
    const event = issuesEvent(action.gh.api, { repository: action.gh.fullName, action: 'opened', number: 7, body: 'x' });
    const bad = await action.run({ inputs: { mode: 'explain', 'on-unknown': 'shout' }, eventName: 'issues', event });
    expectUsageError(bad, 'on-unknown');
    const tokenless = await action.run({ inputs: { mode: 'explain', 'github-token': '' }, eventName: 'issues', event });
    expectUsageError(tokenless, 'github-token');
    expect(tokenless.summary).toContain("mode 'explain' needs a token with issues: write");
  });

  it('an invalid mode: nothing is known about the mode, the summary still says what was wrong', async () => {
    const r = await action.run({ inputs: { mode: 'check-everything', artifacts: 'build/*.wasm' } });
    expectUsageError(r, 'mode');
  });

  it('report-only: no check run is made, so none is completed', async () => {
    const r = await action.run({
      inputs: { artifacts: 'build/*.wasm', mode: 'report-only', 'fail-on': 'sometimes' },
      artifacts: ['wat-hello.wasm'],
    });
    expectUsageError(r, 'fail-on');
  });

  it('an invalid `env` line is named without repeating its value (it may be a secret)', async () => {
    const r = await action.run({
      inputs: { artifacts: 'build/*.wasm', env: 'not a key=hunter2-secret' },
      artifacts: ['wat-hello.wasm'],
    });
    expectUsageError(r, 'env', 'wasm-p2-check');
    expect(`${r.stdout}\n${r.summary}\n${JSON.stringify(r.outputs)}\n${JSON.stringify(action.gh.checkRuns)}`).not.toContain('hunter2');
  });
});

describe('the check run of a required check is completed on a configuration error', () => {
  it('under the name a successful run of the job would use (matrix-aware)', async () => {
    const matrix = JSON.stringify({ go: '1.24', os: 'linux' });
    const r = await action.run({
      inputs: { artifacts: 'build/*.wasm', 'check-name': 'wasm', matrix, timeout: 'soon' },
      artifacts: ['wat-hello.wasm'],
    });
    expectUsageError(r, 'timeout', 'wasm (go: 1.24, os: linux)');
    // The same name as a run that checks something.
    const good = await action.run({ inputs: { artifacts: 'build/*.wasm', 'check-name': 'wasm', matrix }, artifacts: ['wat-hello.wasm'] });
    expect(good.code, good.stdout).toBe(0);
    expect(action.gh.checkRuns.map((c) => `${c.name}: ${c.conclusion}`)).toEqual([
      'wasm (go: 1.24, os: linux): failure',
      'wasm (go: 1.24, os: linux): success',
    ]);
  });

  it('not with check-run: false, nor when an input the check run needs is the bad one', async () => {
    const off = await action.run({
      inputs: { artifacts: 'build/*.wasm', 'check-run': 'false', 'fail-on': 'sometimes' },
      artifacts: ['wat-hello.wasm'],
    });
    expectUsageError(off, 'fail-on');
    const badMatrix = await action.run({ inputs: { artifacts: 'build/*.wasm', matrix: '[1]' }, artifacts: ['wat-hello.wasm'] });
    expectUsageError(badMatrix, 'matrix');
  });

  it('a read-only token (a fork): the refusal is a warning, the step still fails naming the input', async () => {
    const r = await action.run({
      inputs: { artifacts: 'build/*.wasm', 'github-token': 'ghs_read', 'fail-on': 'sometimes' },
      artifacts: ['wat-hello.wasm'],
    });
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/::warning::Could not publish the check run \(.*403/);
    expect(r.stdout).toContain("::error::Input 'fail-on' has an invalid value");
    expect(r.outputs.error).toMatch(/^Input 'fail-on'/);
    expect(r.summary).toContain('Nothing was checked or posted');
    expect(action.gh.checkRuns).toEqual([]);
  });
});
