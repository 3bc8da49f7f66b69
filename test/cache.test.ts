/**
 * The result cache: what makes a key (artifact, adapter, options, signature database), what is reused, and that an
 * entry read back is never trusted blindly. Runs check() on the embedded runtime with real fixtures (the hosts built in build/ by test/build-once.ts).
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEntry, directoryDigest, directoryStore, encodeEntry, isCacheable, type ResultStore } from '../src/cache/index.js';
import { check, prepareCheck } from '../src/check.js';
import type { ArtifactResult, Report } from '../src/model.js';
import type { CheckOptions } from '../src/options/index.js';
import { makeResult } from './report-factory.js';

const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(root, 'test', 'fixtures');

/** A valid wasm file with a custom section appended: other bytes, same behaviour. */
function withCustomSection(bytes: Uint8Array, name: string): Uint8Array {
  const nameBytes = Buffer.from(name);
  const payload = Buffer.concat([Buffer.from([nameBytes.length]), nameBytes, Buffer.from('variant')]);
  return Buffer.concat([bytes, Buffer.from([0, payload.length]), payload]);
}

/** A store that remembers what was written, over a real folder. */
function recordingStore(dir: string): ResultStore & { writes: string[] } {
  const inner = directoryStore(dir);
  const writes: string[] = [];
  return {
    writes,
    read: (key) => inner.read(key),
    write: async (key, text) => {
      writes.push(key);
      await inner.write(key, text);
    },
  };
}

async function entryFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const sub of await readdir(dir).catch(() => [] as string[])) {
    for (const f of await readdir(path.join(dir, sub))) out.push(path.join(dir, sub, f));
  }
  return out;
}

describe('result cache through check()', () => {
  let work: string;
  let cacheDir: string;
  let base: Omit<CheckOptions, 'cache'>;
  const run = (store: ResultStore, extra: Partial<CheckOptions> = {}): Promise<Report> => check({ ...base, ...extra, cache: store });

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'p2c-cache-'));
    cacheDir = path.join(work, 'cache');
    await mkdir(path.join(work, 'in'));
    await cp(path.join(fixtures, 'c-hello.wasm'), path.join(work, 'in', 'hello.wasm'));
    base = {
      patterns: ['hello.wasm'],
      cwd: path.join(work, 'in'),
      runtime: 'embedded',
      adapter: { kind: 'bundled' },
      sandbox: { args: [], env: {}, dirs: [], timeoutMs: 60_000, outputCapBytes: 64 * 1024 },
      workDir: path.join(work, 'scratch'),
      concurrency: 1,
    };
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('stores a fresh result, then reuses it and says so', async () => {
    const store = recordingStore(cacheDir);
    const cold = await run(store);
    expect(cold.results[0]!.verdict).toBe('PASS');
    expect(cold.results[0]!.cached).toBeUndefined();
    expect(cold.cache).toEqual({ hits: 0, misses: 1 });
    expect(store.writes).toHaveLength(1);

    const warm = await run(store);
    expect(warm.cache).toEqual({ hits: 1, misses: 0 });
    const hit = warm.results[0]!;
    expect(hit.cached?.key).toBe(store.writes[0]);
    expect(hit.verdict).toBe('PASS');
    expect(hit.p2?.stdout.text).toBe(cold.results[0]!.p2?.stdout.text);
    expect(store.writes).toHaveLength(1); // nothing new stored
  });

  it('a result found under another path is reported under the path given now', async () => {
    await mkdir(path.join(work, 'in', 'sub'), { recursive: true });
    await cp(path.join(work, 'in', 'hello.wasm'), path.join(work, 'in', 'sub', 'hello.wasm'));
    const report = await run(directoryStore(cacheDir), { patterns: ['sub/hello.wasm'] });
    expect(report.results[0]!.cached).toBeDefined();
    expect(report.results[0]!.artifact.path).toBe(path.join('sub', 'hello.wasm'));
  });

  it('misses when one option changes (an argument, an environment value, the time limit)', async () => {
    const store = recordingStore(cacheDir);
    for (const sandbox of [
      { ...base.sandbox, args: ['x'] },
      { ...base.sandbox, env: { A: '1' } },
      { ...base.sandbox, env: { A: '2' } },
      { ...base.sandbox, timeoutMs: 59_000 },
    ]) {
      const report = await run(store, { sandbox });
      expect(report.cache, JSON.stringify(sandbox)).toEqual({ hits: 0, misses: 1 });
    }
    expect(new Set(store.writes).size).toBe(4);
  });

  it('misses when the adapter changes', async () => {
    const adapter = path.join(work, 'wasi_snapshot_preview1.command.wasm');
    await writeFile(
      adapter,
      withCustomSection(await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm')), 'other-build'),
    );
    const report = await run(directoryStore(cacheDir), { adapter: { kind: 'file', path: adapter } });
    expect(report.cache).toEqual({ hits: 0, misses: 1 });
    expect(report.results[0]!.conversion?.adapter?.source).toBe('file');
  });

  it('a run whose results all come from the cache parses no signature (the warm path loads nothing it does not use)', async () => {
    await run(directoryStore(cacheDir));
    const session = await prepareCheck({ ...base, cache: directoryStore(cacheDir) });
    try {
      const bound = await session.bind();
      const results = await bound.checkAll();
      expect(results.map((r) => r.cached !== undefined)).toEqual([true]);
      expect(session.signatures.loaded).toBe(false);
    } finally {
      await session.dispose();
    }
  });

  it('misses when the artifact changes (same name, other bytes)', async () => {
    await mkdir(path.join(work, 'changed'));
    await writeFile(path.join(work, 'changed', 'hello.wasm'), withCustomSection(await readFile(path.join(fixtures, 'c-hello.wasm')), 'v2'));
    const report = await run(directoryStore(cacheDir), { cwd: path.join(work, 'changed') });
    expect(report.cache).toEqual({ hits: 0, misses: 1 });
  });

  it('misses when the signature database changes', async () => {
    const sigs = path.join(work, 'sigs');
    await mkdir(sigs);
    const text = await readFile(path.join(root, 'src', 'diagnose', 'signatures', 'timeout.yaml'), 'utf8');
    await writeFile(path.join(sigs, 'timeout.yaml'), text.replace(/^title: .*$/m, 'title: A retitled timeout signature'));
    const report = await run(directoryStore(cacheDir), { signatureDirs: [sigs] });
    expect(report.cache).toEqual({ hits: 0, misses: 1 });
  });

  it('ignores corrupt and foreign entries, checks again and repairs the entry', async () => {
    const dir = path.join(work, 'cache-corrupt');
    const store = recordingStore(dir);
    await run(store);
    const [file] = await entryFiles(dir);
    const good = await readFile(file!, 'utf8');
    const entry = JSON.parse(good) as { result: ArtifactResult };
    const tampered = [
      'not json {',
      JSON.stringify({ ...entry, format: 'something-else' }),
      JSON.stringify({ ...entry, tool: '0.0.1' }),
      JSON.stringify({ ...entry, key: 'f'.repeat(64) }),
      // A result that does not validate against the report schema.
      JSON.stringify({ ...entry, result: { ...entry.result, verdict: 'FINE' } }),
      // A valid result about other bytes (a foreign entry put under this key).
      JSON.stringify({ ...entry, result: { ...entry.result, artifact: { ...entry.result.artifact, sha256: '0'.repeat(64) } } }),
    ];
    const logs: string[] = [];
    for (const text of tampered) {
      await writeFile(file!, text);
      const report = await run(store, { onProgress: (e) => e.message && logs.push(e.message) });
      expect(report.cache, text.slice(0, 60)).toEqual({ hits: 0, misses: 1 });
      expect(report.results[0]!.verdict).toBe('PASS');
      expect(JSON.parse(await readFile(file!, 'utf8')).result.verdict).toBe('PASS'); // rewritten by the fresh check
    }
    expect(logs.filter((l) => l.includes('cached result ignored'))).toHaveLength(tampered.length);
  });

  it('a store that fails is not fatal: the run goes on without it', async () => {
    const broken: ResultStore = {
      read: () => Promise.reject(new Error('disk on fire')),
      write: () => Promise.reject(new Error('disk on fire')),
    };
    const report = await run(broken);
    expect(report.results[0]!.verdict).toBe('PASS');
    expect(report.cache).toEqual({ hits: 0, misses: 1 });
  });
});

describe('result cache entries', () => {
  const key = 'a'.repeat(64);
  const result = makeResult('a.wasm', 'PASS');

  it('round-trips a result under its key', () => {
    const decoded = decodeEntry(encodeEntry(key, result, new Date('2026-01-01T00:00:00Z')), key, result.artifact.sha256);
    expect(decoded).toEqual({ ok: true, result, storedAt: '2026-01-01T00:00:00.000Z' });
  });

  it('an entry whose result breaks the report schema deep inside is refused, naming where', () => {
    const bad = { ...result, differences: [{ field: 'heap', p1: 'a', p2: 'b' }] } as unknown as ArtifactResult;
    expect(decodeEntry(encodeEntry(key, bad), key, result.artifact.sha256)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('/differences/0/field'),
    });
  });

  it('the validator generated from docs/report-schema.json (scripts/gen-report-validator.mjs) is current', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'gen-report-validator.mjs'), '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('never stores or reuses a result that depends on circumstances (ERROR, TIMEOUT)', () => {
    for (const verdict of ['ERROR', 'TIMEOUT'] as const) {
      const r = makeResult('a.wasm', verdict);
      expect(isCacheable(r)).toBe(false);
      expect(decodeEntry(encodeEntry(key, r), key, r.artifact.sha256)).toMatchObject({ ok: false });
    }
  });

  it('a directory store refuses keys that are not sha256 hex (no path tricks)', async () => {
    const store = directoryStore(path.join(tmpdir(), 'p2c-never-written'));
    await expect(store.write('../../etc/x', '{}')).rejects.toThrow(/not a key/);
    expect(await store.read('../../etc/passwd')).toBeUndefined();
  });

  it('preopen contents are part of the key: a changed, added or renamed file changes the digest', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'p2c-digest-'));
    try {
      await writeFile(path.join(dir, 'a.txt'), 'one');
      const d1 = await directoryDigest(dir);
      expect(await directoryDigest(dir)).toBe(d1);
      await writeFile(path.join(dir, 'a.txt'), 'two');
      const d2 = await directoryDigest(dir);
      await writeFile(path.join(dir, 'b.txt'), '');
      const d3 = await directoryDigest(dir);
      await rm(path.join(dir, 'b.txt'));
      await writeFile(path.join(dir, 'c.txt'), '');
      const d4 = await directoryDigest(dir);
      expect(new Set([d1, d2, d3, d4]).size).toBe(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
