import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli/args.js';
import { knownAdapterVersion, sha256Hex } from '../src/convert/adapter.js';
import { inspectBytes } from '../src/inspect/index.js';
import { bisect, type Outcome } from '../src/versions/bisect.js';
import { versionsBreak } from '../src/versions/matrix.js';
import type { VersionsReport } from '../src/model/versions.js';
import { renderVersionsMarkdown, renderVersionsTerminal } from '../src/versions/render.js';
import { describeHostCompatibility, hostCompatibility, hostFit } from '../src/versions/host.js';
import { builtInReleaseTable, expandReleases, loadReleaseTable } from '../src/versions/releases.js';
import builtIn from '../src/versions/wasmtime-releases.json' with { type: 'json' };

const root = path.resolve(import.meta.dirname, '..');
const vendored = JSON.parse(await readFile(path.join(root, 'test/fixtures/adapters/releases.json'), 'utf8')) as {
  adapters: { jco: string; release: string; dir: string }[];
};

async function adapterImports(dir: string, kind = 'command'): Promise<{ sha256: string; imports: string[] }> {
  const bytes = await readFile(path.join(root, dir, `wasi_snapshot_preview1.${kind}.wasm`));
  const modules = inspectBytes('adapter', bytes).module!.imports.map((i) => i.module);
  return { sha256: sha256Hex(bytes), imports: [...new Set(modules.filter((m) => m.startsWith('wasi:')))] };
}

describe('release data', () => {
  const table = builtInReleaseTable();

  it('knows the releases from 14.0.0 with their adapters and notes links', () => {
    expect(table.get('14.0.0')?.adapter).toBe(true);
    expect(table.get('33.0.0')?.adapterImports).toEqual(['0.2.3']);
    expect(table.get('19.0.0')?.host.semverLinking).toBe(true);
    expect(table.get('18.0.0')?.host.semverLinking).toBe(false);
    expect(table.notes('21.0.0')).toBe('https://github.com/bytecodealliance/wasmtime/releases/tag/v21.0.0');
  });

  // The table is derived from wasmtime's source; the published adapters are the evidence it is right: every vendored
  // adapter imports exactly the WASI versions the table gives its release's adapter, and its hash names that release.
  it.each(vendored.adapters)('jco $jco adapter imports what the table says the v$release adapter imports', async (a) => {
    for (const kind of ['command', 'reactor']) {
      const { sha256, imports } = await adapterImports(a.dir, kind);
      const versions = [...new Set(imports.map((m) => m.split('@')[1]!))].sort();
      expect(versions).toEqual([...table.get(a.release)!.adapterImports].sort());
      expect(knownAdapterVersion(sha256)?.version).toBe(a.release);
      // …and the host of that same release implements every one of them (v46+ adapters import preopens@0.2.6, which
      // their own host resolves to 0.2.12 by semver).
      const fit = hostFit(table.get(a.release)!, imports);
      expect(fit.ok).toBe(true);
      expect(fit.bySemver).toEqual(a.release === '47.0.0' ? ['wasi:filesystem/preopens@0.2.6 → 0.2.12'] : []);
    }
  });

  // Needs a wasmtime clone (WASMTIME_GIT=<its git dir>): the committed table is exactly what the script derives.
  it.skipIf(!process.env.WASMTIME_GIT)('is what scripts/wasmtime-releases.mjs derives from the tags', () => {
    const derived = execFileSync(
      process.execPath,
      ['scripts/wasmtime-releases.mjs', '--git', process.env.WASMTIME_GIT!, '--from', '14', '--ref', '49.0.0=e6b33de513', '--print'],
      { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20 },
    );
    expect(JSON.parse(derived)).toEqual(builtIn);
  });

  it('a range is its ends and every N.0.0 release the data knows between them', () => {
    expect(expandReleases(['30.0.0..33.0.0', '47.0.4', '31.0.0'], table)).toEqual(['30.0.0', '31.0.0', '32.0.0', '33.0.0', '47.0.4']);
    expect(expandReleases(['36.0.2..40.0.0'], table)).toEqual(['36.0.2', '37.0.0', '39.0.0', '40.0.0']);
    expect(() => expandReleases(['40.0.0..30.0.0'], table)).toThrow('release range 40.0.0..30.0.0: the first release is newer');
  });

  it('a user file adds a release and replaces one; a bad one is named', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'releases-'));
    const file = path.join(dir, 'mine.json');
    const host = { wasi: ['0.2.12'], semverLinking: true, interfaces: ['wasi:cli/environment@0.2.12'] };
    await writeFile(
      file,
      JSON.stringify({
        releases: [
          { version: '99.0.0', adapter: true, adapterImports: ['0.2.12'], host },
          { version: '33.0.0', adapter: false, host },
        ],
      }),
    );
    const t = await loadReleaseTable([file]);
    expect(t.get('99.0.0')).toMatchObject({ origin: file, notes: 'https://github.com/bytecodealliance/wasmtime/releases/tag/v99.0.0' });
    expect(t.get('33.0.0')?.adapter).toBe(false);
    expect(t.get('32.0.0')?.origin).toBe('built-in');
    await writeFile(file, JSON.stringify({ releases: [{ version: 'x', adapter: true, host }] }));
    await expect(loadReleaseTable([file])).rejects.toThrow(`release data ${file} releases[0]: version must be a release`);
  });
});

describe('host compatibility', () => {
  const table = builtInReleaseTable();

  it('a component from the v47 adapter: hosts before v19 cannot resolve WASI 0.2.12, v19 on match it by semver', async () => {
    const { imports } = await adapterImports('adapters');
    const c = hostCompatibility(table, imports);
    expect(c.oldest).toBe('19.0.0');
    expect(c.ranges.at(-1)).toMatchObject({ ok: true, to: '49.0.0' });
    expect(c.ranges.filter((r) => !r.ok).every((r) => r.missing.includes('wasi:cli/environment@0.2.12'))).toBe(true);
    expect(hostFit(table.get('30.0.0')!, imports).bySemver).toContain('wasi:cli/environment@0.2.12 → 0.2.3');
    expect(describeHostCompatibility(c)).toMatch(
      /^wasmtime 19\.0\.0–49\.0\.0 can instantiate it; 14\.0\.0–18\.0\.4 cannot \(e\.g\. no wasi:\S+@0\.2\.12\)$/,
    );
  });

  it('a component from the v16 adapter (release candidates) fits only v16: pre-releases never match by semver', async () => {
    const { imports } = await adapterImports('test/fixtures/adapters/jco-0.14.2');
    const c = hostCompatibility(table, imports);
    expect(c.ranges.filter((r) => r.ok).map((r) => [r.from, r.to])).toEqual([['16.0.0', '16.0.0']]);
    expect(describeHostCompatibility(c)).toMatch(
      /^wasmtime 16\.0\.0 can instantiate it; 14\.0\.0–15\.0\.1, 17\.0\.0–49\.0\.0 cannot \(e\.g\. no /,
    );
  });

  it('a non-WASI import is missing on every host', () => {
    expect(hostFit(table.get('48.0.0')!, ['my:plugin/host@1.0.0', 'wasi:cli/stdout@0.2.0'])).toMatchObject({
      ok: false,
      missing: ['my:plugin/host@1.0.0'],
    });
  });
});

describe('bisect', () => {
  const releases = Array.from({ length: 32 }, (_, i) => `${i + 10}.0.0`);
  // A: PASS until 22.0.0, REGRESSION from 23.0.0. B: fails with one cause, then another from 15.0.0, then passes from 35.0.0.
  const truth = (artifact: string, release: string): Outcome => {
    const n = Number.parseInt(release, 10);
    if (artifact === 'a') return n < 23 ? { verdict: 'PASS' } : { verdict: 'REGRESSION', cause: 'go-heap' };
    if (artifact === 'b')
      return n < 15 ? { verdict: 'CONVERT-FAIL', cause: 'x' } : n < 35 ? { verdict: 'CONVERT-FAIL', cause: 'y' } : { verdict: 'PASS' };
    return { verdict: 'PASS' };
  };

  it('finds every change with O(log n) checks per change, never checking one (release, artifact) twice', async () => {
    const calls: string[] = [];
    const result = await bisect(releases, ['a', 'b', 'c'], async (release, artifacts) => {
      calls.push(...artifacts.map((a) => `${release}/${a}`));
      return new Map(artifacts.map((a) => [a, truth(a, release)]));
    });
    expect(result.changes.map((c) => [c.artifact, c.lastBefore, c.firstAfter, c.after.cause ?? c.after.verdict])).toEqual([
      ['a', '22.0.0', '23.0.0', 'go-heap'],
      ['b', '14.0.0', '15.0.0', 'y'],
      ['b', '34.0.0', '35.0.0', 'PASS'],
    ]);
    expect(new Set(calls).size).toBe(calls.length);
    expect(result.probed.length).toBeLessThanOrEqual(2 + 3 * Math.ceil(Math.log2(releases.length)));
    // c is the same at both ends: checked there only.
    expect(calls.filter((c) => c.endsWith('/c'))).toEqual(['10.0.0/c', '41.0.0/c']);
  });

  it('one release, or none, is just checked', async () => {
    const one = await bisect(['1.0.0'], ['a'], async (_r, a) => new Map(a.map((x) => [x, { verdict: 'PASS' }])));
    expect(one.changes).toEqual([]);
    expect(one.probed).toHaveLength(1);
    expect((await bisect([], ['a'], async () => new Map())).probed).toEqual([]);
  });
});

describe('wasm-p2-check versions (command line)', () => {
  const exists = () => true;
  it('takes releases (commas, spaces, a v, repeated), --bisect and the check options', () => {
    const c = parseCli(
      ['versions', '--releases', '33.0.0,v40.0.0', '--releases', '47.0.0 33.0.0', '--bisect', '--runtime', 'embedded', 'a.wasm'],
      '/w',
      exists,
    );
    expect(c).toMatchObject({
      kind: 'versions',
      releases: ['33.0.0', '40.0.0', '47.0.0'],
      bisect: true,
      options: { runtime: 'embedded', patterns: ['a.wasm'] },
    });
  });

  it.each([
    [['versions', 'a.wasm'], /versions needs --releases/],
    [['versions', '--releases', '30.0.0..', 'a.wasm'], /'' is not one/],
    [
      ['versions', '--releases', '33.0.0,x', 'a.wasm'],
      /--releases '33.0.0,x': expected wasmtime releases like 33.0.0,40.0.0 or 33.0.0..47.0.0; 'x' is not one/,
    ],
    [['versions', '--releases', '33.0.0', '--adapter', 'bundled', 'a.wasm'], /--adapter is chosen per release/],
    [['--releases', '33.0.0', 'a.wasm'], /--releases is an option of 'wasm-p2-check versions'/],
    [['--bisect', 'a.wasm'], /--bisect is an option of 'wasm-p2-check versions'/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseCli(argv, '/w', exists)).toThrow(message);
  });
});

describe('versions report rendering', () => {
  const hostile = 'x|y`z\n@admin <img src=x>.wasm';
  const report: VersionsReport = {
    schemaVersion: 1,
    kind: 'versions',
    tool: { name: 'wasm-p2-check', version: '0' },
    createdAt: '2026-01-01T00:00:00.000Z',
    mode: 'matrix',
    runtime: { requested: 'embedded', engine: 'fixed' },
    releases: ['20.0.0', '24.0.0'].map((version) => ({
      version,
      notes: `https://github.com/bytecodealliance/wasmtime/releases/tag/v${version}`,
      checked: true,
      known: true,
    })),
    artifacts: [
      {
        path: hostile,
        sha256: '',
        kind: 'module',
        cells: [
          { release: '20.0.0', verdict: 'PASS' },
          { release: '24.0.0', verdict: 'REGRESSION', cause: 'go-heap-clobbers-adapter-state' },
        ],
        changes: [
          {
            lastBefore: '20.0.0',
            firstAfter: '24.0.0',
            before: { verdict: 'PASS' },
            after: { verdict: 'REGRESSION', cause: 'go-heap-clobbers-adapter-state' },
            notes: 'https://github.com/bytecodealliance/wasmtime/releases/tag/v24.0.0',
          },
        ],
        differs: true,
      },
    ],
    checks: { done: 2, matrix: 2, cached: 0 },
    durationMs: 1,
  };

  it('an artifact path cannot break the table, ping anyone or carry HTML; a change reads as a bracketing pair', () => {
    const md = renderVersionsMarkdown(report);
    const row = md.split('\n').find((l) => l.includes('x\\|y'))!;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(3);
    // One code span (its backtick replaced, so it cannot be closed early): HTML and mentions inside are inert text.
    expect(row).toContain("`x\\|y'z @admin <img src=x>.wasm`");
    expect(md).not.toMatch(/\n@admin/);
    expect(md).toContain('works with 20.0.0, breaks from 24.0.0: REGRESSION (go-heap-clobbers-adapter-state)');
    expect(
      renderVersionsTerminal(report)
        .split('\n')
        .filter((l) => l.includes('admin')),
    ).toHaveLength(1);
    expect(versionsBreak(report)).toBe(true);
    expect(versionsBreak({ ...report, artifacts: [{ ...report.artifacts[0]!, changes: [] }] })).toBe(false);
  });
});
