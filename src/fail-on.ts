import type { Report } from './model.js';

export type FailOn = 'regression' | 'any' | 'never';

/** Whether a report fails the run: `regression` = a REGRESSION or CONVERT-FAIL; `any` = anything but PASS. */
export function reportFails(report: Report, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return failOn === 'any' ? report.summary.failures > 0 : report.summary.regressions > 0;
}
