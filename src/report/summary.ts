import type { ArtifactResult, ReportSummary, Verdict } from '../model.js';

/** Every verdict, in the order reports list them (worst first after PASS). */
export const VERDICTS: readonly Verdict[] = [
  'PASS',
  'REGRESSION',
  'CONVERT-FAIL',
  'P2-FAIL',
  'ERROR',
  'PRE-EXISTING',
  'TIMEOUT',
  'NOT-WASI',
  'INVALID-INPUT',
];

/** Verdicts that mean "the conversion to P2 broke something that worked". */
export const REGRESSION_VERDICTS: readonly Verdict[] = ['REGRESSION', 'CONVERT-FAIL'];

/**
 * Counts verdicts.
 * @returns total, a count for every verdict (0 when absent), regressions (REGRESSION + CONVERT-FAIL) and failures (not PASS).
 */
export function summarize(results: ArtifactResult[]): ReportSummary {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of results) counts[r.verdict]++;
  return {
    total: results.length,
    counts,
    regressions: REGRESSION_VERDICTS.reduce((n, v) => n + counts[v], 0),
    failures: results.length - counts.PASS,
  };
}
