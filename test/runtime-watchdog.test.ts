/**
 * The watchdog every host starts under (src/runtime/watchdog.ts): the host keeps its own exit status and signal, and
 * its group ends at its deadline or when the control pipe's other end closes. (The end-to-end case, a SIGKILLed
 * checker, is test/hostile/checker-killed.test.ts.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerGone, processStart, removeStaleWorkDirs } from '../src/runtime/stale.js';
import { assertExecutable, watched } from '../src/runtime/watchdog.js';
import { alive } from './hostile/runners.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-watchdog-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function start(command: string, args: string[], deadlineMs?: number): ChildProcess {
  const host = watched(command, args, 3, false, deadlineMs);
  return spawn(host.command, host.args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe'], detached: true });
}

const ended = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

describe.skipIf(process.platform === 'win32')('the host watchdog', () => {
  it("the host's own exit code and signal reach the checker unchanged (it becomes the host)", async () => {
    const exit = start('/bin/sh', ['-c', 'exit 134']);
    expect(await ended(exit)).toEqual({ code: 134, signal: null });
    const killed = start('/bin/sh', ['-c', 'kill -ABRT $$']);
    expect(await ended(killed)).toEqual({ code: null, signal: 'SIGABRT' });
  });

  it('ends the host when the control pipe closes (the checker is gone)', async () => {
    const child = start('sleep', ['60']);
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(child.pid!)).toBe(true);
    const gone = ended(child);
    (child.stdio[3] as unknown as { destroy(): void }).destroy();
    expect(await gone).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('ends the host at its own deadline while the checker lives on', async () => {
    const child = start('sleep', ['60'], 1_000);
    const t = performance.now();
    expect(await ended(child)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(performance.now() - t).toBeLessThan(5_000);
    (child.stdio[3] as unknown as { destroy(): void }).destroy();
  });

  it('a command that cannot be started is a spawn error, as without the watchdog', async () => {
    expect(() => assertExecutable(path.join(work, 'missing'), {}, work)).toThrow(/ENOENT/);
    await writeFile(path.join(work, 'plain'), 'x');
    expect(() => assertExecutable(path.join(work, 'plain'), {}, work)).toThrow(/EACCES/);
    expect(() => assertExecutable('sh', { PATH: '/usr/bin:/bin' }, work)).not.toThrow();
  });
});

describe('temp folders of dead checkers', () => {
  it('removes a folder whose owner is gone (or whose pid now names another process), never a live one', async () => {
    const parent = await mkdtemp(path.join(work, 'tmp-'));
    const dead = spawn('true');
    await ended(dead);
    const me = `${process.pid}.${processStart(process.pid)}`;
    const live = spawn('sleep', ['30']);
    const liveTag = `${live.pid}.${processStart(live.pid!)}`;
    const names = {
      dead: `wasm-p2-check-${dead.pid}.12345-a`,
      reused: `wasm-p2-check-${live.pid}.${processStart(live.pid!) + 1}-b`,
      live: `wasm-p2-check-${liveTag}-c`,
      mine: `wasm-p2-check-${me}-d`,
      untagged: 'wasm-p2-check-0d6f2a3e-5b1c-4f7e-9a1d-2c3b4d5e6f70',
    };
    for (const name of Object.values(names)) await writeFile(path.join(parent, name), '');
    try {
      expect(ownerGone(live.pid!, processStart(live.pid!))).toBe(false);
      expect((await removeStaleWorkDirs(parent)).sort()).toEqual([names.dead, names.reused].sort());
    } finally {
      live.kill('SIGKILL');
    }
  });
});
