/**
 * The Markdown report: the PR comment, the check-run summary and the job summary. A pure function of `Report`.
 *
 * Shape (for a maintainer with ten seconds): a heading with the verdict, the commit and the run; then one section
 * per distinct cause, each said once — what broke, which artifacts (a few by name, then a count), the safe fix
 * first, the other safe ways, the unsafe workarounds folded with why — and everything else (cause, evidence, trap
 * and backtrace, differences, guest output) folded in `<details>`. Identical failures are one section ("12
 * artifacts, same cause"). Facts of the whole run (hosts, adapter, the hosts-differ caveat) are said once, not per
 * cause. The short form (`form: 'short'`, the check run) keeps the heading, each cause's line and fix, and links the
 * job summary. The body carries no timestamp, so re-running on the same result renders the same bytes.
 *
 * Every string that can come from a guest or a file (output, trap text, paths, evidence) goes through
 * `markdown-utils` so it cannot break out of its fence, inject HTML, ping users or break a table.
 */
import { renderVersionsSection, versionsHeadline } from '../versions/render.js';
import type { AdapterInfo, ArtifactResult, Diagnosis, Report, RunResult } from '../model.js';
import {
  adapterLabel,
  causeGroups,
  failureReason,
  guestStreams,
  mergedLine,
  orderWorkarounds,
  plural,
  predictionStatus,
  runtimeLabel,
  splitDiagnoses,
  statusSentence,
  toolchainLabel,
  unknownSummary,
  VERDICT_ICON,
  type CauseGroup,
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
  stripScratchPaths,
  table,
  truncateMarkdown,
} from './markdown-utils.js';
import { VERDICTS, verdictMap } from './verdicts.js';
import { baseName, baselineLine, changeGroups, changeHeadline, shortSha, wasOnBaseline, type ChangeGroups } from './change.js';
import { ellipsize } from './text.js';

export interface MarkdownOptions {
  /** Size budget in UTF-8 bytes (default 65,000: under GitHub's 65,536-character comment limit). */
  maxBytes?: number;
  /** URL of the full report (the job summary), linked when the comment had to be shortened. */
  detailsUrl?: string;
  /** Report title (default 'wasm-p2-check'). */
  heading?: string;
  /**
   * Where the Markdown goes. A PR comment or check run that had to be shortened points to the job summary; the job
   * summary itself points to the JSON report (never to itself).
   */
  surface?: 'comment' | 'job-summary';
  /** The job summary's URL, linked from the first line (default `detailsUrl`, the run, which shows it). */
  summaryUrl?: string;
  /**
   * `full` (default): as much detail as fits. `short`: the heading and each cause's line and fix, with a link to the
   * full report (`detailsUrl`) — the check run's summary, so it does not repeat the job summary in full.
   */
  form?: 'full' | 'short';
}

/** How much to show: everything; failure sections without guest output and backtraces; the cause lines alone. */
export type MarkdownDetail = 'full' | 'compact' | 'table';

/** Characters of each guest stream kept in the report. */
const GUEST_CHARS = 3000;
/** Characters of a difference value shown in its table cell. */
const DIFF_CHARS = 160;
/** Backtrace frames shown. */
const MAX_FRAMES = 12;
/** Artifacts named in a folded list of one cause before "… and N more". */
const MAX_LISTED = 100;
/** Artifacts of one cause named in the open before "and N more". */
const MAX_NAMED = 3;

/**
 * Renders the report as Markdown within `maxBytes`: full detail when it fits, else cause sections without guest
 * output, else the cause lines and the folded table; as a last resort that is cut by lines, with a bold pointer to
 * `detailsUrl`.
 */
export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let md = '';
  const levels = opts.form === 'short' ? (['table'] as const) : (['full', 'compact', 'table'] as const);
  for (const level of levels) {
    md = renderMarkdownAt(report, level, opts);
    if (Buffer.byteLength(md) <= maxBytes) return md;
  }
  return truncateMarkdown(
    md,
    maxBytes,
    opts.surface === 'job-summary' ? undefined : opts.detailsUrl,
    opts.surface === 'job-summary' ? 'the JSON report' : undefined,
  );
}

/** Renders at one level of detail, without a size limit. */
export function renderMarkdownAt(report: Report, level: MarkdownDetail, opts: MarkdownOptions = {}): string {
  const { summary, results } = report;
  const out: string[] = [];
  const change = report.baseline && !report.configurationError ? changeGroups(report) : undefined;
  const status = report.configurationError
    ? 'configuration error, nothing was checked'
    : change
      ? escapeInline(changeHeadline(report))
      : statusSentence(summary);
  const icon = change ? changeIcon(change) : statusIcon(report);
  out.push(`## ${icon} ${escapeInline(opts.heading ?? 'wasm-p2-check')}: ${status}${where(report, opts)}`, '');
  if (report.configurationError) {
    const e = report.configurationError;
    out.push(
      `**The check could not run:** option ${codeSpan(e.option)}: ${escapeInline(e.message)}`,
      '',
      'No artifact was run. Fix the configuration (a usage error, not a verdict about the artifacts).',
      '',
    );
  }
  for (const w of report.warnings ?? []) out.push(`> **Warning:** ${inlineMarkdown(w.message)} (${codeSpan(w.code)})`, '');
  // A release matrix leads: which artifacts change between the releases; the results below are the newest release's.
  if (report.versions && !report.configurationError) {
    const newest = report.versions.releases.at(-1)?.version ?? '';
    out.push(
      escapeInline(versionsHeadline(report.versions)),
      '',
      renderVersionsSection(report.versions),
      `#### With ${newest}, in detail`,
      '',
    );
  }

  // With a baseline, what fails the same way on it is listed (folded) but not detailed again.
  const groups = causeGroups(change ? results.filter((r) => r.change?.class !== 'still-failing') : results, VERDICTS);
  if (change) out.push(...changeBlocks(report, change, groups), '');
  if (summary.total > 0 && groups.length === 0 && !change?.stillFailing.length) {
    out.push(
      summary.total === 1
        ? 'It behaves the same as a WASI Preview 1 module and as a Preview 2 component.'
        : `All ${plural(summary.total, 'artifact')} behave the same as WASI Preview 1 modules and as Preview 2 components.`,
      '',
    );
    const notes = passNotes(results);
    if (notes.length) out.push(...notes, '');
    out.push(details(`${plural(summary.total, 'artifact')} checked`, artifactTable(results, groups)), '');
    out.push(footer(report));
    return out.join('\n');
  }

  const numbered = groups.length > 1;
  for (const [i, g] of groups.entries()) out.push(...causeSection(g, report, level, numbered ? i + 1 : undefined), '');
  const caveat = hostsCaveat(groups);
  if (caveat && level !== 'table') out.push(`_${caveat}_`, '');
  const passing = summary.counts.PASS;
  // One artifact: its cause section already says everything the table would.
  if (summary.total > 1) {
    const title = `All ${plural(summary.total, 'artifact')}${passing ? ` (${passing} passing)` : ''}`;
    out.push(details(title, artifactTable(results, groups)), '');
  }
  if (level !== 'table') {
    const notes = passNotes(results);
    if (notes.length) out.push(details('Notes', notes.join('\n')), '');
  }
  if (opts.form === 'short') {
    out.push(
      `_The full report — evidence, backtraces, differences and guest output of each cause — is in ${fullReportPointer(opts)}._`,
      '',
    );
  } else if (level !== 'full') {
    const what = level === 'compact' ? 'Guest output and backtraces are' : 'Details of each cause are';
    out.push(`_${what} left out to fit GitHub's size limit: see ${fullReportPointer(opts)} for everything._`, '');
  }
  out.push(footer(report));
  return out.join('\n');
}

/** The hosts-differ caveat, said once for the run when a failure carries it (it is about the hosts, not a cause). */
function hostsCaveat(groups: CauseGroup[]): string | undefined {
  const note = groups.flatMap((g) => g.results[0]!.notes).find((n) => n.code === HOSTS_DIFFER);
  return note ? `${inlineMarkdown(note.message)} (${codeSpan(note.code)})` : undefined;
}

const HOSTS_DIFFER = 'hosts-differ';

function fullReportPointer(opts: MarkdownOptions): string {
  if (opts.surface === 'job-summary') return 'the JSON report';
  const where = opts.detailsUrl ? link('the job summary', opts.detailsUrl) : 'the job summary';
  return `${where} or the JSON report`;
}

function statusIcon(report: Report): string {
  const s = report.summary;
  if (report.configurationError) return '❌';
  if (s.total === 0) return '⚪';
  if (s.regressions > 0) return '❌';
  if (s.counts.ERROR > 0) return VERDICT_ICON.ERROR;
  return s.failures > 0 ? '⚠️' : '✅';
}

/* ───────────── the change against a baseline ───────────── */

/** ' · `abc1234` · [run](…) · [job summary](…)': the commit the report describes and where its run is (when known). */
function where(report: Report, opts: MarkdownOptions): string {
  // Only a report that knows its commit (the Action's) says where it comes from.
  if (!report.commit) return '';
  const parts = [codeSpan(shortSha(report.commit))];
  if (opts.surface !== 'job-summary' && opts.detailsUrl) {
    parts.push(link('run', opts.detailsUrl), link('job summary', opts.summaryUrl ?? opts.detailsUrl));
  }
  return parts.map((p) => ` · ${p}`).join('');
}

function changeIcon(g: ChangeGroups): string {
  if (g.newFailures.length) return '❌';
  return g.stillFailing.length || g.changed.length ? '☑️' : '✅';
}

/**
 * New failures first (cause and fix), failures that changed, fixed as a short list, then (folded) what fails the same
 * way on the baseline, marked as not caused by this change; what was removed; which baseline, and what differs.
 */
function changeBlocks(report: Report, g: ChangeGroups, sections: CauseGroup[]): string[] {
  // A cause detailed in a section below is pointed at, not said again (its title and fix are there).
  const line = (c: CauseGroup) => changeRef(c, sections) ?? causeLine(c);
  const base = escapeInline(baseName(report));
  const out: string[] = [];
  if (g.newFailures.length) {
    out.push(`**New failures** (${g.newFailures.length}): not failing this way on ${base}`, '');
    out.push(...causeGroups(g.newFailures, VERDICTS).map((c) => `${line(c)}${wasLine(c.results)}`), '');
  } else out.push(`**No new failures** against ${base}.`, '');
  if (g.changed.length) {
    out.push(`**Failing differently than on ${base}** (${g.changed.length}, no worse)`, '');
    out.push(...causeGroups(g.changed, VERDICTS).map((c) => `${line(c)}${wasLine(c.results)}`), '');
  }
  if (g.fixed.length) {
    const listed = g.fixed.slice(0, FIXED_LISTED).map((r) => `${escapeInline(r.artifact.path)} (was ${r.change!.base!.verdict})`);
    const more = g.fixed.length > FIXED_LISTED ? `, and ${g.fixed.length - FIXED_LISTED} more` : '';
    out.push(`**Fixed** (${g.fixed.length}): ${listed.join(', ')}${more}`, '');
  }
  if (g.stillFailing.length) {
    const lines = causeGroups(g.stillFailing, VERDICTS).map(line).join('\n');
    out.push(details(`Still failing on ${base} (${g.stillFailing.length}): not caused by this change`, lines), '');
  }
  if (g.removed.length) {
    // Names and setup lines from the baseline are untrusted (a forged 100 KB path cut the whole comment): bounded.
    const listed = g.removed.slice(0, FIXED_LISTED).map((b) => `${escapeInline(ellipsize(b.path, BASELINE_TEXT_MAX))} (was ${b.verdict})`);
    const more = g.removed.length > FIXED_LISTED ? `, and ${g.removed.length - FIXED_LISTED} more` : '';
    out.push(`**No longer checked** (${g.removed.length}): ${listed.join(', ')}${more}`, '');
  }
  const b = report.baseline!;
  const differs = b.differences.length
    ? ` Its setup differs: ${b.differences.map((d) => escapeInline(ellipsize(d, BASELINE_TEXT_MAX))).join('; ')}.`
    : '';
  out.push(`<sub>${escapeInline(baselineLine(report)!)}.${differs}</sub>`);
  return out;
}

/**
 * A cause of the change lists that has its own section below (same verdict and cause): who, and which section —
 * `- ❌ breaks.wasm, added.wasm (REGRESSION): cause 1 below`. Undefined when no section details it.
 */
function changeRef(c: CauseGroup, sections: CauseGroup[]): string | undefined {
  const i = sectionIndex(c.verdict, c.diagnosis, c.results[0]!, sections);
  if (i < 0) return undefined;
  const names = c.results.slice(0, MAX_NAMED).map((r) => escapeInline(r.artifact.path));
  const more = c.results.length > MAX_NAMED ? ` and ${formatCount(c.results.length - MAX_NAMED)} more` : '';
  const which = sections.length > 1 ? `cause ${i + 1} below` : 'the cause below';
  return `- ${VERDICT_ICON[c.verdict]} ${names.join(', ')}${more} (${c.verdict}): ${which}`;
}

/** The section detailing a result's cause: the same verdict and signature (or unknown fingerprint), else its own group. */
function sectionIndex(verdict: string, diagnosis: Diagnosis | undefined, r: ArtifactResult, sections: CauseGroup[]): number {
  const key = (v: string, d: Diagnosis | undefined, x: ArtifactResult) =>
    `${v}\u0000${d?.signatureId ?? ''}\u0000${x.unknown?.fingerprint ?? ''}`;
  const want = key(verdict, diagnosis, r);
  return sections.findIndex(
    (g) => g.results.includes(r) || ((g.diagnosis || g.results[0]!.unknown) && key(g.verdict, g.diagnosis, g.results[0]!) === want),
  );
}

/** After a cause line of changed or renamed results: what one of them was on the baseline. */
function wasLine(results: ArtifactResult[]): string {
  const r = results.find((x) => x.change?.class === 'changed' || x.change?.matchedBy === 'sha256');
  if (!r) return '';
  return ` _Was on the baseline: ${escapeInline(wasOnBaseline(r))}${results.length > 1 ? ` (${escapeInline(r.artifact.path)})` : ''}._`;
}

/** Fixed and removed artifacts named before "and N more". */
const FIXED_LISTED = 20;
/** Characters of a name or setup line read from a baseline (a path is at most PATH_MAX, 4096 bytes, on Linux). */
const BASELINE_TEXT_MAX = 300;

/* ───────────── the cause lines ───────────── */

/** What broke, in a few words: the diagnosis title, else what the verdict alone says. */
function causeTitle(g: CauseGroup): string {
  if (g.diagnosis) return inlineMarkdown(g.diagnosis.title);
  const r = g.results[0]!;
  if (r.unknown) return `No known signature: ${inlineMarkdown(unknownSummary(r.unknown.summary))}`;
  const reason = failureReason(r);
  const base = VERDICT_TITLE[g.verdict];
  return reason ? `${base}: ${escapeInline(ellipsize(cleanText(reason), 160))}` : base;
}

const VERDICT_TITLE = verdictMap('title');

/** The safe thing to do, in one sentence (never an unsafe workaround). */
function causeFix(g: CauseGroup): string {
  const d = g.diagnosis;
  const safe = d?.workarounds.find((w) => w.safe);
  if (safe) return inlineMarkdown(safe.text);
  const r = g.results[0]!;
  if (d?.workarounds.length) return 'no safe workaround is known (see the unsafe ones below, and why)';
  if (r.unknown) return `none known yet: ${link('propose a signature', r.unknown.proposeUrl)}`;
  switch (g.verdict) {
    case 'PRE-EXISTING':
      return 'fix it as a P1 module first: this is not a conversion problem';
    case 'TIMEOUT':
      return 'raise `timeout` if the program needs longer; a P2-only hang is a regression';
    case 'INVALID-INPUT':
      return 'point `artifacts` at WebAssembly modules only';
    case 'P2-FAIL':
      return 'fix the component (or the core module built for WASI 0.2): it fails on its own, with no P1 to compare';
    case 'NOT-WASI':
      return 'run it on the host it was built for, and leave it out of `artifacts`';
    case 'ERROR': {
      const limit = [r.p2, r.p1].find((x) => x?.limit)?.limit;
      return limit
        ? `raise the ${limit.kind} limit, or check why the run needs more`
        : 're-run; if it persists, report it with the job log';
    }
    default:
      return 'see the details below';
  }
}

/** One line per cause (the baseline comparison's lists): what broke, who, and the safe fix. */
function causeLine(g: CauseGroup): string {
  const [first] = g.results;
  const who = g.results.length === 1 ? escapeInline(first!.artifact.path) : `${plural(g.results.length, 'artifact')}, same cause`;
  const tags: string[] = [g.verdict];
  if (g.diagnosis) tags.push(`${g.diagnosis.confidence} confidence`);
  if (g.diagnosis && predictedAndConfirmed(first!, g.diagnosis)) tags.push('predicted before running');
  return `- ${VERDICT_ICON[g.verdict]} **${causeTitle(g)}**: ${who} (${tags.join(', ')}). **Fix:** ${causeFix(g)}`;
}

/** Who and how: `**a.wasm** (Go 1.24.4), **b.wasm** and 10 more — 12 artifacts, same cause: REGRESSION, high confidence`. */
function causeWho(g: CauseGroup): string {
  const [first] = g.results;
  const n = g.results.length;
  const names = g.results.slice(0, MAX_NAMED).map((r, i) => {
    const t = toolchainLabel(r);
    return `**${escapeInline(r.artifact.path)}**${i === 0 && t !== '—' ? ` (${escapeInline(t)})` : ''}`;
  });
  const more = n > MAX_NAMED ? ` and ${formatCount(n - MAX_NAMED)} more` : '';
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')}${more ? ', ' : ' and '}${names.at(-1)}${more}` : names[0]!;
  const tags: string[] = [g.verdict];
  if (g.diagnosis) tags.push(`${g.diagnosis.confidence} confidence`);
  if (g.diagnosis && predictedAndConfirmed(first!, g.diagnosis)) tags.push('predicted before running');
  return `${list}${n > 1 ? ` — ${plural(n, 'artifact')}, same cause` : ''}: ${tags.join(', ')}`;
}

function predictedAndConfirmed(r: ArtifactResult, d: Diagnosis): boolean {
  return r.predictions.some((p) => p.signatureId === d.signatureId && p.confirmed === true);
}

/* ───────────── the cause sections ───────────── */

function causeSection(g: CauseGroup, report: Report, level: MarkdownDetail, number?: number): string[] {
  const r = g.results[0]!;
  const out: string[] = [`### ${VERDICT_ICON[g.verdict]} ${number ? `${number}. ` : ''}${causeTitle(g)}`, ''];
  const what = whatHappened(r);
  const shownFor = g.results.length > 1 ? ` Shown for ${escapeInline(r.artifact.path)}:` : '';
  out.push(`${causeWho(g)}.${what ? `${shownFor} ${what}.` : ''}`, '');
  const d = g.diagnosis;
  const ordered = d ? orderWorkarounds(d.workarounds) : [];
  const [fix, ...otherSafe] = ordered.filter((w) => w.safe);
  out.push(`**Fix:** ${causeFix(g)}${fix?.why ? ` (${inlineMarkdown(fix.why)})` : ''}`, '');
  if (level === 'table') {
    while (out.length && out[out.length - 1] === '') out.pop();
    return out;
  }
  if (otherSafe.length) {
    out.push(
      '**Other ways:**',
      '',
      ...otherSafe.map((w) => `- ${inlineMarkdown(w.text)}${w.why ? ` (${inlineMarkdown(w.why)})` : ''}`),
      '',
    );
  }
  const unsafe = ordered.filter((w) => !w.safe);
  if (unsafe.length) {
    const body = unsafe.map(
      (w) => `- ${inlineMarkdown(w.text)} — ${w.why ? inlineMarkdown(w.why) : 'works around the symptom, not the cause'}`,
    );
    out.push(
      details(
        `⚠️ ${unsafe.length === 1 ? 'An unsafe workaround' : `${unsafe.length} unsafe workarounds`}: not recommended, and why`,
        body.join('\n'),
      ),
      '',
    );
  }
  if (g.results.length > MAX_NAMED) out.push(details(`The ${plural(g.results.length, 'artifact')}`, artifactList(g.results)), '');
  const why = whyBody(g, r);
  if (why) out.push(details(whySummary(g), why), '');

  if (r.conversion && !r.conversion.ok && r.conversion.error) {
    out.push(details('Conversion error', fence(guestText(r.conversion.error))), '');
  }
  const trap = r.p2?.trap ?? r.p1?.trap;
  if (trap && level === 'full' && (trap.frames.length || trap.causes.length)) {
    const phase = r.p2?.trap ? 'P2' : 'P1';
    const frames = trap.frames.slice(0, MAX_FRAMES).map((f) => `${f.index}: ${f.name} [${f.origin}]`);
    if (trap.frames.length > MAX_FRAMES) frames.push(`… ${trap.frames.length - MAX_FRAMES} more frames`);
    const body = [
      ...trap.causes.map((c) => `Caused by: ${c}`),
      ...(frames.length ? ['', 'Backtrace (innermost first):', ...frames] : []),
    ].join('\n');
    out.push(details(`${phase} error chain and backtrace`, fence(guestText(body))), '');
  }
  const run = runDetails(r, report);
  if (run) out.push(details('Run details: differences, notes, hosts', run), '');
  if (level === 'full') out.push(...guestOutput(r));
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

/** 'P1 exited 0; P2 trapped: assertion failed at adapter line 2857; stdout differs' (the trap, shown once). */
function whatHappened(r: ArtifactResult): string {
  const parts: string[] = [];
  const p1 = runOutcome(r.p1);
  const p2 = runOutcome(r.p2);
  if (p1) parts.push(`P1 ${p1}`);
  if (p2) parts.push(`P2 ${p2}`);
  const other = r.differences.filter((d) => d.field === 'stdout' || d.field === 'stderr').map((d) => d.field);
  if (other.length) parts.push(`${other.join(' and ')} ${other.length === 1 ? 'differs' : 'differ'}`);
  return parts.join('; ');
}

function runOutcome(run: RunResult | undefined): string | undefined {
  if (!run) return undefined;
  if (run.hostError) return 'could not be run by the checker';
  if (run.timedOut) return 'timed out';
  if (run.trap) return `trapped: ${escapeInline(ellipsize(cleanText(run.trap.adapterLine?.text ?? run.trap.message), 200))}`;
  if (run.harnessError) return 'could not be loaded';
  if (run.limit) return `hit the ${run.limit.kind} limit`;
  if (run.exitCode !== null) return `exited ${run.exitCode}`;
  return 'ended without an exit code';
}

/** 'go124-hello.wasm (Go 1.24.4)', or the path alone when the toolchain is unknown. */
function named(r: ArtifactResult): string {
  const t = toolchainLabel(r);
  return t === '—' ? escapeInline(r.artifact.path) : `${escapeInline(r.artifact.path)} (${escapeInline(t)})`;
}

function artifactList(results: ArtifactResult[]): string {
  const lines = results.slice(0, MAX_LISTED).map((r) => `- ${named(r)}`);
  if (results.length > MAX_LISTED)
    lines.push(`- … and ${formatCount(results.length - MAX_LISTED)} more (all of them are in the JSON report)`);
  return lines.join('\n');
}

/** A diagnosis's workarounds as a numbered list, safe ones first, unsafe ones flagged with why (also the bot's). */
export function workarounds(d: Diagnosis): string[] {
  const out = ['**What to do** (best first)', ''];
  orderWorkarounds(d.workarounds).forEach((w, i) => {
    const why = w.why ? ` (${inlineMarkdown(w.why)})` : '';
    out.push(
      w.safe
        ? `${i + 1}. ${inlineMarkdown(w.text)}${why}`
        : `${i + 1}. ⚠️ **Unsafe:** ${inlineMarkdown(w.text)}${why || ' (works around the symptom, not the cause)'}`,
    );
  });
  return out;
}

function whySummary(g: CauseGroup): string {
  const d = g.diagnosis;
  if (d) return `Why: cause and evidence (${d.confidence} confidence, ${d.signatureId})`;
  const u = g.results[0]!.unknown;
  return u ? `Why: what is known (fingerprint ${u.fingerprint})` : 'Why: other candidates and predictions';
}

function whyBody(g: CauseGroup, r: ArtifactResult): string {
  const out: string[] = [];
  const { failures } = splitDiagnoses(r);
  const d = g.diagnosis;
  if (d) {
    out.push(...causeAndEvidence(d));
  } else if (r.unknown) {
    const u = r.unknown;
    out.push(`No known signature matched. ${inlineMarkdown(unknownSummary(u.summary))}`, '', `Fingerprint: ${codeSpan(u.fingerprint)}`, '');
    if (u.evidence.length) out.push('**Evidence**', '', ...u.evidence.map((e) => `- ${inlineMarkdown(e)}`), '');
    out.push(link('Propose a signature for this failure', u.proposeUrl), '');
  }
  const others = failures.filter((x) => x !== d);
  if (others.length) out.push(`**Other candidates:** ${others.map((x) => `${inlineMarkdown(x.title)} (${x.confidence})`).join(' · ')}`, '');
  // A prediction that the run confirmed is the diagnosis itself (the cause line says "predicted before running").
  const predictions = r.predictions.filter((p) => !(d && p.signatureId === d.signatureId && p.confirmed === true));
  if (predictions.length) {
    out.push(
      '**Predicted before running**',
      '',
      ...predictions.map((p) => `- ${inlineMarkdown(p.title)}: ${inlineMarkdown(p.message)} (${predictionStatus(p)})`),
      '',
    );
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/** A diagnosis's cause, evidence and links (what the "Why" folds hold; also the bot's). */
export function causeAndEvidence(d: Diagnosis): string[] {
  const out = [inlineMarkdown(d.cause), ''];
  if (d.evidence.length) out.push('**Evidence**', '', ...d.evidence.map((e) => `- ${inlineMarkdown(e)}`), '');
  if (d.links.length) out.push(`**Links:** ${d.links.map((l) => link(l.title, l.url)).join(' · ')}`, '');
  return out;
}

function runDetails(r: ArtifactResult, report: Report): string {
  const out: string[] = [];
  // The trap is already in the line above and in the backtrace block: not a third time here.
  const diffs = r.differences.filter((d) => d.field !== 'trap');
  if (diffs.length)
    out.push(
      table(
        ['', 'P1', 'P2'],
        diffs.map((d) => [d.field, diffCell(d.p1), diffCell(d.p2)]),
      ),
      '',
    );
  // This run's own notes; the hosts-differ caveat is said once for the run, note-level diagnoses once in the notes.
  const notes = r.notes.filter((n) => n.code !== HOSTS_DIFFER);
  if (notes.length) out.push(...notes.map((n) => `- ${inlineMarkdown(n.message)} (${codeSpan(n.code)})`), '');
  for (const run of [r.p1, r.p2]) {
    if (!run) continue;
    const phase = run.phase.toUpperCase();
    if (run.harnessError) out.push(`**${phase} could not be loaded:** ${escapeInline(cleanText(run.harnessError))}`, '');
    if (run.hostError) out.push(`**${phase} host error** (not the guest's fault): ${escapeInline(cleanText(run.hostError))}`, '');
    if (run.limit) out.push(`**${phase} limit:** ${escapeInline(run.limit.message)}`, '');
  }
  // The hosts and adapter of the whole run are in the footer; a result's own only when they differ (a merged report).
  const hosts = hostsLine(r, report);
  if (!runHostsLines(report).includes(hosts)) out.push(hosts);
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/** A note-level diagnosis on one line: title, cause, the first workaround. */
function noteDiagnosis(d: Diagnosis): string {
  const w = orderWorkarounds(d.workarounds)[0];
  return `**${inlineMarkdown(d.title)}**: ${inlineMarkdown(d.cause)}${w ? ` ${inlineMarkdown(w.text)}` : ''} (${codeSpan(d.signatureId)})`;
}

/**
 * The notes, each said once with the artifacts it applies to: note-level diagnoses of every artifact (an expected
 * difference such as the exit-code collapse), and the notes of passing artifacts (a failing one's are in its section).
 */
function passNotes(results: ArtifactResult[]): string[] {
  const byText = new Map<string, string[]>();
  const add = (text: string, r: ArtifactResult) => byText.set(text, [...(byText.get(text) ?? []), r.artifact.path]);
  for (const r of results) {
    if (r.verdict === 'PASS') for (const n of r.notes) add(`${inlineMarkdown(n.message)} (${codeSpan(n.code)})`, r);
    for (const d of splitDiagnoses(r).notes) add(noteDiagnosis(d), r);
  }
  return [...byText].map(([text, paths]) => {
    const names = paths.slice(0, MAX_NAMED).map(escapeInline).join(', ');
    return `- ${names}${paths.length > MAX_NAMED ? ` and ${formatCount(paths.length - MAX_NAMED)} more` : ''}: ${text}`;
  });
}

/**
 * Every artifact: its part of a merged run (a column, only when the parts differ), toolchain, verdict, and its cause
 * by number (said once, in its section above) or its note.
 */
function artifactTable(results: ArtifactResult[], groups: CauseGroup[]): string {
  const parts = new Set(results.map((r) => r.group ?? ''));
  const withPart = parts.size > 1;
  const causeOf = new Map(groups.flatMap((g, i) => g.results.map((r) => [r, groups.length > 1 ? `cause ${i + 1}` : 'see above'] as const)));
  return table(
    ['Artifact', ...(withPart ? ['Part'] : []), 'Toolchain', 'Verdict', 'Cause'],
    results.map((r) => [
      escapeInline(r.artifact.path),
      ...(withPart ? [escapeInline(r.group ?? '')] : []),
      escapeInline(toolchainLabel(r)),
      `${VERDICT_ICON[r.verdict]} ${r.verdict}`,
      causeOf.get(r) ?? sectionRef(r, groups) ?? diagnosisCell(r),
    ]),
  );
}

/** A failing result not in a section (still failing on the baseline) whose cause has one: that section. */
function sectionRef(r: ArtifactResult, groups: CauseGroup[]): string | undefined {
  if (r.verdict === 'PASS') return undefined;
  const i = sectionIndex(r.verdict, splitDiagnoses(r).failures[0], r, groups);
  return i < 0 ? undefined : groups.length > 1 ? `cause ${i + 1}` : 'see above';
}

function diagnosisCell(r: ArtifactResult): string {
  const { failures, notes } = splitDiagnoses(r);
  const top = failures[0];
  if (top) return `${inlineMarkdown(top.title, true)} (${top.confidence})`;
  if (r.unknown) return `no known signature (\`${escapeCode(r.unknown.fingerprint)}\`)`;
  const reason = r.verdict !== 'PASS' ? failureReason(r) : undefined;
  if (reason) return escapeInline(ellipsize(cleanText(reason), 120));
  if (notes[0]) return `note: ${codeSpan(notes[0].signatureId)}`; // its text is in the notes below
  if (r.verdict === 'PASS') return r.notes.length ? `note: ${r.notes.map((n) => escapeInline(n.code)).join(', ')}` : '—';
  return '—';
}

function hostsLine(r: ArtifactResult, report: Report): string {
  const parts = [
    `P1 ${escapeInline(runtimeLabel(r.p1?.runtime ?? report.runtime.p1))}`,
    `P2 ${escapeInline(runtimeLabel(r.p2?.runtime ?? report.runtime.p2))}`,
  ];
  if (r.conversion?.adapter) parts.push(`adapter ${escapeInline(adapterLabel(r.conversion.adapter))}`);
  return `**Hosts:** ${parts.join(' · ')}`;
}

/** The adapters of the whole run: the report's (command, reactor), else the one every converted result used. */
function runAdapters(report: Report): AdapterInfo[] {
  if (report.adapter) return [report.adapter.command, report.adapter.reactor];
  const used = new Map(
    report.results.flatMap((r) => (r.conversion?.adapter ? [[adapterLabel(r.conversion.adapter), r.conversion.adapter]] : [])),
  );
  return used.size === 1 ? [...used.values()] : [];
}

/** The hosts lines the results of the run share, said once (in the footer) rather than per cause. */
function runHostsLines(report: Report): string[] {
  const hosts = `P1 ${escapeInline(runtimeLabel(report.runtime.p1))} · P2 ${escapeInline(runtimeLabel(report.runtime.p2))}`;
  return runAdapters(report).map((x) => `**Hosts:** ${hosts} · adapter ${escapeInline(adapterLabel(x))}`);
}

function guestOutput(r: ArtifactResult): string[] {
  return guestStreams(r).flatMap(({ label, output }) => {
    const size =
      `${formatCount(output.bytes)} ` +
      `${output.bytes === 1 ? 'byte' : 'bytes'}${output.truncated ? `, first ${formatCount(Buffer.byteLength(output.text))} kept` : ''}`;
    return [details(`${label} (${size})`, fence(guestText(output.text), 'text')), ''];
  });
}

/**
 * No timestamp: the same result renders the same bytes, so a re-run does not rewrite the comment. For the same
 * reason the result cache is not mentioned here (a warm re-run is the same result); the terminal and JSON say it.
 */
function footer(report: Report): string {
  const rt = report.runtime;
  const merged = mergedLine(report);
  const shard = report.shard ? `shard ${report.shard.index}/${report.shard.count}` : undefined;
  const extra = [merged, shard]
    .filter((x): x is string => x !== undefined)
    .map((x) => ` · ${escapeInline(x)}`)
    .join('');
  const [shared] = runAdapters(report);
  const adapter = shared ? ` · adapter ${escapeInline(adapterLabel(shared))}` : '';
  return (
    `<sub>${escapeInline(`${report.tool.name} ${report.tool.version}`)} · runtime ${escapeInline(rt.requested)}: ` +
    `P1 ${escapeInline(runtimeLabel(rt.p1))}, P2 ${escapeInline(runtimeLabel(rt.p2))}${adapter}${extra}</sub>`
  );
}

/** Guest/host text for a fence: sanitised, capped, and without the checker's scratch paths. */
function guestText(text: string): string {
  return stripScratchPaths(sanitizeGuestText(text, GUEST_CHARS));
}

/** One-line text from the checker or a host (reasons, host errors): capped, without scratch paths. */
function cleanText(text: string): string {
  return stripScratchPaths(sanitizeGuestText(text, 600));
}

function diffCell(value: string): string {
  if (value === '') return '_(empty)_';
  const oneLine = sanitizeGuestText(cleanText(value), DIFF_CHARS).replace(/\n/g, '⏎').replace(/\t/g, '⇥');
  return escapeInline(oneLine);
}

/** Backticks cannot occur in a code span of ours: fingerprints and codes are ids, but be safe. */
function escapeCode(text: string): string {
  return sanitizeGuestText(text, 200).replace(/[`\n|]/g, '');
}

function codeSpan(text: string): string {
  return `\`${escapeCode(text)}\``;
}
