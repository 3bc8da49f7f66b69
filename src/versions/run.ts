/**
 * `versions`, the whole of it for both shells: the release data, one prepared check, the matrix (or bisect), and a
 * report that says what could not be had instead of throwing (a configuration error: nothing was run).
 */
import { prepareCheck } from '../check.js';
import { ConfigError, type CheckOptions } from '../options/index.js';
import { VERSION } from '../package/version.js';
import { versionsMatrix, type VersionsOutcome } from './matrix.js';
import { VERSIONS_SCHEMA_VERSION, type VersionsReport } from '../model/versions.js';
import { expandReleases, loadReleaseTable } from './releases.js';

export interface RunVersionsOptions {
  releases: string[];
  bisect: boolean;
  /** User release-data files (added to, or replacing, the built-in releases). */
  releaseData?: string[];
}

export async function runVersions(options: CheckOptions, opts: RunVersionsOptions): Promise<VersionsOutcome> {
  const log = (message: string) => options.onProgress?.({ artifact: '', stage: 'inspect', message });
  try {
    const table = await loadReleaseTable(opts.releaseData ?? []).catch((e: Error) => {
      throw new ConfigError('release-data', e.message);
    });
    let releases: string[];
    try {
      releases = expandReleases(opts.releases, table);
    } catch (e) {
      throw new ConfigError('releases', (e as Error).message);
    }
    const session = await prepareCheck(options);
    try {
      return await versionsMatrix(session, { releases, bisect: opts.bisect, table, log });
    } finally {
      await session.dispose();
    }
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const versions: VersionsReport = {
      schemaVersion: VERSIONS_SCHEMA_VERSION,
      kind: 'versions',
      tool: { name: 'wasm-p2-check', version: VERSION },
      createdAt: new Date().toISOString(),
      mode: opts.bisect ? 'bisect' : 'matrix',
      runtime: { requested: options.runtime, engine: 'fixed' },
      releases: [],
      artifacts: [],
      checks: { done: 0, matrix: 0, cached: 0 },
      durationMs: 0,
      configurationError: { option: e.option, message: e.message },
    };
    return { versions };
  }
}
