/**
 * The warm path loads nothing it does not use (issue 20): a run whose results all come from the cache parses no
 * signature (test/cache.test.ts) and so needs no YAML parser, and a run on the embedded runtime starts no tool
 * (execa). In the bundle they sit in chunks that `build/cli.js` only imports dynamically, at their seams: Node never
 * reads, compiles or evaluates them on a warm run. (ajv stays: report/json.ts validates saved reports synchronously.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import './build-once.js';

const build = path.resolve(import.meta.dirname, '..', 'build');
const staticImport = /^(?:import|export)\s[^;]*?from\s*"(\.\/[^"]+)";?$|^import\s*"(\.\/[^"]+)";?$/gm;

/** The files Node loads when it starts `entry` (its static imports, transitively), with their text. */
function staticGraph(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(path.join(build, file), 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(staticImport)) visit(path.normalize(m[1] ?? m[2]!));
  };
  visit(entry);
  return seen;
}

describe('the CLI bundle loads heavy dependencies only where they are used', () => {
  it('cli.js reaches yaml and execa only through dynamic imports', () => {
    const graph = staticGraph('cli.js');
    expect(graph.size).toBeGreaterThan(1);
    // esbuild marks each bundled module with its path in a comment.
    for (const dep of ['yaml', 'execa'])
      for (const [file, text] of graph) expect(text.includes(`// node_modules/${dep}/`), `${dep} in ${file}`).toBe(false);
    // …and they are in the bundle, a dynamic import away (not missing from it).
    const dynamic = [...[...graph.values()].join('\n').matchAll(/import\("\.\/(chunk-[\w-]+\.js)"\)/g)].map((m) => m[1]!);
    const reachable = dynamic.map((file) => readFileSync(path.join(build, file), 'utf8')).join('\n');
    for (const dep of ['yaml', 'execa']) expect(reachable).toContain(`// node_modules/${dep}/`);
  });
});
