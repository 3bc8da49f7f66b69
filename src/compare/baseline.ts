/**
 * The change against a baseline: a pure comparison of this run's report with an earlier one (typically the base
 * branch's), so that a gate can fail for what a change broke rather than for what was already broken.
 *
 * Results are matched by artifact path (within the same matrix entry when both reports are merged), then, for what is
 * left, by sha256: the same bytes under another path are a rename, not a removed and a new artifact. Each result gets
 * a change class (see `ChangeClass` in model/report.ts); the report records which baseline was used and how its setup
 * (tool and schema version, runtime, adapter, sandbox) differs. The baseline is untrusted input: callers read it with
 * `baselineReport` (validated, summary recomputed, diagnoses derived again by this build), and nothing here trusts its
 * summary.
 */
import {
  CHANGE_CLASSES,
  type ArtifactResult,
  type BaselineInfo,
  type BaselineResult,
  type ChangeClass,
  type Report,
  type ResultChange,
} from '../model.js';
import { rederiveReport } from '../diagnose/saved-report.js';
import type { SignatureDb } from '../diagnose/signatures.js';
import { resultFails } from '../report/fail-on.js';
import { parseBaseline } from '../report/json.js';
import { adapterLabel, causeKey, causeText, runtimeLabel } from '../report/format.js';

/**
 * A saved report as a baseline (or as either side of `diff`): validated against the schema (`parseBaseline`), and,
 * like any saved report (issue 17 item 6), its diagnoses derived again with this build's signature database
 * (diagnose/saved-report.ts). Its top diagnosis title becomes the "was" cause the comment shows: a forged one is quoted
 * as the saved report's words, its links broken, never said in wasm-p2-check's voice.
 * @throws ReportFormatError naming what is wrong
 */
export function baselineReport(text: string, db: SignatureDb): Report {
  return rederiveReport(parseBaseline(text), db);
}

/** Where the baseline came from, as recorded in the report. */
export interface BaselineSource {
  /** e.g. 'file base.json', 'cache wasm-p2-check-baseline-…'. */
  source: string;
  /** The commit it describes, when the caller knows it better than the report does (e.g. from the cache entry). */
  commit?: string;
  /** The branch it was saved on. */
  ref?: string;
  /** What the caller adds to `differences` (e.g. the baseline schema version it was read as). */
  differences?: string[];
}

/**
 * Reports of the jobs of a merged run label results `<label> · shard i/n`, or `shard i/n` without a label (see
 * partLabel in report/merge.ts): the shard part does not name the job.
 */
function jobOf(r: ArtifactResult, report: Report): string {
  if (!r.group) return '';
  const part = report.merged?.find((p) => p.label === r.group);
  const shard = part?.shard ? `shard ${part.shard.index}/${part.shard.count}` : '';
  if (!shard) return r.group;
  if (r.group === shard) return '';
  return r.group.endsWith(` · ${shard}`) ? r.group.slice(0, -(shard.length + 3)) : r.group;
}

function brief(r: ArtifactResult): BaselineResult {
  const cause = causeText(r);
  return {
    path: r.artifact.path,
    verdict: r.verdict,
    ...(cause !== undefined ? { cause } : {}),
    ...(r.group !== undefined ? { group: r.group } : {}),
  };
}

/** How one result compares with the baseline's result for the same artifact (undefined: not in the baseline). */
export function changeOf(current: ArtifactResult, base: ArtifactResult | undefined): Omit<ResultChange, 'matchedBy' | 'base'> {
  if (!base) return { class: 'new-artifact' };
  const fails = current.verdict !== 'PASS';
  const failed = base.verdict !== 'PASS';
  if (!fails) return { class: failed ? 'fixed' : 'passing' };
  if (!failed) return { class: 'new-failure' };
  if (causeKey(current) === causeKey(base)) return { class: 'still-failing' };
  const worse = resultFails(current, 'regression') && !resultFails(base, 'regression');
  return { class: 'changed', ...(worse ? { worse } : {}) };
}

/**
 * Compares `current` with `baseline`.
 * @returns `current` with a `change` on every result and `baseline` set (counts, removed artifacts, setup differences)
 */
export function compareWithBaseline(current: Report, baseline: Report, from: BaselineSource): Report {
  // Matrix entries are told apart only when both reports have them (one plain baseline serves every entry).
  const byJob = current.merged !== undefined && baseline.merged !== undefined;
  const key = (r: ArtifactResult, report: Report) => `${byJob ? jobOf(r, report) : ''}\u0000${r.artifact.path}`;
  const job = (r: ArtifactResult, report: Report) => (byJob ? jobOf(r, report) : '');

  const byPath = new Map<string, ArtifactResult>();
  for (const b of baseline.results) if (!byPath.has(key(b, baseline))) byPath.set(key(b, baseline), b);
  const used = new Set<ArtifactResult>();
  const matched = new Map<ArtifactResult, { base: ArtifactResult; by: 'path' | 'sha256' }>();
  for (const r of current.results) {
    const b = byPath.get(key(r, current));
    if (b) {
      matched.set(r, { base: b, by: 'path' });
      used.add(b);
    }
  }
  // A rename: the same bytes under a path the baseline did not have, where a baseline path is gone. An unreadable
  // file (empty sha256) proves nothing.
  for (const r of current.results) {
    if (matched.has(r) || !r.artifact.sha256) continue;
    const b = baseline.results.find((x) => !used.has(x) && x.artifact.sha256 === r.artifact.sha256 && job(x, baseline) === job(r, current));
    if (b) {
      matched.set(r, { base: b, by: 'sha256' });
      used.add(b);
    }
  }

  const counts = Object.fromEntries(CHANGE_CLASSES.map((c) => [c, 0])) as Record<ChangeClass, number>;
  const results = current.results.map((r): ArtifactResult => {
    const m = matched.get(r);
    const change: ResultChange = { ...changeOf(r, m?.base), ...(m ? { base: brief(m.base), matchedBy: m.by } : {}) };
    counts[change.class]++;
    return { ...r, change };
  });
  const removed = baseline.results.filter((b) => !used.has(b)).map(brief);
  counts.removed = removed.length;

  const info: BaselineInfo = {
    source: from.source,
    ...((from.commit ?? baseline.commit) ? { commit: from.commit ?? baseline.commit } : {}),
    ...(from.ref ? { ref: from.ref } : {}),
    createdAt: baseline.createdAt,
    tool: baseline.tool.version,
    schemaVersion: baseline.schemaVersion,
    runtime: runtimeText(baseline),
    ...(baseline.adapter ? { adapter: adapterText(baseline) } : {}),
    differences: [...(from.differences ?? []), ...setupDifferences(baseline, current)],
    removed,
    counts,
  };
  return { ...current, results, baseline: info };
}

function runtimeText(r: Report): string {
  const { requested, p1, p2 } = r.runtime;
  return `${requested} (P1 ${runtimeLabel(p1)}, P2 ${runtimeLabel(p2)})`;
}

function adapterText(r: Report): string {
  return r.adapter ? `${r.adapter.requested}: ${adapterLabel(r.adapter.command)}` : 'none resolved';
}

/**
 * How the baseline's setup differs from this run's, one sentence each: what may explain a change besides the code
 * (a baseline from another version or setup stays usable; the reader is told).
 */
export function setupDifferences(baseline: Report, current: Report): string[] {
  const out: string[] = [];
  const differ = (what: string, base: string, now: string) => {
    if (base !== now) out.push(`${what}: ${base} on the baseline, ${now} in this run`);
  };
  differ('wasm-p2-check version', baseline.tool.version, current.tool.version);
  differ('report schema version', String(baseline.schemaVersion), String(current.schemaVersion));
  differ('runtime', runtimeText(baseline), runtimeText(current));
  if (baseline.adapter && current.adapter) {
    const sha = (r: Report) => `${r.adapter!.command.sha256}/${r.adapter!.reactor.sha256}`;
    if (sha(baseline) !== sha(current) || baseline.adapter.requested !== current.adapter.requested) {
      out.push(`adapter: ${adapterText(baseline)} on the baseline, ${adapterText(current)} in this run`);
    }
  }
  const sb = baseline.sandbox;
  const sc = current.sandbox;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const changed = [
    same(sb.args, sc.args) ? undefined : 'arguments',
    same(sb.envKeys, sc.envKeys) ? undefined : 'environment variables',
    same(sb.dirs, sc.dirs) ? undefined : 'preopened directories',
    sb.stdin === sc.stdin ? undefined : 'stdin',
    sb.timeoutMs === sc.timeoutMs ? undefined : 'time limit',
    sb.outputCapBytes === sc.outputCapBytes ? undefined : 'output cap',
  ].filter((x) => x !== undefined);
  if (changed.length) out.push(`guest sandbox: ${changed.join(', ')} differ`);
  return out;
}
