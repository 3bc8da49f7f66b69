/**
 * Every option of wasm-p2-check, declared once: its CLI flag and/or Action input, default, parser, help text and
 * action.yml description. The CLI (cli/args.ts) and the Action (action/inputs.ts) both read values through `readOption`, so
 * they accept the same values, apply the same limits and give the same "expected …" message, each naming the option
 * in its own words. action.yml and the docs/ tables are checked against this table (test/options.test.ts).
 *
 * To add an option: add an entry here, then run `npm run options` (rewrites action.yml's inputs and docs/action.md)
 * and use the value in the shell(s) that have it.
 */
import { FAIL_ON, FAIL_ON_VALUES, type FailOn, failOnDescription, failOnMeaning } from '../report/fail-on.js';
import { REPORT_FORMAT_NAMES, REPORT_FORMATS, type ReportFormat, type ReportFormatName } from '../report/formats.js';
import { RUNTIME_CHOICES, RUNTIME_NAMES } from './runtimes.js';
import {
  OptionError,
  oneOf,
  parseAdapter,
  parseBaselineSource,
  parseBoolean,
  parseByteSize,
  parseCheckName,
  parseCommentKey,
  parseCommentTitle,
  parseDownloadUrl,
  parseEnvPair,
  parseMatrix,
  parseOptionalPath,
  parsePath,
  parsePreopen,
  parseReleaseList,
  parseSeconds,
  parseShard,
  parseWasmtimeVersion,
  limitBytes,
  optionalLimitBytes,
  positiveInteger,
  type ParseContext,
} from './parsers.js';

export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_OUTPUT_CAP = 1024 * 1024;

/** How an option appears on the command line. */
export interface CliSurface {
  /** Flag without `--`. */
  flag: string;
  short?: string;
  /** Placeholder in --help (`SECONDS`); absent for a boolean flag. */
  value?: string;
  /** Section of --help. */
  group: 'Runtime' | 'Guest sandbox' | 'Diagnosis and output' | 'Speed and matrix jobs' | 'Release matrix';
  /** --help text (may span lines; the default is appended). */
  help: string;
}

/** How an option appears in action.yml. */
export interface InputSurface {
  description: string;
  /** action.yml default when it differs from the option's own default (e.g. an expression). */
  default?: string;
}

interface Base {
  cli?: CliSurface;
  input?: InputSurface;
  /** The default as text, parsed like a given value ('' = not given). */
  default: string;
}

/** One value. */
export interface ScalarOption<T> extends Base {
  kind: 'scalar';
  parse: (text: string, ctx: ParseContext) => T;
}

/** Many values: a repeated flag on the command line, one value per line in the Action. */
export interface ListOption<I, T> extends Base {
  kind: 'list';
  item: (text: string, ctx: ParseContext) => I;
  collect: (items: I[]) => T;
  /** How the Action splits its input: trimmed non-empty lines where `#` starts a comment, or raw non-blank lines. */
  lines: 'trimmed' | 'raw';
}

/** A CLI switch with no value. */
export interface FlagOption extends Base {
  kind: 'flag';
}

// A list's item type is only known inside its own entry (collect takes what item returns).
// biome-ignore lint/suspicious/noExplicitAny: the item type differs per entry and is checked where the entry is declared
type AnyOption = ScalarOption<unknown> | ListOption<any, unknown> | FlagOption;

const scalar = <T>(o: Omit<ScalarOption<T>, 'kind'>): ScalarOption<T> => ({ kind: 'scalar', ...o });
const list = <I, T>(o: Omit<ListOption<I, T>, 'kind'>): ListOption<I, T> => ({ kind: 'list', ...o });
const flag = (cli: CliSurface): FlagOption => ({ kind: 'flag', cli, default: '' });
const strings = (items: string[]) => items;
/** `FORMAT=FILE` of `--output`. */
function parseReportOutput(text: string): { format: ReportFormatName; path: string } {
  const eq = text.indexOf('=');
  const format = text.slice(0, Math.max(0, eq));
  if (eq <= 0 || !(REPORT_FORMAT_NAMES as string[]).includes(format) || eq === text.length - 1) {
    throw new OptionError(`expected FORMAT=FILE with FORMAT one of ${REPORT_FORMAT_NAMES.join(', ')} (e.g. json=report.json, markdown=-)`);
  }
  return { format: format as ReportFormatName, path: text.slice(eq + 1) };
}
const text = (t: string) => t;

export const OPTIONS = {
  artifacts: list({
    default: '',
    lines: 'trimmed',
    item: text,
    collect: strings,
    input: {
      description: 'Wasm files to check, as globs, one per line (relative to the workspace). Needed unless `mode` is `post-from-report`.',
    },
  }),
  runtime: scalar({
    default: 'auto',
    parse: oneOf(RUNTIME_NAMES),
    cli: {
      flag: 'runtime',
      value: 'R',
      group: 'Runtime',
      help: RUNTIME_NAMES.map((r, i) => `${r}${i === 0 ? ' (default)' : ''}: ${RUNTIME_CHOICES[r].help}`).join(' |\n'),
    },
    input: {
      description: `Runtime for the P1 and P2 runs: ${RUNTIME_NAMES.map(runtimeChoiceText).join(', ')}.`,
    },
  }),
  'wasmtime-version': scalar({
    default: '',
    parse: parseWasmtimeVersion,
    cli: { flag: 'wasmtime-version', value: 'V', group: 'Runtime', help: 'wasmtime release to use/install (e.g. 39.0.1, latest)' },
    input: {
      description:
        'wasmtime release to use, e.g. `39.0.1` or `latest`; ' +
        'empty = the version wasm-p2-check is tested with (a matching `wasmtime` on PATH is used first).',
    },
  }),
  'wasmtime-download-url': scalar({
    default: '',
    parse: parseDownloadUrl,
    cli: {
      flag: 'wasmtime-download-url',
      value: 'URL',
      group: 'Runtime',
      help: 'base URL of wasmtime release downloads (a mirror; default github.com)',
    },
    input: {
      description:
        'Base URL of wasmtime release downloads, for a mirror on GHES or air-gapped runners (`{URL}/v{version}/{asset}`, ' +
        'like `https://github.com/bytecodealliance/wasmtime/releases/download`); empty = github.com.',
    },
  }),
  wasmtime: scalar({
    default: '',
    parse: parseOptionalPath,
    cli: { flag: 'wasmtime', value: 'PATH', group: 'Runtime', help: 'a wasmtime executable to use as is' },
  }),
  adapter: scalar({
    default: 'auto',
    parse: parseAdapter,
    cli: {
      flag: 'adapter',
      value: 'A',
      group: 'Runtime',
      help:
        "adapter to convert with: auto (default: the wasmtime runtime's own release\nadapter, else the bundled one), " +
        "bundled (shipped with wasm-p2-check), a\nwasi_snapshot_preview1.*.wasm file, or a wasmtime version (its release's)",
    },
    input: {
      description:
        "Adapter for the P1 → P2 conversion: `auto` (with runtime `wasmtime` the adapter of the runtime's own release, " +
        'else the bundled one), `bundled` (the one shipped with wasm-p2-check, from jco), ' +
        "a path to a `wasi_snapshot_preview1.*.wasm`, or a wasmtime version (that release's adapter).",
    },
  }),
  args: list({
    default: '',
    lines: 'raw',
    item: text,
    collect: strings,
    cli: { flag: 'arg', value: 'ARG', group: 'Guest sandbox', help: 'argument passed to the guest (repeatable)' },
    input: { description: 'Arguments passed to each guest, one per line (so an argument may contain spaces).' },
  }),
  env: list({
    default: '',
    lines: 'trimmed',
    item: parseEnvPair,
    collect: (pairs) => Object.fromEntries(pairs) as Record<string, string>,
    cli: { flag: 'env', value: 'K=V', group: 'Guest sandbox', help: 'environment variable for the guest (repeatable)' },
    input: { description: "Environment of the guest, `KEY=VALUE` lines. Nothing from the runner's environment is passed." },
  }),
  dirs: list({
    default: '',
    lines: 'trimmed',
    item: parsePreopen,
    collect: (dirs) => dirs,
    cli: {
      flag: 'dir',
      value: 'HOST::GUEST',
      group: 'Guest sandbox',
      help: 'preopened directory; each run gets its own fresh copy (repeatable)',
    },
    input: { description: 'Directories preopened for the guest, `HOST::GUEST` lines; every run gets a fresh copy.' },
  }),
  stdin: scalar({
    default: '',
    parse: parseOptionalPath,
    cli: { flag: 'stdin', value: 'FILE', group: 'Guest sandbox', help: 'file given to the guest as stdin (default: empty)' },
    input: { description: "File whose content is the guest's standard input (empty input when not set)." },
  }),
  timeout: scalar({
    default: String(DEFAULT_TIMEOUT_SECONDS),
    parse: parseSeconds,
    cli: {
      flag: 'timeout',
      value: 'SECONDS',
      group: 'Guest sandbox',
      help: `wall-clock limit per run, at most 86400 (default ${DEFAULT_TIMEOUT_SECONDS})`,
    },
    input: { description: 'Wall-clock limit per run, in seconds (at most 86400).' },
  }),
  'output-cap': scalar({
    default: String(DEFAULT_OUTPUT_CAP),
    parse: parseByteSize,
    cli: {
      flag: 'output-cap',
      value: 'BYTES',
      group: 'Guest sandbox',
      help: `bytes kept of each of stdout/stderr, e.g. 65536, 64KiB, 1MiB; at most\n64MiB (default ${DEFAULT_OUTPUT_CAP})`,
    },
    input: { description: "Bytes kept of each of the guest's stdout and stderr (e.g. `65536`, `64KiB`, `1MiB`; at most 64MiB)." },
  }),
  signatures: list({
    default: '',
    lines: 'trimmed',
    item: parsePath,
    collect: strings,
    cli: { flag: 'signatures', value: 'DIR', group: 'Diagnosis and output', help: 'extra signature directory (repeatable)' },
    input: { description: 'Extra signature directories, one per line, added to the built-in failure signatures.' },
  }),
  comment: scalar({
    default: 'on-failure',
    parse: oneOf(['on-failure', 'always', 'on-change', 'update-only', 'never'] as const),
    input: {
      description:
        'Sticky PR comment: `on-failure` (create when something fails, update an existing one either way), `always`, ' +
        '`on-change` (like `on-failure`, but an existing comment is only rewritten when the verdicts or causes changed), ' +
        '`update-only` (never create), or `never`. ' +
        'A comment is never rewritten when nothing changed, nor by a run older than the one it shows.',
    },
  }),
  'hide-old': scalar({
    default: 'false',
    parse: parseBoolean,
    input: {
      description:
        'Keep the history: post a new comment when the result changes and minimize ' +
        'the previous one as outdated, instead of editing it in place (`true`/`false`).',
    },
  }),
  'publish-errors': scalar({
    default: 'warn',
    parse: oneOf(['warn', 'fail'] as const),
    input: {
      description:
        'What a GitHub API error while publishing (check run, comment) does: `warn` (a warning; the step fails only for the verdicts) ' +
        'or `fail` (the step fails too). The report, job summary and outputs are written either way.',
    },
  }),
  'fail-on': scalar({
    default: 'regression',
    parse: oneOf<FailOn>(FAIL_ON_VALUES),
    cli: {
      flag: 'fail-on',
      value: 'WHAT',
      group: 'Diagnosis and output',
      help: FAIL_ON_VALUES.map((v) => `${v}${'isDefault' in FAIL_ON[v] ? ' (default)' : ''}: ${failOnMeaning(v)}`).join('\n'),
    },
    input: { description: failOnDescription() },
  }),
  baseline: scalar({
    default: '',
    parse: parseBaselineSource,
    cli: {
      flag: 'baseline',
      value: 'FILE',
      group: 'Diagnosis and output',
      help: "a JSON report of an earlier run (e.g. the base branch's): each result\nis marked new failure, fixed, still failing, …",
    },
    input: {
      default: 'auto',
      description:
        'The report to compare with, so the comment and check run lead with what changed and `fail-on: new` can gate on it: ' +
        '`auto` (a push to the default branch or a scheduled run saves its report with `@actions/cache`; a pull request ' +
        'restores the newest one saved on its base branch), `none`, or the path of a JSON report.',
    },
  }),
  'github-token': scalar({
    default: '',
    parse: text,
    input: {
      default: '${{ github.token }}',
      description:
        'Token for the check run and the PR comment. Needs `checks:write` and `pull-requests:write`; ' +
        'with a read-only token (fork PRs) the step falls back to the job summary and the report file.',
    },
  }),
  mode: scalar({
    default: 'check',
    parse: oneOf(['check', 'report-only', 'post-from-report', 'merge', 'versions', 'explain'] as const),
    input: {
      description:
        '`check` (run and publish), `report-only` (run and write the JSON report, post nothing: the fork-safe first stage, ' +
        'and the shard/matrix jobs of a merged run), `post-from-report` (publish a saved report in a `workflow_run` workflow; ' +
        'runs no PR code), `merge` (merge the JSON reports of shard/matrix jobs named by `reports` and publish one comment ' +
        'and one check run), `versions` (upgrade PRs: check with every release in `releases` and publish one comment and one ' +
        'check run leading with the artifacts whose outcome changes between them), ' +
        'or `explain` (bot: answer WebAssembly errors pasted into issues and comments; runs nothing).',
    },
  }),
  'on-unknown': scalar({
    default: 'silent',
    parse: oneOf(['silent', 'reply'] as const),
    input: {
      description:
        'Mode `explain`: when a pasted WebAssembly trap matches no known signature, ' +
        'stay `silent` or `reply` with its fingerprint and a link to propose a signature. Text with no recognised trap never gets a reply.',
    },
  }),
  labels: scalar({
    default: 'false',
    parse: parseBoolean,
    input: { description: 'Mode `explain`: add a `wasm:<signature-id>` label per diagnosis, creating missing labels (`true`/`false`).' },
  }),
  reports: list({
    default: '',
    lines: 'trimmed',
    item: text,
    collect: strings,
    input: {
      description:
        'With `mode: merge`: the JSON reports to merge, as globs, one per line (e.g. where `actions/download-artifact` put them).',
    },
  }),
  report: scalar({
    default: '',
    parse: parseOptionalPath,
    input: {
      description:
        'Path of the JSON report. `check` and `report-only` write it there (default `$RUNNER_TEMP/wasm-p2-check/report.json`), ' +
        'with `<name>.meta.json` beside it; `post-from-report` reads it.',
    },
  }),
  'check-name': scalar({
    default: 'wasm-p2-check',
    parse: parseCheckName,
    input: { description: 'Name of the check run; keep it stable to make it a required status check.' },
  }),
  'check-run': scalar({
    default: 'true',
    parse: parseBoolean,
    input: { description: 'Whether to create a check run (`true`/`false`).' },
  }),
  'comment-key': scalar({
    default: '',
    parse: parseCommentKey,
    input: {
      description: 'Key of the sticky comment; empty = derived from the workflow, the job and `matrix`, so each job keeps its own comment.',
    },
  }),
  'comment-title': scalar({
    default: '',
    parse: parseCommentTitle,
    input: {
      description:
        'Title of the sticky comment, the check run summary and the job summary (the matrix entry is added to it); ' +
        'empty = `wasm-p2-check`.',
    },
  }),
  matrix: scalar({
    default: '',
    parse: parseMatrix,
    input: {
      description: "The job's matrix as JSON (the expression `toJSON(matrix)`), to keep one comment per matrix combination and name it.",
    },
  }),
  'max-memory': scalar({
    default: '2GiB',
    parse: limitBytes(4 * 1024 ** 3, '4GiB'),
    cli: {
      flag: 'max-memory',
      value: 'BYTES',
      group: 'Guest sandbox',
      help: 'size each guest linear memory may grow to, at most 4GiB (default 2GiB)',
    },
    input: {
      description: 'Size each guest linear memory may grow to (e.g. `512MiB`, `2GiB`; at most 4GiB). A run that fails at it says so.',
    },
  }),
  'max-disk': scalar({
    default: '512MiB',
    parse: limitBytes(1024 ** 4, '1024GiB'),
    cli: {
      flag: 'max-disk',
      value: 'BYTES',
      group: 'Guest sandbox',
      help: "disk one run's preopen copies may use: the copy plus what the guest\nwrites (default 512MiB)",
    },
    input: {
      description:
        "Disk one run's preopen copies may use, the copy plus what the guest writes (default `512MiB`); the run is ended beyond it.",
    },
  }),
  'max-entries': scalar({
    default: '10000',
    parse: positiveInteger(1_000_000),
    cli: {
      flag: 'max-entries',
      value: 'N',
      group: 'Guest sandbox',
      help: 'entries (files, folders, links) the preopen folders may hold together,\nchecked before anything is copied (default 10000)',
    },
    input: {
      description:
        'Entries (files, folders, links) the preopen folders may hold together (default `10000`, at most 1000000); ' +
        'more is a configuration error, found before anything is copied or run.',
    },
  }),
  'max-output': scalar({
    default: '',
    parse: optionalLimitBytes(1024 ** 4, '1024GiB'),
    cli: {
      flag: 'max-output',
      value: 'BYTES',
      group: 'Guest sandbox',
      help: 'stdout+stderr one run may write before it is ended (default: 16 x\noutput-cap, at least 64MiB)',
    },
    input: { description: 'Bytes of stdout + stderr one run may write before it is ended (default: 16 × `output-cap`, at least 64MiB).' },
  }),
  'max-artifact': scalar({
    default: '512MiB',
    parse: limitBytes(1024 ** 4, '1024GiB'),
    cli: {
      flag: 'max-artifact',
      value: 'BYTES',
      group: 'Guest sandbox',
      help: 'largest artifact file read; a larger one is INVALID-INPUT (default 512MiB)',
    },
    input: { description: 'Largest artifact file read (default `512MiB`); a larger one is `INVALID-INPUT`, naming the limit.' },
  }),
  budget: scalar({
    default: '10800',
    parse: parseSeconds,
    cli: {
      flag: 'budget',
      value: 'SECONDS',
      group: 'Guest sandbox',
      help:
        'time budget for the whole check; runs it leaves no time for are ' +
        'not\nstarted and reported as ERROR (default 10800, at most 86400)',
    },
    input: {
      description:
        'Time budget for the whole check, in seconds (default 10800, at most 86400): ' +
        'runs it leaves no time for are not started and reported as `ERROR`, so the report is still written.',
    },
  }),
  json: scalar({
    default: '',
    parse: text,
    cli: { flag: 'json', value: 'FILE', group: 'Diagnosis and output', help: "write the JSON report ('-' for stdout)" },
  }),
  markdown: scalar({
    default: '',
    parse: text,
    cli: { flag: 'markdown', value: 'FILE', group: 'Diagnosis and output', help: "write the Markdown report ('-' for stdout)" },
  }),
  output: list({
    default: '',
    lines: 'trimmed',
    item: parseReportOutput,
    collect: (items: { format: ReportFormatName; path: string }[]) => items,
    cli: {
      flag: 'output',
      value: 'FORMAT=FILE',
      group: 'Diagnosis and output',
      help:
        `write the report as FORMAT ('-' for stdout; repeatable): ` +
        REPORT_FORMAT_NAMES.map((f) => `\n${f}: ${REPORT_FORMATS[f].description}`).join(','),
    },
  }),
  color: flag({
    flag: 'color',
    group: 'Diagnosis and output',
    help: 'force colour on (default: FORCE_COLOR, else none with NO_COLOR, else on for a TTY)',
  }),
  'no-color': flag({ flag: 'no-color', group: 'Diagnosis and output', help: 'force colour off' }),
  quiet: flag({
    flag: 'quiet',
    short: 'q',
    group: 'Diagnosis and output',
    help: 'no progress on stderr (a status line on a terminal, a line per artifact elsewhere)',
  }),
  'keep-work-dir': flag({
    flag: 'keep-work-dir',
    group: 'Diagnosis and output',
    help: 'keep the scratch directory (components, captured output)',
  }),
  jobs: scalar({
    default: '',
    parse: (t) => (t === '' ? undefined : positiveInteger(64)(t)),
    cli: {
      flag: 'jobs',
      short: 'j',
      value: 'N',
      group: 'Diagnosis and output',
      help: 'artifacts checked at once (default: CPUs, at most 4)',
    },
  }),
  'memory-budget': scalar({
    default: '',
    parse: optionalLimitBytes(1024 ** 4, '1024GiB'),
    cli: {
      flag: 'memory-budget',
      value: 'BYTES',
      group: 'Speed and matrix jobs',
      help:
        'memory the artifacts checked at once may use together, by\n' +
        "an estimate from each one's size; large ones run fewer at\n" +
        "once (default: 3/4 of the machine's or cgroup's memory)",
    },
    input: {
      description:
        "Memory the artifacts checked at once may use together (e.g. `8GiB`), by an estimate from each artifact's size: " +
        "large artifacts run fewer at once, one larger than the budget alone. Default: 3/4 of the runner's memory.",
    },
  }),
  cache: scalar({
    default: 'true',
    parse: parseBoolean,
    input: {
      description:
        'Reuse results whose artifact, adapter, runtime, options and signatures are unchanged (`true`/`false`), ' +
        'kept between runs with `@actions/cache`; entries read back are validated, never trusted blindly.',
    },
  }),
  'no-cache': flag({
    flag: 'no-cache',
    group: 'Speed and matrix jobs',
    help:
      'check every artifact again (default: reuse results whose artifact,\nadapter, runtime, options and signatures are ' +
      "unchanged, and\nwasmtime's compiled code)",
  }),
  'cache-dir': scalar({
    default: '',
    parse: parseOptionalPath,
    cli: {
      flag: 'cache-dir',
      value: 'DIR',
      group: 'Speed and matrix jobs',
      help:
        "result cache folder, also for wasmtime's compiled code (default: the user\ncache folder, " +
        '$XDG_CACHE_HOME/wasm-p2-check or ~/.cache/wasm-p2-check)',
    },
  }),
  shard: scalar({
    default: '',
    parse: parseShard,
    cli: {
      flag: 'shard',
      value: 'I/N',
      group: 'Speed and matrix jobs',
      help: "check only shard I of N (artifacts split by a hash of their path);\nmerge the shards' JSON reports with 'wasm-p2-check merge'",
    },
    input: {
      description:
        'Check only shard `I/N` (e.g. `2/3`) of the artifacts, split by a hash of their path so ' +
        "that every artifact is in exactly one shard; merge the jobs' reports with `mode: merge`.",
    },
  }),
  label: scalar({
    default: '',
    parse: text,
    cli: {
      flag: 'label',
      value: 'TEXT',
      group: 'Speed and matrix jobs',
      help: "this run's name in a merged report (e.g. the matrix entry)",
    },
  }),
  releases: list({
    default: '',
    lines: 'trimmed',
    item: parseReleaseList,
    collect: (lists: string[][]) => [...new Set(lists.flat())],
    cli: {
      flag: 'releases',
      value: 'V,V…',
      group: 'Release matrix',
      help:
        'wasmtime releases to check the artifacts with, e.g. 33.0.0,40.0.0,47.0.0;\n' +
        "33.0.0..47.0.0 = the ends and every N.0.0 between ('versions' only)",
    },
    input: {
      description:
        'For `mode: versions`: the wasmtime releases to check the artifacts with, one per line or comma-separated; ' +
        '`33.0.0..40.0.0` is a range (its ends and every `N.0.0` release between). Each release converts with its own adapter; ' +
        'with `runtime: wasmtime` and no `wasmtime-version`, each also runs on its own wasmtime.',
    },
  }),
  bisect: scalar({
    default: 'false',
    parse: parseBoolean,
    input: {
      description:
        "For `mode: versions`: check only O(log n) of the releases to find where each artifact's verdict or cause changes " +
        '(`true`/`false`).',
    },
  }),
  'bisect-releases': flag({
    flag: 'bisect',
    group: 'Release matrix',
    help: "check only O(log n) of the releases to find where each artifact's\nverdict or cause changes ('versions' only)",
  }),
  'release-data': list({
    default: '',
    lines: 'trimmed',
    item: parsePath,
    collect: strings,
    cli: {
      flag: 'release-data',
      value: 'FILE',
      group: 'Release matrix',
      help:
        'more wasmtime releases (JSON, like src/versions/wasmtime-releases.json):\n' +
        "added to, or replacing, the built-in ones ('versions' only)",
    },
    input: { description: 'For `mode: versions`: release data files (JSON), one per line, added to or replacing the built-in releases.' },
  }),
} satisfies Record<string, AnyOption>;

export type OptionName = keyof typeof OPTIONS;

/** The parsed value of an option. */
export type OptionValue<K extends OptionName> =
  (typeof OPTIONS)[K] extends ScalarOption<infer T> ? T : (typeof OPTIONS)[K] extends ListOption<infer _I, infer T> ? T : boolean;

/** When the Action posts its sticky pull-request comment (`comment:`); also read by github/sticky-comment.ts. */
export type CommentMode = OptionValue<'comment'>;

/** Raw text of one option as a shell found it: undefined = not given; a list option's values one by one. */
export type RawValue = string | string[] | boolean | undefined;

/**
 * Parses one option. `fail(text, expected)` builds the shell's error for a value that does not parse (for a list,
 * `text` is the one item that failed).
 */
export function readOption<K extends OptionName>(
  name: K,
  raw: RawValue,
  ctx: ParseContext,
  fail: (text: string, expected: string) => Error,
): OptionValue<K> {
  const spec: AnyOption = OPTIONS[name];
  const guard = <T>(t: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof OptionError) throw fail(t, e.message);
      throw e;
    }
  };
  if (spec.kind === 'flag') return (raw === true) as OptionValue<K>;
  if (spec.kind === 'scalar') {
    const t = typeof raw === 'string' ? raw : spec.default;
    return guard(t, () => spec.parse(t, ctx)) as OptionValue<K>;
  }
  const items = Array.isArray(raw) ? raw : [];
  return spec.collect(items.map((t) => guard(t, () => spec.item(t, ctx)))) as OptionValue<K>;
}

/** A multi-line Action input split the way the option wants it. */
export function inputLines(name: OptionName, text: string): string[] {
  const spec: AnyOption = OPTIONS[name];
  if (spec.kind === 'list' && spec.lines === 'raw') return text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** One runtime for the `runtime` input's description: `` `embedded` (…) ``, the last one with `or`. */
function runtimeChoiceText(r: (typeof RUNTIME_NAMES)[number], i: number): string {
  return `${i === RUNTIME_NAMES.length - 1 ? 'or ' : ''}\`${r}\` (${RUNTIME_CHOICES[r].description})`;
}

/** The Action's outputs besides the report files' paths (REPORT_FORMATS' `actionOutput`), as action.yml lists them. */
const ACTION_OUTPUTS = {
  result:
    '`pass` (every artifact PASS), `regression` (a REGRESSION or CONVERT-FAIL), or `fail` (another failure). Mode `explain`: ' +
    '`created`, `recreated` (it had been deleted), `updated` or `unchanged` (the reply), `silent` or `ignored`.',
  regressions: 'Number of artifacts that regressed (REGRESSION or CONVERT-FAIL).',
  failures: 'Number of artifacts that are not PASS.',
  'comment-id': 'ID of the sticky PR comment this run created, updated or left unchanged (empty when there is none).',
  'comment-url': 'URL of that comment.',
  'check-run-id': 'ID of the check run this run completed (empty when none was made).',
  'check-run-url': 'URL of that check run.',
  'new-failures':
    'Compared with a baseline: the number of artifacts that fail and are new against it (a new failure, a failing new ' +
    'artifact, a result changed for the worse). Empty when there was no baseline.',
  baseline: 'The baseline compared with: its commit, else where it came from (a cache key, a file). Empty when there was none.',
  error:
    'Set only when the step could not check or answer anything: what was wrong (a bad input, a configuration that cannot be ' +
    'carried out, a saved report that cannot be used), as in the job summary. `result` is then `fail`.',
};

/** The Action's outputs in action.yml's order: result and counts, each report file's path, error. */
export function actionOutputs(): { name: string; description: string }[] {
  const { error, ...first } = ACTION_OUTPUTS;
  const files = REPORT_FORMAT_NAMES.flatMap((f) => {
    const out: { name: string; description: string } | undefined = (REPORT_FORMATS[f] as ReportFormat).actionOutput;
    return out ? [out] : [];
  });
  return [...Object.entries(first).map(([name, description]) => ({ name, description })), ...files, { name: 'error', description: error }];
}

/** The Action's inputs with their action.yml defaults, in declaration order. */
export function actionInputs(): { name: OptionName; default: string; description: string }[] {
  return (Object.entries(OPTIONS) as [OptionName, AnyOption][])
    .filter(([, o]) => o.input)
    .map(([name, o]) => ({ name, default: o.input!.default ?? o.default, description: o.input!.description }));
}

/** The CLI's options with their flags, in declaration order. */
export function cliOptions(): { name: OptionName; kind: AnyOption['kind']; cli: CliSurface; default: string }[] {
  return (Object.entries(OPTIONS) as [OptionName, AnyOption][])
    .filter(([, o]) => o.cli)
    .map(([name, o]) => ({ name, kind: o.kind, cli: o.cli!, default: o.default }));
}
