/**
 * The Action's `ReleaseCache`: the runner's tool cache through `@actions/tool-cache` (RUNNER_TOOL_CACHE and
 * RUNNER_TEMP are set by the runner). Imported by the Action only: the CLI never loads tool-cache, so none of its
 * `::debug::` lines or retry messages reach a terminal.
 */
import * as tc from '@actions/tool-cache';
import { DownloadError, type ReleaseCache } from './cache.js';

export function actionsToolCache(): ReleaseCache {
  return {
    where: 'the tool cache',
    find: async (tool, version, arch) => tc.find(tool, version, arch) || undefined,
    versions: async (tool, arch) => tc.findAllVersions(tool, arch),
    async download(url) {
      try {
        return await tc.downloadTool(url);
      } catch (e) {
        if (e instanceof tc.HTTPError) throw new DownloadError(`HTTP ${e.httpStatusCode}`, e.httpStatusCode);
        throw new DownloadError((e as Error).message);
      }
    },
    extract: (archive, ext) => (ext === 'zip' ? tc.extractZip(archive) : tc.extractTar(archive, undefined, 'x')),
    cacheDir: (dir, tool, version, arch) => tc.cacheDir(dir, tool, version, arch),
    cacheFile: (file, name, tool, version, arch) => tc.cacheFile(file, name, tool, version, arch),
  };
}
