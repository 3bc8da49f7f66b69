/**
 * One finding per artifact that is not PASS: where it is (a workspace-relative path), whether it fails `fail-on`, and
 * what to say about it. The annotations (github/annotations.ts) show them; any renderer may.
 */
import path from 'node:path';
import type { ArtifactResult, Report } from '../model.js';
import { resultFails, type FailOn } from './fail-on.js';
import { ellipsize } from './text.js';
import { VERDICT_TABLE } from './verdicts.js';

export interface Finding {
  /** Artifact path, relative to the workspace, with forward slashes. */
  path: string;
  /** `failure` when the verdict trips `fail-on`, else `warning`. */
  level: 'failure' | 'warning';
  title: string;
  message: string;
}

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
  const lines = [`${shownPath} ${VERDICT_TABLE[r.verdict].annotation}.`];
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
