import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
  });
}

// The Action runs from the committed dist/: a change in src/ that is not rebuilt would ship stale code.
describe('dist/', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'wasm-p2-check-dist-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('is what scripts/build.mjs builds from the current sources', () => {
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--outdir', out], { cwd: root, stdio: 'pipe' });
    const built = listFiles(out).sort();
    const committed = listFiles(path.join(root, 'dist')).sort();
    expect(committed, 'dist/ has other files than a fresh build: run npm run build and commit dist/').toEqual(built);
    const stale = built.filter((f) => !readFileSync(path.join(out, f)).equals(readFileSync(path.join(root, 'dist', f))));
    expect(stale, 'dist/ is stale: run npm run build and commit dist/').toEqual([]);
  });
});
