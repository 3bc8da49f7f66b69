/**
 * The bundled CLI on a real pseudo-terminal (util-linux `script`) and in a pipe: on a terminal the progress is one
 * status line redrawn in place (done/total, elapsed) and the report is coloured unless NO_COLOR says otherwise; in
 * a pipe (a CI log) the progress is one line per artifact with no escape sequence, and FORCE_COLOR colours anyway.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { builtCli } from './build-once.js';

const root = path.resolve(import.meta.dirname, '..');
const cacheHome = mkdtempSync(path.join(tmpdir(), 'p2c-tty-'));
afterAll(() => rmSync(cacheHome, { recursive: true, force: true }));
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const ARGS = ['--runtime', 'embedded', '--no-cache', 'examples/c-hello.wasm', 'examples/rust-hello.wasm'];
const SGR = /\x1b\[[\d;]*m/;
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI; under a pseudo-terminal (stdout and stderr both on it) when `tty`. Exit status ignored. */
async function run(tty: boolean, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  const base = { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: cacheHome, TERM: 'xterm', ...env };
  const [file, args] = tty
    ? ['script', ['-qec', [process.execPath, builtCli, ...ARGS].map(quote).join(' '), '/dev/null']]
    : [process.execPath, [builtCli, ...ARGS]];
  return promisify(execFile)(file as string, args as string[], { cwd: root, env: base }).catch((e: { stdout: string; stderr: string }) => ({
    stdout: e.stdout,
    stderr: e.stderr,
  }));
}

describe.skipIf(!hasScript)('on a pseudo-terminal', () => {
  it('progress: one line redrawn in place with done/total and elapsed; the report coloured', async () => {
    const { stdout } = await run(true);
    const frames = stdout.split('\r\x1b[2K');
    expect(
      frames.some((f) => /^0\/2 done · \d+s elapsed · examples\/\S+\.wasm: \w+/.test(f)),
      stdout,
    ).toBe(true);
    expect(frames.some((f) => /^2\/2 done · \d+s elapsed/.test(f))).toBe(true);
    expect(stdout).not.toMatch(/\[ *[\d.]+s\] examples\/c-hello\.wasm: PASS/); // no scrolling line per artifact
    expect(stdout).toMatch(SGR);
  });

  it('NO_COLOR: no colour, the progress line still in place', async () => {
    const { stdout } = await run(true, { NO_COLOR: '1' });
    expect(stdout).not.toMatch(SGR);
    expect(stdout).toContain('\r\x1b[2K');
    expect(stdout).toMatch(/Result: 2 PASS/);
  });
});

describe('in a pipe (a CI log)', () => {
  it('one line per artifact, no escape sequence; FORCE_COLOR colours the report anyway', async () => {
    const plain = await run(false);
    expect(plain.stderr).toMatch(/^\[ *[\d.]+s\] examples\/c-hello\.wasm: PASS$/m);
    expect(plain.stderr + plain.stdout).not.toContain('\x1b');
    const forced = await run(false, { FORCE_COLOR: '1' });
    expect(forced.stdout).toMatch(SGR);
    expect(forced.stderr).not.toContain('\x1b');
  });
});
