/**
 * `mode: versions`, for upgrade pull requests: the artifacts checked with every release in `releases` (a range
 * `33.0.0..40.0.0` takes the major releases between; `bisect: true` checks O(log n) of them) from one prepared check,
 * published as one comment and one check run that lead with the artifacts whose outcome changes between the releases
 * (and, bisecting, where), then the newest release's results in detail; `fail-on` gates on those.
 */
import { type CheckInputs, readCheckInputs, withActionCheck } from './check.js';
import { configurationErrorReport } from '../../check.js';
import type { OptionReader } from '../../options/build.js';
import { ConfigError } from '../../options/index.js';
import { runVersions } from '../../versions/run.js';
import { type CommonInputs, InputError } from '../inputs.js';
import type { ModeUnit } from '../mode.js';

export interface VersionsInputs extends CheckInputs {
  releases: string[];
  bisect: boolean;
  releaseData: string[];
}

export const versionsMode: ModeUnit<VersionsInputs> = {
  inputs: (read: OptionReader, common: CommonInputs, cwd: string) => {
    const releases = read('releases');
    if (releases.length === 0)
      throw new InputError('releases', '', 'expected two or more wasmtime releases, or a range like 33.0.0..40.0.0');
    const own = readCheckInputs(read, common, cwd);
    if (own.check.adapter && own.check.adapter.kind !== 'auto') {
      throw new InputError('adapter', '', "expected it unset in mode 'versions' (each release converts with its own adapter)");
    }
    return { ...own, releases, bisect: read('bisect'), releaseData: read('release-data') };
  },
  obtain: (ctx, inputs) =>
    withActionCheck(ctx, inputs, async (options) => {
      const { versions, latest } = await runVersions(options, {
        releases: inputs.releases,
        bisect: inputs.bisect,
        releaseData: inputs.releaseData,
      });
      // A release that cannot be had: a configuration error (nothing ran), published like a check's.
      if (versions.configurationError || !latest) {
        const e = versions.configurationError ?? { option: 'releases', message: 'no release was checked' };
        return { report: configurationErrorReport(options, new ConfigError(e.option, e.message)) };
      }
      const changing = versions.artifacts.filter((a) => a.differs).length;
      ctx.io.info(`versions: ${versions.checks.done} checks (a full matrix: ${versions.checks.matrix}); ${changing} artifact(s) change`);
      return { report: { ...latest, versions } };
    }),
};
