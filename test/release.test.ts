/**
 * The release script (scripts/release.mjs) in its dry-run mode, on a temporary clone of this repository whose origin
 * is a local bare repository: it tags vX.Y.Z, moves the major tag from the previous release to HEAD, writes the notes
 * of the CHANGELOG section, pushes nothing; and it refuses, tagging nothing, when dist/ is stale, the CHANGELOG has no
 * section for the version, the tag exists, or the tree is dirty.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'p2c-release-'));
const origin = path.join(tmp, 'origin.git');
const work = path.join(tmp, 'work');
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'release test',
  GIT_AUTHOR_EMAIL: 'release-test@example.invalid',
  GIT_COMMITTER_NAME: 'release test',
  GIT_COMMITTER_EMAIL: 'release-test@example.invalid',
  GITHUB_TOKEN: '',
};
const git = (...args: string[]) => execFileSync('git', args, { cwd: work, env, encoding: 'utf8' }).trim();

async function release(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, ['scripts/release.mjs', '--dry-run', ...args], { cwd: work, env });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

const NOTES = '### Fixed\n- The comment names the commit.\n\n### Added\n- `comment-title`.';

beforeAll(() => {
  execFileSync('git', ['clone', '--quiet', '--bare', root, origin], { env });
  execFileSync('git', ['clone', '--quiet', origin, work], { env });
  symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  // A previous release, v1.1.0, with the major tag v1 on it.
  git('tag', '-a', 'v1.1.0', '-m', 'v1.1.0');
  git('tag', '-a', 'v1', '-m', 'v1');
  // The release commit: version, CHANGELOG section, dist/ rebuilt from these sources.
  const pkg = JSON.parse(readFileSync(path.join(work, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(path.join(work, 'package.json'), `${JSON.stringify({ ...pkg, version: '1.2.0' }, null, 2)}\n`);
  const changelog = readFileSync(path.join(work, 'CHANGELOG.md'), 'utf8');
  const at = changelog.indexOf('\n## [');
  writeFileSync(path.join(work, 'CHANGELOG.md'), `${changelog.slice(0, at)}\n## [1.2.0] - 2026-12-08\n\n${NOTES}\n${changelog.slice(at)}`);
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: work, env, stdio: 'pipe' });
  git('add', '-A', 'package.json', 'CHANGELOG.md', 'dist');
  git('commit', '--quiet', '-m', 'release 1.2.0');
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('scripts/release.mjs --dry-run', () => {
  it('refuses a stale dist/ and tags nothing', async () => {
    const cli = path.join(work, 'dist', 'cli.js');
    const original = readFileSync(cli, 'utf8');
    writeFileSync(cli, `${original}\n// edited by hand\n`);
    git('commit', '--quiet', '-am', 'a hand edit in dist/');
    const r = await release();
    git('reset', '--quiet', '--hard', 'HEAD~1');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/dist\/ is stale[\s\S]*changed cli\.js/);
    expect(git('tag', '--list', 'v1.2.0')).toBe('');
  });

  it('refuses a version without a CHANGELOG section, an existing tag, a dirty tree', async () => {
    const pkgFile = path.join(work, 'package.json');
    const pkg = readFileSync(pkgFile, 'utf8');
    writeFileSync(pkgFile, pkg.replace('"version": "1.2.0"', '"version": "1.3.0"'));
    expect((await release()).out).toMatch(/uncommitted changes/);
    git('commit', '--quiet', '-am', 'bump without notes');
    const noNotes = await release();
    expect(noNotes.code).toBe(1);
    expect(noNotes.out).toMatch(/CHANGELOG\.md has no '## \[1\.3\.0\]' section/);
    git('reset', '--quiet', '--hard', 'HEAD~1');
    git('tag', 'v1.2.0');
    const tagged = await release();
    git('tag', '-d', 'v1.2.0');
    expect(tagged.code).toBe(1);
    expect(tagged.out).toMatch(/the tag v1\.2\.0 exists already/);
  });

  it('tags vX.Y.Z, moves vX from the previous release to HEAD, writes the notes, pushes nothing', async () => {
    const before = git('rev-parse', 'v1^{commit}');
    const head = git('rev-parse', 'HEAD');
    expect(before).not.toBe(head);
    const notes = path.join(tmp, 'notes.md');
    const r = await release('--notes-out', notes);
    expect(r.out).toContain('would push v1.2.0 and v1');
    expect(r.code).toBe(0);
    expect(git('rev-parse', 'v1.2.0^{commit}')).toBe(head);
    expect(git('rev-parse', 'v1^{commit}')).toBe(head);
    expect(git('rev-parse', 'v1.1.0^{commit}')).toBe(before);
    expect(git('cat-file', '-t', 'v1.2.0')).toBe('tag');
    expect(readFileSync(notes, 'utf8')).toBe(`${NOTES}\n`);
    expect(execFileSync('git', ['tag', '--list'], { cwd: origin, encoding: 'utf8' }).trim()).toBe('');
  });
});
