import { describe, expect, it } from 'vitest';
import { reportFails, resultFails } from '../src/report/fail-on.js';
import { collectFindings } from '../src/github/annotations.js';
import type { ArtifactResult, Verdict } from '../src/model.js';
import { makeArtifact, makeReport, makeRun } from './report-factory.js';

function result(verdict: Verdict, over: Partial<ArtifactResult> = {}): ArtifactResult {
  return {
    artifact: makeArtifact(`${verdict}.wasm`),
    predictions: [],
    verdict,
    differences: [],
    notes: [],
    diagnoses: [],
    p1: makeRun('p1'),
    p2: makeRun('p2'),
    ...over,
  };
}

describe('fail-on', () => {
  it('regression (default) fails REGRESSION, CONVERT-FAIL, ERROR and a P2-only TIMEOUT; nothing else', () => {
    const failing = ['REGRESSION', 'CONVERT-FAIL', 'ERROR'] as const;
    for (const v of failing) expect(resultFails(result(v), 'regression'), v).toBe(true);
    for (const v of ['PASS', 'PRE-EXISTING', 'INVALID-INPUT', 'NOT-WASI'] as const)
      expect(resultFails(result(v), 'regression'), v).toBe(false);
    expect(resultFails(result('TIMEOUT', { p2: makeRun('p2', { timedOut: true, exitCode: null }) }), 'regression')).toBe(true);
    expect(
      resultFails(
        result('TIMEOUT', { p1: makeRun('p1', { timedOut: true, exitCode: null }), p2: makeRun('p2', { timedOut: true, exitCode: null }) }),
        'regression',
      ),
    ).toBe(false);
    expect(resultFails(result('ERROR'), 'never')).toBe(false);
    expect(resultFails(result('PRE-EXISTING'), 'any')).toBe(true);
  });

  it('not-wasi: the regression verdicts plus NOT-WASI (a module built for a non-WASI host), nothing else', () => {
    for (const v of ['REGRESSION', 'CONVERT-FAIL', 'ERROR', 'NOT-WASI'] as const) expect(resultFails(result(v), 'not-wasi'), v).toBe(true);
    for (const v of ['PASS', 'PRE-EXISTING', 'INVALID-INPUT'] as const) expect(resultFails(result(v), 'not-wasi'), v).toBe(false);
    expect(reportFails(makeReport([result('PASS'), result('NOT-WASI')]), 'regression')).toBe(false);
    expect(reportFails(makeReport([result('PASS'), result('NOT-WASI')]), 'not-wasi')).toBe(true);
  });

  it('a report with only an ERROR fails the step, and annotations agree with the step (one rule)', () => {
    const report = makeReport([result('PASS'), result('ERROR'), result('PRE-EXISTING')]);
    expect(reportFails(report, 'regression')).toBe(true);
    const levels = Object.fromEntries(collectFindings(report, 'regression').map((f) => [f.path, f.level]));
    expect(levels).toEqual({ 'ERROR.wasm': 'failure', 'PRE-EXISTING.wasm': 'warning' });
  });

  it('a configuration error fails whatever fail-on says', () => {
    const report = { ...makeReport([]), configurationError: { option: 'adapter', message: 'x' } };
    expect(reportFails(report, 'never')).toBe(true);
  });
});
