import type { ArtifactResult, ReportSummary, Verdict } from '../model.js';
import { REGRESSION_VERDICTS, VERDICTS } from './verdicts.js';

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
