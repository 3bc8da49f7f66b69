/**
 * The report's output formats, declared as data: each renders a Report to text, says what it is, and names the
 * Action output that gives its path (if the Action writes it). The CLI's `--output FORMAT=FILE` choices and help
 * (src/options/table.ts), the files it writes (src/cli/index.ts) and action.yml's outputs (scripts/options.mjs) all
 * come from here. A new format: an entry here and its renderer; the terminal stays the default on stdout.
 */
import type { Report } from '../model.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';

export interface ReportFormat {
  /** What the output is (CLI --help). */
  description: string;
  render(report: Report): string;
  /** The Action output that gives the path of the file in this format, when the Action writes one. */
  actionOutput?: { name: string; description: string };
}

export const REPORT_FORMATS = {
  json: {
    description: 'the JSON report (docs/report-schema.json)',
    render: renderJson,
    actionOutput: { name: 'report-json', description: 'Path of the JSON report.' },
  },
  markdown: {
    description: 'the Markdown report (as in the pull-request comment)',
    render: (report) => renderMarkdown(report, {}),
  },
} satisfies Record<string, ReportFormat>;

export type ReportFormatName = keyof typeof REPORT_FORMATS;

export const REPORT_FORMAT_NAMES = Object.keys(REPORT_FORMATS) as ReportFormatName[];

/** One requested output: a format, to a file or `-` (stdout); `given` is how it was asked for (for messages). */
export interface ReportOutput {
  format: ReportFormatName;
  path: string;
  given: string;
}
