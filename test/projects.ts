/**
 * Which test files need the built bundles (build/, see test/build-once.ts), so that vitest.config.ts can run the
 * others — the unit tests — straight from source, with no build first.
 *
 * A test file needs the bundles when it, or anything it imports (relative imports, followed transitively through
 * test/ and src/), imports build-once or starts a built script: an embedded host (a call of embeddedHostScript) or
 * the converter process (a call of jcoServerScript). Derived from the imports rather than listed, so a new test lands in the
 * right project by itself; importing the pipeline is enough to count, which errs towards building.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const assets = path.join(root, 'src', 'package', 'assets.ts');
const usesBuild = /\b(?:embeddedHostScript|jcoServerScript)\(|['"][./]*build-once(?:\.js)?['"]/;
const relativeImport = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

function resolveImport(from: string, specifier: string): string | undefined {
  const p = path.resolve(path.dirname(from), specifier);
  for (const c of [p, p.replace(/\.js$/, '.ts'), `${p}.ts`, path.join(p, 'index.ts')])
    if (/\.[cm]?[jt]s$/.test(c) && existsSync(c)) return c;
  return undefined;
}

/** The test files (relative to the repository, `test/….test.ts`) that need build/. */
export function bundledTestFiles(): string[] {
  const memo = new Map<string, boolean>();
  const needsBuild = (file: string, open: Set<string>): boolean => {
    const known = memo.get(file);
    if (known !== undefined) return known;
    if (open.has(file)) return false; // an import cycle: decided where it started
    open.add(file);
    const text = readFileSync(file, 'utf8');
    let needs = file !== assets && usesBuild.test(text);
    for (const m of needs ? [] : text.matchAll(relativeImport)) {
      const dep = resolveImport(file, m[1] as string);
      if (dep !== undefined && needsBuild(dep, open)) {
        needs = true;
        break;
      }
    }
    open.delete(file);
    memo.set(file, needs);
    return needs;
  };
  return readdirSync(path.join(root, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/${f.split(path.sep).join('/')}`)
    .filter((f) => needsBuild(path.join(root, f), new Set()))
    .sort();
}
