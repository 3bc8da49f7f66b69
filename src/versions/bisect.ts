/**
 * Bisect over an ordered list of releases: where does each artifact's outcome (verdict and cause) change? Checks the
 * two ends, and halves only the spans whose ends differ for some artifact, so one change costs O(log n) checks and k
 * changes O(k log n). A span whose ends agree is taken as unchanged inside (a change that reverts within a span is
 * not seen; a full matrix sees it). Only the artifacts whose ends differ are checked inside a span. Pure but for
 * `probe`, which is called at most once per (release, artifact).
 */

import type { Outcome } from '../model/versions.js';

export type { Outcome };

export interface Change {
  artifact: string;
  /** Last release with the earlier outcome and first release with the new one (adjacent in the list). */
  lastBefore: string;
  firstAfter: string;
  before: Outcome;
  after: Outcome;
}

/** Checks `artifacts` with `release`; returns an outcome for each. */
export type Probe = (release: string, artifacts: string[]) => Promise<Map<string, Outcome>>;

export interface BisectResult {
  changes: Change[];
  /** Releases checked, in the order they were (each with the artifacts checked there). */
  probed: { release: string; artifacts: string[] }[];
  /** Every outcome seen, by release then artifact. */
  outcomes: Map<string, Map<string, Outcome>>;
}

export const sameOutcome = (a: Outcome | undefined, b: Outcome | undefined): boolean => a?.verdict === b?.verdict && a?.cause === b?.cause;

export async function bisect(releases: string[], artifacts: string[], probe: Probe): Promise<BisectResult> {
  const outcomes = new Map<string, Map<string, Outcome>>();
  const probed: BisectResult['probed'] = [];
  const at = async (i: number, wanted: string[]): Promise<Map<string, Outcome>> => {
    const release = releases[i]!;
    const known = outcomes.get(release) ?? new Map<string, Outcome>();
    outcomes.set(release, known);
    const todo = wanted.filter((a) => !known.has(a));
    if (todo.length) {
      probed.push({ release, artifacts: todo });
      const got = await probe(release, todo);
      for (const a of todo) {
        const o = got.get(a);
        if (!o) throw new Error(`bisect: the check of ${release} gave no outcome for ${a}`);
        known.set(a, o);
      }
    }
    return known;
  };
  const changes: Change[] = [];
  const search = async (lo: number, hi: number, tracked: string[]): Promise<void> => {
    const [a, b] = [await at(lo, tracked), await at(hi, tracked)];
    const differ = tracked.filter((x) => !sameOutcome(a.get(x), b.get(x)));
    if (differ.length === 0) return;
    if (hi - lo === 1) {
      for (const x of differ) {
        changes.push({ artifact: x, lastBefore: releases[lo]!, firstAfter: releases[hi]!, before: a.get(x)!, after: b.get(x)! });
      }
      return;
    }
    const mid = lo + Math.floor((hi - lo) / 2);
    await search(lo, mid, differ);
    await search(mid, hi, differ);
  };
  if (releases.length === 1) await at(0, artifacts);
  else if (releases.length > 1) await search(0, releases.length - 1, artifacts);
  const order = new Map(releases.map((r, i) => [r, i]));
  changes.sort((x, y) => x.artifact.localeCompare(y.artifact) || order.get(x.lastBefore)! - order.get(y.lastBefore)!);
  return { changes, probed, outcomes };
}
