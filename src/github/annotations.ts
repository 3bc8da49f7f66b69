/**
 * The findings (report/findings.ts: one per artifact that is not PASS) shown two ways: workflow annotations
 * (`::error file=…`) in the run's log and summary, and check-run annotations on the file in the PR.
 */
import type { Finding } from '../report/findings.js';
import type { CheckRunAnnotation } from './check-run.js';

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
