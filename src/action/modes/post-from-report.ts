/**
 * `mode: post-from-report`: publish a report saved by an earlier run (of PR code: a fork's `report-only` stage) from a
 * `workflow_run` workflow, running nothing. The saved report is untrusted data: schema-validated, its summary
 * recomputed; the commit, the pull request and the links come from the event (GitHub's word), never from the report or
 * its metadata.
 */
import { existsSync } from 'node:fs';
import {
  metadataPath,
  parseRunMetadata,
  pullRequestsForCommit,
  triggeringRun,
  type RunMetadata,
  type Target,
} from '../../github/context.js';
import { deriveCommentKey, savedReportCommentKey, savedReportHeading } from '../../github/sticky-comment.js';
import { rederiveReport } from '../../diagnose/saved-report.js';
import { loadSignatures } from '../../diagnose/signatures.js';
import { readSavedReport } from '../../guard/safe-fs.js';
import type { Report } from '../../model.js';
import { parseReport } from '../../report/json.js';
import { summarize } from '../../report/summary.js';
import { InputError } from '../inputs.js';
import type { ActionIO } from '../io.js';
import type { ModeContext, ModeResult, ModeUnit } from '../mode.js';
import type { Publisher } from '../publisher.js';
import type { PublishOptions } from '../inputs.js';

export interface PostFromReportInputs {
  reportPath: string;
  /** The `signatures` input: the extra signature directories the saved report's diagnoses are derived again with. */
  signatureDirs: string[];
}

export const postFromReportMode: ModeUnit<PostFromReportInputs> = {
  inputs: (read, common) => {
    if (!common.reportPath) throw new InputError('report', '', 'mode post-from-report needs the path of a saved JSON report');
    return { reportPath: common.reportPath, signatureDirs: read('signatures') };
  },
  obtain: async (ctx, inputs) => {
    const file = inputs.reportPath;
    // Written by a run of PR code: validated against docs/report-schema.json, and its summary is never believed —
    // counts, result and conclusion are recomputed from the results; diagnoses, fixes and links are derived again
    // by this build (diagnose/saved-report.ts), what cannot be is quoted as the report's words.
    const saved = rederiveReport(
      parseReport(
        await readSavedReport(file).catch((e: Error) => {
          throw new Error(`Input 'report' has an invalid value '${file}': ${e.message}`);
        }),
      ),
      await loadSignatures(inputs.signatureDirs),
    );
    const report: Report = { ...saved, summary: summarize(saved.results) };
    const metaFile = metadataPath(file);
    const meta = existsSync(metaFile) ? parseRunMetadata(await readSavedReport(metaFile, 'report metadata', 64 * 1024)) : undefined;
    return placed(ctx, inputs.publish, report, meta);
  },
};

/** The saved report where it belongs: the triggering run's comment, heading, links and pull request. */
function placed(ctx: ModeContext, publish: PublishOptions, report: Report, meta: RunMetadata | undefined): ModeResult {
  const { io, runner } = ctx;
  const fromEvent = triggeringRun(runner.event, runner.serverUrl);
  // The saved key and heading are PR data: the key is used only inside the triggering workflow's own comments, and
  // the heading names that workflow (from the event), the saved one only as unverified text (see sticky-comment.ts).
  const ownKey = deriveCommentKey(runner.workflow, runner.job, publish.matrix);
  const chosen = savedReportCommentKey(meta?.commentKey, fromEvent?.workflow, ownKey);
  let commentKey = publish.commentKey ?? ownKey;
  if (publish.commentKey === undefined) {
    if (chosen.refused) io.warning(`Not using the saved report's comment key: ${chosen.refused}. Posting under '${chosen.key}'.`);
    commentKey = chosen.key;
  }
  return {
    report,
    placement: {
      commentKey,
      heading: savedReportHeading(meta?.heading, fromEvent?.workflow, chosen.job),
      detailsUrl: fromEvent?.htmlUrl,
      runOrder: fromEvent ? { id: fromEvent.id, attempt: fromEvent.attempt } : undefined,
    },
    // Compared with the triggering job's baselines (whatever stage 1 wrote about its own is dropped).
    baselineScope: chosen.key,
    resolveTarget: async (target, publisher) => {
      if (meta && meta.headSha !== target.headSha) {
        io.warning(
          `The saved report says it is for ${meta.headSha}; the triggering run was for ${target.headSha}: posting for the latter.`,
        );
      }
      return postTarget(io, target, publisher);
    },
  };
}

/**
 * Where a saved report's comment goes: the PR GitHub lists for the triggering run when its head is that run's
 * commit, else the open PR whose head is that commit (asked of the API). Never a number from the report.
 */
async function postTarget(io: ActionIO, target: Target, publisher: Publisher): Promise<Target> {
  if (target.pullNumber !== undefined || !publisher.octokit) return target;
  const found = await publisher.attempt('look up the pull request for the commit', (o) => pullRequestsForCommit(o, target));
  if (found?.length === 1) return { ...target, pullNumber: found[0] };
  io.warning(
    found && found.length > 1
      ? `Pull requests ${found.map((n) => `#${n}`).join(', ')} all have head ${target.headSha}: ` +
          `no comment (which one is meant is not known).`
      : `No open pull request has head ${target.headSha} (the commit the triggering run was for): no comment.`,
  );
  return target;
}
