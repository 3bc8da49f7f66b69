/**
 * Builds the bundles the tests run (the CLI, the Action, the embedded hosts, their assets) once per test run, before
 * any test, into the repository's build/ (git-ignored) with scripts/build.mjs: the same build as dist/, from the
 * current sources. Tests never run the committed dist/ (whether dist/ is up to date is checked once, by .ci/run).
 * From source, src/package/assets.ts finds the embedded host scripts here too.
 *
 * vitest.config.ts names this file as `globalSetup`; tests import the paths below.
 */
import { execFile } from 'node:child_process';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');

/** The folder the test run's build is in. src/package/assets.ts looks for the host scripts in the same place. */
export const builtDir = path.join(root, 'build');
/** The bundled CLI (what `npx wasm-p2-check` runs). */
export const builtCli = path.join(builtDir, 'cli.js');
/** The bundled Action (what action.yml's `runs.main` names in dist/). */
export const builtAction = path.join(builtDir, 'index.js');

export default async function setup(): Promise<void> {
  // Built beside and then moved into place, so that a build that fails leaves no half-written build/ behind.
  const fresh = `${builtDir}.${process.pid}.tmp`;
  await rm(fresh, { recursive: true, force: true });
  await promisify(execFile)(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--outdir', fresh], { cwd: root });
  await rm(builtDir, { recursive: true, force: true });
  await rename(fresh, builtDir);
}
