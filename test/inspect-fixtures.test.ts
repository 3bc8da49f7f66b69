/**
 * inspect on the real binaries in test/fixtures (built by test/fixtures/build.sh, described by its manifest.json).
 * These must exist: a missing fixture is a failure, not a skip.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectBytes, inspectFile } from '../src/inspect/index.js';
import type { Artifact } from '../src/model.js';

const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));

interface ManifestEntry {
  file: string;
  sha256: string;
  size: number;
  producers?: Record<string, string[]>;
  expect: { invalid?: boolean; component?: boolean; reactor?: boolean; exports?: string[] };
}
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { fixtures: ManifestEntry[] };

const inspect = (file: string): Promise<Artifact> => inspectFile(join(dir, file));
const joined = (e: { name: string; version: string }): string => `${e.name} ${e.version}`.trim();

describe('fixtures: manifest agreement', () => {
  it('the manifest lists the fixtures this suite relies on', () => {
    const files = manifest.fixtures.map((f) => f.file);
    for (const f of [
      'c-hello.wasm',
      'go124-hello.wasm',
      'rust-hello.wasm',
      'c-reactor.wasm',
      'truncated.wasm',
      'not-wasm.wasm',
      'c-hello.component.wasm',
    ]) {
      expect(files).toContain(f);
    }
  });

  it.each(manifest.fixtures.map((f) => [f.file, f] as const))('%s', async (_file, f) => {
    const a = await inspect(f.file);
    expect(a.size).toBe(f.size);
    expect(a.sha256).toBe(f.sha256);
    if (f.expect.invalid) {
      expect(['not-wasm', 'invalid']).toContain(a.kind);
      expect(a.error).toBeTruthy();
      return;
    }
    expect(a.error).toBeUndefined();
    if (f.expect.component) {
      expect(a.kind).toBe('component');
      return;
    }
    expect(a.kind).toBe('module');
    const m = a.module!;
    expect(m.style).toBe(f.expect.reactor ? 'reactor' : 'command');
    if (f.expect.exports) expect(m.exports.map((e) => e.name).sort()).toEqual([...f.expect.exports].sort());
    const language = f.producers?.language ?? [];
    const processedBy = f.producers?.['processed-by'] ?? [];
    expect((m.producers?.language ?? []).map(joined)).toEqual(language);
    expect((m.producers?.processedBy ?? []).map(joined)).toEqual(processedBy);
  });
});

describe('fixtures: facts', () => {
  it('c-hello.wasm: clang 14 C command, WASI P1 imports only', async () => {
    const m = (await inspect('c-hello.wasm')).module!;
    expect(m.toolchain).toMatchObject({ language: 'c', compiler: 'Debian clang', version: '14.0.6' });
    expect(m.style).toBe('command');
    expect(Object.keys(m.importsByModule)).toEqual(['wasi_snapshot_preview1']);
    expect(m.importsByModule.wasi_snapshot_preview1).toContain('fd_write');
    expect(m.nonWasiImportModules).toEqual([]);
    expect(m.hasCabiRealloc).toBe(false);
    expect(m.memory).toMatchObject({ count: 1, imported: false, exported: true, shared: false, memory64: false });
    expect(m.features).toEqual([]);
    expect(m.customSections).toContain('producers');
  });

  it('go124-hello.wasm: Go 1.24.4, no cabi_realloc (the seed-report case)', async () => {
    const m = (await inspect('go124-hello.wasm')).module!;
    expect(m.toolchain).toMatchObject({ language: 'go', compiler: 'Go', version: '1.24.4' });
    expect(m.hasCabiRealloc).toBe(false);
    expect(m.style).toBe('command');
    expect(m.importsByModule.wasi_snapshot_preview1).toEqual(expect.arrayContaining(['args_sizes_get', 'environ_sizes_get', 'random_get']));
    expect(m.customSections).toContain('go:buildid');
  });

  it('go122-hello.wasm: Go 1.22', async () => {
    expect((await inspect('go122-hello.wasm')).module!.toolchain).toMatchObject({ language: 'go', compiler: 'Go', version: '1.22.12' });
  });

  it('rust-hello.wasm: rustc 1.63.0 even though clang and C99 are listed too', async () => {
    const m = (await inspect('rust-hello.wasm')).module!;
    expect(m.toolchain).toMatchObject({ language: 'rust', compiler: 'rustc', version: '1.63.0' });
    expect(m.producers!.language.map((e) => e.name)).toEqual(['C99', 'Rust']);
  });

  it('c-reactor.wasm: reactor with _initialize', async () => {
    const m = (await inspect('c-reactor.wasm')).module!;
    expect(m.style).toBe('reactor');
    expect(m.hasInitialize).toBe(true);
    expect(m.hasStart).toBe(false);
  });

  it('truncated.wasm: names the section and the sizes', async () => {
    const a = await inspect('truncated.wasm');
    expect(a.kind).toBe('invalid');
    expect(a.error).toMatch(/^truncated: section \d+ \([a-z ]+\) declares \d+ bytes but only \d+ remain/);
  });

  it('not-wasm.wasm and bad-magic.wasm: bad magic', async () => {
    const a = await inspect('not-wasm.wasm');
    expect(a.kind).toBe('not-wasm');
    expect(a.error).toMatch(/^not a WebAssembly binary: expected the magic bytes 00 61 73 6d/);
    const b = await inspect('bad-magic.wasm');
    expect(b.kind).toBe('not-wasm');
    expect(b.error).toMatch(/found 00 77 73 6d \(one byte off the wasm magic/);
  });

  it('c-hello.component.wasm: component with WASI 0.2 imports and the run export', async () => {
    const a = await inspect('c-hello.component.wasm');
    expect(a.kind).toBe('component');
    const c = a.component!;
    expect(c.exports).toEqual([expect.stringMatching(/^wasi:cli\/run@0\.2\.\d+$/)]);
    expect(c.imports).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^wasi:cli\/stdout@0\.2\.\d+$/),
        expect.stringMatching(/^wasi:io\/streams@0\.2\.\d+$/),
      ]),
    );
    expect(c.imports.every((n) => /^wasi:[a-z-]+\/[a-z-]+@0\.2\.\d+$/.test(n))).toBe(true);
    expect(c.wasiVersion).toMatch(/^0\.2\.\d+$/);
    expect(c.imports.some((n) => n.endsWith(`@${c.wasiVersion}`))).toBe(true);
  });
});

describe('fixtures: damaged copies never throw', () => {
  /** Deterministic PRNG (mulberry32) so failures reproduce. */
  function rng(seed: number): () => number {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it.each(['c-hello.wasm', 'c-reactor.wasm', 'c-hello.component.wasm'])('%s: every truncation and random byte flips', (file) => {
    const bytes = new Uint8Array(readFileSync(join(dir, file)));
    const kinds = new Set<string>();
    for (let n = 0; n < bytes.length; n += Math.max(1, Math.floor(bytes.length / 400))) {
      const a = inspectBytes(file, bytes.subarray(0, n));
      kinds.add(a.kind);
      if (n >= 8 && a.kind === 'invalid') expect(a.error).toMatch(/^(truncated|malformed|failed validation)/);
    }
    const random = rng(42);
    for (let i = 0; i < 300; i++) {
      const copy = bytes.slice();
      for (let j = 0; j < 4; j++) copy[8 + Math.floor(random() * (copy.length - 8))] = Math.floor(random() * 256);
      const a = inspectBytes(file, copy);
      expect(['module', 'component', 'invalid']).toContain(a.kind);
      if (a.kind === 'invalid') expect(a.error).not.toMatch(/^could not be read/);
    }
    expect(kinds.has('invalid')).toBe(true);
  });
});
