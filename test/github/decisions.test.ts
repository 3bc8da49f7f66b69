import { describe, expect, it } from 'vitest';
import { emitWorkflowAnnotations, toCheckRunAnnotations } from '../../src/github/annotations.js';
import { collectFindings } from '../../src/report/findings.js';
import { batchAnnotations } from '../../src/github/check-run.js';
import { metadataPath, parseRunMetadata } from '../../src/github/context.js';
import { checkConclusion, checkTitle, resultOutput } from '../../src/github/outcome.js';
import {
  decideComment,
  deriveCommentKey,
  matrixHeading,
  readCommentState,
  savedReportCommentKey,
  savedReportHeading,
} from '../../src/github/sticky-comment.js';
import type { ArtifactResult, Report, Verdict } from '../../src/model.js';
import { summarize } from '../../src/report/summary.js';

function report(verdicts: Verdict[]): Report {
  const results = verdicts.map(
    (verdict, i): ArtifactResult => ({
      artifact: { path: `./build/m${i}.wasm`, size: 8, sha256: 'x', kind: 'module' },
      predictions: [],
      verdict,
      differences: [],
      notes: [],
      diagnoses:
        verdict === 'REGRESSION'
          ? [
              {
                signatureId: 'go-p2-exit',
                title: 'Go runtime exits through proc_exit',
                confidence: 'high',
                score: 1,
                cause: 'The adapter traps.',
                evidence: [],
                workarounds: [{ text: 'Use wasmtime >= 34', safe: true }],
                links: [],
              },
            ]
          : [],
    }),
  );
  return {
    schemaVersion: 1,
    tool: { name: 'wasm-p2-check', version: '0.0.0' },
    createdAt: '2025-01-01T00:00:00Z',
    runtime: { requested: 'embedded', p1: { name: 'node:wasi', version: '20' }, p2: { name: 'preview2-shim', version: '0.26' } },
    sandbox: { args: [], envKeys: [], dirs: [], stdin: false, timeoutMs: 1000, outputCapBytes: 1000 },
    results,
    summary: summarize(results),
  };
}

describe('comment decisions', () => {
  it.each([
    ['on-failure', true, undefined, { action: 'create', state: 'failing' }],
    ['on-failure', false, undefined, { action: 'skip' }],
    ['on-failure', false, 'failing', { action: 'update', state: 'fixed' }],
    ['on-failure', false, 'fixed', { action: 'update', state: 'fixed' }],
    ['on-failure', true, 'fixed', { action: 'update', state: 'failing' }],
    ['always', false, undefined, { action: 'create', state: 'passing' }],
    ['always', false, 'passing', { action: 'update', state: 'passing' }],
    ['update-only', true, undefined, { action: 'skip' }],
    ['update-only', false, 'failing', { action: 'update', state: 'fixed' }],
    ['never', true, 'failing', { action: 'skip' }],
  ] as const)('%s, failing=%s, existing=%s', (mode, failing, existing, expected) => {
    expect(decideComment(mode, failing, existing)).toMatchObject(expected);
  });

  it('reads the state marker, treating unmarked bodies as failing', () => {
    expect(readCommentState({ state: 'fixed' })).toBe('fixed');
    expect(readCommentState({})).toBe('failing');
  });

  it('derives a stable, safe key per workflow, job and matrix', () => {
    expect(deriveCommentKey('CI', 'check')).toBe('CI/check');
    const a = deriveCommentKey('CI', 'check', { go: '1.24', os: 'linux' });
    expect(a).toMatch(/^CI\/check\/[0-9a-f]{12}$/);
    expect(deriveCommentKey('CI', 'check', { os: 'linux', go: '1.24' })).toBe(a);
    expect(deriveCommentKey('CI', 'check', { go: '1.23', os: 'linux' })).not.toBe(a);
    expect(deriveCommentKey('x --> <b>', 'j')).not.toMatch(/--|>|</);
    expect(matrixHeading('wasm-p2-check', { go: '1.24' })).toBe('wasm-p2-check (go: 1.24)');
  });

  it('a saved report’s heading: the triggering workflow and the accepted key’s job; the saved words only labelled', () => {
    const { job } = savedReportCommentKey(`CI/wasm/${'ab'.repeat(6)}`, 'CI', 'report/post');
    expect(job).toBe('wasm');
    expect(savedReportCommentKey('Release/check', 'CI', 'report/post').job).toBeUndefined();
    expect(savedReportHeading('wasm-p2-check (go: 1.24)', 'CI', job)).toBe(
      'wasm-p2-check (CI / wasm) [unverified label from the report: go: 1.24]',
    );
    expect(savedReportHeading('wasm-p2-check', 'CI', undefined)).toBe('wasm-p2-check (CI)');
    expect(savedReportHeading(undefined, undefined, undefined)).toBe('wasm-p2-check');
    // No workflow in the event: nothing is known but the product's name.
    expect(savedReportHeading('Release <b>[ok]</b>', undefined, undefined)).toBe(
      'wasm-p2-check [unverified label from the report: Release b ok /b]',
    );
  });
});

describe('outcome', () => {
  it('maps fail-on to the check conclusion and the result output', () => {
    const pass = report(['PASS', 'PASS']);
    const regress = report(['PASS', 'REGRESSION']);
    const preexisting = report(['PASS', 'PRE-EXISTING']);
    expect([checkConclusion(pass, 'regression'), resultOutput(pass), checkTitle(pass)]).toEqual([
      'success',
      'pass',
      'All 2 artifacts work as P2 components',
    ]);
    expect([checkConclusion(regress, 'regression'), checkConclusion(regress, 'any'), checkConclusion(regress, 'never')]).toEqual([
      'failure',
      'failure',
      'neutral',
    ]);
    expect([checkConclusion(preexisting, 'regression'), checkConclusion(preexisting, 'any')]).toEqual(['neutral', 'failure']);
    expect(resultOutput(regress)).toBe('regression');
    expect(resultOutput(preexisting)).toBe('fail');
    expect(checkTitle(regress)).toBe('1 of 2 artifacts breaks as a P2 component');
    // One artifact (a matrix entry): singular all the way.
    expect(checkTitle(report(['PASS']))).toBe('The artifact works as a P2 component');
    expect(checkTitle(report(['REGRESSION']))).toBe('1 of 1 artifact breaks as a P2 component');
    expect(checkTitle(report(['REGRESSION', 'REGRESSION']))).toBe('2 of 2 artifacts break as P2 components');
    expect(checkTitle(preexisting)).toBe('1 of 2 artifacts fails (not a P2 regression)');
  });

  it('makes one finding per non-PASS artifact, level by fail-on', () => {
    const r = report(['PASS', 'PRE-EXISTING', 'REGRESSION']);
    const findings = collectFindings(r, 'regression');
    expect(findings.map((f) => [f.path, f.level])).toEqual([
      ['build/m2.wasm', 'failure'],
      ['build/m1.wasm', 'warning'],
    ]);
    expect(findings[0]!.message).toContain('Likely cause (high confidence): Go runtime exits through proc_exit');
    expect(findings[0]!.message).toContain('Workaround: Use wasmtime >= 34');
    expect(collectFindings(r, 'any').every((f) => f.level === 'failure')).toBe(true);
    expect(toCheckRunAnnotations(findings)[0]).toMatchObject({
      path: 'build/m2.wasm',
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure',
    });
    const calls: string[] = [];
    emitWorkflowAnnotations(findings, {
      error: (_m, p) => calls.push(`error ${p?.file}`),
      warning: (_m, p) => calls.push(`warning ${p?.file}`),
    });
    expect(calls).toEqual(['error build/m2.wasm', 'warning build/m1.wasm']);
  });

  it('puts annotations on workspace-relative paths only', () => {
    const r = report(['REGRESSION', 'REGRESSION']);
    r.results[0]!.artifact.path = '/ws/out/a.wasm';
    r.results[1]!.artifact.path = '/elsewhere/b.wasm';
    const findings = collectFindings(r, 'regression', '/ws');
    expect(findings.map((f) => f.path)).toEqual(['out/a.wasm', '/elsewhere/b.wasm']);
    expect(toCheckRunAnnotations(findings).map((a) => a.path)).toEqual(['out/a.wasm']);
  });

  it('batches annotations 50 at a time', () => {
    const a = Array.from({ length: 101 }, () => ({
      path: 'p',
      start_line: 1,
      end_line: 1,
      annotation_level: 'warning' as const,
      message: 'm',
    }));
    expect(batchAnnotations(a).map((b) => b.length)).toEqual([50, 50, 1]);
    expect(batchAnnotations([])).toEqual([[]]);
  });
});

describe('report metadata', () => {
  const good = {
    schemaVersion: 1,
    repository: 'o/r',
    eventName: 'pull_request',
    headSha: 'a'.repeat(40),
    pullNumber: 3,
    commentKey: 'CI/check',
    heading: 'wasm-p2-check',
  };
  it('accepts what report-only writes and rejects anything unsafe', () => {
    expect(parseRunMetadata(JSON.stringify(good))).toMatchObject(good);
    expect(() => parseRunMetadata(JSON.stringify({ ...good, commentKey: 'x --> <script>' }))).toThrow(/commentKey/);
    expect(() => parseRunMetadata(JSON.stringify({ ...good, headSha: 'main' }))).toThrow(/headSha/);
    expect(() => parseRunMetadata(JSON.stringify({ ...good, pullNumber: -1 }))).toThrow(/pullNumber/);
    expect(parseRunMetadata(JSON.stringify({ ...good, runUrl: 'javascript:alert(1)' })).runUrl).toBeUndefined();
    expect(metadataPath('/x/report.json')).toBe('/x/report.meta.json');
  });
});
