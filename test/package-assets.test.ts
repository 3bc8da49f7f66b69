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

  it('keeps each process script (the embedded hosts, the jco converter) one self-contained file: it imports no chunk', () => {
    // Every built script but the two shells and their chunks is started as a process of its own: its start-up time
    // is the checker's (scripts/build.mjs `hosts`).
    const shellsAndShared = new Set(['cli.js', 'index.js', 'worker-thread.bundle.js', ...chunks]);
    const hosts = readdirSync(builtDir).filter((f) => f.endsWith('.js') && !shellsAndShared.has(f));
    expect(hosts).toEqual(expect.arrayContaining(['embedded-p1-host.js', 'embedded-p2-host.js']));
    for (const host of hosts) expect(importsOf(path.join(builtDir, host)), host).toEqual([]);
  });
});
