// The committed fixtures are what test/fixtures/build.sh built: every manifest entry's file
// exists with the recorded sha256 and size, every source it names exists, and the bundled
// examples and adapters are byte-for-byte the ones their manifests describe.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = join(root, 'test', 'fixtures');

interface FixtureEntry {
  file: string;
  source: string;
  toolchain: { name: string; version: string; packages?: string[] };
  command: string;
  sha256: string;
  size: number;
  expect: { note: string; invalid?: boolean; component?: boolean; [k: string]: unknown };
  producers?: Record<string, string[]>;
  adapter?: { package: string; version: string; sha256: string; size: number };
}

interface AdapterManifest {
  package: string;
  version: string;
  integrity: string;
  files: { name: string; sha256: string; size: number }[];
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const manifest = JSON.parse(readFileSync(join(fixturesDir, 'manifest.json'), 'utf8')) as { fixtures: FixtureEntry[] };
const adapters = JSON.parse(readFileSync(join(root, 'adapters', 'manifest.json'), 'utf8')) as AdapterManifest;

describe('test/fixtures/manifest.json', () => {
  it('lists fixtures with unique file names', () => {
    const files = manifest.fixtures.map((f) => f.file);
    expect(files.length).toBeGreaterThan(10);
    expect(new Set(files).size).toBe(files.length);
  });

  it('lists every .wasm file in test/fixtures/ (no blob of unknown origin)', () => {
    const onDisk = readdirSync(fixturesDir)
      .filter((f) => f.endsWith('.wasm'))
      .sort();
    expect(onDisk).toEqual(manifest.fixtures.map((f) => f.file).sort());
  });

  describe.each(manifest.fixtures.map((f) => [f.file, f] as const))('%s', (_file, entry) => {
    it('exists with the recorded sha256 and size', () => {
      const path = join(fixturesDir, entry.file);
      expect(existsSync(path)).toBe(true);
      const bytes = readFileSync(path);
      expect(bytes.length).toBe(entry.size);
      expect(sha256(bytes)).toBe(entry.sha256);
    });

    it('names a source that exists, a toolchain version, a command and an expectation', () => {
      expect(existsSync(join(fixturesDir, entry.source))).toBe(true);
      expect(entry.toolchain.name).not.toBe('');
      expect(entry.toolchain.version).not.toBe('');
      expect(entry.command).not.toBe('');
      expect(entry.expect.note).not.toBe('');
    });

    it('has the header its expectation implies', () => {
      const bytes = readFileSync(join(fixturesDir, entry.file));
      if (entry.expect.invalid) {
        expect(WebAssembly.validate(bytes)).toBe(false);
        return;
      }
      const head = bytes.subarray(0, 8);
      expect(head.subarray(0, 4).toString('latin1')).toBe('\0asm');
      // core module: version 1, layer 0; component: version 0x0d, layer 1
      expect([...head.subarray(4)]).toEqual(entry.expect.component ? [0x0d, 0, 1, 0] : [1, 0, 0, 0]);
    });
  });

  it('records the Go versions in the producers section', () => {
    const go = (file: string) => manifest.fixtures.find((f) => f.file === file)?.producers?.language?.[0] ?? '';
    expect(go('go124-hello.wasm')).toMatch(/^Go go1\.24\./);
    expect(go('go122-hello.wasm')).toMatch(/^Go go1\.2[23]\./);
  });

  it('built the component with the vendored command adapter', () => {
    const component = manifest.fixtures.find((f) => f.file === 'c-hello.component.wasm');
    const command = adapters.files.find((f) => f.name === 'wasi_snapshot_preview1.command.wasm');
    expect(component?.adapter?.version).toBe(adapters.version);
    expect(component?.adapter?.sha256).toBe(command?.sha256);
  });
});

describe('adapters/manifest.json', () => {
  it.each(adapters.files.map((f) => [f.name, f] as const))('%s matches its sha256 and size', (name, file) => {
    const bytes = readFileSync(join(root, 'adapters', name));
    expect(bytes.length).toBe(file.size);
    expect(sha256(bytes)).toBe(file.sha256);
  });

  it('names the npm package, version and integrity', () => {
    expect(adapters.package).toBe('@bytecodealliance/jco');
    expect(adapters.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(adapters.integrity).toMatch(/^sha512-/);
  });
});

describe('examples/', () => {
  const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.wasm'));

  it.each(examples)('%s is a copy of the fixture of the same name', (name) => {
    const entry = manifest.fixtures.find((f) => f.file === name);
    expect(entry).toBeDefined();
    expect(sha256(readFileSync(join(root, 'examples', name)))).toBe(entry?.sha256);
  });
});
