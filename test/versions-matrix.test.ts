/**
 * The release matrix and bisect on real adapters (jco's builds of the adapter source of 8 wasmtime releases, served
 * by a loopback mirror as `--wasmtime-download-url`). The engine-varying path needs one wasmtime per release; only the
 * wasmtime 49 Python wheel exists here, so the engine is fixed at 49 and the adapter varies — never relabelled.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryStore } from '../src/cache/index.js';
import type { CheckOptions, ProgressEvent } from '../src/options/index.js';
import { folderCache } from '../src/runtime/wasmtime/cache.js';
import { renderVersionsJson, renderVersionsMarkdown, renderVersionsTerminal } from '../src/versions/render.js';
import { runVersions } from '../src/versions/run.js';
import { type AdapterMirror, startAdapterMirror, vendoredAdapters } from './adapter-mirror.js';
import { engineUnavailable, harness } from './harness/engine.js';

const root = path.resolve(import.meta.dirname, '..');
const all = vendoredAdapters.map((a) => a.release);
let mirror: AdapterMirror;
let cacheRoot: string;

beforeAll(async () => {
  mirror = await startAdapterMirror();
  cacheRoot = await mkdtemp(path.join(tmpdir(), 'versions-'));
});
afterAll(() => mirror.close());

function options(patterns: string[], extra: Partial<CheckOptions> = {}, events: ProgressEvent[] = []): CheckOptions {
  return {
    patterns,
    cwd: root,
    runtime: 'embedded',
    sandbox: { args: [], env: {}, dirs: [], timeoutMs: 30_000, outputCapBytes: 1 << 20 },
    ...extra,
    wasmtime: { downloadBaseUrl: mirror.url, cache: folderCache(path.join(cacheRoot, 'releases')), ...extra.wasmtime },
    onProgress: (e) => events.push(e),
  };
}

/** P1 runs started for an artifact (a shared one is announced with a message, a new one without). */
const p1Runs = (events: ProgressEvent[], artifact: string) =>
  events.filter((e) => e.artifact === artifact && e.stage === 'p1' && e.message === undefined).length;

describe('versions on the embedded runtime (the adapter varies)', () => {
  it('Go 1.24 breaks with every adapter release; C works with all; one P1 run per artifact; cached per release', async () => {
    const releases = ['16.0.0', '30.0.0', '47.0.0'];
    const events: ProgressEvent[] = [];
    const cache = directoryStore(path.join(cacheRoot, 'results'));
    const patterns = ['examples/go124-hello.wasm', 'examples/c-hello.wasm', 'test/fixtures/c-hello.component.wasm'];
    const { versions: report } = await runVersions(options(patterns, { cache }, events), { releases, bisect: false });
    expect(report.configurationError).toBeUndefined();
    const go = report.artifacts.find((a) => a.path === 'examples/go124-hello.wasm')!;
    expect(go.cells.map((c) => [c.release, c.verdict, c.cause])).toEqual(
      releases.map((r) => [r, 'REGRESSION', 'go-heap-clobbers-adapter-state']),
    );
    expect(go.changes).toEqual([]);
    expect(report.artifacts.find((a) => a.path === 'examples/c-hello.wasm')!.cells.every((c) => c.verdict === 'PASS')).toBe(true);
    // The P1 baseline does not depend on the adapter: run once per module, not once per release.
    expect(p1Runs(events, 'examples/go124-hello.wasm')).toBe(1);
    expect(p1Runs(events, 'examples/c-hello.wasm')).toBe(1);
    // Each release's adapter is its own (identified by hash), and what its components need from a host is said.
    expect(report.releases.map((r) => r.adapter?.version)).toEqual(releases);
    expect(report.releases.find((r) => r.version === '47.0.0')!.convertedHosts?.oldest).toBe('19.0.0');
    expect(report.releases.find((r) => r.version === '16.0.0')!.convertedHosts?.oldest).toBe('16.0.0');
    expect(report.artifacts.find((a) => a.kind === 'component')!.hosts?.oldest).toBe('19.0.0');
    expect(report.checks).toEqual({ done: 9, matrix: 9, cached: 0 });
    // The JSON report is what docs/versions-report-schema.json says.
    const schema = JSON.parse(await readFile(path.join(root, 'docs/versions-report-schema.json'), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    expect(validate(JSON.parse(renderVersionsJson(report))), JSON.stringify(validate.errors)).toBe(true);

    // Again: every (release, artifact) result comes from the cache, nothing runs.
    const again: ProgressEvent[] = [];
    const { versions: second } = await runVersions(options(patterns, { cache }, again), { releases, bisect: false });
    expect(second.checks).toEqual({ done: 9, matrix: 9, cached: 9 });
    expect(again.filter((e) => e.stage === 'p1' || e.stage === 'p2')).toEqual([]);
    expect(second.artifacts.map((a) => a.cells.map((c) => c.verdict))).toEqual(report.artifacts.map((a) => a.cells.map((c) => c.verdict)));
  });

  it('a release that cannot be had is named before anything runs', async () => {
    const events: ProgressEvent[] = [];
    const { versions: report } = await runVersions(options(['examples/c-hello.wasm'], {}, events), {
      releases: ['47.0.0', '25.0.0', '26.0.0'],
      bisect: false,
    });
    expect(report.configurationError?.option).toBe('releases');
    expect(report.configurationError?.message).toMatch(/^releases cannot be had, nothing was run: 25\.0\.0 \(.*HTTP 404.*\); 26\.0\.0 \(/);
    expect(report.artifacts).toEqual([]);
    expect(events.filter((e) => e.stage === 'p1' || e.stage === 'convert')).toEqual([]);
    expect(mirror.requests).toContain('/v25.0.0/wasi_snapshot_preview1.command.wasm');
  });

  it('runtime wasmtime with no version varies the engine per release: engines that cannot be had are named first', async () => {
    const events: ProgressEvent[] = [];
    const { versions: report } = await runVersions(
      options(['examples/c-hello.wasm'], { runtime: 'wasmtime', wasmtime: { searchPath: '' } }, events),
      {
        releases: ['30.0.0', '47.0.0'],
        bisect: true,
      },
    );
    expect(report.configurationError?.message).toMatch(/30\.0\.0 \(.*wasmtime-v30\.0\.0-.*HTTP 404.*\); 47\.0\.0 \(/);
    expect(events.filter((e) => e.stage === 'p1')).toEqual([]);
  });
});

describe.skipIf(engineUnavailable())('versions on wasmtime 49 (the engine fixed, the adapter varies)', () => {
  // The engine-per-release path with the one engine there is: release 49.0.0's wasmtime is found (the harness on PATH
  // reports 49.0.0), its adapter is not on the mirror: named, never replaced by another release's adapter.
  it('engine per release: a release whose own adapter cannot be had is named, not swapped for another', async () => {
    const events: ProgressEvent[] = [];
    const report = await runVersions(
      options(['examples/c-hello.wasm'], { runtime: 'wasmtime', wasmtime: { searchPath: path.dirname(harness) } }, events),
      { releases: ['49.0.0'], bisect: false },
    );
    expect(report.versions.configurationError?.message).toMatch(
      /^a release cannot be had, nothing was run: 49\.0\.0 \(the adapter of wasmtime 49\.0\.0/,
    );
    expect(events.filter((e) => e.stage === 'p1')).toEqual([]);
  });

  it('bisect over 8 releases finds where each artifact changes with fewer checks, and the host data is confirmed', async () => {
    const patterns = ['examples/c-hello.wasm'];
    const { versions: report } = await runVersions(options(patterns, { runtime: 'wasmtime', wasmtime: { binary: harness } }), {
      releases: all,
      bisect: true,
    });
    expect(report.configurationError).toBeUndefined();
    const c = report.artifacts.find((a) => a.path === 'examples/c-hello.wasm')!;
    // The v16 adapter imports WASI release candidates that wasmtime 49's host does not have; 17.0.0's imports 0.2.0.
    expect(c.changes).toEqual([
      {
        lastBefore: '16.0.0',
        firstAfter: '17.0.0',
        before: { verdict: 'REGRESSION', cause: 'adapter-runtime-version-skew' },
        after: { verdict: 'PASS' },
        notes: 'https://github.com/bytecodealliance/wasmtime/releases/tag/v17.0.0',
      },
    ]);
    expect(report.checks.done).toBeLessThan(report.checks.matrix);
    expect(report.releases.filter((r) => r.checked).length).toBe(4);
    // The data said wasmtime 49 cannot instantiate the v16 adapter's components and can the others': the runs agree.
    expect(report.hostCheck).toEqual({ confirmed: report.checks.done, contradicted: [] });
    expect(renderVersionsTerminal(report)).toContain('fails with 16.0.0 (REGRESSION (adapter-runtime-version-skew)), works from 17.0.0');
    expect(renderVersionsMarkdown(report)).toContain('release notes](https://github.com/bytecodealliance/wasmtime/releases/tag/v17.0.0))');
  });
});
