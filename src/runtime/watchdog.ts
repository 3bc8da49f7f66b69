/**
 * No host outlives its checker. Every host the checker starts (the embedded P1/P2 hosts, wasmtime, the jco converter)
 * is started through a tiny watchdog: a POSIX `sh` that starts two watchers in the host's process group and then
 * becomes the host (`exec`), so the host keeps the pid the checker spawned and the checker sees its own exit status
 * and signals, unchanged. The watchers end the whole group (`kill -KILL 0`):
 * - as soon as the checker is gone: they hold the child end of a pipe whose other end only the checker holds (libuv
 *   gives its own end close-on-exec), and a read on it returns end-of-file when the checker closes it or dies, however
 *   it dies (SIGKILL, crash, OOM kill);
 * - at the host's own deadline (its time limits plus a grace), should the checker live on but not end it (its event
 *   loop held up), so no host runs past its time even then.
 * Once a host has ended the checker closes its end of the pipe and the watchers end with their group.
 *
 * Hosts run with an empty environment, so a runner's orphan clean-up (which looks for its own variable) cannot find
 * them: this is what ends them when the checker cannot.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * `$1`: the control fd; `$2`: whether the host keeps it (the embedded hosts write their ready byte there); `$3`: the
 * deadline in seconds (0: none); the host command follows. Neither watcher holds the host's stdout/stderr files.
 * The watchers' stdin is /dev/null (an asynchronous list's, in a shell without job control).
 */
const SCRIPT = [
  'fd=$1 keep=$2 deadline=$3; shift 3',
  'if [ "$deadline" != 0 ]; then { sleep "$deadline"; kill -KILL 0; } >/dev/null 2>&1 & fi',
  '{ read -r _ <&"$fd"; kill -KILL 0; } >/dev/null 2>&1 &',
  'if [ "$keep" = 1 ]; then exec "$@"; fi',
  'case $fd in 3) exec "$@" 3<&- ;; 4) exec "$@" 4<&- ;; *) exec "$@" ;; esac',
].join('\n');

/** Extra time a host is given past its limits before its watchdog ends it (the checker normally ends it first). */
export const WATCHDOG_GRACE_MS = 10_000;

/** Whether hosts are started through the watchdog here (POSIX systems; Windows has neither `sh` nor groups). */
export const WATCHDOG_AVAILABLE = process.platform !== 'win32';

export interface Watched {
  command: string;
  args: string[];
}

/**
 * The command line that starts `command args` under the watchdog. `controlFd` is the child's fd of a pipe the
 * checker holds the other end of (stdio entry `'pipe'` at that index); `keepFd`: the host uses it too.
 * `deadlineMs`: the host's own deadline, from its start (undefined: only the checker's going ends it); callers add
 * `WATCHDOG_GRACE_MS` to the time the checker itself gives the host.
 */
export function watched(command: string, args: string[], controlFd: number, keepFd: boolean, deadlineMs: number | undefined): Watched {
  if (!WATCHDOG_AVAILABLE) return { command, args };
  const seconds = deadlineMs === undefined ? 0 : Math.max(1, Math.ceil(deadlineMs / 1000));
  return {
    command: '/bin/sh',
    args: ['-c', SCRIPT, 'wasm-p2-check-watchdog', String(controlFd), keepFd ? '1' : '0', String(seconds), command, ...args],
  };
}

/**
 * Throws the error `spawn` would give (ENOENT, EACCES) when `command` cannot be started, since under the watchdog
 * it is `sh` that starts: a host that cannot start stays a spawn error, not an exit code of the shell.
 */
export function assertExecutable(command: string, env: Record<string, string>, cwd: string): void {
  if (!WATCHDOG_AVAILABLE) return;
  const candidates = command.includes('/')
    ? [path.resolve(cwd, command)]
    : (env.PATH ?? '')
        .split(':')
        .filter(Boolean)
        .map((dir) => path.join(dir, command));
  let lastCode = 'ENOENT';
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'ENOENT';
      if (code !== 'ENOENT') lastCode = code;
    }
  }
  const error = new Error(`spawn ${command} ${lastCode}`) as NodeJS.ErrnoException;
  error.code = lastCode;
  throw error;
}
