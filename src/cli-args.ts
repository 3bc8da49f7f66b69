import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Preopen } from './model.js';
import { splitEnvPair, splitPreopen } from './sandbox-syntax.js';
import type { CheckOptions, RuntimeChoice } from './options.js';

export class UsageError extends Error {}

export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_OUTPUT_CAP = 1024 * 1024;

import type { FailOn } from './fail-on.js';
export type { FailOn };

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'check';
      options: Omit<CheckOptions, 'cwd' | 'onProgress'>;
      json?: string;
      markdown?: string;
      failOn: FailOn;
      color?: boolean;
      quiet: boolean;
    }
  | { kind: 'explain'; log: string; module?: string; signatureDirs: string[]; json: boolean; color?: boolean };

export const HELP = `Usage: wasm-p2-check [options] <artifact globs…>
       wasm-p2-check explain <log file | -> [--module FILE] [--json]

Checks that WASI Preview 1 wasm modules still work once converted to WASI Preview 2
components, and explains failures. Exit status: 0 nothing regressed, 1 a regression or
conversion failure was found (see --fail-on), 2 usage error.

Runtime
  --runtime R            auto (default: wasmtime on PATH, else embedded) | wasmtime | embedded
  --wasmtime-version V   wasmtime release to use/install (e.g. 39.0.1, latest)
  --wasmtime PATH        a wasmtime executable to use as is
  --adapter A            adapter to convert with: auto (default: the wasmtime runtime's own release
                         adapter, else the bundled one), bundled (shipped with wasm-p2-check), a
                         wasi_snapshot_preview1.*.wasm file, or a wasmtime version (its release's)
Guest sandbox (the same for the P1 and the P2 run; nothing else is inherited)
  --arg ARG              argument passed to the guest (repeatable)
  --env K=V              environment variable for the guest (repeatable)
  --dir HOST::GUEST      preopened directory; each run gets its own fresh copy (repeatable)
  --stdin FILE           file given to the guest as stdin (default: empty)
  --timeout SECONDS      wall-clock limit per run (default ${DEFAULT_TIMEOUT_SECONDS})
  --output-cap BYTES     bytes kept of each of stdout/stderr (default ${DEFAULT_OUTPUT_CAP})
Diagnosis and output
  --signatures DIR       extra signature directory (repeatable)
  --json FILE            write the JSON report ('-' for stdout)
  --markdown FILE        write the Markdown report ('-' for stdout)
  --fail-on WHAT         regression (default) | any | never
  --color / --no-color   force colour on/off (default: on for a TTY)
  --quiet                no progress on stderr
  --keep-work-dir        keep the scratch directory (components, captured output)
  -j, --jobs N           artifacts checked at once (default: CPUs, at most 4)
  -h, --help             this text
  -v, --version          print the version
`;

const checkSpec = {
  runtime: { type: 'string' },
  'wasmtime-version': { type: 'string' },
  wasmtime: { type: 'string' },
  adapter: { type: 'string' },
  arg: { type: 'string', multiple: true },
  env: { type: 'string', multiple: true },
  dir: { type: 'string', multiple: true },
  stdin: { type: 'string' },
  timeout: { type: 'string' },
  'output-cap': { type: 'string' },
  signatures: { type: 'string', multiple: true },
  json: { type: 'string' },
  markdown: { type: 'string' },
  'fail-on': { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'keep-work-dir': { type: 'boolean' },
  jobs: { type: 'string', short: 'j' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const explainSpec = {
  module: { type: 'string' },
  signatures: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** node:util parseArgs with its errors as usage errors. */
function parseStrict<T extends ParseArgsConfig['options']>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function parseExplain(argv: string[]): CliCommand {
  const { values: v, positionals } = parseStrict(argv, explainSpec);
  if (v.help) return { kind: 'help' };
  const log = positionals[0];
  if (!log || positionals.length > 1) throw new UsageError('explain takes one log file (or - for stdin)');
  const color = v['no-color'] ? false : v.color ? true : undefined;
  return { kind: 'explain', log, module: v.module, signatureDirs: v.signatures ?? [], json: v.json ?? false, color };
}

/** `K=V` → [K, V]; the key must be non-empty and have no `=`. */
export function parseEnvPair(text: string, what = '--env'): [string, string] {
  const pair = splitEnvPair(text);
  if (!pair || !pair[0]) throw new UsageError(`${what} '${text}': expected KEY=VALUE`);
  return pair;
}

/** `HOST::GUEST` (or just `DIR`, mapped to the same path in the guest). */
export function parseDir(text: string, what = '--dir'): Preopen {
  const dir = splitPreopen(text);
  if (!dir.host || !dir.guest) throw new UsageError(`${what} '${text}': expected HOST::GUEST`);
  return dir;
}

export function parsePositiveNumber(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${what} '${text}': expected a positive number`);
  return n;
}

export function parseRuntime(text: string | undefined, what = '--runtime'): RuntimeChoice {
  const r = text ?? 'auto';
  if (r !== 'auto' && r !== 'wasmtime' && r !== 'embedded') throw new UsageError(`${what} '${r}': expected auto, wasmtime or embedded`);
  return r;
}

export function parseFailOn(text: string | undefined, what = '--fail-on'): FailOn {
  const f = text ?? 'regression';
  if (f !== 'regression' && f !== 'any' && f !== 'never') throw new UsageError(`${what} '${f}': expected regression, any or never`);
  return f;
}

/** Pure: argv (without node and script) → what to do. Throws UsageError. */
export function parseCli(argv: string[]): CliCommand {
  if (argv[0] === 'explain') return parseExplain(argv.slice(1));
  const { values: v, positionals } = parseStrict(argv, checkSpec);
  if (v.help) return { kind: 'help' };
  if (v.version) return { kind: 'version' };
  const color = v['no-color'] ? false : v.color ? true : undefined;

  if (positionals.length === 0) throw new UsageError('no artifacts given (e.g. wasm-p2-check build/*.wasm)');

  const timeoutMs = Math.round(parsePositiveNumber(v.timeout ?? String(DEFAULT_TIMEOUT_SECONDS), '--timeout') * 1000);
  const outputCapBytes = Math.round(parsePositiveNumber(v['output-cap'] ?? String(DEFAULT_OUTPUT_CAP), '--output-cap'));
  return {
    kind: 'check',
    options: {
      patterns: positionals,
      runtime: parseRuntime(v.runtime),
      wasmtime: { version: v['wasmtime-version'], binary: v.wasmtime },
      adapter: v.adapter,
      sandbox: {
        args: v.arg ?? [],
        env: Object.fromEntries((v.env ?? []).map((e) => parseEnvPair(e))),
        dirs: (v.dir ?? []).map((d) => parseDir(d)),
        stdinFile: v.stdin,
        timeoutMs,
        outputCapBytes,
      },
      signatureDirs: v.signatures ?? [],
      keepWorkDir: v['keep-work-dir'] ?? false,
      ...(v.jobs !== undefined ? { concurrency: Math.floor(parsePositiveNumber(v.jobs, '--jobs')) } : {}),
    },
    json: v.json,
    markdown: v.markdown,
    failOn: parseFailOn(v['fail-on']),
    color,
    quiet: v.quiet ?? false,
  };
}
