/**
 * The terminal report, readable in a CI log: one line per artifact, details under each failure, the
 * counts at the end. Guest text is stripped of escape sequences and indented, so it cannot fake colours; the CLI
 * passes the whole report through `neutralizeCommands` (report/log-safe.ts) so no line can act as a workflow
 * command (`::…`, `##[…`).
 */
import type { ArtifactResult, Diagnosis, ExplainResult, Report, Verdict } from '../model.js';
import {
  adapterLabel,
  cacheLine,
  countsLine,
  guestStreams,
  mergedLine,
  provenanceLabel,
  orderWorkarounds,
  predictionStatus,
  runtimeLabel,
  splitDiagnoses,
  statusSentence,
  toolchainLabel,
  unknownSummary,
} from './format.js';
import { baseName, baselineLine, changeGroups, changeHeadline, shortSha, wasOnBaseline } from './change.js';
import { sanitizeGuestText } from './markdown-utils.js';
import { VERDICT_TABLE, VERDICTS, type VerdictInfo } from './verdicts.js';

export interface TerminalOptions {
  /** ANSI colours (only when true). */
  color: boolean;
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
};
type Style = Exclude<keyof typeof ANSI, 'reset'>;

const SEVERITY_STYLE: Record<VerdictInfo['severity'], Style> = { ok: 'green', fail: 'red', warn: 'yellow', info: 'cyan' };
const VERDICT_STYLE = Object.fromEntries(
  VERDICTS.map((v) => [v, { mark: VERDICT_TABLE[v].mark, style: SEVERITY_STYLE[VERDICT_TABLE[v].severity] }]),
) as Record<Verdict, { mark: string; style: Style }>;

/** Guest output lines shown per stream: the first few and the last ones. */
const HEAD_LINES = 5;
const TAIL_LINES = 20;
const GUEST_CHARS = 4000;

/**
 * Renders the report for a terminal or CI log.
 * @param opts.color Use ANSI colours.
 */
export function renderTerminal(report: Report, opts: TerminalOptions): string {
  const c = (style: Style, text: string): string => (opts.color ? `${ANSI[style]}${text}${ANSI.reset}` : text);
  const out: string[] = [];
  const rt = report.runtime;
  const change = report.baseline ? changeGroups(report) : undefined;
  if (report.baseline) {
    // The change first: what this run broke, fixed, or found already broken.
    const colour = change!.newFailures.length ? 'red' : 'green';
    out.push(
      `${c('bold', 'Change:')} ${c(colour, changeHeadline(report))}` +
        `${report.commit ? ` · ${shortSha(report.commit)}` : ''} · ${oneLine(baselineLine(report)!)}`,
    );
    for (const d of report.baseline.differences) out.push(c('dim', `baseline differs: ${oneLine(d)}`));
  }
  out.push(
    `${c('bold', `${report.tool.name} ${report.tool.version}`)}: ${report.summary.total} artifact${report.summary.total === 1 ? '' : 's'}` +
      ` · runtime ${oneLine(rt.requested)} (P1 ${oneLine(runtimeLabel(rt.p1))}, P2 ${oneLine(runtimeLabel(rt.p2))})`,
  );
  const merged = mergedLine(report);
  if (merged) out.push(c('dim', oneLine(merged)));
  if (report.shard) out.push(c('dim', `shard ${report.shard.index}/${report.shard.count}`));
  out.push('');
  if (report.configurationError) {
    out.push(
      `${c('red', 'configuration error:')} ${oneLine(report.configurationError.option)}: ${oneLine(report.configurationError.message)}`,
      '',
    );
  }
  for (const w of report.warnings ?? []) out.push(`${c('yellow', 'warning:')} ${oneLine(w.message)}`);
  if (report.warnings?.length) out.push('');
  const width = Math.min(40, Math.max(0, ...report.results.map((r) => oneLine(r.artifact.path).length)));
  // With a baseline: new failures first, then failures that changed, fixed, passing, and last (in brief) what fails
  // the same way on the baseline.
  const ordered = change
    ? [...change.newFailures, ...change.changed, ...change.fixed, ...change.passing, ...change.stillFailing]
    : report.results;
  for (const r of ordered) {
    const v = VERDICT_STYLE[r.verdict];
    const path = oneLine(r.artifact.path);
    const tc = toolchainLabel(r);
    const from = provenanceLabel(r);
    const tag = change ? changeTag(r, report) : undefined;
    out.push(
      `${c(v.style, `${v.mark} ${r.verdict.padEnd(13)}`)} ` +
        `${c('bold', path)}${' '.repeat(Math.max(1, width - path.length + 2))}${c('dim', oneLine(tc))}` +
        (from ? ` ${c('dim', `[${oneLine(from)}]`)}` : '') +
        (tag ? ` ${c(tag.style, `[${oneLine(tag.text)}]`)}` : ''),
    );
    if (r.change?.class === 'still-failing') continue;
    if (r.verdict === 'PASS') {
      for (const n of r.notes) out.push(`    ${c('dim', 'note:')} ${oneLine(n.message)}`);
      for (const d of splitDiagnoses(r).notes) out.push(`    ${c('dim', 'note:')} ${noteDiagnosis(d)}`);
      continue;
    }
    out.push(...details(r, report, c).map((l) => (l ? `    ${l}` : l)), '');
  }
  if (out[out.length - 1] !== '') out.push('');
  if (change?.removed.length) {
    for (const b of change.removed)
      out.push(`${c('dim', '- removed')}       ${oneLine(b.path)} ${c('dim', `[was ${oneLine(b.verdict)}]`)}`);
    out.push('');
  }

  const s = report.summary;
  const counts = countsLine(s.counts, VERDICTS) || 'nothing checked';
  const sentence = statusSentence(s);
  const colour = s.total === 0 || (s.regressions === 0 && s.failures > 0) ? 'yellow' : s.regressions > 0 ? 'red' : 'green';
  const status = c(colour, `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`);
  const cache = cacheLine(report);
  if (cache) out.push(c('dim', cache));
  out.push(`${c('bold', 'Result:')} ${counts}. ${status}`);
  return `${out.join('\n')}\n`;
}

type Colour = (style: Style, text: string) => string;

/** A compared result's change, for its line. */
function changeTag(r: ArtifactResult, report: Report): { text: string; style: Style } | undefined {
  const ch = r.change;
  if (!ch) return undefined;
  const renamed = ch.matchedBy === 'sha256' && ch.base ? `renamed from ${ch.base.path}; ` : '';
  switch (ch.class) {
    case 'new-failure':
      return { text: `${renamed}new failure: passes on ${baseName(report)}`, style: 'red' };
    case 'new-artifact':
      return r.verdict === 'PASS' ? { text: 'new artifact', style: 'dim' } : { text: 'new artifact', style: 'red' };
    case 'changed':
      return { text: `${renamed}${ch.worse ? 'worse' : 'changed'}: was ${wasOnBaseline(r)}`, style: ch.worse ? 'red' : 'yellow' };
    case 'fixed':
      return { text: `${renamed}fixed: was ${wasOnBaseline(r)}`, style: 'green' };
    case 'still-failing':
      return { text: `${renamed}fails the same way on ${baseName(report)}: not caused by this change`, style: 'dim' };
    default:
      return renamed ? { text: renamed.replace(/; $/, ''), style: 'dim' } : undefined;
  }
}

function details(r: ArtifactResult, report: Report, c: Colour): string[] {
  const out: string[] = [];
  if (r.verdict === 'INVALID-INPUT' && r.artifact.error) out.push(`${c('yellow', 'error:')} ${oneLine(r.artifact.error)}`);
  if (r.conversion && !r.conversion.ok && r.conversion.error) {
    out.push(`${c('red', 'conversion failed:')}`, ...guestBlock(r.conversion.error));
  }
  const { failures, notes: noteDiagnoses } = splitDiagnoses(r);
  const [top, ...others] = failures;
  if (top) out.push(...diagnosis(top, c));
  else if (r.unknown) {
    out.push(
      `${c('bold', 'diagnosis:')} no known signature (fingerprint ${oneLine(r.unknown.fingerprint)}): ` +
        `${oneLine(unknownSummary(r.unknown.summary))}`,
    );
    for (const e of r.unknown.evidence) out.push(`  - ${oneLine(e)}`);
    // Never shortened: a cut URL is useless.
    out.push(`  propose a signature: ${oneLine(r.unknown.proposeUrl, 100_000)}`);
  }
  if (others.length) out.push(`${c('dim', 'other candidates:')} ${others.map((d) => `${oneLine(d.title)} (${d.confidence})`).join('; ')}`);
  for (const p of r.predictions) out.push(`${c('cyan', 'predicted:')} ${oneLine(p.title)}: ${oneLine(p.message)} (${predictionStatus(p)})`);
  for (const n of r.notes) out.push(`${c('cyan', 'note:')} ${oneLine(n.message)}`);
  for (const d of noteDiagnoses) out.push(`${c('cyan', 'note:')} ${noteDiagnosis(d)}`);
  if (r.differences.length) {
    out.push(c('bold', 'differences:'));
    const w = Math.max(...r.differences.map((d) => d.field.length));
    for (const d of r.differences) out.push(`  ${d.field.padEnd(w)}  P1: ${quote(d.p1)}  P2: ${quote(d.p2)}`);
  }
  const trap = r.p2?.trap ?? r.p1?.trap;
  if (trap) {
    out.push(`${c('red', `${r.p2?.trap ? 'P2' : 'P1'} trap (${trap.kind}):`)} ${oneLine(trap.message)}`);
    if (trap.adapterLine) out.push(`  ${oneLine(trap.adapterLine.text)}`);
    for (const f of trap.frames.slice(0, 8)) out.push(`  ${c('dim', `#${f.index}`)} ${oneLine(f.name)} ${c('dim', `[${f.origin}]`)}`);
    if (trap.frames.length > 8) out.push(`  … ${trap.frames.length - 8} more frames`);
  }
  for (const run of [r.p1, r.p2]) {
    if (run?.harnessError) out.push(`${c('yellow', `${run.phase.toUpperCase()} harness error:`)} ${oneLine(run.harnessError)}`);
  }
  out.push(...outputs(r, c));
  if (!r.p1 && !r.p2 && !r.conversion) return out;
  const hosts = [
    `P1 ${oneLine(runtimeLabel(r.p1?.runtime ?? report.runtime.p1))}`,
    `P2 ${oneLine(runtimeLabel(r.p2?.runtime ?? report.runtime.p2))}`,
  ];
  if (r.conversion?.adapter) hosts.push(`adapter ${oneLine(adapterLabel(r.conversion.adapter))}`);
  out.push(`${c('dim', 'runtimes:')} ${hosts.join(' · ')}`);
  return out;
}

function diagnosis(d: Diagnosis, c: Colour): string[] {
  const out = [
    `${c('bold', 'diagnosis:')} ${c('bold', oneLine(d.title))} (${d.confidence} confidence, ${oneLine(d.signatureId)})`,
    `cause: ${oneLine(d.cause)}`,
  ];
  if (d.workarounds.length) {
    out.push('workarounds (best first):');
    orderWorkarounds(d.workarounds).forEach((w, i) => {
      const why = w.why ? ` (${oneLine(w.why)})` : '';
      out.push(w.safe ? `  ${i + 1}. ${oneLine(w.text)}${why}` : `  ${i + 1}. ${c('red', 'UNSAFE:')} ${oneLine(w.text)}${why}`);
    });
  }
  if (d.evidence.length) {
    out.push('evidence:');
    for (const e of d.evidence) out.push(`  - ${oneLine(e)}`);
  }
  for (const l of d.links) out.push(`${c('dim', 'see:')} ${oneLine(l.title)} ${oneLine(l.url, 100_000)}`);
  return out;
}

/**
 * What `explain` found, for a terminal: the trap read from the log, the module when given, then the best diagnosis in
 * full — the same block as in a check's report (workarounds in the same order) — and the others in brief.
 */
export function renderExplanation(result: ExplainResult, opts: TerminalOptions): string {
  const c = (style: Style, text: string): string => (opts.color ? `${ANSI[style]}${text}${ANSI.reset}` : text);
  const out: string[] = [];
  const trap = result.trap;
  if (trap) {
    out.push(`${c('bold', 'trap:')} ${oneLine(trap.kind)} — ${oneLine(trap.message)} ${c('dim', `(${oneLine(trap.format)})`)}`);
    if (trap.adapterLine) out.push(`  adapter: ${oneLine(trap.adapterLine.text)}`);
    const frames = trap.frames.slice(0, 8);
    for (const f of frames) out.push(c('dim', `  #${f.index} ${oneLine(f.name)} [${f.origin}]`));
    if (trap.frames.length > frames.length) out.push(c('dim', `  … ${trap.frames.length - frames.length} more frames`));
  } else out.push(`${c('bold', 'trap:')} none recognised in the log`);
  if (result.artifact) {
    const tc = result.artifact.module?.toolchain;
    out.push(
      `${c('bold', 'module:')} ` +
        `${oneLine(result.artifact.path)}${tc ? ` — ${oneLine(`${tc.language}${tc.version ? ` ${tc.version}` : ''}`)}` : ''}`,
    );
  }
  out.push('');
  const failures = result.diagnoses.filter((d) => d.severity !== 'note');
  const notes = result.diagnoses.filter((d) => d.severity === 'note');
  const [best, ...rest] = [...failures, ...notes];
  if (best) out.push(...(best.severity === 'note' ? [`${c('dim', 'note:')} ${noteDiagnosis(best)}`] : diagnosis(best, c)));
  if (rest.length) {
    out.push('', c('bold', 'also matching (less specific):'));
    for (const d of rest) out.push(`  - ${oneLine(d.title)} (${d.confidence} confidence, score ${d.score}, ${oneLine(d.signatureId)})`);
  }
  if (result.unknown) {
    const u = result.unknown;
    out.push(`${c('bold', 'no known signature')} ${c('dim', `(fingerprint ${u.fingerprint})`)}: ${oneLine(unknownSummary(u.summary))}`);
    for (const e of u.evidence) out.push(`  - ${oneLine(e)}`);
    out.push(`propose a signature: ${oneLine(u.proposeUrl, 100_000)}`);
  }
  if (!best && !result.unknown) out.push('Nothing to diagnose: the log shows no failure.');
  return `${out.join('\n')}\n`;
}

/** A note-level diagnosis on one line: title, cause, the first workaround. */
function noteDiagnosis(d: Diagnosis): string {
  const w = orderWorkarounds(d.workarounds)[0];
  return `${oneLine(d.title)}: ${oneLine(d.cause)}${w ? ` ${oneLine(w.text)}` : ''} (${oneLine(d.signatureId)})`;
}

function outputs(r: ArtifactResult, c: Colour): string[] {
  return guestStreams(r).flatMap(({ label, output }) => [
    c('dim', `${label} (${output.bytes} bytes${output.truncated ? ', truncated' : ''}):`),
    ...guestBlock(output.text),
  ]);
}

/** Guest text as indented lines behind a bar, trimmed to the first and last lines. */
function guestBlock(text: string): string[] {
  let lines = sanitizeGuestText(text, GUEST_CHARS).replace(/\n$/, '').split('\n');
  if (lines.length > HEAD_LINES + TAIL_LINES + 1) {
    lines = [...lines.slice(0, HEAD_LINES), `… ${lines.length - HEAD_LINES - TAIL_LINES} lines omitted …`, ...lines.slice(-TAIL_LINES)];
  }
  return lines.map((l) => `  │ ${l}`);
}

/** One printable line: no escape sequences, no control characters, newlines shown as ⏎. */
function oneLine(text: string, max = 2000): string {
  return sanitizeGuestText(text, max).replace(/\n/g, '⏎').replace(/\t/g, ' ');
}

function quote(value: string): string {
  return JSON.stringify(oneLine(value, 120).replace(/⏎/g, '\n')).replace(/\\u001b/g, '');
}
