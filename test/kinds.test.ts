/**
 * Every result is about what the artifact is (#22 item 2), on real modules built by test/fixtures/kinds/build.sh
 * (their behaviour, established by running them, is in its manifest.json): a library for a host is named as one,
 * never a PASS that checked nothing nor a conversion failure; legacy exception handling refused by a host is
 * diagnosed from the module's instructions and attributed to the host; a WASI 0.2 core module exporting
 * `wasi:cli/run` is a command.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { compare, isReactor } from '../src/compare/index.js';
import { resultFails } from '../src/report/fail-on.js';
import { adapterKindFor } from '../src/convert/index.js';
import { explain } from '../src/diagnose/explain.js';
import { inspectBytes, inspectFile } from '../src/inspect/index.js';
import { refineToolchain } from '../src/inspect/producers.js';
import { makeRun } from './report-factory.js';
import { buildModule, str, vec } from './inspect-wasm-builder.js';

const kinds = path.join(import.meta.dirname, 'fixtures', 'kinds');
const fx = (name: string) => path.join(kinds, name);

describe('libraries for a host', () => {
  it.each([
    ['lib-no-imports.wasm', /no function imports at all/, /exports for its host: add, buffer, checksum/, /calls its exports directly/],
    ['lib-env-only.wasm', /imports only its host's functions: env::js_log, env::js_now/, /greet, square/, /provides `env`/],
    ['reactor-wasi-env.wasm', /host's functions next to WASI: env::on_result/, /exports for its host: compute/, /provides `env`/],
  ])('%s is a library for a host, with the exports it offers and what points to the host', async (file, how, offers, host) => {
    const a = await inspectFile(fx(file));
    expect(a.module!.host?.kind).toBe('library');
    expect(a.module!.host!.evidence.join('\n')).toMatch(how);
    expect(a.module!.host!.evidence.join('\n')).toMatch(offers);
    expect(a.module!.host!.name).toMatch(host);
  });

  it("an AssemblyScript library (asc 0.28.9, no producers): a library, named by asc's file/name functions and env.abort", async () => {
    const a = await inspectFile(fx('as-lib.wasm'));
    expect(a.module!.host?.kind).toBe('library');
    expect(a.module!.toolchain).toMatchObject({ language: 'assemblyscript', compiler: 'AssemblyScript' });
    expect(a.module!.toolchain!.evidence).toMatch(/lib\/add .*env::abort/);
  });

  it('a module exporting a plugin ABI (dprint) with no imports names the plugin host', () => {
    const a = inspectBytes('p.wasm', buildModule({ funcExports: ['dprint_plugin_version_4', 'format'] }));
    expect(a.module!.host).toMatchObject({ kind: 'plugin', name: 'a dprint plugin' });
  });

  it('a WASI reactor without foreign imports, and a command, are not libraries', async () => {
    expect((await inspectFile(path.join(kinds, '..', 'signatures', 'reactor.wasm'))).module!.host).toBeUndefined();
    expect((await inspectFile(path.join(kinds, '..', 'c-hello.wasm'))).module!.host).toBeUndefined();
  });

  it('a library that uses no WASI is NOT-WASI even when both runs "passed" (they checked nothing)', async () => {
    const artifact = await inspectFile(fx('lib-no-imports.wasm'));
    const quiet = { stdout: { text: '', bytes: 0, truncated: false } };
    const c = compare(artifact, makeRun('p1', quiet), { ok: true } as never, makeRun('p2', quiet));
    expect(c.verdict).toBe('NOT-WASI');
    expect(c.notes[0]!.message).toMatch(/Not a WASI program: a library for a host that calls its exports/);
  });

  it('check(): no-import and env-callback libraries get one verdict, NOT-WASI with host-library', async () => {
    const report = await check({
      patterns: [fx('lib-no-imports.wasm'), fx('reactor-wasi-env.wasm'), fx('lib-env-only.wasm')],
      cwd: process.cwd(),
      runtime: 'embedded',
      sandbox: { args: [], env: {}, dirs: [], timeoutMs: 30_000, outputCapBytes: 1 << 20 },
    });
    for (const r of report.results) {
      expect(r.verdict, r.artifact.path).toBe('NOT-WASI');
      expect(r.diagnoses[0]?.signatureId, r.artifact.path).toBe('host-library');
      expect(r.diagnoses.map((d) => d.signatureId)).not.toContain('non-wasi-imports');
    }
  }, 60_000);
});

describe('legacy exception handling refused by the host', () => {
  it('inspect finds the legacy try instruction and the function it is in; Emscripten behind its clang', async () => {
    const a = await inspectFile(fx('eh-legacy.wasm'));
    // producers name only `Debian clang 14.0.6` (and C99, C++14): the stack helpers it exports are Emscripten's ABI.
    expect(a.module!.toolchain).toMatchObject({ language: 'c++', compiler: 'Emscripten' });
    expect(a.module!.toolchain!.evidence).toMatch(/Emscripten runtime ABI: stack\w+ \(its Debian clang 14\.0\.6\)/);
    expect(a.module!.features).toContain('legacy-exceptions');
    expect(a.module!.legacyExceptions).toEqual({ instruction: 'try', function: expect.stringMatching(/^func\[\d+\]|\w/) });
  });

  it('target_features is read, and declares exceptions without a tag section: the code is still decoded', () => {
    // (func (export "f") try end) with `+exception-handling` in target_features and no tag section.
    const bodies = [[0x06, 0x40, 0x0b]];
    const features = vec(['+exception-handling', '+bulk-memory'].map((f) => [f.charCodeAt(0), ...str(f.slice(1))]));
    const a = inspectBytes('t.wasm', buildModule({ funcExports: ['f'], bodies, customs: [['target_features', features]] }));
    expect(a.module!.targetFeatures).toEqual(['+exception-handling', '+bulk-memory']);
    expect(a.module!.legacyExceptions).toEqual({ instruction: 'try', function: 'func[0]' });
    const plain = inspectBytes('t.wasm', buildModule({ funcExports: ['f'], bodies }));
    expect(plain.module!.features).not.toContain('legacy-exceptions');
  });

  it.each([
    ['jco-transpile-eh-legacy.txt', /exceptions proposal not enabled/],
    ['wasmtime49-eh-legacy.txt', /legacy_exceptions feature required for try instruction/],
  ])('explain %s with the module: the host refused it before any code ran, with the fix', async (file, said) => {
    const logText = await readFile(path.join(kinds, 'transcripts', file), 'utf8');
    const r = await explain({ logText, modulePath: fx('eh-legacy.wasm') });
    const top = r.diagnoses[0]!;
    expect(top.signatureId).toBe('legacy-exceptions-refused');
    expect(top.confidence).toBe('high');
    expect(top.evidence.join('\n')).toMatch(said);
    expect(top.evidence.join('\n')).toMatch(/legacy exception-handling instruction in the module: `try` in /);
    expect(top.workarounds[0]!.text).toMatch(/--translate-to-exnref/);
  });

  it('check(): P1 runs on node:wasi, jco refuses the component; the diagnosis says the host refused it', async () => {
    const report = await check({
      patterns: [fx('eh-legacy.wasm')],
      cwd: process.cwd(),
      runtime: 'embedded',
      sandbox: { args: [], env: {}, dirs: [], timeoutMs: 30_000, outputCapBytes: 1 << 20 },
    });
    const r = report.results[0]!;
    expect(r.p1?.stdout.text).toBe('caught: too big\ntotal 30\n');
    expect(r.diagnoses[0]?.signatureId).toBe('legacy-exceptions-refused');
  }, 60_000);
});

describe('a WASI 0.2 core module exporting wasi:cli/run', () => {
  it('is a command (by its real exports), converted with the reactor adapter (no _start to wrap)', () => {
    const a = inspectBytes(
      'h.wasm',
      buildModule({
        funcImports: [
          ['wasi_snapshot_preview1', 'fd_write'],
          ['wasi:cli/environment@0.2.3', 'get-environment'],
        ],
        funcExports: ['_initialize', 'wasi:cli/run@0.2.3#run'],
        customs: [['component-type:bindings', []]],
      }),
    );
    expect(a.module!.style).toBe('command');
    expect(a.module!.witRunExport).toBe('wasi:cli/run@0.2.3#run');
    expect(a.module!.targetsWasiP2).toBe(true);
    expect(adapterKindFor(a)).toBe('reactor');
    // So a runtime that runs only commands (wasmtime) runs it, instead of skipping it as exporting no wasi:cli/run.
    expect(isReactor(a)).toBe(false);
  });

  it('its P2 failure with no P1 baseline fails the gate as P2-FAIL, never PASS; a clean run is PASS', () => {
    const a = inspectBytes(
      'h.wasm',
      buildModule({
        funcImports: [['wasi:cli/environment@0.2.3', 'get-environment']],
        funcExports: ['wasi:cli/run@0.2.3#run'],
        customs: [['component-type:bindings', []]],
      }),
    );
    const exit1 = compare(a, undefined, { ok: true } as never, makeRun('p2', { exitCode: 1 }));
    expect(exit1.verdict).toBe('P2-FAIL');
    expect(exit1.notes.map((n) => n.code)).toEqual(['no-p1-baseline', 'p2-failed-without-baseline']);
    expect(resultFails({ verdict: exit1.verdict, p2: makeRun('p2', { exitCode: 1 }) }, 'regression')).toBe(true);
    const trap = makeRun('p2', { exitCode: null, trap: { kind: 'unreachable', message: 'unreachable', frames: [] } as never });
    expect(compare(a, undefined, { ok: true } as never, trap).verdict).toBe('P2-FAIL');
    expect(compare(a, undefined, { ok: true } as never, makeRun('p2')).verdict).toBe('PASS');
  });
});

describe('toolchain evidence beyond producers', () => {
  // No Zig toolchain can be had here (not in Debian 12's archive): the rule is held on names alone.
  it('a C-by-producers module whose functions are named std.… is Zig (zig cc records only clang)', () => {
    const c = { language: 'c', compiler: 'clang', version: '19.1.7', evidence: 'producers: C11, clang 19.1.7' };
    const zig = refineToolchain(c, ['std.mem.copyForwards', 'start._start', 'main.main'], [], []);
    expect(zig).toMatchObject({ language: 'zig', compiler: 'Zig' });
    expect(zig!.evidence).toMatch(/std\.mem\.copyForwards.*producers: C11, clang 19\.1\.7/);
    expect(refineToolchain(c, ['main', 'start._start'], [], [])).toEqual(c);
  });
});
