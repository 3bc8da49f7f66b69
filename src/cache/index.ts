/**
 * The result cache: a checked artifact's `ArtifactResult`, stored under a content-addressed key made of everything that
 * can change it — the artifact's bytes and file name (argv[0]), the adapter's bytes, the runtime and its version, every
 * sandbox option (argument values, environment values, the preopened directories' and the stdin file's contents, the
 * time limit, the output cap), the signature database and the wasm-p2-check version.
 *
 * The pipeline reads and writes it through an injected `ResultStore`; where the store lives (a user cache folder, a
 * folder persisted by `@actions/cache`) is the shells' choice. A store is shared (between runs, between branches of a
 * repository), so every entry read back is untrusted: it is used only when it parses, names the key it was asked for,
 * was written by this very version, and validates against the report schema.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, rename, rm, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { REPORT_SCHEMA_VERSION, type ArtifactResult, type Preopen, type RuntimeId, type Sandbox, type Verdict } from '../model.js';
import { artifactResultProblems } from '../report/json.js';
import { BUILD, VERSION } from '../package/version.js';

/** Where results are kept. Text in, text out: the pipeline decodes and validates what it reads. */
export interface ResultStore {
  /** The entry stored under `key`, or undefined (absent, unreadable, too large). */
  read(key: string): Promise<string | undefined>;
  /** Stores `text` under `key`, replacing any entry. */
  write(key: string, text: string): Promise<void>;
}

const KEY = /^[0-9a-f]{64}$/;
const ENTRY_FORMAT = 'wasm-p2-check/result-cache-entry';
/** An entry larger than this is not read (a result with two capped outputs of the largest cap fits well below it). */
const MAX_ENTRY_BYTES = 256 * 1024 * 1024;

/** A store in a folder: one `<key>.json` file per result, written atomically (temp file + rename). */
export function directoryStore(dir: string): ResultStore {
  const file = (key: string) => {
    if (!KEY.test(key)) throw new Error(`result cache: not a key: ${JSON.stringify(key)}`);
    return path.join(dir, key.slice(0, 2), `${key}.json`);
  };
  return {
    async read(key) {
      let handle: FileHandle | undefined;
      try {
        handle = await open(file(key), 'r');
        const info = await handle.stat();
        if (!info.isFile() || info.size > MAX_ENTRY_BYTES) return undefined;
        return await handle.readFile('utf8');
      } catch {
        return undefined;
      } finally {
        await handle?.close();
      }
    },
    async write(key, text) {
      const target = file(key);
      await mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      try {
        await writeFile(temp, text);
        await rename(temp, target);
      } catch (e) {
        await rm(temp, { force: true });
        throw e;
      }
    },
  };
}

function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted at every level: the same value always hashes the same. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

async function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A directory tree's contents (names, file bytes, symlink targets, empty directories): what a guest given this
 * preopen can see. Unreadable entries hash as such, so they still make a key differ from a readable tree.
 */
export async function directoryDigest(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    const names = (await readdir(path.join(dir, rel))).sort();
    for (const name of names) {
      const relPath = rel ? `${rel}/${name}` : name;
      const full = path.join(dir, relPath);
      const info = await lstat(full);
      if (info.isSymbolicLink()) hash.update(`l\0${relPath}\0${await readlink(full)}\0`);
      else if (info.isDirectory()) {
        hash.update(`d\0${relPath}\0`);
        await walk(relPath);
      } else if (info.isFile()) hash.update(`f\0${relPath}\0${await fileDigest(full).catch(() => 'unreadable')}\0`);
      else hash.update(`o\0${relPath}\0`);
    }
  };
  await walk('');
  return hash.digest('hex');
}

/** What every artifact of one check() shares in its key. */
export interface ResultContext {
  runtime: { requested: string; p1: RuntimeId; p2: RuntimeId };
  sandbox: Sandbox;
  /** The signature files' content (PreparedSignatures.version; not where the files lie). */
  signatures: string;
}

/**
 * The part of every key that one check() run shares, hashed once: tool and schema version, runtime, sandbox (with
 * the contents of preopens and stdin, not their paths), signature database.
 */
export async function contextDigest(context: ResultContext): Promise<string> {
  const { sandbox } = context;
  const dirs = await Promise.all(
    sandbox.dirs.map(async (d: Preopen) => ({
      guest: d.guest,
      content: await directoryDigest(d.host).catch((e: Error) => `unreadable: ${e.message}`),
    })),
  );
  return sha256(
    canonical({
      tool: VERSION,
      build: BUILD,
      schemaVersion: REPORT_SCHEMA_VERSION,
      runtime: context.runtime,
      // Every sandbox setting (limits included, whatever is added later), with folders and stdin by content.
      sandbox: {
        ...sandbox,
        dirs,
        stdinFile:
          sandbox.stdinFile === undefined ? null : await fileDigest(sandbox.stdinFile).catch((e: Error) => `unreadable: ${e.message}`),
      },
      signatures: context.signatures,
    }),
  );
}

/**
 * One artifact's key.
 * @param context from `contextDigest()`
 * @param artifactSha256 the artifact's bytes
 * @param programName the file name, which the guest sees as argv[0]
 * @param adapterSha256 the adapter that converts it (undefined for a component)
 */
export function resultKey(context: string, artifactSha256: string, programName: string, adapterSha256: string | undefined): string {
  return sha256(canonical({ context, artifact: artifactSha256, programName, adapter: adapterSha256 ?? null }));
}

/**
 * Verdicts that may come from circumstances rather than from the inputs (a host that could not start, a loaded
 * machine hitting the time limit): never stored, always checked again.
 */
const NOT_CACHED: readonly Verdict[] = ['ERROR', 'TIMEOUT'];

export function isCacheable(result: ArtifactResult): boolean {
  return !NOT_CACHED.includes(result.verdict) && result.p1?.hostError === undefined && result.p2?.hostError === undefined;
}

interface Entry {
  format: typeof ENTRY_FORMAT;
  tool: string;
  build: string;
  schemaVersion: number;
  key: string;
  storedAt: string;
  result: ArtifactResult;
}

export function encodeEntry(key: string, result: ArtifactResult, storedAt: Date = new Date()): string {
  const { cached: _cached, group: _group, ...plain } = result;
  const entry: Entry = {
    format: ENTRY_FORMAT,
    tool: VERSION,
    build: BUILD,
    schemaVersion: REPORT_SCHEMA_VERSION,
    key,
    storedAt: storedAt.toISOString(),
    result: plain,
  };
  return JSON.stringify(entry);
}

export type Decoded = { ok: true; result: ArtifactResult; storedAt: string } | { ok: false; reason: string };

/**
 * Reads an entry back, trusting nothing: it must be JSON in our format, written by this version for this key, about
 * an artifact with these bytes, and its result must validate against the report schema.
 */
export function decodeEntry(text: string, key: string, artifactSha256: string): Decoded {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { ok: false, reason: 'not an entry' };
  const e = data as Partial<Entry>;
  if (e.format !== ENTRY_FORMAT) return { ok: false, reason: 'not a result-cache entry' };
  if (e.tool !== VERSION || e.build !== BUILD || e.schemaVersion !== REPORT_SCHEMA_VERSION) {
    return { ok: false, reason: `written by wasm-p2-check ${String(e.tool)} build ${String(e.build)} (schema ${String(e.schemaVersion)})` };
  }
  if (e.key !== key) return { ok: false, reason: 'stored under another key' };
  if (typeof e.storedAt !== 'string' || Number.isNaN(Date.parse(e.storedAt))) return { ok: false, reason: 'no valid storedAt' };
  const problems = artifactResultProblems(e.result);
  if (problems.length > 0) return { ok: false, reason: `invalid result (${problems.join('; ')})` };
  const result = e.result!;
  if (result.artifact.sha256 !== artifactSha256) return { ok: false, reason: 'about another artifact' };
  if (!isCacheable(result)) return { ok: false, reason: `a ${result.verdict} result is never cached` };
  const { cached: _cached, group: _group, ...plain } = result;
  return { ok: true, result: plain, storedAt: e.storedAt };
}

/** A store that remembers which keys a run used (a hit read, or a write): what is worth keeping for the next run. */
export function trackingStore(inner: ResultStore): ResultStore & { used: Set<string> } {
  const used = new Set<string>();
  return {
    used,
    async read(key) {
      const text = await inner.read(key);
      if (text !== undefined) used.add(key);
      return text;
    },
    async write(key, text) {
      await inner.write(key, text);
      used.add(key);
    },
  };
}

/**
 * Removes from a `directoryStore` folder every entry whose key is not in `keep` (and anything else that is not an
 * entry), so a persisted cache holds what the last run used rather than growing forever.
 * @returns how many files were removed
 */
export async function retainOnly(dir: string, keep: Set<string>): Promise<number> {
  let removed = 0;
  for (const sub of await readdir(dir).catch(() => [] as string[])) {
    const subDir = path.join(dir, sub);
    const names = await readdir(subDir).catch(() => undefined);
    if (!names) {
      await rm(subDir, { force: true, recursive: true });
      removed++;
      continue;
    }
    for (const name of names) {
      const key = name.replace(/\.json$/, '');
      if (KEY.test(key) && name === `${key}.json` && sub === key.slice(0, 2) && keep.has(key)) continue;
      await rm(path.join(subDir, name), { force: true, recursive: true });
      removed++;
    }
  }
  return removed;
}
