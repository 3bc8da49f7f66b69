/**
 * One comment per pull request and job: found again by a hidden marker, updated in place, never duplicated, and
 * turned into a "fixed" note when a later run passes instead of leaving stale failures behind.
 */
import { createHash } from 'node:crypto';
import type { CommentMode } from '../inputs.js';
import type { Octokit } from './client.js';
import { truncateMarkdown } from '../report/markdown-utils.js';
import { MAX_COMMENT_CHARS } from './markdown-limits.js';

export type CommentState = 'failing' | 'passing' | 'fixed';

/** `<!-- wasm-p2-check:<key> -->`: what identifies our comment for one workflow + job + matrix. */
export function commentMarker(key: string): string {
  return `<!-- wasm-p2-check:${key} -->`;
}

const STATE_RE = /<!-- wasm-p2-check-state:(failing|passing|fixed) -->/;

function stateMarker(state: CommentState): string {
  return `<!-- wasm-p2-check-state:${state} -->`;
}

/** The state a previous body of ours recorded; bodies without one count as failing (the safe reading). */
export function readCommentState(body: string): CommentState {
  return (STATE_RE.exec(body)?.[1] as CommentState | undefined) ?? 'failing';
}

/** Keeps a key printable inside an HTML comment: no `--`, no `>`, no line breaks. */
function sanitizeKeyPart(text: string): string {
  return text
    .replace(/[^A-Za-z0-9 _.:/@+=()[\],-]/g, '_')
    .replace(/-{2,}/g, '-')
    .trim()
    .slice(0, 80);
}

/** Stable JSON: keys sorted at every level, so the same matrix always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * `workflow/job` plus, for a matrix job, 12 hex digits of the SHA-256 of the matrix, so parallel jobs of one
 * workflow keep separate comments.
 */
export function deriveCommentKey(workflow: string, job: string, matrix?: Record<string, unknown>): string {
  const base = `${sanitizeKeyPart(workflow) || 'workflow'}/${sanitizeKeyPart(job) || 'job'}`;
  if (!matrix || Object.keys(matrix).length === 0) return base;
  return `${base}/${createHash('sha256').update(canonicalJson(matrix)).digest('hex').slice(0, 12)}`;
}

/** `wasm-p2-check (go: 1.24, os: linux)`: what tells matrix comments apart for a reader. */
export function matrixHeading(base: string, matrix?: Record<string, unknown>): string {
  if (!matrix || Object.keys(matrix).length === 0) return base;
  const parts = Object.entries(matrix).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return `${base} (${parts.join(', ')})`.replace(/[\r\n<>]/g, ' ').slice(0, 200);
}

export type CommentDecision = { action: 'create' | 'update'; state: CommentState } | { action: 'skip'; reason: string };

/**
 * What to do with the PR comment.
 *
 * @param mode the `comment` input
 * @param failing whether this run found anything that is not PASS
 * @param existing the state recorded in our previous comment, if there is one
 */
export function decideComment(mode: CommentMode, failing: boolean, existing: CommentState | undefined): CommentDecision {
  if (mode === 'never') return { action: 'skip', reason: "comment is 'never'" };
  if (existing !== undefined) {
    // A comment that reported failures turns into "fixed" and stays so while runs keep passing.
    const state: CommentState = failing ? 'failing' : existing === 'passing' ? 'passing' : 'fixed';
    return { action: 'update', state };
  }
  if (mode === 'update-only') return { action: 'skip', reason: "no earlier comment and comment is 'update-only'" };
  if (failing) return { action: 'create', state: 'failing' };
  if (mode === 'always') return { action: 'create', state: 'passing' };
  return { action: 'skip', reason: 'everything passes and there is no earlier comment to update' };
}

export interface CommentBodyParts {
  key: string;
  state: CommentState;
  /** The rendered report (already fitted to the comment budget by the renderer). */
  markdown: string;
  /** Short commit id the run was for, shown in the "fixed" note. */
  sha?: string;
  /** Where the full report is (job summary / check run), for the truncation note. */
  detailsUrl?: string;
}

/** The full comment body, markers first, at most 65,536 characters. */
export function composeCommentBody(parts: CommentBodyParts): string {
  const head = [commentMarker(parts.key), stateMarker(parts.state)];
  if (parts.state === 'fixed') {
    const at = parts.sha ? ` as of ${parts.sha.slice(0, 7)}` : '';
    head.push(`> [!NOTE]\n> **Fixed**${at}: every artifact now works as a P2 component. This comment reported failures before.`);
  }
  const body = `${head.join('\n')}\n\n${parts.markdown.trim()}\n`;
  return truncateMarkdown(body, MAX_COMMENT_CHARS, parts.detailsUrl);
}

export interface FoundComment {
  id: number;
  body: string;
  htmlUrl: string;
  login?: string;
}

/**
 * Our comment on an issue/PR: the oldest one carrying the marker, written by `author` when we know who we are
 * (a bot token cannot ask), else by a bot. Pages through all comments, 100 at a time.
 *
 * @returns the comment and how many others carried the same marker (left by a race or a copy-paste)
 */
export async function findStickyComment(
  octokit: Octokit,
  where: { owner: string; repo: string; issueNumber: number },
  key: string,
  author?: string,
): Promise<{ comment?: FoundComment; duplicates: number }> {
  const marker = commentMarker(key);
  const matches: FoundComment[] = [];
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: where.owner,
    repo: where.repo,
    issue_number: where.issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    for (const c of page.data) {
      if (!c.body?.includes(marker)) continue;
      // Unknown author means an installation token, whose comments are a bot's: a person quoting the marker is
      // never taken for us (and never overwritten).
      if (author ? c.user?.login !== author : c.user?.type !== 'Bot') continue;
      matches.push({ id: c.id, body: c.body, htmlUrl: c.html_url, login: c.user?.login });
    }
  }
  return { comment: matches[0], duplicates: Math.max(0, matches.length - 1) };
}

export interface StickyCommentRequest {
  owner: string;
  repo: string;
  issueNumber: number;
  key: string;
  mode: CommentMode;
  failing: boolean;
  /** Renders the report for the comment within a character budget. */
  render: (budget: number) => string;
  sha?: string;
  detailsUrl?: string;
  /** Login of the token's user/bot, when known. */
  author?: string;
}

export type StickyCommentOutcome =
  | { action: 'created' | 'updated' | 'unchanged'; id: number; url: string; state: CommentState; duplicates: number }
  | { action: 'skipped'; reason: string };

/** Finds, decides, writes. Throws the API's errors (a read-only token's 403 included) for the caller to judge. */
export async function publishStickyComment(octokit: Octokit, req: StickyCommentRequest): Promise<StickyCommentOutcome> {
  if (req.mode === 'never') return { action: 'skipped', reason: "comment is 'never'" };
  const where = { owner: req.owner, repo: req.repo, issueNumber: req.issueNumber };
  const { comment, duplicates } = await findStickyComment(octokit, where, req.key, req.author);
  const decision = decideComment(req.mode, req.failing, comment ? readCommentState(comment.body) : undefined);
  if (decision.action === 'skip') return { action: 'skipped', reason: decision.reason };

  // Leave room for the markers and the notes around the report.
  const body = composeCommentBody({
    key: req.key,
    state: decision.state,
    markdown: req.render(MAX_COMMENT_CHARS - 1_024),
    sha: req.sha,
    detailsUrl: req.detailsUrl,
  });
  if (comment) {
    if (comment.body === body) return { action: 'unchanged', id: comment.id, url: comment.htmlUrl, state: decision.state, duplicates };
    const { data } = await octokit.rest.issues.updateComment({ owner: req.owner, repo: req.repo, comment_id: comment.id, body });
    return { action: 'updated', id: data.id, url: data.html_url, state: decision.state, duplicates };
  }
  const { data } = await octokit.rest.issues.createComment({ owner: req.owner, repo: req.repo, issue_number: req.issueNumber, body });
  return { action: 'created', id: data.id, url: data.html_url, state: decision.state, duplicates };
}
