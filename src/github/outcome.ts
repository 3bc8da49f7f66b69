/** How a report maps onto GitHub's vocabulary: the check-run conclusion and title, the `result` output. */
import { versionsHeadline } from '../versions/render.js';
import { reportFails, type FailOn } from '../report/fail-on.js';
import type { Report } from '../model.js';
import { changeGroups, changeHeadline } from '../report/change.js';
import type { CheckConclusion } from './check-run.js';

/**
 * `failure` when `fail-on` trips; `neutral` when something failed that `fail-on` lets pass; else `success`. Compared with
 * a baseline, what fails the same way on it is not this change's: it leaves the check green.
 */
export function checkConclusion(report: Report, failOn: FailOn): CheckConclusion {
  if (reportFails(report, failOn)) return 'failure';
  const change = report.baseline ? changeGroups(report) : undefined;
  const failing = change ? change.newFailures.length + change.changed.length : report.summary.failures;
  return failing > 0 ? 'neutral' : 'success';
}

/** The `result` output: `pass` (all PASS), `regression` (a REGRESSION or CONVERT-FAIL), else `fail`. */
export function resultOutput(report: Report): 'pass' | 'regression' | 'fail' {
  if (report.configurationError) return 'fail';
  if (report.summary.regressions > 0) return 'regression';
  return report.summary.failures > 0 ? 'fail' : 'pass';
}

/** One line for the check run's title. */
export function checkTitle(report: Report): string {
  const { total, regressions, failures } = report.summary;
  if (report.configurationError) return `Configuration error (${report.configurationError.option}): nothing was checked`;
  const things = (n: number) => `${n} artifact${n === 1 ? '' : 's'}`;
  if (total === 0) return 'No artifacts checked';
  if (report.versions) return versionsHeadline(report.versions);
  // Compared with a baseline: the change, in the words of the comment's first line.
  if (report.baseline) return changeHeadline(report);
  if (failures === 0) return total === 1 ? 'The artifact works as a P2 component' : `All ${things(total)} work as P2 components`;
  if (regressions > 0)
    return `${regressions} of ${things(total)} ${regressions === 1 ? 'breaks as a P2 component' : 'break as P2 components'}`;
  return `${failures} of ${things(total)} ${failures === 1 ? 'fails' : 'fail'} (not a P2 regression)`;
}
