/**
 * A check run with a stable name on the commit under test, created once the check has run, already completed with a
 * conclusion that follows `fail-on`, so branch protection can require it. Never left `in_progress`: there is no
 * moment between "started" and "completed" in which an API fault could strand it.
 */
import type { Octokit } from './client.js';
import { truncateMarkdown } from '../report/markdown-utils.js';
import { MAX_CHECK_SUMMARY_CHARS } from './markdown-limits.js';
import { ellipsize } from '../report/text.js';
import { matrixHeading } from './sticky-comment.js';

/** The Checks API takes at most 50 annotations per request; the rest go in follow-up updates. */
export const ANNOTATIONS_PER_REQUEST = 50;
const MAX_TITLE = 255;
const MAX_ANNOTATION_TEXT = 64 * 1024 - 1;

export type CheckConclusion = 'success' | 'failure' | 'neutral';

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRef {
  owner: string;
  repo: string;
  name: string;
  headSha: string;
  detailsUrl?: string;
}

/**
 * The check run's name: one per matrix entry, since a required check matches by name and same-named runs on one
 * commit would hide each other. Every run of a job (a verdict, a failure, a configuration error) uses this name.
 */
export function checkRunName(name: string, matrix?: Record<string, unknown>): string {
  return matrix ? matrixHeading(name, matrix).slice(0, 255) : name;
}

export interface CheckRunHandle {
  id: number;
  url: string;
}

export interface CheckRunResult {
  conclusion: CheckConclusion;
  title: string;
  /** Markdown, cut to 65,535 characters here if the caller did not. */
  summary: string;
  annotations: CheckRunAnnotation[];
  /** Where the full report is, for the truncation note. */
  detailsUrl?: string;
}

/** Splits into request-sized batches; always at least one (possibly empty) batch. */
export function batchAnnotations(annotations: CheckRunAnnotation[], size = ANNOTATIONS_PER_REQUEST): CheckRunAnnotation[][] {
  const batches: CheckRunAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += size) batches.push(annotations.slice(i, i + size));
  return batches.length ? batches : [[]];
}

/**
 * Completes the check run `handle`, or creates it completed when there is none (what the Action does), sending the
 * first 50 annotations with the result and the rest in further updates.
 */
export async function finishCheckRun(
  octokit: Octokit,
  ref: CheckRunRef,
  handle: CheckRunHandle | undefined,
  result: CheckRunResult,
): Promise<CheckRunHandle> {
  const output = {
    title: ellipsize(result.title, MAX_TITLE),
    summary: truncateMarkdown(result.summary, MAX_CHECK_SUMMARY_CHARS, result.detailsUrl),
  };
  const annotations = result.annotations.map((a) => ({
    ...a,
    message: ellipsize(a.message, MAX_ANNOTATION_TEXT),
    ...(a.title !== undefined ? { title: ellipsize(a.title, MAX_TITLE) } : {}),
    ...(a.raw_details !== undefined ? { raw_details: ellipsize(a.raw_details, MAX_ANNOTATION_TEXT) } : {}),
  }));
  const [first = [], ...rest] = batchAnnotations(annotations);
  const completed = {
    status: 'completed' as const,
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    output: { ...output, annotations: first },
    ...(ref.detailsUrl ? { details_url: ref.detailsUrl } : {}),
  };
  let current: CheckRunHandle;
  if (handle) {
    const { data } = await octokit.rest.checks.update({ owner: ref.owner, repo: ref.repo, check_run_id: handle.id, ...completed });
    current = { id: data.id, url: data.html_url ?? handle.url };
  } else {
    const { data } = await octokit.rest.checks.create({
      owner: ref.owner,
      repo: ref.repo,
      name: ref.name,
      head_sha: ref.headSha,
      ...completed,
    });
    current = { id: data.id, url: data.html_url ?? '' };
  }
  for (const batch of rest) {
    // Annotations sent in an update are appended to the ones the run already has.
    await octokit.rest.checks.update({
      owner: ref.owner,
      repo: ref.repo,
      check_run_id: current.id,
      output: { ...output, annotations: batch },
    });
  }
  return current;
}
