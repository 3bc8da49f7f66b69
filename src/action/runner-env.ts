/** The runner's environment, read once (with src/cli/, the only place the Action reads the environment). */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EventContext } from '../github/context.js';
import type { RunOrder } from '../github/sticky-comment.js';

/** What the runner tells us, read once. */
export interface RunnerEnv {
  workspace: string;
  event: EventContext;
  serverUrl: string;
  apiUrl: string;
  /** GITHUB_GRAPHQL_URL; undefined = derived by Octokit from the REST URL. */
  graphqlUrl?: string;
  runUrl?: string;
  /** This run's place in time (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT). */
  run?: RunOrder;
  workflow: string;
  job: string;
  tempDir: string;
  /** RUNNER_TOOL_CACHE: where setup actions keep tools between jobs (absent outside a runner). */
  toolCacheDir?: string;
  /** The runner's PATH, searched for a `wasmtime`. */
  path?: string;
  /** GITHUB_REF: the branch or tag of a push or scheduled run. */
  ref?: string;
}

export async function readRunnerEnv(env: Record<string, string | undefined>): Promise<RunnerEnv> {
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH && existsSync(env.GITHUB_EVENT_PATH)) {
    payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
  }
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY ?? '';
  const attempt = Number(env.GITHUB_RUN_ATTEMPT || '1');
  const runId = Number(env.GITHUB_RUN_ID || 'NaN');
  return {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    event: { eventName: env.GITHUB_EVENT_NAME ?? '', payload, repository, sha: env.GITHUB_SHA ?? '' },
    serverUrl,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    graphqlUrl: env.GITHUB_GRAPHQL_URL || undefined,
    runUrl:
      env.GITHUB_RUN_ID && repository
        ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}${attempt > 1 ? `/attempts/${attempt}` : ''}`
        : undefined,
    run:
      Number.isSafeInteger(runId) && runId > 0
        ? { id: runId, attempt: Number.isSafeInteger(attempt) && attempt > 0 ? attempt : 1 }
        : undefined,
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    tempDir: env.RUNNER_TEMP || path.join(env.GITHUB_WORKSPACE || process.cwd(), '.wasm-p2-check'),
    toolCacheDir: env.RUNNER_TOOL_CACHE || undefined,
    path: env.PATH,
    ref: env.GITHUB_REF || undefined,
  };
}
