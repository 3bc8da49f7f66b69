/**
 * The Action's modes: each is a unit in its own file (its inputs, how it obtains its result) and declared publishing
 * rules (src/action/mode.ts `Publishing`), which src/action/publish.ts follows. A new mode is one file here, one entry
 * in MODES, and its name among the `mode` input's values (src/options/table.ts).
 */
import type { OptionReader } from '../../options/build.js';
import type { CommonInputs, GetInput, Mode } from '../inputs.js';
import { parseCommonInputs } from '../inputs.js';
import type { ModeUnit, Publishing } from '../mode.js';
import { checkMode } from './check.js';
import { explainMode } from './explain.js';
import { mergeMode } from './merge.js';
import { postFromReportMode } from './post-from-report.js';
import { reportOnlyMode } from './report-only.js';
import { versionsMode } from './versions.js';

export const MODES = {
  check: {
    unit: checkMode,
    publishing: { writesReport: true, checkRun: 'always', comment: true, gates: true, token: 'optional', baseline: 'compare-and-keep' },
  },
  'report-only': {
    unit: reportOnlyMode,
    publishing: { writesReport: true, checkRun: 'never', comment: false, gates: true, token: 'unused', baseline: 'compare-and-keep' },
  },
  'post-from-report': {
    unit: postFromReportMode,
    // The verdicts were the checking run's to gate on; this run only publishes them.
    publishing: { writesReport: false, checkRun: 'report', comment: true, gates: false, token: 'optional', baseline: 'compare' },
  },
  merge: {
    unit: mergeMode,
    publishing: { writesReport: true, checkRun: 'always', comment: true, gates: true, token: 'optional', baseline: 'compare-and-keep' },
  },
  versions: {
    unit: versionsMode,
    // Its report is a release matrix, not one run to compare with the base branch's (nor one to keep as a baseline).
    publishing: { writesReport: true, checkRun: 'always', comment: true, gates: true, token: 'optional', baseline: 'none' },
  },
  explain: {
    unit: explainMode,
    publishing: {
      writesReport: false,
      checkRun: 'never',
      comment: false,
      gates: false,
      token: { needs: 'issues: write' },
      baseline: 'none',
    },
  },
} as const satisfies Record<Mode, { unit: ModeUnit<object>; publishing: Publishing }>;

type OwnInputs<M extends Mode> = (typeof MODES)[M]['unit'] extends ModeUnit<infer Own> ? Own : never;

/** The Action's inputs: the common ones and the mode's own, keyed on `mode`. */
export type ActionInputs = { [M in Mode]: { mode: M } & CommonInputs & OwnInputs<M> }[Mode];

/** The unit of `inputs.mode`, typed for those inputs. */
export function unitOf<M extends Mode>(mode: M): ModeUnit<OwnInputs<M>> {
  return MODES[mode].unit as unknown as ModeUnit<OwnInputs<M>>;
}

export function publishingOf(mode: Mode): Publishing {
  return MODES[mode].publishing;
}

/**
 * Validates every input and builds what the Action needs: the common inputs, then the mode's own.
 *
 * @param getInput raw input values ('' when unset), e.g. `(n) => core.getInput(n)`
 * @param cwd the workspace: globs, `stdin`, `dirs` and `report` are relative to it
 * @throws InputError naming the first bad input and its value
 */
export function parseInputs(getInput: GetInput, cwd: string): ActionInputs {
  const { mode, read, ...common } = parseCommonInputs(getInput, cwd);
  return { mode, ...common, ...ownInputs(mode, read, common, cwd) } as ActionInputs;
}

function ownInputs(mode: Mode, read: OptionReader, common: CommonInputs, cwd: string): object {
  return unitOf(mode).inputs(read, common, cwd);
}
