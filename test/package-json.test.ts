/**
 * package.json tells the truth: the package is private (it ships as a GitHub Action with dist/ committed, and the CLI
 * in dist/ is self-contained), so nothing is a run-time dependency; `engines` is a range every installed package
 * accepts (the exceptions are named with why); the version has its CHANGELOG section.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string;
  private?: boolean;
  engines: { node: string };
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

/** Packages whose `engines` ask for more than ours, checked to run on all of our range. */
const ENGINE_EXCEPTIONS: Record<string, string> = {
  // Under @octokit/request: a header parser in plain ES2020 with no Node API; its >=22 is its maintainers' support
  // policy. It is bundled into dist/, and the suite (which runs on Node 20 and 24) parses every emulated GitHub API
  // response through it.
  'node_modules/content-type': '>=22',
};

describe('package.json', () => {
  it('is private, with everything bundled: no run-time dependencies', () => {
    expect(pkg.private).toBe(true);
    expect(pkg.dependencies ?? {}, 'bundled code belongs in devDependencies: dist/ is self-contained').toEqual({});
  });

  it('engines: a range that every installed package accepts', () => {
    const refused: string[] = [];
    for (const [where, p] of Object.entries(lock.packages)) {
      const node = Array.isArray(p.engines) ? undefined : p.engines?.node;
      if (!where || !node || semver.subset(pkg.engines.node, node)) continue;
      if (ENGINE_EXCEPTIONS[where] === node) continue;
      refused.push(`${where}@${p.version}: ${node}`);
    }
    expect(refused).toEqual([]);
    expect(semver.satisfies(process.version, pkg.engines.node), `this Node ${process.version}`).toBe(true);
  });

  it('the version is a v1 release with its CHANGELOG section', () => {
    expect(semver.gte(pkg.version, '1.0.0')).toBe(true);
    expect(readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8')).toMatch(
      new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d\\d-\\d\\d$`, 'm'),
    );
  });
});
