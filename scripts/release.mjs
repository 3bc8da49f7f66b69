#!/usr/bin/env node
// Releases the version in package.json: checks, tags, publishes the notes, moves the major tag.
//
//   node scripts/release.mjs [--dry-run] [--remote NAME] [--notes-out FILE]      (npm run release)
//
// 1. the working tree is clean and HEAD is what is released; the tag vX.Y.Z does not exist yet;
// 2. dist/ (bundles, assets, licenses.txt) is exactly what the sources build: a fresh build into a temporary folder
//    is compared file by file with dist/;
// 3. CHANGELOG.md has a non-empty `## [X.Y.Z] - YYYY-MM-DD` section: the release notes;
// 4. annotated tags vX.Y.Z and vX (the moving major tag users pin: `uses: wasm-p2-check/wasm-p2-check@v1`) at HEAD;
// 5. unless --dry-run: pushes both tags (vX forced) and creates the GitHub release with the notes through the REST
//    API (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL — what the release workflow has).
// --dry-run does 1–4 in the local repository only (run it in a clone: test/release.test.ts does) and prints what it
// would push and publish. Any failed check stops before anything is tagged.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
const fail = (message) => {
  console.error(`release: ${message}`);
  process.exit(1);
};

/** The notes of `version` from a Keep-a-Changelog file: the body of its `## [version]` section. */
export function releaseNotes(changelog, version) {
  const lines = changelog.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`## [${version}]`));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^## \[/.test(l));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .replace(/^\[[^\]]+\]: .*$/gm, '')
    .trim();
}

/** Files under dir, relative, sorted. */
function listFiles(dir, rel = '') {
  return readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

/** What differs between dist/ and a fresh build: files missing, extra or changed. */
function staleDist() {
  const fresh = mkdtempSync(path.join(tmpdir(), 'wasm-p2-check-release-'));
  try {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--outdir', fresh], { cwd: root, stdio: 'pipe' });
    const dist = path.join(root, 'dist');
    const want = listFiles(fresh);
    const have = statSync(dist, { throwIfNoEntry: false }) ? listFiles(dist) : [];
    const out = [];
    for (const f of want) {
      if (!have.includes(f)) out.push(`missing ${f}`);
      else if (!readFileSync(path.join(fresh, f)).equals(readFileSync(path.join(dist, f)))) out.push(`changed ${f}`);
    }
    for (const f of have) if (!want.includes(f)) out.push(`extra ${f}`);
    return out;
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

async function publish(tag, notes) {
  const token = process.env.GITHUB_TOKEN;
  const repo = process.env.GITHUB_REPOSITORY;
  if (!token || !repo) fail('GITHUB_TOKEN and GITHUB_REPOSITORY are needed to publish the release');
  const api = process.env.GITHUB_API_URL ?? 'https://api.github.com';
  const res = await fetch(`${api}/repos/${repo}/releases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
    body: JSON.stringify({ tag_name: tag, name: tag, body: notes, make_latest: 'true' }),
  });
  if (!res.ok) fail(`creating the release ${tag} failed: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()).html_url;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values: opts } = parseArgs({
    options: {
      'dry-run': { type: 'boolean', default: false },
      remote: { type: 'string', default: 'origin' },
      'notes-out': { type: 'string' },
    },
  });
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version ?? '');
  if (!m) fail(`package.json's version '${version}' is not X.Y.Z`);
  const tag = `v${version}`;
  const major = `v${m[1]}`;
  if (m[1] === '0') fail(`version ${version}: a 0.x release has no stable major tag to move; set 1.0.0 or later`);

  const dirty = git('status', '--porcelain', '--untracked-files=no');
  if (dirty) fail(`the working tree has uncommitted changes:\n${dirty}`);
  if (git('tag', '--list', tag)) fail(`the tag ${tag} exists already: bump the version in package.json and CHANGELOG.md`);

  const notes = releaseNotes(readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), version);
  if (notes === undefined) fail(`CHANGELOG.md has no '## [${version}]' section`);
  if (!notes) fail(`CHANGELOG.md's '## [${version}]' section is empty`);

  console.log('release: building from the sources to compare with dist/ …');
  const stale = staleDist();
  if (stale.length) fail(`dist/ is stale (run 'npm run build' and commit dist/):\n  ${stale.join('\n  ')}`);

  const head = git('rev-parse', 'HEAD');
  git('tag', '-a', tag, '-m', `wasm-p2-check ${tag}`, head);
  git('tag', '-f', '-a', major, '-m', `wasm-p2-check ${major} (now ${tag})`, head);
  if (opts['notes-out']) writeFileSync(opts['notes-out'], `${notes}\n`);
  console.log(`release: tagged ${tag} and moved ${major} to ${head.slice(0, 12)}`);

  if (opts['dry-run']) {
    console.log(`release: dry run: would push ${tag} and ${major} (forced) to ${opts.remote} and publish these notes:\n\n${notes}\n`);
  } else {
    git('push', opts.remote, `refs/tags/${tag}`);
    git('push', '--force', opts.remote, `refs/tags/${major}`);
    console.log(`release: published ${await publish(tag, notes)}`);
  }
}
