/**
 * Host compatibility from data: can a wasmtime release's host instantiate a component, judged by the interfaces and
 * versions the component imports against the interfaces that release implements. Pure.
 *
 * The rule is wasmtime's linker's: an import resolves to the same name and version; from v19.0.0 (#7994) also to a
 * semver-compatible version of the same interface (`@0.2.12` to a defined `@0.2.3`, and the reverse; pre-release
 * versions like `0.2.0-rc-2023-12-05` only match exactly). Functions added in a later 0.2.x are not checked here
 * (names, not items): a run on an engine of that release confirms it.
 */
import type { HostCompatibility, HostRange } from '../model/versions.js';
import semver from 'semver';
import type { ReleaseTable, WasmtimeRelease } from './releases.js';

export type { HostCompatibility, HostRange };

export interface HostFit {
  release: string;
  ok: boolean;
  /** Imports this host has no implementation for. */
  missing: string[];
  /** Imports resolved to another version by the semver rule: `wasi:cli/exit@0.2.12 → 0.2.3`. */
  bySemver: string[];
}

const VERSIONED = /^([a-z0-9-]+:[a-z0-9-]+\/[a-z0-9-]+)@(.+)$/;

/** `0.2.12` and `0.2.3` are compatible (same major, and same minor under 1.0); pre-releases never are. */
function compatible(a: string, b: string): boolean {
  const x = semver.parse(a);
  const y = semver.parse(b);
  if (!x || !y || x.prerelease.length || y.prerelease.length || x.major !== y.major) return false;
  return x.major !== 0 || x.minor === y.minor;
}

/** Which of `imports` (component import names) the host of `release` implements. */
export function hostFit(release: WasmtimeRelease, imports: string[]): HostFit {
  const byName = new Map<string, string[]>();
  for (const i of release.host.interfaces) {
    const m = VERSIONED.exec(i);
    if (m) byName.set(m[1]!, [...(byName.get(m[1]!) ?? []), m[2]!]);
  }
  const missing: string[] = [];
  const bySemver: string[] = [];
  for (const name of imports) {
    const m = VERSIONED.exec(name);
    const defined = m ? (byName.get(m[1]!) ?? []) : [];
    if (m && defined.includes(m[2]!)) continue;
    const alt = m && release.host.semverLinking ? defined.find((v) => compatible(v, m[2]!)) : undefined;
    if (alt) bySemver.push(`${name} → ${alt}`);
    else missing.push(name);
  }
  return { release: release.version, ok: missing.length === 0, missing, bySemver };
}

export function hostCompatibility(table: ReleaseTable, imports: string[]): HostCompatibility {
  const ranges: HostRange[] = [];
  for (const release of table.all()) {
    const fit = hostFit(release, imports);
    const last = ranges.at(-1);
    if (last && last.ok === fit.ok && last.missing.join() === fit.missing.join()) last.to = release.version;
    else ranges.push({ from: release.version, to: release.version, ok: fit.ok, missing: fit.missing });
  }
  return { imports, ranges, oldest: ranges.find((r) => r.ok)?.from };
}

/** One line: "wasmtime 19.0.0–49.0.0 can instantiate it; 14.0.0–18.0.4 cannot (e.g. no wasi:cli/exit@0.2.12)". */
export function describeHostCompatibility(c: HostCompatibility): string {
  if (c.ranges.length === 0) return 'no host releases known';
  const spans = (ok: boolean) => {
    const out: string[] = [];
    let open: HostRange | undefined;
    // Neighbouring ranges with the same answer read as one span (they differ only in what they lack).
    for (const r of [...c.ranges, undefined]) {
      if (r && r.ok === ok) open = open ? { ...open, to: r.to } : r;
      else if (open) {
        out.push(open.from === open.to ? open.from : `${open.from}–${open.to}`);
        open = undefined;
      }
    }
    return out.join(', ');
  };
  const can = spans(true);
  const cannot = spans(false);
  const lacks = c.ranges.find((r) => !r.ok)?.missing[0];
  const parts = [];
  if (can) parts.push(`wasmtime ${can} can instantiate it`);
  if (cannot) parts.push(`${can ? '' : 'wasmtime '}${cannot} cannot${lacks ? ` (e.g. no ${lacks})` : ''}`);
  return parts.join('; ');
}
