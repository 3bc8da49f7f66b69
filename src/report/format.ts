/** Small pure helpers shared by the terminal and Markdown renderers. */
import type {
  AdapterInfo,
  ArtifactResult,
  CapturedOutput,
  Diagnosis,
  Prediction,
  Report,
  RuntimeId,
  Toolchain,
  Verdict,
  Workaround,
} from '../model.js';
import { verdictMap } from './verdicts.js';

export const VERDICT_ICON = verdictMap('icon');

/** One line saying what a verdict means, for people who have not read the docs. */
export const VERDICT_MEANING = verdictMap('meaning');

const LANGUAGE_NAMES: Record<string, string> = {
  c: 'C',
  'c++': 'C++',
  go: 'Go',
  tinygo: 'Go',
  rust: 'Rust',
  assemblyscript: 'AssemblyScript',
  zig: 'Zig',
  wat: 'WAT',
};

/** 'Go 1.24.4', 'rustc 1.63.0', 'clang 14.0.6 (C)', 'component', '—'. */
export function toolchainLabel(result: ArtifactResult): string {
  const a = result.artifact;
  if (a.kind === 'component') return 'component';
  const t: Toolchain | undefined = a.module?.toolchain;
  if (!t) return '—';
  const compiler = [t.compiler, t.version].filter(Boolean).join(' ');
  const lang = LANGUAGE_NAMES[t.language];
  if (!compiler) return lang ?? t.language;
  // Name the language when the compiler's name does not imply it (clang builds C and C++).
  const implied = !t.compiler || ['rustc', 'tinygo', lang?.toLowerCase()].includes(t.compiler.toLowerCase());
  const label = lang && !implied ? `${compiler} (${lang})` : compiler;
  return t.runtime ? `${t.runtime} runtime, ${label}` : label;
}

export function runtimeLabel(r: RuntimeId | undefined): string {
  return r ? `${r.name} ${r.version}`.trim() : 'not run';
}

export function adapterLabel(a: AdapterInfo): string {
  const parts = [a.name];
  if (a.version) parts.push(a.version);
  const extra = [a.source, a.wasiVersion ? `WASI ${a.wasiVersion}` : ''].filter(Boolean).join(', ');
  return `${parts.join(' ')} (${extra}), sha256 ${a.sha256.slice(0, 12)}`;
}

/** Safe workarounds first, keeping the signature's order within each group. */
export function orderWorkarounds(ws: Workaround[]): Workaround[] {
  return [...ws.filter((w) => w.safe), ...ws.filter((w) => !w.safe)];
}

export function predictionStatus(p: Prediction): string {
  if (p.outcome === 'confirmed' || (p.outcome === undefined && p.confirmed === true)) return 'confirmed by the run';
  if (p.outcome === 'contradicted' || (p.outcome === undefined && p.confirmed === false)) {
    return `contradicted: ${p.reason ?? `the ${p.stage === 'convert' ? 'conversion' : 'run'} did not fail that way`}`;
  }
  return p.reason ? `not reached: ${p.reason}` : 'not reached';
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Verdict counts in report order, non-zero only: '2 PASS, 1 REGRESSION'. */
export function countsLine(counts: Record<Verdict, number>, order: readonly Verdict[]): string {
  return order
    .filter((v) => counts[v] > 0)
    .map((v) => `${counts[v]} ${v}`)
    .join(', ');
}

/**
 * Diagnoses that explain a failure (ranked) and note-level ones (expected, documented differences such as
 * exit-code collapse), which never count as the explanation of a failure.
 */
export function splitDiagnoses(r: ArtifactResult): { failures: Diagnosis[]; notes: Diagnosis[] } {
  return {
    failures: r.diagnoses.filter((d) => d.severity !== 'note'),
    notes: r.diagnoses.filter((d) => d.severity === 'note'),
  };
}

/** The unknown failure's summary without a leading "no known signature:" (the renderers already say so). */
export function unknownSummary(summary: string): string {
  return summary.replace(/^\s*no known signature\s*[:.-]\s*/i, '');
}

export interface GuestStream {
  /** 'P1 stdout', 'P2 stderr', … */
  label: string;
  output: CapturedOutput;
}

/** The guest output worth showing, P2 first; P1's only where it differs from P2's. */
export function guestStreams(r: ArtifactResult): GuestStream[] {
  const out: GuestStream[] = [];
  for (const run of [r.p2, r.p1]) {
    for (const stream of ['stdout', 'stderr'] as const) {
      const output = run?.[stream];
      if (!run || !output?.text) continue;
      if (run.phase === 'p1' && r.p2 && r.p2[stream].text === output.text) continue;
      out.push({ label: `${run.phase.toUpperCase()} ${stream}`, output });
    }
  }
  return out;
}

/** 'artifact breaks' / 'artifacts break': a count with its noun and a verb that agrees. */
export function agree(n: number, noun: string, singularVerb: string, pluralVerb: string): string {
  return `${plural(n, noun)} ${n === 1 ? singularVerb : pluralVerb}`;
}

/**
 * The one-sentence result both the terminal and the Markdown renderers lead with, in correct number:
 * '1 of 1 artifact breaks as a WASI P2 component', '3 of 8 artifacts break as WASI P2 components',
 * 'the artifact works as a WASI P2 component', 'all 3 artifacts work as WASI P2 components'.
 */
export function statusSentence(s: { total: number; regressions: number; failures: number; counts: Record<Verdict, number> }): string {
  const of = (n: number) => `${n} of ${plural(s.total, 'artifact')}`;
  const verb = (n: number, one: string, many: string) => (n === 1 ? one : many);
  if (s.total === 0) return 'no artifacts were checked';
  if (s.regressions > 0) {
    return `${of(s.regressions)} ${verb(s.regressions, 'breaks as a WASI P2 component', 'break as WASI P2 components')}`;
  }
  const errors = s.counts.ERROR ?? 0;
  if (errors > 0) return `no regressions found, but ${of(errors)} could not be checked`;
  if (s.failures > 0) return `no regressions; ${of(s.failures)} ${verb(s.failures, 'needs', 'need')} attention`;
  return s.total === 1 ? 'the artifact works as a WASI P2 component' : `all ${plural(s.total, 'artifact')} work as WASI P2 components`;
}

/** Failures that share a cause: the same verdict and the same diagnosis (or unknown fingerprint, or reason). */
export interface CauseGroup {
  verdict: Verdict;
  /** The diagnosis explaining the failure (first failure-level one), if any. */
  diagnosis?: Diagnosis;
  results: ArtifactResult[];
}

/** The first line of why the checker, the converter or the reader gave up, when no diagnosis says more. */
export function failureReason(r: ArtifactResult): string | undefined {
  const run = [r.p2, r.p1].find((x) => x?.hostError || x?.limit);
  const text =
    (r.verdict === 'INVALID-INPUT' || r.verdict === 'NOT-WASI' ? r.artifact.error : undefined) ??
    run?.hostError ??
    run?.limit?.message ??
    (r.conversion && !r.conversion.ok ? r.conversion.error : undefined) ??
    r.artifact.error;
  const first = text?.split('\n').find((l) => l.trim() !== '');
  return first?.trim();
}

/**
 * What makes two failures "the same cause": the verdict and the diagnosis (else the unknown failure's fingerprint, else
 * the reason). Cause groups and the baseline comparison (still failing vs changed) both use it.
 */
export function causeKey(r: ArtifactResult): string {
  const diagnosis = splitDiagnoses(r).failures[0];
  const why = diagnosis
    ? `sig:${diagnosis.signatureId}`
    : r.unknown
      ? `unknown:${r.unknown.fingerprint}`
      : `reason:${failureReason(r) ?? ''}`;
  return `${r.verdict}\u0000${why}`;
}

/** A failure's cause in words: the diagnosis title, else the unknown failure's summary, else the reason. */
export function causeText(r: ArtifactResult): string | undefined {
  if (r.verdict === 'PASS') return undefined;
  return splitDiagnoses(r).failures[0]?.title ?? (r.unknown ? unknownSummary(r.unknown.summary) : failureReason(r));
}

/**
 * Non-PASS results grouped by cause, worst verdict first (in `order`), then in order of first appearance: 200 Go
 * binaries that trap the same way are one group, not 200 rows.
 */
export function causeGroups(results: ArtifactResult[], order: readonly Verdict[]): CauseGroup[] {
  const groups = new Map<string, CauseGroup>();
  for (const r of results) {
    if (r.verdict === 'PASS') continue;
    const key = causeKey(r);
    const g = groups.get(key);
    if (g) g.results.push(r);
    else groups.set(key, { verdict: r.verdict, diagnosis: splitDiagnoses(r).failures[0], results: [r] });
  }
  return [...groups.values()].sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict));
}

/** Which results were reused: undefined when the cache was off. */
export function cacheLine(report: Report): string | undefined {
  if (!report.cache) return undefined;
  const reused = report.results.filter((r) => r.cached).length;
  if (reused === 0) return `result cache: nothing reused (${plural(report.cache.misses, 'result')} checked and stored)`;
  return (
    `result cache: ${reused} of ${plural(report.results.length, 'result')} reused (artifact, ` +
    `adapter, runtime, options and signatures unchanged), ${report.cache.misses} checked`
  );
}

/** The reports a merged report was made from; undefined for a report of one run. */
export function mergedLine(report: Report): string | undefined {
  if (!report.merged) return undefined;
  return `merged from ${plural(report.merged.length, 'report')}: ${report.merged.map((p) => `${p.label} (${p.total})`).join(', ')}`;
}

/** Where one result comes from besides a fresh check: its shard/matrix entry, the cache. */
export function provenanceLabel(r: ArtifactResult): string {
  return [r.group, r.cached ? 'cached' : undefined].filter(Boolean).join(', ');
}
