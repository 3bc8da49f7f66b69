import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUT_DEFAULTS, InputError } from '../src/action/inputs.js';
import { type ActionInputs, parseInputs } from '../src/action/modes/index.js';

/** The check() options of a mode that checks. */
const checkOptions = (i: ActionInputs) => ('check' in i ? i.check : undefined);

const cwd = '/work/space';
const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? '';
const actionYml = parse(readFileSync(path.join(import.meta.dirname, '..', 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};

function errorOf(values: Record<string, string>): InputError {
  try {
    parseInputs(inputs(values), cwd);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('action.yml', () => {
  it('runs dist/index.js on node24', () => {
    expect(actionYml.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('declares exactly the inputs src/action/inputs.ts reads, with the same defaults', () => {
    const declared = Object.fromEntries(Object.entries(actionYml.inputs).map(([k, v]) => [k, v.default ?? '']));
    expect(declared).toEqual(INPUT_DEFAULTS);
    for (const [name, spec] of Object.entries(actionYml.inputs)) {
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(spec.description.length, name).toBeGreaterThan(10);
    }
    expect(Object.keys(actionYml.outputs).sort()).toEqual([
      'baseline',
      'check-run-id',
      'check-run-url',
      'comment-id',
      'comment-url',
      'error',
      'failures',
      'new-failures',
      'regressions',
      'report-json',
      'result',
    ]);
  });

  it('has no expression in any description (the runner evaluates them while loading action.yml and fails)', () => {
    const text = readFileSync(path.join(import.meta.dirname, '..', 'action.yml'), 'utf8');
    const withExpressions = text.split('\n').filter((l) => l.includes('${{'));
    expect(withExpressions).toEqual(['    default: ${{ github.token }}']);
  });
});

describe('parseInputs', () => {
  it('applies the action.yml defaults and builds check() options', () => {
    const parsed = parseInputs(inputs({ artifacts: 'build/*.wasm\n\n  out/**/*.wasm  \n', 'github-token': 'ghs_x' }), cwd);
    expect(parsed.mode).toBe('check');
    expect(parsed.publish).toEqual({
      comment: 'on-failure',
      failOn: 'regression',
      token: 'ghs_x',
      checkRun: true,
      checkName: 'wasm-p2-check',
      commentKey: undefined,
      matrix: undefined,
      hideOld: false,
      publishErrors: 'warn',
    });
    expect(checkOptions(parsed)).toEqual({
      patterns: ['build/*.wasm', 'out/**/*.wasm'],
      cwd,
      runtime: 'auto',
      wasmtime: {},
      adapter: { kind: 'auto' },
      sandbox: {
        args: [],
        env: {},
        dirs: [],
        stdinFile: undefined,
        timeoutMs: 30_000,
        outputCapBytes: 1_048_576,
        maxMemoryBytes: 2 * 1024 ** 3,
        maxDiskBytes: 512 * 1024 ** 2,
        maxEntries: 10_000,
      },
      maxArtifactBytes: 512 * 1024 ** 2,
      budgetMs: 10_800_000,
      signatureDirs: [],
    });
  });

  it('parses the sandbox inputs', () => {
    const check = checkOptions(
      parseInputs(
        inputs({
          artifacts: 'a.wasm',
          runtime: 'embedded',
          'wasmtime-version': 'v39.0.1',
          adapter: 'adapters/wasi_snapshot_preview1.command.wasm',
          args: '--name\nhello world',
          env: 'A=1\nB=x=y\n# comment',
          dirs: 'data::/data\nfixtures',
          stdin: 'in.txt',
          timeout: '2.5',
          'output-cap': '64KiB',
          signatures: 'sigs',
        }),
        cwd,
      ),
    );
    expect(check).toMatchObject({
      runtime: 'embedded',
      wasmtime: { version: '39.0.1' },
      adapter: { kind: 'file', path: '/work/space/adapters/wasi_snapshot_preview1.command.wasm' },
      sandbox: {
        args: ['--name', 'hello world'],
        env: { A: '1', B: 'x=y' },
        dirs: [
          { host: '/work/space/data', guest: '/data' },
          { host: '/work/space/fixtures', guest: 'fixtures' },
        ],
        stdinFile: '/work/space/in.txt',
        timeoutMs: 2500,
        outputCapBytes: 65_536,
      },
      signatureDirs: ['/work/space/sigs'],
    });
    expect(checkOptions(parseInputs(inputs({ artifacts: 'a.wasm', adapter: '39.0.1' }), cwd))?.adapter).toEqual({
      kind: 'release',
      version: '39.0.1',
    });
    // auto = the runtime's own release adapter; bundled = the one shipped with wasm-p2-check.
    expect(checkOptions(parseInputs(inputs({ artifacts: 'a.wasm', adapter: 'auto' }), cwd))?.adapter).toEqual({ kind: 'auto' });
    expect(checkOptions(parseInputs(inputs({ artifacts: 'a.wasm', adapter: 'bundled' }), cwd))?.adapter).toEqual({ kind: 'bundled' });
  });

  it('parses the publishing inputs', () => {
    const { publish } = parseInputs(
      inputs({
        artifacts: 'a',
        comment: 'update-only',
        'fail-on': 'any',
        'check-run': 'false',
        'comment-key': 'go-1.24',
        matrix: '{"go":"1.24"}',
      }),
      cwd,
    );
    expect(publish).toMatchObject({
      comment: 'update-only',
      failOn: 'any',
      checkRun: false,
      commentKey: 'go-1.24',
      matrix: { go: '1.24' },
    });
    expect(parseInputs(inputs({ artifacts: 'a', matrix: 'null' }), cwd).publish.matrix).toBeUndefined();
  });

  it('post-from-report needs only the report', () => {
    const parsed = parseInputs(inputs({ mode: 'post-from-report', report: 'r/report.json' }), cwd);
    expect(parsed).toMatchObject({ mode: 'post-from-report', reportPath: '/work/space/r/report.json' });
    expect(checkOptions(parsed)).toBeUndefined();
  });

  it.each([
    [{ artifacts: 'a', 'fail-on': 'regressions' }, 'fail-on', 'regressions'],
    [{ artifacts: 'a', comment: 'sometimes' }, 'comment', 'sometimes'],
    [{ artifacts: 'a', mode: 'post' }, 'mode', 'post'],
    [{ artifacts: 'a', runtime: 'wasmer' }, 'runtime', 'wasmer'],
    [{ artifacts: 'a', timeout: '-3' }, 'timeout', '-3'],
    [{ artifacts: 'a', timeout: '10m' }, 'timeout', '10m'],
    [{ artifacts: 'a', 'output-cap': 'lots' }, 'output-cap', 'lots'],
    [{ artifacts: 'a', env: 'NOEQUALS' }, 'env', 'NOEQUALS'],
    [{ artifacts: 'a', dirs: '::/guest' }, 'dirs', '::/guest'],
    [{ artifacts: 'a', 'check-run': 'yes' }, 'check-run', 'yes'],
    [{ artifacts: 'a', 'comment-key': 'a-->b' }, 'comment-key', 'a-->b'],
    [{ artifacts: 'a', matrix: '[1,2]' }, 'matrix', '[1,2]'],
    [{ artifacts: 'a', 'wasmtime-version': 'newest' }, 'wasmtime-version', 'newest'],
    [{}, 'artifacts', ''],
    [{ mode: 'post-from-report' }, 'report', ''],
  ])('%j → an error naming %s', (values, input, value) => {
    const e = errorOf(values);
    expect(e.input).toBe(input);
    expect(e.value).toBe(value);
    expect(e.message).toContain(`Input '${input}'`);
    expect(e.message).toContain(`'${value}'`);
  });
});
