import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HELP } from '../src/cli/args.js';
import { FAIL_ON, FAIL_ON_VALUES, type FailOn, type FailOnDefinition, reportFails, resultFails } from '../src/report/fail-on.js';
import { VERDICTS } from '../src/report/verdicts.js';
import { collectFindings } from '../src/report/findings.js';
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

const root = path.resolve(import.meta.dirname, '..');
const read = (p: string) => readFileSync(path.join(root, p), 'utf8');

/**
 * What a piece of prose says each fail-on value fails: the text after `value` up to the next value names verdicts
 * (`those` = the previous value's), `anything but PASS`, `nothing`, and `TIMEOUT in P2 only`.
 */
function definitionsIn(text: string): Map<FailOn, { verdicts: string[]; p2OnlyTimeout: boolean }> {
  const flat = text.replace(/\s+/g, ' ');
  const at = FAIL_ON_VALUES.map((v) => ({ v, i: flat.search(new RegExp(`\`${v}\`|(?<![\\w-])${v}(?= \\(default\\)|:)`)) }))
    .filter((x) => x.i >= 0)
    .sort((a, b) => a.i - b.i);
  const out = new Map<FailOn, { verdicts: string[]; p2OnlyTimeout: boolean }>();
  let previous: string[] = [];
  at.forEach(({ v, i }, k) => {
    const part = flat.slice(i + v.length + 1, at[k + 1]?.i ?? flat.length);
    let verdicts: string[];
    if (/anything but `?PASS/.test(part)) verdicts = VERDICTS.filter((x) => x !== 'PASS');
    else if (/^\W*(\(default\)\W*)?nothing/.test(part)) verdicts = [];
    else {
      const named = VERDICTS.filter((x) =>
        new RegExp(`(?<![\\w-])${x}(?![\\w-])`).test(part.replace(/TIMEOUT` in P2 only|TIMEOUT in P2 only/, '')),
      );
      verdicts = [...new Set([...(/\bthose\b/.test(part) ? previous : []), ...named])];
    }
    out.set(v, {
      verdicts: verdicts.sort(),
      p2OnlyTimeout: /TIMEOUT`? in P2 only/.test(part) || (v !== 'never' && /\bthose\b/.test(part)),
    });
    previous = verdicts;
  });
  return out;
}

const expected = (v: FailOn) => {
  const d: FailOnDefinition = FAIL_ON[v];
  return { verdicts: [...d.verdicts].sort(), p2OnlyTimeout: d.p2OnlyTimeout && !d.verdicts.includes('TIMEOUT') };
};

describe('fail-on: one definition, wherever it is written', () => {
  const places: [string, string][] = [
    ['--help', HELP.slice(HELP.indexOf('  --fail-on'), HELP.indexOf('\n  -', HELP.indexOf('  --fail-on') + 1))],
    ['action.yml input', (parse(read('action.yml')) as { inputs: Record<string, { description: string }> }).inputs['fail-on']!.description],
  ];
  const docs = ['README.md', ...readdirMd('docs')].map((f) => [f, read(f)] as const);
  for (const [file, text] of docs) {
    const whatFails = /\*\*What fails\.\*\*([\s\S]*?)\n\n/.exec(text);
    if (whatFails) places.push([`${file} "What fails"`, whatFails[1]!]);
    for (const row of text.split('\n').filter((l) => /^\| `(--)?fail-on( WHAT)?` \|/.test(l))) places.push([`${file} table row`, row]);
  }

  it('is written in --help, action.yml, the README CLI and inputs tables and its "What fails" paragraph', () => {
    const names = places.map(([p]) => p).join('\n');
    for (const p of ['--help', 'action.yml', 'What fails', 'table row']) expect(names).toContain(p);
    expect(places.filter(([p]) => p.endsWith('table row')).length).toBeGreaterThanOrEqual(2);
  });

  for (const [place, text] of places) {
    it(`${place} says what each value fails, as src/report/fail-on.ts defines it`, () => {
      const said = definitionsIn(text);
      for (const v of FAIL_ON_VALUES) expect(said.get(v), `${place}: ${v}`).toEqual(expected(v));
    });
  }

  it("the workflows' fail-on comments use the definition's short phrase", () => {
    let seen = 0;
    for (const f of readdirSync(path.join(root, 'workflows'))) {
      for (const m of read(`workflows/${f}`).matchAll(/^\s*(?:#\s*)?fail-on:\s*([\w-]+)\s*#\s*(.*)/gm)) {
        seen++;
        expect(FAIL_ON_VALUES, `${f}: ${m[0]}`).toContain(m[1]);
        expect(m[2], `${f}: ${m[0]}`).toContain((FAIL_ON[m[1] as FailOn] as FailOnDefinition).short);
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('the checker reads the same table: resultFails fails exactly the defined verdicts', () => {
    for (const v of FAIL_ON_VALUES)
      for (const verdict of VERDICTS)
        expect(resultFails(result(verdict), v), `${v} ${verdict}`).toBe((FAIL_ON[v] as FailOnDefinition).verdicts.includes(verdict));
  });
});

function readdirMd(dir: string): string[] {
  try {
    return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.md'))
      .map((f) => `${dir}/${f}`);
  } catch {
    return [];
  }
}
