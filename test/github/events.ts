/**
 * Event payloads as the runner writes them to GITHUB_EVENT_PATH, built from GitHub's webhook schemas
 * (`webhook-pull-request-synchronize`, `webhook-workflow-run-completed`) and validated against them, so the
 * action is tested on the real shape rather than a hand-picked subset.
 */
import { formatErrors, type GitHubOpenApi } from './openapi.js';

type Json = Record<string, unknown>;

/** Follows `properties` (and `$ref`s, first `allOf`/`anyOf` branch that has it) down a path of property names. */
function subSchema(api: GitHubOpenApi, schema: Json, path: string[]): Json {
  let cur = schema;
  for (const name of path) {
    cur = deref(api, cur);
    const candidates = [cur, ...(((cur.allOf ?? cur.anyOf ?? cur.oneOf) as Json[] | undefined) ?? []).map((s) => deref(api, s))];
    const found = candidates.map((c) => (c.properties as Json | undefined)?.[name]).find((x) => x !== undefined);
    if (!found) throw new Error(`no property ${name} on the way to ${path.join('.')}`);
    cur = found as Json;
  }
  return deref(api, cur);
}

function deref(api: GitHubOpenApi, s: Json): Json {
  const r = s.$ref;
  return typeof r === 'string' ? api.componentSchema(r.replace('#/components/schemas/', '')) : s;
}

function repoObject(api: GitHubOpenApi, schema: Json, full: string, id: number): Json {
  const [owner, name] = full.split('/') as [string, string];
  return api.sample(schema, {
    id,
    name,
    full_name: full,
    private: false,
    owner: api.sample(subSchema(api, schema, ['owner']), { login: owner, id: id + 1, type: 'User' }),
    html_url: `https://github.com/${full}`,
    url: `https://api.github.com/repos/${full}`,
    default_branch: 'main',
  }) as Json;
}

export interface PullRequestEventOptions {
  repository: string;
  number: number;
  headSha: string;
  headRef?: string;
  /** `owner/name` of the head branch's repository: the fork for a fork PR. */
  headRepo?: string;
  baseSha?: string;
}

/** A `pull_request` (action `synchronize`) payload. */
export function pullRequestEvent(api: GitHubOpenApi, o: PullRequestEventOptions): Json {
  const schema = api.componentSchema('webhook-pull-request-synchronize');
  const headRepo = o.headRepo ?? o.repository;
  const prSchema = subSchema(api, schema, ['pull_request']);
  const headSchema = subSchema(api, prSchema, ['head']);
  const baseSchema = subSchema(api, prSchema, ['base']);
  const side = (s: Json, ref: string, sha: string, full: string, id: number) =>
    api.sample(s, {
      label: `${full.split('/')[0]}:${ref}`,
      ref,
      sha,
      user: api.sample(subSchema(api, s, ['user']), { login: full.split('/')[0], id: id + 1, type: 'User' }),
      repo: repoObject(api, subSchema(api, s, ['repo']), full, id),
    });
  const payload = api.sample(schema, {
    action: 'synchronize',
    number: o.number,
    before: 'c'.repeat(40),
    after: o.headSha,
    pull_request: {
      number: o.number,
      state: 'open',
      title: `Pull request ${o.number}`,
      html_url: `https://github.com/${o.repository}/pull/${o.number}`,
      head: side(headSchema, o.headRef ?? `feature-${o.number}`, o.headSha, headRepo, 5000),
      base: side(baseSchema, 'main', o.baseSha ?? 'b'.repeat(40), o.repository, 6000),
    },
    repository: repoObject(api, subSchema(api, schema, ['repository']), o.repository, 1296269),
    sender: api.sample(subSchema(api, schema, ['sender']), { login: 'contributor', id: 4242, type: 'User' }),
  }) as Json;
  const errors = api.validateComponent('webhook-pull-request-synchronize', payload);
  if (errors.length) throw new Error(`pull_request payload does not match the webhook schema: ${formatErrors(errors)}`);
  return payload;
}

export interface WorkflowRunEventOptions {
  repository: string;
  headSha: string;
  /** `owner/name` the triggering run's code came from. */
  headRepo?: string;
  /** What GitHub lists in `workflow_run.pull_requests`: nothing for a fork. */
  pullRequests?: { number: number; headSha: string }[];
  conclusion?: 'success' | 'failure';
}

/** A `workflow_run` (action `completed`) payload for a `pull_request` CI run. */
export function workflowRunEvent(api: GitHubOpenApi, o: WorkflowRunEventOptions): Json {
  const schema = api.componentSchema('webhook-workflow-run-completed');
  const runSchema = subSchema(api, schema, ['workflow_run']);
  const prItem = deref(api, subSchema(api, runSchema, ['pull_requests']).items as Json);
  const headRepo = o.headRepo ?? o.repository;
  const payload = api.sample(schema, {
    action: 'completed',
    workflow_run: {
      id: 30433642,
      name: 'CI',
      event: 'pull_request',
      status: 'completed',
      conclusion: o.conclusion ?? 'success',
      head_sha: o.headSha,
      head_branch: 'feature',
      path: '.github/workflows/ci.yml',
      run_number: 7,
      run_attempt: 1,
      html_url: `https://github.com/${o.repository}/actions/runs/30433642`,
      pull_requests: (o.pullRequests ?? []).map((p) =>
        api.sample(prItem, {
          number: p.number,
          id: 100000 + p.number,
          url: `https://api.github.com/repos/${o.repository}/pulls/${p.number}`,
          head: {
            ref: 'feature',
            sha: p.headSha,
            repo: { id: 1296269, name: o.repository.split('/')[1], url: `https://api.github.com/repos/${o.repository}` },
          },
          base: {
            ref: 'main',
            sha: 'b'.repeat(40),
            repo: { id: 1296269, name: o.repository.split('/')[1], url: `https://api.github.com/repos/${o.repository}` },
          },
        }),
      ),
      head_repository: repoObject(api, subSchema(api, runSchema, ['head_repository']), headRepo, 7000),
      repository: repoObject(api, subSchema(api, runSchema, ['repository']), o.repository, 1296269),
    },
    repository: repoObject(api, subSchema(api, schema, ['repository']), o.repository, 1296269),
    sender: api.sample(subSchema(api, schema, ['sender']), { login: 'contributor', id: 4242, type: 'User' }),
  }) as Json;
  const errors = api.validateComponent('webhook-workflow-run-completed', payload);
  if (errors.length) throw new Error(`workflow_run payload does not match the webhook schema: ${formatErrors(errors)}`);
  return payload;
}

export interface PushEventOptions {
  repository: string;
  /** The commit pushed (`after`, `head_commit.id`). */
  sha: string;
  /** The branch pushed to (default `main`, the repository's default branch). */
  branch?: string;
}

/** A `push` payload (a branch updated by a push). */
export function pushEvent(api: GitHubOpenApi, o: PushEventOptions): Json {
  const schema = api.componentSchema('webhook-push');
  const branch = o.branch ?? 'main';
  const payload = api.sample(schema, {
    ref: `refs/heads/${branch}`,
    before: 'b'.repeat(40),
    after: o.sha,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${o.repository}/compare/${'b'.repeat(12)}...${o.sha.slice(0, 12)}`,
    commits: [],
    head_commit: null,
    repository: repoObject(api, subSchema(api, schema, ['repository']), o.repository, 1296269),
    pusher: { name: 'maintainer', email: 'maintainer@example.com' },
    sender: api.sample(subSchema(api, schema, ['sender']), { login: 'maintainer', id: 4243, type: 'User' }),
  }) as Json;
  const errors = api.validateComponent('webhook-push', payload);
  if (errors.length) throw new Error(`push payload does not match the webhook schema: ${formatErrors(errors)}`);
  return payload;
}

export interface Author {
  login: string;
  type?: 'User' | 'Bot';
  id?: number;
}

function userObject(api: GitHubOpenApi, schema: Json, a: Author): Json {
  return api.sample(schema, {
    login: a.login,
    id: a.id ?? 4242,
    type: a.type ?? 'User',
    html_url: `https://github.com/${a.login}`,
  }) as Json;
}

function issueObject(
  api: GitHubOpenApi,
  schema: Json,
  repository: string,
  o: { number: number; title?: string; body: string | null; user: Author; isPullRequest?: boolean },
): Json {
  const html = `https://github.com/${repository}/${o.isPullRequest ? 'pull' : 'issues'}/${o.number}`;
  return api.sample(schema, {
    number: o.number,
    id: 900000 + o.number,
    title: o.title ?? `Issue ${o.number}`,
    body: o.body,
    state: 'open',
    html_url: html,
    url: `https://api.github.com/repos/${repository}/issues/${o.number}`,
    user: userObject(api, subSchema(api, schema, ['user']), o.user),
    ...(o.isPullRequest
      ? {
          pull_request: {
            url: `https://api.github.com/repos/${repository}/pulls/${o.number}`,
            html_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            merged_at: null,
          },
        }
      : {}),
  }) as Json;
}

export interface IssuesEventOptions {
  repository: string;
  action: 'opened' | 'edited';
  number: number;
  title?: string;
  body: string | null;
  author?: Author;
  /** For `edited`: what the body was before. */
  previousBody?: string;
}

/** An `issues` (action `opened` or `edited`) payload. */
export function issuesEvent(api: GitHubOpenApi, o: IssuesEventOptions): Json {
  const name = `webhook-issues-${o.action}`;
  const schema = api.componentSchema(name);
  const author = o.author ?? { login: 'reporter' };
  const payload = api.sample(schema, {
    action: o.action,
    issue: issueObject(api, subSchema(api, schema, ['issue']), o.repository, { ...o, user: author }),
    ...(o.action === 'edited' ? { changes: { body: { from: o.previousBody ?? '' } } } : {}),
    repository: repoObject(api, subSchema(api, schema, ['repository']), o.repository, 1296269),
    sender: userObject(api, subSchema(api, schema, ['sender']), author),
  }) as Json;
  const errors = api.validateComponent(name, payload);
  if (errors.length) throw new Error(`issues payload does not match the webhook schema: ${formatErrors(errors)}`);
  return payload;
}

export interface IssueCommentEventOptions {
  repository: string;
  action: 'created' | 'edited';
  issueNumber: number;
  /** The comment is on a pull request (GitHub sends `issue_comment` for PR conversation comments too). */
  isPullRequest?: boolean;
  commentId: number;
  body: string;
  author?: Author;
  issueBody?: string | null;
}

/** An `issue_comment` (action `created` or `edited`) payload. */
export function issueCommentEvent(api: GitHubOpenApi, o: IssueCommentEventOptions): Json {
  const name = `webhook-issue-comment-${o.action}`;
  const schema = api.componentSchema(name);
  const author = o.author ?? { login: 'commenter' };
  const commentSchema = subSchema(api, schema, ['comment']);
  const kind = o.isPullRequest ? 'pull' : 'issues';
  const payload = api.sample(schema, {
    action: o.action,
    issue: issueObject(api, subSchema(api, schema, ['issue']), o.repository, {
      number: o.issueNumber,
      body: o.issueBody ?? null,
      user: { login: 'reporter' },
      isPullRequest: o.isPullRequest,
    }),
    comment: api.sample(commentSchema, {
      id: o.commentId,
      body: o.body,
      html_url: `https://github.com/${o.repository}/${kind}/${o.issueNumber}#issuecomment-${o.commentId}`,
      url: `https://api.github.com/repos/${o.repository}/issues/comments/${o.commentId}`,
      issue_url: `https://api.github.com/repos/${o.repository}/issues/${o.issueNumber}`,
      user: userObject(api, subSchema(api, commentSchema, ['user']), author),
    }),
    ...(o.action === 'edited' ? { changes: { body: { from: '' } } } : {}),
    repository: repoObject(api, subSchema(api, schema, ['repository']), o.repository, 1296269),
    sender: userObject(api, subSchema(api, schema, ['sender']), author),
  }) as Json;
  const errors = api.validateComponent(name, payload);
  if (errors.length) throw new Error(`issue_comment payload does not match the webhook schema: ${formatErrors(errors)}`);
  return payload;
}
