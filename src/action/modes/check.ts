/**
 * `mode: check`: run the check on the artifacts (with the result cache when `cache` is on) and publish it everywhere.
 * `report-only` runs the same check (src/action/modes/report-only.ts) and publishes less.
 */
import path from 'node:path';
import { check } from '../../check.js';
import { deriveCommentKey, matrixLabel } from '../../github/sticky-comment.js';
import { buildCheckOptions, type OptionReader } from '../../options/build.js';
import type { CheckOptions } from '../../options/index.js';
import { logSafeLine } from '../../report/log-safe.js';
import { folderCache } from '../../runtime/wasmtime/cache.js';
import { openResultCache } from '../cache.js';
import { type CommonInputs, InputError } from '../inputs.js';
import type { ModeContext, ModeResult, ModeUnit } from '../mode.js';
import { FORK_HELP } from '../publisher.js';

export interface CheckInputs {
  check: CheckOptions;
}

export const checkMode: ModeUnit<CheckInputs> = {
  inputs: readCheckInputs,
  obtain: async (ctx, inputs) => {
    if (ctx.target.isFork) ctx.io.info(`This pull request comes from a fork: its token is likely read-only (see ${FORK_HELP}).`);
    return runCheck(ctx, inputs);
  },
};

/** The artifacts and everything check() is run with. */
export function readCheckInputs(read: OptionReader, _common: CommonInputs, cwd: string): CheckInputs {
  const patterns = read('artifacts');
  if (patterns.length === 0) throw new InputError('artifacts', '', 'expected one or more globs (one per line)');
  return { check: buildCheckOptions(read, patterns, cwd) };
}

/** Runs check() as the Action does: in a log group, with the runner's tool cache, PATH and result cache. */
export async function runCheck(ctx: ModeContext, inputs: CommonInputs & CheckInputs): Promise<ModeResult> {
  return { report: await withActionCheck(ctx, inputs, check) };
}

/** Runs `run` (check(), or a release matrix) with the check options as the Action sets them (see runCheck). */
export async function withActionCheck<R>(
  ctx: ModeContext,
  inputs: CommonInputs & CheckInputs,
  run: (options: CheckOptions) => Promise<R>,
): Promise<R> {
  const { io, runner } = ctx;
  const persisted = inputs.cache ? ctx.persistedCache() : undefined;
  io.startGroup('wasm-p2-check');
  try {
    const options = inputs.check;
    const label = matrixLabel(inputs.publish.matrix);
    const cache = inputs.cache
      ? await openResultCache(
          persisted,
          path.join(runner.tempDir, 'wasm-p2-check-cache'),
          deriveCommentKey(runner.workflow, runner.job, inputs.publish.matrix),
          (m) => io.info(m),
        )
      : undefined;
    const result = await run({
      ...options,
      ...(label ? { label } : {}),
      ...(cache ? { cache: cache.store } : {}),
      // wasmtime releases live on github.com, also for GitHub Enterprise users; our token only goes there when it
      // is a github.com token (it lifts the API rate limit for resolving 'latest').
      wasmtime: {
        ...options.wasmtime,
        // The runner's tool cache (tool-cache layout); runtime `auto` may download wasmtime into it (else it falls back to
        // the embedded runtime, with a warning in the summary and the comment). PATH is the runner's.
        cache: runner.toolCacheDir ? folderCache(runner.toolCacheDir, { tempDir: runner.tempDir }) : folderCache(),
        autoDownload: true,
        searchPath: runner.path,
        apiBaseUrl: 'https://api.github.com',
        ...(runner.apiUrl.replace(/\/+$/, '') === 'https://api.github.com' && inputs.publish.token ? { token: inputs.publish.token } : {}),
      },
      onProgress: (e) =>
        io.info(
          e.artifact ? `${logSafeLine(e.artifact)}: ${e.stage}${e.message ? ` (${logSafeLine(e.message)})` : ''}` : (e.message ?? e.stage),
        ),
    });
    await cache?.finish();
    return result;
  } finally {
    io.endGroup();
  }
}
