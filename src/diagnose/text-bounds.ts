/**
 * Bounds on untrusted text (guest output, logs) before any regex reads it: at most `MAX_LINE_CHARS` per line and
 * `MAX_TEXT_CHARS` in all. Trap parsing and signature matching then cost at most a fixed amount per run or log,
 * whatever a guest prints. A cut keeps both ends — errors are printed after whatever the guest wrote (often on the
 * same unterminated line: the adapter's message ends without a newline) — and says how much was left out.
 */

/** Longest line kept whole; a longer one keeps its first and last halves of this. */
export const MAX_LINE_CHARS = 8 * 1024;
/** Most text kept; a longer one keeps its first quarter and last three quarters of this. */
export const MAX_TEXT_CHARS = 256 * 1024;

function cutLine(line: string): string {
  const half = MAX_LINE_CHARS / 2;
  return `${line.slice(0, half)} …[${line.length - MAX_LINE_CHARS} characters left out]… ${line.slice(-half)}`;
}

/** `text` with every line and the whole bounded (unchanged when within the bounds). */
export function boundText(text: string): string {
  let out = text;
  if (out.length > MAX_TEXT_CHARS) {
    const head = MAX_TEXT_CHARS / 4;
    const tail = MAX_TEXT_CHARS - head;
    out = `${out.slice(0, head)}\n…[${out.length - MAX_TEXT_CHARS} characters left out]…\n${out.slice(-tail)}`;
  }
  if (out.length <= MAX_LINE_CHARS) return out;
  // Only split when some line can be too long: a scan for newline positions is linear.
  let start = 0;
  let long = false;
  while (start <= out.length) {
    const nl = out.indexOf('\n', start);
    const end = nl < 0 ? out.length : nl;
    if (end - start > MAX_LINE_CHARS) {
      long = true;
      break;
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  return long ? out.split('\n').map((l) => (l.length > MAX_LINE_CHARS ? cutLine(l) : l)).join('\n') : out;
}
