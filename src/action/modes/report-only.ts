/**
 * `mode: report-only`: the same check as `check`, publishing only what needs no token (the report file, the job
 * summary, annotations, outputs): the fork-safe first stage, and the shard/matrix jobs of a merged run.
 */
import type { ModeUnit } from '../mode.js';
import { type CheckInputs, readCheckInputs, runCheck } from './check.js';

export const reportOnlyMode: ModeUnit<CheckInputs> = { inputs: readCheckInputs, obtain: runCheck };
