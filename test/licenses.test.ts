/**
 * The third-party licence file (licenses.txt beside the bundles) against what the bundles really contain: every
 * npm package whose code esbuild put into a bundle (read back from the module path comments esbuild writes into its
 * output, independently of the metafile the generator uses) and every package whose files are shipped as assets has
 * an entry with its licence. The test build in build/ comes from the same scripts/build.mjs as dist/; .ci/run fails
 * when the committed dist/ (licenses.txt included) differs from a fresh build.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without type declarations
import { packageDirOf } from '../scripts/licenses.mjs';
import { builtDir } from './build-once.js';

const root = path.resolve(import.meta.dirname, '..');
const text = readFileSync(path.join(builtDir, 'licenses.txt'), 'utf8');
const entries = text.split(`${'-'.repeat(100)}\n`).slice(1);
const byPackage = new Map(entries.map((e) => [e.slice(0, e.indexOf(' — ')), e]));

/** name@version of the package a bundled file came from. */
function packageOf(file: string): string {
  const dir = (packageDirOf as (f: string) => string | undefined)(file);
  if (!dir) throw new Error(`not from a package: ${file}`);
  const pkg = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { name: string; version: string };
  return `${pkg.name}@${pkg.version}`;
}

describe('licenses.txt', () => {
  it('has an entry for every package whose code is in a bundle', () => {
    const bundled = new Set<string>();
    for (const f of readdirSync(builtDir).filter((n) => n.endsWith('.js'))) {
      for (const m of readFileSync(path.join(builtDir, f), 'utf8').matchAll(/^\/\/ (\S*node_modules\/\S+)$/gm))
        bundled.add(packageOf(m[1]!));
    }
    expect(bundled.size).toBeGreaterThan(50);
    const missing = [...bundled].filter((p) => !byPackage.has(p));
    expect(missing, 'bundled packages without a licence entry').toEqual([]);
    for (const name of ['undici', 'yaml', '@octokit/core', '@bytecodealliance/jco-transpile', 're2js']) {
      expect(
        [...bundled].some((p) => p.startsWith(`${name}@`)),
        name,
      ).toBe(true);
    }
  });

  it('names the packages of the shipped assets: the adapters (jco), wasm-tools and bindgen (jco-transpile), the I/O worker', () => {
    const adapters = JSON.parse(readFileSync(path.join(root, 'adapters', 'manifest.json'), 'utf8')) as { package: string; version: string };
    expect(byPackage.get(`${adapters.package}@${adapters.version}`)).toMatch(/Shipped as files: adapters\/wasi_snapshot_preview1/);
    const transpile = [...byPackage].find(([p]) => p.startsWith('@bytecodealliance/jco-transpile@'))?.[1];
    expect(transpile).toMatch(/Shipped as files: wasm-tools\.core\*\.wasm/);
    expect(transpile).toMatch(/Apache License/);
    const shim = [...byPackage].find(([p]) => p.startsWith('@bytecodealliance/preview2-shim@'))?.[1];
    expect(shim).toMatch(/Shipped as files: worker-thread\.bundle\.js/);
  });

  it('gives each entry its licence id and its text (or says there is none in the package)', () => {
    for (const [name, entry] of byPackage) {
      const [header = '', ...rest] = entry.split('\n');
      expect(header, name).not.toMatch(/UNKNOWN/);
      expect(rest.join('\n').trim().length, name).toBeGreaterThan(0);
    }
    expect(byPackage.get([...byPackage.keys()].find((p) => p.startsWith('yaml@'))!)).toMatch(/Copyright/);
  });
});
