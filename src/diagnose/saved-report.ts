/**
 * A saved report is data (issue 17 item 6). `post-from-report` and `merge` read reports another job wrote — a job that
 * ran pull-request code, which can write anything into its report. What the comment, the check run and the job summary
 * then say in wasm-p2-check's own voice (causes, fixes, links, predictions, the "propose a signature" link) must be
 * this build's words, so it is derived again here from the result's facts (artifact facts, runs, conversion) with this
 * build's signature database, exactly as check() derives it after running. Traps are parsed again from the runs'
 * output too.
 *
 * What the report says that cannot be derived again (a diagnosis by a signature this database does not have, or
 * whose conditions the facts do not meet; the report's warnings) is kept, but as a quotation: marked as the saved
 * report's words, never offered as a safe fix, its links not links (GitHub auto-links bare URLs and e-mail addresses:
 * a zero-width space breaks each).
 */
import type { ArtifactResult, Diagnosis, Note, Report, RunResult } from '../model.js';
import { confirmPredictions, diagnose, predict } from './engine.js';
import type { SignatureDb } from './signatures.js';
import { withTrap } from './trap/of-run.js';

/** Longest quotation kept from a saved report's text (each field; a report may hold megabytes of it). */
export const MAX_QUOTED_CHARS = 2000;

/** Zero-width space: breaks an auto-link without changing what the text reads as. */
const ZWSP = '\u200b';

/** `text` with every would-be auto-link (`http://`, `https://`, `www.`, `ftp://`, `x@y.z`) broken by a zero-width space. */
export function breakAutolinks(text: string): string {
  return text
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWSP}.`)
    .replace(/@/g, `@${ZWSP}`);
}

/** `text` as a quotation from a saved report: one line, at most MAX_QUOTED_CHARS, auto-links broken, between quotes. */
export function quoteFromReport(text: string): string {
  let t = text.replace(/\s+/g, ' ').trim();
  if (t.length > MAX_QUOTED_CHARS) t = `${t.slice(0, MAX_QUOTED_CHARS)}…`;
  return `“${breakAutolinks(t)}”`;
}

const SAYS = 'The saved report says: ';

const NOT_CHECKED = 'the saved report’s words, not checked by this wasm-p2-check';

const WHY_NOT_MET = 'its conditions do not hold for this result’s facts in this wasm-p2-check’s signature database';
const WHY_UNKNOWN = 'this wasm-p2-check’s signature database has no such signature';
const WHY_NO_TIME = 'the time for deriving the saved report’s diagnoses again ran out before this result';

/** A diagnosis the saved report carries but this build does not derive (`why`): every text of it quoted and marked. */
export function quotedDiagnosis(d: Diagnosis, why: string): Diagnosis {
  return {
    signatureId: d.signatureId,
    title: `${SAYS}${quoteFromReport(d.title)}`,
    // Last among the diagnoses, never presented with more confidence than a guess.
    confidence: 'low',
    score: 0,
    cause: `Not confirmed: ${why}. The saved report says: ${quoteFromReport(d.cause)}`,
    evidence: [
      ...d.evidence.map((e) => `The saved report says: ${quoteFromReport(e)}`),
      ...d.links.map((l) => `The saved report links ${quoteFromReport(l.title)} to ${quoteFromReport(l.url)}`),
    ],
    workarounds: d.workarounds.map((w) => ({ text: quoteFromReport(w.text), safe: false, why: NOT_CHECKED })),
    links: [],
  };
}

/**
 * What a compared saved report says a result was on its baseline (a merged job's classes, kept by `merge`): the
 * report's words, quoted — once (a cause its own job already quoted from its baseline keeps that mark, links broken).
 */
function quotedChange(change: ArtifactResult['change']): ArtifactResult['change'] {
  const cause = change?.base?.cause;
  if (!change?.base || cause === undefined) return change;
  const said = cause.startsWith(SAYS)
    ? breakAutolinks(cause.slice(0, MAX_QUOTED_CHARS + SAYS.length + 3))
    : `${SAYS}${quoteFromReport(cause)}`;
  return { ...change, base: { ...change.base, cause: said } };
}

/** A run with its trap parsed again from its output (a saved trap is the report's word too). */
function reparsed(run: RunResult | undefined): RunResult | undefined {
  if (!run) return undefined;
  const { trap: _saved, ...bare } = run;
  return withTrap(bare);
}

/**
 * Notes are the checker's words about the runs (hosts differ, output varies…), not derived again here: kept, but
 * nothing in them links anywhere.
 */
function linklessNotes(r: ArtifactResult): ArtifactResult['notes'] {
  return r.notes.map((n) => ({ ...n, message: breakAutolinks(n.message) }));
}

/** One saved result with its diagnosis derived again by this build (see the module comment). */
export function rederiveResult(r: ArtifactResult, db: SignatureDb): ArtifactResult {
  const p1 = reparsed(r.p1);
  const p2 = reparsed(r.p2);
  const { diagnoses, unknown, corroborated } = diagnose({ artifact: r.artifact, verdict: r.verdict, p1, p2, conversion: r.conversion }, db);
  const derived = new Set(diagnoses.map((d) => d.signatureId));
  const ids = new Set(db.signatures.map((s) => s.id));
  const quoted = r.diagnoses
    .filter((d) => !derived.has(d.signatureId))
    .map((d) => quotedDiagnosis(d, ids.has(d.signatureId) ? WHY_NOT_MET : WHY_UNKNOWN));
  const { unknown: _savedUnknown, p1: _p1, p2: _p2, ...rest } = r;
  return {
    ...rest,
    ...(r.change ? { change: quotedChange(r.change) } : {}),
    notes: linklessNotes(r),
    ...(p1 ? { p1 } : {}),
    ...(p2 ? { p2 } : {}),
    predictions: confirmPredictions(predict(r.artifact, db), diagnoses, { verdict: r.verdict, conversion: r.conversion, p2 }, corroborated),
    diagnoses: [...diagnoses, ...quoted],
    ...(unknown ? { unknown } : {}),
  };
}

function quotedWarning(w: Note): Note {
  return { ...w, message: `The saved report warns: ${quoteFromReport(w.message)}` };
}

/** A result the time ran out for: nothing of its diagnosis is derived, so all of it is quoted (predictions dropped). */
function notDerived(r: ArtifactResult): ArtifactResult {
  const { unknown: _savedUnknown, ...rest } = r;
  return {
    ...rest,
    ...(r.change ? { change: quotedChange(r.change) } : {}),
    notes: linklessNotes(r),
    predictions: [],
    diagnoses: r.diagnoses.map((d) => quotedDiagnosis(d, WHY_NO_TIME)),
  };
}

/**
 * Time for deriving a saved report's diagnoses again (about 1 ms a result; a report may be 256 MB): results after it
 * keep theirs as quotations only.
 */
export const REDERIVE_BUDGET_MS = 60_000;

/** A saved report with every result's diagnosis derived again by this build, its warnings and configuration error quoted. */
export function rederiveReport(report: Report, db: SignatureDb, now: () => number = () => performance.now()): Report {
  const e = report.configurationError;
  const deadline = now() + REDERIVE_BUDGET_MS;
  return {
    ...report,
    results: report.results.map((r) => (now() < deadline ? rederiveResult(r, db) : notDerived(r))),
    ...(report.warnings ? { warnings: report.warnings.map(quotedWarning) } : {}),
    ...(e ? { configurationError: { option: e.option, message: `the saved report says: ${quoteFromReport(e.message)}` } } : {}),
  };
}
