import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProducers, engineSupports, highestWasi02, inspectBytes, inspectFile, toolchainOf, versionIn } from '../src/inspect/index.js';
import type { Producers } from '../src/model.js';
import { MODULE_HEADER, buildComponent, buildModule, producersPayload, section, str, uleb, vec } from './inspect-wasm-builder.js';

const P1 = 'wasi_snapshot_preview1';

function producers(p: Partial<Producers>): Producers {
  return { language: [], processedBy: [], sdk: [], ...p };
}

describe('decodeProducers', () => {
  it('decodes every field with versions containing spaces and parentheses', () => {
    const payload = producersPayload({
      language: [
        ['C99', ''],
        ['Rust', ''],
      ],
      'processed-by': [
        ['rustc', '1.63.0 (4b91a6ea7 2022-08-08)'],
        ['clang', '18.1.2 (https://github.com/llvm/llvm-project 26a1d6601d727a96f4301d0d8647b5a42760ae0c)'],
      ],
      sdk: [['wasi-sdk', '22.0']],
    });
    expect(decodeProducers(new Uint8Array(payload))).toEqual({
      language: [
        { name: 'C99', version: '' },
        { name: 'Rust', version: '' },
      ],
      processedBy: [
        { name: 'rustc', version: '1.63.0 (4b91a6ea7 2022-08-08)' },
        { name: 'clang', version: '18.1.2 (https://github.com/llvm/llvm-project 26a1d6601d727a96f4301d0d8647b5a42760ae0c)' },
      ],
      sdk: [{ name: 'wasi-sdk', version: '22.0' }],
    });
  });

  it('skips unknown fields and keeps UTF-8 names', () => {
    const payload = producersPayload({ 'x-custom': [['a', 'b']], language: [['Zig ⚡', '0.13.0']] });
    expect(decodeProducers(new Uint8Array(payload))).toEqual(producers({ language: [{ name: 'Zig ⚡', version: '0.13.0' }] }));
  });

  it('names the place where a malformed payload ends', () => {
    const payload = producersPayload({ language: [['Go', 'go1.24.4']] });
    expect(() => decodeProducers(new Uint8Array(payload.slice(0, -3)))).toThrow(
      /malformed producers section: ends in the middle of value 0 of field 'language'/,
    );
    expect(() => decodeProducers(new Uint8Array([...payload, 0]))).toThrow(/1 unexpected bytes after the last field/);
  });
});

describe('toolchainOf', () => {
  const cases: [string, Producers, ReturnType<typeof toolchainOf>][] = [
    [
      'Go 1.24',
      producers({ language: [{ name: 'Go', version: 'go1.24.4' }], processedBy: [{ name: 'Go cmd/compile', version: 'go1.24.4' }] }),
      { language: 'go', compiler: 'Go', version: '1.24.4' },
    ],
    [
      'Go rc',
      producers({ processedBy: [{ name: 'Go cmd/compile', version: 'go1.25rc1' }] }),
      { language: 'go', compiler: 'Go', version: '1.25rc1' },
    ],
    [
      'TinyGo',
      producers({ language: [{ name: 'Go', version: '' }], processedBy: [{ name: 'TinyGo', version: '0.33.0' }] }),
      { language: 'tinygo', compiler: 'TinyGo', version: '0.33.0' },
    ],
    [
      'rustc',
      producers({
        language: [
          { name: 'C99', version: '' },
          { name: 'Rust', version: '' },
        ],
        processedBy: [
          { name: 'clang', version: '14.0.6' },
          { name: 'rustc', version: '1.63.0 (4b91a6ea7 2022-08-08)' },
        ],
      }),
      { language: 'c+rust', compiler: 'clang+rustc' },
    ],
    [
      'Debian clang, C',
      producers({ language: [{ name: 'C99', version: '' }], processedBy: [{ name: 'Debian clang', version: '14.0.6' }] }),
      { language: 'c', compiler: 'Debian clang', version: '14.0.6' },
    ],
    [
      'wasi-sdk clang (GHC links through it): GHC decides; a C program: clang (wasi-sdk)',
      producers({
        language: [{ name: 'C11', version: '' }],
        processedBy: [{ name: 'clang', version: '21.1.8-wasi-sdk (https://gitlab.haskell.org/haskell-wasm/llvm-project.git abacb16)' }],
      }),
      { language: 'c', compiler: 'clang (wasi-sdk)', version: '21.1.8' },
    ],
    [
      'C and C++ linked (a C++ program links libc): C++',
      producers({
        language: [
          { name: 'C99', version: '' },
          { name: 'C_plus_plus_14', version: '' },
        ],
        processedBy: [{ name: 'Debian clang', version: '14.0.6' }],
      }),
      { language: 'c++', compiler: 'Debian clang', version: '14.0.6' },
    ],
    [
      'upstream clang with URL, C11',
      producers({
        language: [{ name: 'C11', version: '' }],
        processedBy: [{ name: 'clang', version: '18.1.2 (https://github.com/llvm/llvm-project 26a1d66)' }],
      }),
      { language: 'c', compiler: 'clang', version: '18.1.2' },
    ],
    [
      'clang, C++',
      producers({ language: [{ name: 'C_plus_plus_14', version: '' }], processedBy: [{ name: 'clang', version: '17.0.6' }] }),
      { language: 'c++', compiler: 'clang', version: '17.0.6' },
    ],
    [
      'clang as one string',
      producers({ processedBy: [{ name: 'Ubuntu clang version 16.0.0-1~ubuntu1', version: '' }] }),
      { language: 'c', compiler: 'clang', version: '16.0.0' },
    ],
    [
      'AssemblyScript',
      producers({ processedBy: [{ name: 'AssemblyScript', version: '0.27.29' }] }),
      { language: 'assemblyscript', compiler: 'AssemblyScript', version: '0.27.29' },
    ],
    ['Zig', producers({ language: [{ name: 'Zig', version: '0.13.0' }] }), { language: 'zig', compiler: 'Zig', version: '0.13.0' }],
    ['wat', producers({ processedBy: [{ name: 'wat', version: '1.219.1' }] }), { language: 'wat', compiler: 'wat', version: '1.219.1' }],
    [
      'unknown tool',
      producers({ processedBy: [{ name: 'mycc', version: '2.1' }] }),
      { language: 'unknown', compiler: 'mycc', version: '2.1' },
    ],
  ];
  it.each(cases)('%s', (_name, p, expected) => {
    expect(toolchainOf(p)).toMatchObject(expected!);
  });

  it('Rust and C both linked in: the entry point in the name section decides, else both are named (no guess)', () => {
    // Real producers: ruby.wasm from @ruby/3.3-wasm-wasi 2.10.1 (CRuby with Rust extensions, no name section).
    const cruby = producers({
      language: [
        { name: 'Rust', version: '' },
        { name: 'C11', version: '' },
      ],
      processedBy: [
        { name: 'clang', version: '18.1.2 (https://github.com/llvm/llvm-project 26a1d6601d727a96f4301d0d8647b5a42760ae0c)' },
        { name: 'rustc', version: '1.92.0 (ded5c06cf 2025-12-08)' },
      ],
    });
    expect(toolchainOf(cruby)?.language).toBe('c+rust');
    expect(toolchainOf(cruby)?.evidence).toMatch(/no name section/);
    expect(toolchainOf(cruby, { functionNames: ['__main_void', 'ruby_init'] })).toMatchObject({
      language: 'c',
      compiler: 'clang',
      version: '18.1.2',
    });
    expect(toolchainOf(cruby, { functionNames: ['__main_void', '_ZN3std2rt10lang_start17h0E'] })).toMatchObject({
      language: 'rust',
      compiler: 'rustc',
      version: '1.92.0',
    });
  });

  it("TinyGo: the version is TinyGo's, not that of the clang fork whose URL names tinygo-org", () => {
    const gofmt = producers({
      language: [
        { name: 'C11', version: '' },
        { name: 'C99', version: '' },
      ],
      processedBy: [
        { name: 'clang', version: '20.1.1 (https://github.com/tinygo-org/llvm-project 670759811adc85df52f410d7306788fabfc6242d)' },
        { name: 'TinyGo', version: '0.40.1' },
      ],
    });
    expect(toolchainOf(gofmt)).toMatchObject({ language: 'tinygo', compiler: 'TinyGo', version: '0.40.1' });
  });

  it('binding generators imply the language; post-processors (wit-component, walrus) do not', () => {
    expect(
      toolchainOf(
        producers({
          processedBy: [
            { name: 'walrus', version: '0.24.4' },
            { name: 'wasm-bindgen', version: '0.2.108 (a788f58f9)' },
          ],
        }),
      ),
    ).toMatchObject({ language: 'rust' });
    expect(
      toolchainOf(
        producers({
          processedBy: [
            { name: 'wit-component', version: '0.220.0' },
            { name: 'wit-bindgen-rust', version: '0.36.0' },
          ],
        }),
      ),
    ).toMatchObject({ language: 'rust' });
    expect(toolchainOf(producers({ processedBy: [{ name: 'wit-component', version: '0.220.0' }] }))).toBeUndefined();
  });

  it('is undefined without producers', () => {
    expect(toolchainOf(undefined)).toBeUndefined();
    expect(toolchainOf(producers({}))).toBeUndefined();
  });

  it('versionIn finds semver-like versions', () => {
    expect(versionIn('go1.21.0')).toBe('1.21.0');
    expect(versionIn('1.63.0 (4b91a6ea7 2022-08-08)')).toBe('1.63.0');
    expect(versionIn('none')).toBeUndefined();
  });
});

describe('inspectBytes: modules', () => {
  it('lists imports grouped by module, a command with exported memory, producers and toolchain', () => {
    const bytes = buildModule({
      funcImports: [
        [P1, 'fd_write'],
        ['env', 'abort'],
        [P1, 'proc_exit'],
        [P1, 'args_get'],
      ],
      memories: [{ min: 17, max: 256 }],
      funcExports: ['_start'],
      exportMemory: 'memory',
      customs: [
        ['producers', producersPayload({ language: [['Go', 'go1.24.4']], 'processed-by': [['Go cmd/compile', 'go1.24.4']] })],
        ['go:buildid', []],
      ],
    });
    const a = inspectBytes('go.wasm', bytes);
    expect(a.kind).toBe('module');
    expect(a.error).toBeUndefined();
    expect(a.size).toBe(bytes.length);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    const m = a.module!;
    expect(m.imports).toEqual([
      { module: P1, name: 'fd_write', kind: 'func' },
      { module: 'env', name: 'abort', kind: 'func' },
      { module: P1, name: 'proc_exit', kind: 'func' },
      { module: P1, name: 'args_get', kind: 'func' },
    ]);
    expect(m.importsByModule).toEqual({ [P1]: ['fd_write', 'proc_exit', 'args_get'], env: ['abort'] });
    expect(Object.keys(m.importsByModule)).toEqual([P1, 'env']);
    expect(m.nonWasiImportModules).toEqual(['env']);
    expect(m.exports).toEqual([
      { name: '_start', kind: 'func' },
      { name: 'memory', kind: 'memory' },
    ]);
    expect(m.style).toBe('command');
    expect(m.hasStart).toBe(true);
    expect(m.hasInitialize).toBe(false);
    expect(m.hasCabiRealloc).toBe(false);
    expect(m.memory).toEqual({ count: 1, imported: false, exported: true, shared: false, memory64: false, minPages: 17, maxPages: 256 });
    expect(m.customSections).toEqual(['producers', 'go:buildid']);
    expect(m.toolchain).toMatchObject({ language: 'go', compiler: 'Go', version: '1.24.4' });
    expect(m.producers?.processedBy).toEqual([{ name: 'Go cmd/compile', version: 'go1.24.4' }]);
    expect(m.features).toEqual([]);
    expect(m.wasiUnstable).toBe(false);
  });

  it('reactor with _initialize and cabi_realloc', () => {
    const a = inspectBytes(
      'r.wasm',
      buildModule({ funcImports: [[P1, 'fd_write']], memories: [{ min: 2 }], funcExports: ['_initialize', 'cabi_realloc', 'add'] }),
    );
    expect(a.kind).toBe('module');
    expect(a.module!.style).toBe('reactor');
    expect(a.module!.hasInitialize).toBe(true);
    expect(a.module!.hasStart).toBe(false);
    expect(a.module!.hasCabiRealloc).toBe(true);
    expect(a.module!.memory.maxPages).toBeUndefined();
    expect(a.module!.nonWasiImportModules).toEqual([]);
  });

  it('a module with neither _start nor _initialize is a reactor', () => {
    expect(inspectBytes('x.wasm', buildModule({ funcExports: ['f'] })).module!.style).toBe('reactor');
  });

  it('wasi_unstable imports', () => {
    const m = inspectBytes('u.wasm', buildModule({ funcImports: [['wasi_unstable', 'fd_write']], funcExports: ['_start'] })).module!;
    expect(m.wasiUnstable).toBe(true);
    expect(m.nonWasiImportModules).toEqual([]);
  });

  it('shared imported memory and wasi thread-spawn → threads', () => {
    const a = inspectBytes(
      't.wasm',
      buildModule({
        funcImports: [['wasi', 'thread-spawn']],
        memoryImport: ['env', 'memory', { min: 1, max: 16, shared: true }],
        funcExports: ['_start'],
      }),
    );
    expect(a.kind).toBe('module');
    expect(a.error).toBeUndefined();
    expect(a.module!.memory).toMatchObject({ count: 1, imported: true, exported: false, shared: true, minPages: 1, maxPages: 16 });
    expect(a.module!.features).toEqual(['threads']);
    expect(a.module!.importsByModule).toEqual({ wasi: ['thread-spawn'], env: ['memory'] });
    expect(a.module!.imports.at(-1)).toEqual({ module: 'env', name: 'memory', kind: 'memory' });
  });

  it('thread-spawn alone is threads', () => {
    expect(inspectBytes('t.wasm', buildModule({ funcImports: [['wasi', 'thread-spawn']] })).module!.features).toEqual(['threads']);
  });

  it('memory64 is reported as a feature, not as a misleading engine error', () => {
    const a = inspectBytes('m64.wasm', buildModule({ memories: [{ min: 1, max: 0x1_0000_0000, is64: true }], exportMemory: 'memory' }));
    expect(a.kind).toBe('module');
    expect(a.error).toBeUndefined();
    expect(a.module!.memory).toMatchObject({ memory64: true, minPages: 1, maxPages: 0x1_0000_0000 });
    expect(a.module!.features).toEqual(['memory64']);
  });

  it('multi-memory', () => {
    const a = inspectBytes('mm.wasm', buildModule({ memories: [{ min: 1 }, { min: 2 }] }));
    expect(a.kind).toBe('module');
    expect(a.module!.memory.count).toBe(2);
    expect(a.module!.memory.minPages).toBe(1);
    expect(a.module!.features).toEqual(['multi-memory']);
  });

  it('engineSupports asks the engine with a probe', () => {
    expect(typeof engineSupports('memory64')).toBe('boolean');
    expect(engineSupports('threads')).toBe(true);
    expect(engineSupports('no-such-feature')).toBe(true);
  });

  it('a malformed producers section does not make the module invalid', () => {
    const a = inspectBytes('p.wasm', buildModule({ customs: [['producers', [5, 1]]] }));
    expect(a.kind).toBe('module');
    expect(a.module!.producers).toBeUndefined();
    expect(a.module!.customSections).toEqual(['producers']);
  });

  it('falls back to names when there is no producers section', () => {
    const a = inspectBytes('g.wasm', buildModule({ customs: [['go:buildid', [...str('abc')]]] }));
    expect(a.module!.toolchain).toEqual({ language: 'go', compiler: 'Go', evidence: 'custom section go:buildid' });
  });
});

describe('inspectBytes: errors', () => {
  it('reports truncation precisely: section, declared size, bytes left', () => {
    const full = buildModule({ funcImports: [[P1, 'fd_write']], funcExports: ['_start', 'b', 'c'] });
    // The code section (id 10) is the last one; cut 3 bytes off its end.
    const a = inspectBytes('t.wasm', full.slice(0, full.length - 3));
    expect(a.kind).toBe('invalid');
    const m =
      /^truncated: section 10 \(code\) declares (\d+) bytes but only (\d+) remain \(section at offset 0x[0-9a-f]+, file is (\d+) bytes\)$/.exec(
        a.error!,
      );
    expect(m, a.error).not.toBeNull();
    expect(Number(m![1]) - Number(m![2])).toBe(3);
    expect(Number(m![3])).toBe(full.length - 3);
  });

  it('a section size that overruns a big file is reported with the real numbers', () => {
    const bytes = new Uint8Array([...MODULE_HEADER, 10, ...uleb(5123), ...new Array(812).fill(0)]);
    expect(inspectBytes('t.wasm', bytes).error).toBe(
      'truncated: section 10 (code) declares 5123 bytes but only 812 remain (section at offset 0x8, file is 823 bytes)',
    );
  });

  it('reports a file cut inside a section header', () => {
    const bytes = new Uint8Array([...MODULE_HEADER, 10, 0x80]);
    expect(inspectBytes('t.wasm', bytes).error).toMatch(/^truncated: the file ends inside the header of section 10 \(code\)/);
  });

  it('reports a header cut short', () => {
    const a = inspectBytes('t.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 1]));
    expect(a).toMatchObject({ kind: 'invalid', error: 'truncated: 5 bytes, but the WebAssembly header alone needs 8' });
  });

  it('bad magic is not-wasm, with a hint', () => {
    expect(inspectBytes('x', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toMatchObject({
      kind: 'not-wasm',
      error: 'not a WebAssembly binary: expected the magic bytes 00 61 73 6d ("\\0asm"), found 7f 45 4c 46 (looks like an ELF executable)',
    });
    expect(inspectBytes('x.wat', new Uint8Array(Buffer.from('(module)\n'))).error).toMatch(/looks like WebAssembly text/);
    expect(inspectBytes('x', new Uint8Array(Buffer.from('hello world\n'))).error).toMatch(/looks like a text file/);
    expect(inspectBytes('x', new Uint8Array([]))).toMatchObject({ kind: 'not-wasm', error: 'empty file (0 bytes)' });
    expect(inspectBytes('x', new Uint8Array([0, 0x61]))).toMatchObject({ kind: 'invalid', error: expect.stringMatching(/^truncated/) });
  });

  it('unknown versions are invalid', () => {
    expect(inspectBytes('x', new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]))).toMatchObject({
      kind: 'invalid',
      error: 'unsupported core module binary version 2 (expected 1)',
    });
    expect(inspectBytes('x', new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0a, 0, 1, 0])).error).toMatch(
      /^unsupported component binary version 0xa \(expected 0x0d/,
    );
    expect(inspectBytes('x', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 2, 0])).error).toMatch(/^unknown binary layer 2/);
  });

  it('a malformed import section names the section and entry', () => {
    const bytes = new Uint8Array([...MODULE_HEADER, ...section(2, [...vec([[...str('a'), ...str('b'), 0x09, 0x00]])])]);
    expect(inspectBytes('x', bytes).error).toMatch(
      /^malformed section 2 \(import\) while reading import 0 \('a' 'b'\): unknown import kind 0x9/,
    );
    const short = new Uint8Array([...MODULE_HEADER, ...section(2, [2, ...str('a'), ...str('b'), 0x00, 0x00])]);
    expect(inspectBytes('x', short).error).toMatch(
      /^malformed section 2 \(import\) at offset 0x8: its \d+ bytes end in the middle of import 1/,
    );
  });

  it('structurally fine but invalid modules carry the engine reason', () => {
    // A function whose body leaves an i32 on the stack of a () -> () function.
    const bytes = new Uint8Array([
      ...MODULE_HEADER,
      ...section(1, vec([[0x60, 0, 0]])),
      ...section(3, vec([[0]])),
      ...section(10, vec([[0x04, 0x00, 0x41, 0x01, 0x0b]])),
    ]);
    const a = inspectBytes('bad.wasm', bytes);
    expect(a.kind).toBe('invalid');
    expect(a.error).toMatch(/^failed validation: Compiling function #0 failed/);
    expect(a.module).toBeDefined();
  });

  it('unknown section ids are invalid', () => {
    expect(inspectBytes('x', new Uint8Array([...MODULE_HEADER, ...section(42, [])])).error).toBe('unknown section id 42 at offset 0x8');
  });

  it('LEB128 longer than 5 bytes is rejected', () => {
    const bytes = new Uint8Array([...MODULE_HEADER, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
    expect(inspectBytes('x', bytes).error).toMatch(/malformed LEB128 integer at offset 0x9/);
  });
});

describe('inspectBytes: components', () => {
  it('detects a component and lists its top-level imports and exports', () => {
    const a = inspectBytes(
      'c.wasm',
      buildComponent(['wasi:cli/environment@0.2.3', 'wasi:io/streams@0.2.6', 'wasi:filesystem/types@0.2.0'], ['wasi:cli/run@0.2.3']),
    );
    expect(a.kind).toBe('component');
    expect(a.component).toEqual({
      imports: ['wasi:cli/environment@0.2.3', 'wasi:io/streams@0.2.6', 'wasi:filesystem/types@0.2.0'],
      exports: ['wasi:cli/run@0.2.3'],
      wasiVersion: '0.2.6',
    });
  });

  it('falls back to scanning names when a section uses an unknown encoding', () => {
    const bytes = new Uint8Array([
      ...[0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00],
      ...section(10, [1, 0x07, ...str('wasi:cli/stdout@0.2.1'), 0x05, 0x00]),
    ]);
    const a = inspectBytes('c.wasm', bytes);
    expect(a.kind).toBe('component');
    expect(a.component!.imports).toEqual(['wasi:cli/stdout@0.2.1']);
    expect(a.component!.wasiVersion).toBe('0.2.1');
  });

  it('a truncated component is invalid', () => {
    const full = buildComponent(['wasi:cli/environment@0.2.3'], []);
    expect(inspectBytes('c.wasm', full.slice(0, -2)).error).toMatch(
      /^truncated: section 10 \(import\) declares \d+ bytes but only \d+ remain/,
    );
  });

  it('highestWasi02 ignores other versions and compares numerically', () => {
    expect(highestWasi02(['wasi:io/error@0.2.10', 'wasi:io/poll@0.2.9', 'wasi:http/types@0.3.0-rc-2025', 'foo@1.0.0'])).toBe('0.2.10');
    expect(highestWasi02(['local:x/y'])).toBeUndefined();
    // semver order: a release is above its release candidate, whichever comes first; a malformed version is skipped.
    expect(highestWasi02(['wasi:io/error@0.2.0-rc-2023-11-10', 'wasi:io/poll@0.2.0'])).toBe('0.2.0');
    expect(highestWasi02(['wasi:io/poll@0.2.0', 'wasi:io/error@0.2.0-rc-2023-11-10'])).toBe('0.2.0');
    expect(highestWasi02(['wasi:io/poll@0.02.7', 'wasi:io/error@0.2.1'])).toBe('0.2.1');
  });
});

describe('inspectFile', () => {
  it('reads a file, and turns read errors into invalid artifacts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inspect-'));
    const file = join(dir, 'a.wasm');
    writeFileSync(file, buildModule({ funcExports: ['_start'] }));
    await expect(inspectFile(file)).resolves.toMatchObject({ path: file, kind: 'module' });
    await expect(inspectFile(join(dir, 'missing.wasm'))).resolves.toMatchObject({
      kind: 'invalid',
      error: 'cannot read file: file not found',
    });
    await expect(inspectFile(dir)).resolves.toMatchObject({
      kind: 'invalid',
      error: 'cannot read file: is a folder: only regular files are accepted',
    });
  });
});
