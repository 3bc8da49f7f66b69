import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledAdapterDir, embeddedHostScript } from '../src/package/assets.js';
import { builtAction, builtCli, builtDir } from './build-once.js';

const root = path.resolve(import.meta.dirname, '..');
/** The relative modules a bundle file imports (static and dynamic). */
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)["'](\.\/[^"']+)["']/g)].map((m) => m[1]);

describe('src/package/assets.ts from source', () => {
  it('runs the embedded hosts this test run built (build/), never the committed dist/', () => {
    expect(embeddedHostScript('p1')).toBe(path.join(builtDir, 'embedded-p1-host.js'));
    expect(embeddedHostScript('p2')).toBe(path.join(builtDir, 'embedded-p2-host.js'));
  });

  it('finds the bundled adapters in the repository', () => {
    expect(bundledAdapterDir()).toBe(path.join(root, 'adapters'));
  });
});

describe('the build (scripts/build.mjs, as test/build-once.ts ran it)', () => {
  const chunks = readdirSync(builtDir).filter((f) => /^chunk-.*\.js$/.test(f));

  it('bundles the code the CLI and the Action share once: both import the same chunks', () => {
    expect(chunks.length).toBeGreaterThan(0);
    const shared = importsOf(builtCli).filter((f) => importsOf(builtAction).includes(f));
    expect(shared.length).toBeGreaterThan(0);
  });

  it('keeps each embedded host one self-contained file: it imports no chunk (a host starts for every run)', () => {
    for (const host of ['embedded-p1-host.js', 'embedded-p2-host.js']) {
      expect(importsOf(path.join(builtDir, host)), host).toEqual([]);
    }
  });
});
