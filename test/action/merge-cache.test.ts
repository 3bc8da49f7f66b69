/**
 * The Action's result cache across runs, and `mode: merge`: three shard jobs (report-only) and one merge job give one
 * sticky comment and one check run per PR. run() in process (test/action/action.harness.ts) against the GitHub emulator; the
 * cache service between runs is a folder-backed double of `@actions/cache` (the real one needs a runner's service).
 */
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PersistedCache } from '../../src/action/cache.js';
import { parseReport, renderJson } from '../../src/report/json.js';
import { useActionHarness, PR } from './harness.js';

const ARTIFACTS = ['wat-hello.wasm', 'c-hello.wasm', 'c-exit3.wasm', 'rust-hello.wasm', 'go124-hello.wasm'];

const action = useActionHarness();
const runAction = action.run;

/** Like the cache service: immutable entries by key, restore by prefix (newest first). */
class FolderCache implements PersistedCache {
  readonly saved: string[] = [];
  constructor(private readonly root: string) {}
  async restore(dir: string, prefix: string): Promise<string | undefined> {
    const key = [...this.saved].reverse().find((k) => k.startsWith(prefix));
    if (key) await cp(path.join(this.root, key), dir, { recursive: true });
    return key;
  }
  async save(dir: string, key: string): Promise<void> {
    if (this.saved.includes(key)) throw new Error(`Unable to reserve cache with key ${key}, another job may be creating this cache.`);
    await cp(dir, path.join(this.root, key), { recursive: true });
    this.saved.push(key);
  }
  async entryFiles(key: string): Promise<string[]> {
    const out: string[] = [];
    for (const sub of await readdir(path.join(this.root, key))) {
      for (const f of await readdir(path.join(this.root, key, sub))) out.push(path.join(this.root, key, sub, f));
    }
    return out;
  }
}

describe('the Action result cache', () => {
  it('keeps results between runs, says which came from it, and is off with cache: false', async () => {
    const cache = new FolderCache(path.join(action.harness.scratch, 'cache-service'));
    const inputs = { artifacts: 'build/*.wasm', comment: 'never', 'check-run': 'false' };
    const artifacts = ['wat-hello.wasm', 'c-hello.wasm'];
    const first = await runAction({ inputs, artifacts, persistedCache: cache });
    expect(first.code, first.stdout).toBe(0);
    expect(first.stdout).toContain('Result cache: nothing to restore yet');
    expect(cache.saved).toHaveLength(1);
    expect(cache.saved[0]).toMatch(/^wasm-p2-check-results-/);
    expect(parseReport(await readFile(first.outputs['report-json']!, 'utf8')).cache).toEqual({ hits: 0, misses: 2 });

    const second = await runAction({ inputs, artifacts, persistedCache: cache });
    const warm = parseReport(await readFile(second.outputs['report-json']!, 'utf8'));
    expect(warm.cache).toEqual({ hits: 2, misses: 0 });
    expect(warm.results.every((r) => r.cached)).toBe(true);
    expect(second.stdout).toContain(`Result cache: restored ${cache.saved[0]}`);
    expect(second.stdout).toContain('Result cache: unchanged, not saved again');
    expect(cache.saved).toHaveLength(1);

    // A corrupt entry in the restored cache is ignored, the artifact checked again, and the repaired cache saved anew.
    const [entry] = await cache.entryFiles(cache.saved[0]!);
    await writeFile(entry!, '{"format":"wasm-p2-check/result-cache-entry","result":{"verdict":"PASS"}}');
    const third = await runAction({ inputs, artifacts, persistedCache: cache });
    const repaired = parseReport(await readFile(third.outputs['report-json']!, 'utf8'));
    expect(repaired.cache).toEqual({ hits: 1, misses: 1 });
    expect(third.stdout).toContain('cached result ignored');
    expect(cache.saved).toHaveLength(2);

    const off = await runAction({ inputs: { ...inputs, cache: 'false' }, artifacts, persistedCache: cache });
    const fresh = parseReport(await readFile(off.outputs['report-json']!, 'utf8'));
    expect(fresh.cache).toBeUndefined();
    expect(off.stdout).not.toContain('Result cache');
  });
});

describe('mode: merge', () => {
  /** Three shard jobs in report-only mode writing into one workspace, as download-artifact would lay them out. */
  async function shardJobs(): Promise<string> {
    const workspace = path.join(action.harness.scratch, `merge-ws-${Math.random().toString(36).slice(2)}`);
    await mkdir(path.join(workspace, 'build'), { recursive: true });
    for (let i = 1; i <= 3; i++) {
      const r = await runAction({
        inputs: { mode: 'report-only', artifacts: 'build/*.wasm', shard: `${i}/3`, report: `reports/shard-${i}/report.json` },
        artifacts: ARTIFACTS,
        workspace,
      });
      expect(r.stdout).toContain('Report written to');
    }
    return workspace;
  }

  it('three shard reports make one report, one sticky comment and one check run', async () => {
    const workspace = await shardJobs();
    expect(action.gh.checkRuns).toHaveLength(0);
    expect(action.gh.commentsOn(PR)).toHaveLength(0);
    const shards = await Promise.all(
      [1, 2, 3].map(async (i) => parseReport(await readFile(path.join(workspace, `reports/shard-${i}/report.json`), 'utf8'))),
    );
    expect(shards.flatMap((s) => s.results.map((r) => path.basename(r.artifact.path))).sort()).toEqual([...ARTIFACTS].sort());

    const merge = await runAction({ inputs: { mode: 'merge', reports: 'reports/*/report.json', comment: 'always' }, workspace });
    expect(merge.code, merge.stdout).toBe(1); // go124-hello.wasm regresses: the one required check fails
    const merged = parseReport(await readFile(merge.outputs['report-json']!, 'utf8'));
    expect(merged.summary).toMatchObject({ total: 5, regressions: 1 });
    expect(merged.merged?.map((p) => p.label)).toEqual(['shard 1/3', 'shard 2/3', 'shard 3/3']);
    expect(action.gh.checkRuns.map((r) => [r.name, r.status, r.conclusion])).toEqual([['wasm-p2-check', 'completed', 'failure']]);
    const comments = action.gh.commentsOn(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('merged from 3 reports');
    expect(comments[0]!.body).toContain('go124-hello.wasm');
  });

  it('refuses reports of another wasm-p2-check version with a clear message, and fails the check run', async () => {
    const workspace = await shardJobs();
    const file = path.join(workspace, 'reports/shard-2/report.json');
    const report = parseReport(await readFile(file, 'utf8'));
    await writeFile(file, renderJson({ ...report, tool: { ...report.tool, version: '0.0.1' } }));
    const merge = await runAction({ inputs: { mode: 'merge', reports: 'reports/*/report.json' }, workspace });
    expect(merge.code).toBe(1);
    expect(merge.stdout).toMatch(
      /::error::cannot merge reports of different wasm-p2-check versions: .*0\.0\.1 \(reports\/shard-2\/report\)/,
    );
    expect(action.gh.checkRuns.map((r) => [r.status, r.conclusion])).toEqual([['completed', 'failure']]);
    expect(action.gh.commentsOn(PR)).toHaveLength(0);
    await rm(workspace, { recursive: true, force: true });
  });

  it('refuses a file that is not a valid report, naming it', async () => {
    const workspace = await shardJobs();
    await writeFile(path.join(workspace, 'reports/shard-3/report.json'), '{"schemaVersion":1,"results":"all fine"}');
    const merge = await runAction({ inputs: { mode: 'merge', reports: 'reports/*/report.json' }, workspace });
    expect(merge.code).toBe(1);
    expect(merge.stdout).toMatch(/::error::Cannot merge reports\/shard-3\/report\.json: invalid wasm-p2-check report/);
  });
});
