import type { ArtifactResult, Report, ResultChange, Verdict } from '../model.js';
import { GATING_VERDICTS, VERDICTS } from './verdicts.js';

/**
 * What each `fail-on` value fails: the one definition. The code (`resultFails`), the CLI's --help, the Action input's
 * description (action.yml and the README inputs table are generated from it) and the prose the README and the
 * workflows carry (test/fail-on.test.ts holds them to it) all read this table.
 */
export interface FailOnDefinition {
  /** Verdicts that fail the run under this value. */
  verdicts: readonly Verdict[];
  /** Also a TIMEOUT in P2 only (P1 ran and completed: the component hangs where the module finished). */
  p2OnlyTimeout: boolean;
  /** Whether this is the default value. */
  isDefault?: boolean;
  /**
   * Only results that are new problems against the baseline (see `isNewProblem`); without a baseline every result
   * counts (see `failOnNotice`).
   */
  onlyNew?: boolean;
  /** One short phrase (workflow comments, --help). */
  short: string;
}

export const FAIL_ON = {
  regression: { verdicts: GATING_VERDICTS, p2OnlyTimeout: true, isDefault: true, short: 'only what P2 broke, or could not check, fails' },
  new: {
    verdicts: GATING_VERDICTS,
    p2OnlyTimeout: true,
    onlyNew: true,
    short: 'only what this change broke, against the baseline',
  },
  'not-wasi': { verdicts: [...GATING_VERDICTS, 'NOT-WASI'], p2OnlyTimeout: true, short: 'also a module that is not a WASI program' },
  any: { verdicts: VERDICTS.filter((v) => v !== 'PASS'), p2OnlyTimeout: true, short: 'anything but PASS fails' },
  never: { verdicts: [], p2OnlyTimeout: false, short: 'nothing fails: report only' },
} as const satisfies Record<string, FailOnDefinition>;

export type FailOn = keyof typeof FAIL_ON;
export const FAIL_ON_VALUES = Object.keys(FAIL_ON) as FailOn[];

/** What a verdict means, in the words a fail-on description uses. */
const GLOSS: Partial<Record<Verdict, string>> = {
  ERROR: 'the checker could not carry out a run',
  'P2-FAIL': 'fails as P2 with no P1 baseline to compare',
  'NOT-WASI': 'a module built for a specific non-WASI host',
};

const list = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

/**
 * What one value fails, as a phrase: `a REGRESSION, a CONVERT-FAIL, an ERROR (the checker could not carry out a run) or
 * a TIMEOUT in P2 only`. `code` wraps verdict names in backticks (Markdown).
 */
export function failOnMeaning(value: FailOn, code = false): string {
  const d: FailOnDefinition = FAIL_ON[value];
  if (d.verdicts.length === 0) return 'nothing (report only)';
  if (d.verdicts.length === VERDICTS.length - 1 && !d.verdicts.includes('PASS')) return `anything but ${code ? '`PASS`' : 'PASS'}`;
  const name = (v: string) => (code ? `\`${v}\`` : v);
  const article = (v: string) => (/^[AEIOU]/.test(v) ? 'an' : 'a');
  const items = d.verdicts.map((v) => `${article(v)} ${name(v)}${GLOSS[v] ? ` (${GLOSS[v]})` : ''}`);
  if (d.p2OnlyTimeout && !d.verdicts.includes('TIMEOUT'))
    items.push(`a ${name('TIMEOUT')} in P2 only (the module finished, the component hangs)`);
  const newOnly = d.onlyNew
    ? ' that is new against the baseline (a new failure, a new artifact or a result changed for the worse; ' +
      'with no baseline found, every result counts)'
    : '';
  return list(items) + newOnly;
}

/** Every value with its meaning, as one sentence (the Action input's description, the README's "What fails"). */
export function failOnDescription(code = true): string {
  const q = (v: string) => (code ? `\`${v}\`` : v);
  const parts = FAIL_ON_VALUES.map(
    (v) => `${q(v)}${(FAIL_ON[v] as FailOnDefinition).isDefault ? ' (the default)' : ''}: ${failOnMeaning(v, code)}`,
  );
  return `What fails the step, the check run and the exit status — ${parts.join('; ')}.`;
}

/** A component that hangs where the module finished: TIMEOUT in P2 only (P1 ran and completed). */
export function p2OnlyTimeout(r: Pick<ArtifactResult, 'verdict' | 'p1' | 'p2'>): boolean {
  return r.verdict === 'TIMEOUT' && r.p1 !== undefined && !r.p1.timedOut && r.p2?.timedOut === true;
}

/** Whether one artifact fails the run under `failOn` (see FAIL_ON). */
export function resultFails(r: Pick<ArtifactResult, 'verdict' | 'p1' | 'p2' | 'change'>, failOn: FailOn): boolean {
  const d: FailOnDefinition = FAIL_ON[failOn];
  if (d.onlyNew && r.change !== undefined && !isNewProblem(r.change)) return false;
  return d.verdicts.includes(r.verdict) || (d.p2OnlyTimeout && p2OnlyTimeout(r));
}

/**
 * A result that is a new problem against the baseline: a new failure, a new artifact (the baseline did not have it),
 * or a result changed for the worse (it now fails `regression`, the baseline's result did not).
 */
export function isNewProblem(change: ResultChange): boolean {
  return change.class === 'new-failure' || change.class === 'new-artifact' || (change.class === 'changed' && change.worse === true);
}

/** What a reader must be told about how `failOn` applied to this report: `new` without a baseline gates like `regression`. */
export function failOnNotice(report: Report, failOn: FailOn): string | undefined {
  if (!(FAIL_ON[failOn] as FailOnDefinition).onlyNew || report.baseline) return undefined;
  return `fail-on ${failOn}: no baseline to compare with, so every result counts as new (gated like fail-on regression)`;
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
