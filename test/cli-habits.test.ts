/**
 * CLI habits, from source: "did you mean" for mistyped options and subcommands (in our words, never Node's raw
 * parseArgs text with its unbalanced quote), NO_COLOR / FORCE_COLOR, and the progress printer's two modes (a
 * status line updated in place on a terminal; one line per artifact elsewhere).
 */
import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../src/cli/args.js';
import { useColor } from '../src/cli/color.js';
import { progressPrinter } from '../src/cli/progress.js';

const none = () => false;
function usage(argv: string[]): string {
  try {
    parseCli(argv, '/w', none);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}
const balanced = (s: string) => (s.match(/'/g) ?? []).length % 2 === 0 && (s.match(/"/g) ?? []).length % 2 === 0;

describe('did you mean', () => {
  it.each([
    [['a.wasm', '--timout', '3'], 'unknown option --timout — did you mean --timeout?'],
    [['a.wasm', '--jsn', 'r.json'], 'unknown option --jsn — did you mean --json?'],
    [['a.wasm', '--no-colour'], 'unknown option --no-colour — did you mean --no-color?'],
    [['a.wasm', '--wasmtime-vers', '49.0.4'], 'unknown option --wasmtime-vers — did you mean --wasmtime-version?'],
    [['explain', 'log.txt', '--modul', 'm.wasm'], 'unknown option --modul — did you mean --module?'],
    [['merge', 'a.json', '--fail-of', 'any'], 'unknown option --fail-of — did you mean --fail-on?'],
  ])('%j', (argv, message) => {
    const got = usage(argv);
    expect(got).toBe(message);
    expect(balanced(got)).toBe(true);
  });

  it('an option with nothing near: says how to pass it to the guest instead, quotes balanced', () => {
    const got = usage(['a.wasm', '--frobnicate']);
    expect(got).toBe("unknown option --frobnicate (an argument for the guest that starts with '-' is given as --arg=--frobnicate)");
    expect(usage(['a.wasm', '-Z'])).toMatch(/^unknown option -Z \(/);
    expect(usage(['explain', 'log.txt', '--frobnicate'])).toBe('unknown option --frobnicate');
    for (const argv of [
      ['a.wasm', '--frobnicate'],
      ['a.wasm', '-Z'],
      ['explain', 'x', '--zzz'],
    ])
      expect(balanced(usage(argv))).toBe(true);
  });

  it('a missing value, a value for a switch', () => {
    expect(usage(['a.wasm', '--timeout'])).toBe('--timeout needs a value');
    expect(usage(['a.wasm', '--quiet=yes'])).toBe('--quiet takes no value');
  });

  it('a report file named like an artifact (--json build/*.wasm, expanded by the shell) is refused, not overwritten', () => {
    expect(usage(['--json', 'build/app.wasm', 'build/lib.wasm'])).toBe(
      "--json 'build/app.wasm': a .wasm file would be overwritten by the report (name a report file)",
    );
    expect(usage(['a.wasm', '--output', 'markdown=b.WASM'])).toMatch(/^--output markdown=… 'b\.WASM': a \.wasm file would be overwritten/);
    expect(usage(['merge', 'a.json', '--markdown', 'x.wasm'])).toMatch(/^--markdown 'x\.wasm'/);
  });

  it('subcommands: a near miss or a unique prefix', () => {
    expect(usage(['explian', 'log.txt'])).toMatch(/did you mean 'explain'\?/);
    expect(usage(['mer', 'a.json'])).toMatch(/did you mean 'merge'\?/);
    expect(usage(['zebra'])).not.toMatch(/did you mean/);
    // After an option, a command was taken as an artifact path ("no such file: 'diff', 'a.json', …").
    expect(usage(['-q', 'diff', 'a.json', 'b.json'])).toBe("'diff' is a command: give it first, then its options (wasm-p2-check diff …)");
    expect(usage(['--no-color', 'explain', 'log.txt'])).toMatch(/^'explain' is a command: give it first/);
  });
});

describe('colour: flags, FORCE_COLOR, NO_COLOR, the terminal', () => {
  it.each([
    [undefined, {}, true, true],
    [undefined, {}, false, false],
    [undefined, { TERM: 'dumb' }, true, false],
    [undefined, { NO_COLOR: '1' }, true, false],
    [undefined, { NO_COLOR: '' }, true, true],
    [undefined, { FORCE_COLOR: '1' }, false, true],
    [undefined, { FORCE_COLOR: '' }, false, true],
    [undefined, { FORCE_COLOR: '0' }, true, false],
    [undefined, { FORCE_COLOR: 'false' }, true, false],
    [undefined, { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    [true, { NO_COLOR: '1' }, false, true],
    [false, { FORCE_COLOR: '1' }, true, false],
  ] as const)('flag %s, env %j, tty %s → %s', (flag, env, tty, want) => {
    expect(useColor(flag, env as NodeJS.ProcessEnv, tty)).toBe(want);
  });
});

/** A stream and a clock we control. */
function fake(isTTY: boolean) {
  let text = '';
  let t = 1_000_000;
  const stream = { isTTY, columns: 200, write: (s: string) => (text += s) };
  return { stream, advance: (ms: number) => (t += ms), now: () => t, text: () => text };
}

describe('progress', () => {
  it('on a terminal: one status line in place with done/total, elapsed, ETA and what runs; messages above it', () => {
    const f = fake(true);
    const p = progressPrinter(f.stream, f.now, 0);
    p.onEvent({ artifact: '', stage: 'inspect', message: 'runtime: embedded' });
    p.onEvent({ artifact: '', stage: 'inspect', total: 4 });
    p.onEvent({ artifact: 'a.wasm', stage: 'p1' });
    f.advance(2000);
    p.onEvent({ artifact: 'a.wasm', stage: 'done', message: 'PASS' });
    p.onEvent({ artifact: 'b.wasm', stage: 'convert' });
    p.end();
    const frames = f.text().split('\r\x1b[2K');
    expect(frames).toContain('[  0.0s] runtime: embedded\n');
    expect(frames).toContain('0/4 done · 0s elapsed · a.wasm: p1');
    // 1 done in 2 s, 3 to go: 6 s left.
    expect(frames).toContain('1/4 done · 2s elapsed · ETA 6s · b.wasm: convert');
    expect(f.text()).not.toMatch(/\n\[[ \d.]+s\] a\.wasm/); // no scrolling line per artifact
    expect(f.text().endsWith('\r\x1b[2K')).toBe(true); // the status line is cleared at the end
  });

  it('elsewhere (a CI log): one line per finished artifact and per message, no escape sequences', () => {
    const f = fake(false);
    const p = progressPrinter(f.stream, f.now, 0);
    p.onEvent({ artifact: '', stage: 'inspect', total: 2 });
    p.onEvent({ artifact: 'a.wasm', stage: 'p1' });
    f.advance(1500);
    p.onEvent({ artifact: 'a.wasm', stage: 'done', message: 'PASS' });
    p.onEvent({ artifact: 'x\n::error::y.wasm', stage: 'done', message: 'REGRESSION' });
    p.end();
    expect(f.text()).not.toContain('\x1b');
    expect(f.text().split('\n')[0]).toBe('[  1.5s] a.wasm: PASS');
    expect(f.text()).not.toMatch(/^::/m);
  });
});
