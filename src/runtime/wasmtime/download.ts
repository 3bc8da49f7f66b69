/**
 * Downloads the checker trusts (a wasmtime release archive, a release adapter): retried with backoff on transient
 * failures, checked for truncation, verified against a sha256 (pinned for the releases wasm-p2-check knows, recorded
 * on first use for others, with a warning), and archives are refused when an entry would land outside the folder
 * they are extracted into.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import pinned from './release-sha256.json' with { type: 'json' };

/** A download that failed: `status` is the HTTP status when the server answered. */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** Worth another attempt (a network error, a cut body, HTTP 408/429/5xx). */
    readonly transient = false,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface RetryOptions {
  /** Attempts in all (default 4). */
  attempts?: number;
  /** Wait before the second attempt; doubled for each further one, with jitter (default 1 s). */
  backoffMs?: number;
  /** Limit for one attempt (default 5 minutes). */
  timeoutMs?: number;
}

const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
/** A server's Retry-After is followed up to this long. */
const MAX_RETRY_AFTER_MS = 30_000;

/** Downloads `url` into `file`: transient failures are tried again (`attempts`), anything else fails at once. */
export async function fetchToFile(url: string, file: string, options: RetryOptions = {}): Promise<void> {
  const attempts = Math.max(1, options.attempts ?? 4);
  const backoff = options.backoffMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    let wait: number | undefined;
    try {
      await fetchOnce(url, file, options.timeoutMs ?? 5 * 60_000);
      return;
    } catch (e) {
      const error = e instanceof DownloadError ? e : new DownloadError((e as Error).message, undefined, true);
      if (!error.transient || attempt >= attempts) {
        throw attempt > 1 ? new DownloadError(`${error.message} (after ${attempt} attempts)`, error.status, error.transient) : error;
      }
      wait = (error as DownloadError & { retryAfterMs?: number }).retryAfterMs;
    }
    const delay = wait ?? backoff * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
    await sleep(Math.min(delay, MAX_RETRY_AFTER_MS));
  }
}

async function fetchOnce(url: string, file: string, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new DownloadError(cause?.code ?? cause?.message ?? (e as Error).message, undefined, true);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    const error = new DownloadError(`HTTP ${response.status}`, response.status, TRANSIENT_STATUS.has(response.status));
    const after = Number(response.headers.get('retry-after'));
    if (Number.isFinite(after) && after >= 0) Object.assign(error, { retryAfterMs: after * 1000 });
    throw error;
  }
  const expected = Number(response.headers.get('content-length') ?? Number.NaN);
  let received = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), count, createWriteStream(file));
  } catch (e) {
    throw new DownloadError(`the download was cut after ${received} bytes (${(e as Error).message})`, undefined, true);
  }
  // A body shorter than announced (a connection closed early without an error) is a cut download too.
  if (Number.isFinite(expected) && received !== expected) {
    throw new DownloadError(`the download was cut: ${received} of ${expected} bytes`, undefined, true);
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Where sha256 values recorded on first use are kept (the release cache provides it). */
export interface Sha256Record {
  recorded(key: string): Promise<string | undefined>;
  record(key: string, sha256: string): Promise<void>;
}

/** The pinned sha256 of a release asset (`v{version}/{asset}`), when wasm-p2-check knows the release. */
export function pinnedSha256(version: string, asset: string, table: Record<string, string> = pinned): string | undefined {
  return table[`v${version}/${asset}`];
}

/**
 * Checks a downloaded release asset: against its pinned sha256, else against the one recorded when it was first
 * downloaded (recording it now, with a warning, when this is the first time).
 * @throws Error naming both hashes when the file is not the one expected (corrupted, or not what was published)
 */
export async function verifyAsset(
  file: string,
  what: { version: string; asset: string; url: string },
  store: Sha256Record | undefined,
  log: (message: string) => void,
  table?: Record<string, string>,
): Promise<string> {
  const actual = await sha256File(file);
  const key = `v${what.version}/${what.asset}`;
  const pin = pinnedSha256(what.version, what.asset, table);
  const expected = pin ?? (await store?.recorded(key));
  if (expected !== undefined && expected !== actual) {
    throw new Error(
      `${what.asset} of wasmtime v${what.version} from ${what.url} has sha256 ${actual}, expected ${expected} ` +
        `(${pin ? 'pinned by wasm-p2-check' : 'recorded when it was first downloaded'}): corrupted or not the published file; ` +
        'nothing was installed',
    );
  }
  if (expected === undefined) {
    await store?.record(key, actual);
    log(
      `warning: wasmtime v${what.version} is not a release wasm-p2-check knows: ${what.asset} could not be verified; ` +
        `its sha256 ${actual} is recorded${store ? '' : ' nowhere (no cache)'} and later downloads must match it`,
    );
  }
  return actual;
}

/**
 * Why an archive entry would land outside the folder it is extracted into (an absolute path, a `..` step, a
 * Windows drive or backslash path), or undefined when it stays inside.
 */
export function unsafeEntry(name: string): string | undefined {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute path';
  if (name.includes('\\')) return 'a backslash path';
  if (name.split('/').includes('..')) return 'a ".." step';
  if (/[\0\n\r]/.test(name)) return 'a control character';
  return undefined;
}
