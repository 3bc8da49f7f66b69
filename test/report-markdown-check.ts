/**
 * An independent structural checker for the Markdown we emit (CommonMark/GFM rules, simplified):
 * used by the report tests to prove untrusted text stays contained.
 */

export interface MarkdownProblems {
  problems: string[];
  /** Text of every fenced block, for "this landed inside a fence" assertions. */
  fencedText: string;
  /** Everything outside fences. */
  outsideText: string;
}

const ALLOWED_TAGS = /^<\/?(details|summary|sub)>/;

/** Removes CommonMark code spans (a run of N backticks up to the next run of exactly N). */
function withoutCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const run = /^`+/.exec(line.slice(i));
    if (!run) {
      out += line[i++];
      continue;
    }
    const n = run[0].length;
    const rest = line.slice(i + n);
    const close = new RegExp(`(?<!\`)\`{${n}}(?!\`)`).exec(rest);
    if (!close) {
      out += run[0];
      i += n;
      continue;
    }
    out += ' ';
    i += n + close.index + n;
  }
  return out;
}

export function checkMarkdown(md: string): MarkdownProblems {
  const problems: string[] = [];
  let fence: string | undefined;
  let details = 0;
  let tableColumns: number | undefined;
  const fenced: string[] = [];
  const outside: string[] = [];
  md.split('\n').forEach((line, i) => {
    const where = `line ${i + 1}`;
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) fence = undefined;
      else fenced.push(line);
      return;
    }
    const open = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) {
      fence = open[1]!;
      return;
    }
    outside.push(line);
    // Code spans are inert (no HTML, no mentions, no links), except that an HTML block starts at the line start.
    const noCode = line.startsWith('<') ? line : withoutCodeSpans(line);
    // HTML: only our own tags.
    for (const m of noCode.matchAll(/<[^\s]/g)) {
      if (!ALLOWED_TAGS.test(noCode.slice(m.index)))
        problems.push(`${where}: raw HTML ${JSON.stringify(noCode.slice(m.index, m.index + 30))}`);
    }
    details += (noCode.match(/<details>/g) ?? []).length;
    details -= (noCode.match(/<\/details>/g) ?? []).length;
    if (details < 0) problems.push(`${where}: </details> without <details>`);
    // Mentions: @ + letter/digit after a non-word character.
    for (const m of noCode.matchAll(/(^|[^A-Za-z0-9_.\-/\\])@(?=[A-Za-z0-9])/g)) problems.push(`${where}: @mention at ${m.index}`);
    // Links: only http(s) targets.
    for (const m of noCode.matchAll(/(?<!\\)\]\(([^)]*)\)/g)) {
      if (!/^https?:\/\//.test(m[1]!)) problems.push(`${where}: link to ${m[1]}`);
    }
    // Tables: every row has as many unescaped pipes as the header.
    if (line.startsWith('|')) {
      const pipes = (line.match(/(?<!\\)\|/g) ?? []).length;
      if (tableColumns === undefined) tableColumns = pipes;
      else if (pipes !== tableColumns) problems.push(`${where}: table row has ${pipes} pipes, header has ${tableColumns}`);
    } else tableColumns = undefined;
    // Control characters and escape sequences never reach the page.
    if (/[\x00-\x08\x0b-\x1f\x7f]/.test(line)) problems.push(`${where}: control character`);
  });
  if (fence) problems.push(`unclosed fence ${fence}`);
  if (details !== 0) problems.push(`${details} unclosed <details>`);
  if (fenced.some((l) => /[\x00-\x08\x0b-\x1f\x7f]/.test(l))) problems.push('control character inside a fence');
  return { problems, fencedText: fenced.join('\n'), outsideText: outside.join('\n') };
}
