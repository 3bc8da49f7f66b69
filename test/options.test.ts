/**
 * Options as data: one table (src/options/table.ts) for the CLI flags and the Action inputs. action.yml and
 * docs/action.md are written from it (`npm run options`); both shells parse through the same parsers and differ only in how
 * an error names the option.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HELP, parseCli, UsageError } from '../src/cli/args.js';
import { InputError } from '../src/action/inputs.js';
import { type ActionInputs, parseInputs } from '../src/action/modes/index.js';

/** The check() options of a mode that checks. */
const checkOptions = (i: ActionInputs) => ('check' in i ? i.check : undefined);
import { actionInputs, cliOptions } from '../src/options/table.js';

const root = path.resolve(import.meta.dirname, '..');
const cwd = '/work/space';

function cliError(argv: string[]): string {
  try {
    parseCli(['a.wasm', ...argv], cwd);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

function inputError(values: Record<string, string>): InputError {
  try {
    parseInputs((n) => ({ artifacts: 'a.wasm', ...values })[n] ?? '', cwd);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error(`expected an input error for ${JSON.stringify(values)}`);
}

describe('the option table', () => {
  it('is what action.yml declares: names, order, defaults, descriptions (run `npm run options` when this fails)', () => {
    const yml = parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string; description: string }>;
    };
    expect(Object.entries(yml.inputs).map(([name, i]) => ({ name, default: i.default ?? '', description: i.description }))).toEqual(
      actionInputs(),
    );
  });

  it('every CLI flag is in --help and in the CLI reference (docs/cli.md)', () => {
    expect(parseCli(['--help'])).toEqual({ kind: 'help' });
    const help = HELP;
    const cliSection = readFileSync(path.join(root, 'docs', 'cli.md'), 'utf8');
    for (const { cli } of cliOptions()) {
      expect(help, cli.flag).toContain(`--${cli.flag}`);
      expect(cliSection, cli.flag).toContain(`--${cli.flag}`);
    }
  });

  it.each([
    ['timeout', '--timeout', '100000'],
    ['timeout', '--timeout', '0'],
    ['output-cap', '--output-cap', '65MiB'],
    ['output-cap', '--output-cap', 'lots'],
    ['runtime', '--runtime', 'v8'],
    ['fail-on', '--fail-on', 'sometimes'],
    ['wasmtime-version', '--wasmtime-version', 'newest'],
    ['adapter', '--adapter', '39.0'],
    ['env', '--env', 'NOEQUALS'],
    ['dirs', '--dir', '::/guest'],
  ])('%s: the CLI and the Action reject %s %s with the same reason', (input, flag, value) => {
    const cli = cliError([flag, value]);
    const action = inputError({ [input]: value });
    expect(cli).toMatch(new RegExp(`^${flag} '`));
    expect(action.input).toBe(input);
    const reason = action.message.slice(action.message.indexOf(`'${value}': `) + value.length + 4);
    expect(cli).toBe(`${flag} '${value}': ${reason}`);
  });

  it('the CLI takes what the Action takes: 64KiB, 1.5s, v-prefixed releases', () => {
    const c = parseCli(
      ['a.wasm', '--output-cap', '64KiB', '--timeout', '1.5s', '--wasmtime-version', 'v39.0.1', '--adapter', 'v39.0.1'],
      cwd,
    );
    const a = parseInputs(
      (n) => ({ artifacts: 'a.wasm', 'output-cap': '64KiB', timeout: '1.5s', 'wasmtime-version': 'v39.0.1', adapter: 'v39.0.1' })[n] ?? '',
      cwd,
    );
    expect(c.kind === 'check' && c.options).toMatchObject({
      sandbox: { outputCapBytes: 65536, timeoutMs: 1500 },
      wasmtime: { version: '39.0.1' },
      adapter: { kind: 'release', version: '39.0.1' },
    });
    expect(checkOptions(a)).toMatchObject({
      sandbox: { outputCapBytes: 65536, timeoutMs: 1500 },
      wasmtime: { version: '39.0.1' },
      adapter: { kind: 'release', version: '39.0.1' },
    });
  });

  it('the adapter is decoded once into a value', () => {
    const adapter = (text: string) => {
      const c = parseCli(['a.wasm', '--adapter', text], cwd);
      return c.kind === 'check' ? c.options.adapter : undefined;
    };
    expect(adapter('auto')).toEqual({ kind: 'auto' });
    expect(adapter('bundled')).toEqual({ kind: 'bundled' });
    expect(adapter('49.0.4')).toEqual({ kind: 'release', version: '49.0.4' });
    expect(adapter('ad/w.wasm')).toEqual({ kind: 'file', path: '/work/space/ad/w.wasm' });
    expect(checkOptions(parseInputs((n) => ({ artifacts: 'a', adapter: 'ad/w.wasm' })[n] ?? '', cwd))?.adapter).toEqual({
      kind: 'file',
      path: '/work/space/ad/w.wasm',
    });
  });
});
