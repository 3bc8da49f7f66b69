/**
 * Sticky comments: one comment per issue/PR and key, found again by a hidden marker at the very start of a comment
 * the token's own user (or, when it cannot tell, a bot) wrote — never by a marker inside someone's text or inside
 * guest output quoted further down. Two layers:
 *
 * - `upsertStickyComment`: the machinery, for any sticky comment (the PR report, the bot's reply to an issue): find,
 *   let the caller decide, write; recreate a comment deleted under us (404); remove — or, with `hideOld`, minimize
 *   as OUTDATED — the duplicates a race left; with `hideOld`, post a new comment and minimize the previous one
 *   instead of rewriting it.
 * - `publishReportComment`: the PR report's policy on top: comment modes, "fixed" after failures, no rewrite when
 *   nothing changed, and no overwrite by a run older than the one the comment records.
 */
import { baseName, changeGroups } from '../report/change.js';
import { createHash } from 'node:crypto';
import type { CommentMode } from '../options/table.js';
import type { Report } from '../model.js';
import { truncateMarkdown } from '../report/markdown-utils.js';
import { isNotFound, type Octokit } from './client.js';
import { MAX_COMMENT_CHARS } from './markdown-limits.js';
import { commentMinimizedState, minimizeComment } from './minimize.js';

/** `<!-- wasm-p2-check:<key> -->`: the first line of every sticky comment of ours. */
export function commentMarker(key: string): string {
  return `<!-- wasm-p2-check:${key} -->`;
}

const META_RE = /^<!-- wasm-p2-check-meta((?: [a-z]+=[A-Za-z0-9._:-]+)*) -->$/;

/** The second line: what the writer recorded about the comment, as `key=value` words. */
export function metaLine(meta: Record<string, string>): string {
  const words = Object.entries(meta)
    .filter(([k, v]) => /^[a-z]+$/.test(k) && /^[A-Za-z0-9._:-]+$/.test(v))
    .map(([k, v]) => ` ${k}=${v}`);
  return `<!-- wasm-p2-check-meta${words.join('')} -->`;
}

export interface StickyWhere {
  owner: string;
  repo: string;
  issueNumber: number;
}

export interface StickyTarget extends StickyWhere {
  key: string;
  /** Login of the token's user, when known (a PAT); else only bots' comments count as ours. */
  author?: string;
}

export interface FoundComment {
  id: number;
  nodeId: string;
  htmlUrl: string;
  /** The recorded meta line (empty for a comment without one). */
  meta: Record<string, string>;
  /** The body below the marker and meta lines. */
  content: string;
}

/**
 * Splits one of our bodies: marker line, optional meta line, content. Only the lines we wrote at the top are read,
 * so text further down (guest output, a quoted comment) can never pose as a marker or as recorded state.
 */
export function parseStickyBody(body: string, key: string): { meta: Record<string, string>; content: string } | undefined {
  const marker = commentMarker(key);
  if (!body.startsWith(`${marker}\n`) && body !== marker) return undefined;
  let rest = body.slice(marker.length + 1);
  const meta: Record<string, string> = {};
  const nl = rest.indexOf('\n');
  const m = META_RE.exec(nl < 0 ? rest : rest.slice(0, nl));
  if (m) {
    for (const word of m[1]!.trim().split(' ').filter(Boolean)) {
      const eq = word.indexOf('=');
      meta[word.slice(0, eq)] = word.slice(eq + 1);
    }
    rest = nl < 0 ? '' : rest.slice(nl + 1);
  }
  return { meta, content: rest };
}

/**
 * Our comments with this key on one issue/PR, oldest first: marker at the start, written by `author` (or by a bot
 * when the token cannot say who it is). Pages through all comments, 100 at a time.
 */
export async function findStickyComments(octokit: Octokit, t: StickyTarget): Promise<FoundComment[]> {
  const found: FoundComment[] = [];
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: t.owner,
    repo: t.repo,
    issue_number: t.issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    for (const c of page.data) {
      // Unknown author means an installation token, whose comments are a bot's: a person quoting the marker is
      // never taken for us (and never overwritten).
      if (t.author ? c.user?.login !== t.author : c.user?.type !== 'Bot') continue;
      const parsed = parseStickyBody(c.body ?? '', t.key);
      if (parsed) found.push({ id: c.id, nodeId: c.node_id, htmlUrl: c.html_url, ...parsed });
    }
  }
  return found.sort((a, b) => a.id - b.id);
}

/** What the caller wants done with the comment, given the current one (if any). */
export type StickyDecision =
  | { write: { meta: Record<string, string>; content: string } }
  | { keep: 'unchanged' | 'skipped'; reason: string };

export interface UpsertOptions {
  /** Post a new comment and minimize the previous one (OUTDATED) instead of editing it; minimize duplicates too. */
  hideOld?: boolean;
  /** GraphQL endpoint (GITHUB_GRAPHQL_URL), for minimizing. */
  graphqlUrl?: string;
  /** Where the full text is, for the truncation note. */
  detailsUrl?: string;
}

export type UpsertOutcome = {
  action: 'created' | 'updated' | 'recreated' | 'unchanged' | 'skipped';
  reason?: string;
  id?: number;
  url?: string;
  /** Duplicates deleted, and comments minimized (superseded or duplicate). */
  removed: number;
  minimized: number;
};

/**
 * Finds our comment, asks `decide`, writes. With `hideOld` the newest comment is the current one; without, the
 * oldest (its link stays stable). Every other comment of ours with the key is a duplicate (or, with `hideOld`, a
 * superseded one): deleted, or minimized with `hideOld`. Throws the API's errors for the caller to judge.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  t: StickyTarget,
  decide: (current: FoundComment | undefined) => StickyDecision,
  options: UpsertOptions = {},
): Promise<UpsertOutcome> {
  const ours = await findStickyComments(octokit, t);
  const current = options.hideOld ? ours.at(-1) : ours[0];
  const others = ours.filter((c) => c !== current);
  const decision = decide(current);
  const base = { owner: t.owner, repo: t.repo };

  let outcome: UpsertOutcome;
  const superseded: FoundComment[] = [];
  if ('keep' in decision) {
    outcome = { action: decision.keep, reason: decision.reason, id: current?.id, url: current?.htmlUrl, removed: 0, minimized: 0 };
  } else {
    const body = truncateMarkdown(
      `${commentMarker(t.key)}\n${metaLine(decision.write.meta)}\n${decision.write.content}`,
      MAX_COMMENT_CHARS,
      options.detailsUrl,
    );
    const create = async (action: 'created' | 'recreated'): Promise<UpsertOutcome> => {
      const { data } = await octokit.rest.issues.createComment({ ...base, issue_number: t.issueNumber, body });
      return { action, id: data.id, url: data.html_url, removed: 0, minimized: 0 };
    };
    if (!current) {
      outcome = await create('created');
    } else if (options.hideOld) {
      outcome = await create('created');
      superseded.push(current);
    } else {
      try {
        const { data } = await octokit.rest.issues.updateComment({ ...base, comment_id: current.id, body });
        outcome = { action: 'updated', id: data.id, url: data.html_url, removed: 0, minimized: 0 };
      } catch (e) {
        // Deleted between our listing and the update (by a person or another run): post it again.
        if (!isNotFound(e)) throw e;
        outcome = await create('recreated');
      }
    }
  }

  if (options.hideOld) {
    const candidates = [...others, ...superseded];
    const state = candidates.length
      ? await commentMinimizedState(
          octokit,
          options.graphqlUrl,
          candidates.map((c) => c.nodeId),
        )
      : new Map<string, boolean>();
    for (const c of candidates) {
      if (state.get(c.nodeId)) continue;
      await minimizeComment(octokit, options.graphqlUrl, c.nodeId, 'OUTDATED');
      outcome.minimized++;
    }
  } else {
    for (const c of others) {
      try {
        await octokit.rest.issues.deleteComment({ ...base, comment_id: c.id });
        outcome.removed++;
      } catch (e) {
        if (!isNotFound(e)) throw e; // another run removed it first
      }
    }
  }
  return outcome;
}

/* ─────────────────────────── the PR report's policy ─────────────────────────── */

export type CommentState = 'failing' | 'passing' | 'fixed';

/** A run's place in time: GitHub's run id (increasing in a repository), then the attempt. */
export interface RunOrder {
  id: number;
  attempt: number;
}

export function formatRunOrder(r: RunOrder): string {
  return `${r.id}.${r.attempt}`;
}

export function parseRunOrder(text: string | undefined): RunOrder | undefined {
  const m = /^(\d{1,16})\.(\d{1,6})$/.exec(text ?? '');
  return m ? { id: Number(m[1]), attempt: Number(m[2]) } : undefined;
}

function olderThan(a: RunOrder, b: RunOrder): boolean {
  return a.id < b.id || (a.id === b.id && a.attempt < b.attempt);
}

/** The state a previous body of ours recorded; bodies without one count as failing (the safe reading). */
export function readCommentState(meta: Record<string, string>): CommentState {
  const s = meta.state;
  return s === 'passing' || s === 'fixed' ? s : 'failing';
}

/**
 * What "the results changed" means for `comment: on-change`: the verdict of each artifact and the cause found for
 * it (top signature), not the wording around them. 16 hex digits of a SHA-256.
 */
export function resultDigest(report: Report): string {
  const lines = report.results
    .map((r) => `${r.artifact.path}\t${r.verdict}\t${r.diagnoses[0]?.signatureId ?? ''}${r.change ? `\t${r.change.class}` : ''}`)
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
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

/**
 * The comment key for a saved report (`post-from-report`). The key in the report's metadata was written by a run of
 * PR code, so it may name any comment — another workflow's, or a trusted job's. It is used only when it lies inside
 * the triggering workflow's own namespace, `<workflow>/<job id>[/<matrix hash>]` with the workflow named by the
 * `workflow_run` event (GitHub's word): the comments there are that workflow's, whose code the same pull request
 * controls anyway. Anything else falls back to `own`, the privileged job's own key, and says why.
 *
 * @param saved the key from the saved metadata, if any
 * @param workflow the triggering workflow's name from the event (undefined when the event has none)
 * @param own the key derived from the privileged workflow's own context
 */
export function savedReportCommentKey(
  saved: string | undefined,
  workflow: string | undefined,
  own: string,
): { key: string; refused?: string; job?: string } {
  if (saved === undefined) return { key: own };
  if (workflow === undefined)
    return { key: own, refused: `the event names no triggering workflow to check the saved key '${saved}' against` };
  const base = `${sanitizeKeyPart(workflow) || 'workflow'}/`;
  // A job id is `[A-Za-z_][A-Za-z0-9_-]*`; a matrix adds 12 hex digits (deriveCommentKey).
  const m = saved.startsWith(base) ? /^([A-Za-z0-9_-]{1,80})(?:\/[0-9a-f]{12})?$/.exec(saved.slice(base.length)) : null;
  if (m) return { key: saved, job: m[1] };
  return { key: own, refused: `the saved key '${saved}' is not a key of the triggering workflow '${sanitizeKeyPart(workflow)}'` };
}

/**
 * The heading of a saved report's comment and check run (`post-from-report`). The heading saved with the report is PR
 * data: shown as such, a forged one could make the comment read like another job's (`wasm-p2-check (Release)`). So
 * the heading is made of what is known: the triggering workflow named by the event and, when the saved comment key
 * was accepted (savedReportCommentKey), its job. What the saved heading adds (a matrix entry) follows only in
 * brackets, labelled as the report's own, unverified words, in a plain alphabet.
 *
 * @param saved the heading in the saved metadata, if any
 * @param workflow the triggering workflow's name from the `workflow_run` event
 * @param job the job of the accepted saved comment key
 */
export function savedReportHeading(saved: string | undefined, workflow: string | undefined, job: string | undefined): string {
  const base = 'wasm-p2-check';
  const known = workflow ? `${base} (${[workflow, job].filter(Boolean).join(' / ')})`.replace(/[\r\n<>]/g, ' ').slice(0, 120) : base;
  const claimed = (saved ?? '')
    .replace(/[^A-Za-z0-9 _.:,()=+/@-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^wasm-p2-check(?: \((.*)\))?$/, '$1')
    .slice(0, 100)
    .trim();
  return claimed ? `${known} [unverified label from the report: ${claimed}]` : known;
}

/** `go: 1.24, os: linux`: a matrix entry as a reader sees it (keys in `omit` left out); undefined when empty. */
function matrixEntries(matrix: Record<string, unknown> | undefined, omit: readonly string[] = []): string | undefined {
  const parts = Object.entries(matrix ?? {})
    .filter(([k]) => !omit.includes(k))
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? parts.join(', ') : undefined;
}

/** One line, no markup brackets, at most 200 characters: a heading or label built from matrix values. */
const headingLine = (text: string): string => text.replace(/[\r\n<>]/g, ' ').slice(0, 200);

/** `wasm-p2-check (go: 1.24, os: linux)`: what tells matrix comments and check runs apart for a reader. */
export function matrixHeading(base: string, matrix?: Record<string, unknown>): string {
  const entries = matrixEntries(matrix);
  return entries ? headingLine(`${base} (${entries})`) : base;
}

/** The report's label in a merged report: the job's matrix entry without the shard (the report has that itself). */
export function matrixLabel(matrix: Record<string, unknown> | undefined): string | undefined {
  const entries = matrixEntries(matrix, ['shard']);
  return entries ? headingLine(entries) : undefined;
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

/** The visible part of the comment: the "fixed" note, then the rendered report. */
export function composeCommentContent(state: CommentState, markdown: string, sha?: string, against?: string): string {
  const head: string[] = [];
  if (state === 'fixed') {
    const at = sha ? ` as of ${sha.slice(0, 7)}` : '';
    head.push(
      against
        ? `> [!NOTE]\n> **Fixed**${at}: nothing fails any more that does not fail on ${against} too. ` +
            'This comment reported new failures before.\n'
        : `> [!NOTE]\n> **Fixed**${at}: every artifact now works as a P2 component. This comment reported failures before.\n`,
    );
  }
  return `${head.join('\n')}\n${markdown.trim()}\n`;
}

export interface ReportCommentRequest extends StickyTarget {
  mode: CommentMode;
  report: Report;
  /** Renders the report for the comment within a character budget. */
  render: (budget: number) => string;
  sha?: string;
  detailsUrl?: string;
  /** This run; a comment recorded by a later run is left alone. */
  run?: RunOrder;
  hideOld?: boolean;
  graphqlUrl?: string;
}

/** The PR report comment: modes, "fixed", no churn, no overwrite by an older run. */
export async function publishReportComment(octokit: Octokit, req: ReportCommentRequest): Promise<UpsertOutcome> {
  if (req.mode === 'never') return { action: 'skipped', reason: "comment is 'never'", removed: 0, minimized: 0 };
  // Compared with a baseline, what already fails there is not this pull request's: the comment is about the change.
  const change = req.report.baseline ? changeGroups(req.report) : undefined;
  const failing = change ? change.newFailures.length + change.changed.length > 0 : req.report.summary.failures > 0;
  const digest = resultDigest(req.report);
  return upsertStickyComment(
    octokit,
    req,
    (current): StickyDecision => {
      const recorded = parseRunOrder(current?.meta.run);
      if (current && recorded && req.run && olderThan(req.run, recorded)) {
        return {
          keep: 'skipped',
          reason: `the comment shows a later run (${formatRunOrder(recorded)}) than this one (${formatRunOrder(req.run)})`,
        };
      }
      const decision = decideComment(req.mode, failing, current ? readCommentState(current.meta) : undefined);
      if (decision.action === 'skip') return { keep: 'skipped', reason: decision.reason };
      if (current && req.mode === 'on-change' && current.meta.digest === digest && readCommentState(current.meta) === decision.state) {
        return { keep: 'unchanged', reason: 'the verdicts and causes are the same as in the comment (comment: on-change)' };
      }
      // Leave room for the marker, the meta line and the "fixed" note.
      const content = composeCommentContent(
        decision.state,
        req.render(MAX_COMMENT_CHARS - 1_024),
        req.sha,
        change ? baseName(req.report) : undefined,
      );
      if (current && current.content === content && readCommentState(current.meta) === decision.state) {
        return { keep: 'unchanged', reason: 'nothing changed' };
      }
      const meta: Record<string, string> = { state: decision.state, digest };
      if (req.run) meta.run = formatRunOrder(req.run);
      return { write: { meta, content } };
    },
    { hideOld: req.hideOld, graphqlUrl: req.graphqlUrl, detailsUrl: req.detailsUrl },
  );
}
