/**
 * diagnose/saved-report.ts on its own (the Action's post-from-report and merge are in test/action/saved-report.test.ts):
 * quotations break every auto-link, and what a saved report says in the checker's voice is derived again or quoted.
 */
import { describe, expect, it } from 'vitest';
import {
  breakAutolinks,
  MAX_QUOTED_CHARS,
  quoteFromReport,
  REDERIVE_BUDGET_MS,
  rederiveReport,
  rederiveResult,
} from '../src/diagnose/saved-report.js';
import { loadSignatures } from '../src/diagnose/signatures.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { goRegression, makeReport, makeResult } from './report-factory.js';

describe('quotations from a saved report', () => {
  it('break every auto-link GitHub would make, and are capped', () => {
    expect(breakAutolinks('see https://a.example, http://b, ftp://c, WWW.d.example and me@e.example')).toBe(
      'see https:\u200b//a.example, http:\u200b//b, ftp:\u200b//c, WWW\u200b.d.example and me@\u200be.example',
    );
    expect(quoteFromReport('two\nlines')).toBe('“two lines”');
    expect(quoteFromReport('x'.repeat(5000))).toBe(`“${'x'.repeat(MAX_QUOTED_CHARS)}…”`);
  });

  it('a configuration error, the warnings and the notes of a saved report link nowhere; the first two are quoted', async () => {
    const db = await loadSignatures();
    const result = makeResult('a.wasm', 'PASS', { notes: [{ code: 'hosts-differ', message: 'see https://evil.example' }] });
    const report = rederiveReport(
      makeReport([result], {
        configurationError: { option: 'dirs', message: 'Harmless, see https://evil.example' },
        warnings: [{ code: 'x', message: 'www.evil.example says hi' }],
      }),
      db,
    );
    expect(report.configurationError?.message).toBe('the saved report says: “Harmless, see https:\u200b//evil.example”');
    expect(report.warnings?.[0]?.message).toBe('The saved report warns: “www\u200b.evil.example says hi”');
    expect(report.results[0]!.notes[0]!.message).toBe('see https:\u200b//evil.example');
    const md = renderMarkdown(report);
    expect(md).not.toMatch(/https:\/\/evil|www\.evil/);
  });

  it('a compared report’s “was on the baseline” cause (a merged job’s classes) is quoted once, its links broken', async () => {
    const db = await loadSignatures();
    const was = (cause: string) =>
      makeResult('a.wasm', 'REGRESSION', { change: { class: 'changed', base: { path: 'a.wasm', verdict: 'REGRESSION', cause } } });
    const [forged, quoted] = rederiveReport(
      makeReport([was('Harmless, see https://evil.example'), was('The saved report says: “Harmless, see https://evil.example”')]),
      db,
    ).results;
    expect(forged!.change?.base?.cause).toBe('The saved report says: “Harmless, see https:\u200b//evil.example”');
    expect(quoted!.change?.base?.cause).toBe('The saved report says: “Harmless, see https:\u200b//evil.example”');
  });

  it('results the time ran out for keep their diagnoses as quotations only (a 256 MB report is about 1 ms a result)', async () => {
    const db = await loadSignatures();
    let t = 0;
    const report = rederiveReport(makeReport([goRegression(), goRegression()]), db, () => (t += REDERIVE_BUDGET_MS / 2 + 1));
    const [first, second] = report.results;
    expect(first).toEqual(rederiveResult(goRegression(), db));
    expect(second!.diagnoses.length).toBeGreaterThan(0);
    expect(second!.diagnoses.every((d) => d.title.startsWith('The saved report says') && d.cause.includes('time'))).toBe(true);
    expect(second!.predictions).toEqual([]);
    expect(second!.unknown).toBeUndefined();
  });
});
