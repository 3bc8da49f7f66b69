/**
 * The shape of the PR comment, the job summary and the check run's short form, for one failure, several failures
 * with the same cause, and many causes: each cause said once with its fix first, the unsafe workarounds folded,
 * failing artifacts named (a few, then a count), the commit and the run on the first line, and no sentence said twice.
 */
import { describe, expect, it } from 'vitest';
import type { ArtifactResult, Report } from '../src/model.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { compareWithBaseline } from '../src/compare/baseline.js';
import { baselinePair, goRegression, makeReport, mixedReport, passResult } from './report-factory.js';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const RUN = 'https://github.com/o/r/actions/runs/42';
const opts = { detailsUrl: RUN };

/**
 * The sentences a reader reads: prose outside code fences (guest output), fold labels (`<summary>`: navigation, the
 * same for each cause) and table rules; 20+ characters each.
 */
function sentences(md: string): string[] {
  return md
    .replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '')
    .replace(/<summary>[^<]*<\/summary>/g, '\n')
    .replace(/<[^>\n]+>/g, '\n')
    .split('\n')
    .filter((l) => !/^\|[\s|:-]+\|$/.test(l))
    .flatMap((l) => l.split(/(?<=[.!?])\s+(?=[A-Z*_])/))
    .map((s) => s.replace(/^[-*\d.\s|#]+/, '').trim())
    .filter((s) => s.length >= 20);
}
function repeated(md: string): string[] {
  const seen = new Map<string, number>();
  for (const s of sentences(md)) seen.set(s, (seen.get(s) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([s]) => s);
}
const named = (path: string): ArtifactResult => ({ ...goRegression(), artifact: { ...goRegression().artifact, path } });

const cases: [string, Report][] = [
  ['one failure among five', makeReport([goRegression(), ...['a', 'b', 'c', 'd'].map((n) => passResult(`${n}.wasm`))], { commit: COMMIT })],
  [
    'seven failures, one cause',
    makeReport([...Array.from({ length: 7 }, (_, i) => named(`go-${i}.wasm`)), passResult()], { commit: COMMIT }),
  ],
  ['many causes', { ...mixedReport(), commit: COMMIT }],
  // Against a baseline: the change lists point at the cause sections instead of saying each cause again.
  [
    'against a baseline',
    compareWithBaseline({ ...baselinePair().head, commit: COMMIT }, baselinePair().base, { source: 'file base.json' }),
  ],
];

describe.each(cases)('%s', (_name, report) => {
  const md = renderMarkdown(report, opts);
  const short = renderMarkdown(report, { ...opts, form: 'short' });

  it('names the commit and links the run on the first line', () => {
    expect(md.split('\n')[0]).toMatch(
      / · `0123456` · \[run\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/42\) · \[job summary\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/42\)$/,
    );
    expect(short.split('\n')[0]).toBe(md.split('\n')[0]);
  });

  it('says no sentence twice, in the comment and in the short form', () => {
    expect(repeated(md)).toEqual([]);
    expect(repeated(short)).toEqual([]);
  });

  it('each cause once, as a heading, with who and the fix before any detail, unsafe workarounds folded', () => {
    const sections = md.split(/^### /m).slice(1);
    expect(sections.length).toBeGreaterThan(0);
    for (const section of sections) {
      const title = section.slice(section.indexOf(' ') + 1, section.indexOf('\n')).replace(/^\d+\. /, '');
      expect(md.split(title).length - 1, title).toBe(1);
      const fix = section.indexOf('\n**Fix:** ');
      expect(fix, title).toBeGreaterThan(0);
      const firstDetails = section.indexOf('<details>');
      if (firstDetails >= 0) expect(fix).toBeLessThan(firstDetails);
      // Nothing marked unsafe in the open: unsafe workarounds sit in their own fold.
      const open = section.replace(/<details>[\s\S]*?<\/details>/g, '');
      expect(open).not.toMatch(/unsafe/i);
    }
  });

  it('the short form (the check run): the causes and fixes, no details, and a link to the full report', () => {
    expect(short).not.toMatch(/<summary>(Why|P2 error chain|P\d (stdout|stderr)|⚠️)/);
    expect(short.match(/^\*\*Fix:\*\* /gm)?.length).toBe(md.match(/^\*\*Fix:\*\* /gm)?.length);
    expect(short).toContain(`is in [the job summary](${RUN})`);
    expect(Buffer.byteLength(short)).toBeLessThan(Buffer.byteLength(md) * 0.6);
  });
});

describe('failing artifacts by name', () => {
  it('one: named with its toolchain', () => {
    expect(renderMarkdown(cases[0]![1])).toContain('**go124-hello.wasm** (Go 1.24.4): REGRESSION, high confidence');
  });

  it('several with one cause: three names in the open, then a count, the whole list folded', () => {
    const md = renderMarkdown(cases[1]![1]);
    expect(md).toContain('**go-0.wasm** (Go 1.24.4), **go-1.wasm**, **go-2.wasm** and 4 more — 7 artifacts, same cause: REGRESSION');
    expect(md).toContain('<details><summary>The 7 artifacts</summary>');
    const two = renderMarkdown(makeReport([named('x.wasm'), named('y.wasm')]));
    expect(two).toContain('**x.wasm** (Go 1.24.4) and **y.wasm** — 2 artifacts, same cause: REGRESSION');
    expect(two).not.toContain('<summary>The 2 artifacts');
  });
});

describe('sizes (bytes)', () => {
  it.each([
    ['one failure among five', 0, 4_000],
    ['seven failures, one cause', 1, 5_000],
    ['many causes', 2, 20_000],
  ] as const)('%s: the comment within its budget; the short form a fraction of it', (_n, i, budget) => {
    const report = cases[i]![1];
    const md = renderMarkdown(report, opts);
    expect(Buffer.byteLength(md)).toBeLessThan(budget);
    expect(Buffer.byteLength(renderMarkdown(report, { ...opts, form: 'short' }))).toBeLessThan(budget / 2);
  });
});
