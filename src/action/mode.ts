/**
 * What an Action mode is: a unit that reads its own inputs and obtains its result (src/action/modes/<mode>.ts), and
 * the publishing rules the mode table declares for it (src/action/modes/index.ts). Publishing itself is in one place,
 * src/action/publish.ts, and follows the rules; src/action/main.ts `run()` puts the three together.
 */
import type { CheckRunRef } from '../github/check-run.js';
import type { Octokit } from '../github/client.js';
import type { Target } from '../github/context.js';
import type { RunOrder } from '../github/sticky-comment.js';
import type { Report } from '../model.js';
import type { OptionReader } from '../options/build.js';
import type { PersistedCache } from './cache.js';
import type { CommonInputs } from './inputs.js';
import type { ActionIO } from './io.js';
import type { Publisher } from './publisher.js';
import type { RunnerEnv } from './runner-env.js';

/** What a mode does with its result, declared per mode in the mode table. */
export interface Publishing {
  /** Writes the JSON report and its run metadata to the `report` path (else the mode read its report from there). */
  writesReport: boolean;
  /**
   * Completes a check run (when `check-run` is on and the commit is known): `always` — also when no result could be
   * had or an input is bad, naming why (a required check must not wait forever); `report` — for a result, and for a
   * bad input; `never`.
   */
  checkRun: 'always' | 'report' | 'never';
  /** Posts the sticky pull-request comment (as the `comment` input says). */
  comment: boolean;
  /** The verdicts (as `fail-on` says) or a configuration error fail the step. */
  gates: boolean;
  /** The token: `unused` (nothing goes to the API: the fork-safe stage), `optional`, or needed with a permission. */
  token: 'unused' | 'optional' | { needs: string };
  /**
   * The `baseline` input (src/action/baseline.ts): `compare-and-keep` — compared with a baseline, and (on a push to the
   * default branch) kept as one; `compare` — compared only (a saved report: the checking run kept its own); `none`.
   */
  baseline: 'compare-and-keep' | 'compare' | 'none';
}

/** Where a result is published: this run's place, unless the mode says otherwise (a saved report: its run's). */
export interface Placement {
  commentKey: string;
  heading: string;
  detailsUrl?: string;
  runOrder?: RunOrder;
}

/** What a mode obtained: the report to publish, and where it belongs when that is not this run. */
export interface ModeResult {
  report: Report;
  placement?: Placement;
  /** Before anything is posted: the commit and pull request the result goes to (a saved report's is looked up). */
  resolveTarget?: (target: Target, publisher: Publisher) => Promise<Target>;
  /** The job whose baselines the result compares with (`<workflow>/<job>[/<matrix hash>]`); default this run's job. */
  baselineScope?: string;
}

/** What a mode's unit is given besides its inputs. */
export interface ModeContext {
  io: ActionIO;
  runner: RunnerEnv;
  target: Target;
  publisher: Publisher;
  /** The API client, when the mode uses the token and one was given. */
  octokit?: Octokit;
  /** The service that keeps the result cache between runs, when the runner has one. */
  persistedCache(): PersistedCache | undefined;
  /** The check run this step completes (undefined when it completes none). */
  checkRef(target: Target, detailsUrl?: string): CheckRunRef | undefined;
}

/** One mode: its own inputs (read after the common ones) and how it obtains its result. */
export interface ModeUnit<Own extends object> {
  /** @throws InputError naming the first bad input of this mode */
  inputs(read: OptionReader, common: CommonInputs, cwd: string): Own;
  /** The result to publish; undefined when the mode has answered by itself (the bot). Throws when it cannot be had. */
  obtain(ctx: ModeContext, inputs: CommonInputs & Own): Promise<ModeResult | undefined>;
}
