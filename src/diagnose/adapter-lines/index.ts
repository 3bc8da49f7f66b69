/**
 * What `assertion failed at adapter line N` / `unreachable executed at adapter line N` means.
 *
 * N is `line!()` in the adapter's source (wasmtime `crates/wasi-preview1-component-adapter`),
 * different in every release. The table is derived from each release tag's source by
 * scripts/adapter-lines.mjs; only the derived data is stored here.
 */
import semver from 'semver';
import table from './adapter-lines.json' with { type: 'json' };

export const ADAPTER_CHECK_CATEGORIES = ['state-canary', 'allocator', 'descriptor', 'unsupported', 'other'] as const;
export type AdapterCheckCategory = (typeof ADAPTER_CHECK_CATEGORIES)[number];

export interface AdapterLineMatch {
  /** Adapter versions (wasmtime releases, ascending) in which line N is this check. */
  versions: string[];
  /** `v33.0.0–v33.0.2`, `v17.0.0–v21.0.2, v23.0.0` … */
  versionRange: string;
  /** Source file in the adapter crate: `lib.rs` or `descriptors.rs`. */
  file: string;
  /** Short label, e.g. `State::with magic1 canary`. */
  check: string;
  category: AdapterCheckCategory;
  /** The assertion kind the adapter prints for this site. */
  kind: 'assertion' | 'unreachable';
  /** Enclosing function, e.g. `State::with`. */
  fn?: string;
  /** The source line. */
  code: string;
}

interface Site {
  line: number;
  file: string;
  kind: 'assertion' | 'unreachable';
  check: string;
  category: AdapterCheckCategory;
  fn?: string;
  code: string;
}

interface Table {
  versions: Record<string, { tag: string; commit?: string; build: number; message: string }>;
  aliases: Record<string, { sameAs: string; evidence: string }>;
  builds: Array<{ versions: string[]; sites: Site[] }>;
}

const data = table as unknown as Table;

/** Every adapter version the table covers, ascending. */
export function adapterLineVersions(): string[] {
  return Object.keys(data.versions).sort(semver.compare);
}

/**
 * Versions meant by a version string: `33.0.0`, `v33.0.0`, `wasmtime 33.0.1`, `33` (every 33.x.y),
 * `33.0` (every 33.0.y), or a bundled adapter alias such as `jco@1.35.0` /
 * `@bytecodealliance/jco@1.35.0`. Unknown → [].
 */
export function resolveAdapterVersion(version: string): string[] {
  const v = version.trim().replace(/^@bytecodealliance\//, '');
  const alias = data.aliases[v];
  if (alias) return [alias.sameAs];
  const m = /^(?:wasmtime[\s@-]*)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/i.exec(v);
  if (!m) return [];
  const [, major, minor, patch] = m;
  // `33` means 33.x, `33.0` means 33.0.x: a semver range with the missing parts as wildcards.
  const range = [major, minor ?? 'x', patch ?? 'x'].map((p) => (p === 'x' ? p : String(Number(p)))).join('.');
  return adapterLineVersions().filter((known) => semver.satisfies(known, range));
}

/** `['33.0.0','33.0.1','33.0.2']` → `v33.0.0–v33.0.2`; gaps in the release list start a new range. */
export function formatVersionRange(versions: readonly string[]): string {
  const all = adapterLineVersions();
  const sorted = [...versions].sort(semver.compare);
  const parts: string[] = [];
  let start: string | undefined;
  let prev: string | undefined;
  for (const v of sorted) {
    if (start !== undefined && prev !== undefined && all.indexOf(v) === all.indexOf(prev) + 1) {
      prev = v;
      continue;
    }
    if (start !== undefined) parts.push(start === prev ? `v${start}` : `v${start}–v${prev}`);
    start = prev = v;
  }
  if (start !== undefined) parts.push(start === prev ? `v${start}` : `v${start}–v${prev}`);
  return parts.join(', ');
}

/**
 * The check(s) at adapter line `line`.
 * With `version`: the entry for that version (several if the version string spans releases
 * with different sources, e.g. `29`); [] when that line is no check there.
 * Without: every version in which the line is a check, grouped by check, most versions first.
 */
export function lookupAdapterLine(line: number, version?: string): AdapterLineMatch[] {
  const versions = version === undefined ? adapterLineVersions() : resolveAdapterVersion(version);
  const groups = new Map<string, { site: Site; versions: string[] }>();
  for (const v of versions) {
    const info = data.versions[v];
    if (!info) continue;
    const site = data.builds[info.build]?.sites.find((s) => s.line === line);
    if (!site) continue;
    const key = `${site.file}\n${site.check}`;
    const group = groups.get(key);
    if (group) group.versions.push(v);
    else groups.set(key, { site, versions: [v] });
  }
  return [...groups.values()]
    .sort((a, b) => b.versions.length - a.versions.length || semver.compare(a.versions[0]!, b.versions[0]!))
    .map(({ site, versions: vs }) => {
      const match: AdapterLineMatch = {
        versions: vs,
        versionRange: formatVersionRange(vs),
        file: site.file,
        check: site.check,
        category: site.category,
        kind: site.kind,
        code: site.code,
      };
      if (site.fn !== undefined) match.fn = site.fn;
      return match;
    });
}

/** Where the table's data comes from, for evidence lines: tag and commit of a version. */
export function adapterSourceRef(version: string): { tag: string; commit?: string; path: string } | undefined {
  const v = resolveAdapterVersion(version)[0];
  const info = v === undefined ? undefined : data.versions[v];
  if (!info) return undefined;
  const ref: { tag: string; commit?: string; path: string } = { tag: info.tag, path: 'crates/wasi-preview1-component-adapter/src' };
  if (info.commit !== undefined) ref.commit = info.commit;
  return ref;
}
