/**
 * The GitHub Action (bundled to dist/index.js): inputs → the mode's unit obtains its result (a check, the shards'
 * reports, a saved report, the bot's answer) → published as the mode table says (src/action/modes/index.ts,
 * src/action/publish.ts). With src/cli/, the only module that reads the environment.
 */
import { createOctokit } from '../github/client.js';
import { resolveTarget, type Target } from '../github/context.js';
import { actionsCachePersistence, type PersistedCache } from './cache.js';
import { InputError } from './inputs.js';
import { logSafeIO, type ActionIO } from './io.js';
import type { ModeContext } from './mode.js';
import { type ActionInputs, parseInputs, publishingOf, unitOf } from './modes/index.js';
import { checkRunRef, configurationErrorCheckRun, type CreateClient, failBeforeRunning, publishFailure, publishResult } from './publish.js';
import { Publisher } from './publisher.js';
import { readRunnerEnv, type RunnerEnv } from './runner-env.js';
import { withChange } from './baseline.js';
import path from 'node:path';

export interface ActionDeps {
  /** The runner's environment (`process.env` on a runner). */
  env: Record<string, string | undefined>;
  io: ActionIO;
  /** Builds the API client; tests shorten its waits (see `ClientOptions.waitUnitMs`). */
  createClient?: CreateClient;
  /** Keeps the result cache between runs (default `@actions/cache` when the runner has a cache service). */
  persistedCache?: PersistedCache;
}

/**
 * The Action: inputs → the mode's result → published. Never throws: a failure is reported through `io.setFailed`.
 */
export async function run(deps: ActionDeps): Promise<void> {
  // Everything printed to the log goes through one log-safe layer (names and text from artifacts are untrusted).
  const io = logSafeIO(deps.io);
  const createClient = deps.createClient ?? createOctokit;

  // 1. Configuration: errors here are the user's to fix, before anything runs or is posted.
  let runner: RunnerEnv | undefined;
  let target: Target | undefined;
  let inputs: ActionInputs;
  try {
    runner = await readRunnerEnv(deps.env);
    target = resolveTarget(runner.event);
    inputs = parseInputs((name) => io.getInput(name), runner.workspace);
  } catch (e) {
    const checkRun = runner && target ? await configurationErrorCheckRun(io, e, runner, target, createClient, publishingOf) : undefined;
    await failBeforeRunning(io, e, checkRun);
    return;
  }
  const rules = publishingOf(inputs.mode);
  const { publish } = inputs;
  const octokit =
    publish.token && rules.token !== 'unused' ? createClient(publish.token, { baseUrl: runner.apiUrl, log: (m) => io.info(m) }) : undefined;
  if (typeof rules.token === 'object' && !octokit) {
    await failBeforeRunning(io, new InputError('github-token', '', `mode '${inputs.mode}' needs a token with ${rules.token.needs}`));
    return;
  }
  const reportPath = inputs.reportPath ?? path.join(runner.tempDir, 'wasm-p2-check', 'report.json');
  const publisher = new Publisher(octokit, io, target.isFork, reportPath);
  const ctx: ModeContext = {
    io,
    runner,
    target,
    publisher,
    octokit,
    persistedCache: () => deps.persistedCache ?? actionsCachePersistence(),
    checkRef: checkRunRef(rules, publish),
  };
  const published = { io, runner, target, publish, publisher, reportPath };

  // 2. The mode's result (a check, the shards' reports, a saved report), before any API call; 3. published.
  let result: Awaited<ReturnType<ReturnType<typeof unitOf>['obtain']>>;
  try {
    result = await unitOf(inputs.mode).obtain(ctx, inputs as never);
  } catch (e) {
    await publishFailure(published, rules, e);
    return;
  }
  if (!result) return;
  try {
    // The change against a baseline (and, on a push to the default branch, this report kept as one).
    result = await withChange(ctx, rules, inputs, result);
  } catch (e) {
    await publishFailure(published, rules, e);
    return;
  }
  await publishResult(published, rules, result);
}
