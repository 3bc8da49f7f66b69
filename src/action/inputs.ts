/**
 * The Action's inputs, validated. Pure: everything comes in through a `getInput`-like function, so the same code
 * runs under the runner (`core.getInput`) and in tests (a plain object). Every error names the input and the value.
 *
 * The defaults here are the ones in action.yml (the runner fills those in; a direct `node dist/index.js` does not),
 * and test/options.test.ts keeps the two equal. Values go through the same parsers as the CLI's flags
 * (src/options/): only the wording of errors differs.
 */
import type { FailOn } from '../report/fail-on.js';
import type { BaselineSource } from '../options/parsers.js';
import type { OptionReader } from '../options/build.js';
import { actionInputs, type CommentMode, inputLines, OPTIONS, readOption, type OptionName, type OptionValue } from '../options/table.js';

/** Like `core.getInput(name)`: the raw value, '' when unset. */
export type GetInput = (name: string) => string;

export type Mode = OptionValue<'mode'>;

export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly value: string,
    expected: string,
  ) {
    super(`Input '${input}' has an invalid value '${value}': ${expected}`);
    this.name = 'InputError';
  }
}

/** action.yml defaults, from the option table (`github-token`'s is an expression the runner evaluates). */
export const INPUT_DEFAULTS: Record<string, string> = Object.fromEntries(actionInputs().map((i) => [i.name, i.default]));

export type InputName = OptionName;

export interface PublishOptions extends Omit<CheckRunInputs, 'mode'> {
  comment: CommentMode;
  failOn: FailOn;
  /** Explicit sticky-comment key; derived from workflow, job and matrix when absent. */
  commentKey?: string;
  /** Title of the comment and summaries (`comment-title`); default `wasm-p2-check`. */
  commentTitle?: string;
  /** Post anew and minimize the superseded comment instead of editing it. */
  hideOld: boolean;
  /** Whether an API error while publishing fails the step (`fail`) or is a warning (`warn`). */
  publishErrors: 'warn' | 'fail';
}

/** The inputs every mode has; each mode reads its own beside them (src/action/modes/, `inputs`). */
export interface CommonInputs {
  publish: PublishOptions;
  /** `report` input resolved against cwd: where to write the JSON report, or (post-from-report) where to read it. */
  reportPath?: string;
  /** The `cache` input: keep results between runs (the modes that check). */
  cache: boolean;
  /** The report to compare with: `auto` (kept with `@actions/cache`), `none`, or a file (src/action/baseline.ts). */
  baseline: BaselineSource;
  /** The `signatures` input: a baseline's diagnoses are derived again with them (src/action/baseline.ts). */
  signatureDirs: string[];
}

/** Reads one input through the option table (same parsers as the CLI); errors are InputErrors naming the input. */
export function inputReader(getInput: GetInput, cwd: string): OptionReader {
  // An empty input takes its action.yml default (a direct `node dist/index.js` gets no defaults from the runner); an
  // option the Action has no input for (a CLI-only flag) takes its own default. `github-token` stays '' when unset.
  return (name) => {
    const spec: { kind: string; input?: { default?: string }; default: string } = OPTIONS[name];
    const fail = (text: string, expected: string) => new InputError(name, text, expected);
    if (spec.kind === 'list') return readOption(name, inputLines(name, spec.input ? getInput(name) : ''), { cwd }, fail);
    const raw = spec.input ? getInput(name).trim() : '';
    const given = raw !== '' || name === 'github-token' ? raw : (spec.input?.default ?? spec.default);
    return readOption(name, given, { cwd }, fail);
  };
}

/** What completing a check run needs: the mode, the token and the check run's name (see {@link parseCheckRunInputs}). */
export interface CheckRunInputs {
  mode: Mode;
  /** '' when no token was given: nothing is posted, the summary and the report file still are. */
  token: string;
  /** Whether to create a check run at all. */
  checkRun: boolean;
  checkName: string;
  /** The job's matrix as JSON (`${{ toJSON(matrix) }}`), parsed; part of the derived key, the heading and the check-run name. */
  matrix?: Record<string, unknown>;
}

/**
 * Only the inputs a check run is created with. When another input is bad, these may still be good: then the step can
 * still complete the check run (failed, naming the bad input), so a required check does not wait forever.
 *
 * @throws InputError when one of these inputs is bad itself
 */
export function parseCheckRunInputs(getInput: GetInput, cwd: string): CheckRunInputs {
  const read = inputReader(getInput, cwd);
  return {
    mode: read('mode'),
    token: read('github-token'),
    checkRun: read('check-run'),
    checkName: read('check-name'),
    matrix: read('matrix'),
  };
}

/**
 * Validates the inputs every mode has (the mode's own are read by its unit: src/action/modes/index.ts `parseInputs`).
 *
 * @param getInput raw input values ('' when unset), e.g. `(n) => core.getInput(n)`
 * @param cwd the workspace: globs, `stdin`, `dirs` and `report` are relative to it
 * @throws InputError naming the first bad input and its value
 */
export function parseCommonInputs(getInput: GetInput, cwd: string): CommonInputs & { mode: Mode; read: OptionReader } {
  const read = inputReader(getInput, cwd);
  const { mode, ...checkRun } = parseCheckRunInputs(getInput, cwd);
  const publish: PublishOptions = {
    ...checkRun,
    comment: read('comment'),
    failOn: read('fail-on'),
    commentKey: read('comment-key'),
    commentTitle: read('comment-title'),
    hideOld: read('hide-old'),
    publishErrors: read('publish-errors'),
  };
  return {
    mode,
    read,
    publish,
    reportPath: read('report'),
    cache: read('cache'),
    baseline: read('baseline') ?? { kind: 'auto' },
    signatureDirs: read('signatures'),
  };
}
