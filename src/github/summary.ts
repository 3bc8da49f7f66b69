/** The job summary (`$GITHUB_STEP_SUMMARY`): the full report, which comments and check runs point to when cut. */
import * as core from '@actions/core';
import { MAX_JOB_SUMMARY_BYTES } from './markdown-limits.js';

export { MAX_JOB_SUMMARY_BYTES };

/**
 * Appends `markdown` to the step summary.
 *
 * @returns false (and logs why) when the runner gave no summary file
 */
export async function writeJobSummary(markdown: string, log: (message: string) => void): Promise<boolean> {
  try {
    await core.summary.addRaw(markdown, true).write();
    return true;
  } catch (e) {
    core.summary.emptyBuffer();
    log(`No job summary written: ${(e as Error).message}`);
    return false;
  }
}
