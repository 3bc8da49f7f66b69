/**
 * Property-based fuzzing (issue 17 item 2) of every algorithm that reads guest-controlled or pasted text: demangling,
 * trap and frame parsing, signature matching, fingerprints, Markdown rendering and the bot's block extraction.
 * Generated inputs are hostile on purpose: grammar tokens of Rust manglings (back-references, binders), mutated
 * demangler bombs, runtime error lines holding them, backtick ladders, fences and `<details>` soup. Properties: no
 * unexpected throw, output bounded by the stated limits, each call bounded in time. The normal test run uses a small
 * budget (test/fuzz/budget.ts); `npm run fuzz` a larger one. A counterexample found becomes a regression test.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { demangle, demangleBudget, MAX_DEMANGLED_CHARS, SIZE_LIMIT_MARKER } from '../../src/diagnose/demangle.js';
import { diagnose } from '../../src/diagnose/engine.js';
import { MAX_QUOTED_CHARS, quoteFromReport, rederiveReport } from '../../src/diagnose/saved-report.js';
import { normalizeFrameName, normalizeMessage, unknownFailure } from '../../src/diagnose/fingerprint.js';
import { loadSignatures, type SignatureDb } from '../../src/diagnose/signatures.js';
import { boundText, MAX_LINE_CHARS, MAX_TEXT_CHARS } from '../../src/diagnose/text-bounds.js';
import { parseTrap } from '../../src/diagnose/trap/parse.js';
import { extractBlocks } from '../../src/github/bot.js';
import { renderExplainFindings } from '../../src/report/explain-markdown.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { escapeInline, fence, inlineMarkdown, sanitizeGuestText, truncateMarkdown } from '../../src/report/markdown-utils.js';
import { v0BombSymbol } from '../hostile/bombs.js';
import { makeReport, makeResult, makeRun } from '../report-factory.js';
import { FUZZ_TIMEOUT_MS, fuzzParams, MAX_CALL_MS } from './budget.js';

/** Runs `f`, failing the property when one call takes longer than MAX_CALL_MS. */
function timed<T>(what: string, f: () => T): T {
  const started = performance.now();
  const out = f();
  const ms = performance.now() - started;
  if (ms > MAX_CALL_MS) throw new Error(`${what} took ${Math.round(ms)} ms (bound ${MAX_CALL_MS} ms)`);
  return out;
}

/* ───────────────────────────── generators ───────────────────────────── */

/** Tokens of the v0 grammar (tags, back-references, integers, identifiers), so random strings reach deep states. */
const V0_TOKENS = [
  ...'CNIMXYBTFGKDLRQPOASWEVpuebcahstlmxyjnoifdzv_0123456789'.split(''),
  'C1a',
  '1f',
  'Nv',
  'Ns',
  'B_',
  'B0_',
  'B1_',
  'B9_',
  'Bz_',
  'G0_',
  'Gzzzzzzzzzz_',
  'u3x_y',
  'Ks',
  'KC',
  'Rp',
  'Kj1_',
  'Ke616263_',
  'Kc41_',
  's_',
  'zzzzzzzzzzzz',
];
const v0Symbol = fc
  .tuple(fc.constantFrom('_R', 'R', '__R'), fc.array(fc.constantFrom(...V0_TOKENS), { maxLength: 120 }))
  .map(([p, t]) => p + t.join(''));

/** A bomb with a few characters changed, inserted or removed: near-misses of the worst case. */
const mutatedBomb = fc
  .tuple(
    fc.integer({ min: 1, max: 48 }),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('', ...V0_TOKENS), fc.nat({ max: 3 })), { maxLength: 4 }),
  )
  .map(([levels, edits]) => {
    let s = v0BombSymbol(levels);
    for (const [at, insert, remove] of edits) {
      const i = 2 + (at % Math.max(1, s.length - 2));
      s = s.slice(0, i) + insert + s.slice(i + remove);
    }
    return s;
  });

const LEGACY_TOKENS = ['3foo', '1a', '$LT$', '$GT$', '$u20$', '$u7b$', '$u', '$', '..', '.', '17h0123456789abcdef', 'E', '9', '99', '_$'];
const legacySymbol = fc
  .tuple(fc.constantFrom('_ZN', 'ZN', '__ZN'), fc.array(fc.constantFrom(...LEGACY_TOKENS), { maxLength: 60 }))
  .map(([p, t]) => p + t.join(''));

const symbol = fc.oneof(v0Symbol, mutatedBomb, legacySymbol, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 80 }));

/** Lines a runtime (or a guest pretending to be one) prints, with symbols and junk in them. */
const trapLine = fc.oneof(
  fc.constant('Error: failed to run main module `app.wasm`'),
  fc.constant('Caused by:'),
  fc.constant('    0: error while executing at wasm backtrace:'),
  fc.constant('wasm backtrace:'),
  fc.constant('    1: wasm trap: wasm `unreachable` instruction executed'),
  fc.constant('RuntimeError: unreachable'),
  // An error line that is also a stack line (parseV8 once re-read the rest of the stack for each).
  fc.constant('    at Error: x'),
  fc.constant('    at RuntimeError: unreachable'),
  fc.constant('assertion failed at adapter line 2786'),
  fc.constant('       note: using the `WASMTIME_BACKTRACE_DETAILS=1` environment variable'),
  fc.constant('    ...'),
  fc.tuple(fc.nat({ max: 40 }), symbol).map(([n, s]) => `           ${n}: 0x1a2b - app.wasm!${s}`),
  fc.tuple(fc.nat({ max: 40 }), symbol).map(([n, s]) => `    ${n}: ${s}`),
  symbol.map((s) => `    at ${s} (wasm://wasm/0123abcd:wasm-function[7]:0x1f)`),
  symbol.map((s) => `    at ${s} (file:///tmp/wasm-p2-check-abc123/x.js:1:2)`),
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
);
const trapText = fc.array(trapLine, { maxLength: 40 }).map((l) => l.join('\n'));

/** Markdown soup: backtick ladders, fences, tags, mentions, links, escapes. */
const MD_TOKENS = [
  '`',
  '``',
  '```',
  '````',
  '~~~',
  '\n',
  ' ',
  'x',
  '<details>',
  '</details>',
  '<summary>',
  '|',
  '@a',
  '#1',
  '[',
  ']',
  '(',
  ')',
  'http://e.test/',
  '\\',
  '*',
  '_',
  '\u202e',
  '\x1b[31m',
  '\r',
];
const markdownText = fc.oneof(
  fc.array(fc.constantFrom(...MD_TOKENS), { maxLength: 300 }).map((t) => t.join('')),
  fc.string({ maxLength: 300 }),
  fc.integer({ min: 1, max: 400 }).map((k) => Array.from({ length: k }, (_, i) => `${'`'.repeat(i + 1)}x`).join('')),
);

/* ───────────────────────────── properties ───────────────────────────── */

describe('fuzz: demangling', () => {
  it(
    'never throws; bounded output; bounded time',
    () => {
      fc.assert(
        fc.property(symbol, fc.boolean(), (s, verbose) => {
          const out = timed(`demangle(${JSON.stringify(s.slice(0, 80))})`, () => demangle(s, { verbose }));
          expect(typeof out).toBe('string');
          // Each name: its own text plus MAX_DEMANGLED_CHARS, and the one marker a cut or an error appends.
          expect(out.length).toBeLessThanOrEqual(s.length + MAX_DEMANGLED_CHARS + '{recursion limit reached}'.length);
        }),
        fuzzParams(400),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a shared budget bounds many names together',
    () => {
      fc.assert(
        fc.property(fc.array(fc.oneof(mutatedBomb, v0Symbol), { minLength: 1, maxLength: 60 }), (names) => {
          const budget = demangleBudget(2);
          const start = budget.chars;
          const total = timed('demangle × names', () => names.reduce((n, s) => n + demangle(s, { budget }).length, 0));
          const own = names.reduce((n, s) => n + s.length + SIZE_LIMIT_MARKER.length + 25, 0);
          expect(total).toBeLessThanOrEqual(start + own);
        }),
        fuzzParams(60),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

let db: SignatureDb;
beforeAll(async () => {
  db = await loadSignatures();
});

describe('fuzz: trap parsing, signature matching, fingerprints', () => {
  it(
    'parseTrap → diagnose → unknownFailure: never throw; names and links bounded; bounded time',
    () => {
      fc.assert(
        fc.property(trapText, (text) => {
          const trap = timed('parseTrap', () => parseTrap(text));
          if (trap) {
            const names = trap.frames.reduce((n, f) => n + f.name.length, 0);
            expect(names).toBeLessThanOrEqual(text.length + demangleBudget().chars + trap.frames.length * 32);
          }
          const result = timed('diagnose', () => diagnose({ trap, text: boundText(text) }, db));
          for (const d of result.diagnoses) for (const e of d.evidence) expect(e.length).toBeLessThan(MAX_TEXT_CHARS);
          const message = trap?.message ?? text;
          const unknown = timed('unknownFailure', () => unknownFailure({ message, trap, evidence: [text.slice(0, 500)] }));
          expect(unknown.fingerprint).toMatch(/^[0-9a-f]{16}$/);
          expect(unknown.proposeUrl.length).toBeLessThan(64 * 1024);
          expect(normalizeMessage(message).length).toBeLessThanOrEqual(message.length + 1);
          for (const f of trap?.frames ?? []) expect(typeof normalizeFrameName(f.name)).toBe('string');
        }),
        fuzzParams(150),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'boundText keeps every line and the whole within its bounds',
    () => {
      fc.assert(
        fc.property(fc.array(fc.nat({ max: 3 * MAX_LINE_CHARS }), { maxLength: 8 }), fc.string({ maxLength: 3 }), (lengths, unit) => {
          const text = lengths.map((n) => (unit || 'x').repeat(Math.ceil(n / Math.max(1, unit.length)))).join('\n');
          const b = timed('boundText', () => boundText(text));
          expect(b.length).toBeLessThanOrEqual(MAX_TEXT_CHARS + 200);
          for (const line of b.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_LINE_CHARS + 64);
        }),
        fuzzParams(40),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('fuzz: Markdown rendering', () => {
  it(
    'escaping, code spans, fences and cuts: never throw; bounded output; bounded time',
    () => {
      fc.assert(
        fc.property(markdownText, fc.integer({ min: 200, max: 4000 }), (text, max) => {
          // Each character becomes at most an entity (`&amp;`) or an escape plus a zero-width space.
          expect(timed('escapeInline', () => escapeInline(text)).length).toBeLessThanOrEqual(6 * text.length);
          expect(timed('inlineMarkdown', () => inlineMarkdown(text, true)).length).toBeLessThanOrEqual(6 * text.length);
          expect(timed('sanitizeGuestText', () => sanitizeGuestText(text, max)).length).toBeLessThanOrEqual(max);
          const fenced = timed('fence', () => fence(text));
          expect(fenced.length).toBeLessThanOrEqual(2 * text.length + 16);
          const cut = timed('truncateMarkdown', () => truncateMarkdown(`${text}\n${text}`, max));
          expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(Math.max(max, 200));
        }),
        fuzzParams(300),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a report full of hostile text renders within GitHub’s limit',
    () => {
      fc.assert(
        fc.property(trapText, markdownText, markdownText, (stderr, path, message) => {
          const trap = parseTrap(stderr);
          const result = makeResult(path || 'x.wasm', 'REGRESSION', {
            p2: makeRun('p2', { exitCode: 1, stderr: { text: stderr, bytes: stderr.length, truncated: false }, ...(trap ? { trap } : {}) }),
            notes: [{ code: 'fuzz', message }],
          });
          const md = timed('renderMarkdown', () => renderMarkdown(makeReport([result])));
          expect(Buffer.byteLength(md)).toBeLessThanOrEqual(65_000);
        }),
        fuzzParams(60),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('fuzz: the bot reading an issue', () => {
  it(
    'extractBlocks then explain’s reply: never throw; blocks within the text; bounded time',
    () => {
      fc.assert(
        fc.property(fc.array(fc.oneof(markdownText, trapText), { maxLength: 6 }), (parts) => {
          const body = parts.join('\n');
          const blocks = timed('extractBlocks', () => extractBlocks(body));
          expect(blocks.length).toBeGreaterThan(0);
          expect(blocks.reduce((n, b) => n + b.length, 0)).toBeLessThanOrEqual(body.length);
          const findings = blocks.slice(0, 3).map((block, i) => {
            const trap = timed('parseTrap', () => parseTrap(block));
            const { diagnoses, unknown } = timed('diagnose', () => diagnose({ trap, text: boundText(block) }, db));
            return { block: i + 1, result: { schemaVersion: 1, diagnoses, ...(trap ? { trap } : {}), ...(unknown ? { unknown } : {}) } };
          });
          const md = timed('renderExplainFindings', () => renderExplainFindings(findings, true));
          expect(md.length).toBeLessThan(3 * 64 * 1024);
        }),
        fuzzParams(80),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('fuzz: a saved report is data', () => {
  const url = fc.constantFrom('https://evil.example/x', 'http://a.b', 'www.evil.example', 'ftp://x.y', 'fix@evil.example', 'HTTPS://E.X');
  const forged = fc.array(fc.oneof(markdownText, url), { maxLength: 8 }).map((t) => t.join(' '));

  it(
    'quoted text is bounded and holds no auto-link; a forged diagnosis is never rendered unquoted',
    () => {
      fc.assert(
        fc.property(forged, forged, trapText, (title, cause, stderr) => {
          const q = quoteFromReport(cause);
          // At most MAX_QUOTED_CHARS of the text, each character at most doubled by a zero-width space.
          expect(q.length).toBeLessThanOrEqual(2 * MAX_QUOTED_CHARS + 3);
          expect(q).not.toMatch(/:\/\/|\bwww\.|@[^\u200b]/i);
          const result = makeResult('x.wasm', 'REGRESSION', {
            p2: makeRun('p2', { exitCode: 1, stderr: { text: stderr, bytes: stderr.length, truncated: false } }),
            diagnoses: [
              {
                signatureId: 'forged',
                title,
                confidence: 'high',
                score: 1e9,
                cause,
                evidence: [cause],
                workarounds: [{ text: cause, safe: true }],
                links: [{ title, url: cause }],
              },
            ],
          });
          const report = timed('rederiveReport', () => rederiveReport(makeReport([result]), db));
          const forgedOne = report.results[0]!.diagnoses.find((d) => d.signatureId === 'forged')!;
          expect(forgedOne.title.startsWith('The saved report says: “')).toBe(true);
          expect(forgedOne.links).toEqual([]);
          expect(forgedOne.workarounds.every((w) => !w.safe)).toBe(true);
          const md = renderMarkdown(report);
          expect(md.replace(/(`+)[^`]*?\1/g, '')).not.toMatch(/https?:\/\/(?:evil|a\.b|e\.x)/i);
        }),
        fuzzParams(60),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
