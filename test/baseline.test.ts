import { describe, expect, it } from 'vitest';
import { compareWithBaseline } from '../src/compare/baseline.js';
import type { ArtifactResult, Report } from '../src/model.js';
import { checkConclusion, checkTitle } from '../src/github/outcome.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderTerminal } from '../src/report/terminal.js';
import { failOnNotice, failingResults, reportFails, resultFails } from '../src/report/fail-on.js';
import { parseBaseline, renderJson, ReportFormatError } from '../src/report/json.js';
import { mergeReports } from '../src/report/merge.js';
import { VERSION } from '../src/package/version.js';
import { baselinePair as pair, GO_DIAGNOSIS, goRegression, makeArtifact, makeReport, makeResult } from './report-factory.js';

const sha = (c: string) => c.repeat(64);
const at = (path: string, r: ArtifactResult, bytes: string): ArtifactResult => ({
  ...r,
  artifact: { ...makeArtifact(path), sha256: sha(bytes) },
});
const pass = (path: string, bytes: string) => at(path, makeResult(path, 'PASS'), bytes);
const regress = (path: string, bytes: string) => at(path, goRegression(), bytes);

describe('baseline: change classes', () => {
  it('classifies every result, recognises a rename by sha256 and lists what was removed', () => {
    const { base, head } = pair();
    const out = compareWithBaseline(head, base, { source: 'file base.json' });
    const cls = Object.fromEntries(out.results.map((r) => [r.artifact.path, r.change?.class]));
    expect(cls).toEqual({
      'ok.wasm': 'passing',
      'breaks.wasm': 'new-failure',
      'fixed.wasm': 'fixed',
      'still.wasm': 'still-failing',
      'cause.wasm': 'changed',
      'worse.wasm': 'changed',
      'new-name.wasm': 'passing',
      'added.wasm': 'new-artifact',
    });
    const byPath = (p: string) => out.results.find((r) => r.artifact.path === p)!.change!;
    expect(byPath('new-name.wasm')).toMatchObject({ matchedBy: 'sha256', base: { path: 'old-name.wasm', verdict: 'PASS' } });
    expect(byPath('ok.wasm').matchedBy).toBe('path');
    expect(byPath('worse.wasm')).toMatchObject({ worse: true, base: { verdict: 'PRE-EXISTING' } });
    expect(byPath('cause.wasm').worse).toBeUndefined();
    expect(byPath('still.wasm').base?.cause).toBe(GO_DIAGNOSIS.title);
    expect(out.baseline?.removed).toEqual([{ path: 'gone.wasm', verdict: 'PASS' }]);
    expect(out.baseline?.counts).toEqual({
      'new-failure': 1,
      changed: 2,
      'new-artifact': 1,
      fixed: 1,
      'still-failing': 1,
      passing: 2,
      removed: 1,
    });
    expect(out.baseline).toMatchObject({ source: 'file base.json', commit: 'b'.repeat(40), createdAt: base.createdAt, tool: '0.0.9' });
  });

  it('a baseline from an older tool version is used, and the report says what differs', () => {
    const { base, head } = pair();
    const older = { ...base, runtime: { ...base.runtime, p2: { name: 'wasmtime', version: '33.0.0' } } };
    const out = compareWithBaseline(head, older, { source: 'file base.json' });
    expect(out.baseline?.differences.join('\n')).toMatch(/wasm-p2-check version: 0\.0\.9 on the baseline, 0\.1\.0 in this run/);
    expect(out.baseline?.differences.join('\n')).toMatch(/runtime: .*wasmtime 33\.0\.0.* on the baseline/);
    expect(compareWithBaseline(head, { ...head }, { source: 'same' }).baseline?.differences).toEqual([]);
  });

  it('a path present in both is never taken for a rename, and unreadable files (no sha256) match nothing', () => {
    const base = makeReport([pass('a.wasm', '1'), at('b.wasm', makeResult('b.wasm', 'INVALID-INPUT'), '')]);
    const head = makeReport([pass('a.wasm', '2'), pass('c.wasm', '1'), at('d.wasm', makeResult('d.wasm', 'INVALID-INPUT'), '')]);
    const out = compareWithBaseline(head, base, { source: 'x' });
    expect(out.results.map((r) => [r.artifact.path, r.change?.class, r.change?.base?.path])).toEqual([
      ['a.wasm', 'passing', 'a.wasm'],
      ['c.wasm', 'new-artifact', undefined],
      ['d.wasm', 'new-artifact', undefined],
    ]);
    expect(out.baseline?.removed.map((r) => r.path)).toEqual(['b.wasm']);
  });

  it('merged reports are matched per matrix entry (shard numbers aside)', () => {
    const part = (label: string, results: ArtifactResult[], shard?: { index: number; count: number }) => ({
      source: label,
      report: makeReport(results, { label, tool: { name: 'wasm-p2-check' as const, version: VERSION }, ...(shard ? { shard } : {}) }),
    });
    const base = mergeReports([part('wasmtime', [regress('x.wasm', '1')]), part('embedded', [pass('x.wasm', '1')])]);
    const head = mergeReports([
      part('wasmtime', [regress('x.wasm', '1')], { index: 1, count: 1 }),
      part('embedded', [regress('x.wasm', '1')], { index: 1, count: 1 }),
    ]);
    // Sharded jobs: the shard part of the label (`embedded · shard 2/2`) does not name the job either.
    const sharded = mergeReports([
      part('wasmtime', [regress('x.wasm', '1')], { index: 1, count: 2 }),
      part('wasmtime', [], { index: 2, count: 2 }),
      part('embedded', [], { index: 1, count: 2 }),
      part('embedded', [regress('x.wasm', '1')], { index: 2, count: 2 }),
    ]);
    expect(compareWithBaseline(sharded, base, { source: 'x' }).results.map((r) => r.change?.class)).toEqual([
      'still-failing',
      'new-failure',
    ]);
    const out = compareWithBaseline(head, base, { source: 'x' });
    expect(out.results.map((r) => [r.group, r.change?.class])).toEqual([
      ['wasmtime', 'still-failing'],
      ['embedded', 'new-failure'],
    ]);
  });
});

describe("merge: the parts' baselines", () => {
  const part = (label: string, head: Report, base?: Report) => ({
    source: label,
    report: {
      ...(base ? compareWithBaseline(head, base, { source: `cache ${label}`, ref: 'main', commit: 'b'.repeat(40) }) : head),
      label,
      tool: { name: 'wasm-p2-check' as const, version: VERSION },
    },
  });
  const base = makeReport([pass('a.wasm', '1'), regress('b.wasm', '2')]);
  const head = makeReport([regress('a.wasm', '1'), regress('b.wasm', '2')]);

  it("every part compared: one summed baseline, removed artifacts named with their part, the parts' classes kept", () => {
    const gone = makeReport([pass('a.wasm', '1'), regress('b.wasm', '2'), pass('c.wasm', '3')]);
    const merged = mergeReports([part('wasmtime', head, base), part('embedded', head, gone)]);
    expect(merged.baseline).toMatchObject({
      ref: 'main',
      commit: 'b'.repeat(40),
      source: 'cache wasmtime, cache embedded',
      removed: [{ path: 'c.wasm', verdict: 'PASS', group: 'embedded' }],
    });
    expect(merged.baseline?.counts).toMatchObject({ 'new-failure': 2, 'still-failing': 2, removed: 1 });
    expect(merged.results.map((r) => r.change?.class)).toEqual(['new-failure', 'still-failing', 'new-failure', 'still-failing']);
  });

  it('a part without a baseline: no comparison is claimed for the whole', () => {
    expect(mergeReports([part('wasmtime', head, base), part('embedded', head)]).baseline).toBeUndefined();
  });
});

describe('fail-on new', () => {
  it('with a baseline: fails for new failures, new artifacts and changes for the worse only', () => {
    const { base, head } = pair();
    const out = compareWithBaseline(head, base, { source: 'x' });
    expect(failingResults(out, 'new').map((r) => r.artifact.path)).toEqual(['breaks.wasm', 'worse.wasm', 'added.wasm']);
    expect(failingResults(out, 'regression').map((r) => r.artifact.path)).toEqual([
      'breaks.wasm',
      'still.wasm',
      'cause.wasm',
      'worse.wasm',
      'added.wasm',
    ]);
    expect(failOnNotice(out, 'new')).toBeUndefined();
  });

  it('an already-broken base and an unrelated change: green; another artifact breaks: red', () => {
    const base = makeReport([regress('broken.wasm', '1'), pass('other.wasm', '2')]);
    const unrelated = compareWithBaseline(makeReport([regress('broken.wasm', '1'), pass('other.wasm', '2')]), base, { source: 'x' });
    expect(reportFails(unrelated, 'new')).toBe(false);
    expect(reportFails(unrelated, 'regression')).toBe(true);
    const breaking = compareWithBaseline(makeReport([regress('broken.wasm', '1'), regress('other.wasm', '3')]), base, { source: 'x' });
    expect(reportFails(breaking, 'new')).toBe(true);
  });

  it('without a baseline: gates like regression, and says so', () => {
    const { head } = pair();
    for (const r of head.results) expect(resultFails(r, 'new'), r.artifact.path).toBe(resultFails(r, 'regression'));
    expect(failOnNotice(head, 'new')).toMatch(/no baseline.*like fail-on regression/);
    expect(failOnNotice(head, 'regression')).toBeUndefined();
  });
});

describe('parseBaseline: untrusted input', () => {
  it('reads a valid report and recomputes its summary', () => {
    const { base } = pair();
    const forged = { ...base, summary: { ...base.summary, failures: 0, regressions: 0 } };
    const read = parseBaseline(renderJson(forged));
    expect(read.summary.failures).toBe(base.summary.failures);
  });

  it('refuses a schema-invalid or forged report, naming what is wrong', () => {
    const { base } = pair();
    const bad = JSON.parse(renderJson(base));
    bad.results[0].verdict = 'FINE';
    expect(() => parseBaseline(JSON.stringify(bad))).toThrow(ReportFormatError);
    expect(() => parseBaseline(JSON.stringify(bad))).toThrow(/\/results\/0\/verdict: must be one of/);
    expect(() => parseBaseline('{"schemaVersion": 1}')).toThrow(/missing required property/);
    expect(() => parseBaseline('not json')).toThrow(/invalid JSON/);
    expect(() => parseBaseline('[]')).toThrow(/expected a JSON object/);
  });

  it('a report of another schema version is used when it validates, and the difference is named', () => {
    const { base, head } = pair();
    const old = parseBaseline(JSON.stringify({ ...JSON.parse(renderJson(base)), schemaVersion: 0 }));
    expect(old.schemaVersion).toBe(0);
    const out = compareWithBaseline(head, old, { source: 'x' });
    expect(out.baseline?.differences).toContain('report schema version: 0 on the baseline, 1 in this run');
    const broken = { ...JSON.parse(renderJson(base)), schemaVersion: 2, results: 'none' };
    expect(() => parseBaseline(JSON.stringify(broken))).toThrow(/schema version 2, which this wasm-p2-check .* cannot read: \/results/);
  });

  it('names from a baseline are bounded in the comment: a forged 100 KB path does not push the whole report out', () => {
    const { base, head } = pair();
    const forged = JSON.parse(renderJson(base));
    const gone = forged.results.find((r: ArtifactResult) => r.artifact.path === 'gone.wasm');
    gone.artifact.path = `${'A'.repeat(100_000)}.wasm`;
    forged.tool.version = 'v'.repeat(100_000);
    const md = renderMarkdown(compareWithBaseline(head, parseBaseline(JSON.stringify(forged)), { source: 'file base.json' }), {});
    expect(md).not.toMatch(/cut to fit/);
    expect(md).toContain('**No longer checked** (1): AAAA');
    expect(md).toContain('breaks.wasm');
    expect(md.length).toBeLessThan(30_000);
  });

  it('a classified report still validates as a report (the schema knows change and baseline)', () => {
    const { base, head } = pair();
    const out = compareWithBaseline(head, base, { source: 'file base.json' });
    expect(parseBaseline(renderJson(out)).baseline?.counts['new-failure']).toBe(1);
  });
});

describe('the change leads: terminal, Markdown first line, check-run title', () => {
  const url = 'https://github.com/o/r/actions/runs/7';
  const compared = (head: Report, base: Report) =>
    compareWithBaseline({ ...head, commit: 'c'.repeat(40) }, base, { source: 'cache k', ref: 'main' });
  const first = (r: Report) => renderMarkdown(r, { detailsUrl: url }).split('\n')[0];

  it('new failures: counts, commit, run and job summary; new failures first, still-failing folded as not caused here', () => {
    const { base, head } = pair();
    const out = compared(head, base);
    expect(first(out)).toBe(
      `## ❌ wasm-p2-check: 3 new failures · 1 fixed · 1 still failing on main · 1 failing differently · \`ccccccc\` · [run](${url}) · [job summary](${url})`,
    );
    expect(checkTitle(out)).toBe('3 new failures · 1 fixed · 1 still failing on main · 1 failing differently');
    const md = renderMarkdown(out, { detailsUrl: url });
    const at = (s: string) => md.indexOf(s);
    expect(at('**New failures** (3)')).toBeGreaterThan(0);
    expect(at('**New failures**')).toBeLessThan(at('**Fixed** (1): fixed.wasm (was REGRESSION)'));
    expect(md).toContain('<details><summary>Still failing on main (1): not caused by this change</summary>');
    expect(md).toContain('**No longer checked** (1): gone.wasm (was PASS)');
    expect(md).toContain('compared with main at bbbbbbb (1 day older; cache k)');
    const term = renderTerminal(out, { color: false }).split('\n');
    expect(term[0]).toBe(
      'Change: 3 new failures · 1 fixed · 1 still failing on main · 1 failing differently · ccccccc · ' +
        'compared with main at bbbbbbb (1 day older; cache k)',
    );
    const lineOf = (p: string) => term.findIndex((l) => l.includes(` ${p} `));
    expect(lineOf('breaks.wasm')).toBeLessThan(lineOf('still.wasm'));
    expect(term[lineOf('still.wasm')]).toContain('[fails the same way on main: not caused by this change]');
    expect(term[lineOf('new-name.wasm')]).toContain('[renamed from old-name.wasm]');
  });

  it('an already-broken base and an unrelated change: no new failures, a success-style heading and title', () => {
    const base = makeReport([regress('broken.wasm', '1'), pass('other.wasm', '2')]);
    const out = compared(makeReport([regress('broken.wasm', '1'), pass('other.wasm', '2')]), base);
    expect(first(out)).toMatch(/^## ☑️ wasm-p2-check: 0 new failures · 0 fixed · 1 still failing on main · `ccccccc`/);
    expect(checkTitle(out)).toBe('0 new failures · 0 fixed · 1 still failing on main');
    expect(checkConclusion(out, 'new')).toBe('success'); // green: what fails on main too is not this change's
    expect(checkConclusion(out, 'regression')).toBe('failure');
    expect(renderMarkdown(out)).toContain('**No new failures** against main.');
  });

  it('everything passes on both: a plain success; without a baseline the heading is the verdict sentence', () => {
    const base = makeReport([pass('a.wasm', '1')]);
    const out = compared(makeReport([pass('a.wasm', '1')]), base);
    expect(first(out)).toMatch(/^## ✅ wasm-p2-check: 0 new failures · 0 fixed · 0 still failing on main/);
    expect(checkConclusion(out, 'new')).toBe('success');
    const plain = { ...makeReport([regress('a.wasm', '1')]), commit: 'd'.repeat(40) };
    expect(first(plain)).toBe(
      `## ❌ wasm-p2-check: 1 of 1 artifact breaks as a WASI P2 component · \`ddddddd\` · [run](${url}) · [job summary](${url})`,
    );
    expect(checkTitle(plain)).toBe('1 of 1 artifact breaks as a P2 component');
    // A report that does not know its commit (the CLI's) names no run.
    expect(renderMarkdown(makeReport([pass('a.wasm', '1')]), { detailsUrl: url }).split('\n')[0]).not.toContain('[run]');
  });
});
