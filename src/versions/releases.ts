/**
 * wasmtime releases as data: which releases ship the wasi_snapshot_preview1 adapter, which WASI 0.2.x versions that
 * adapter imports, which interfaces (and versions) each release's host implements and whether its linker matches
 * imports by semver. Built in from wasmtime's own source (scripts/wasmtime-releases.mjs, from each tag's wit files and
 * adapter source), extendable by a user file in the same format (a release it names replaces the built-in entry).
 */
import { readFile } from 'node:fs/promises';
import semver from 'semver';
import builtIn from './wasmtime-releases.json' with { type: 'json' };

export interface WasmtimeRelease {
  version: string;
  /** Tag date (YYYY-MM-DD), when known. */
  date?: string;
  /** Read at another commit than the release's tag, and why that commit stands for it. */
  derivedFrom?: string;
  /** The release's notes on GitHub. */
  notes: string;
  /** The release ships the wasi_snapshot_preview1 adapter (command and reactor). */
  adapter: boolean;
  /** WASI versions the release's adapter imports (e.g. ['0.2.12', '0.2.6']). */
  adapterImports: string[];
  host: {
    /** WASI versions of the interfaces the release's host implements. */
    wasi: string[];
    /** Its component linker resolves `a:b/c@0.2.X` to a defined `a:b/c@0.2.Y` (from v19.0.0). */
    semverLinking: boolean;
    /** Interfaces the host implements, `wasi:cli/environment@0.2.3`. */
    interfaces: string[];
  };
  /** 'built-in' or the user file the entry came from. */
  origin: string;
}

interface RawRelease extends Omit<WasmtimeRelease, 'origin' | 'host' | 'notes'> {
  notes?: string;
  host: Omit<WasmtimeRelease['host'], 'interfaces'> & { interfaces: string | string[] };
}

interface RawTable {
  interfaceSets?: Record<string, string[]>;
  releases: RawRelease[];
}

export const RELEASE_NOTES_URL = 'https://github.com/bytecodealliance/wasmtime/releases/tag/v';

export class ReleaseTable {
  private readonly byVersion: Map<string, WasmtimeRelease>;
  constructor(releases: WasmtimeRelease[]) {
    this.byVersion = new Map(releases.map((r) => [r.version, r]));
  }
  get(version: string): WasmtimeRelease | undefined {
    return this.byVersion.get(version);
  }
  /** Every known release, oldest first. */
  all(): WasmtimeRelease[] {
    return [...this.byVersion.values()].sort((a, b) => semver.compare(a.version, b.version));
  }
  /** The notes link of any release, known or not. */
  notes(version: string): string {
    return this.get(version)?.notes ?? `${RELEASE_NOTES_URL}${version}`;
  }
}

const MAX_USER_FILE_BYTES = 4 * 1024 * 1024;

function fail(where: string, what: string): never {
  throw new Error(`release data ${where}: ${what}`);
}

function strings(value: unknown, where: string, field: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(where, `${field} must be a list of strings`);
  return value as string[];
}

/** Checks and resolves one table (interface-set names → lists). @throws Error naming the file and the entry */
function readTable(raw: unknown, origin: string): WasmtimeRelease[] {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as RawTable).releases)) {
    fail(origin, 'expected an object with a "releases" list');
  }
  const table = raw as RawTable;
  const sets = table.interfaceSets ?? {};
  return table.releases.map((r, i) => {
    const where = `${origin} releases[${i}]`;
    if (typeof r !== 'object' || r === null) fail(where, 'expected an object');
    if (typeof r.version !== 'string' || !semver.valid(r.version)) fail(where, `version must be a release like 49.0.0`);
    if (typeof r.adapter !== 'boolean') fail(where, 'adapter must be true or false');
    if (typeof r.host !== 'object' || r.host === null) fail(where, 'host must be an object');
    const interfaces =
      typeof r.host.interfaces === 'string'
        ? (sets[r.host.interfaces] ?? fail(where, `no interface set named ${r.host.interfaces}`))
        : strings(r.host.interfaces, where, 'host.interfaces');
    return {
      version: r.version,
      ...(typeof r.date === 'string' ? { date: r.date } : {}),
      ...(typeof r.derivedFrom === 'string' ? { derivedFrom: r.derivedFrom } : {}),
      notes: typeof r.notes === 'string' ? r.notes : `${RELEASE_NOTES_URL}${r.version}`,
      adapter: r.adapter,
      adapterImports: strings(r.adapterImports ?? [], where, 'adapterImports'),
      host: {
        wasi: strings(r.host.wasi ?? [], where, 'host.wasi'),
        semverLinking: r.host.semverLinking === true,
        interfaces,
      },
      origin,
    };
  });
}

/** The built-in table, optionally extended by user files (later entries replace earlier ones of the same version). */
export async function loadReleaseTable(userFiles: string[] = []): Promise<ReleaseTable> {
  const releases = readTable(builtIn, 'built-in');
  for (const file of userFiles) {
    const bytes = await readFile(file).catch((e: Error) => fail(file, `cannot read it (${e.message})`));
    if (bytes.length > MAX_USER_FILE_BYTES) fail(file, `larger than ${MAX_USER_FILE_BYTES} bytes`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      fail(file, `not JSON (${(e as Error).message})`);
    }
    releases.push(...readTable(parsed, file));
  }
  return new ReleaseTable(releases);
}

export function builtInReleaseTable(): ReleaseTable {
  return new ReleaseTable(readTable(builtIn, 'built-in'));
}

/**
 * Release lists as given (`33.0.0`, or a range `33.0.0..47.0.0`) → releases, oldest first: a range is its two ends and
 * every `N.0.0` release the data knows between them. @throws Error for a range whose ends are the wrong way round
 */
export function expandReleases(items: string[], table: ReleaseTable): string[] {
  const out = new Set<string>();
  for (const item of items) {
    const [from, to] = item.split('..');
    if (to === undefined) {
      out.add(from!);
      continue;
    }
    if (semver.gt(from!, to)) throw new Error(`release range ${item}: the first release is newer than the second`);
    out.add(from!);
    for (const r of table.all()) {
      if (semver.gt(r.version, from!) && semver.lt(r.version, to) && semver.patch(r.version) === 0 && semver.minor(r.version) === 0) {
        out.add(r.version);
      }
    }
    out.add(to);
  }
  return [...out].sort(semver.compare);
}
