/**
 * Bot mode (`mode: explain`): answers WebAssembly errors pasted into issues and comments with what `explain` knows —
 * diagnosis, evidence, workaround, confidence — in one sticky reply per issue, updated when the text changes.
 *
 * The text of an issue is untrusted data: it is only read and matched. Nothing in it is run, no link in it is
 * followed, no attachment is downloaded. Abuse bounds: comments by bots and by the token's own user are ignored; at
 * most `MAX_BODY_CHARS` of a body are read; at most `MAX_BLOCKS` blocks are examined, within `timeBudgetMs`; one reply
 * per issue (never a second), holding at most `MAX_SOURCES` parts, edited at most `MAX_EDITS` times.
 */
import { explain, type ExplainResult } from '../diagnose/explain.js';
import {
  renderExplainFindings,
  isKnown,
  isUnknownTrap,
  labelDiagnoses,
  labelFor,
  type ExplainFinding,
} from '../report/explain-markdown.js';
import { link, truncateMarkdown } from '../report/markdown-utils.js';
import type { Octokit } from './client.js';
import { MAX_COMMENT_CHARS } from './markdown-limits.js';
import { commentMarker, upsertStickyComment, type FoundComment, type StickyDecision } from './sticky-comment.js';

/** Characters of an issue or comment body read per event (the rest is ignored). */
export const MAX_BODY_CHARS = 1024 * 1024;
/** Code/`<details>` blocks examined per event. */
export const MAX_BLOCKS = 20;
/** Parts (the issue body, comments) one reply holds; the oldest parts go first. */
export const MAX_SOURCES = 10;
/** Edits of one reply; after that the bot leaves the issue alone. */
export const MAX_EDITS = 100;
/** Labels added per event. */
export const MAX_LABELS = 5;
/** Default time for one event's diagnosis work. */
export const DEFAULT_TIME_BUDGET_MS = 20_000;

/** The command that asks for an explanation of the comment it is in (also on pull requests). */
export const COMMAND = '/wasm-p2-check explain';
/** Key of the bot's sticky reply (its marker is `<!-- wasm-p2-check:bot/explain -->`). */
export const BOT_KEY = 'bot/explain';

export interface BotOptions {
  /** `silent`: say nothing when no signature is known; `reply`: say so when a WebAssembly trap was recognised. */
  onUnknown: 'silent' | 'reply';
  /** Add a `wasm:<signature-id>` label per diagnosis (created if missing). */
  labels: boolean;
  signatureDirs?: string[];
  timeBudgetMs?: number;
  /** Login of the token's user when known (a PAT); installation tokens are bots and ignored as such. */
  self?: string;
  log?: (message: string) => void;
  /** Injected clock, for the time budget. */
  now?: () => number;
}

export interface BotEvent {
  eventName: string;
  payload: Record<string, unknown>;
  /** `owner/name` */
  repository: string;
}

export type BotOutcome =
  | { action: 'ignored'; reason: string }
  | { action: 'silent'; reason: string }
  | {
      /** `recreated`: the reply had been deleted (by a maintainer, or meanwhile) and was posted again. */
      action: 'created' | 'recreated' | 'updated' | 'unchanged';
      url: string;
      labels: string[];
      examined: number;
      skipped: number;
      /** Duplicate replies (left by racing runs) deleted. */
      removed: number;
    };

/** What an event asks of the bot, decided from the payload alone. */
export interface BotRequest {
  issueNumber: number;
  /** 'issue' for the issue body, `comment-<id>` for a comment. */
  source: string;
  /** Link to the comment, for the reply. */
  sourceUrl?: string;
  text: string;
  /** Read only the first MAX_BODY_CHARS of a longer body. */
  truncated: boolean;
  /** The `/wasm-p2-check explain` command asked for it: answer even when nothing is known. */
  onDemand: boolean;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Lines of the command, alone on their line (leading spaces allowed). */
function isCommandLine(line: string): boolean {
  const t = line.trim();
  return t === COMMAND || (t.startsWith(COMMAND) && /\s/.test(t.charAt(COMMAND.length)));
}

function isOurReply(body: string): boolean {
  return body.startsWith(commentMarker(BOT_KEY));
}

/**
 * Decides what to do with an event: which text to read and where to answer, or why not.
 * @returns the request, or the reason the event is ignored
 */
export function readRequest(event: BotEvent, self?: string): BotRequest | { ignore: string } {
  const action = str(event.payload.action) ?? '';
  const issue = obj(event.payload.issue);
  const number = issue?.number;
  if (typeof number !== 'number') return { ignore: `no issue in the '${event.eventName}' event` };
  const isPull = obj(issue?.pull_request) !== undefined;
  const byBotOrSelf = (user: Json | undefined): string | undefined => {
    const login = str(user?.login) ?? '';
    if (str(user?.type) === 'Bot' || login.endsWith('[bot]')) return `written by a bot (${login})`;
    if (self && login === self) return `written by this token's user (${login})`;
    return undefined;
  };
  const cap = (body: string) => ({
    text: body.length > MAX_BODY_CHARS ? body.slice(0, MAX_BODY_CHARS) : body,
    truncated: body.length > MAX_BODY_CHARS,
  });

  if (event.eventName === 'issues') {
    if (action !== 'opened' && action !== 'edited') return { ignore: `issues.${action} is not answered` };
    const who = byBotOrSelf(obj(issue?.user));
    if (who) return { ignore: `the issue is ${who}` };
    return { issueNumber: number, source: 'issue', ...cap(str(issue?.body) ?? ''), onDemand: false };
  }
  if (event.eventName === 'issue_comment') {
    if (action !== 'created' && action !== 'edited') return { ignore: `issue_comment.${action} is not answered` };
    const comment = obj(event.payload.comment);
    const id = comment?.id;
    if (typeof id !== 'number') return { ignore: 'no comment in the event' };
    const who = byBotOrSelf(obj(comment?.user));
    if (who) return { ignore: `the comment is ${who}` };
    const body = str(comment?.body) ?? '';
    if (isOurReply(body)) return { ignore: 'the comment is our own reply' };
    const { text, truncated } = cap(body);
    const lines = text.split('\n');
    const onDemand = lines.some(isCommandLine);
    if (isPull && !onDemand) return { ignore: `comments on pull requests are explained on request only ('${COMMAND}')` };
    return {
      issueNumber: number,
      source: `comment-${id}`,
      sourceUrl: str(comment?.html_url),
      text: onDemand ? lines.filter((l) => !isCommandLine(l)).join('\n') : text,
      truncated,
      onDemand,
    };
  }
  return { ignore: `'${event.eventName}' events are not answered in mode explain (use issues and issue_comment)` };
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})\s*$/;

/**
 * The fenced code blocks and `<details>` blocks of a Markdown text, in order (a fence inside `<details>` is part of
 * that block); the whole text when it has none. An unclosed block runs to the end, as GitHub renders it.
 */
export function extractBlocks(text: string): string[] {
  const blocks: string[] = [];
  let fence: string | undefined;
  let depth = 0;
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (fence) {
      const close = FENCE_CLOSE.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) {
        fence = undefined;
        if (depth === 0) {
          blocks.push(current.join('\n'));
          current = [];
          continue;
        }
      }
      current.push(line);
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    // A backtick fence's info string may not contain a backtick (CommonMark).
    if (open && !(open[1]![0] === '`' && line.slice(open[0].length).includes('`'))) {
      fence = open[1]!;
      if (depth > 0) current.push(line);
      continue;
    }
    const opens = (line.match(/<details\b/gi) ?? []).length;
    const closes = (line.match(/<\/details\s*>/gi) ?? []).length;
    if (depth === 0 && opens === 0) continue;
    depth = Math.max(0, depth + opens - closes);
    // Tags only (bounded, so a line of unclosed tags stays linear); a summary's title stays in the block.
    current.push(line.replace(/<\/?(?:details|summary)\b[^>]{0,200}>/gi, ''));
    if (depth === 0) {
      blocks.push(current.join('\n'));
      current = [];
    }
  }
  if (current.length) blocks.push(current.join('\n'));
  const useful = blocks.filter((b) => b.trim() !== '');
  return useful.length ? useful : [text];
}

/** Runs `explain` on each block, within the block count and the time budget. */
export async function explainText(
  text: string,
  opts: Pick<BotOptions, 'signatureDirs' | 'timeBudgetMs' | 'now'>,
): Promise<{ findings: ExplainFinding[]; examined: number; skipped: number }> {
  const now = opts.now ?? Date.now;
  const deadline = now() + (opts.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  const blocks = extractBlocks(text);
  const whole = blocks.length === 1 && blocks[0] === text;
  const findings: ExplainFinding[] = [];
  let examined = 0;
  for (const [i, block] of blocks.slice(0, MAX_BLOCKS).entries()) {
    if (now() > deadline) break;
    const result: ExplainResult = await explain({ logText: block, signatureDirs: opts.signatureDirs });
    findings.push({ block: whole ? 0 : i + 1, result });
    examined++;
  }
  return { findings, examined, skipped: blocks.length - examined };
}

/* ───────────── the sticky reply: one per issue, a part per source ───────────── */

const PART_RE = /^<!-- wasm-p2-check-part:([a-z]+(?:-\d+)?) -->$/;
/** The edit count of replies written before it moved to the meta line (`edits=N`). */
const LEGACY_EDITS_RE = /^<!-- wasm-p2-check-edits:(\d+) -->$/m;
const END = '<!-- wasm-p2-check-end -->';

/** The parts of an earlier reply by source, in order. Only lines we wrote can match (our text never starts a line with `<`). */
export function readParts(body: string): Map<string, string> {
  const parts = new Map<string, string>();
  let key: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (key) parts.set(key, lines.join('\n').trim());
  };
  for (const line of body.split('\n')) {
    if (line === END) break;
    const m = PART_RE.exec(line);
    if (m) {
      flush();
      key = m[1];
      lines = [];
    } else if (key) lines.push(line);
  }
  flush();
  return parts;
}

/** How often the reply was edited: its meta line's `edits`, or the line older replies carried. */
function recordedEdits(reply: FoundComment): number {
  return Number(reply.meta.edits ?? LEGACY_EDITS_RE.exec(reply.content)?.[1] ?? '0');
}

/** The reply below its marker and meta lines (the sticky-comment machinery writes those). */
function composeReply(parts: Map<string, string>): string {
  const body = ['### wasm-p2-check: what the pasted WebAssembly error means', ''];
  for (const [key, text] of parts) body.push(`<!-- wasm-p2-check-part:${key} -->`, text, '');
  body.push(
    END,
    `<sub>Diagnosed from the text alone by ${link('wasm-p2-check', 'https://github.com/wasm-p2-check/wasm-p2-check')}: ` +
      `nothing in this issue was run, followed or downloaded. ` +
      `This reply is updated when the text changes; write \`${COMMAND}\` in a comment to ask about that comment.</sub>`,
  );
  // Room for the marker and meta lines.
  return truncateMarkdown(body.join('\n'), MAX_COMMENT_CHARS - 256);
}

function partHeading(req: BotRequest): string {
  if (req.source === 'issue') return '**In the issue description**';
  return req.sourceUrl ? `**In ${link('this comment', req.sourceUrl)}**` : '**In a comment**';
}

/**
 * Answers one event. The reply is a sticky comment (github/sticky-comment.ts): found by its marker, a reply deleted
 * meanwhile is posted again, and duplicates two racing runs left are removed. API errors propagate; the caller
 * decides what a refusal means.
 */
export async function answerEvent(octokit: Octokit, event: BotEvent, opts: BotOptions): Promise<BotOutcome> {
  const log = opts.log ?? (() => undefined);
  const req = readRequest(event, opts.self);
  if ('ignore' in req) return { action: 'ignored', reason: req.ignore };
  const [owner, repo] = event.repository.split('/') as [string, string];
  if (req.truncated) log(`Only the first ${MAX_BODY_CHARS} characters of the text were read.`);

  const { findings, examined, skipped } = await explainText(req.text, opts);
  if (skipped > 0)
    log(
      `${skipped} block(s) not examined (at most ${MAX_BLOCKS} blocks within ${opts.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS} ms per event).`,
    );
  const withUnknown = opts.onUnknown === 'reply' || req.onDemand;
  let text = renderExplainFindings(findings, withUnknown);
  if (!text && req.onDemand) text = 'No WebAssembly error that wasm-p2-check recognises was found in this comment.';
  const notes: string[] = [];
  if (req.truncated) notes.push(`_Only the first ${MAX_BODY_CHARS.toLocaleString('en-US')} characters were read._`);
  if (skipped > 0) notes.push(`_${skipped} more ${skipped === 1 ? 'block was' : 'blocks were'} not examined._`);

  const anything = findings.some((f) => isKnown(f) || isUnknownTrap(f));
  const silentReason = anything ? 'no known signature matched (on-unknown: silent)' : 'no WebAssembly error recognised';
  // Ours: the marker is the first line of a comment by the token's user (or a bot), never text quoted further down.
  const outcome = await upsertStickyComment(
    octokit,
    { owner, repo, issueNumber: req.issueNumber, key: BOT_KEY, author: opts.self },
    (current): StickyDecision => {
      const parts = current ? readParts(current.content) : new Map<string, string>();
      if (text) {
        // An edited source keeps its place; a new one goes last.
        parts.set(req.source, [partHeading(req), '', text, ...(notes.length ? ['', ...notes] : [])].join('\n'));
      } else if (parts.has(req.source)) {
        parts.set(req.source, `${partHeading(req)}: nothing recognised any more after the edit.`);
      } else {
        return { keep: 'skipped', reason: silentReason };
      }
      while (parts.size > MAX_SOURCES) parts.delete(parts.keys().next().value!);
      const content = composeReply(parts);
      if (!current) return { write: { meta: { edits: '0' }, content } };
      if (current.content === content) return { keep: 'unchanged', reason: 'nothing changed' };
      const edits = recordedEdits(current);
      if (edits >= MAX_EDITS) return { keep: 'skipped', reason: `the reply was already edited ${MAX_EDITS} times` };
      return { write: { meta: { edits: String(edits + 1) }, content } };
    },
  );
  if (outcome.removed) log(`Removed ${outcome.removed} duplicate reply(ies) left by runs that raced.`);
  if (outcome.action === 'skipped') return { action: 'silent', reason: outcome.reason ?? silentReason };
  const labels = opts.labels && text ? await addLabels(octokit, owner, repo, req.issueNumber, findings, log) : [];
  return { action: outcome.action, url: outcome.url ?? '', labels, examined, skipped, removed: outcome.removed };
}

/** Adds a `wasm:<signature-id>` label per distinct diagnosis, creating missing labels with a description. */
async function addLabels(
  octokit: Octokit,
  owner: string,
  repo: string,
  issueNumber: number,
  findings: ExplainFinding[],
  log: (m: string) => void,
): Promise<string[]> {
  const wanted = labelDiagnoses(findings).slice(0, MAX_LABELS);
  if (!wanted.length) return [];
  const names: string[] = [];
  for (const d of wanted) {
    const name = labelFor(d.signatureId);
    const exists = await octokit.rest.issues.getLabel({ owner, repo, name }).then(
      () => true,
      (e: { status?: number }) => {
        if (e.status === 404) return false;
        throw e;
      },
    );
    if (!exists) {
      await octokit.rest.issues
        .createLabel({ owner, repo, name, color: 'b60205', description: d.title.slice(0, 100) })
        .catch((e: { status?: number }) => {
          // Created meanwhile by a concurrent run: fine.
          if (e.status !== 422) throw e;
        });
      log(`Created label ${name}`);
    }
    names.push(name);
  }
  await octokit.rest.issues.addLabels({ owner, repo, issue_number: issueNumber, labels: names });
  return names;
}
