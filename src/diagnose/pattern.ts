/**
 * Signature regexes on untrusted text (guest output, logs, conversion errors, names from artifacts).
 *
 * They run on RE2 (re2js, pure JS): matching time is linear in the input whatever the pattern says, so a
 * signature — built-in or a user's `--signatures` — cannot make the checker backtrack for minutes on one long
 * line. RE2 has no lookaround and no backreferences; a signature says "not this" with `unless` instead.
 * re2js is slower than V8's engine per byte, so a pattern is only run on a text that contains the literal text any
 * match must contain (a case-insensitive `includes`, linear too), and every text is bounded (`boundText`).
 */
import { RE2JS } from 're2js';

/** A compiled signature regex: RE2, case-insensitive, multi-line (`^`/`$` at line ends). */
export interface Pattern {
  source: string;
  /** Lower-cased literal text every match contains; '' when none is known. */
  literal: string;
  re: RE2JS;
}

/** One match: where it starts in the text, what it matched, and its named groups that took part. */
export interface PatternMatch {
  index: number;
  text: string;
  input: string;
  groups: Record<string, string>;
}

const cache = new Map<string, Pattern>();

/**
 * Compile `source` as a signature regex.
 * @throws Error with RE2's message when the pattern is not valid RE2 syntax (lookaround, backreferences…).
 */
export function compilePattern(source: string): Pattern {
  let p = cache.get(source);
  if (!p) {
    const re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE | RE2JS.MULTILINE);
    p = { source, re, literal: requiredLiteral(source).toLowerCase() };
    cache.set(source, p);
  }
  return p;
}

/** Why `source` is not a usable signature regex, or undefined when it is. */
export function patternProblem(source: string): string | undefined {
  try {
    compilePattern(source);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Named groups a pattern declares (`(?<name>…)` / `(?P<name>…)`). */
export function namedGroups(source: string): string[] {
  return Object.keys(compilePattern(source).re.namedGroups());
}

const QUANTIFIER_START = new Set(['*', '?', '{']);
const SPECIAL = new Set(['.', '^', '$', '|', '(', ')', '[', ']', '{', '}', '*', '+', '?', '\\']);

/**
 * The longest run of plain characters at the top level of the pattern (outside groups, classes and alternations),
 * none of them made optional by a quantifier: text without it cannot match. Conservative: any doubt ends the run,
 * and a top-level `|` means no literal at all.
 */
export function requiredLiteral(source: string): string {
  let best = '';
  let run = '';
  let depth = 0;
  const flush = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      i++;
      if (/[!-/:-@[-`{-~]/.test(n)) {
        // An escaped punctuation character is itself (unless a quantifier makes it optional).
        if (depth === 0 && !QUANTIFIER_START.has(source[i + 1] ?? '') && source[i + 1] !== '+') run += n;
        else flush();
      } else if (/[dDsSwWbBAznrtfv]/.test(n)) flush();
      // \p{…}, \x{…}, \Q…\E, octal digits…: their bodies are not plain characters; claim no literal at all.
      else return '';
      continue;
    }
    if (c === '[') {
      flush();
      // Skip the class: `]` first in the class is literal; escapes inside are skipped.
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      for (; j < source.length && source[j] !== ']'; j++) if (source[j] === '\\') j++;
      i = j;
      continue;
    }
    if (c === '(') {
      flush();
      depth++;
      continue;
    }
    if (c === ')') {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (c === '|') {
      if (depth === 0) return '';
      continue;
    }
    if (depth > 0) continue;
    if (QUANTIFIER_START.has(c) || c === '+') {
      // The character before a quantifier may be absent (or repeated): drop it from the run.
      run = run.slice(0, -1);
      flush();
      if (c === '{') {
        const close = source.indexOf('}', i);
        if (close > i) i = close;
      }
      continue;
    }
    // Non-ASCII characters fold in ways toLowerCase() does not mirror (σ/ς): not part of a literal.
    if (SPECIAL.has(c) || c > '~') {
      flush();
      continue;
    }
    if (QUANTIFIER_START.has(source[i + 1] ?? '') || source[i + 1] === '+') {
      flush();
      continue;
    }
    run += c;
  }
  flush();
  return best;
}

/** Lower-cased texts for the literal prefilter: the engine runs every pattern over the same few texts. */
const lowered = new Map<string, string>();
function lowerOf(text: string): string {
  let l = lowered.get(text);
  if (l === undefined) {
    // RE2's case folding also maps U+017F (long s) to s; toLowerCase() does the rest (Kelvin sign → k…).
    l = text.toLowerCase().replace(/\u017f/g, 's');
    if (lowered.size >= 16) lowered.clear();
    lowered.set(text, l);
  }
  return l;
}

/** Most matches looked at for one pattern in one text (each RE2 search is linear; `unless` may skip some). */
const MAX_MATCHES = 1000;

/**
 * The first match of `pattern` in `text` whose named groups match none of their `unless` regexes.
 */
export function findMatch(source: string, text: string, unless?: Readonly<Record<string, string>>): PatternMatch | undefined {
  const p = compilePattern(source);
  if (p.literal !== '' && !lowerOf(text).includes(p.literal)) return undefined;
  const m = p.re.matcher(text);
  for (let n = 0; n < MAX_MATCHES && m.find(); n++) {
    const groups: Record<string, string> = {};
    for (const name of Object.keys(p.re.namedGroups())) {
      const v = m.group(name);
      if (v !== null && v !== undefined) groups[name] = v;
    }
    const skipped = unless && Object.entries(unless).some(([g, r]) => groups[g] !== undefined && testPattern(r, groups[g]!));
    if (!skipped) return { index: m.start(), text: m.group() ?? '', input: text, groups };
  }
  return undefined;
}

/** Whether `pattern` matches anywhere in `text` (short texts: names, frames, adapter checks). */
export function testPattern(source: string, text: string): boolean {
  const p = compilePattern(source);
  if (p.literal !== '' && !lowerOf(text).includes(p.literal)) return false;
  return p.re.matcher(text).find();
}
