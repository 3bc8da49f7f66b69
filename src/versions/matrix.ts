/**
 * The version matrix: the same artifacts checked with several wasmtime releases, from one prepared check (artifacts
 * found, preopens snapshotted, signatures loaded and the converter started once; each artifact's P1 run shared by
 * every release when P1 does not depend on the release). Per release, one binding of the session:
 * - the engine is fixed (runtime `embedded`, or `wasmtime` with `--wasmtime`/`--wasmtime-version`): the release's
 *   adapter converts, the same engine runs — the release's adapter on that host;
 * - the engine varies (runtime `wasmtime` with no version or binary): each release's wasmtime and its own adapter.
 * Every release is bound before any artifact runs, so a release that cannot be had is named first (a configuration
 * error), never a verdict. With `bisect`, only O(log n) releases are checked per change (see bisect.ts).
 */
import { readFile } from 'node:fs/promises';
import semver from 'semver';
import { inspectBytes } from '../inspect/index.js';
import type { ArtifactResult, Report, RuntimeId } from '../model.js';
import { ConfigError, type AdapterSpec, type CheckOptions, type RuntimeChoice, type WasmtimeOptions } from '../options/index.js';
import { VERSION } from '../package/version.js';
import { bisect, sameOutcome, type Change, type Outcome } from './bisect.js';
import { hostCompatibility, hostFit } from './host.js';
import type { ReleaseTable } from './releases.js';
import {
  VERSIONS_SCHEMA_VERSION,
  type VersionsArtifact,
  type VersionsCell,
  type VersionsRelease,
  type VersionsReport,
} from '../model/versions.js';

/** The parts of a prepared check (check.ts) the matrix uses. */
export interface MatrixSession {
  readonly options: CheckOptions;
  readonly files: readonly { absPath: string; shownPath: string }[];
  bind(
    spec: { runtime: RuntimeChoice; wasmtime?: WasmtimeOptions; adapter?: AdapterSpec },
    options?: { shareP1Runs?: boolean; label?: string },
  ): Promise<MatrixBinding>;
}

export interface MatrixBinding {
  readonly hosts: { p1: RuntimeId; p2: RuntimeId };
  checkArtifact(file: { absPath: string; shownPath: string }): Promise<ArtifactResult>;
  report(results: ArtifactResult[]): Report;
}

export interface VersionsOptions {
  /** Releases to check (any order; duplicates ignored). */
  releases: string[];
  bisect: boolean;
  table: ReleaseTable;
  log?: (message: string) => void;
}

/** An artifact's outcome in one release: its verdict and the leading cause (signature id or unknown fingerprint). */
export function outcomeOf(result: ArtifactResult): Outcome {
  if (result.verdict === 'PASS') return { verdict: 'PASS' };
  const lead = result.diagnoses.find((d) => d.severity !== 'note');
  const cause = lead?.signatureId ?? (result.unknown ? `unknown ${result.unknown.fingerprint}` : undefined);
  return cause ? { verdict: result.verdict, cause } : { verdict: result.verdict };
}

/** The engine varies with the release when the runtime is wasmtime and no particular wasmtime is given. */
export function enginePerRelease(options: CheckOptions): boolean {
  return options.runtime === 'wasmtime' && !options.wasmtime?.binary && !options.wasmtime?.version;
}

function bindSpec(options: CheckOptions, release: string) {
  return enginePerRelease(options)
    ? // The release's own pair: its wasmtime, and its adapter (named, so a missing one is an error, not a fallback).
      {
        runtime: options.runtime,
        wasmtime: { ...options.wasmtime, version: release },
        adapter: { kind: 'release', version: release } as const,
      }
    : { runtime: options.runtime, wasmtime: options.wasmtime, adapter: { kind: 'release', version: release } as const };
}

/** The matrix, and the newest checked release's report (its full results: what the Action publishes in detail). */
export interface VersionsOutcome {
  versions: VersionsReport;
  latest?: Report;
}

export async function versionsMatrix(session: MatrixSession, opts: VersionsOptions): Promise<VersionsOutcome> {
  const started = performance.now();
  const options = session.options;
  const releases = [...new Set(opts.releases)].sort(semver.compare);
  const perRelease = enginePerRelease(options);
  const base: Omit<VersionsReport, 'releases' | 'artifacts' | 'checks' | 'durationMs'> = {
    schemaVersion: VERSIONS_SCHEMA_VERSION,
    kind: 'versions',
    tool: { name: 'wasm-p2-check', version: VERSION },
    createdAt: new Date().toISOString(),
    mode: opts.bisect ? 'bisect' : 'matrix',
    runtime: { requested: options.runtime, engine: perRelease ? 'per-release' : 'fixed' },
  };
  const releaseRows = (checked: Set<string>): VersionsRelease[] =>
    releases.map((version) => ({
      version,
      notes: opts.table.notes(version),
      checked: checked.has(version),
      known: opts.table.get(version) !== undefined,
    }));

  // Every release is bound first: one that cannot be had is named before anything runs.
  const bindings = new Map<string, MatrixBinding>();
  const unavailable: string[] = [];
  for (const release of releases) {
    opts.log?.(`wasmtime ${release}: ${perRelease ? 'engine and adapter' : 'adapter'}`);
    try {
      bindings.set(release, await session.bind(bindSpec(options, release), { shareP1Runs: !perRelease, label: release }));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      unavailable.push(`${release} (${e.message})`);
    }
  }
  if (unavailable.length) {
    return {
      versions: {
        ...base,
        releases: releaseRows(new Set()),
        artifacts: [],
        checks: { done: 0, matrix: releases.length * session.files.length, cached: 0 },
        durationMs: Math.round(performance.now() - started),
        configurationError: {
          option: 'releases',
          message: `${unavailable.length === 1 ? 'a release' : 'releases'} cannot be had, nothing was run: ${unavailable.join('; ')}`,
        },
      },
    };
  }

  const files = new Map(session.files.map((f) => [f.shownPath, f]));
  const results = new Map<string, Map<string, ArtifactResult>>();
  let cached = 0;
  const probe = async (release: string, artifacts: string[]) => {
    const binding = bindings.get(release)!;
    const got = await Promise.all(artifacts.map((a) => binding.checkArtifact(files.get(a)!)));
    const byArtifact = results.get(release) ?? new Map<string, ArtifactResult>();
    results.set(release, byArtifact);
    const out = new Map<string, Outcome>();
    got.forEach((r, i) => {
      byArtifact.set(artifacts[i]!, r);
      if (r.cached) cached++;
      out.set(artifacts[i]!, outcomeOf(r));
    });
    return out;
  };
  const names = [...files.keys()];
  let bisected: Change[] | undefined;
  if (opts.bisect) bisected = (await bisect(releases, names, probe)).changes;
  else await Promise.all(releases.map((r) => probe(r, names)));

  const checked = new Set(results.keys());
  // A converted module imports (a subset of) its adapter's WASI interfaces: the adapter's imports stand for them.
  const adapterImports = new Map<string, string[]>();
  const rows: VersionsRelease[] = [];
  for (const row of releaseRows(checked)) {
    const binding = bindings.get(row.version)!;
    const adapter = binding.report([]).adapter?.command;
    const imports = adapter?.path ? await wasiImportsOf(adapter.path) : undefined;
    if (imports) adapterImports.set(row.version, imports);
    rows.push({
      ...row,
      p2Host: binding.hosts.p2,
      ...(adapter
        ? { adapter: { sha256: adapter.sha256, version: adapter.version, wasiVersion: adapter.wasiVersion, source: adapter.source } }
        : {}),
      ...(imports ? { convertedHosts: hostCompatibility(opts.table, imports) } : {}),
    });
  }

  const artifacts: VersionsArtifact[] = names.map((name) => {
    const cells: VersionsCell[] = [];
    let first: ArtifactResult | undefined;
    for (const release of releases) {
      const r = results.get(release)?.get(name);
      if (!r) continue;
      first ??= r;
      const imports = r.artifact.component ? componentImports(r) : adapterImports.get(release);
      const host = opts.table.get(hostRelease(bindings.get(release)!, release, perRelease) ?? '');
      cells.push({
        release,
        ...outcomeOf(r),
        ...(r.cached ? { cached: true } : {}),
        ...(imports && host ? { hostFits: hostFit(host, imports).ok } : {}),
      });
    }
    const changes = (bisected ? bisected.filter((c) => c.artifact === name) : adjacentChanges(cells)).map((c) => ({
      lastBefore: c.lastBefore,
      firstAfter: c.firstAfter,
      before: c.before,
      after: c.after,
      notes: opts.table.notes(c.firstAfter),
    }));
    const given = first?.artifact.component?.imports;
    return {
      path: name,
      sha256: first?.artifact.sha256 ?? '',
      kind: first?.artifact.kind ?? 'invalid',
      cells,
      changes,
      differs: changes.length > 0,
      ...(given
        ? {
            hosts: hostCompatibility(
              opts.table,
              given.filter((i) => i.includes(':')),
            ),
          }
        : {}),
    };
  });
  artifacts.sort((a, b) => Number(b.differs) - Number(a.differs));
  const hostCheck = checkHostAnswers(artifacts);
  const done = [...results.values()].reduce((n, m) => n + m.size, 0);
  const newest = releases.at(-1)!;
  const latestResults = names.map((n) => results.get(newest)?.get(n)).filter((r): r is ArtifactResult => r !== undefined);
  const versions: VersionsReport = {
    ...base,
    runtime: { ...base.runtime, p1: bindings.get(releases[0]!)?.hosts.p1 },
    releases: rows,
    artifacts,
    ...(hostCheck ? { hostCheck } : {}),
    checks: { done, matrix: releases.length * names.length, cached },
    durationMs: Math.round(performance.now() - started),
  };
  return { versions, latest: bindings.get(newest)!.report(latestResults) };
}

/** A P2 run that failed because the host lacks what the component imports (the linker's refusal). */
const HOST_REFUSED = new Set(['adapter-runtime-version-skew', 'host-world-missing-interface', 'unknown-import-at-instantiation']);

function checkHostAnswers(artifacts: VersionsArtifact[]): VersionsReport['hostCheck'] {
  let confirmed = 0;
  const contradicted: NonNullable<VersionsReport['hostCheck']>['contradicted'] = [];
  for (const a of artifacts) {
    for (const c of a.cells) {
      if (c.hostFits === undefined) continue;
      const refused = c.cause !== undefined && HOST_REFUSED.has(c.cause);
      if (c.hostFits !== refused) confirmed++;
      else
        contradicted.push({
          artifact: a.path,
          release: c.release,
          expected: c.hostFits,
          verdict: c.verdict,
          ...(c.cause ? { cause: c.cause } : {}),
        });
    }
  }
  return confirmed + contradicted.length ? { confirmed, contradicted } : undefined;
}

/** Changes between neighbouring checked releases of a full matrix. */
function adjacentChanges(cells: VersionsCell[]) {
  const out = [];
  for (let i = 1; i < cells.length; i++) {
    const [a, b] = [cells[i - 1]!, cells[i]!];
    const before = { verdict: a.verdict, ...(a.cause ? { cause: a.cause } : {}) };
    const after = { verdict: b.verdict, ...(b.cause ? { cause: b.cause } : {}) };
    if (!sameOutcome(before, after)) out.push({ lastBefore: a.release, firstAfter: b.release, before, after });
  }
  return out;
}

/** A component given as is: its interface imports. */
function componentImports(r: ArtifactResult): string[] | undefined {
  return r.artifact.component?.imports.filter((i) => i.includes(':'));
}

/** The wasmtime release whose host ran P2: the release itself when the engine varies, else the fixed engine's. */
function hostRelease(binding: MatrixBinding, release: string, perRelease: boolean): string | undefined {
  if (perRelease) return release;
  const p2 = binding.hosts.p2;
  return p2.name.startsWith('wasmtime') ? semver.coerce(p2.version)?.version : undefined;
}

/** The `wasi:*` interfaces an adapter module imports. */
async function wasiImportsOf(file: string): Promise<string[] | undefined> {
  const bytes = await readFile(file).catch(() => undefined);
  if (!bytes) return undefined;
  const modules = inspectBytes('adapter', new Uint8Array(bytes)).module?.imports.map((i) => i.module) ?? [];
  return [...new Set(modules.filter((m) => m.startsWith('wasi:')))];
}

/** An artifact that works with one checked release and not with a later one (what fails an upgrade PR). */
export function versionsBreak(report: VersionsReport): boolean {
  return report.artifacts.some((a) => a.changes.some((c) => c.before.verdict === 'PASS' && c.after.verdict !== 'PASS'));
}
