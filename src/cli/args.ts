import semver from 'semver';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { FailOn } from '../report/fail-on.js';
import { buildCheckOptions, type OptionReader } from '../options/build.js';
import type { CheckOptions } from '../options/index.js';
import type { ReportOutput } from '../report/formats.js';
import { cliOptions, DEFAULT_OUTPUT_CAP, DEFAULT_TIMEOUT_SECONDS, readOption, type RawValue } from '../options/table.js';

export { DEFAULT_OUTPUT_CAP, DEFAULT_TIMEOUT_SECONDS };
export type { FailOn };

export class UsageError extends Error {}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'check';
      options: Omit<CheckOptions, 'cwd' | 'onProgress' | 'cache'>;
      /** Every report file asked for (`--json`, `--markdown`, `--output FORMAT=FILE`), in that order. */
      outputs: ReportOutput[];
      json?: string;
      markdown?: string;
      failOn: FailOn;
      color?: boolean;
      quiet: boolean;
      /** Result cache on (default) or off (`--no-cache`); its folder (`--cache-dir`, else the user cache folder). */
      cache: boolean;
      cacheDir?: string;
      /** `--baseline FILE`: the report to compare with. */
      baseline?: string;
    }
  | { kind: 'merge'; reports: string[]; outputs: ReportOutput[]; failOn: FailOn; color?: boolean }
  | { kind: 'diff'; baseline: string; report: string; outputs: ReportOutput[]; failOn: FailOn; color?: boolean }
  | {
      kind: 'versions';
      /** The check options every release shares; `adapter` is the release's (or, engine per release, its own pair). */
      options: Omit<CheckOptions, 'cwd' | 'onProgress' | 'cache'>;
      releases: string[];
      bisect: boolean;
      releaseData: string[];
      json?: string;
      markdown?: string;
      color?: boolean;
      quiet: boolean;
      cache: boolean;
      cacheDir?: string;
    }
  | {
      kind: 'explain';
      log: string;
      module?: string;
      signatureDirs: string[];
      adapterVersion?: string;
      format: 'terminal' | 'json' | 'markdown';
      color?: boolean;
    };

const GROUP_TITLES = {
  Runtime: 'Runtime',
  'Guest sandbox': 'Guest sandbox (the same for the P1 and the P2 run; nothing else is inherited)',
  'Diagnosis and output': 'Diagnosis and output',
  'Speed and matrix jobs': 'Speed and matrix jobs',
  'Release matrix': "Release matrix (wasm-p2-check versions: every option above applies to each release's check)",
} as const;

/** --help, from the option table. */
function helpText(): string {
  const sections: string[] = [];
  for (const [group, title] of Object.entries(GROUP_TITLES)) {
    const rows = cliOptions()
      .filter((o) => o.cli.group === group)
      .map(({ cli }) => {
        const label = `${cli.short ? `-${cli.short}, ` : ''}--${cli.flag}${cli.value ? ` ${cli.value}` : ''}`;
        const [first, ...rest] = cli.help.split('\n');
        return [`  ${label.padEnd(22)} ${first}`, ...rest.map((l) => `${' '.repeat(25)}${l}`)].join('\n');
      });
    sections.push(`${title}\n${rows.join('\n')}`);
  }
  return `Usage: wasm-p2-check [options] <artifact globs…>
       wasm-p2-check explain <log file | -> [--module FILE] [--adapter-version V] [--json | --markdown]
       wasm-p2-check merge <report.json…> [--json FILE] [--markdown FILE] [--fail-on WHAT]
       wasm-p2-check diff <base.json> <report.json> [--json FILE] [--markdown FILE] [--fail-on WHAT]
       wasm-p2-check versions --releases V,V… [--bisect] [options] <artifact globs…>

Checks that WASI Preview 1 wasm modules still work once converted to WASI Preview 2
components, and explains failures. Exit status: 0 nothing fails, 1 an artifact fails
(see --fail-on), 2 usage error (bad option, unknown command, a path that does not exist,
a glob that matches nothing, both reports to stdout, a runtime, wasmtime or adapter
that cannot be had).

${sections.join('\n')}
  -h, --help             this text
  -v, --version          print the version
`;
}

export const HELP = helpText();

/** node:util parseArgs options for the check command, from the table. */
const checkSpec: NonNullable<ParseArgsConfig['options']> = {
  ...Object.fromEntries(
    cliOptions().map(({ kind, cli }) => [
      cli.flag,
      { type: kind === 'flag' ? 'boolean' : 'string', multiple: kind === 'list', ...(cli.short ? { short: cli.short } : {}) },
    ]),
  ),
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

const explainSpec = {
  module: { type: 'string' },
  signatures: { type: 'string', multiple: true },
  /** wasmtime release of the adapter that produced the log: pins what `adapter line N` means. */
  'adapter-version': { type: 'string' },
  json: { type: 'boolean' },
  markdown: { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The closest of `known` to a mistyped word: within 2 edits (and fewer than its length), or a unique prefix of it. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(word.slice(0, 40), name);
    if (d <= 2 && d < word.length && (!best || d < best.d)) best = { name, d };
  }
  if (best) return best.name;
  const prefixed = word.length >= 3 ? known.filter((k) => k.startsWith(word)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/**
 * node:util parseArgs with its errors as usage errors in our words: Node's own text for an unknown option ends in an
 * unbalanced quote and suggests nothing. `guestArgs`: the command passes guest arguments (`--arg`), so an unknown
 * option with no near match may be one meant for the guest.
 */
function parseStrict<T extends ParseArgsConfig['options']>(argv: string[], options: T, guestArgs = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const { code, message } = e as { code?: string; message: string };
    const named = /^(?:Unknown option|Option) '(?:-\w, )?(-{1,2}[^' <=,]+)/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && named) {
      const flags = Object.keys(options ?? {});
      const near = named.startsWith('--') ? closest(named.slice(2), flags) : undefined;
      const hint = near
        ? ` — did you mean --${near}?`
        : guestArgs
          ? ` (an argument for the guest that starts with '-' is given as --arg=${named})`
          : '';
      throw new UsageError(`unknown option ${named}${hint}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && named) {
      throw new UsageError(/does not take an argument/.test(message) ? `${named} takes no value` : `${named} needs a value`);
    }
    throw new UsageError(message);
  }
}

function parseExplain(argv: string[]): CliCommand {
  const { values: v, positionals } = parseStrict(argv, explainSpec);
  if (v.help) return { kind: 'help' };
  const log = positionals[0];
  if (!log || positionals.length > 1) throw new UsageError('explain takes one log file (or - for stdin)');
  const color = v['no-color'] ? false : v.color ? true : undefined;
  if (v.json && v.markdown) throw new UsageError('explain: --json and --markdown exclude each other');
  const adapterVersion = v['adapter-version'];
  if (adapterVersion !== undefined && semver.valid(semver.coerce(adapterVersion)) === null) {
    throw new UsageError(`explain: --adapter-version '${adapterVersion}': expected a wasmtime release such as 33.0.0`);
  }
  const format = v.json ? 'json' : v.markdown ? 'markdown' : 'terminal';
  return { kind: 'explain', log, module: v.module, signatureDirs: v.signatures ?? [], adapterVersion, format, color };
}

/** The flags `merge` shares with the check command (same table entries, same parsing). */
const MERGE_OPTIONS = ['json', 'markdown', 'output', 'fail-on', 'color', 'no-color'] as const;

function parseMerge(argv: string[], cwd: string): CliCommand {
  const spec = Object.fromEntries(
    Object.entries(checkSpec).filter(([flag]) => (MERGE_OPTIONS as readonly string[]).includes(flag) || flag === 'help'),
  );
  const { values, positionals } = parseStrict(argv, spec);
  if (values.help) return { kind: 'help' };
  const read = <K extends (typeof MERGE_OPTIONS)[number]>(name: K) =>
    readOption(name, values[name] as RawValue, { cwd }, (text, expected) => new UsageError(`--${name} '${text}': ${expected}`));
  if (positionals.length === 0) throw new UsageError('merge takes the JSON reports to merge (e.g. wasm-p2-check merge reports/*.json)');
  return {
    kind: 'merge',
    reports: positionals,
    outputs: readOutputs(read, cwd),
    failOn: read('fail-on'),
    color: read('no-color') ? false : read('color') ? true : undefined,
  };
}

/**
 * `diff base.json report.json`: the second report compared with the first, nothing run. `--fail-on` defaults to `new`
 * here (what a comparison is for).
 */
function parseDiff(argv: string[], cwd: string): CliCommand {
  const spec = Object.fromEntries(
    Object.entries(checkSpec).filter(([flag]) => (MERGE_OPTIONS as readonly string[]).includes(flag) || flag === 'help'),
  );
  const { values, positionals } = parseStrict(argv, spec);
  if (values.help) return { kind: 'help' };
  const read = <K extends (typeof MERGE_OPTIONS)[number]>(name: K, given = values[name] as RawValue) =>
    readOption(name, given, { cwd }, (text, expected) => new UsageError(`--${name} '${text}': ${expected}`));
  if (positionals.length !== 2) throw new UsageError('diff takes two JSON reports: the baseline, then the report to compare with it');
  return {
    kind: 'diff',
    baseline: positionals[0]!,
    report: positionals[1]!,
    outputs: readOutputs((name) => read(name), cwd),
    failOn: read('fail-on', (values['fail-on'] as string | undefined) ?? 'new'),
    color: read('no-color') ? false : read('color') ? true : undefined,
  };
}

/** The subcommands; any other first word is an artifact path. */
const COMMANDS = ['explain', 'merge', 'diff', 'versions'] as const;

/** Options only the `versions` command takes. */
const VERSIONS_ONLY = ['releases', 'bisect-releases', 'release-data'] as const;

/** Levenshtein distance, bounded: both words are short (a command name and one argument of at most 32 letters). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/**
 * A first argument that reads like a command (a bare word: no dot, slash or wildcard) and is no file: a mistyped
 * subcommand (`explian log.txt`), which would otherwise be taken as artifact paths.
 */
function notACommand(first: string | undefined, cwd: string, exists: (p: string) => boolean): UsageError | undefined {
  if (first === undefined || !/^[a-z][a-z0-9-]{0,31}$/i.test(first) || exists(path.resolve(cwd, first))) return undefined;
  const near = closest(first.toLowerCase(), COMMANDS);
  return new UsageError(
    `'${first}' is not a command or a file${near ? ` — did you mean '${near}'?` : ''} ` +
      `(commands: ${COMMANDS.join(', ')}; anything else is an artifact path or glob)`,
  );
}

/**
 * The report files asked for: `--json FILE` and `--markdown FILE` (short for `--output json=FILE`, `markdown=FILE`),
 * then each `--output FORMAT=FILE`. Two to stdout (or to one file) would interleave two reports into one unreadable
 * stream: refused.
 */
function readOutputs(read: (name: 'json' | 'markdown' | 'output') => unknown, cwd: string): ReportOutput[] {
  const outputs: ReportOutput[] = [];
  for (const format of ['json', 'markdown'] as const) {
    const file = read(format) as string;
    if (file) outputs.push({ format, path: file, given: `--${format}` });
  }
  for (const o of read('output') as { format: ReportOutput['format']; path: string }[]) {
    outputs.push({ ...o, given: `--output ${o.format}=…` });
  }
  // `--json build/*.wasm` (the shell expands it) or a forgotten file name takes an artifact as the report file.
  const artifactLike = outputs.find((o) => /\.wasm$/i.test(o.path));
  if (artifactLike) {
    throw new UsageError(
      `${artifactLike.given} '${artifactLike.path}': a .wasm file would be overwritten by the report (name a report file)`,
    );
  }
  const where = (o: ReportOutput) => (o.path === '-' ? '-' : path.resolve(cwd, o.path));
  for (const [i, a] of outputs.entries()) {
    const b = outputs.slice(i + 1).find((o) => where(o) === where(a));
    if (b) {
      throw new UsageError(
        `${a.given} and ${b.given} both write to ${a.path === '-' ? 'stdout' : `'${a.path}'`}: give each its own file (at most one '-')`,
      );
    }
  }
  return outputs;
}

/** The first output of a format (the `versions` command renders its own report in the same formats). */
const pathOf = (outputs: ReportOutput[], format: ReportOutput['format']) => outputs.find((o) => o.format === format)?.path;

/**
 * Pure apart from `exists`: argv (without node and script) → what to do. Relative paths are resolved against `cwd`.
 * Throws UsageError.
 */
export function parseCli(argv: string[], cwd: string = process.cwd(), exists: (p: string) => boolean = existsSync): CliCommand {
  if (argv[0] === 'explain') return parseExplain(argv.slice(1));
  if (argv[0] === 'merge') return parseMerge(argv.slice(1), cwd);
  if (argv[0] === 'diff') return parseDiff(argv.slice(1), cwd);
  if (argv[0] === 'versions') return parseVersions(argv.slice(1), cwd, exists);
  const parsed = parseCheckArgs(argv, cwd, exists);
  if (parsed.kind !== 'check') return parsed;
  const given = VERSIONS_ONLY.find((name) => parsed.given(name));
  if (given)
    throw new UsageError(`${flagOf(given)} is an option of 'wasm-p2-check versions' (e.g. wasm-p2-check versions ${flagOf(given)} …)`);
  return parsed.command;
}

/** `versions`: the check command's options and artifacts, and the releases to check them with. */
function parseVersions(argv: string[], cwd: string, exists: (p: string) => boolean): CliCommand {
  const parsed = parseCheckArgs(argv, cwd, exists, 'versions');
  if (parsed.kind !== 'check') return parsed;
  const { command, read } = parsed;
  const releases = read('releases');
  if (releases.length === 0)
    throw new UsageError('versions needs --releases (e.g. wasm-p2-check versions --releases 33.0.0,47.0.0 build/*.wasm)');
  if (command.baseline) throw new UsageError('versions: --baseline belongs to a plain check (compare one run with a saved report)');
  if (command.options.adapter && command.options.adapter.kind !== 'auto') {
    throw new UsageError("versions: --adapter is chosen per release (each release's adapter); leave it out");
  }
  const { failOn: _failOn, kind: _kind, ...rest } = command;
  return { ...rest, kind: 'versions', releases, bisect: read('bisect-releases'), releaseData: read('release-data') };
}

/** The check command's parse, shared by `versions`: options from the table, artifacts from the positionals. */
function parseCheckArgs(
  argv: string[],
  cwd: string,
  exists: (p: string) => boolean,
  sub?: 'versions',
):
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'check'; command: Extract<CliCommand, { kind: 'check' }>; read: OptionReader; given: (name: string) => boolean } {
  const { values, positionals } = parseStrict(argv, checkSpec, true);
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const flagOf = new Map(cliOptions().map((o) => [o.name, o.cli.flag]));
  const read: OptionReader = (name) =>
    readOption(
      name,
      values[flagOf.get(name) ?? ''] as RawValue,
      { cwd },
      (text, expected) => new UsageError(`--${flagOf.get(name)} '${text}': ${expected}`),
    );

  if (positionals.length === 0) throw new UsageError(`no artifacts given (e.g. wasm-p2-check ${sub ? `${sub} … ` : ''}build/*.wasm)`);
  const misuse = sub ? undefined : notACommand(argv[0] === positionals[0] ? positionals[0] : undefined, cwd, exists);
  if (misuse) throw misuse;
  // A command after an option (`-q diff a.json b.json`) would be taken as artifact paths: commands come first.
  const late = sub ? undefined : (COMMANDS as readonly string[]).find((c) => c === positionals[0]);
  if (late && !exists(path.resolve(cwd, late))) {
    throw new UsageError(`'${late}' is a command: give it first, then its options (wasm-p2-check ${late} …)`);
  }
  const outputs = readOutputs(read, cwd);
  const { cwd: _cwd, ...options } = buildCheckOptions(read, positionals, cwd);
  const label = read('label');
  const cacheDir = read('cache-dir');
  const baseline = read('baseline');
  if (baseline?.kind === 'auto') {
    throw new UsageError("--baseline 'auto' is the Action's (it restores the base branch's report): give a JSON report file");
  }
  return {
    kind: 'check',
    read,
    given: (name) => values[flagOf.get(name as never) ?? ''] !== undefined,
    command: {
      kind: 'check',
      options: { ...options, keepWorkDir: read('keep-work-dir'), ...(label ? { label } : {}) },
      cache: !read('no-cache'),
      ...(cacheDir ? { cacheDir } : {}),
      ...(baseline?.kind === 'file' ? { baseline: baseline.path } : {}),
      outputs,
      json: pathOf(outputs, 'json'),
      markdown: pathOf(outputs, 'markdown'),
      failOn: read('fail-on'),
      color: read('no-color') ? false : read('color') ? true : undefined,
      quiet: read('quiet'),
    },
  };
}

/** How the CLI names an option in a message: its flag (`--wasmtime-version`), else the option's own name. */
export function flagOf(option: string): string {
  const o = cliOptions().find((c) => c.name === option);
  return o ? `--${o.cli.flag}` : option;
}
