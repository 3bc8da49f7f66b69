/**
 * One report out of many: the JSON reports of the shards / matrix jobs of one workflow run, merged so that a pull
 * request gets one comment and one check run. Reports come from other jobs: they are parsed and schema-validated by
 * `parseReport` before they get here, and this module refuses what cannot be merged honestly.
 */
import { CHANGE_CLASSES, type ArtifactResult, type BaselineInfo, type MergedPart, type Report, type RuntimeId } from '../model.js';
import { VERSION } from '../package/version.js';
import { summarize } from './summary.js';

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

export interface MergeInput {
  /** Where the report came from (a file name): its label when the report carries none. */
  source: string;
  report: Report;
}

/** The label a part's results carry: the report's own label (else its source), and its shard. */
/**
 * A part's label, as short as tells the parts apart: the job's label (its matrix entry) and its shard (`go 1.24 ·
 * shard 2/3`; a lone shard 1/1 is no shard), the shard alone when there is no label, else the file it came from —
 * by its folder when the file is a plain `report.json` (`reports/wasm-report-go124/report` → `wasm-report-go124`).
 */
export function partLabel(input: MergeInput): string {
  const { label, shard } = input.report;
  const shardText = shard && shard.count > 1 ? `shard ${shard.index}/${shard.count}` : undefined;
  if (label) return shardText ? `${label} · ${shardText}` : label;
  if (shardText) return shardText;
  const segments = input.source.split(/[\\/]/).filter((x) => x !== '' && x !== '.' && x !== '..');
  if (segments.length > 1 && /^report$/i.test(segments.at(-1)!)) segments.pop();
  return segments.at(-1) ?? input.source;
}

function distinct(values: string[]): string {
  return [...new Set(values)].join(', ');
}

function mergedRuntimeId(ids: RuntimeId[]): RuntimeId {
  return { name: distinct(ids.map((i) => i.name)), version: distinct(ids.map((i) => i.version)) };
}

/**
 * Merges reports into one, results labelled with their part (`group`), in input order.
 * @throws MergeError when no report is given, when the reports were written by different wasm-p2-check versions (or
 *   another version than this one), when a report is itself a merge, when a shard is given twice, or when a sharded
 *   run is incomplete (a missing shard would leave its artifacts unchecked and the verdict wrongly green).
 */
export function mergeReports(inputs: MergeInput[], now: Date = new Date()): Report {
  if (inputs.length === 0) throw new MergeError('no reports to merge');
  const versions = new Map<string, string[]>();
  for (const i of inputs) versions.set(i.report.tool.version, [...(versions.get(i.report.tool.version) ?? []), i.source]);
  if (versions.size > 1 || !versions.has(VERSION)) {
    const list = [...versions].map(([v, files]) => `${v} (${files.join(', ')})`).join('; ');
    throw new MergeError(
      `cannot merge reports of different wasm-p2-check versions: ${list}; this is wasm-p2-check ${VERSION}. ` +
        'Use the same wasm-p2-check version in every job and in the merge job.',
    );
  }
  const nested = inputs.find((i) => i.report.merged);
  if (nested) throw new MergeError(`${nested.source} is already a merged report: merge the reports of the jobs themselves`);

  const labels = new Map<string, string>();
  const shards = new Map<string, { count: number; seen: Set<number>; sources: string[] }>();
  for (const input of inputs) {
    const label = partLabel(input);
    // The same job label and shard twice; without a shard, the same file (the label shows only its folder).
    const { shard: part } = input.report;
    const identity = `${input.report.label ?? ''}\u0000${part ? `${part.index}/${part.count}` : input.source}`;
    const twice = labels.get(identity);
    if (twice !== undefined)
      throw new MergeError(`${twice} and ${input.source} are both '${label}': each shard or job must be merged once`);
    labels.set(identity, input.source);
    const shard = input.report.shard;
    if (!shard) continue;
    const group = input.report.label ?? '';
    const s = shards.get(group) ?? { count: shard.count, seen: new Set<number>(), sources: [] };
    if (s.count !== shard.count) {
      throw new MergeError(
        `${input.source} is shard ${shard.index}/${shard.count}, ${s.sources.join(', ')} of ${s.count} shards: the shard counts differ`,
      );
    }
    s.seen.add(shard.index);
    s.sources.push(input.source);
    shards.set(group, s);
  }
  for (const [group, s] of shards) {
    const missing = Array.from({ length: s.count }, (_, i) => i + 1).filter((i) => !s.seen.has(i));
    if (missing.length > 0) {
      throw new MergeError(
        `incomplete sharded run${group ? ` '${group}'` : ''}: shard ${missing.map((i) => `${i}/${s.count}`).join(', ')} missing ` +
          '(its artifacts would go unchecked); did its job fail before uploading its report?',
      );
    }
  }

  const results: ArtifactResult[] = [];
  const parts: MergedPart[] = [];
  for (const input of inputs) {
    const { report } = input;
    const label = partLabel(input);
    results.push(...report.results.map((r) => ({ ...r, group: label })));
    parts.push({
      label,
      createdAt: report.createdAt,
      runtime: report.runtime,
      ...(report.shard ? { shard: report.shard } : {}),
      total: report.results.length,
    });
  }
  const first = inputs[0]!.report;
  const caches = inputs.map((i) => i.report.cache).filter((c) => c !== undefined);
  const baseline = mergedBaseline(inputs.map((i) => ({ label: partLabel(i), report: i.report })));
  return {
    schemaVersion: first.schemaVersion,
    tool: { name: 'wasm-p2-check', version: VERSION },
    createdAt: now.toISOString(),
    runtime: {
      requested: distinct(inputs.map((i) => i.report.runtime.requested)),
      p1: mergedRuntimeId(inputs.map((i) => i.report.runtime.p1)),
      p2: mergedRuntimeId(inputs.map((i) => i.report.runtime.p2)),
    },
    // The sandbox of the first part; each part's own is the same in a sharded run.
    sandbox: first.sandbox,
    results,
    summary: summarize(results),
    ...(caches.length > 0
      ? { cache: { hits: caches.reduce((n, c) => n + c.hits, 0), misses: caches.reduce((n, c) => n + c.misses, 0) } }
      : {}),
    merged: parts,
    ...(baseline ? { baseline } : {}),
  };
}

/**
 * When every part was compared with a baseline (one per shard or matrix entry), the merged report says so: the
 * parts' change classes stand, and their baselines are summed up (sources, the oldest run, what differs and what was
 * removed, per part). When only some parts have one, the comparison would be partial: none is claimed.
 */
function mergedBaseline(parts: { label: string; report: Report }[]): BaselineInfo | undefined {
  const infos = parts.map((p) => ({ label: p.label, b: p.report.baseline }));
  if (infos.some((i) => !i.b)) return undefined;
  const all = infos as { label: string; b: BaselineInfo }[];
  const same = <T>(values: (T | undefined)[]): T | undefined => (new Set(values).size === 1 ? values[0] : undefined);
  const counts = Object.fromEntries(CHANGE_CLASSES.map((c) => [c, all.reduce((n, i) => n + i.b.counts[c], 0)])) as BaselineInfo['counts'];
  const oldest = all.map((i) => i.b).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))[0]!;
  const commit = same(all.map((i) => i.b.commit));
  const ref = same(all.map((i) => i.b.ref));
  const adapter = same(all.map((i) => i.b.adapter));
  return {
    source: distinct(all.map((i) => i.b.source)),
    ...(commit ? { commit } : {}),
    ...(ref ? { ref } : {}),
    createdAt: oldest.createdAt,
    tool: distinct(all.map((i) => i.b.tool)),
    schemaVersion: oldest.schemaVersion,
    runtime: distinct(all.map((i) => i.b.runtime)),
    ...(adapter ? { adapter } : {}),
    differences: all.flatMap((i) => i.b.differences.map((d) => `${i.label}: ${d}`)),
    removed: all.flatMap((i) => i.b.removed.map((r) => ({ ...r, group: i.label }))),
    counts,
  };
}
