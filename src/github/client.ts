/**
 * The one Octokit the Action uses: `@actions/github`'s client (REST methods + pagination, the runner's proxy
 * settings) with the retry plugin (5xx and network errors) and the throttling plugin (primary and secondary rate
 * limits, and GitHub's pacing of content-creating requests).
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';

export type Octokit = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  /** REST base URL, from `GITHUB_API_URL` (GitHub Enterprise Server: `https://HOST/api/v3`). */
  baseUrl: string;
  /** Where the plugins' decisions are logged (rate-limit waits, retries). */
  log: (message: string) => void;
  /** Retries of one request after a rate limit before giving up. */
  rateLimitRetries?: number;
  userAgent?: string;
  /**
   * Milliseconds per second of waiting the plugins decide (retry back-off 1 s, 4 s, 9 s; `retry-after`; the 1 s
   * pacing of writes and 3 s of notification-triggering writes that GitHub asks for). 1000 on a runner; tests
   * shrink it so a persistent fault costs milliseconds, with the same decisions.
   */
  waitUnitMs?: number;
}

/**
 * @param token a GITHUB_TOKEN, an installation token or a PAT
 * @returns an Octokit that retries server errors and waits out rate limits
 */
export function createOctokit(token: string, options: ClientOptions): Octokit {
  const maxRetries = options.rateLimitRetries ?? 3;
  const unit = options.waitUnitMs ?? 1000;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const retrying = retryCount < maxRetries;
      options.log(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ` +
          (retrying ? `retrying after ${retryAfter}s (attempt ${retryCount + 1} of ${maxRetries})` : 'giving up'),
      );
      return retrying;
    };
  return getOctokit(
    token,
    {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      userAgent: options.userAgent ?? 'wasm-p2-check',
      throttle: {
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        retryAfterBaseValue: unit,
        // The plugin's own pacing groups, per client instead of per process, scaled like every other wait.
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: unit }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * unit }),
      },
      retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451], retryAfterBaseValue: unit },
      log: {
        debug: () => {},
        info: () => {},
        warn: (message: string) => options.log(message),
        error: () => {},
      },
    },
    retry,
    throttling,
  );
}

/** A request error from Octokit (or anything with an HTTP status). */
interface HttpError {
  status: number;
  message: string;
}

function isHttpError(e: unknown): e is HttpError {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number';
}

/**
 * Whether an API error means "this token may not do that": the read-only GITHUB_TOKEN of a pull request from a
 * fork, or a workflow whose `permissions` leave out `pull-requests`/`checks`. Not a failure of the check itself.
 */
export function isPermissionDenied(e: unknown): boolean {
  if (graphqlErrorTypes(e).includes('FORBIDDEN')) return true;
  if (!isHttpError(e)) return false;
  return e.status === 403 && !/rate limit/i.test(e.message);
}

/** `type`s of a GraphQL error response (`FORBIDDEN`, `NOT_FOUND`, …); GitHub answers those with HTTP 200. */
function graphqlErrorTypes(e: unknown): string[] {
  const errors = (e as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? errors.map((x) => String((x as { type?: unknown }).type ?? '')) : [];
}

/** A 404: the thing is gone (a comment deleted under us). */
export function isNotFound(e: unknown): boolean {
  return isHttpError(e) && e.status === 404;
}

/**
 * The API could not be reached at all (refused connection, DNS, TLS), after the retries: Octokit reports these as
 * status 500 with no response. Further requests in this run would only wait out the same retries.
 */
export function isUnreachable(e: unknown): boolean {
  return isHttpError(e) && e.status === 500 && (e as { response?: unknown }).response === undefined;
}

/**
 * One line for the log: `403 Resource not accessible by integration`; a connection that could not be made is named as
 * such (`cannot reach the GitHub API at http://127.0.0.1:9: connect ECONNREFUSED 127.0.0.1:9`), not as Octokit's
 * "500" for a request that got no answer.
 */
export function describeError(e: unknown): string {
  if (isUnreachable(e)) {
    const url = (e as { request?: { url?: unknown } }).request?.url;
    let where = 'the GitHub API';
    try {
      if (typeof url === 'string') where = `the GitHub API at ${new URL(url).origin}`;
    } catch {}
    return `cannot reach ${where}: ${(e as HttpError).message}`;
  }
  if (isHttpError(e)) return `${e.status} ${e.message.split(' - ')[0]}`;
  return e instanceof Error ? e.message : String(e);
}

/** GitHub answered, but not in the shape its API documents (a proxy's page, a truncated or malformed GraphQL reply). */
export class UnexpectedAnswer extends Error {
  constructor(api: string, what: string) {
    super(`unexpected answer from the GitHub ${api}: ${what}`);
  }
}

/**
 * The login of the token's user (a PAT) or undefined: installation tokens, GITHUB_TOKEN included, may not call
 * `GET /user` (403), and then comments are matched by marker and bot authorship instead.
 */
export async function tokenLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    // A probe, not a publishing step: one try. Retried like a server error it would cost minutes (1 + 4 retries)
    // before every comment when the endpoint fails, for an answer we can do without.
    const { data } = await octokit.rest.users.getAuthenticated({ request: { retries: 0 } });
    return data.login;
  } catch {
    return undefined;
  }
}
