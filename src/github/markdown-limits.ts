/**
 * Size limits GitHub puts on what we post. The renderer fits the report into a byte budget; the final bodies
 * (markers, notes around the report) are cut again with the renderer's `truncateMarkdown`, which closes open
 * fences and `<details>` and points to the job summary. Budgets are in UTF-8 bytes, never fewer than GitHub's
 * characters.
 */

/** Issue/PR comment body: 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536;
/** Check-run `output.summary` and `output.text`: 65,535 characters. */
export const MAX_CHECK_SUMMARY_CHARS = 65_535;
/** `$GITHUB_STEP_SUMMARY`: 1 MiB per step. */
export const MAX_JOB_SUMMARY_BYTES = 1024 * 1024;
