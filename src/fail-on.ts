import type { Report } from './model.js';

export type FailOn = 'regression' | 'any' | 'never';

/**
 * Whether a report fails the run: `regression` = a REGRESSION or CONVERT-FAIL; `any` = anything but PASS. A report
 * whose configuration could not be carried out always fails (a usage error, not a verdict).
 */
export function reportFails(report: Report, failOn: FailOn): boolean {
  if (report.configurationError) return true;
  if (failOn === 'never') return false;
  return failOn === 'any' ? report.summary.failures > 0 : report.summary.regressions > 0;
}
