/**
 * What an interrupted checker must not leave behind: its guest hosts and its temp folder.
 *
 * Hosts run detached, in their own process group (so that a limit can kill all of it). So a terminal's Ctrl-C, or a
 * runner cancelling the step, signals the checker but not them, and a runner's orphan clean-up cannot find them
 * (they carry none of its environment): a looping guest would outlive the checker for good. And the checker's temp
 * folder (preopen snapshots and copies, components, captured output) would stay on disk.
 *
 * While anything is registered here, the checker listens for SIGINT, SIGTERM and SIGHUP (and `exit`): it kills the
 * registered process groups, removes the registered folders (synchronously, within a time bound), then ends as the
 * signal says.
 *
 * The listeners are installed BEFORE a host is spawned, never after: a signal that arrives while `spawn` runs (the
 * host already exists, its pid is not known yet) is queued for the listener, which runs once the pid is registered.
 * (Before, the listener was installed after the spawn returned: a signal in that window ended the checker by the
 * default action and the host kept running.)
 */
import { removeTreeSync } from './remove.js';

const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How long removing the temp folders may hold up an interrupted checker (a runner escalates to SIGKILL soon). */
export const REMOVE_ON_INTERRUPT_MS = 2_000;

const groups = new Set<number>();
const folders = new Set<string>();
/** Spawns under way: the listeners stay installed across them (see the top of this file). */
let spawning = 0;
let installed = false;

/** Kills the process group led by `pid` (falls back to `kill` when it is not a group leader, e.g. on Windows). */
export function killGroup(pid: number | undefined, kill: () => void = () => undefined): void {
  if (pid !== undefined && process.platform !== 'win32') {
    try {
      process.kill(-pid, 'SIGKILL');
      return;
    } catch {
      // group already gone, or not a group leader: fall through
    }
  }
  try {
    kill();
  } catch {
    // already exited
  }
}

function cleanUp(): void {
  for (const pid of groups) killGroup(pid);
  groups.clear();
  const deadline = Date.now() + REMOVE_ON_INTERRUPT_MS;
  for (const dir of folders) removeTreeSync(dir, deadline);
  folders.clear();
  update();
}

function onEndingSignal(signal: NodeJS.Signals): void {
  cleanUp();
  // Our listener is gone: unless someone else listens, the signal now does what it would have done without us.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function update(): void {
  const wanted = groups.size + folders.size + spawning > 0 && process.platform !== 'win32';
  if (wanted === installed) return;
  installed = wanted;
  if (wanted) {
    process.on('exit', cleanUp);
    for (const s of ENDING_SIGNALS) process.on(s, onEndingSignal);
  } else {
    process.off('exit', cleanUp);
    for (const s of ENDING_SIGNALS) process.off(s, onEndingSignal);
  }
}

/**
 * Spawns a host in its own process group (`spawn` must start it detached, synchronously) with the interrupt
 * listeners already in place, and registers its group. Call `releaseGroup(pid)` once it has ended.
 */
export function spawnGroup<T extends { pid?: number | undefined }>(spawn: () => T): T {
  spawning++;
  update();
  try {
    const child = spawn();
    if (child.pid !== undefined && process.platform !== 'win32') groups.add(child.pid);
    return child;
  } finally {
    spawning--;
    update();
  }
}

/** The host's group has ended (or was killed): an interrupt no longer needs to kill it. */
export function releaseGroup(pid: number | undefined): void {
  if (pid === undefined || !groups.delete(pid)) return;
  update();
}

/** Removes `dir` if the checker is interrupted (or exits) before the returned function is called. */
export function removeOnInterrupt(dir: string): () => void {
  folders.add(dir);
  update();
  return () => {
    folders.delete(dir);
    update();
  };
}
