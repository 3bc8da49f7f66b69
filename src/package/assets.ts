import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Files wasm-p2-check needs at run time (bundled adapters, the embedded runtime's host scripts, built-in
 * signatures). In the bundle they sit beside `dist/*.js`; when running from source they are found at their
 * place in the repository. One lookup for both layouts keeps the rest of the code layout-agnostic.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

/** Repository root when running from `src/` (this file is `src/package/assets.ts`). */
const repoRoot = path.resolve(here, '..', '..');

function firstExisting(candidates: string[], what: string): string {
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`wasm-p2-check installation is incomplete: ${what} not found (looked in ${candidates.join(', ')})`);
}

/** Directory holding `wasi_snapshot_preview1.{command,reactor}.wasm` and their `manifest.json`. */
export function bundledAdapterDir(): string {
  return firstExisting([path.join(here, 'adapters'), path.join(repoRoot, 'adapters')], 'bundled adapters');
}

/**
 * The embedded runtime's child-process host script (`p1` = node:wasi, `p2` = preview2-shim). Always a built one: in the
 * bundle, the one beside it; from source (the tests), the one in the repository's `build/`, which the tests that need it
 * build when stale (test/build-once.ts; or `node scripts/build.mjs --outdir build`). Never the committed dist/:
 * the code under test must run the hosts built from the same sources.
 */
export function embeddedHostScript(phase: 'p1' | 'p2'): string {
  const name = `embedded-${phase}-host.js`;
  return firstExisting([path.join(here, name), path.join(repoRoot, 'build', name)], `${name} (run 'npm run build')`);
}

/** The jco converter process's script (src/convert/jco-server.ts): beside the bundle, or in build/ from source. */
export function jcoServerScript(): string {
  return firstExisting(
    [path.join(here, 'jco-server.js'), path.join(repoRoot, 'build', 'jco-server.js')],
    "jco-server.js (run 'npm run build')",
  );
}
