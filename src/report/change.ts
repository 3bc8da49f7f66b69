/**
 * The change against a baseline, in words: what the terminal, the Markdown report and the check-run title lead with
 * when a report was compared with a baseline (see compare/baseline.ts). Pure helpers over `Report`.
 */
import type { ArtifactResult, BaselineResult, Report } from '../model.js';
import { isNewProblem } from './fail-on.js';
import { plural } from './format.js';

/** The results of a compared report, by what the reader should do about them. */
export interface ChangeGroups {
  /** Fail now and did not fail (this way) on the baseline: a new failure, a failing new artifact, a change for the worse. */
  newFailures: ArtifactResult[];
  /** Fail on both, differently, and no worse. */
  changed: ArtifactResult[];
  fixed: ArtifactResult[];
  /** Fail on both the same way: not caused by this change. */
  stillFailing: ArtifactResult[];
  /** Pass (on both, or new and passing). */
  passing: ArtifactResult[];
  removed: BaselineResult[];
}

export function changeGroups(report: Report): ChangeGroups {
  const g: ChangeGroups = {
    newFailures: [],
    changed: [],
    fixed: [],
    stillFailing: [],
    passing: [],
    removed: report.baseline?.removed ?? [],
  };
  for (const r of report.results) {
    const c = r.change;
    if (r.verdict === 'PASS') (c?.class === 'fixed' ? g.fixed : g.passing).push(r);
    else if (!c || isNewProblem(c)) g.newFailures.push(r);
    else if (c.class === 'changed') g.changed.push(r);
    else g.stillFailing.push(r);
  }
  return g;
}

/** What the baseline is called: its branch ('main'), else 'the baseline'. */
export function baseName(report: Report): string {
  return report.baseline?.ref ?? 'the baseline';
}

export const shortSha = (sha: string): string => sha.slice(0, 7);

/** '1 new failure · 2 fixed · 3 still failing on main' (and '· 1 changed' when some failures changed). */
export function changeHeadline(report: Report): string {
  const g = changeGroups(report);
  const parts = [
    plural(g.newFailures.length, 'new failure'),
    `${g.fixed.length} fixed`,
    `${g.stillFailing.length} still failing on ${baseName(report)}`,
  ];
  if (g.changed.length) parts.push(`${g.changed.length} failing differently`);
  return parts.join(' · ');
}

/** How much older the baseline is than this run: '3 hours older', 'newer by 2 minutes'. */
export function baselineAge(report: Report): string | undefined {
  if (!report.baseline) return undefined;
  const ms = Date.parse(report.createdAt) - Date.parse(report.baseline.createdAt);
  if (!Number.isFinite(ms)) return undefined;
  const abs = Math.abs(ms);
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  const [size, unit] = units.find(([u]) => abs >= u) ?? [1000, 'second'];
  const text = plural(Math.floor(abs / size), unit);
  return ms >= 0 ? `${text} older` : `newer by ${text}`;
}

/** 'compared with main at def5678 (3 hours older; cache wasm-p2-check-baseline-…)'. */
export function baselineLine(report: Report): string | undefined {
  const b = report.baseline;
  if (!b) return undefined;
  const at = b.commit ? ` at ${shortSha(b.commit)}` : '';
  const age = baselineAge(report);
  return `compared with ${baseName(report)}${at} (${[age, b.source].filter(Boolean).join('; ')})`;
}

/** What a changed or fixed result was on the baseline: 'REGRESSION: Go heap …', with its old path after a rename. */
export function wasOnBaseline(r: ArtifactResult): string {
  const base = r.change?.base;
  if (!base) return 'not on the baseline';
  const renamed = r.change?.matchedBy === 'sha256' ? ` as ${base.path}` : '';
  return `${base.verdict}${base.cause ? `: ${base.cause}` : ''}${renamed}`;
}
