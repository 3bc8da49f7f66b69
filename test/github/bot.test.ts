/**
 * Bot mode (src/github/bot.ts) against the emulator: the real Octokit talking HTTP to a server that validates every
 * request and response against GitHub's OpenAPI description, with `issues` and `issue_comment` payloads built from
 * GitHub's webhook schemas and validated against them. The pasted traps are real transcripts.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  answerEvent,
  BOT_KEY,
  extractBlocks,
  MAX_BLOCKS,
  MAX_BODY_CHARS,
  readParts,
  readRequest,
  type BotEvent,
  type BotOptions,
} from '../../src/github/bot.js';
import { createOctokit, type Octokit } from '../../src/github/client.js';
import { commentMarker } from '../../src/github/sticky-comment.js';
import { GitHubEmulator } from './emulator.js';
import { issueCommentEvent, issuesEvent } from './events.js';
import { checkMarkdown } from '../report-markdown-check.js';
import { v0BombSymbol } from '../hostile/bombs.js';

const TRANSCRIPTS = new URL('../fixtures/transcripts/', import.meta.url);
let goTrap: string;
let debugAdapterTrap: string;

beforeAll(async () => {
  // The seed report's wasmtime 33 transcripts: a Go 1.24 binary after adaptation, with the released and a debug adapter.
  goTrap = await readFile(new URL('wasmtime33-go-default-adapter.txt', TRANSCRIPTS), 'utf8');
  debugAdapterTrap = await readFile(new URL('wasmtime33-go-debug-adapter.txt', TRANSCRIPTS), 'utf8');
});

const ISSUE = 11;
const PR = 12;
let gh: GitHubEmulator;
let octokit: Octokit;
const logs: string[] = [];

beforeEach(async () => {
  gh = await new GitHubEmulator().start();
  gh.addToken('ghs_bot');
  gh.addIssue({ number: ISSUE, title: 'Go program crashes under wasmtime' });
  gh.addPullRequest({ number: PR, headSha: 'a'.repeat(40) });
  logs.length = 0;
  octokit = createOctokit('ghs_bot', { baseUrl: gh.url, log: (m) => logs.push(m) });
});

afterEach(async () => {
  await gh.stop();
  expect(gh.rejected).toEqual([]);
  expect(gh.violations).toEqual([]);
});

const opts = (over: Partial<BotOptions> = {}): BotOptions => ({ onUnknown: 'silent', labels: false, log: (m) => logs.push(m), ...over });

function issueEvent(body: string, action: 'opened' | 'edited' = 'opened', author?: { login: string; type?: 'User' | 'Bot' }): BotEvent {
  return {
    eventName: 'issues',
    repository: gh.fullName,
    payload: issuesEvent(gh.api, { repository: gh.fullName, action, number: ISSUE, body, author }),
  };
}

function commentEvent(o: {
  body: string;
  on?: number;
  id?: number;
  action?: 'created' | 'edited';
  author?: { login: string; type?: 'User' | 'Bot' };
}): BotEvent {
  const on = o.on ?? ISSUE;
  return {
    eventName: 'issue_comment',
    repository: gh.fullName,
    payload: issueCommentEvent(gh.api, {
      repository: gh.fullName,
      action: o.action ?? 'created',
      issueNumber: on,
      isPullRequest: on === PR,
      commentId: o.id ?? 777,
      body: o.body,
      author: o.author,
    }),
  };
}

const fenced = (text: string) => `\`\`\`\n${text.trimEnd()}\n\`\`\``;
const bugReport = (trap: string) =>
  `I built my program with Go 1.24 (GOOS=wasip1), converted it with wasm-tools, and it crashes:\n\n${fenced(trap)}\n\nSee https://example.test/attachment.zip for the binary.`;

describe('bot mode: issues', () => {
  it('answers an issue with a pasted Go 1.24 trap once: diagnosis, evidence, workaround, confidence', async () => {
    const out = await answerEvent(octokit, issueEvent(bugReport(goTrap)), opts());
    expect(out).toMatchObject({ action: 'created', examined: 1, skipped: 0 });
    const [reply, ...more] = gh.commentsOn(ISSUE);
    expect(more).toEqual([]);
    expect(reply!.body.startsWith(commentMarker(BOT_KEY))).toBe(true);
    expect(reply!.body).toContain("The module's heap overwrote the adapter's state (Go &gt;= 1.24 wasip1 runtime)");
    expect(reply!.body).toMatch(/(high|medium) confidence · `go-heap-clobbers-adapter-state` · in block 1/);
    expect(reply!.body).toContain('**Trap:** assertion failed at adapter line 2786 in args\\_sizes\\_get');
    expect(reply!.body).toContain('**What to do** (best first)');
    expect(reply!.body).toContain('1. Build for the component model directly');
    expect(reply!.body).toContain('<details><summary>Why: cause and evidence</summary>');
    expect(reply!.body).toMatch(/\*\*Evidence\*\*\n\n- /);
    // Well-formed Markdown; the only HTML outside our folds is the reply's own hidden markers.
    expect(checkMarkdown(reply!.body).problems.filter((p) => !p.includes('"<!-- wasm-p2-check'))).toEqual([]);
    // The link in the issue was not followed: the only requests went to the API, for comments.
    expect(gh.requests.map((r) => r.operationId)).toEqual(['issues/list-comments', 'issues/create-comment']);
  });

  it('updates the same reply after an edit, never posts a second; an edit that changes nothing writes nothing', async () => {
    await answerEvent(octokit, issueEvent(bugReport(goTrap)), opts());
    const first = gh.commentsOn(ISSUE)[0]!.body;
    // The reporter replaces the trap with the one from their instrumented adapter.
    expect(await answerEvent(octokit, issueEvent(bugReport(debugAdapterTrap), 'edited'), opts())).toMatchObject({ action: 'updated' });
    const replies = gh.commentsOn(ISSUE);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).not.toBe(first);
    expect(replies[0]!.body).toContain('debug-adapter-instrumentation');
    expect(replies[0]!.body).not.toContain('· `go-heap-clobbers-adapter-state` ·');
    const patches = () => gh.requests.filter((r) => r.operationId === 'issues/update-comment').length;
    expect(patches()).toBe(1);
    expect(await answerEvent(octokit, issueEvent(bugReport(debugAdapterTrap), 'edited'), opts())).toMatchObject({ action: 'unchanged' });
    expect(patches()).toBe(1);
    // An edit that removes the trap says so in the same reply.
    expect(await answerEvent(octokit, issueEvent('never mind, it was my fault', 'edited'), opts())).toMatchObject({ action: 'updated' });
    expect(gh.commentsOn(ISSUE)).toHaveLength(1);
    expect(gh.commentsOn(ISSUE)[0]!.body).toContain('**In the issue description**: nothing recognised any more after the edit.');
  });

  it('one reply per issue: a comment with another trap adds a part to it, the issue body keeps its own', async () => {
    await answerEvent(octokit, issueEvent(bugReport(goTrap)), opts());
    await answerEvent(octokit, commentEvent({ body: `Also with the debug adapter:\n${fenced(debugAdapterTrap)}`, id: 501 }), opts());
    const replies = gh.commentsOn(ISSUE).filter((c) => c.body.startsWith(commentMarker(BOT_KEY)));
    expect(replies).toHaveLength(1);
    const parts = readParts(replies[0]!.body);
    expect([...parts.keys()]).toEqual(['issue', 'comment-501']);
    expect(parts.get('issue')).toContain('go-heap-clobbers-adapter-state');
    expect(parts.get('comment-501')).toContain('debug-adapter-instrumentation');
    expect(parts.get('comment-501')).toContain('[this comment](https://github.com/');
    // Editing the description updates its part in place.
    await answerEvent(octokit, issueEvent(`${bugReport(goTrap)}\n\nWith Go 1.24.4.`, 'edited'), opts());
    const after = gh.commentsOn(ISSUE).filter((c) => c.body.startsWith(commentMarker(BOT_KEY)));
    expect(after).toHaveLength(1);
    expect([...readParts(after[0]!.body).keys()]).toEqual(['issue', 'comment-501']);
  });

  it('stays silent on an unrelated issue, and on an unknown trap unless on-unknown is reply', async () => {
    const unrelated = 'The README has a typo in the install section. Also see @octocat and https://example.test/x.';
    expect(await answerEvent(octokit, issueEvent(unrelated), opts({ onUnknown: 'reply' }))).toMatchObject({
      action: 'silent',
      reason: 'no WebAssembly error recognised',
    });
    // An `unreachable` in the program's own code, under no adapter frame: a trap no signature explains.
    const strange = fenced(
      'Error: failed to run main module `x.wasm`\n\nCaused by:\n    0: error while executing at wasm backtrace:\n           0: 0x1234 - <unknown>!my_special_function\n    1: wasm trap: wasm `unreachable` instruction executed',
    );
    expect(await answerEvent(octokit, issueEvent(strange), opts())).toMatchObject({ action: 'silent' });
    expect(gh.commentsOn(ISSUE)).toEqual([]);
    expect(gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await answerEvent(octokit, issueEvent(strange), opts({ onUnknown: 'reply' }))).toMatchObject({ action: 'created' });
    const body = gh.commentsOn(ISSUE)[0]!.body;
    expect(body).toContain('No known signature');
    expect(body).toMatch(/Fingerprint `[0-9a-f]+` · \[propose a signature\]\(https:/);
  });

  it('adds a label per diagnosis, creating it once when missing', async () => {
    const out = await answerEvent(octokit, issueEvent(bugReport(goTrap)), opts({ labels: true }));
    expect(out).toMatchObject({ action: 'created', labels: ['wasm:go-heap-clobbers-adapter-state'] });
    expect(gh.labelsOn(ISSUE)).toEqual(['wasm:go-heap-clobbers-adapter-state']);
    const label = gh.labels.get('wasm:go-heap-clobbers-adapter-state')!;
    expect(label.description).toContain('heap overwrote');
    const ops = () => gh.requests.map((r) => `${r.operationId} ${r.status}`).filter((x) => x.includes('label'));
    expect(ops()).toEqual(['issues/get-label 404', 'issues/create-label 201', 'issues/add-labels 200']);
    // Already there: not created again.
    await answerEvent(octokit, issueEvent(`${bugReport(goTrap)}\n\nstill happens`, 'edited'), opts({ labels: true }));
    expect(ops().filter((x) => x.startsWith('issues/create-label'))).toHaveLength(1);
    expect(gh.labelsOn(ISSUE)).toEqual(['wasm:go-heap-clobbers-adapter-state']);
  });

  it('ignores issues and comments written by bots and by its own token user, and its own replies', async () => {
    expect(
      await answerEvent(octokit, issueEvent(bugReport(goTrap), 'opened', { login: 'renovate[bot]', type: 'Bot' }), opts()),
    ).toMatchObject({ action: 'ignored' });
    expect(
      await answerEvent(octokit, commentEvent({ body: bugReport(goTrap), author: { login: 'github-actions[bot]', type: 'Bot' } }), opts()),
    ).toMatchObject({
      action: 'ignored',
      reason: 'the comment is written by a bot (github-actions[bot])',
    });
    // A personal access token: its user's comments are the bot's own.
    expect(
      await answerEvent(
        octokit,
        commentEvent({ body: bugReport(goTrap), author: { login: 'maintainer-bot-account' } }),
        opts({ self: 'maintainer-bot-account' }),
      ),
    ).toMatchObject({
      action: 'ignored',
    });
    expect(
      await answerEvent(
        octokit,
        commentEvent({ body: `${commentMarker(BOT_KEY)}\n${bugReport(goTrap)}`, author: { login: 'someone' } }),
        opts(),
      ),
    ).toMatchObject({
      action: 'ignored',
      reason: 'the comment is our own reply',
    });
    expect(gh.requests).toEqual([]);
  });

  it('reads at most 1 MiB of a 5 MB body and at most 20 blocks of it', async () => {
    const junk = `${'x'.repeat(120)}\n`.repeat(42_000); // ~5 MB
    const body = `${bugReport(goTrap)}\n\n${Array.from({ length: 40 }, (_, i) => fenced(`log ${i}`)).join('\n')}\n${junk}${fenced(debugAdapterTrap)}`;
    expect(body.length).toBeGreaterThan(5_000_000);
    const req = readRequest(issueEvent(body));
    expect('text' in req && req.text.length).toBe(MAX_BODY_CHARS);
    const out = await answerEvent(octokit, issueEvent(body), opts());
    expect(out).toMatchObject({ action: 'created', examined: MAX_BLOCKS });
    expect(out.action === 'created' && out.skipped).toBeGreaterThan(0);
    const reply = gh.commentsOn(ISSUE)[0]!.body;
    expect(reply).toContain('go-heap-clobbers-adapter-state');
    // The trap after the first MiB was never read.
    expect(reply).not.toContain('debug-adapter-instrumentation');
    expect(reply).toContain('_Only the first 1,048,576 characters were read._');
    expect(reply).toMatch(/_\d+ more blocks were not examined\._/);
    expect(reply.length).toBeLessThanOrEqual(65_536);
  });

  it('caps the reply: at most 10 parts (oldest dropped) and 100 edits, then leaves the issue alone', async () => {
    for (let i = 1; i <= 12; i++) await answerEvent(octokit, commentEvent({ body: fenced(goTrap), id: 600 + i }), opts());
    const replies = gh.commentsOn(ISSUE);
    expect(replies).toHaveLength(1);
    expect([...readParts(replies[0]!.body).keys()]).toEqual(Array.from({ length: 10 }, (_, i) => `comment-${603 + i}`));
    expect(replies[0]!.body.split('\n')[1]).toBe('<!-- wasm-p2-check-meta edits=11 -->');
    // An old reply that was already edited 100 times is not edited again.
    replies[0]!.body = replies[0]!.body.replace('edits=11 -->', 'edits=100 -->');
    const before = replies[0]!.body;
    expect(await answerEvent(octokit, commentEvent({ body: fenced(debugAdapterTrap), id: 700 }), opts())).toMatchObject({
      action: 'silent',
      reason: 'the reply was already edited 100 times',
    });
    expect(gh.commentsOn(ISSUE)[0]!.body).toBe(before);
    expect(gh.commentsOn(ISSUE)).toHaveLength(1);
    // A reply written before the count moved to the meta line keeps its count.
    const [, , ...rest] = before.split('\n');
    replies[0]!.body = [commentMarker(BOT_KEY), '<!-- wasm-p2-check-edits:100 -->', ...rest].join('\n');
    expect(await answerEvent(octokit, commentEvent({ body: fenced(debugAdapterTrap), id: 701 }), opts())).toMatchObject({
      action: 'silent',
      reason: 'the reply was already edited 100 times',
    });
  });

  it('a reply a maintainer deleted is posted again when the update gets a 404', async () => {
    await answerEvent(octokit, issueEvent(bugReport(goTrap)), opts());
    const [first] = gh.commentsOn(ISSUE);
    gh.before('issues/update-comment', () => gh.deleteComment(first!.id));
    const out = await answerEvent(octokit, issueEvent(bugReport(debugAdapterTrap), 'edited'), opts());
    expect(out).toMatchObject({ action: 'recreated' });
    expect(gh.requests.filter((r) => r.operationId === 'issues/update-comment').map((r) => r.status)).toEqual([404]);
    const replies = gh.commentsOn(ISSUE);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.id).not.toBe(first!.id);
    expect(replies[0]!.body).toContain('debug-adapter-instrumentation');
  });

  it('two runs that raced leave two replies: the next event keeps the oldest and deletes the other', async () => {
    // Both runs listed the comments before either posted.
    let arrived = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    for (let i = 0; i < 2; i++) {
      gh.before('issues/create-comment', async () => {
        if (++arrived === 2) release();
        await gate;
      });
    }
    const both = await Promise.all([
      answerEvent(octokit, issueEvent(bugReport(goTrap)), opts()),
      answerEvent(octokit, commentEvent({ body: fenced(debugAdapterTrap), id: 502 }), opts()),
    ]);
    expect(both.map((o) => o.action)).toEqual(['created', 'created']);
    expect(gh.commentsOn(ISSUE)).toHaveLength(2);
    const keep = Math.min(...gh.commentsOn(ISSUE).map((c) => c.id));
    const next = await answerEvent(octokit, commentEvent({ body: fenced(goTrap), id: 503 }), opts());
    expect(next).toMatchObject({ action: 'updated', removed: 1 });
    expect(gh.commentsOn(ISSUE).map((c) => c.id)).toEqual([keep]);
    expect(logs).toContain('Removed 1 duplicate reply(ies) left by runs that raced.');
  });

  it('stops examining blocks when the time for the event is spent', async () => {
    let t = 0;
    const body = Array.from({ length: 5 }, () => fenced(goTrap)).join('\n');
    const out = await answerEvent(octokit, issueEvent(body), opts({ timeBudgetMs: 25_000, now: () => (t += 10_000) }));
    expect(out).toMatchObject({ action: 'created' });
    expect(out.action === 'created' && out.examined).toBeLessThan(5);
  });

  it('a 374-character issue body holding the demangler bomb is answered within the budget (before: Node crashed)', async () => {
    // A 162-character Rust v0 symbol printing 2^30 parts (test/hostile/bombs.ts); the budget is only checked between
    // blocks, so one block must be bounded by itself (demangle.ts).
    const trap = [
      'Error: failed to run main module `app.wasm`',
      'Caused by:',
      '    0: error while executing at wasm backtrace:',
      `           0:   0x1 - app.wasm!${v0BombSymbol(30)}`,
      '    1: wasm trap: wasm `unreachable` instruction executed',
    ].join('\n');
    const body = `It crashes:\n${fenced(trap)}`;
    expect(body.length).toBe(374);
    const started = performance.now();
    const out = await answerEvent(octokit, issueEvent(body), opts({ onUnknown: 'reply' }));
    expect(out).toMatchObject({ action: 'created', examined: 1 });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(gh.commentsOn(ISSUE)).toHaveLength(1);
  });
});

describe('bot mode: the /wasm-p2-check explain command', () => {
  it('explains the comment it is in, on a pull request too; plain PR comments are left alone', async () => {
    expect(await answerEvent(octokit, commentEvent({ on: PR, body: bugReport(goTrap) }), opts())).toMatchObject({ action: 'ignored' });
    expect(gh.commentsOn(PR)).toEqual([]);
    const out = await answerEvent(
      octokit,
      commentEvent({ on: PR, body: `/wasm-p2-check explain\n\n${bugReport(goTrap)}`, id: 902 }),
      opts(),
    );
    expect(out).toMatchObject({ action: 'created' });
    const [reply] = gh.commentsOn(PR);
    expect(reply!.body).toContain('go-heap-clobbers-adapter-state');
    expect(reply!.body).toContain('pull/12#issuecomment-902');
  });

  it('answers on request even when nothing is recognised', async () => {
    const out = await answerEvent(octokit, commentEvent({ body: '/wasm-p2-check explain\nmy program prints the wrong thing' }), opts());
    expect(out).toMatchObject({ action: 'created' });
    expect(gh.commentsOn(ISSUE)[0]!.body).toContain('No WebAssembly error that wasm-p2-check recognises was found in this comment.');
  });
});

describe('bot mode: reading the text', () => {
  it('takes fenced blocks and <details> blocks, the whole text when there are none', () => {
    const text = [
      'intro',
      '<details><summary>full log</summary>',
      '',
      '```',
      'inside details </details> in a fence',
      '```',
      'after',
      '</details>',
      '~~~~',
      'tilde block',
      '```',
      '~~~~',
      '````text',
      'four',
      '````',
      'outro',
    ].join('\n');
    expect(extractBlocks(text)).toEqual([
      'full log\n\n```\ninside details </details> in a fence\n```\nafter\n',
      'tilde block\n```',
      'four',
    ]);
    expect(extractBlocks('just a log line\nanother')).toEqual(['just a log line\nanother']);
    expect(extractBlocks('```\nunclosed to the end\nmore')).toEqual(['unclosed to the end\nmore']);
  });

  it('stays linear on hostile lines (unclosed tags, fences, 1 MiB of them)', () => {
    const hostile = `${'<details <summary '.repeat(60_000)}\n${'```'.repeat(100_000)}`;
    const blocks = extractBlocks(hostile);
    expect(blocks.length).toBeGreaterThan(0);
  });
});
