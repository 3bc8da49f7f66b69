import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
/** Biome's formatter.lineWidth; the formatter cannot break a string, a template or a comment, so this test does. */
const MAX = 140;

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    // Generated code (scripts/gen-report-validator.mjs) is not written by hand; Biome skips it too (biome.json).
    return /\.(ts|mjs)$/.test(e.name) && !/\.generated\.ts$/.test(e.name) ? [rel] : [];
  });
}

describe(`lines of src/ (at most ${MAX} characters)`, () => {
  it('none is longer, but for a line that starts a regex literal, kept whole (the ReDoS test scans regex literals)', () => {
    const long = sources('src').flatMap((file) =>
      readFileSync(path.join(root, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (line.length > MAX && !/^\s*(?:[\w.]+\s*[:=]\s*)?\/[^/*]/.test(line) ? [`${file}:${i + 1}`] : [])),
    );
    expect(long).toEqual([]);
  });
});
