/**
 * Runs the Action's `run()` in this process the way the runner would run `dist/index.js`: a workspace with
 * fixture artifacts, a real-shaped event payload in GITHUB_EVENT_PATH, the runner's variables, and the real
 * Octokit (retry + throttling) talking HTTP to the OpenAPI-validated emulator. Only the runner's side of
 * `@actions/core` is replaced, by an `ActionIO` that records what the runner would show: the log (with the
 * workflow commands `::warning::`/`::error::`), the outputs, the job summary and whether the step failed.
 * The end-to-end bundle runs (test/action-e2e.test.ts) cover the real `@actions/core`.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PersistedCache } from '../../src/action/cache.js';
import type { ActionIO, AnnotationProps } from '../../src/action/io.js';
import { run } from '../../src/action/main.js';
import { createOctokit } from '../../src/github/client.js';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { GitHubEmulator } from '../github/emulator.js';
import { pullRequestEvent } from '../github/events.js';

export const root = path.resolve(import.meta.dirname, '..', '..');
export const HEAD = '0123456789abcdef0123456789abcdef01234567';
export const MERGE = 'fedcba9876543210fedcba9876543210fedcba98';
export const PR = 42;
/** A second per API wait (back-off, retry-after, write pacing) is this many milliseconds here. */
export const WAIT_UNIT_MS = 5;

export interface ActionRun {
  /** 1 when the step failed (`setFailed`), else 0: the runner's exit code. */
  code: number;
  /** The log as the runner shows it, workflow commands included. */
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
  runnerTemp: string;
}

export interface RunOptions {
  inputs: Record<string, string>;
  /** Fixture files copied into the workspace's build/ folder. */
  artifacts?: string[];
  eventName?: string;
  event?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Reuse a workspace (the two-stage tests hand files from one run to the next). */
  workspace?: string;
  /** The cache service between runs (none by default, as on a runner without one). */
  persistedCache?: PersistedCache;
}

export class RecordingIO implements ActionIO {
  readonly lines: string[] = [];
  readonly outputs: Record<string, string> = {};
  summary = '';
  failed = false;
  constructor(private readonly inputs: Record<string, string>) {}
  getInput(name: string): string {
    return (this.inputs[name] ?? '').trim();
  }
  setOutput(name: string, value: string | number): void {
    this.outputs[name] = String(value);
  }
  info(message: string): void {
    this.lines.push(message);
  }
  warning(message: string, props?: AnnotationProps): void {
    this.lines.push(`::warning${command(props)}::${message}`);
  }
  error(message: string, props?: AnnotationProps): void {
    this.lines.push(`::error${command(props)}::${message}`);
  }
  startGroup(name: string): void {
    this.lines.push(`::group::${name}`);
  }
  endGroup(): void {
    this.lines.push('::endgroup::');
  }
  async writeSummary(markdown: string): Promise<boolean> {
    this.summary += markdown;
    return true;
  }
  setFailed(message: string): void {
    this.failed = true;
    this.error(message);
  }
}

function command(props?: AnnotationProps): string {
  const parts = Object.entries(props ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? ` ${parts.join(',')}` : '';
}

/** A fresh emulator with a write token (`ghs_write`), a fork's read-only token (`ghs_read`) and PR 42 at HEAD. */
export async function startEmulator(options: ConstructorParameters<typeof GitHubEmulator>[0] = {}): Promise<GitHubEmulator> {
  const gh = await new GitHubEmulator(options).start();
  gh.addToken('ghs_write');
  gh.addToken('ghs_read', { canWrite: false });
  gh.addPullRequest({ number: PR, headSha: HEAD });
  return gh;
}

/** Stops it, then: the Action sent nothing GitHub would refuse, and the emulator answered only as GitHub documents. */
export async function stopEmulator(gh: GitHubEmulator): Promise<void> {
  await gh.stop();
  expect(gh.rejected).toEqual([]);
  expect(gh.violations).toEqual([]);
}

/** The Action under test in a test file: `gh` is the current test's emulator, `run` runs `run()` against it. */
export interface ActionUnderTest {
  readonly harness: ActionHarness;
  readonly gh: GitHubEmulator;
  run(o: RunOptions): Promise<ActionRun>;
}

/** Registers the vitest hooks: one harness (scratch folder) for the file, a fresh, checked emulator for each test. */
export function useActionHarness(): ActionUnderTest {
  const harness = new ActionHarness();
  let emulator: GitHubEmulator | undefined;
  beforeAll(() => harness.setUp());
  afterAll(() => harness.tearDown());
  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(async () => {
    if (emulator) await stopEmulator(emulator);
    emulator = undefined;
  });
  const current = (): GitHubEmulator => {
    if (!emulator) throw new Error('the emulator runs only inside a test');
    return emulator;
  };
  return {
    harness,
    get gh() {
      return current();
    },
    run: (o) => harness.run(current(), o),
  };
}

/** One scratch folder per test file; each run gets its own subfolder. */
export class ActionHarness {
  scratch = '';
  private count = 0;

  async setUp(): Promise<void> {
    this.scratch = await mkdtemp(path.join(tmpdir(), 'wasm-p2-check-action-'));
  }

  async tearDown(): Promise<void> {
    await rm(this.scratch, { recursive: true, force: true });
  }

  /** The runner's environment for a run against `gh`, with its files laid out. */
  async prepare(
    gh: GitHubEmulator,
    o: RunOptions,
  ): Promise<{ env: Record<string, string>; dir: string; workspace: string; runnerTemp: string }> {
    const dir = path.join(this.scratch, `run-${++this.count}`);
    const workspace = o.workspace ?? path.join(dir, 'workspace');
    const runnerTemp = path.join(dir, 'temp');
    await mkdir(path.join(workspace, 'build'), { recursive: true });
    await mkdir(runnerTemp, { recursive: true });
    for (const f of o.artifacts ?? []) await copyFile(path.join(root, 'test', 'fixtures', f), path.join(workspace, 'build', f));
    const eventPath = path.join(dir, 'event.json');
    await writeFile(eventPath, JSON.stringify(o.event ?? pullRequestEvent(gh.api, { repository: gh.fullName, number: PR, headSha: HEAD })));
    const env: Record<string, string> = {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: o.eventName ?? 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: gh.fullName,
      GITHUB_REPOSITORY_OWNER: gh.owner,
      GITHUB_SHA: MERGE,
      GITHUB_REF: `refs/pull/${PR}/merge`,
      GITHUB_WORKFLOW: 'CI',
      GITHUB_JOB: 'wasm',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: gh.url,
      GITHUB_GRAPHQL_URL: gh.graphqlUrl,
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: runnerTemp,
      ...o.env,
    };
    return { env, dir, workspace, runnerTemp };
  }

  /** Runs `run()` in process. Inputs default like the e2e runs: embedded runtime, a write token. */
  async run(gh: GitHubEmulator, o: RunOptions): Promise<ActionRun> {
    const { env, workspace, runnerTemp } = await this.prepare(gh, o);
    const io = new RecordingIO({ runtime: 'embedded', 'github-token': 'ghs_write', timeout: '60', ...o.inputs });
    await run({
      env,
      io,
      createClient: (token, options) => createOctokit(token, { ...options, waitUnitMs: WAIT_UNIT_MS }),
      ...(o.persistedCache ? { persistedCache: o.persistedCache } : {}),
    });
    return { code: io.failed ? 1 : 0, stdout: io.lines.join('\n'), outputs: io.outputs, summary: io.summary, workspace, runnerTemp };
  }
}
