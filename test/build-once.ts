/**
 * Builds the bundles the tests run (the CLI, the Action, the embedded hosts, their assets) into the repository's build/
 * (git-ignored) with scripts/build.mjs: the same build as dist/, from the current sources. Tests never run the
 * committed dist/ (whether dist/ is up to date is checked once, by .ci/run). From source, src/package/assets.ts finds
 * the embedded host scripts and the converter process here too.
 *
 * Only the `bundled` vitest project (vitest.config.ts, test/projects.ts) names this file as `globalSetup`, so unit
 * tests never wait for it; and it builds only when build/ is stale: build/ carries the hash of the build's inputs
 * (src/, adapters/, scripts/build.mjs and licenses.mjs, package-lock.json), and an equal hash skips the build.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');

/** The folder the test run's build is in. src/package/assets.ts looks for the host scripts in the same place. */
export const builtDir = path.join(root, 'build');
/** The bundled CLI (what `npx wasm-p2-check` runs). */
export const builtCli = path.join(builtDir, 'cli.js');
/** The bundled Action (what action.yml's `runs.main` names in dist/). */
export const builtAction = path.join(builtDir, 'index.js');

/** What the build is made of; a change to any of these makes build/ stale. */
const inputs = ['src', 'adapters', 'scripts/build.mjs', 'scripts/licenses.mjs', 'package-lock.json'];
const stampName = '.inputs-sha256';

/** A hash of the build's inputs (paths and contents, in a stable order). */
export async function buildInputsHash(): Promise<string> {
  const hash = createHash('sha256');
  const add = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(root, rel), { withFileTypes: true }).catch(() => undefined);
    if (entries === undefined) {
      hash
        .update(`${rel}\0`)
        .update(await readFile(path.join(root, rel)))
        .update('\0');
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) await add(`${rel}/${e.name}`);
  };
  for (const rel of inputs) await add(rel);
  return hash.digest('hex');
}

export default async function setup(): Promise<void> {
  const want = await buildInputsHash();
  const have = await readFile(path.join(builtDir, stampName), 'utf8').catch(() => '');
  if (have === want) return;
  // Built beside and then moved into place, so that a build that fails leaves no half-written build/ behind.
  const fresh = `${builtDir}.${process.pid}.tmp`;
  await rm(fresh, { recursive: true, force: true });
  await promisify(execFile)(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--outdir', fresh], { cwd: root });
  await writeFile(path.join(fresh, stampName), want);
  await rm(builtDir, { recursive: true, force: true });
  await rename(fresh, builtDir);
}
