/**
 * Which repository, commit and pull request a run is about, from the event payload the runner wrote
 * (`GITHUB_EVENT_PATH`). Pure except `pullRequestsForCommit`, which asks the API.
 */
import type { Octokit } from './client.js';

export interface EventContext {
  /** `GITHUB_EVENT_NAME` */
  eventName: string;
  /** The parsed event payload (`GITHUB_EVENT_PATH`); `{}` when there is none. */
  payload: Record<string, unknown>;
  /** `GITHUB_REPOSITORY`, `owner/name`. */
  repository: string;
  /** `GITHUB_SHA`: for `pull_request` the merge commit, not what the author pushed. */
  sha: string;
}

export interface Target {
  owner: string;
  repo: string;
  /** The commit a check run belongs on: the PR head, the `workflow_run` head, else `GITHUB_SHA`. */
  headSha: string;
  pullNumber?: number;
  /** The code comes from another repository: the token is read-only and writes will be refused. */
  isFork: boolean;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);

/** GitHub repository names are case-insensitive. */
function sameRepository(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

export function splitRepository(repository: string): { owner: string; repo: string } {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(repository);
  if (!m) throw new Error(`GITHUB_REPOSITORY '${repository}' is not of the form owner/name`);
  return { owner: m[1]!, repo: m[2]! };
}

/**
 * @returns the target of a run: for `pull_request(_target)` the PR and its head commit; for `workflow_run` the
 *   triggering run's head commit and its PR when GitHub lists one (it does not for forks); else `GITHUB_SHA`.
 */
export function resolveTarget(ctx: EventContext): Target {
  const { owner, repo } = splitRepository(ctx.repository);
  const base = { owner, repo, headSha: ctx.sha, isFork: false };
  const pr = obj(ctx.payload.pull_request);
  if (pr) {
    const head = obj(pr.head);
    // A deleted fork leaves `head.repo` null: still not this repository.
    const headRepo = str(obj(head?.repo)?.full_name);
    return {
      ...base,
      headSha: str(head?.sha) ?? ctx.sha,
      pullNumber: int(pr.number) ?? int(ctx.payload.number),
      isFork: !sameRepository(headRepo, ctx.repository),
    };
  }
  const run = obj(ctx.payload.workflow_run);
  if (run) {
    const headSha = str(run.head_sha) ?? ctx.sha;
    const prs = Array.isArray(run.pull_requests) ? run.pull_requests.map(obj).filter((p): p is Json => !!p) : [];
    // GitHub lists open PRs whose head matches the run's branch — not "the PR that triggered it": only one whose
    // head is the run's commit will do (else the caller looks the commit up, see `pullRequestsForCommit`).
    const match = prs.find((p) => str(obj(p.head)?.sha) === headSha);
    return {
      ...base,
      headSha,
      pullNumber: int(match?.number),
      isFork: !sameRepository(str(obj(run.head_repository)?.full_name), ctx.repository),
    };
  }
  return base;
}

/** Saved beside a `report-only` report, so a later `post-from-report` knows where the report belongs. */
export interface RunMetadata {
  schemaVersion: 1;
  repository: string;
  eventName: string;
  headSha: string;
  pullNumber?: number;
  /** The sticky-comment key of the job that ran the check. */
  commentKey: string;
  /** Heading for the comment (e.g. with the matrix values). */
  heading: string;
  /** The run that produced the report (its job summary has the full report). */
  runUrl?: string;
}

/** Where the metadata of a report lives: `report.json` → `report.meta.json`. */
export function metadataPath(reportPath: string): string {
  return reportPath.replace(/(\.json)?$/, '.meta.json');
}

/** Validates metadata from an artifact: it was written by a run of PR code, so trust nothing in it. */
export function parseRunMetadata(text: string): RunMetadata {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`report metadata is not JSON: ${(e as Error).message}`);
  }
  const m = obj(v);
  const bad = (what: string): never => {
    throw new Error(`report metadata: ${what}`);
  };
  if (m?.schemaVersion !== 1) bad('unknown schemaVersion');
  const repository = str(m!.repository) ?? bad('repository missing');
  const headSha = str(m!.headSha);
  if (!headSha || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(headSha)) bad('headSha is not a commit id');
  const pullNumber = m!.pullNumber === undefined ? undefined : (int(m!.pullNumber) ?? bad('pullNumber is not a positive integer'));
  const commentKey = str(m!.commentKey) ?? bad('commentKey missing');
  if (!/^[A-Za-z0-9 _.:/@+=()[\],-]{1,200}$/.test(commentKey) || commentKey.includes('--')) bad('commentKey has unsafe characters');
  const heading = (str(m!.heading) ?? 'wasm-p2-check').replace(/[\r\n<>]/g, ' ').slice(0, 200);
  const runUrl = str(m!.runUrl);
  return {
    schemaVersion: 1,
    repository,
    eventName: str(m!.eventName) ?? 'unknown',
    headSha: headSha!,
    pullNumber,
    commentKey,
    heading,
    runUrl: runUrl && /^https:\/\/[^\s<>()]+$/.test(runUrl) ? runUrl : undefined,
  };
}

/** The `workflow_run` that triggered this run (post-from-report): its place in time and its page, from the event. */
export function triggeringRun(
  ctx: EventContext,
  serverUrl: string,
): { id: number; attempt: number; htmlUrl?: string; workflow?: string } | undefined {
  const run = obj(ctx.payload.workflow_run);
  const id = int(run?.id);
  if (!run || id === undefined) return undefined;
  const htmlUrl = str(run.html_url);
  // A link we print must point at this GitHub, to this repository's runs.
  const prefix = `${serverUrl.replace(/\/+$/, '')}/${ctx.repository}/actions/runs/`;
  return {
    id,
    attempt: int(run.run_attempt) ?? 1,
    // The workflow's name (GITHUB_WORKFLOW in that run): one the privileged workflow's `workflow_run` trigger accepted.
    workflow: str(run.name),
    htmlUrl: htmlUrl?.toLowerCase().startsWith(prefix.toLowerCase()) && /^[^\s<>()]+$/.test(htmlUrl) ? htmlUrl : undefined,
  };
}

/**
 * The open pull requests of the target repository whose head is the target commit (`GET
 * /repos/{owner}/{repo}/commits/{sha}/pulls`): how a `workflow_run` for a fork PR, which GitHub lists with no
 * pull request, finds where its comment belongs. A PR number written in a saved report is never used.
 */
export async function pullRequestsForCommit(octokit: Octokit, target: Target): Promise<number[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    owner: target.owner,
    repo: target.repo,
    commit_sha: target.headSha,
  });
  return data
    .filter(
      (pr) =>
        pr.state === 'open' &&
        pr.head.sha === target.headSha &&
        pr.base.repo.full_name.toLowerCase() === `${target.owner}/${target.repo}`.toLowerCase(),
    )
    .map((pr) => pr.number);
}
