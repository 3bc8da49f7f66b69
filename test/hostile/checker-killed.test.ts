/**
 * A checker that dies without a chance to clean up (SIGKILL here; a crash or an OOM kill are the same to its
 * children) while guests loop: no host outlives it, and the next run removes the temp folder it left.
 * Before (issue 17): both hosts kept running at full CPU, reparented to init, long past `--timeout`, and the temp
 * folder stayed. The hosts run under the watchdog (src/runtime/watchdog.ts); stale folders: src/runtime/stale.ts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive } from './runners.js';
import { root } from '../action/harness.js';
import { builtCli } from '../build-once.js';
import { engineUnavailable } from '../harness/engine.js';

const fixtures = path.join(root, 'test', 'fixtures');
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-killed-'));
});
afterAll(() => {
  execFileSync('rm', ['-rf', work]);
});

/** Every process below `pid` (by parent), with its command line. */
function descendants(pid: number): { pid: number; cmdline: string }[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: { pid: number; cmdline: string }[] = [];
  const queue = [...(parents.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${next}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    found.push({ pid: next, cmdline });
    queue.push(...(parents.get(next) ?? []));
  }
  return found;
}

async function until<T>(what: string, get: () => T | undefined, ms: number): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const v = get();
    if (v !== undefined) return v;
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** How long a host may outlive a SIGKILLed checker (the watchers see its pipe close at once). */
const BOUND_MS = 5_000;

describe('a SIGKILLed checker leaves no host running and its temp folder goes with the next run', () => {
  const runtimes: [string, string[], string, boolean][] = [
    ['embedded', ['--runtime', 'embedded'], 'embedded-p', false],
    [
      'wasmtime (engine harness)',
      ['--runtime', 'wasmtime', '--wasmtime', path.join(root, 'test', 'harness', 'wasmtime'), '--adapter', 'bundled'],
      'wasmtime-run.py\u0000run\u0000',
      engineUnavailable() !== undefined,
    ],
  ];
  for (const [name, flags, host, skip] of runtimes) {
    it.skipIf(skip)(`${name}: both hosts of a guest that never ends`, async () => {
      const tmp = path.join(work, name.split(' ')[0]!);
      await mkdir(tmp);
      const env = { ...process.env, TMPDIR: tmp };
      const cli = spawn(
        process.execPath,
        [builtCli, ...flags, '--no-cache', '--quiet', '--timeout', '3600', path.join(fixtures, 'c-loop.wasm')],
        {
          stdio: 'ignore',
          env,
        },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) => cli.on('exit', (_code, sig) => resolve(sig)));
      let tree: { pid: number; cmdline: string }[] = [];
      try {
        // The P1 and the P2 host both running (the guest loops in each).
        await until(
          'both hosts',
          () => (descendants(cli.pid!).filter((p) => p.cmdline.includes(host)).length >= 2 ? true : undefined),
          90_000,
        );
        tree = descendants(cli.pid!);
        cli.kill('SIGKILL');
        expect(await exited).toBe('SIGKILL');
        const started = Date.now();
        const left = await until(
          'every process the checker started to end',
          () => (tree.some((p) => alive(p.pid)) ? undefined : []),
          BOUND_MS,
        ).catch(() => tree.filter((p) => alive(p.pid)).map((p) => p.cmdline.replaceAll('\0', ' ').slice(0, 200)));
        expect(left).toEqual([]);
        expect(Date.now() - started).toBeLessThan(BOUND_MS);
      } finally {
        cli.kill('SIGKILL');
        for (const p of tree) if (alive(p.pid)) process.kill(p.pid, 'SIGKILL');
      }
      const leftover = readdirSync(tmp).filter((f) => f.startsWith('wasm-p2-check-'));
      expect(leftover).toHaveLength(1);
      // The next run removes it (its owner is gone), and its own folder too when it ends.
      execFileSync(process.execPath, [builtCli, '--runtime', 'embedded', '--no-cache', '--quiet', path.join(fixtures, 'c-hello.wasm')], {
        env,
        stdio: 'ignore',
      });
      expect(readdirSync(tmp).filter((f) => f.startsWith('wasm-p2-check-'))).toEqual([]);
    });
  }
});
