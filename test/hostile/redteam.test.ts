/**
 * Holes found by attacking the checker as a hostile pull request would (the red-team pass), each proven closed here.
 * Fixtures are made at test time (FIFOs, links, nested folders, names with newlines and workflow commands).
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive } from './runners.js';
import { check } from '../../src/check.js';
import { discover } from '../../src/discover/index.js';
import type { Sandbox } from '../../src/model.js';
import { parseReport } from '../../src/report/json.js';
import { useActionHarness, root } from '../action/harness.js';
import { workflowRunEvent } from '../github/events.js';
import { HEAD, PR } from '../action/harness.js';
import { engineUnavailable } from '../harness/engine.js';
import { makeSandbox } from '../report-factory.js';
import { builtCli } from '../build-once.js';

const fixtures = path.join(root, 'test', 'fixtures');
/** A name a PR can commit: a newline, then lines the runner would take as workflow commands. */
const EVIL_NAME = 'f\n::stop-commands::pwn\n::error::injected';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-redteam-'));
});
afterAll(() => {
  // coreutils rm: node's fs.rm cannot remove a tree deeper than PATH_MAX (the nested-folder case below)
  execFileSync('rm', ['-rf', work]);
});

let n = 0;
/** A workspace holding one passing artifact (build/c-hello.wasm) and whatever `hostile` adds. */
async function workspace(hostile: (ws: string) => Promise<void>): Promise<string> {
  const ws = path.join(work, `ws-${++n}`);
  await mkdir(path.join(ws, 'build'), { recursive: true });
  await mkdir(path.join(ws, 'data'));
  await copyFile(path.join(fixtures, 'c-hello.wasm'), path.join(ws, 'build', 'c-hello.wasm'));
  await hostile(ws);
  return ws;
}

/** Every line the runner would read as a workflow command (`::` after leading whitespace, or `##[` anywhere). */
function commandLines(log: string): string[] {
  return log.split(/\r\n|\r|\n/).filter((line) => /^[\s\u0085]*::/.test(line) || line.includes('##['));
}

const sandbox = (over: Partial<Sandbox> = {}): Sandbox => makeSandbox(over);

/**
 * A preopen folder or stdin file the checker refuses (it is untrusted data) is a configuration error naming the input:
 * the report, the job summary and the outputs are still written, nothing runs, and the refusal (which names a file
 * from the PR) cannot inject workflow commands into the log. Before: check() threw, the Action lost its report,
 * summary and outputs, and the CLI printed the file name raw to stderr (a `::stop-commands::` line in a CI log).
 */
describe('a refused preopen or stdin file is a configuration error with a report, never a lost one', () => {
  const cases: [string, (ws: string) => Promise<void>, Partial<Sandbox>, string, RegExp][] = [
    [
      'a FIFO with a hostile name in a preopen',
      async (ws) => void execFileSync('mkfifo', [path.join(ws, 'data', EVIL_NAME)]),
      { dirs: [{ host: 'data', guest: '/data' }] },
      'dirs',
      /is a FIFO/,
    ],
    [
      'a link to /proc in a preopen',
      (ws) => symlink('/proc', path.join(ws, 'data', 'proc')),
      { dirs: [{ host: 'data', guest: '/data' }] },
      'dirs',
      /points outside the granted folder/,
    ],
    [
      'a stdin file that is a link to /proc/self/environ',
      (ws) => symlink('/proc/self/environ', path.join(ws, 'stdin.txt')),
      { stdinFile: 'stdin.txt' },
      'stdin',
      /resolves to \/proc/,
    ],
    [
      'a preopen nested deeper than a path can be copied',
      async (ws) => {
        // 2,600 levels: the copy's longer root pushes the deepest path past PATH_MAX (ENAMETOOLONG, not a SandboxInputError)
        const rel = Array.from({ length: 2600 }, () => 'a').join('/');
        execFileSync('sh', ['-c', 'mkdir -p "$0"', rel], { cwd: path.join(ws, 'data') });
      },
      { dirs: [{ host: 'data', guest: '/data' }] },
      'dirs',
      /data/,
    ],
  ];
  for (const [what, make, given, option, message] of cases) {
    it(`check(): ${what}`, async () => {
      const ws = await workspace(make);
      const report = await check({
        patterns: ['build/*.wasm'],
        cwd: ws,
        runtime: 'embedded',
        sandbox: sandbox(given),
        workDir: path.join(work, `check-${n}`),
      });
      expect(report.configurationError?.option).toBe(option);
      expect(report.configurationError?.message).toMatch(message);
      expect(report.results).toEqual([]);
    });
  }

  it('CLI: exit 2 naming the flag, the JSON report still written, no workflow command in its output', async () => {
    const ws = await workspace(async (w) => void execFileSync('mkfifo', [path.join(w, 'data', EVIL_NAME)]));
    const json = path.join(ws, 'report.json');
    const r = await promisify(execFile)(
      process.execPath,
      [builtCli, '--runtime', 'embedded', '--no-cache', '--dir', 'data::/data', '--json', json, 'build/*.wasm'],
      { cwd: ws },
    ).then(
      (ok) => ({ code: 0, ...ok }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--dir: preopen: [\s\S]*is a FIFO/);
    expect(commandLines(`${r.stdout}\n${r.stderr}`)).toEqual([]);
    const report = parseReport(await readFile(json, 'utf8'));
    expect(report.configurationError?.option).toBe('dirs');
  });

  describe('the Action', () => {
    const action = useActionHarness();

    it('fails the step naming the input, after writing the job summary, report-json and the check run', async () => {
      const ws = await workspace(async (w) => void execFileSync('mkfifo', [path.join(w, 'data', EVIL_NAME)]));
      const run = await action.run({ inputs: { artifacts: 'build/*.wasm', dirs: 'data::/data' }, workspace: ws });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/::error::Input 'dirs': preopen: [\s\S]*is a FIFO/);
      expect(commandLines(run.stdout).filter((l) => !/^::(group|endgroup|error::Input 'dirs')/.test(l))).toEqual([]);
      expect(run.summary).toMatch(/configuration error, nothing was checked/);
      expect(run.outputs.result).toBeDefined();
      expect(existsSync(run.outputs['report-json']!)).toBe(true);
      expect(parseReport(await readFile(run.outputs['report-json']!, 'utf8')).configurationError?.option).toBe('dirs');
      expect(action.gh.checkRuns.map((c) => [c.status, c.conclusion])).toEqual([['completed', 'failure']]);
    });
  });
});

/** Live (not zombie) processes whose parent is `ppid` and whose command line contains `needle`. */
function childrenOf(ppid: number, needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(parent) === ppid && state !== 'Z' && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle))
        found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function until<T>(what: string, get: () => T | undefined, ms = 90_000, pollMs = 100): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, pollMs))) {
    const v = get();
    if (v !== undefined) return v;
  }
  throw new Error(`gave up waiting for ${what}`);
}

/**
 * Guest hosts run in their own process group (so a limit can kill all of it), which a terminal's Ctrl-C or a runner
 * cancelling the step does not reach, and they carry none of the runner's environment (its orphan clean-up cannot
 * find them). Before: interrupting the checker during a looping guest left the host spinning for good, and its temp
 * folder on disk.
 *
 * The signal is sent the moment the host shows up (polling /proc without pause), several times per case: before the
 * fix, a signal in the window between the host's start and the checker's listener (installed only after `spawn`
 * returned) ended the checker by the default action and left the host running — 7 of 9 such tries, while a signal
 * sent up to 100 ms later (as this test did) was caught; so the case failed only under load, in full-suite runs.
 */
describe('a checker that is interrupted takes its guest hosts and its temp folder with it', () => {
  const runtimes: [string, string[], string, boolean][] = [
    ['embedded', ['--runtime', 'embedded'], 'embedded-p1-host', false],
    [
      'wasmtime (engine harness)',
      ['--runtime', 'wasmtime', '--wasmtime', path.join(root, 'test', 'harness', 'wasmtime'), '--adapter', 'bundled'],
      'wasmtime-run.py\u0000run\u0000',
      engineUnavailable() !== undefined,
    ],
  ];
  const TRIES = 3;
  for (const [name, flags, host, skip] of runtimes) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      it.skipIf(skip)(`${name}: ${signal} during a guest that never ends, the moment its host starts (${TRIES} tries)`, async () => {
        for (let i = 0; i < TRIES; i++) {
          // The checker's temp folder goes under TMPDIR: a folder of this test's own, to see what is left there.
          const tmp = path.join(work, `tmp-${++n}`);
          await mkdir(tmp);
          const cli = spawn(
            process.execPath,
            [builtCli, ...flags, '--no-cache', '--quiet', '--timeout', '3600', path.join(fixtures, 'c-loop.wasm')],
            { stdio: 'ignore', env: { ...process.env, TMPDIR: tmp } },
          );
          const exited = new Promise<NodeJS.Signals | null>((resolve) => cli.on('exit', (_code, sig) => resolve(sig)));
          try {
            const hosts = await until(
              `the ${host} process`,
              () => {
                const pids = childrenOf(cli.pid!, host);
                return pids.length ? pids : undefined;
              },
              90_000,
              0,
            );
            cli.kill(signal);
            expect(await exited).toBe(signal);
            await until('the host to be gone', () => (hosts.some(alive) ? undefined : true), 10_000);
            expect(readdirSync(tmp).filter((f) => f.startsWith('wasm-p2-check-'))).toEqual([]);
          } finally {
            cli.kill('SIGKILL');
          }
        }
      });
    }
  }
});

/**
 * An artifact glob is configuration, the folders it walks are the PR's. Before: a committed `build/root -> /` made
 * `build/**\/*.wasm` walk the whole disk (1,136 foreign modules checked in one run, other projects' files read and
 * run, minutes of work), `build/up -> ..` walked the workspace again, and links to files outside were read.
 */
describe('artifact globs do not follow links a pull request commits', () => {
  it('the wildcards walk only real folders and match only real files; the fixed start of a pattern may be a link', async () => {
    const ws = await workspace(async (w) => {
      const outside = path.join(work, `outside-${n}`);
      await mkdir(outside);
      await writeFile(path.join(outside, 'secret.wasm'), 'TOPSECRET');
      await copyFile(path.join(fixtures, 'c-hello.wasm'), path.join(outside, 'other.wasm'));
      await symlink('/', path.join(w, 'build', 'root'));
      await symlink('..', path.join(w, 'build', 'up'));
      await symlink(outside, path.join(w, 'build', 'outside'));
      await symlink(path.join(outside, 'secret.wasm'), path.join(w, 'build', 'leak.wasm'));
      await symlink('/proc/self/environ', path.join(w, 'build', 'env.wasm'));
      await symlink(outside, path.join(w, 'linked'));
    });
    // Links whose names match are listed as passed over (INVALID-INPUT below), never followed or read.
    const found = await discover(['build/**/*.wasm', '**/*.wasm'], ws);
    const [env, leak] = [path.join('build', 'env.wasm'), path.join('build', 'leak.wasm')];
    expect(found.files).toEqual([path.join('build', 'c-hello.wasm'), env, leak]);
    expect([...found.skipped.keys()]).toEqual([env, leak]);
    // a link the configuration names as the glob's start (e.g. bazel-bin/**) is still walked
    expect((await discover(['linked/**/*.wasm'], ws)).files).toEqual([
      path.join('linked', 'other.wasm'),
      path.join('linked', 'secret.wasm'),
    ]);
    const report = await check({
      patterns: ['build/**/*.wasm'],
      cwd: ws,
      runtime: 'embedded',
      sandbox: sandbox(),
      workDir: path.join(work, `check-${n}`),
    });
    expect(report.results.map((r) => [r.artifact.path, r.verdict])).toEqual([
      [path.join('build', 'c-hello.wasm'), 'PASS'],
      [env, 'INVALID-INPUT'],
      [leak, 'INVALID-INPUT'],
    ]);
    expect(report.results[2]!.artifact.error).toMatch(
      /^a symbolic link to \/.*secret\.wasm matched by build\/\*\*\/\*\.wasm: .*not checked/,
    );
    expect(JSON.stringify(report)).not.toContain('TOPSECRET');
  });

  it('a FIFO or a link a glob matches is named in the report, not left out (an incomplete check never looks complete)', async () => {
    const ws = await workspace(async (w) => {
      await symlink('c-hello.wasm', path.join(w, 'build', 'alias.wasm'));
      await symlink('nowhere.wasm', path.join(w, 'build', 'dangling.wasm'));
      execFileSync('mkfifo', [path.join(w, 'build', 'pipe.wasm')]);
    });
    const found = await discover(['build/*.wasm'], ws);
    expect(found.files).toEqual(['c-hello', 'alias', 'dangling', 'pipe'].map((f) => path.join('build', `${f}.wasm`)));
    expect(found.skipped.get(path.join('build', 'pipe.wasm'))).toMatch(/^a FIFO matched by build\/\*\.wasm/);
    expect(found.skipped.get(path.join('build', 'dangling.wasm'))).toMatch(/^a symbolic link/);
    expect(found.skipped.has(path.join('build', 'c-hello.wasm'))).toBe(false);
  });
});

/**
 * post-from-report reads a report another job (PR code) wrote. Before: it was read with readFile, so a FIFO there
 * hung the privileged step until the job timeout and a link to /dev/zero read until memory ran out.
 */
describe('a saved report is read as untrusted data', () => {
  const action = useActionHarness();

  for (const [what, make, message] of [
    ['a FIFO', (f: string) => void execFileSync('mkfifo', [f]), /is a FIFO/],
    ['a link to /dev/zero', (f: string) => symlink('/dev/zero', f), /\/dev\/zero/],
  ] as const) {
    it(`post-from-report: ${what} as the report fails the step at once, naming it`, async () => {
      const dir = path.join(work, `saved-${++n}`);
      await mkdir(dir);
      const file = path.join(dir, 'report.json');
      await make(file);
      const post = await action.run({
        inputs: { mode: 'post-from-report', report: file },
        eventName: 'workflow_run',
        event: workflowRunEvent(action.gh.api, { repository: action.gh.fullName, headSha: HEAD, conclusion: 'failure' }),
        env: { GITHUB_WORKFLOW: 'report', GITHUB_JOB: 'post', GITHUB_SHA: 'e'.repeat(40), GITHUB_RUN_ID: '4343' },
      });
      expect(post.code).toBe(1);
      expect(post.stdout).toMatch(message);
      expect(action.gh.commentsOn(PR)).toEqual([]);
    }, 30_000);
  }
});
