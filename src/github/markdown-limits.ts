/**
 * Size limits GitHub puts on what we post, and a last-resort cut that keeps the Markdown well-formed. The
 * renderer already fits the report into a byte budget; this only guards the final body (marker, heading, notes).
 */

/** Issue/PR comment body: 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536;
/** Check-run `output.summary` and `output.text`: 65,535 characters. */
export const MAX_CHECK_SUMMARY_CHARS = 65_535;
/** `$GITHUB_STEP_SUMMARY`: 1 MiB per step. */
export const MAX_JOB_SUMMARY_BYTES = 1024 * 1024;

/**
 * Cuts `text` to at most `max` characters (UTF-16 units, never more than GitHub's count) at a line break, closes a
 * code fence left open by the cut and appends `note`.
 */
export function truncateMarkdown(text: string, max: number, note: string): string {
  if (text.length <= max) return text;
  const tail = `\n\n${note}\n`;
  // Room for the note and for a closing fence of any plausible length.
  let cut = text.slice(0, Math.max(0, max - tail.length - 64));
  const nl = cut.lastIndexOf('\n');
  if (nl > 0) cut = cut.slice(0, nl);
  let open: string | undefined;
  for (const line of cut.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (!m) continue;
    const fence = m[1]!;
    if (open === undefined) open = fence;
    else if (fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = undefined;
  }
  const closed = open !== undefined ? `${cut}\n${open}` : cut;
  return (closed + tail).slice(0, max);
}
