/**
 * Output that differs from run to run (a program printing its own CPU time, a timestamp, a random value) is no
 * evidence of a regression. The mechanism: when P1 and P2 output differ, P1 is run once more (src/check.ts); the
 * parts of its output that changed between the two P1 runs are the program's own nondeterminism, and only the rest
 * is compared with P2.
 *
 * Granularity: lines are aligned by position (the two P1 runs must have as many lines; else the stream's shape itself
 * varies and cannot be compared), and inside a line that changed, words (runs of letters and digits) are compared
 * separately from the punctuation between them: on such a line, a word that changed between the P1 runs and every
 * word with a digit in it (a measurement) may be anything in P2; every other word and all punctuation must be the
 * same. So `CPU: user 0.01s system 0.00s` / `CPU: user 0.03s system 0.00s` lets P2 print `CPU: user 0.12s system
 * 0.01s`, but not `panic: index out of range`. When the two P1 runs split a line into different shapes, the whole
 * line is left out.
 */

/** A line split into words and what lies between them: word, separator, word, … (first and last may be ''). */
function tokens(line: string): string[] {
  // Alternating: even indexes are separators, odd ones words (linear: one pass of a simple character class).
  return line.split(/([A-Za-z0-9]+)/);
}

/** What P2 may print on one line: `undefined` parts are free (they changed between the P1 runs). */
type LineTemplate = { free: true } | { parts: (string | undefined)[] };

function templateOf(a: string, b: string): LineTemplate {
  if (a === b) return { parts: [a] };
  const ta = tokens(a);
  const tb = tokens(b);
  if (ta.length !== tb.length) return { free: true };
  const parts: (string | undefined)[] = [];
  for (let i = 0; i < ta.length; i++) {
    // Separators must agree for the shape to be one; a changed separator frees the whole line.
    if (ta[i] !== tb[i] && i % 2 === 0) return { free: true };
    // On a line that varies, every number is free: it is a measurement (`system 0.00s` may well read the same in
    // both P1 runs and not in P2). Other words are free only when they changed.
    parts.push(ta[i] !== tb[i] || (i % 2 === 1 && /[0-9]/.test(ta[i]!)) ? undefined : ta[i]);
  }
  return { parts };
}

/** The line as a reader sees it, what varies shown as `…`: the same text on every run (no churn in a comment). */
function shapeOf(template: LineTemplate): string {
  return 'free' in template ? '…' : template.parts.map((p) => p ?? '…').join('');
}

function fits(template: LineTemplate, line: string): boolean {
  if ('free' in template) return true;
  if (template.parts.length === 1) return template.parts[0] === line;
  const t = tokens(line);
  return t.length === template.parts.length && template.parts.every((p, i) => p === undefined || p === t[i]);
}

export type StreamVerdict =
  /** P1 wrote the same both times: compare as usual. */
  | { kind: 'stable' }
  /** P1 varied; P2 matches P1 everywhere P1 agreed with itself. */
  | { kind: 'masked'; changedLines: number; example: { line: number; shape: string } }
  /** P1 varied; P2 differs where P1 agreed with itself (a real difference), shown on its first such line. */
  | { kind: 'differs'; changedLines: number; line: number; p1: string; p2: string }
  /** P1 varied in its number of lines: the stream cannot be compared line by line. */
  | { kind: 'unalignable'; lines: [number, number] };

/**
 * One stream (stdout or stderr) of the first P1 run, the second P1 run and the P2 run, each complete (never capped:
 * a cut output is not compared this way).
 */
export function compareUnstable(first: string, second: string, p2: string): StreamVerdict {
  if (first === second) return { kind: 'stable' };
  const a = first.split('\n');
  const b = second.split('\n');
  const changed: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) changed.push(i);
  const at = changed[0]!;
  const templates = a.length === b.length ? a.map((line, i) => templateOf(line, b[i]!)) : undefined;
  const example = { line: at + 1, shape: templates ? shapeOf(templates[at]!) : '…' };
  // P2 equal to either P1 run is no difference at all.
  if (p2 === first || p2 === second) return { kind: 'masked', changedLines: changed.length, example };
  if (!templates) return { kind: 'unalignable', lines: [a.length, b.length] };
  const c = p2.split('\n');
  const n = Math.max(a.length, c.length);
  for (let i = 0; i < n; i++) {
    const line = c[i];
    if (i >= a.length || line === undefined || !fits(templates[i]!, line)) {
      return { kind: 'differs', changedLines: changed.length, line: i + 1, p1: a[i] ?? '(no line)', p2: line ?? '(no line)' };
    }
  }
  return { kind: 'masked', changedLines: changed.length, example };
}
