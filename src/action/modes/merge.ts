import path from 'node:path';
import { glob } from 'tinyglobby';
import { rederiveReport } from '../../diagnose/saved-report.js';
import { loadSignatures } from '../../diagnose/signatures.js';
import type { Report } from '../../model.js';
import { parseReport } from '../../report/json.js';
import { mergeReports, type MergeInput } from '../../report/merge.js';
import { InputError } from '../inputs.js';
import type { ModeUnit } from '../mode.js';
import type { RunnerEnv } from '../runner-env.js';
import { readSavedReport } from '../../guard/safe-fs.js';

export interface MergeInputs {
  /** Globs of the JSON reports to merge (relative to the workspace). */
  reports: string[];
  /** The `signatures` input: the extra signature directories the reports' diagnoses are derived again with. */
  signatureDirs: string[];
}

export const mergeMode: ModeUnit<MergeInputs> = {
  inputs: (read) => {
    const reports = read('reports');
    if (reports.length === 0) throw new InputError('reports', '', 'mode merge needs the JSON reports to merge (globs, one per line)');
    return { reports, signatureDirs: read('signatures') };
  },
  obtain: async (ctx, inputs) => ({ report: await mergedReport(inputs, ctx.runner) }),
};

/**
 * `mode: merge`: the reports of the shard/matrix jobs, each read as untrusted input (schema-validated), merged into
 * one. Each is named by its path under the workspace (`reports/shard-1/report`), unless it carries a label.
 */
async function mergedReport({ reports: patterns, signatureDirs }: MergeInputs, runner: RunnerEnv): Promise<Report> {
  const files = (
    await glob(patterns, {
      cwd: runner.workspace,
      absolute: true,
      onlyFiles: true,
      dot: false,
      expandDirectories: false,
      followSymbolicLinks: false,
    })
  ).sort();
  if (files.length === 0) throw new Error(`Input 'reports' matched no files (${patterns.join(', ')}): did the jobs upload their reports?`);
  const parts: MergeInput[] = [];
  // The jobs ran pull-request code: what their reports say in our voice is derived again here.
  const db = await loadSignatures(signatureDirs);
  for (const file of files) {
    const source = path
      .relative(runner.workspace, file)
      .split(path.sep)
      .join('/')
      .replace(/\.json$/, '');
    try {
      parts.push({ source, report: rederiveReport(parseReport(await readSavedReport(file)), db) });
    } catch (e) {
      throw new Error(`Cannot merge ${source}.json: ${(e as Error).message}`);
    }
  }
  return mergeReports(parts);
}
