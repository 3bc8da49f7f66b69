/**
 * Sharding (every artifact in exactly one shard, the same one every time) and merging shard / matrix reports into
 * one report, refusing what cannot be merged honestly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../src/cli/args.js';
import { selectShard, shardOf } from '../src/discover/index.js';
import { parseReport, renderJson } from '../src/report/json.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { MergeError, mergeReports, type MergeInput } from '../src/report/merge.js';
import { renderTerminal } from '../src/report/terminal.js';
import { VERSION } from '../src/package/version.js';
import { makeReport, makeResult } from './report-factory.js';
import { builtCli } from './build-once.js';

const paths = Array.from({ length: 200 }, (_, i) => `build/${['c', 'rust', 'go'][i % 3]}/module-${i}.wasm`);

describe('shards', () => {
  it('put every artifact in exactly one shard, for any shard count', () => {
    for (const count of [1, 2, 3, 5, 8]) {
      const taken = new Map<string, number>();
      for (let index = 1; index <= count; index++) {
        for (const f of selectShard({ files: paths, missing: [], emptyPatterns: [], skipped: new Map() }, { index, count }).files) {
          expect(taken.has(f), `${f} in two shards`).toBe(false);
          taken.set(f, index);
        }
      }
      expect([...taken.keys()].sort()).toEqual([...paths].sort());
    }
  });

  it('are deterministic: a path hash, independent of order, of the other files and of the separator', () => {
    const a = paths.map((p) => shardOf(p, 4));
    const b = [...paths]
      .reverse()
      .map((p) => shardOf(p, 4))
      .reverse();
    expect(a).toEqual(b);
    expect(shardOf('build/c/module-0.wasm', 4)).toBe(shardOf('./build/c/module-0.wasm', 4));
    // Pinned: the same artifact goes to the same shard on every machine and in every release of this algorithm.
    expect(paths.slice(0, 8).map((p) => shardOf(p, 3))).toEqual([3, 2, 3, 1, 2, 2, 1, 3]);
  });

  it('spread artifacts over all shards', () => {
    const counts = [0, 0, 0];
    for (const p of paths) counts[shardOf(p, 3) - 1]!++;
    for (const c of counts) expect(c).toBeGreaterThan(40);
  });

  it('--shard takes INDEX/COUNT', () => {
    const shardOfCli = (text: string) => {
      const c = parseCli(['--shard', text, 'a.wasm'], '/');
      return c.kind === 'check' ? c.options.shard : undefined;
    };
    expect(shardOfCli('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'x/3', '1', '1/3/4', '-1/3']) expect(() => shardOfCli(bad), bad).toThrow(UsageError);
    expect(() => shardOfCli('4/3')).toThrow("--shard '4/3': expected INDEX/COUNT");
  });
});

function shardReport(index: number, count: number, files: string[], extra: Parameters<typeof makeReport>[1] = {}) {
  return makeReport(
    files.map((f) => makeResult(f, f.includes('go124') ? 'REGRESSION' : 'PASS')),
    { tool: { name: 'wasm-p2-check', version: VERSION }, shard: { index, count }, ...extra },
  );
}

describe('merge', () => {
  const three = (): MergeInput[] => [
    { source: 'report-1', report: shardReport(1, 3, ['a.wasm', 'b.wasm']) },
    { source: 'report-2', report: shardReport(2, 3, ['go124.wasm']) },
    { source: 'report-3', report: shardReport(3, 3, [], { cache: { hits: 0, misses: 0 } }) },
  ];

  it('combines three shards into one report, each result labelled with its shard', () => {
    const merged = mergeReports(three(), new Date('2026-01-01T00:00:00Z'));
    expect(merged.results.map((r) => [r.artifact.path, r.group])).toEqual([
      ['a.wasm', 'shard 1/3'],
      ['b.wasm', 'shard 1/3'],
      ['go124.wasm', 'shard 2/3'],
    ]);
    expect(merged.summary).toMatchObject({ total: 3, regressions: 1, failures: 1 });
    expect(merged.merged?.map((p) => [p.label, p.total])).toEqual([
      ['shard 1/3', 2],
      ['shard 2/3', 1],
      ['shard 3/3', 0],
    ]);
    // The merged report is a valid report (it is what the merge job publishes and uploads).
    expect(parseReport(renderJson(merged))).toEqual(JSON.parse(renderJson(merged)));
    expect(renderTerminal(merged, { color: false })).toContain('[shard 2/3]');
    expect(renderMarkdown(merged)).toContain('merged from 3 reports');
  });

  it('labels results with the job label (matrix entry) when the report has one', () => {
    const merged = mergeReports([
      { source: 'r1', report: shardReport(1, 1, ['a.wasm'], { label: 'go 1.24' }) },
      { source: 'r2', report: shardReport(1, 1, ['a.wasm'], { label: 'go 1.23' }) },
    ]);
    expect(merged.results.map((r) => r.group)).toEqual(['go 1.24', 'go 1.23']);
    const sharded = mergeReports([
      { source: 'r1', report: shardReport(1, 2, ['a.wasm'], { label: 'go 1.24' }) },
      { source: 'r2', report: shardReport(2, 2, ['b.wasm'], { label: 'go 1.24' }) },
    ]);
    expect(sharded.results.map((r) => r.group)).toEqual(['go 1.24 · shard 1/2', 'go 1.24 · shard 2/2']);
  });

  it('labels are clean: no report path, and the merged table shows a part column only when parts differ', () => {
    const unlabelled = (source: string) => ({ source, report: { ...shardReport(1, 1, ['a.wasm']), shard: undefined } });
    const merged = mergeReports([unlabelled('../reports/wasm-report-go124/report'), unlabelled('reports/wasm-report-go123/report')]);
    expect(merged.results.map((r) => r.group)).toEqual(['wasm-report-go124', 'wasm-report-go123']);
    const md = renderMarkdown(merged);
    expect(md).not.toMatch(/<sub>[^<]*\/report/);
    expect(md).not.toContain('../reports');
    expect(md).toContain('| Artifact | Part | Toolchain | Verdict | Cause |');
    expect(md).toContain('| a.wasm | wasm-report-go124 |');
    // Shards of one run are one part each, and their table has the part column; one part alone has none.
    expect(renderMarkdown(mergeReports(three()))).toContain('| go124.wasm | shard 2/3 |');
    expect(
      renderMarkdown(
        mergeReports(
          [three()[0]!, three()[1]!, three()[2]!]
            .slice(0, 1)
            .map((p) => ({ ...p, report: { ...p.report, shard: { index: 1, count: 1 } } })),
        ),
      ),
    ).not.toContain('| Part |');
  });

  it('refuses reports written by different wasm-p2-check versions, naming them', () => {
    const inputs = three();
    inputs[1]!.report.tool.version = '0.0.9';
    expect(() => mergeReports(inputs)).toThrow(MergeError);
    expect(() => mergeReports(inputs)).toThrow(/different wasm-p2-check versions: .*0\.0\.9 \(report-2\)/);
  });

  it('refuses reports of another schema version before merging (parseReport)', () => {
    const text = renderJson(shardReport(1, 1, ['a.wasm'])).replace('"schemaVersion": 1', '"schemaVersion": 2');
    expect(() => parseReport(text)).toThrow(/unsupported report schema version 2/);
  });

  it('refuses an incomplete sharded run: a missing shard would leave its artifacts unchecked', () => {
    expect(() => mergeReports(three().slice(0, 2))).toThrow(/shard 3\/3 missing/);
  });

  it('refuses a shard given twice, shard counts that differ, and an already merged report', () => {
    const [one, two, three_] = three();
    expect(() => mergeReports([one!, one!, two!, three_!])).toThrow(/both 'shard 1\/3'/);
    expect(() => mergeReports([one!, { source: 'x', report: shardReport(2, 4, []) }])).toThrow(/shard counts differ/);
    const merged = mergeReports(three());
    expect(() => mergeReports([{ source: 'm', report: merged }])).toThrow(/already a merged report/);
    expect(() => mergeReports([])).toThrow(/no reports/);
  });
});

describe('CLI: shards, merge and the cache end to end (the bundled cli.js)', () => {
  const root = path.resolve(import.meta.dirname, '..');
  const files = ['c-hello.wasm', 'c-exit3.wasm', 'rust-hello.wasm', 'wat-hello.wasm'].map((f) => `test/fixtures/${f}`);
  let tmp: string;
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [builtCli, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: path.join(tmp, 'xdg') },
      encoding: 'utf8',
    });
  beforeAll(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'p2c-shard-e2e-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('two shards cover the artifacts once; merge makes one report; a re-run comes from the user cache folder', () => {
    for (const i of [1, 2]) {
      const r = cli(['--runtime', 'embedded', '--quiet', '--shard', `${i}/2`, '--json', path.join(tmp, `shard-${i}.json`), ...files]);
      expect(r.status, r.stderr).toBe(0);
    }
    const shards = [1, 2].map((i) => parseReport(readFileSync(path.join(tmp, `shard-${i}.json`), 'utf8')));
    expect(shards.flatMap((s) => s.results.map((r) => r.artifact.path)).sort()).toEqual([...files].sort());

    const merged = cli(['merge', path.join(tmp, 'shard-1.json'), path.join(tmp, 'shard-2.json'), '--json', path.join(tmp, 'merged.json')]);
    expect(merged.status, merged.stderr).toBe(0);
    const report = parseReport(readFileSync(path.join(tmp, 'merged.json'), 'utf8'));
    expect(report.summary.total).toBe(4);
    expect(new Set(report.results.map((r) => r.group))).toEqual(new Set(['shard 1/2', 'shard 2/2']));
    expect(merged.stdout).toContain('merged from 2 reports');

    const missing = cli(['merge', path.join(tmp, 'shard-1.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/shard 2\/2 missing/);

    // Same inputs again: every result from $XDG_CACHE_HOME/wasm-p2-check, and the report says so.
    const again = cli(['--runtime', 'embedded', '--json', path.join(tmp, 'again.json'), ...files]);
    expect(again.status, again.stderr).toBe(0);
    const warm = parseReport(readFileSync(path.join(tmp, 'again.json'), 'utf8'));
    expect(warm.cache).toEqual({ hits: 4, misses: 0 });
    expect(again.stdout).toContain('4 of 4 results reused');
    expect(existsSync(path.join(tmp, 'xdg', 'wasm-p2-check', 'results'))).toBe(true);

    const off = cli(['--runtime', 'embedded', '--no-cache', '--json', path.join(tmp, 'off.json'), files[0]!]);
    expect(off.status, off.stderr).toBe(0);
    const fresh = parseReport(readFileSync(path.join(tmp, 'off.json'), 'utf8'));
    expect(fresh.cache).toBeUndefined();
    expect(fresh.results[0]!.cached).toBeUndefined();
  });
});
