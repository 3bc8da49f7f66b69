#!/usr/bin/env node
/**
 * Fetches the real-world corpus (test/corpus/corpus.json): WASI and WASI-looking modules from published npm packages
 * that nobody here built. Each entry is pinned by package version, the tarball's sha256 and the module's sha256; the
 * modules are cached in a git-ignored folder (never committed).
 *
 * Usage: node scripts/corpus-fetch.mjs [--cache DIR] [--only id,id]
 *   default cache: $WASM_P2_CHECK_CORPUS_CACHE or .cache/corpus (in the repository)
 * Exit status: 0 all present; 1 a download or checksum failed (the message says which); 3 the registry is unreachable.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The corpus description: one entry per module. */
export async function loadCorpus() {
  return JSON.parse(await readFile(path.join(root, 'test', 'corpus', 'corpus.json'), 'utf8'));
}

export function defaultCacheDir() {
  return process.env.WASM_P2_CHECK_CORPUS_CACHE ?? path.join(root, '.cache', 'corpus');
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

export class RegistryUnreachable extends Error {}

/** True when `npm pack` failed because the registry could not be reached (not because the package is bad). */
function isNetworkError(text) {
  return /E(NOTFOUND|AI_AGAIN|CONNREFUSED|CONNRESET|TIMEDOUT|NETUNREACH)|network|socket hang up|fetch failed|getaddrinfo/i.test(text);
}

/**
 * Makes sure every entry's module is in `cacheDir` as `<id>.wasm` with the pinned sha256.
 * @returns map id → path
 * @throws RegistryUnreachable when npm cannot reach the registry; Error on a checksum mismatch.
 */
export async function fetchCorpus({ cacheDir = defaultCacheDir(), only, log = () => {} } = {}) {
  const corpus = await loadCorpus();
  await mkdir(cacheDir, { recursive: true });
  const out = new Map();
  const entries = corpus.entries.filter((e) => !only || only.includes(e.id));
  // One tarball can hold several entries.
  const byTarball = new Map();
  for (const e of entries) {
    const key = `${e.package}@${e.version}`;
    if (!byTarball.has(key)) byTarball.set(key, []);
    byTarball.get(key).push(e);
  }
  for (const [spec, list] of byTarball) {
    const missing = [];
    for (const e of list) {
      const dest = path.join(cacheDir, `${e.id}.wasm`);
      if (existsSync(dest) && sha256(await readFile(dest)) === e.sha256) out.set(e.id, dest);
      else missing.push(e);
    }
    if (missing.length === 0) continue;
    const work = await mkdtemp(path.join(tmpdir(), 'corpus-'));
    try {
      log(`fetching ${spec}`);
      let json;
      try {
        ({ stdout: json } = await run('npm', ['pack', spec, '--json', '--silent', '--pack-destination', work], {
          maxBuffer: 16 << 20,
          timeout: 600_000,
        }));
      } catch (e) {
        const text = `${e.stderr ?? ''}\n${e.message}`;
        if (isNetworkError(text))
          throw new RegistryUnreachable(`npm registry unreachable while fetching ${spec}: ${text.trim().split('\n').pop()}`);
        throw new Error(`npm pack ${spec} failed: ${text.trim()}`);
      }
      const filename = JSON.parse(json)[0].filename.replace(/^@/, '').replace(/\//g, '-');
      const tgz = path.join(work, filename);
      const got = sha256(await readFile(tgz));
      if (got !== list[0].tarballSha256) throw new Error(`${spec}: tarball sha256 ${got}, pinned ${list[0].tarballSha256}`);
      // Several entries may be one module run differently (their own sandbox): extract each file once.
      const files = [...new Set(missing.map((e) => e.file))];
      await run('tar', ['-xzf', tgz, '-C', work, ...files]);
      for (const e of missing) {
        const src = path.join(work, e.file);
        const bytes = await readFile(src);
        const h = sha256(bytes);
        if (h !== e.sha256) throw new Error(`${e.id}: ${e.file} in ${spec} has sha256 ${h}, pinned ${e.sha256}`);
        const dest = path.join(cacheDir, `${e.id}.wasm`);
        await copyFile(src, dest);
        out.set(e.id, dest);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  try {
    const got = await fetchCorpus({
      cacheDir: opt('--cache') ?? defaultCacheDir(),
      only: opt('--only')?.split(','),
      log: (m) => console.error(m),
    });
    for (const [id, p] of got) console.log(`${id}\t${p}`);
  } catch (e) {
    console.error(e.message);
    process.exit(e instanceof RegistryUnreachable ? 3 : 1);
  }
}
