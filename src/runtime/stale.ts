/**
 * Temp folders a dead checker left behind. A checker that is SIGKILLed, crashes or is OOM-killed cannot remove its
 * own temp folder (preopen copies, components, captured output: up to gigabytes). Each checker's folder is named for
 * its owner, `wasm-p2-check-<pid>.<start>-<random>` (`start`: the process's start time where the system tells it,
 * so a pid used again by another process is no owner), and each run removes the folders whose owner is gone. A live
 * run's folder is never removed: an owner that cannot be told dead is taken as alive.
 */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { removeTree } from './remove.js';

export const WORK_DIR_PREFIX = 'wasm-p2-check-';
const OWNED_RE = /^wasm-p2-check-(\d{1,10})\.(\d{1,20})-/;

/** The process's start time in clock ticks since boot (Linux), or 0 where it cannot be read. */
export function processStart(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime field 22.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return start !== undefined && /^\d+$/.test(start) ? Number(start) : 0;
  } catch {
    return 0;
  }
}

/** The owner part of this checker's temp folder name. */
export function ownerTag(): string {
  return `${process.pid}.${processStart(process.pid)}`;
}

/** Whether the process that made a folder tagged `pid.start` is gone (false when that cannot be told). */
export function ownerGone(pid: number, start: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  // A process with that pid lives: it is another one when its start time is known and differs.
  const now = processStart(pid);
  return start !== 0 && now !== 0 && now !== start;
}

/** Removes the temp folders in `parent` whose owner is gone; returns their names. Never throws. */
export async function removeStaleWorkDirs(parent: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(parent)).filter((name) => name.startsWith(WORK_DIR_PREFIX));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = OWNED_RE.exec(name);
    if (!match || Number(match[1]) === process.pid || !ownerGone(Number(match[1]), Number(match[2]))) continue;
    if (await removeTree(path.join(parent, name))) removed.push(name);
  }
  return removed;
}
