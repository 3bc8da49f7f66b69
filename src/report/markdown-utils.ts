/**
 * Pure helpers for Markdown that must stay safe when it carries untrusted text (guest output, file
 * names, trap messages): nothing may leave its fence, inject HTML or links, ping users or break a table.
 */

/** GitHub's cap on a comment body and a check-run summary, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Our default budget, in UTF-8 bytes (bytes ≥ characters, so it is also under the character cap). */
export const DEFAULT_MAX_BYTES = 65_000;

/**
 * A fenced code block whose fence is longer than any backtick run in `text`, so the text cannot close it.
 * @param text Content, used verbatim (sanitize guest text first).
 * @param lang Info string; only `[A-Za-z0-9_+-]` are kept.
 */
export function fence(text: string, lang = ''): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const f = '`'.repeat(Math.max(3, longest + 1));
  const body = text.replace(/\r\n?/g, '\n');
  return `${f}${lang.replace(/[^A-Za-z0-9_+-]/g, '')}\n${body}${body.endsWith('\n') || body === '' ? '' : '\n'}${f}`;
}

// CSI (ESC [ … final), OSC (ESC ] … BEL or ST), DCS/SOS/PM/APC strings, and two-byte ESC sequences.
const ANSI =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?|\x9b[0-?]*[ -/]*[@-~]/g;
// C0 (but \t and \n), DEL, C1, and bidi overrides/isolates that can make text read differently than it is.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** Number formatting that does not depend on the machine's locale. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Makes guest text printable: strips ANSI escape sequences and control characters (keeps `\n` and `\t`;
 * CRLF and lone CR become `\n`), then caps it at `maxChars`, keeping the head and the tail around a marker.
 */
export function sanitizeGuestText(text: string, maxChars: number): string {
  const clean = text.replace(ANSI, '').replace(/\r\n?/g, '\n').replace(CONTROL, '');
  if (clean.length <= maxChars) return clean;
  const marker = (omitted: number): string => `\n… [${formatCount(omitted)} characters omitted] …\n`;
  // Reserve room for the longest marker this text can need, so the result never exceeds maxChars.
  const budget = Math.max(0, maxChars - marker(clean.length).length);
  // The end of the output (the error, the last lines) usually matters more than the start.
  const headLen = Math.floor(budget * 0.4);
  let head = clean.slice(0, headLen);
  let tail = clean.slice(clean.length - (budget - headLen));
  // Never leave half a surrogate pair at either cut.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  if (/^[\udc00-\udfff]/.test(tail)) tail = tail.slice(1);
  return `${head}${marker(clean.length - head.length - tail.length)}${tail}`;
}

/**
 * Escapes text for use outside fences, including table cells: no HTML (`&`, `<`, `>`), no Markdown
 * syntax (links and images need `[`/`]`; emphasis, code, block starts), `|` escaped, newlines folded to spaces,
 * `@mentions` and `#123` references neutralised with a zero-width space.
 */
export function escapeInline(text: string): string {
  return (
    noPings(plainLine(text).replace(/[\\`*_[\]|~]/g, '\\$&'))
      // Block syntax at the start of a paragraph: list items, headings, setext underlines.
      .replace(/^(\s*)([-+=#]|\d+[.)])/, (_m, sp: string, s: string) => `${sp}${s.replace(/[-+=#.)]/, '\\$&')}`)
  );
}

/** One line, no escape sequences or control characters, `&`, `<`, `>` as entities. */
function plainLine(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(/\r\n?|\n/g, ' ')
    .replace(CONTROL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A zero-width space after `@` of a would-be mention and after `#` of an issue reference. */
function noPings(text: string): string {
  return text.replace(/(^|[^A-Za-z0-9_.\-/])@(?=[A-Za-z0-9])/g, '$1@\u200b').replace(/#(?=\d)/g, '#\u200b');
}

/**
 * Renders text that may use inline code spans (signature texts, evidence lines): code spans are kept
 * (their content is inert in Markdown), everything else goes through `escapeInline`.
 * @param inTable Also escape `|` inside code spans (GFM table cells need it).
 */
export function inlineMarkdown(text: string, inTable = false): string {
  const src = text.replace(/\r\n?|\n/g, ' ');
  // Backtick runs, and for each the next run of the same length: a span opens at a run and closes at the next run
  // of exactly its length (CommonMark); a run with none stays literal. Linear: no rescan per unmatched run.
  const starts: number[] = [];
  const lengths: number[] = [];
  for (let i = src.indexOf('`'); i >= 0; i = src.indexOf('`', i)) {
    let n = 0;
    while (src[i + n] === '`') n++;
    starts.push(i);
    lengths.push(n);
    i += n;
  }
  const nextSame = new Array<number>(starts.length).fill(-1);
  const seen = new Map<number, number>();
  for (let k = starts.length - 1; k >= 0; k--) {
    nextSame[k] = seen.get(lengths[k]!) ?? -1;
    seen.set(lengths[k]!, k);
  }
  let out = '';
  let textStart = 0;
  for (let k = 0; k < starts.length; k++) {
    const close = nextSame[k]!;
    if (close < 0) continue; // unmatched: stays literal text, escaped below
    const n = lengths[k]!;
    out += escapeInline(src.slice(textStart, starts[k]));
    let code = src
      .slice(starts[k], starts[close]! + n)
      .replace(ANSI, '')
      .replace(CONTROL, '');
    if (inTable) code = code.replace(/\|/g, '\\|');
    out += code;
    textStart = starts[close]! + n;
    k = close;
  }
  return out + escapeInline(src.slice(textStart));
}

/** A Markdown link when `url` is http(s), else the escaped title alone. */
export function link(title: string, url: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return escapeInline(title);
  const safeUrl = url.replace(/[()<>"'`\\[\]|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${escapeInline(title)}](${safeUrl})`;
}

/** A GFM table; cells must already be escaped. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Escapes text for raw HTML context (a `<details>` line is an HTML block: Markdown escapes would show
 * literally there): entities for `&<>"'`, one line, no control characters, `@mentions` neutralised.
 */
export function escapeHtml(text: string): string {
  return noPings(plainLine(text).replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
}

/** A `<details>` block around Markdown content (summary HTML-escaped). */
export function details(summary: string, body: string): string {
  return `<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

interface OpenState {
  /** The open fence marker (e.g. '````'), if inside a fenced block. */
  fence?: string;
  details: number;
}

function closers(state: OpenState): string {
  let s = '';
  if (state.fence) s += `\n${state.fence}`;
  for (let i = 0; i < state.details; i++) s += '\n\n</details>';
  return s;
}

function step(state: OpenState, line: string): void {
  if (state.fence) {
    const m = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
    if (m && m[1]![0] === state.fence[0] && m[1]!.length >= state.fence.length) state.fence = undefined;
    return;
  }
  const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
  if (open) {
    state.fence = open[1]!;
    return;
  }
  state.details += (line.match(/<details>/g) ?? []).length;
  state.details = Math.max(0, state.details - (line.match(/<\/details>/g) ?? []).length);
}

/** The bold line appended to a cut report. */
export function truncationNotice(
  detailsUrl?: string,
  where = detailsUrl ? link('the job summary', detailsUrl) : 'the job summary and the JSON report artifact',
): string {
  return `**⚠️ This report was cut to fit GitHub's size limit: see ${where} for the full report.**`;
}

/**
 * Cuts Markdown to at most `maxBytes` UTF-8 bytes at a line boundary, closes an open fence and any open
 * `<details>`, and appends a bold pointer line. Returns `md` unchanged when it fits.
 * @param pointer URL of the full report (job summary), if known.
 * @param where Names the full report instead (the job summary itself points to the JSON report).
 */
export function truncateMarkdown(md: string, maxBytes: number, pointer?: string, where?: string): string {
  if (Buffer.byteLength(md) <= maxBytes) return md;
  const notice = `\n\n${truncationNotice(pointer, where)}\n`;
  const noticeBytes = Buffer.byteLength(notice);
  const lines = md.split('\n');
  const state: OpenState = { details: 0 };
  let kept: string[] = [];
  let keptState: OpenState = { details: 0 };
  let bytes = 0;
  for (const line of lines) {
    const next: OpenState = { ...state };
    step(next, line);
    const lineBytes = Buffer.byteLength(line) + 1;
    if (bytes + lineBytes + Buffer.byteLength(closers(next)) + noticeBytes > maxBytes) break;
    kept.push(line);
    bytes += lineBytes;
    Object.assign(state, next);
    keptState = { ...next };
  }
  // Drop a dangling table header or heading at the cut.
  while (kept.length && /^(#{1,6} |\| ---)/.test(kept[kept.length - 1]!) && !keptState.fence) {
    kept = kept.slice(0, -1);
    keptState = { details: 0 };
    for (const l of kept) step(keptState, l);
  }
  return `${kept.join('\n').replace(/(?<!\n)\n+$/, '')}${closers(keptState)}${notice}`;
}

// The checker's own scratch folders (`<tmp>/wasm-p2-check-XXXXXX/…` from mkdtemp, `<tmp>/wasm-p2-check-<uuid>/…`
// and `<tmp>/wasm-p2-check-<pid>.<start>-<uuid>/…` (runtime/stale.ts) since check() names its own; as `file://` URLs
// in V8 stacks too) and the install path of its host scripts: noise that differs on every run and says nothing about
// the artifact.
const SCRATCH_PATH = /(?:file:\/\/)?\/[^\s()'"`]*?\/wasm-p2-check-(?:\d{1,10}\.\d{1,20}-)?[A-Za-z0-9-]{6,36}\/(?:[^\s()'"`/]+\/)*/g;
const HOST_SCRIPT = /(?:file:\/\/)?\/[^\s()'"`]*\/(embedded-p[12]-host\.js)/g;

/**
 * Removes the checker's scratch paths from already capped text (`/tmp/wasm-p2-check-Ab12Cd/runs/x/component.js:8:2`
 * → `component.js:8:2`). Apply after `sanitizeGuestText`: the text must be bounded (the patterns backtrack per path).
 */
export function stripScratchPaths(text: string): string {
  return text.replace(SCRATCH_PATH, '').replace(HOST_SCRIPT, '$1');
}
