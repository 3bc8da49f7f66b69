/**
 * No lost verdict on a configuration error: a bad input is a usage error before any artifact runs or anything is
 * posted, and in every mode the job summary and the outputs (`result: fail`, `error`) still say which input was wrong.
 */
import { describe, expect, it } from 'vitest';
import { issuesEvent, workflowRunEvent } from '../github/events.js';
import { useActionHarness, HEAD } from './harness.js';

const action = useActionHarness();

/** The step failed naming the input, nothing ran or was posted, and the summary and outputs say why. */
function expectUsageError(r: Awaited<ReturnType<typeof action.run>>, input: string): void {
  expect(r.code, r.stdout).toBe(1);
  expect(r.stdout).toContain(`::error::Input '${input}' has an invalid value`);
  expect(r.summary).toContain('## wasm-p2-check: configuration error');
  expect(r.summary).toContain(`input \`${input}\` cannot be used as given`);
  expect(r.summary).toContain(`Input '${input}' has an invalid value`);
  expect(r.outputs.result).toBe('fail');
  expect(r.outputs.error).toMatch(new RegExp(`^Input '${input}' has an invalid value`));
  // Before anything ran: no progress lines from check(), no API request.
  expect(r.stdout).not.toContain('::group::wasm-p2-check');
  expect(action.gh.requests).toEqual([]);
}

describe('a bad input in each mode: usage error, job summary and outputs name it', () => {
  it('check', async () => {
    const r = await action.run({ inputs: { artifacts: 'build/*.wasm', 'fail-on': 'sometimes' }, artifacts: ['wat-hello.wasm'] });
    expectUsageError(r, 'fail-on');
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
    expectUsageError(r, 'report');
    expect(r.summary).toContain('mode post-from-report needs the path of a saved JSON report');
  });

  it('merge (no reports named)', async () => {
    const r = await action.run({ inputs: { mode: 'merge' } });
    expectUsageError(r, 'reports');
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

  it('an invalid `env` line is named without repeating its value (it may be a secret)', async () => {
    const r = await action.run({
      inputs: { artifacts: 'build/*.wasm', env: 'not a key=hunter2-secret' },
      artifacts: ['wat-hello.wasm'],
    });
    expectUsageError(r, 'env');
    expect(`${r.stdout}\n${r.summary}\n${JSON.stringify(r.outputs)}`).not.toContain('hunter2');
  });
});
