/**
 * Text for a CI log (the Action's log through `@actions/core`, the CLI's stdout/stderr): the one place that makes
 * names and text from artifacts (file names, guest output, producer strings) harmless there.
 *
 * The GitHub runner reads every line a step prints for workflow commands: `::command::` at the start of a line after
 * leading whitespace (`ActionCommand.TryParseV2` trims first, so indenting does not help), and the legacy
 * `##[command]` anywhere in a line (`ActionCommand.TryParse`). A line ends at `\n`, `\r\n` or a lone `\r`. So:
 *  - `neutralizeCommands` breaks both forms with a zero-width space (the text reads the same), line by line;
 *  - `logSafe` also strips ANSI escapes and control characters (a guest cannot fake colours or move the cursor);
 *  - `logSafeLine` folds the text into one line (`⏎`), for names inside a progress line, a title or a file property.
 */
import { sanitizeGuestText } from './markdown-utils.js';

const ZWSP = '\u200b';
/** Leading whitespace as .NET's TrimStart sees it (char.IsWhiteSpace: includes U+0085). */
const LEADING_SPACE = /^[\s\u0085]*/;

/** Every line that the runner would take as a workflow command, broken; line ends become `\n`. */
export function neutralizeCommands(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => {
      let out = line.replaceAll('##[', `##${ZWSP}[`);
      const lead = LEADING_SPACE.exec(out)![0].length;
      if (out.startsWith('::', lead)) out = `${out.slice(0, lead + 1)}${ZWSP}${out.slice(lead + 1)}`;
      return out;
    })
    .join('\n');
}

/**
 * A report printed to stdout (`--json -`, `--markdown -`, explain's `--json`/`--markdown`) is read by the runner like
 * any log line. Markdown: its lines broken as above. JSON: no line can start with `::` (a string never begins a line)
 * and `##[` occurs only inside strings, where it is written `##\u005b`: the JSON parses to the very same text.
 */
export function reportToStdout(text: string, format: 'json' | 'markdown'): string {
  return format === 'json' ? text.replaceAll('##[', '##\\u005b') : neutralizeCommands(text);
}

/** Untrusted text made safe to print in a log: no escapes, no control characters, no workflow command. */
export function logSafe(text: string): string {
  return neutralizeCommands(sanitizeGuestText(text, Number.MAX_SAFE_INTEGER));
}

/** `logSafe`, on one line: newlines shown as `⏎`, tabs as spaces (names in progress lines, titles, file properties). */
export function logSafeLine(text: string): string {
  return logSafe(text).replace(/\n/g, '⏎').replace(/\t/g, ' ');
}

/** `--env KEY=VALUE` values are the user's, possibly secrets: reports show `KEY=***`. */
export const REDACTED = '***';

/** A run's command line with every `--env KEY=VALUE` value replaced by `***`. */
export function redactCommand(command: readonly string[]): string[] {
  return command.map((arg, i) => {
    if (command[i - 1] === '--env') {
      const eq = arg.indexOf('=');
      return eq < 0 ? arg : `${arg.slice(0, eq)}=${REDACTED}`;
    }
    if (arg.startsWith('--env=')) {
      const eq = arg.indexOf('=', '--env='.length);
      return eq < 0 ? arg : `${arg.slice(0, eq)}=${REDACTED}`;
    }
    return arg;
  });
}
