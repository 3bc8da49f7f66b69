/**
 * Through the Action's run() in process against the GitHub emulator: the outputs that name what was published
 * (comment-id/url, check-run-id/url), the `comment-title` input, and the fault messages — the `GET /user` probe tried
 * once (not retried like a server error), publishing failures listed in the job summary, and a malformed GraphQL
 * answer reported as an unexpected answer. (A refused connection, named as such: test/action/faults.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { commentMarker } from '../../src/github/sticky-comment.js';
import { PR, useActionHarness } from './harness.js';

const PASSING = 'wat-hello.wasm';
const REGRESSING = 'go124-hello.wasm';
const action = useActionHarness();
const runAction = action.run;
const ours = () => action.gh.commentsOn(PR).filter((c) => c.body.startsWith(commentMarker('CI/wasm')));

describe('outputs and the comment title', () => {
  it('comment-id, comment-url, check-run-id and check-run-url name what this run published; comment-title heads it', async () => {
    const r = await runAction({
      inputs: { artifacts: 'build/*.wasm', 'comment-title': 'Wasm P2 check', matrix: '{"go":"1.24"}' },
      artifacts: [REGRESSING],
    });
    expect(r.code).toBe(1);
    const [comment] = action.gh.commentsOn(PR);
    const [run] = action.gh.checkRuns;
    expect(r.outputs['comment-id']).toBe(String(comment!.id));
    expect(r.outputs['comment-url']).toMatch(new RegExp(`^https://github\\.com/[^/]+/[^/]+/pull/${PR}#issuecomment-${comment!.id}$`));
    expect(r.outputs['check-run-id']).toBe(String(run!.id));
    expect(r.outputs['check-run-url']).toMatch(new RegExp(`^https://github\\.com/[^/]+/[^/]+/runs/${run!.id}$`));
    // The title with the matrix entry: in the comment, the job summary and the check run's summary.
    const heading = '## ❌ Wasm P2 check (go: 1.24): 1 of 1 artifact breaks as a WASI P2 component';
    expect(comment!.body).toContain(heading);
    expect(r.summary).toContain(heading);
    expect(run!.output.summary).toContain(heading);

    // A run that changes nothing leaves the comment as it is and still names it.
    const again = await runAction({
      inputs: { artifacts: 'build/*.wasm', 'comment-title': 'Wasm P2 check', matrix: '{"go":"1.24"}' },
      artifacts: [REGRESSING],
    });
    expect(again.outputs['comment-id']).toBe(String(comment!.id));
    expect(again.outputs['check-run-id']).toBe(String(action.gh.checkRuns[1]!.id));
  });

  it('no comment, no check run: the outputs are not set', async () => {
    const r = await runAction({ inputs: { artifacts: 'build/*.wasm', 'check-run': 'false' }, artifacts: [PASSING] });
    expect(r.outputs['comment-id']).toBeUndefined();
    expect(r.outputs['check-run-id']).toBeUndefined();
  });

  it('comment-title is one line', async () => {
    const r = await runAction({ inputs: { artifacts: 'build/*.wasm', 'comment-title': 'a'.repeat(101) }, artifacts: [PASSING] });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Input 'comment-title' has an invalid value/);
  });
});

describe('fault messages', () => {
  it('the GET /user probe is tried once, not retried like a server error', async () => {
    action.gh.inject({ operation: 'users/get-authenticated', times: 100, status: 500 });
    const started = Date.now();
    const r = await runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always', 'publish-errors': 'fail' }, artifacts: [PASSING] });
    expect(action.gh.requests.filter((q) => q.operationId === 'users/get-authenticated')).toHaveLength(1);
    // Without its answer the comment is still found and written (by marker and bot authorship), and nothing fails.
    expect(r.code, r.stdout).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('a publishing failure is listed in the job summary under the verdict', async () => {
    action.gh.inject({ operation: 'checks/create', times: 100, status: 502, body: { message: 'Bad Gateway' } });
    const r = await runAction({ inputs: { artifacts: 'build/*.wasm' }, artifacts: [PASSING] });
    expect(r.code).toBe(0);
    const verdict = r.summary.indexOf('## ✅');
    const problems = r.summary.indexOf('**Publishing problems**');
    expect(verdict).toBeGreaterThanOrEqual(0);
    expect(problems).toBeGreaterThan(verdict);
    expect(r.summary).toContain('- could not publish the check run: 502 Bad Gateway');
  });

  it('a malformed GraphQL answer is reported as an unexpected answer, not a TypeError', async () => {
    await runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always', 'hide-old': 'true' }, artifacts: [PASSING] });
    action.gh.inject({ operation: 'graphql', times: 1, status: 200, body: { data: { nodes: null } } });
    const r = await runAction({ inputs: { artifacts: 'build/*.wasm', comment: 'always', 'hide-old': 'true' }, artifacts: [REGRESSING] });
    expect(r.stdout).toMatch(/unexpected answer from the GitHub GraphQL API: no `nodes` list/);
    expect(r.stdout).not.toMatch(/Cannot read properties/);
    expect(r.summary).toMatch(/- could not comment on the pull request: unexpected answer from the GitHub GraphQL API/);
  });
});
