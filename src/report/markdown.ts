/**
 * The Markdown report: the PR comment and the job summary. A pure function of `Report`.
 * Every string that can come from a guest or a file (output, trap text, paths, evidence) goes
 * through `markdown-utils` so it cannot break out of its fence, inject HTML, ping users or break a table.
 */
import type { ArtifactResult, Diagnosis, Report } from '../model.js';
import {
  adapterLabel,
  countsLine,
  guestStreams,
  orderWorkarounds,
  plural,
  predictionStatus,
  runtimeLabel,
  splitDiagnoses,
  toolchainLabel,
  unknownSummary,
  VERDICT_ICON,
  VERDICT_MEANING,
} from './format.js';
import {
  DEFAULT_MAX_BYTES,
  details,
  escapeInline,
  fence,
  formatCount,
  inlineMarkdown,
  link,
  sanitizeGuestText,
  table,
  truncateMarkdown,
} from './markdown-utils.js';
import { VERDICTS } from './summary.js';

export interface MarkdownOptions {
  /** Size budget in UTF-8 bytes (default 65,000: under GitHub's 65,536-character comment limit). */
  maxBytes?: number;
  /** URL of the full report (the job summary), linked when the comment had to be shortened. */
  detailsUrl?: string;
  /** Report title (default 'wasm-p2-check'). */
  heading?: string;
}

/** How much to show: everything; failure sections without guest output; the table alone. */
export type MarkdownDetail = 'full' | 'compact' | 'table';

/** Characters of each guest stream kept in the report. */
const GUEST_CHARS = 3000;
/** Characters of a difference value shown in its table cell. */
const DIFF_CHARS = 160;
/** Backtrace frames shown. */
const MAX_FRAMES = 12;

/**
 * Renders the report as Markdown within `maxBytes`: full detail when it fits, else failure sections
 * without guest output, else the table alone; as a last resort the table is cut by lines, with a bold
 * pointer to `detailsUrl`.
 */
export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let md = '';
  for (const level of ['full', 'compact', 'table'] as const) {
    md = renderMarkdownAt(report, level, opts);
    if (Buffer.byteLength(md) <= maxBytes) return md;
  }
  return truncateMarkdown(md, maxBytes, opts.detailsUrl);
}

/** Renders at one level of detail, without a size limit. */
export function renderMarkdownAt(report: Report, level: MarkdownDetail, opts: MarkdownOptions = {}): string {
  const { summary, results } = report;
  const out: string[] = [];
  out.push(`## ${statusIcon(report)} ${escapeInline(opts.heading ?? 'wasm-p2-check')}: ${statusText(report)}`, '');

  if (summary.total > 0 && summary.failures === 0) {
    out.push(
      `All ${plural(summary.total, 'artifact')} behave the same as WASI Preview 1 modules and as Preview 2 components.`,
      '',
    );
    const notes = passNotes(results);
    if (notes.length) out.push(...notes, '');
    out.push(details(`${plural(summary.total, 'artifact')} checked`, artifactTable(results)), '');
    out.push(footer(report));
    return out.join('\n');
  }

  if (summary.total > 0) {
    const counts = countsLine(summary.counts, VERDICTS);
    out.push(`${counts}.`, '', artifactTable(results), '');
  }

  if (level !== 'table') {
    for (const r of results) {
      if (r.verdict === 'PASS') continue;
      out.push(...artifactSection(r, report, level), '');
    }
    if (level === 'full') {
      const notes = passNotes(results);
      if (notes.length) out.push('**Notes on passing artifacts**', '', ...notes, '');
    }
  }
  if (level !== 'full') {
    const where = opts.detailsUrl ? link('the job summary', opts.detailsUrl) : 'the job summary';
    const what = level === 'compact' ? 'Guest output and backtraces are' : 'Details of each failure are';
    out.push(`_${what} left out to fit GitHub's size limit: see ${where} or the JSON report for everything._`, '');
  }
  out.push(footer(report));
  return out.join('\n');
}

function statusIcon(report: Report): string {
  const s = report.summary;
  if (s.total === 0) return '⚪';
  if (s.regressions > 0) return '❌';
  return s.failures > 0 ? '⚠️' : '✅';
}

function statusText(report: Report): string {
  const s = report.summary;
  if (s.total === 0) return 'no artifacts were checked';
  if (s.regressions > 0) return `${s.regressions} of ${plural(s.total, 'artifact')} ${s.regressions === 1 ? 'breaks' : 'break'} as WASI P2 components`;
  if (s.failures > 0) return `no regressions; ${s.failures} of ${plural(s.total, 'artifact')} need attention`;
  return `all ${plural(s.total, 'artifact')} work as WASI P2 components`;
}

function artifactTable(results: ArtifactResult[]): string {
  return table(
    ['Artifact', 'Toolchain', 'Verdict', 'Diagnosis'],
    results.map((r) => [
      escapeInline(r.artifact.path),
      escapeInline(toolchainLabel(r)),
      `${VERDICT_ICON[r.verdict]} ${r.verdict}`,
      diagnosisCell(r),
    ]),
  );
}

function diagnosisCell(r: ArtifactResult): string {
  const { failures, notes } = splitDiagnoses(r);
  const top = failures[0];
  if (top) return `${inlineMarkdown(top.title, true)} (${top.confidence})`;
  if (r.unknown) return `no known signature (\`${escapeCode(r.unknown.fingerprint)}\`)`;
  if (r.verdict === 'INVALID-INPUT' && r.artifact.error) return escapeInline(shorten(r.artifact.error, 120));
  if (notes[0]) return `note: ${inlineMarkdown(notes[0].title, true)}`;
  if (r.verdict === 'PASS') return r.notes.length ? `note: ${r.notes.map((n) => escapeInline(n.code)).join(', ')}` : '—';
  if (r.conversion && !r.conversion.ok) return 'conversion failed';
  return '—';
}

function passNotes(results: ArtifactResult[]): string[] {
  return results
    .filter((r) => r.verdict === 'PASS')
    .flatMap((r) => [
      ...r.notes.map((n) => `- ${escapeInline(r.artifact.path)}: ${inlineMarkdown(n.message)} (${codeSpan(n.code)})`),
      ...splitDiagnoses(r).notes.map((d) => `- ${escapeInline(r.artifact.path)}: ${noteDiagnosis(d)}`),
    ]);
}

/** A note-level diagnosis on one line: title, cause, the first workaround. */
function noteDiagnosis(d: Diagnosis): string {
  const w = orderWorkarounds(d.workarounds)[0];
  return `**${inlineMarkdown(d.title)}**: ${inlineMarkdown(d.cause)}${w ? ` ${inlineMarkdown(w.text)}` : ''} (${codeSpan(d.signatureId)})`;
}

function artifactSection(r: ArtifactResult, report: Report, level: MarkdownDetail): string[] {
  const out: string[] = [`### ${VERDICT_ICON[r.verdict]} ${escapeInline(r.artifact.path)}: ${r.verdict}`, ''];
  out.push(`_This artifact ${VERDICT_MEANING[r.verdict]}._`, '');

  if (r.verdict === 'INVALID-INPUT' && r.artifact.error) {
    out.push(`**Why:** ${escapeInline(r.artifact.error)}`, '');
  }
  if (r.conversion && !r.conversion.ok && r.conversion.error) {
    out.push('**Conversion error**', '', fence(sanitizeGuestText(r.conversion.error, GUEST_CHARS)), '');
  }

  const { failures, notes: noteDiagnoses } = splitDiagnoses(r);
  const [top, ...others] = failures;
  if (top) out.push(...diagnosisBlock(top));
  else if (r.unknown) {
    const u = r.unknown;
    out.push(`**No known signature matched.** ${inlineMarkdown(unknownSummary(u.summary))}`, '', `Fingerprint: ${codeSpan(u.fingerprint)}`, '');
    if (u.evidence.length) out.push('**Evidence**', '', ...u.evidence.map((e) => `- ${inlineMarkdown(e)}`), '');
    out.push(`${link('Propose a signature for this failure', u.proposeUrl)}`, '');
  }
  if (others.length) {
    out.push(`**Other candidates:** ${others.map((d) => `${inlineMarkdown(d.title)} (${d.confidence})`).join(' · ')}`, '');
  }

  if (r.predictions.length) {
    out.push(
      '**Predicted before running**',
      '',
      ...r.predictions.map((p) => `- ${inlineMarkdown(p.title)}: ${inlineMarkdown(p.message)} (${predictionStatus(p)})`),
      '',
    );
  }
  if (r.notes.length || noteDiagnoses.length) {
    out.push(
      '**Notes**',
      '',
      ...r.notes.map((n) => `- ${inlineMarkdown(n.message)} (${codeSpan(n.code)})`),
      ...noteDiagnoses.map((d) => `- ${noteDiagnosis(d)}`),
      '',
    );
  }
  if (r.differences.length) {
    out.push(
      '**Differences**',
      '',
      table(
        ['', 'P1', 'P2'],
        r.differences.map((d) => [d.field, diffCell(d.p1), diffCell(d.p2)]),
      ),
      '',
    );
  }
  const trap = r.p2?.trap ?? r.p1?.trap;
  if (trap) {
    const phase = r.p2?.trap ? 'P2' : 'P1';
    out.push(`**${phase} trap** (${trap.kind}): ${escapeInline(shorten(trap.message, 300))}`, '');
    if (trap.adapterLine) out.push(`Adapter line: ${escapeInline(trap.adapterLine.text)}`, '');
    if (level === 'full' && (trap.frames.length || trap.causes.length)) {
      const frames = trap.frames.slice(0, MAX_FRAMES).map((f) => `${f.index}: ${f.name} [${f.origin}]`);
      if (trap.frames.length > MAX_FRAMES) frames.push(`… ${trap.frames.length - MAX_FRAMES} more frames`);
      const body = [...trap.causes.map((c) => `Caused by: ${c}`), ...(frames.length ? ['', 'Backtrace (innermost first):', ...frames] : [])].join('\n');
      out.push(details(`${phase} error chain and backtrace`, fence(sanitizeGuestText(body, GUEST_CHARS))), '');
    }
  }
  for (const run of [r.p1, r.p2]) {
    if (run?.harnessError) out.push(`**${run.phase.toUpperCase()} harness error** (not the guest's fault): ${escapeInline(run.harnessError)}`, '');
  }

  if (r.p1 || r.p2 || r.conversion) out.push(hostsLine(r, report), '');

  if (level === 'full') out.push(...guestOutput(r));
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

function diagnosisBlock(d: Diagnosis): string[] {
  const out = [`**${inlineMarkdown(d.title)}** · ${d.confidence} confidence · ${codeSpan(d.signatureId)}`, '', inlineMarkdown(d.cause), ''];
  if (d.evidence.length) out.push('**Evidence**', '', ...d.evidence.map((e) => `- ${inlineMarkdown(e)}`), '');
  if (d.workarounds.length) {
    out.push('**Workarounds** (best first)', '');
    orderWorkarounds(d.workarounds).forEach((w, i) => {
      const why = w.why ? ` (${inlineMarkdown(w.why)})` : '';
      out.push(w.safe ? `${i + 1}. ${inlineMarkdown(w.text)}${why}` : `${i + 1}. ⚠️ **Unsafe:** ${inlineMarkdown(w.text)}${why || ' (works around the symptom, not the cause)'}`);
    });
    out.push('');
  }
  if (d.links.length) out.push(`**Links:** ${d.links.map((l) => link(l.title, l.url)).join(' · ')}`, '');
  return out;
}

function hostsLine(r: ArtifactResult, report: Report): string {
  const parts = [`P1 ${escapeInline(runtimeLabel(r.p1?.runtime ?? report.runtime.p1))}`, `P2 ${escapeInline(runtimeLabel(r.p2?.runtime ?? report.runtime.p2))}`];
  if (r.conversion?.adapter) parts.push(`adapter ${escapeInline(adapterLabel(r.conversion.adapter))}`);
  return `**Hosts:** ${parts.join(' · ')}`;
}

function guestOutput(r: ArtifactResult): string[] {
  return guestStreams(r).flatMap(({ label, output }) => {
    const size = `${formatCount(output.bytes)} bytes${output.truncated ? `, first ${formatCount(Buffer.byteLength(output.text))} kept` : ''}`;
    return [details(`${label} (${size})`, fence(sanitizeGuestText(output.text, GUEST_CHARS), 'text')), ''];
  });
}

function footer(report: Report): string {
  const rt = report.runtime;
  return `<sub>${escapeInline(`${report.tool.name} ${report.tool.version}`)} · runtime ${escapeInline(rt.requested)}: P1 ${escapeInline(runtimeLabel(rt.p1))}, P2 ${escapeInline(runtimeLabel(rt.p2))} · ${escapeInline(report.createdAt)}</sub>`;
}

function diffCell(value: string): string {
  if (value === '') return '_(empty)_';
  const oneLine = sanitizeGuestText(value, DIFF_CHARS).replace(/\n/g, '⏎').replace(/\t/g, '⇥');
  return escapeInline(oneLine);
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Backticks cannot occur in a code span of ours: fingerprints and codes are ids, but be safe. */
function escapeCode(text: string): string {
  return sanitizeGuestText(text, 200).replace(/[`\n|]/g, '');
}

function codeSpan(text: string): string {
  return `\`${escapeCode(text)}\``;
}
