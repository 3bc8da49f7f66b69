/**
 * Whether the CLI writes ANSI colour, by the usual conventions, strongest first: `--color` / `--no-color`;
 * `FORCE_COLOR` (set and not `0`/`false`: colour even into a pipe; `0`/`false`: none — like Node's own
 * `tty.hasColors()`, it wins over NO_COLOR); `NO_COLOR` set and not empty (https://no-color.org): none; otherwise
 * colour on a terminal that is not `TERM=dumb`.
 *
 * @param flag the command line's choice, if any
 * @param env the process environment
 * @param isTTY whether the stream written to is a terminal
 * @returns whether to colour the output
 */
export function useColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !/^(0|false)$/i.test(force.trim());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}
