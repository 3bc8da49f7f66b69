/**
 * Names and text from artifacts in the logs (issue 8 item 7): an artifact file name holding a newline and
 * `::stop-commands::…`, a guest printing `::error::`, `::set-output`, `##[error]` and ANSI escapes. What the Action
 * prints (through the real @actions/core, as the runner reads it) and what the CLI prints hold no workflow command
 * but the Action's own, and the hostile text still shows, defused.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import wabtInit from 'wabt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { coreIO } from '../src/action/io.js';
import { run } from '../src/action/main.js';
import { createOctokit } from '../src/github/client.js';
import { logSafe, logSafeLine, neutralizeCommands, redactCommand } from '../src/report/log-safe.js';
import { ActionHarness, HEAD, PR, RecordingIO, root, WAIT_UNIT_MS } from './action/harness.js';
import { GitHubEmulator } from './github/emulator.js';
import { builtCli } from './build-once.js';

const HOSTILE_OUTPUT =
  '::error title=pwned::guest says hi\n::set-output name=result::pass\n  ::stop-commands::tok\r::warning::cr line\n\x1b[31mred\x1b[0m ##[error]legacy\n';
const EVIL_NAME = 'evil\n::stop-commands::pwned\n::error title=x::injected.wasm';

/** Workflow commands the GitHub runner would act on in `log`: `::cmd` after leading whitespace, `##[` anywhere. */
function runnerCommands(log: string): string[] {
  const out: string[] = [];
  for (const line of log.split(/\r\n|\r|\n/)) {
    const t = line.replace(/^[\s\u0085]*/, '');
    if (t.startsWith('::')) {
      const end = t.indexOf('::', 2);
      if (end > 0) out.push(t.slice(2, end).split(' ')[0]!);
    }
    if (line.includes('##[')) out.push(`legacy ${line}`);
  }
  return out;
}

/** A WASI command that writes `text` to stdout and stderr and exits 1, or traps (assembled at test time with wabt). */
async function noisyGuest(text: string, trap = false): Promise<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const data = [...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  const wat = `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $x (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 64) "${data}")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const ${bytes.length}))
      (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (drop (call $w (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
      ${trap ? 'unreachable' : '(call $x (i32.const 1))'}))`;
  const wabt = await wabtInit();
  const mod = wabt.parseWat('noisy.wat', wat);
  try {
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

describe('log-safe text (report/log-safe.ts)', () => {
  it('breaks `::` at a line start (after whitespace, after any line end) and `##[` anywhere', () => {
    expect(runnerCommands(HOSTILE_OUTPUT).length).toBeGreaterThanOrEqual(4);
    expect(runnerCommands(neutralizeCommands(HOSTILE_OUTPUT))).toEqual([]);
    expect(runnerCommands(logSafe(HOSTILE_OUTPUT))).toEqual([]);
    expect(runnerCommands(neutralizeCommands('\u0085::error::nel'))).toEqual([]);
    // The text reads the same (a zero-width space), ANSI and control characters gone.
    expect(logSafe(HOSTILE_OUTPUT).replace(/\u200b/g, '')).toBe(HOSTILE_OUTPUT.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '\n'));
    expect(logSafeLine(EVIL_NAME)).toBe('evil⏎:\u200b:stop-commands::pwned⏎:\u200b:error title=x::injected.wasm');
    expect(logSafeLine(EVIL_NAME)).not.toContain('\n');
    expect(runnerCommands(logSafeLine(EVIL_NAME))).toEqual([]);
  });

  it('redacts --env values in command lines', () => {
    expect(redactCommand(['wasmtime', 'run', '--env', 'TOKEN=s3cret', '--env=K=v=w', '--env', 'BARE', 'x.wasm', 'TOKEN=arg'])).toEqual([
      'wasmtime',
      'run',
      '--env',
      'TOKEN=***',
      '--env=K=***',
      '--env',
      'BARE',
      'x.wasm',
      'TOKEN=arg',
    ]);
  });
});

describe('hostile names and output through the Action and the CLI', () => {
  let work: string;
  let guest: Uint8Array;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'wasm-p2-check-inject-'));
    guest = await noisyGuest(HOSTILE_OUTPUT);
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  describe('the Action (run() with the real @actions/core writing the log)', () => {
    const harness = new ActionHarness();
    let gh: GitHubEmulator;
    beforeAll(() => harness.setUp());
    afterAll(() => harness.tearDown());
    beforeEach(async () => {
      gh = await new GitHubEmulator().start();
      gh.addToken('ghs_write');
      gh.addPullRequest({ number: PR, headSha: HEAD });
    });
    afterEach(() => gh.stop());

    it('prints no workflow command but its own', async () => {
      const { env, workspace } = await harness.prepare(gh, { inputs: {} });
      await copyFile(path.join(root, 'test', 'fixtures', 'go124-hello.wasm'), path.join(workspace, 'build', EVIL_NAME));
      await writeFile(path.join(workspace, 'build', 'noisy.wasm'), guest);
      const recorded = new RecordingIO({
        runtime: 'embedded',
        'github-token': 'ghs_write',
        timeout: '60',
        artifacts: 'build/*',
        'fail-on': 'any',
      });
      const core = coreIO();
      // The runner's side: the log is what @actions/core writes to stdout.
      const log: string[] = [];
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string | Uint8Array) => {
        log.push(String(chunk));
        return true;
      }) as typeof process.stdout.write;
      try {
        await run({
          env,
          io: {
            ...core,
            getInput: (n) => recorded.getInput(n),
            setOutput: (n, v) => recorded.setOutput(n, v),
            writeSummary: (m) => recorded.writeSummary(m),
            setFailed: (m) => core.error(m),
          },
          createClient: (token, options) => createOctokit(token, { ...options, waitUnitMs: WAIT_UNIT_MS }),
        });
      } finally {
        process.stdout.write = write;
      }
      const text = log.join('');
      const commands = runnerCommands(text);
      expect(
        commands.filter((c) => !['group', 'endgroup', 'error', 'warning', 'debug'].includes(c)),
        text,
      ).toEqual([]);
      // Each `::error`/`::warning` line is one the Action issued: one per finding plus the step's failure.
      expect(commands.filter((c) => c === 'error' || c === 'warning').length).toBeLessThanOrEqual(3);
      // The hostile name did reach the log, folded and defused.
      expect(text).toContain('evil⏎:\u200b:stop-commands::pwned');
      expect(text).not.toMatch(/^\s*::stop-commands/m);
      expect(recorded.outputs.result).toBeDefined();
    }, 180_000);
  });

  describe('the CLI (the bundled cli.js)', () => {
    const exec = promisify(execFile);
    const cli = builtCli;

    it('check: progress, terminal report and errors hold no workflow command', async () => {
      const dir = path.join(work, 'cli');
      await mkdir(dir, { recursive: true });
      await copyFile(path.join(root, 'test', 'fixtures', 'go124-hello.wasm'), path.join(dir, EVIL_NAME));
      await writeFile(path.join(dir, 'noisy.wasm'), guest);
      const r = await exec(process.execPath, [cli, '*', '--runtime', 'embedded', '--timeout', '60', '--color'], {
        cwd: dir,
        maxBuffer: 64 * 1024 * 1024,
      }).catch((e: { stdout: string; stderr: string; code: number }) => e);
      const both = `${r.stdout}\n${r.stderr}`;
      expect(both).toContain('evil⏎');
      expect(runnerCommands(both), both).toEqual([]);
    }, 180_000);

    it('explain: a log full of workflow commands and escapes is shown defused', async () => {
      const log = path.join(work, 'hostile.log');
      await writeFile(
        log,
        `${HOSTILE_OUTPUT}RuntimeError: unreachable ##[error]legacy-in-trap\n    at x (wasm://wasm/abc:wasm-function[1]:0x10)\n`,
      );
      const r = await exec(process.execPath, [cli, 'explain', log]);
      expect(r.stdout).toContain('##\u200b[error]legacy-in-trap');
      expect(runnerCommands(`${r.stdout}\n${r.stderr}`), r.stdout).toEqual([]);
    }, 60_000);

    it('reports on stdout (--json -, --markdown -, explain --json/--markdown) hold no workflow command; the JSON parses the same', async () => {
      const dir = path.join(work, 'cli-stdout');
      await mkdir(dir, { recursive: true });
      // The noisy guest's P2 run traps after its output (P1 exits 1): the Markdown shows the output.
      await writeFile(path.join(dir, 'noisy.wasm'), await noisyGuest(HOSTILE_OUTPUT, true));
      const run = (args: string[]) =>
        exec(process.execPath, [cli, ...args], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }).catch(
          (e: { stdout: string; stderr: string }) => e,
        );
      const base = ['noisy.wasm', '--runtime', 'embedded', '--timeout', '60', '-q'];
      const json = await run([...base, '--json', '-', '--markdown', 'report.md']);
      const markdown = await run([...base, '--markdown', '-', '--json', 'report.json']);
      const log = path.join(dir, 'hostile.log');
      await writeFile(
        log,
        `${HOSTILE_OUTPUT}RuntimeError: unreachable ##[error]legacy-in-trap\n    at x (wasm://wasm/abc:wasm-function[1]:0x10)\n`,
      );
      const explained = await Promise.all([run(['explain', log, '--json']), run(['explain', log, '--markdown'])]);
      for (const r of [json, markdown, ...explained]) expect(runnerCommands(r.stdout), r.stdout).toEqual([]);
      // The guest's text is in each (defused, not dropped), and the JSON on stdout is the JSON in the file.
      expect(markdown.stdout).toContain('##\u200b[error]legacy');
      const fromFile = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
      const p2Stdout = JSON.parse(json.stdout).results[0].p2.stdout;
      expect(p2Stdout).toEqual(fromFile.results[0].p2.stdout);
      expect(p2Stdout.text).toContain('##[error]legacy');
      expect(JSON.stringify(JSON.parse(explained[0]!.stdout))).toContain('##[error]legacy-in-trap');
    }, 120_000);
  });
});
