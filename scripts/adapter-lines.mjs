#!/usr/bin/env node
/**
 * Derives the adapter line table (src/diagnose/adapter-lines/adapter-lines.json) from the
 * public source of wasmtime's WASI Preview 1 adapter
 * (crates/wasi-preview1-component-adapter/src/{lib.rs,descriptors.rs}).
 *
 * The adapter reports failed checks as `assertion failed at adapter line N` (v23+; earlier
 * `unreachable executed at adapter line N: assertion failed`) or
 * `unreachable executed at adapter line N[: message]`, where N is `line!()` at the
 * `assert!` / `assert_eq!` / `unreachable!` invocation. `.trapping_unwrap()` and the
 * `unwrap_or_else(|| unreachable!())` helpers report the helper's own line.
 *
 * Usage:
 *   node scripts/adapter-lines.mjs --git <wasmtime git dir> [--from 10] [--tags v33.0.0,v48.0.0]
 *     [--ref 49.0.0=<commit>]   a release whose tag the clone lacks, read at a commit whose adapter source is that
 *                               release's (say why in REF_NOTES below)
 *   node scripts/adapter-lines.mjs --dir <dir with <version>/lib.rs [+ descriptors.rs]>
 *   options: --out <file> (default: src/diagnose/adapter-lines/adapter-lines.json), --print
 *
 * Only the derived table is committed, never the upstream source.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const ADAPTER_DIR = 'crates/wasi-preview1-component-adapter/src';
const FILES = ['lib.rs', 'descriptors.rs'];

/**
 * Bundled adapters that are byte-for-byte builds of a wasmtime release's adapter source.
 * Evidence is what we checked; keep it when adding entries.
 */
const ALIASES = {
  'jco@1.35.0': {
    sameAs: '47.0.0',
    evidence:
      "lib/wasi_snapshot_preview1.{command,reactor}.wasm in @bytecodealliance/jco@1.35.0: producers 'wit-bindgen-rust 0.58.0' " +
      '(the wit-bindgen wasmtime pins only in v47.0.x: v46 has 0.57.0, v48 0.60.0) and imports wasi:cli@0.2.12; ' +
      "the adapter's lib.rs and descriptors.rs are identical in v46.0.0–v48.0.0, " +
      'so line numbers match v46–v48 (State magic1/magic2 = 2857/2858).',
  },
};

/** Why a --ref commit stands for a release (kept in the table next to the version). */
const REF_NOTES = {
  '49.0.0':
    'read at wasmtime main e6b33de5 (2026-08-21, workspace version 49.0.0-dev): ' +
    'the adapter source there is byte-identical to v48.0.0, and the v49 tag was not in the clone used; ' +
    'the 49 release branch is cut from main, so its adapter lines are these unless a backport changed the adapter.',
};

function parseArgs(argv) {
  const args = { from: 10, refs: [], out: 'src/diagnose/adapter-lines/adapter-lines.json', print: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--git') args.git = value();
    else if (a === '--dir') args.dir = value();
    else if (a === '--from') args.from = Number(value());
    else if (a === '--tags') args.tags = value().split(',');
    else if (a === '--ref') {
      const [version, ref] = value().split('=');
      args.refs.push({ version, ref });
    } else if (a === '--out') args.out = value();
    else if (a === '--print') args.print = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.git === !args.dir) throw new Error('give exactly one of --git <dir> or --dir <dir>');
  return args;
}

/** @returns {Array<{version: string, tag?: string, commit?: string, files: Record<string, string>}>} */
function readSources(args) {
  if (args.git) {
    const git = (...a) => execFileSync('git', ['--git-dir', args.git, ...a], { encoding: 'utf8', maxBuffer: 64 << 20 });
    let tags =
      args.tags ??
      git('tag', '--list', 'v*')
        .split('\n')
        .filter((t) => /^v\d+\.\d+\.\d+$/.test(t));
    tags = tags.filter((t) => Number(t.slice(1).split('.')[0]) >= args.from);
    const out = [];
    for (const tag of tags) {
      const files = {};
      for (const f of FILES) {
        try {
          files[f] = git('show', `${tag}:${ADAPTER_DIR}/${f}`);
        } catch {
          /* file absent in this release */
        }
      }
      if (!files['lib.rs']) continue;
      out.push({ version: tag.slice(1), tag, commit: git('rev-list', '-n', '1', tag).trim(), files });
    }
    for (const { version, ref } of args.refs) {
      if (out.some((o) => o.version === version)) continue;
      const files = {};
      for (const f of FILES) {
        try {
          files[f] = git('show', `${ref}:${ADAPTER_DIR}/${f}`);
        } catch {
          /* absent */
        }
      }
      if (files['lib.rs']) out.push({ version, tag: `v${version}`, commit: git('rev-parse', ref).trim(), files, note: REF_NOTES[version] });
    }
    return out.sort((a, b) => semver.compare(a.version, b.version));
  }
  return readdirSync(args.dir)
    .filter((d) => existsSync(join(args.dir, d, 'lib.rs')))
    .map((d) => {
      const files = {};
      for (const f of FILES) if (existsSync(join(args.dir, d, f))) files[f] = readFileSync(join(args.dir, d, f), 'utf8');
      const version = d.replace(/^v/, '');
      return { version, tag: `v${version}`, files };
    })
    .sort((a, b) => semver.compare(a.version, b.version));
}

/* ───────────────────────── scanning ───────────────────────── */

const SITE_RE = /\b(assert|assert_eq|assert_ne|unreachable)!\s*\(/g;

/** Blank out comments and string/char literal contents so we don't match inside them (keeps columns). */
function maskLine(line) {
  let out = '';
  let inStr = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (!inStr && c === '/' && line[i + 1] === '/') return out + ' '.repeat(line.length - i);
    if (c === '"' && line[i - 1] !== '\\') {
      inStr = !inStr;
      out += c;
      continue;
    }
    out += inStr ? ' ' : c;
  }
  return out;
}

/** The macro invocation text from `start` until its parentheses balance (may span lines). */
function invocationText(lines, lineIdx, col) {
  let depth = 0;
  let text = '';
  let started = false;
  for (let l = lineIdx; l < lines.length && l < lineIdx + 40; l++) {
    const raw = lines[l];
    const masked = maskLine(raw);
    for (let i = l === lineIdx ? col : 0; i < raw.length; i++) {
      const c = masked[i];
      text += raw[i];
      if (c === '(') {
        depth++;
        started = true;
      } else if (c === ')') {
        depth--;
        if (started && depth === 0) return text.replace(/\s+/g, ' ').trim();
      }
    }
    text += ' ';
  }
  return text.replace(/\s+/g, ' ').trim();
}

const indentOf = (s) => /^\s*/.exec(s)[0].length;

/** Enclosing `fn` and the `impl`/`trait` it belongs to. */
function enclosing(lines, idx) {
  const siteIndent = indentOf(lines[idx]);
  let fn;
  let fnIndent = siteIndent;
  let owner;
  for (let l = idx; l >= 0; l--) {
    const line = lines[l];
    if (line.trim() === '' || /^\s*(\/\/|#)/.test(line)) continue;
    const ind = indentOf(line);
    if (!fn) {
      const m = /^\s*(?:pub(?:\([\w:]+\))?\s+)?(?:const\s+)?(?:unsafe\s+)?(?:extern\s+"C"\s+)?fn\s+(\w+)/.exec(line);
      if (m && ind < siteIndent) {
        fn = m[1];
        fnIndent = ind;
      }
      continue;
    }
    if (ind < fnIndent) {
      const impl = /^\s*(?:unsafe\s+)?impl(?:<[^>]*>)?\s+(.*?)\s*(?:where\b.*)?\{?\s*$/.exec(line);
      if (impl) {
        const forType = /\bfor\s+([\w:]+)/.exec(impl[1]);
        const trait = /^([\w:]+)/.exec(impl[1]);
        owner = forType ? forType[1] : trait?.[1];
        break;
      }
      if (/^\s*(?:pub\s+)?(?:unsafe\s+)?(?:trait|mod)\s+/.test(line)) break;
      if (/^\S/.test(line) && !/^[})]/.test(line)) break;
    }
  }
  return { fn, owner };
}

function condition(macro, invocation) {
  const inner = invocation
    .replace(/^\w+!\s*\(/, '')
    .replace(/\)\s*;?$/, '')
    .trim()
    .replace(/,\s*$/, '');
  if (macro === 'assert_eq') return inner.replace(/^(.*?),\s*(.*)$/, '$1 == $2');
  if (macro === 'assert_ne') return inner.replace(/^(.*?),\s*(.*)$/, '$1 != $2');
  return inner;
}

/** Curated labels for the checks users actually hit; the rest are derived from the code. */
function label(site) {
  const { macro, cond, fn, owner, file, code } = site;
  const where = owner && fn ? `${owner}::${fn}` : (fn ?? owner ?? file);
  if (/magic1\s*==\s*MAGIC|magic1, MAGIC/.test(cond)) return { check: 'State::with magic1 canary', category: 'state-canary' };
  if (/magic2\s*==\s*MAGIC|magic2, MAGIC/.test(cond)) return { check: 'State::with magic2 canary', category: 'state-canary' };
  if (fn === 'trapping_unwrap')
    return {
      check: `trapping_unwrap on ${/Err/.test(code) ? 'Err (Result)' : 'None (Option)'} — the call site is not identified by this line`,
      category: 'other',
    };
  if (macro === 'unreachable' && cond === '' && fn && /^(?:sock_\w+|proc_raise)$/.test(fn))
    return { check: `${fn}: not implemented by the adapter (traps)`, category: 'unsupported' };
  if (/descriptors/.test(fn ?? '') && /unwrap_or_else\(\|_\|\s*unreachable!/.test(code))
    return { check: `${where}: descriptor table already borrowed (re-entrant adapter call)`, category: 'descriptor' };
  if (/descriptors/.test(fn ?? '') && /unwrap_or_else\(\|\|\s*unreachable!/.test(code))
    return { check: `${where}: descriptor table missing after initialisation`, category: 'descriptor' };
  if (fn === 'new' && owner === 'State' && /StackAllocated/.test(cond))
    return { check: 'State::new: allocation state is not StackAllocated (re-entrant State allocation)', category: 'allocator' };
  let category = 'other';
  if (/alloc/i.test(`${fn} ${owner}`) || /alloc/i.test(cond)) category = 'allocator';
  else if (file === 'descriptors.rs' || /descriptor/i.test(`${fn} ${owner}`)) category = 'descriptor';
  if (macro === 'unreachable' && /not supported|no other implementation|unsupported|unimplemented|not implemented/i.test(cond))
    category = 'unsupported';
  if (fn === 'new' && owner === 'State' && /allocation_state|AllocationState/.test(cond)) category = 'allocator';
  let what;
  if (macro === 'unreachable') {
    const msg = /^"(.*)"$/.exec(cond);
    if (msg) what = `unreachable: ${msg[1]}`;
    else {
      const arm = /^\s*(.*?)\s*=>/.exec(code);
      what = arm ? `unexpected case \`${arm[1]}\`` : 'unreachable';
    }
  } else {
    what = cond.length > 90 ? `${cond.slice(0, 87)}...` : cond;
  }
  if (fn === 'cabi_import_realloc' || owner === 'ImportAlloc') what = `import allocator: ${what}`;
  else if (owner === 'BumpAlloc') what = `BumpAlloc: ${what}`;
  return { check: `${where}: ${what}`, category };
}

function scanFile(file, text) {
  const lines = text.split('\n');
  const sites = [];
  for (let i = 0; i < lines.length; i++) {
    const masked = maskLine(lines[i]);
    SITE_RE.lastIndex = 0;
    let m;
    while ((m = SITE_RE.exec(masked))) {
      const macro = m[1];
      const invocation = invocationText(lines, i, m.index);
      const { fn, owner } = enclosing(lines, i);
      const site = {
        line: i + 1,
        file,
        kind: macro === 'unreachable' ? 'unreachable' : 'assertion',
        macro,
        fn,
        owner,
        cond: condition(macro, invocation),
        code: lines[i].trim(),
      };
      sites.push({ ...site, ...label(site) });
    }
  }
  return sites;
}

/* ───────────────────────── build the table ───────────────────────── */

function main() {
  const args = parseArgs(process.argv.slice(2));
  const sources = readSources(args);
  if (sources.length === 0) throw new Error('no adapter sources found');
  const builds = [];
  const versions = {};
  for (const src of sources) {
    const sites = [];
    for (const f of FILES) if (src.files[f]) sites.push(...scanFile(f, src.files[f]));
    const record = sites.map((s) => ({
      line: s.line,
      file: s.file,
      kind: s.kind,
      check: s.check,
      category: s.category,
      ...(s.fn ? { fn: s.owner ? `${s.owner}::${s.fn}` : s.fn } : {}),
      code: s.code.length > 160 ? `${s.code.slice(0, 157)}...` : s.code,
    }));
    const key = JSON.stringify(record);
    let build = builds.find((b) => b.key === key);
    if (!build) {
      build = { key, versions: [], sites: record };
      builds.push(build);
    }
    build.versions.push(src.version);
    const major = Number(src.version.split('.')[0]);
    versions[src.version] = {
      tag: src.tag,
      ...(src.commit ? { commit: src.commit } : {}),
      build: builds.indexOf(build),
      ...(src.note ? { note: src.note } : {}),
      message: major >= 23 ? 'assertion failed at adapter line N' : 'unreachable executed at adapter line N: assertion failed',
    };
  }
  const table = {
    $comment:
      'Generated by scripts/adapter-lines.mjs from the public source of bytecodealliance/wasmtime, ' +
      'crates/wasi-preview1-component-adapter/src/{lib.rs,descriptors.rs} at each release tag (see versions[v].tag/commit). ' +
      'Maps the N of `assertion failed at adapter line N` / `unreachable executed at adapter line N` to the check at that line. ' +
      'Do not edit by hand; re-run the script.',
    source: { repo: 'bytecodealliance/wasmtime', path: ADAPTER_DIR, files: FILES },
    versions,
    aliases: ALIASES,
    builds: builds.map(({ versions: v, sites }) => ({ versions: v, sites })),
  };
  const json = `${JSON.stringify(table, null, 1)}\n`;
  if (args.print) process.stdout.write(json);
  else {
    writeFileSync(args.out, json);
    console.error(`${Object.keys(versions).length} versions, ${builds.length} distinct builds → ${args.out}`);
  }
}

main();
