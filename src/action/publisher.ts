import { describeError, isPermissionDenied, isUnreachable, type Octokit } from '../github/client.js';
import type { ActionIO } from './io.js';

/** Where the two-workflow setup for fork pull requests is explained. */
export const FORK_HELP = 'docs/forks.md';

/**
 * Every API step goes through `attempt`: its error never ends the run. A refusal (a fork's read-only token, missing
 * `permissions`) is explained once; any other error is named with the step. Once the API cannot be reached at all,
 * later steps are skipped instead of waiting out the same retries.
 */
export class Publisher {
  readonly failures: string[] = [];
  refused = false;
  unreachable?: string;
  constructor(
    readonly octokit: Octokit | undefined,
    private readonly io: ActionIO,
    private readonly isFork: boolean,
    /** Where the report file is; none when nothing was checked. */
    private readonly reportPath?: string,
  ) {}

  private get where(): string {
    return this.reportPath ? ` and in ${this.reportPath}` : '';
  }

  async attempt<T>(step: string, fn: (octokit: Octokit) => Promise<T>): Promise<T | undefined> {
    if (!this.octokit) return undefined;
    if (this.unreachable) {
      this.io.info(`Skipped: ${step} (the GitHub API could not be reached: ${this.unreachable}).`);
      return undefined;
    }
    try {
      return await fn(this.octokit);
    } catch (e) {
      if (isPermissionDenied(e)) {
        this.refused = true;
        this.io.warning(
          `Could not ${step} (${describeError(e)}). ` +
            (this.isFork
              ? 'This pull request comes from a fork, so its token is read-only: '
              : "The token lacks a permission (see the workflow's `permissions`): ") +
            `the result is still in the job summary${this.where}. ` +
            `For fork pull requests, use the two-workflow setup in ${FORK_HELP}.`,
        );
        return undefined;
      }
      if (isUnreachable(e)) this.unreachable = describeError(e);
      this.failures.push(`${step}: ${describeError(e)}`);
      this.io.warning(`Could not ${step}: ${describeError(e)}. The verdict stands; the result is in the job summary${this.where}.`);
      return undefined;
    }
  }
}
