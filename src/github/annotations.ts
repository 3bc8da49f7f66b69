/**
 * One finding per artifact that is not PASS, shown two ways: workflow annotations (`::error file=…`) in the run's
 * log and summary, and check-run annotations on the file in the PR.
 */
import path from 'node:path';
import { resultFails, type FailOn } from '../report/fail-on.js';
import type { ArtifactResult, Report, Verdict } from '../model.js';
import type { CheckRunAnnotation } from './check-run.js';
import { ellipsize } from '../report/text.js';

export interface Finding {
  /** Artifact path, relative to the workspace, with forward slashes. */
  path: string;
  /** `failure` when the verdict trips `fail-on`, else `warning`. */
  level: 'failure' | 'warning';
  title: string;
  message: string;
}

const WHAT: Record<Verdict, string> = {
  PASS: 'works as a P2 component',
  REGRESSION: 'works as a P1 module but fails as a P2 component',
  'CONVERT-FAIL': 'could not be converted to a P2 component',
  'PRE-EXISTING': 'fails as a P1 module already (not a P2 regression)',
  TIMEOUT: 'timed out',
  'INVALID-INPUT': 'is not a usable wasm module',
  'NOT-WASI': 'is not a WASI program (needs a specific non-WASI host)',
  ERROR: 'could not be checked (the checker could not carry out a run)',
  'P2-FAIL': 'fails as a P2 component (no P1 baseline to compare)',
};

/**
 * Repository-relative, forward slashes: what both kinds of annotation need to land on the file. An absolute path
 * inside the workspace is made relative; one outside stays absolute (and cannot be placed on a file).
 */
function normalisePath(p: string, workspace?: string): string {
  let rel = p;
  if (workspace && path.isAbsolute(p)) {
    const r = path.relative(workspace, p);
    if (!r.startsWith('..') && !path.isAbsolute(r)) rel = r;
  }
  return rel.replace(/\\/g, '/').replace(/^\.\//, '');
}

function messageFor(r: ArtifactResult, shownPath: string): string {
  const lines = [`${shownPath} ${WHAT[r.verdict]}.`];
  if (r.verdict === 'CONVERT-FAIL' && r.conversion?.error) lines.push(`Conversion error: ${r.conversion.error}`);
  if (r.verdict === 'INVALID-INPUT' && r.artifact.error) lines.push(r.artifact.error);
  const top = r.diagnoses[0];
  if (top) {
    lines.push(`Likely cause (${top.confidence} confidence): ${top.title}. ${ellipsize(top.cause, 400)}`);
    const fix = top.workarounds.find((w) => w.safe) ?? top.workarounds[0];
    if (fix) lines.push(`Workaround: ${fix.text}`);
  } else if (r.unknown) {
    lines.push(`Unknown failure: ${r.unknown.summary}`);
  } else if (r.p2?.trap) {
    lines.push(r.p2.trap.message);
  }
  return lines.join('\n');
}

/**
 * @returns a finding per artifact whose verdict is not PASS, failures first
 */
export function collectFindings(report: Report, failOn: FailOn, workspace?: string): Finding[] {
  const findings = report.results
    .filter((r) => r.verdict !== 'PASS')
    .map((r): Finding => {
      const shown = normalisePath(r.artifact.path, workspace);
      return {
        path: shown,
        level: resultFails(r, failOn) ? 'failure' : 'warning',
        title: `wasm-p2-check: ${r.verdict}`,
        message: messageFor(r, shown),
      };
    });
  return [...findings.filter((f) => f.level === 'failure'), ...findings.filter((f) => f.level !== 'failure')];
}

/** Check-run annotations for the findings on files in the repository (the API takes only relative paths). */
export function toCheckRunAnnotations(findings: Finding[]): CheckRunAnnotation[] {
  return findings
    .filter((f) => !f.path.startsWith('/') && !/^[A-Za-z]:/.test(f.path))
    .map((f) => ({
      path: f.path,
      start_line: 1,
      end_line: 1,
      annotation_level: f.level,
      title: f.title,
      message: f.message,
    }));
}

/** Where workflow annotations go: `core.error` / `core.warning` on a runner. */
export interface AnnotationSink {
  error(message: string, props: { file: string; title: string }): void;
  warning(message: string, props: { file: string; title: string }): void;
}

/** Workflow annotations: `core.error` for failures, `core.warning` for the rest, each on the artifact's file. */
export function emitWorkflowAnnotations(findings: Finding[], sink: AnnotationSink): void {
  for (const f of findings) {
    const props = { file: f.path, title: f.title };
    if (f.level === 'failure') sink.error(f.message, props);
    else sink.warning(f.message, props);
  }
}
