import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../src/cli/args.js';

describe('parseCli', () => {
  it('parses a full check command', () => {
    const c = parseCli(
      [
        'build/*.wasm',
        'x.wasm',
        '--runtime',
        'embedded',
        '--arg',
        'a',
        '--arg=--b',
        '--env',
        'K=V=W',
        '--dir',
        'data::/data',
        '--stdin',
        'in.txt',
        '--timeout',
        '2.5',
        '--json',
        'r.json',
        '--markdown',
        '-',
        '--adapter',
        'ad.wasm',
        '--signatures',
        'sigs',
        '--fail-on',
        'any',
      ],
      '/w',
    );
    expect(c).toMatchObject({
      kind: 'check',
      json: 'r.json',
      markdown: '-',
      failOn: 'any',
      options: {
        patterns: ['build/*.wasm', 'x.wasm'],
        runtime: 'embedded',
        adapter: { kind: 'file', path: '/w/ad.wasm' },
        signatureDirs: ['/w/sigs'],
        sandbox: {
          args: ['a', '--b'],
          env: { K: 'V=W' },
          dirs: [{ host: '/w/data', guest: '/data' }],
          stdinFile: '/w/in.txt',
          timeoutMs: 2500,
        },
      },
    });
  });

  it('defaults: auto runtime, empty sandbox, fail on regressions', () => {
    const c = parseCli(['a.wasm']);
    expect(c).toMatchObject({
      kind: 'check',
      failOn: 'regression',
      options: { runtime: 'auto', sandbox: { args: [], env: {}, dirs: [], timeoutMs: 30000 } },
    });
    expect(c.kind === 'check' ? c.options.concurrency : 'not check').toBeUndefined();
    expect(parseCli(['a.wasm', '-j', '1'])).toMatchObject({ options: { concurrency: 1 } });
  });

  it('parses explain', () => {
    expect(parseCli(['explain', 'log.txt', '--module', 'm.wasm', '--json'])).toMatchObject({
      kind: 'explain',
      log: 'log.txt',
      module: 'm.wasm',
      format: 'json',
    });
    expect(parseCli(['explain', 'log.txt', '--markdown', '--adapter-version', '33.0.0'])).toMatchObject({
      format: 'markdown',
      adapterVersion: '33.0.0',
    });
    expect(() => parseCli(['explain', 'log.txt', '--json', '--markdown'])).toThrow(/exclude each other/);
    expect(() => parseCli(['explain', 'log.txt', '--adapter-version', 'banana'])).toThrow(/--adapter-version 'banana'/);
  });

  it.each([
    [[], /no artifacts/],
    [['a.wasm', '--runtime', 'v8'], /--runtime 'v8'/],
    [['a.wasm', '--env', 'NOEQUALS'], /--env 'NOEQUALS': expected KEY=VALUE/],
    [['a.wasm', '--dir', '::/x'], /--dir '::\/x'/],
    [['a.wasm', '--timeout', '0'], /--timeout '0'/],
    [['a.wasm', '--bogus'], /bogus/],
    [['a.wasm', '--fail-on', 'sometimes'], /--fail-on/],
    [['explain'], /one log file/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCli(argv as string[])).toThrow(UsageError);
    expect(() => parseCli(argv as string[])).toThrow(message);
  });
});

describe('usage errors that must not look green (#22)', () => {
  const none = () => false;
  it('a bare first word that is no file is a mistyped command, with a suggestion', () => {
    expect(() => parseCli(['explian', 'log.txt'], '/w', none)).toThrow(UsageError);
    expect(() => parseCli(['explian', 'log.txt'], '/w', none)).toThrow(/'explian' is not a command or a file — did you mean 'explain'\?/);
    expect(() => parseCli(['mrege', 'a.json'], '/w', none)).toThrow(/did you mean 'merge'/);
    expect(() => parseCli(['frobnicate'], '/w', none)).toThrow(/'frobnicate' is not a command or a file \(commands:/);
  });

  it('a bare word that is a file, or a path or glob, is an artifact', () => {
    expect(parseCli(['app'], '/w', (p) => p === '/w/app')).toMatchObject({ kind: 'check', options: { patterns: ['app'] } });
    expect(parseCli(['app.wasm'], '/w', none)).toMatchObject({ kind: 'check' });
    expect(parseCli(['build/*.wasm'], '/w', none)).toMatchObject({ kind: 'check' });
  });

  it('--json and --markdown to one target are refused (check and merge)', () => {
    expect(() => parseCli(['x.wasm', '--json', '-', '--markdown', '-'], '/w', none)).toThrow(/both write to stdout/);
    expect(() => parseCli(['x.wasm', '--json', 'r.out', '--markdown', './r.out'], '/w', none)).toThrow(/both write to 'r.out'/);
    expect(() => parseCli(['merge', 'a.json', '--json', '-', '--markdown', '-'], '/w', none)).toThrow(/both write to stdout/);
    expect(parseCli(['x.wasm', '--json', '-', '--markdown', 'r.md'], '/w', none)).toMatchObject({
      json: '-',
      markdown: expect.any(String),
    });
  });
});

describe('--baseline and diff (#18)', () => {
  const none = () => false;
  it('--baseline takes a report file (resolved), not auto; none is no baseline', () => {
    expect(parseCli(['x.wasm', '--baseline', 'base.json'], '/w', none)).toMatchObject({ kind: 'check', baseline: '/w/base.json' });
    expect(parseCli(['x.wasm', '--baseline', 'none'], '/w', none)).not.toHaveProperty('baseline');
    expect(() => parseCli(['x.wasm', '--baseline', 'auto'], '/w', none)).toThrow(/--baseline 'auto' is the Action's/);
  });

  it('diff takes two reports, fail-on new unless told otherwise', () => {
    expect(parseCli(['diff', 'a.json', 'b.json'], '/w', none)).toMatchObject({
      kind: 'diff',
      baseline: 'a.json',
      report: 'b.json',
      failOn: 'new',
    });
    expect(parseCli(['diff', 'a.json', 'b.json', '--fail-on', 'any'], '/w', none)).toMatchObject({ failOn: 'any' });
    expect(() => parseCli(['diff', 'a.json'], '/w', none)).toThrow(/diff takes two JSON reports/);
    expect(() => parseCli(['diff', 'a.json', 'b.json', '--json', '-', '--markdown', '-'], '/w', none)).toThrow(/both write to stdout/);
    expect(() => parseCli(['dif', 'a.json', 'b.json'], '/w', none)).toThrow(/did you mean 'diff'/);
  });
});
