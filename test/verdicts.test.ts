/**
 * One verdict table (src/report/verdicts.ts): every verdict of the model has its entry, and the counts, the gate,
 * the renderers and the annotations all read it.
 */
import { describe, expect, it } from 'vitest';
import { VERDICTS as MODEL_VERDICTS } from '../src/model.js';
import { FAIL_ON } from '../src/report/fail-on.js';
import { collectFindings } from '../src/report/findings.js';
import { VERDICT_ICON, VERDICT_MEANING } from '../src/report/format.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { summarize } from '../src/report/summary.js';
import { renderTerminal } from '../src/report/terminal.js';
import { GATING_VERDICTS, REGRESSION_VERDICTS, VERDICT_TABLE, VERDICTS } from '../src/report/verdicts.js';
import { makeReport, makeResult } from './report-factory.js';

describe('the verdict table', () => {
  it('has an entry for every verdict of the model, and the counts list them in its order', () => {
    expect([...VERDICTS].sort()).toEqual([...MODEL_VERDICTS].sort());
    expect(Object.keys(summarize([]).counts)).toEqual([...VERDICTS]);
  });

  it('the gate and the regression count are its columns', () => {
    expect(FAIL_ON.regression.verdicts).toEqual(GATING_VERDICTS);
    expect(GATING_VERDICTS).toEqual(VERDICTS.filter((v) => VERDICT_TABLE[v].gates));
    expect(REGRESSION_VERDICTS).toEqual(['REGRESSION', 'CONVERT-FAIL']);
    const report = makeReport(VERDICTS.map((v) => makeResult(`build/${v}.wasm`, v)));
    expect(summarize(report.results).regressions).toBe(2);
  });

  it.each(VERDICTS.filter((v) => v !== 'PASS'))('%s: the renderers and the annotations say what the table says', (verdict) => {
    const entry = VERDICT_TABLE[verdict];
    const report = makeReport([makeResult(`build/${verdict}.wasm`, verdict)]);
    expect(VERDICT_ICON[verdict]).toBe(entry.icon);
    expect(VERDICT_MEANING[verdict]).toBe(entry.meaning);
    expect(renderMarkdown(report)).toContain(entry.icon);
    expect(renderTerminal(report, { color: false })).toContain(entry.mark);
    const [finding] = collectFindings(report, 'regression');
    expect(finding?.message).toContain(`build/${verdict}.wasm ${entry.annotation}.`);
    expect(finding?.level).toBe(entry.gates ? 'failure' : 'warning');
  });
});
