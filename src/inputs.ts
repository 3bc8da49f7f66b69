/**
 * The Action's inputs, validated. Pure: everything comes in through a `getInput`-like function, so the same code
 * runs under the runner (`core.getInput`) and in tests (a plain object). Every error names the input and the value.
 *
 * The defaults here are the ones in action.yml (the runner fills those in; a direct `node dist/index.js` does not),
 * and test/action-inputs.test.ts keeps the two equal.
 */
import path from 'node:path';
import type { FailOn } from './fail-on.js';
import type { Preopen } from './model.js';
import type { CheckOptions, RuntimeChoice } from './options.js';
import { splitEnvPair, splitPreopen } from './sandbox-syntax.js';

/** Like `core.getInput(name)`: the raw value, '' when unset. */
export type GetInput = (name: string) => string;

export type Mode = 'check' | 'report-only' | 'post-from-report';
export type CommentMode = 'on-failure' | 'always' | 'never' | 'update-only';

export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly value: string,
    expected: string,
  ) {
    super(`Input '${input}' has an invalid value '${value}': ${expected}`);
    this.name = 'InputError';
  }
}

/** action.yml defaults (except `github-token`, whose default is an expression the runner evaluates). */
export const INPUT_DEFAULTS = {
  artifacts: '',
  runtime: 'wasmtime',
  'wasmtime-version': '',
  adapter: 'auto',
  args: '',
  env: '',
  dirs: '',
  stdin: '',
  timeout: '30',
  'output-cap': '1048576',
  signatures: '',
  comment: 'on-failure',
  'fail-on': 'regression',
  mode: 'check',
  report: '',
  'check-name': 'wasm-p2-check',
  'check-run': 'true',
  'comment-key': '',
  matrix: '',
} as const satisfies Record<string, string>;

export type InputName = keyof typeof INPUT_DEFAULTS | 'github-token';

export interface PublishOptions {
  comment: CommentMode;
  failOn: FailOn;
  /** '' when no token was given: nothing is posted, the summary and the report file still are. */
  token: string;
  /** Whether to create a check run at all. */
  checkRun: boolean;
  checkName: string;
  /** Explicit sticky-comment key; derived from workflow, job and matrix when absent. */
  commentKey?: string;
  /** The job's matrix as JSON (`${{ toJSON(matrix) }}`), parsed; part of the derived key and the heading. */
  matrix?: Record<string, unknown>;
}

export interface ActionInputs {
  mode: Mode;
  /** Built for `check` and `report-only`; undefined for `post-from-report`, which runs nothing. */
  check?: CheckOptions;
  publish: PublishOptions;
  /** `report` input resolved against cwd: where to write the JSON report, or (post-from-report) where to read it. */
  reportPath?: string;
}

function oneOf<T extends string>(name: InputName, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(name, value, `expected one of ${allowed.join(', ')}`);
}

/** Non-empty trimmed lines; `#` starts a comment line. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export function parseBoolean(name: InputName, value: string): boolean {
  // The YAML 1.2 core schema booleans, which is what core.getBooleanInput accepts.
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(name, value, 'expected true or false');
}

/** Seconds (a positive number, at most a day) → milliseconds. */
export function parseTimeout(name: InputName, value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*s?$/.exec(value);
  const seconds = m ? Number(m[1]) : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
    throw new InputError(name, value, 'expected a number of seconds greater than 0 and at most 86400');
  }
  return Math.round(seconds * 1000);
}

/** Bytes, optionally with a binary suffix: `65536`, `64k`, `64KiB`, `1M`, `1MiB`. */
export function parseByteSize(name: InputName, value: string): number {
  const m = /^(\d+)\s*(?:([kKmM])(?:i?[bB])?)?$/.exec(value);
  if (!m) throw new InputError(name, value, 'expected a number of bytes, e.g. 65536, 64KiB or 1MiB');
  const unit = m[2]?.toLowerCase();
  const bytes = Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1);
  if (bytes <= 0 || bytes > 64 * 1024 * 1024) throw new InputError(name, value, 'expected more than 0 bytes and at most 64MiB');
  return bytes;
}

/** Multi-line `KEY=VALUE`. Values may contain `=`; keys may not be empty. */
export function parseEnv(name: InputName, text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of lines(text)) {
    const [rawKey, value] = splitEnvPair(line) ?? ['', ''];
    const key = rawKey.trim();
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) throw new InputError(name, line, 'expected KEY=VALUE lines');
    env[key] = value;
  }
  return env;
}

/** Multi-line `HOST::GUEST` (a bare `DIR` maps to the same path in the guest). */
export function parseDirs(name: InputName, text: string, cwd: string): Preopen[] {
  return lines(text).map((line) => {
    const split = splitPreopen(line);
    const host = split.host.trim();
    const guest = split.guest.trim();
    if (!host || !guest) throw new InputError(name, line, 'expected HOST::GUEST lines');
    return { host: path.resolve(cwd, host), guest };
  });
}

/** The `matrix` input: a JSON object (`${{ toJSON(matrix) }}`); `null`/empty = no matrix. */
export function parseMatrix(name: InputName, text: string): Record<string, unknown> | undefined {
  if (text === '' || text === 'null') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(name, text, 'expected a JSON object, e.g. ${{ toJSON(matrix) }}');
  }
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(name, text, 'expected a JSON object, e.g. ${{ toJSON(matrix) }}');
  }
  return value as Record<string, unknown>;
}

/** A sticky-comment key: it ends up inside an HTML comment, so only a safe alphabet and no `--`. */
export function parseCommentKey(name: InputName, value: string): string | undefined {
  if (value === '') return undefined;
  if (!/^[A-Za-z0-9_.:/@+=-]{1,100}$/.test(value) || value.includes('--')) {
    throw new InputError(name, value, 'expected up to 100 characters of A-Z a-z 0-9 _ . : / @ + = - (and no "--")');
  }
  return value;
}

/**
 * Validates every input and builds what the Action needs.
 *
 * @param getInput raw input values ('' when unset), e.g. `(n) => core.getInput(n)`
 * @param cwd the workspace: globs, `stdin`, `dirs` and `report` are relative to it
 * @returns check() options (unless post-from-report) and the publishing options
 * @throws InputError naming the first bad input and its value
 */
export function parseInputs(getInput: GetInput, cwd: string): ActionInputs {
  const get = (name: InputName): string => {
    const raw = getInput(name).trim();
    return raw !== '' || name === 'github-token' ? raw : INPUT_DEFAULTS[name];
  };

  const mode = oneOf<Mode>('mode', get('mode'), ['check', 'report-only', 'post-from-report']);
  const publish: PublishOptions = {
    comment: oneOf<CommentMode>('comment', get('comment'), ['on-failure', 'always', 'never', 'update-only']),
    failOn: oneOf<FailOn>('fail-on', get('fail-on'), ['regression', 'any', 'never']),
    token: get('github-token'),
    checkRun: parseBoolean('check-run', get('check-run')),
    checkName: get('check-name'),
    commentKey: parseCommentKey('comment-key', get('comment-key')),
    matrix: parseMatrix('matrix', get('matrix')),
  };
  if (publish.checkName.length > 255 || /[\r\n]/.test(publish.checkName)) {
    throw new InputError('check-name', publish.checkName, 'expected one line of at most 255 characters');
  }
  const reportInput = get('report');
  const reportPath = reportInput ? path.resolve(cwd, reportInput) : undefined;

  if (mode === 'post-from-report') {
    if (!reportPath) throw new InputError('report', '', 'mode post-from-report needs the path of a saved JSON report');
    return { mode, publish, reportPath };
  }

  const patterns = lines(get('artifacts'));
  if (patterns.length === 0) throw new InputError('artifacts', '', 'expected one or more globs (one per line)');
  const runtime = oneOf<Exclude<RuntimeChoice, 'auto'>>('runtime', get('runtime'), ['wasmtime', 'embedded']);
  const wasmtimeVersion = get('wasmtime-version');
  if (wasmtimeVersion && !/^(latest|v?\d+\.\d+\.\d+)$/.test(wasmtimeVersion)) {
    throw new InputError('wasmtime-version', wasmtimeVersion, "expected a release like 39.0.1 or 'latest'");
  }
  const adapter = get('adapter');
  const stdin = get('stdin');

  const check: CheckOptions = {
    patterns,
    cwd,
    runtime,
    wasmtime: wasmtimeVersion ? { version: wasmtimeVersion } : {},
    adapter: adapter === 'auto' || adapter === '' ? undefined : adapter === 'bundled' || /^v?\d+\.\d+\.\d+$/.test(adapter) ? adapter : path.resolve(cwd, adapter),
    sandbox: {
      // One argument per line, so arguments may contain spaces.
      args: get('args') === '' ? [] : get('args').split(/\r?\n/).filter((l) => l.trim() !== ''),
      env: parseEnv('env', get('env')),
      dirs: parseDirs('dirs', get('dirs'), cwd),
      stdinFile: stdin ? path.resolve(cwd, stdin) : undefined,
      timeoutMs: parseTimeout('timeout', get('timeout')),
      outputCapBytes: parseByteSize('output-cap', get('output-cap')),
    },
    signatureDirs: lines(get('signatures')).map((d) => path.resolve(cwd, d)),
  };
  return { mode, check, publish, reportPath };
}
