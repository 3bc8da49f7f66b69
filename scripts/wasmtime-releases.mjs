#!/usr/bin/env node
/**
 * Derives the wasmtime release table (src/versions/wasmtime-releases.json) from wasmtime's own source, one tag at a
 * time: which releases ship the wasi_snapshot_preview1 adapter, which WASI 0.2.x versions that adapter imports, which
 * versions and interfaces the release's host (wasmtime-wasi) implements, and whether its component linker matches
 * imports by semver (v19.0.0, #7994: `a:b/c@0.2.1` resolves to a defined `a:b/c@0.2.0` and the reverse).
 *
 *   node scripts/wasmtime-releases.mjs --git <wasmtime git dir> [--from 10] [--out FILE] [--print]
 *     [--ref 49.0.0=<commit>]   a release whose tag the clone lacks, read at a commit whose wit and adapter source are
 *                               that release's (say why in REF_NOTES below; the entry carries the note)
 *
 * Read per tag with `git show` (no work tree): the adapter's `wit_bindgen…::generate!` wit path and its hard-coded
 * `#[link(wasm_import_module = "wasi:…@V")]` modules (crates/wasi-preview1-component-adapter/src/*.rs), and the
 * `package wasi:…@V;` / `interface …` lines of the host's wit (crates/wasi/wit or crates/wasi/src/p2/wit).
 * Only the derived table is committed, never the upstream source.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import semver from 'semver';

const ADAPTER = 'crates/wasi-preview1-component-adapter/src';
const HOST_WIT = ['crates/wasi/src/p2/wit', 'crates/wasi/wit'];
const SEMVER_LINKER = '19.0.0';
const NOTES_URL = 'https://github.com/bytecodealliance/wasmtime/releases/tag/v';

/** Why a --ref commit stands for a release. */
const REF_NOTES = {
  '49.0.0':
    'read at wasmtime main e6b33de5 (2026-08-21, workspace version 49.0.0-dev), not at the v49.0.0 tag (not in the clone used): ' +
    'its p2 wit and adapter source are identical to v48.0.0, and the 49 release branch is cut from main',
};

function parseArgs(argv) {
  const args = { from: 10, out: 'src/versions/wasmtime-releases.json', print: false, refs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--git') args.git = value();
    else if (a === '--from') args.from = Number(value());
    else if (a === '--out') args.out = value();
    else if (a === '--print') args.print = true;
    else if (a === '--ref') {
      const [version, commit] = value().split('=');
      if (!semver.valid(version) || !commit) throw new Error('--ref takes VERSION=COMMIT');
      if (!REF_NOTES[version]) throw new Error(`--ref ${version}: add a REF_NOTES entry saying why that commit stands for it`);
      args.refs.push({ version, commit });
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!args.git) throw new Error('--git <wasmtime git dir> is required');
  return args;
}

const git = (dir, ...a) => execFileSync('git', ['--git-dir', dir, ...a], { encoding: 'utf8', maxBuffer: 64 << 20 });
const tryGit = (dir, ...a) => {
  try {
    return git(dir, ...a);
  } catch {
    return undefined;
  }
};

function witFiles(dir, tag, root) {
  const list = tryGit(dir, 'ls-tree', '-r', '--name-only', tag, '--', `${root}/`);
  return (list ?? '').split('\n').filter((f) => f.endsWith('.wit'));
}

/** `package wasi:cli@0.2.3;` → versions by package; `interface environment {` → interfaces by package. */
function readWit(dir, tag, root) {
  const packages = {};
  const texts = witFiles(dir, tag, root).map((file) => ({ file, text: git(dir, 'show', `${tag}:${file}`) }));
  // A package's files share a folder and only one of them needs the `package` line: the folder names the package.
  const byFolder = {};
  for (const { file, text } of texts) {
    const pkg = /^\s*package\s+(wasi:[a-z-]+)@([0-9][^;{\s]*)\s*;/m.exec(text);
    if (pkg) byFolder[file.slice(0, file.lastIndexOf('/'))] = pkg[1];
  }
  for (const { file, text } of texts) {
    // One file may also hold several packages (nested `package wasi:io@0.2.12 { … }`).
    let current = byFolder[file.slice(0, file.lastIndexOf('/'))];
    for (const line of text.split('\n')) {
      const pkg = /^\s*package\s+(wasi:[a-z-]+)@([0-9][^;{\s]*)\s*[;{]/.exec(line);
      if (pkg) {
        current = pkg[1];
        const entry = (packages[current] ??= { version: pkg[2], interfaces: new Set() });
        if (semver.gt(pkg[2], entry.version)) entry.version = pkg[2];
        continue;
      }
      const iface = /^\s*interface\s+([a-z][a-z0-9-]*)\s*\{/.exec(line);
      if (iface && current) (packages[current] ??= { version: '0.0.0', interfaces: new Set() }).interfaces.add(iface[1]);
    }
  }
  return packages;
}

function adapterFacts(dir, tag) {
  const lib = tryGit(dir, 'show', `${tag}:${ADAPTER}/lib.rs`);
  if (lib === undefined) return undefined;
  const descriptors = tryGit(dir, 'show', `${tag}:${ADAPTER}/descriptors.rs`) ?? '';
  // The command world's bindings: `generate!({ path: "../wasi/wit", world: "wasi:cli/command…"`.
  const gen = /generate!\(\{\s*path:\s*"([^"]+)"/.exec(lib);
  const witRoot = gen ? `crates/${gen[1].replace(/^\.\.\//, '')}` : undefined;
  const versions = new Set();
  if (witRoot) for (const p of Object.values(readWit(dir, tag, witRoot))) versions.add(p.version);
  for (const m of `${lib}\n${descriptors}`.matchAll(/wasm_import_module\s*=\s*"wasi:[a-z-]+\/[a-z-]+@([^"]+)"/g)) {
    versions.add(m[1]);
  }
  return { witRoot, imports: [...versions].sort((a, b) => semver.rcompare(a, b)) };
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const tags = git(args.git, 'tag', '--list', 'v*')
    .split('\n')
    .map((t) => t.trim())
    .filter((t) => /^v\d+\.\d+\.\d+$/.test(t) && semver.major(t.slice(1)) >= args.from)
    .sort((a, b) => semver.compare(a.slice(1), b.slice(1)));
  const releases = [];
  // Interface lists repeat release after release: each distinct list is stored once, named by its WASI version(s).
  const interfaceSets = {};
  const setName = (wasi, list) => {
    const base = wasi.join('+') || 'none';
    for (let n = 1; ; n++) {
      const name = n === 1 ? base : `${base}#${n}`;
      const known = interfaceSets[name];
      if (!known) interfaceSets[name] = list;
      if (!known || known.join() === list.join()) return name;
    }
  };
  const points = [
    ...tags.map((tag) => ({ tag, version: tag.slice(1) })),
    ...args.refs.map((r) => ({ tag: r.commit, version: r.version, note: REF_NOTES[r.version] })),
  ].sort((a, b) => semver.compare(a.version, b.version));
  for (const { tag, version, note } of points) {
    const date = note ? undefined : git(args.git, 'log', '-1', '--format=%cs', tag).trim();
    const adapter = adapterFacts(args.git, tag);
    const hostRoot = HOST_WIT.find((r) => witFiles(args.git, tag, r).length > 0);
    const host = hostRoot ? readWit(args.git, tag, hostRoot) : {};
    const hostVersions = [...new Set(Object.values(host).map((p) => p.version))].sort((a, b) => semver.rcompare(a, b));
    releases.push({
      version,
      ...(date ? { date } : {}),
      ...(note ? { derivedFrom: note } : {}),
      notes: `${NOTES_URL}${version}`,
      adapter: adapter !== undefined,
      adapterImports: adapter?.imports ?? [],
      host: {
        wasi: hostVersions,
        semverLinking: semver.gte(version, SEMVER_LINKER),
        interfaces: setName(
          hostVersions,
          Object.entries(host)
            .flatMap(([pkg, p]) => [...p.interfaces].map((i) => `${pkg}/${i}@${p.version}`))
            .sort(),
        ),
      },
    });
  }
  const table = {
    source:
      'derived by scripts/wasmtime-releases.mjs from the tags of github.com/bytecodealliance/wasmtime ' +
      '(crates/wasi-preview1-component-adapter/src, crates/wasi wit)',
    semverLinkingSince: SEMVER_LINKER,
    interfaceSets,
    releases,
  };
  // One release a line: the table stays readable in a diff and small in the bundle.
  const rows = releases.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  const head = JSON.stringify({ ...table, releases: [] }, null, 2).replace(/"releases": \[\]\n\}$/, '');
  const json = `${head}"releases": [\n${rows}\n  ]\n}\n`;
  if (args.print) process.stdout.write(json);
  else writeFileSync(args.out, json);
  console.error(
    `wasmtime-releases: ${releases.length} releases (${points[0].version}…${points.at(-1).version}) -> ${args.print ? 'stdout' : args.out}`,
  );
}

main();
