import prettyMilliseconds from 'pretty-ms';
import type { ProgressEvent } from '../options/index.js';
import { logSafeLine } from '../report/log-safe.js';

/** Where progress goes (stderr): its text, whether it is a terminal, and how wide. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressPrinter {
  onEvent(event: ProgressEvent): void;
  /** Clears the status line (on a terminal) and stops its clock. */
  end(): void;
}

const CLEAR_LINE = '\r\x1b[2K';
/** Whole seconds, as `0s`, `42s`, `1m 5s`, `2h 3m 1s`. */
const duration = (ms: number) => {
  const whole = Math.round(Math.max(0, ms) / 1000) * 1000;
  return whole === 0 ? '0s' : prettyMilliseconds(whole);
};

/**
 * Progress of a check on stderr. On a terminal: one status line updated in place — artifacts done of the total, the
 * time elapsed, an estimate of the time left (from the pace so far), and what is running — with run-wide messages
 * printed above it. Elsewhere (CI logs, a pipe): as quiet as a log should be, one timestamped line per finished
 * artifact and per run-wide message. Names come from artifacts (untrusted): folded to one line, no workflow command.
 *
 * @param out the stream written to
 * @param now the clock (milliseconds)
 * @param tick how often the status line's clock is redrawn on a terminal (0: only on events)
 */
export function progressPrinter(out: ProgressStream, now: () => number = Date.now, tick = 1000): ProgressPrinter {
  const started = now();
  const stamp = () => `[${((now() - started) / 1000).toFixed(1).padStart(5)}s]`;
  if (!out.isTTY) {
    return {
      onEvent(event) {
        if (!event.artifact) {
          if (event.message) out.write(`${stamp()} ${logSafeLine(event.message)}\n`);
        } else if (event.stage === 'done')
          out.write(`${stamp()} ${logSafeLine(event.artifact)}: ${logSafeLine(event.message ?? 'done')}\n`);
      },
      end() {},
    };
  }

  let total: number | undefined;
  let done = 0;
  /** What each running artifact is doing, in the order they started. */
  const running = new Map<string, string>();
  let shown = false;
  const status = (): string => {
    const elapsed = now() - started;
    const parts = [total === undefined ? `${done} done` : `${done}/${total} done`, `${duration(elapsed)} elapsed`];
    if (total !== undefined && done > 0 && done < total) parts.push(`ETA ${duration((elapsed / done) * (total - done))}`);
    const current = [...running].at(-1);
    if (current) parts.push(`${logSafeLine(current[0])}: ${current[1]}`);
    const line = parts.join(' · ');
    const width = Math.max(20, (out.columns || 80) - 1); // a pseudo-terminal may say 0 columns
    return line.length > width ? `${line.slice(0, width - 1)}…` : line;
  };
  const draw = () => {
    out.write(`${CLEAR_LINE}${status()}`);
    shown = true;
  };
  const clock = tick > 0 ? setInterval(draw, tick) : undefined;
  clock?.unref();
  return {
    onEvent(event) {
      if (event.total !== undefined) total = event.total;
      if (!event.artifact) {
        if (event.message) out.write(`${CLEAR_LINE}${stamp()} ${logSafeLine(event.message)}\n`);
      } else if (event.stage === 'done') {
        done++;
        running.delete(event.artifact);
      } else {
        running.set(event.artifact, event.stage);
      }
      draw();
    },
    end() {
      if (clock) clearInterval(clock);
      if (shown) out.write(CLEAR_LINE);
    },
  };
}
