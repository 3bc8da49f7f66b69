import type { ArtifactResult, Report, Verdict } from '../model.js';
import { REGRESSION_VERDICTS } from './summary.js';

export type FailOn = 'regression' | 'not-wasi' | 'any' | 'never';

/** Verdicts that fail `fail-on: regression`: the conversion broke something, or the checker could not tell (ERROR). */
export const GATING_VERDICTS: readonly Verdict[] = [...REGRESSION_VERDICTS, 'ERROR'];

/** A component that hangs where the module finished: TIMEOUT in P2 only (P1 ran and completed). */
export function p2OnlyTimeout(r: Pick<ArtifactResult, 'verdict' | 'p1' | 'p2'>): boolean {
  return r.verdict === 'TIMEOUT' && r.p1 !== undefined && !r.p1.timedOut && r.p2?.timedOut === true;
}

/**
 * Whether one artifact fails the run. `regression` (the default): a REGRESSION, a CONVERT-FAIL, an ERROR (the checker
 * could not carry out a run: never a silent pass) or a TIMEOUT in P2 only; `not-wasi`: those and a NOT-WASI module (one
 * built for a specific non-WASI host, which no WASI host can run: for projects whose artifacts must all be WASI
 * programs); `any`: anything but PASS; `never`: nothing.
 */
export function resultFails(r: Pick<ArtifactResult, 'verdict' | 'p1' | 'p2'>, failOn: FailOn): boolean {
  if (failOn === 'never' || r.verdict === 'PASS') return false;
  if (failOn === 'not-wasi' && r.verdict === 'NOT-WASI') return true;
  return failOn === 'any' || GATING_VERDICTS.includes(r.verdict) || p2OnlyTimeout(r);
}

/** Artifacts of the report that fail the run. */
export function failingResults(report: Report, failOn: FailOn): ArtifactResult[] {
  return report.results.filter((r) => resultFails(r, failOn));
}

/**
 * Whether a report fails the run: one of its artifacts does (see `resultFails`), or its configuration could not be
 * carried out (a usage error, whatever `fail-on` says).
 */
export function reportFails(report: Report, failOn: FailOn): boolean {
  return report.configurationError !== undefined || failingResults(report, failOn).length > 0;
}
