/**
 * The interrupt clean-up (src/runtime/interrupt.ts) in a process of its own, where a signal can be sent at an exact
 * moment: during a host's spawn, or while a temp folder is registered. (The end-to-end cases, through the bundled cli.js,
 * are in redteam.test.ts.)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive } from './runners.js';
import { removeTreeSync } from '../../src/runtime/remove.js';
import { root } from '../action/harness.js';

let work: string;
let driver: string;

/** A script that uses interrupt.ts as the checker does, then lets a signal arrive at a chosen moment. */
const DRIVER = `
import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';
import { removeOnInterrupt, spawnGroup } from ${JSON.stringify(path.join(root, 'src', 'runtime', 'interrupt.ts'))};
const [mode, arg] = process.argv.slice(2);
if (mode === 'spawn') {
  spawnGroup(() => {
    const child = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
    writeSync(1, child.pid + '\\n');
    // The signal arrives while the spawn is under way: the host exists, its pid is not registered yet.
    process.kill(process.pid, process.env.SIGNAL);
    return child;
  });
} else if (mode === 'folder') {
  removeOnInterrupt(arg);
  writeSync(1, 'ready\\n');
}
setTimeout(() => undefined, 60_000);
`;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-interrupt-'));
  const entry = path.join(work, 'driver.ts');
  await writeFile(entry, DRIVER);
  driver = path.join(work, 'driver.mjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: driver, logLevel: 'error' });
});
afterAll(() => {
  execFileSync('rm', ['-rf', work]);
});

/** Runs the driver; `onLine` sees each line it prints. Resolves with the signal that ended it. */
function runDriver(args: string[], env: Record<string, string>, onLine: (line: string, kill: (s: NodeJS.Signals) => void) => void) {
  const child = spawn(process.execPath, [driver, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  let buffered = '';
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      onLine(buffered.slice(0, nl), (s) => child.kill(s));
      buffered = buffered.slice(nl + 1);
    }
  });
  return {
    ended: new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal))),
    kill: () => child.kill('SIGKILL'),
  };
}

describe('interrupt clean-up', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} that arrives while a host is being spawned still kills the host's group`, async () => {
      const pids: number[] = [];
      const run = runDriver(['spawn'], { SIGNAL: signal }, (line) => pids.push(Number(line)));
      try {
        expect(await run.ended).toBe(signal);
        expect(pids).toHaveLength(1);
        for (let i = 0; i < 50 && alive(pids[0]!); i++) await new Promise((r) => setTimeout(r, 100));
        expect(alive(pids[0]!)).toBe(false);
      } finally {
        run.kill();
        for (const pid of pids) if (alive(pid)) process.kill(-pid, 'SIGKILL');
      }
    });
  }

  it('a registered temp folder is removed on SIGINT, and the process still ends by the signal', async () => {
    const dir = path.join(work, 'temp');
    await mkdir(path.join(dir, 'a', 'b'), { recursive: true });
    await writeFile(path.join(dir, 'a', 'b', 'f'), 'x');
    await writeFile(path.join(dir, 'g'), 'y');
    const run = runDriver(['folder', dir], {}, (line, kill) => line === 'ready' && kill('SIGINT'));
    try {
      expect(await run.ended).toBe('SIGINT');
      expect(existsSync(dir)).toBe(false);
    } finally {
      run.kill();
    }
  });

  it('removing is bounded by a deadline and never throws', async () => {
    const dir = path.join(work, 'bounded');
    await mkdir(path.join(dir, 'a'), { recursive: true });
    await writeFile(path.join(dir, 'a', 'f'), 'x');
    expect(removeTreeSync(dir, Date.now() - 1)).toBe(false);
    expect(existsSync(path.join(dir, 'a', 'f'))).toBe(true);
    expect(removeTreeSync(dir, Date.now() + 10_000)).toBe(true);
    expect(existsSync(dir)).toBe(false);
    expect(removeTreeSync(path.join(work, 'missing'), Date.now() + 10_000)).toBe(true);
  });
});
