/**
 * src/github/ against the emulator, in process: the real Octokit (retry + throttling plugins) talking HTTP to a
 * server that validates every request and response against GitHub's OpenAPI description.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANNOTATIONS_PER_REQUEST, finishCheckRun, type CheckRunAnnotation } from '../../src/github/check-run.js';
import { createOctokit, isPermissionDenied, type Octokit } from '../../src/github/client.js';
import { pullRequestsForCommit } from '../../src/github/context.js';
import { commentMarker, publishReportComment, type ReportCommentRequest } from '../../src/github/sticky-comment.js';
import { goRegression, makeReport, passResult } from '../report-factory.js';
import { GitHubEmulator, secondaryRateLimit } from './emulator.js';

const SHA = '1234567890abcdef1234567890abcdef12345678';
let gh: GitHubEmulator;
let octokit: Octokit;
const logs: string[] = [];

beforeEach(async () => {
  gh = await new GitHubEmulator().start();
  gh.addToken('ghs_write');
  gh.addToken('ghs_read', { canWrite: false });
  gh.addPullRequest({ number: 7, headSha: SHA });
  logs.length = 0;
  octokit = createOctokit('ghs_write', { baseUrl: gh.url, log: (m) => logs.push(m), waitUnitMs: 5 });
});

afterEach(async () => {
  await gh.stop();
  // Whatever a test did, the emulator itself must never have answered off-spec, and the code under test must
  // never have sent an invalid request.
  expect(gh.violations).toEqual([]);
});

function comment(over: Partial<ReportCommentRequest> & { failing?: boolean } = {}): ReportCommentRequest {
  const { failing = true, ...rest } = over;
  return {
    owner: gh.owner,
    repo: gh.repo,
    issueNumber: 7,
    key: 'CI/check',
    mode: 'on-failure',
    report: makeReport([failing ? goRegression() : passResult()]),
    render: () => '## wasm-p2-check: 1 regression',
    sha: SHA,
    ...rest,
  };
}
const publishStickyComment = publishReportComment;

describe('sticky comment', () => {
  it('creates once, then updates in place, then turns into "fixed"', async () => {
    expect(await publishStickyComment(octokit, comment())).toMatchObject({ action: 'created' });
    expect(await publishStickyComment(octokit, comment({ render: () => '## still failing' }))).toMatchObject({ action: 'updated' });
    expect(await publishStickyComment(octokit, comment({ failing: false, render: () => '## all pass' }))).toMatchObject({
      action: 'updated',
    });
    const [only, ...others] = gh.commentsOn(7);
    expect(others).toEqual([]);
    expect(only!.body).toContain(commentMarker('CI/check'));
    expect(only!.body).toContain('**Fixed** as of 1234567');
    expect(only!.body).toContain('## all pass');
    expect(gh.rejected).toEqual([]);
  });

  it('on-failure creates nothing for a passing run; update-only never creates; always does', async () => {
    expect(await publishStickyComment(octokit, comment({ failing: false }))).toMatchObject({ action: 'skipped' });
    expect(await publishStickyComment(octokit, comment({ mode: 'update-only' }))).toMatchObject({ action: 'skipped' });
    expect(gh.commentsOn(7)).toEqual([]);
    expect(await publishStickyComment(octokit, comment({ mode: 'always', failing: false }))).toMatchObject({ action: 'created' });
    expect(gh.commentsOn(7)[0]!.body.split('\n')[1]).toMatch(/^<!-- wasm-p2-check-meta state=passing digest=[0-9a-f]{16} -->$/);
    expect(await publishStickyComment(octokit, comment({ mode: 'update-only' }))).toMatchObject({ action: 'updated' });
    expect(gh.commentsOn(7)[0]!.body.split('\n')[1]).toMatch(/state=failing/);
    expect(gh.commentsOn(7)).toHaveLength(1);
  });

  it('finds its comment behind more than a page of others, and ignores other keys and other authors', async () => {
    for (let i = 0; i < 130; i++) gh.seedComment(7, `chatter ${i}`);
    gh.seedComment(7, `${commentMarker('CI/check')} quoted by a human`, { login: 'octocat', type: 'User' });
    await publishStickyComment(octokit, comment({ key: 'CI/other' }));
    // Author unknown (an installation token cannot ask): the human's quote of the marker is not ours.
    const mine = await publishStickyComment(octokit, comment());
    expect(mine).toMatchObject({ action: 'created' });
    expect(gh.comments.find((c) => c.user.login === 'octocat' && c.body.includes('quoted'))!.body).toBe(
      `${commentMarker('CI/check')} quoted by a human`,
    );
    expect(await publishStickyComment(octokit, comment({ author: 'github-actions[bot]' }))).toMatchObject({ action: 'unchanged' });
    expect(await publishStickyComment(octokit, comment({ author: 'github-actions[bot]', render: () => 'v2' }))).toMatchObject({
      action: 'updated',
    });
    const ours = gh.commentsOn(7).filter((c) => c.user.login === 'github-actions[bot]');
    expect(ours.map((c) => c.body.split('\n')[0])).toEqual([commentMarker('CI/other'), commentMarker('CI/check')]);
    // Pages of 100, following the Link header.
    expect(gh.requests.filter((r) => r.operationId === 'issues/list-comments').some((r) => r.path.includes('page=2'))).toBe(true);
  });

  it('recognises the marker only at the start of its own comment: never inside text, never from someone else', async () => {
    // A bot comment of ours for another job whose guest output quotes this key's marker further down.
    gh.seedComment(7, `${commentMarker('CI/other')}\n\n\`\`\`\n${commentMarker('CI/check')}\n\`\`\``, {
      login: 'github-actions[bot]',
      id: 41898282,
      type: 'Bot',
    });
    // A person whose comment starts with the marker, when we know who we are.
    gh.seedComment(7, `${commentMarker('CI/check')}\nplease overwrite me`, { login: 'octocat', type: 'User' });
    expect(await publishStickyComment(octokit, comment({ author: 'github-actions[bot]' }))).toMatchObject({ action: 'created' });
    expect(gh.commentsOn(7).map((c) => c.body.includes('please overwrite me') || c.body.startsWith(commentMarker('CI/other')))).toEqual([
      true,
      true,
      false,
    ]);
    expect(gh.requests.filter((r) => r.operationId === 'issues/update-comment' || r.operationId === 'issues/delete-comment')).toEqual([]);
  });

  it('on-change rewrites only when the verdicts or causes changed; an identical body is never rewritten', async () => {
    await publishStickyComment(octokit, comment({ mode: 'on-change' }));
    expect(
      await publishStickyComment(octokit, comment({ mode: 'on-change', render: () => '## same verdicts, other words' })),
    ).toMatchObject({ action: 'unchanged' });
    expect(await publishStickyComment(octokit, comment({ mode: 'on-failure' }))).toMatchObject({
      action: 'unchanged',
      reason: 'nothing changed',
    });
    expect(await publishStickyComment(octokit, comment({ mode: 'on-change', failing: false }))).toMatchObject({ action: 'updated' });
    expect(gh.requests.filter((r) => r.operationId === 'issues/update-comment')).toHaveLength(1);
  });

  it('keeps a huge report under 65,536 characters with a pointer to the job summary', async () => {
    const huge = `\`\`\`\n${'x'.repeat(200_000)}\n\`\`\``;
    await publishStickyComment(octokit, comment({ render: () => huge, detailsUrl: 'https://github.com/o/r/actions/runs/1' }));
    const body = gh.commentsOn(7)[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain('[the job summary](https://github.com/o/r/actions/runs/1)');
    expect(
      body
        .trimEnd()
        .split('\n')
        .filter((l) => l.startsWith('```')).length % 2,
    ).toBe(0);
  });

  it("a fork's read-only token gets GitHub's 403, recognised as a permission problem", async () => {
    const ro = createOctokit('ghs_read', { baseUrl: gh.url, log: () => {}, waitUnitMs: 5 });
    const err = await publishStickyComment(ro, comment()).catch((e: unknown) => e);
    expect(isPermissionDenied(err)).toBe(true);
    expect((err as Error).message).toContain('Resource not accessible by integration');
    expect(gh.commentsOn(7)).toEqual([]);
  });
});

describe('check run', () => {
  const ref = () => ({ owner: gh.owner, repo: gh.repo, name: 'wasm-p2-check', headSha: SHA });
  const annotations = (n: number): CheckRunAnnotation[] =>
    Array.from({ length: n }, (_, i) => ({
      path: `build/m${i}.wasm`,
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure' as const,
      message: `m${i} regressed`,
    }));

  it('is created completed (after the check ran), 120 annotations in batches of 50', async () => {
    await finishCheckRun(octokit, ref(), undefined, {
      conclusion: 'failure',
      title: '1 of 1 artifact breaks',
      summary: '## report',
      annotations: annotations(120),
    });
    const run = gh.checkRuns[0]!;
    expect(gh.checkRuns).toHaveLength(1);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', name: 'wasm-p2-check', headSha: SHA });
    expect(run.output.annotations).toHaveLength(120);
    expect(run.history.map((h) => ((h.output as { annotations?: unknown[] } | undefined)?.annotations ?? []).length)).toEqual([50, 50, 20]);
    expect(
      Math.max(...run.history.map((h) => ((h.output as { annotations?: unknown[] } | undefined)?.annotations ?? []).length)),
    ).toBeLessThanOrEqual(ANNOTATIONS_PER_REQUEST);
  });

  it('creates a completed run directly when there is no handle (post-from-report)', async () => {
    await finishCheckRun(octokit, ref(), undefined, { conclusion: 'success', title: 'ok', summary: 'x'.repeat(70_000), annotations: [] });
    expect(gh.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(gh.checkRuns[0]!.output.summary!.length).toBeLessThanOrEqual(65_535);
  });
});

describe('client resilience', () => {
  it('retries a 500 and succeeds', async () => {
    gh.inject({ operation: 'issues/create-comment', times: 1, status: 500 });
    expect(await publishStickyComment(octokit, comment())).toMatchObject({ action: 'created' });
    const posts = gh.requests.filter((r) => r.operationId === 'issues/create-comment');
    expect(posts.map((r) => r.status)).toEqual([500, 201]);
    expect(gh.commentsOn(7)).toHaveLength(1);
  });

  it('waits out a secondary rate limit (retry-after) and retries', async () => {
    gh.inject(secondaryRateLimit('issues/list-comments'));
    await publishStickyComment(octokit, comment());
    const lists = gh.requests.filter((r) => r.operationId === 'issues/list-comments');
    expect(lists.map((r) => r.status)).toEqual([403, 200]);
    expect(logs.join('\n')).toMatch(/secondary rate limit.*retrying after 1s/);
  });

  it('the emulator refuses invalid requests like GitHub: 422 for a bad body, 404 for unknown routes', async () => {
    // Deliberately invalid: no head_sha.
    const bad = await octokit
      .request('POST /repos/{owner}/{repo}/check-runs', { owner: gh.owner, repo: gh.repo, name: 'x' } as never)
      .catch((e: { status: number }) => e);
    expect((bad as { status: number }).status).toBe(422);
    const unknown = await octokit
      .request('GET /repos/{owner}/{repo}/no-such-thing', { owner: gh.owner, repo: gh.repo })
      .catch((e: { status: number }) => e);
    expect((unknown as { status: number }).status).toBe(404);
    const notCompleted = await octokit.rest.checks
      .create({ owner: gh.owner, repo: gh.repo, name: 'x', head_sha: SHA, status: 'completed' })
      .catch((e: { status: number }) => e);
    expect((notCompleted as { status: number }).status).toBe(422);
    expect(gh.rejected.map((r) => r.status)).toEqual([422, 404]);
  });

  it('the emulator validates query parameters, and its own responses (an off-spec answer is recorded)', async () => {
    const badQuery = await octokit
      .request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: gh.owner,
        repo: gh.repo,
        issue_number: 7,
        page: 'two',
      } as never)
      .catch((e: { status: number }) => e);
    expect((badQuery as { status: number }).status).toBe(422);
    expect(gh.rejected.map((r) => r.rejected)).toEqual([expect.stringContaining('"field":"page"')]);
    gh.requests.length = 0; // forget the deliberate rejection (afterEach checks there are none)

    gh.inject({ operation: 'issues/create-comment', times: 1, status: 201, body: { id: 'not-a-number' } });
    await octokit.rest.issues.createComment({ owner: gh.owner, repo: gh.repo, issue_number: 7, body: 'x' });
    expect(gh.violations).toEqual([expect.stringMatching(/^issues\/create-comment 201 response: .*\/id must be integer/)]);
    gh.violations.length = 0;
  });

  it('finds the open pull requests whose head is a commit', async () => {
    const target = { owner: gh.owner, repo: gh.repo, headSha: SHA, isFork: true };
    expect(await pullRequestsForCommit(octokit, target)).toEqual([7]);
    expect(await pullRequestsForCommit(octokit, { ...target, headSha: 'f'.repeat(40) })).toEqual([]);
  });

  it('works under a GitHub Enterprise Server prefix (/api/v3)', async () => {
    const ghes = await new GitHubEmulator({ prefix: '/api/v3' }).start();
    try {
      ghes.addToken('t');
      ghes.addPullRequest({ number: 1, headSha: SHA });
      const client = createOctokit('t', { baseUrl: ghes.url, log: () => {}, waitUnitMs: 5 });
      await publishStickyComment(client, { ...comment(), owner: ghes.owner, repo: ghes.repo, issueNumber: 1 });
      expect(ghes.commentsOn(1)).toHaveLength(1);
      // hide-old minimizes through GITHUB_GRAPHQL_URL (/api/graphql beside /api/v3).
      const hidden = await publishStickyComment(client, {
        ...comment({ failing: false }),
        owner: ghes.owner,
        repo: ghes.repo,
        issueNumber: 1,
        hideOld: true,
        graphqlUrl: ghes.graphqlUrl,
      });
      expect(hidden).toMatchObject({ action: 'created', minimized: 1 });
      expect(ghes.commentsOn(1).map((c) => c.minimizedAs)).toEqual(['OUTDATED', undefined]);
      expect(ghes.requests.filter((r) => r.operationId === 'graphql').map((r) => r.path)).toEqual(['/api/graphql', '/api/graphql']);
      expect(ghes.rejected).toEqual([]);
      expect(ghes.violations).toEqual([]);
    } finally {
      await ghes.stop();
    }
  });
});
