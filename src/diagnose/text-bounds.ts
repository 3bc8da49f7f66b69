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
  return long
    ? out
        .split('\n')
        .map((l) => (l.length > MAX_LINE_CHARS ? cutLine(l) : l))
        .join('\n')
    : out;
}

/**
 * Read a log of any size (a file stream, stdin) keeping only what `boundText` would keep: the first quarter and the
 * last three quarters of `MAX_TEXT_CHARS` bytes, with how much was left out between. Memory stays bounded however
 * large the log (a 500 MB CI log is read in one pass, never held whole).
 */
export async function readBoundedLog(source: AsyncIterable<Uint8Array | string>): Promise<string> {
  const headMax = MAX_TEXT_CHARS / 4;
  // Room for the marker, so that boundText leaves the result's ends where they are.
  const tailMax = MAX_TEXT_CHARS - headMax - 64;
  const head: Buffer[] = [];
  let headLen = 0;
  let tail: Buffer[] = [];
  let tailLen = 0;
  let total = 0;
  for await (const piece of source) {
    let chunk = typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    total += chunk.length;
    if (headLen < headMax) {
      const take = Math.min(headMax - headLen, chunk.length);
      head.push(Buffer.from(chunk.subarray(0, take)));
      headLen += take;
      chunk = chunk.subarray(take);
    }
    if (chunk.length === 0) continue;
    tail.push(Buffer.from(chunk.subarray(Math.max(0, chunk.length - tailMax))));
    tailLen += Math.min(chunk.length, tailMax);
    while (tailLen - tail[0]!.length >= tailMax) tailLen -= tail.shift()!.length;
    if (tail.length > 64) {
      const joined = Buffer.concat(tail);
      tail = [joined.subarray(Math.max(0, joined.length - tailMax))];
      tailLen = tail[0]!.length;
    }
  }
  const tailBuf = Buffer.concat(tail);
  const kept = tailBuf.subarray(Math.max(0, tailBuf.length - tailMax));
  const left = total - headLen - kept.length;
  const text = Buffer.concat(head).toString('utf8') + (left > 0 ? `\n…[${left} bytes left out]…\n` : '') + kept.toString('utf8');
  return boundText(text);
}
