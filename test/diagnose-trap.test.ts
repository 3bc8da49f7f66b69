import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyTrap, parseAdapterLine, parseTrap } from '../src/diagnose/trap/parse.js';

const seed = readFileSync(new URL('./fixtures/transcripts/wasmtime33-go-default-adapter.txt', import.meta.url), 'utf8');

describe('parseTrap: wrapping and noise', () => {
  it('returns undefined for output without a runtime error', () => {
    expect(parseTrap('')).toBeUndefined();
    expect(parseTrap('hello world\nError: file not found: data.txt\n')).toBeUndefined();
    expect(parseTrap('DEBUG: State::with called\nok\n')).toBeUndefined();
  });

  it('is the same through ANSI colours, CRLF and guest output around it', () => {
    const plain = parseTrap(seed)!;
    const noisy = parseTrap(
      `Hello from the guest\r\n${seed.replace(/\n/g, '\r\n').replace('Error:', '\x1b[1m\x1b[31mError:\x1b[0m')}trailing output\r\n`,
    )!;
    expect(noisy.kind).toBe(plain.kind);
    expect(noisy.message).toBe(plain.message);
    expect(noisy.causes).toEqual(plain.causes);
    expect(noisy.frames).toEqual(plain.frames);
    expect(noisy.adapterLine).toEqual(plain.adapterLine);
  });

  it('reads the chain when a toolchain prefixes it', () => {
    const t = parseTrap(seed.replace('Error: failed', 'GrainExceptionError: Error: failed'))!;
    expect(t.causes[0]).toBe('failed to run main module `main_p2.wasm`');
    expect(t.frames).toHaveLength(9);
  });

  it('finds the adapter message when it shares a line with the next output', () => {
    const t = parseTrap(seed.replace('2786\n', '2786'))!;
    expect(t.adapterLine).toEqual({ line: 2786, kind: 'assertion', text: 'assertion failed at adapter line 2786' });
    expect(t.causes[0]).toBe('failed to run main module `main_p2.wasm`');
  });

  it('records the chain outermost first', () => {
    expect(parseTrap(seed)!.causes).toEqual([
      'failed to run main module `main_p2.wasm`',
      'failed to invoke `run` function',
      'error while executing at wasm backtrace:',
      'wasm trap: wasm `unreachable` instruction executed',
    ]);
  });
});

describe('parseTrap: wasmtime formats', () => {
  it('older single-cause chain with the backtrace at the root', () => {
    const t = parseTrap(
      [
        'Error: error while executing at wasm backtrace:',
        '    0: 0x288de2 - wit-component:shim!indirect-wasi-environment-get-environment',
        '    1: 0x2871b7 - wit-component:adapter:wasi_snapshot_preview1!wasi_snapshot_preview1::State::get_environment::h1684658e26d89eb6',
        '    2: 0x1d003 - <unknown>!__wasi_environ_sizes_get',
        '',
        'Caused by:',
        '    cannot leave component instance',
      ].join('\n'),
    )!;
    expect(t.kind).toBe('cannot-leave-instance');
    expect(t.message).toBe('cannot leave component instance');
    expect(t.format).toBe('wasmtime-embedded');
    expect(t.frames.map((f) => [f.name, f.origin])).toEqual([
      ['indirect-wasi-environment-get-environment', 'shim'],
      ['wasi_snapshot_preview1::State::get_environment', 'adapter'],
      ['__wasi_environ_sizes_get', 'guest'],
    ]);
  });

  it('frames with source lines, without offsets, anonymous functions and the details note', () => {
    const t = parseTrap(
      [
        'Error: failed to run main module `a.wasm`',
        '',
        'Caused by:',
        '    0: failed to invoke command default',
        '    1: error while executing at wasm backtrace:',
        '           0:   0x1a2b - a.wasm!core::panicking::panic::h0123456789abcdef',
        '                    at /rustc/abc/library/core/src/panicking.rs:12:5',
        '           1: <unknown>!<wasm function 12>',
        '           2: 0x1c - main',
        '                    at /src/main.rs:3:1',
        '       note: using the `WASMTIME_BACKTRACE_DETAILS=1` environment variable may show more debugging information',
        '    2: wasm trap: out of bounds memory access',
      ].join('\n'),
    )!;
    expect(t.kind).toBe('out-of-bounds');
    expect(t.frames.map((f) => [f.index, f.offset, f.module, f.name, f.origin])).toEqual([
      [0, 0x1a2b, 'a.wasm', 'core::panicking::panic', 'guest'],
      [1, undefined, '<unknown>', '<wasm function 12>', 'unknown'],
      [2, 0x1c, undefined, 'main', 'guest'],
    ]);
  });

  it('Python wasmtime wheel exceptions and v0 names with crate disambiguators', () => {
    const t = parseTrap(
      [
        'Traceback (most recent call last):',
        '  File "run.py", line 12, in <module>',
        '    start(store)',
        'wasmtime._trap.Trap: error while executing at wasm backtrace:',
        '    0: 0x1a2b - <unknown>!wasi_snapshot_preview1[a2b94cd3e3c1ab03]::macros::assert_fail',
        '    1: 0x1b00 - <unknown>!args_sizes_get',
        '    2: 0x3000 - <unknown>!runtime.args_sizes_get',
        '',
        'Caused by:',
        '    wasm trap: wasm `unreachable` instruction executed',
      ].join('\n'),
    )!;
    expect(t.format).toBe('wasmtime-embedded');
    expect(t.kind).toBe('unreachable');
    expect(t.frames[0]).toMatchObject({ name: 'wasi_snapshot_preview1::macros::assert_fail', origin: 'adapter' });
    // a bare P1 name under <unknown> is not assumed to be the adapter
    expect(t.frames[1]).toMatchObject({ name: 'args_sizes_get', origin: 'guest' });
  });

  it('link and exit-status errors', () => {
    const link = parseTrap(
      'Error: component imports instance `wasi:cli/environment@0.2.6`, but a matching implementation was not found in the linker\n\nCaused by:\n    0: instance export `get-environment` has the wrong type\n    1: function implementation is missing\n',
    )!;
    expect(link.kind).toBe('link-error');
    expect(link.causes).toHaveLength(3);
    expect(
      parseTrap('Error: failed to run main module `x.wasm`\n\nCaused by:\n    exit with invalid exit status outside of [0..126)\n')!.kind,
    ).toBe('invalid-exit-status');
    expect(
      parseTrap(
        'Error: failed to run main module `m.wasm`\n\nCaused by:\n    0: failed to instantiate "m.wasm"\n    1: unknown import: `wasi_snapshot_preview1::fd_write` has not been defined\n',
      )!.kind,
    ).toBe('link-error');
  });
});

describe('parseTrap: V8', () => {
  it('jco-transpiled component with v0-mangled adapter frames', () => {
    const t = parseTrap(
      [
        'assertion failed at adapter line 2857',
        'file:///tmp/out/component.js:1234',
        '    throw e;',
        '',
        'RuntimeError: unreachable',
        '    at _RNvNtCs1wwIxjb0Jwr_22wasi_snapshot_preview16macros11assert_fail (wasm://wasm/0025e0a6:wasm-function[1092]:0x25e0a6)',
        '    at args_sizes_get (wasm://wasm/0025e0a6:wasm-function[1100]:0x25e1c4)',
        '    at adapt-wasi_snapshot_preview1-args_sizes_get (wasm://wasm/0003a2b1:wasm-function[3]:0x1a2)',
        '    at runtime.args_sizes_get (wasm://wasm/00b1c2d3:wasm-function[700]:0x874e3)',
        '    at wasm://wasm/00b1c2d3:wasm-function[701]:0x87ad7',
        '    at Object.run (file:///tmp/out/component.js:2000:31)',
        '    at async file:///tmp/run.mjs:3:1',
      ].join('\n'),
    )!;
    expect(t.format).toBe('v8');
    expect(t.kind).toBe('unreachable');
    expect(t.message).toBe('RuntimeError: unreachable');
    expect(t.adapterLine?.line).toBe(2857);
    expect(t.frames.map((f) => [f.name, f.origin])).toEqual([
      ['wasi_snapshot_preview1::macros::assert_fail', 'adapter'],
      ['args_sizes_get', 'adapter'],
      ['adapt-wasi_snapshot_preview1-args_sizes_get', 'shim'],
      ['runtime.args_sizes_get', 'guest'],
      ['wasm-function[701]', 'unknown'],
      ['Object.run', 'host'],
      ['<anonymous>', 'host'],
    ]);
    expect(t.frames[3]).toMatchObject({ offset: 0x874e3, module: 'wasm://wasm/00b1c2d3' });
  });

  it('stack exhaustion and out of bounds', () => {
    expect(parseTrap('RangeError: Maximum call stack size exceeded\n    at wasm://wasm/0001:wasm-function[5]:0x10\n')!.kind).toBe(
      'stack-overflow',
    );
    expect(parseTrap('RuntimeError: memory access out of bounds\n    at wasm://wasm/0001:wasm-function[5]:0x10\n')!.kind).toBe(
      'out-of-bounds',
    );
    expect(
      parseTrap('RuntimeError: null function or function signature mismatch\n    at wasm://wasm/0001:wasm-function[5]:0x10\n')!.kind,
    ).toBe('indirect-call');
    expect(parseTrap('TypeError: Cannot read properties of undefined\n    at file:///x.js:1:2\n')).toBeUndefined();
  });
});

describe('parseTrap: V8 stacks whose message says `wasm trap:` (preview2-shim)', () => {
  // Verbatim from a live run (jco-transpiled component, Node 20, Go 1.24 wasip1 hello).
  const go = [
    'assertion failed at adapter line 2857',
    'RuntimeError: wasm trap: wasm `unreachable` instruction executed',
    '    at _RNvNtCs1wwIxjb0Jwr_22wasi_snapshot_preview16macros11assert_fail (wasm://wasm/0001387e:wasm-function[51]:0x1411)',
    '    at args_sizes_get (wasm://wasm/0001387e:wasm-function[56]:0x16e2)',
    '    at wasm://wasm/5cc8c36e:wasm-function[3]:0x15c',
    '    at runtime.args_sizes_get (wasm://wasm/0094f47a:wasm-function[575]:0x86760)',
    '    at runtime.goenvs (wasm://wasm/0094f47a:wasm-function[584]:0x86d54)',
    '    at runtime.schedinit (wasm://wasm/0094f47a:wasm-function[669]:0x952c5)',
    '    at runtime.rt0_go (wasm://wasm/0094f47a:wasm-function[1231]:0x10ebdb)',
    '    at _rt0_wasm_wasip1 (wasm://wasm/0094f47a:wasm-function[1293]:0x11181a)',
    '    at wasi:cli/run@0.2.12#run (wasm://wasm/0001387e:wasm-function[77]:0x309f)',
    '    at fn (file:///tmp/x/component.js:8516:25)',
    '    at Object.run (file:///tmp/x/component.js:8497:12)',
    '    at file:///work/main/dist/embedded-p2-host.js:3026:9',
    '',
  ].join('\n');

  it('is read as V8 with every frame, origins from the module grouping', () => {
    const t = parseTrap(go)!;
    expect(t.format).toBe('v8');
    expect(t.kind).toBe('unreachable');
    expect(t.message).toBe('RuntimeError: wasm trap: wasm `unreachable` instruction executed');
    expect(t.adapterLine).toEqual({ line: 2857, kind: 'assertion', text: 'assertion failed at adapter line 2857' });
    expect(t.frames.map((f) => [f.index, f.name, f.origin])).toEqual([
      [0, 'wasi_snapshot_preview1::macros::assert_fail', 'adapter'],
      [1, 'args_sizes_get', 'adapter'],
      [2, 'wasm-function[3]', 'shim'],
      [3, 'runtime.args_sizes_get', 'guest'],
      [4, 'runtime.goenvs', 'guest'],
      [5, 'runtime.schedinit', 'guest'],
      [6, 'runtime.rt0_go', 'guest'],
      [7, '_rt0_wasm_wasip1', 'guest'],
      [8, 'wasi:cli/run@0.2.12#run', 'adapter'],
      [9, 'fn', 'host'],
      [10, 'Object.run', 'host'],
      [11, '<anonymous>', 'host'],
    ]);
    expect(t.frames[0]).toMatchObject({ module: 'wasm://wasm/0001387e', offset: 0x1411 });
  });

  it('does not lose the frames when the adapter message shares the error line', () => {
    const t = parseTrap(go.replace('2857\n', '2857'))!;
    expect(t.format).toBe('v8');
    expect(t.adapterLine?.line).toBe(2857);
    expect(t.frames).toHaveLength(12);
  });

  it('module grouping needs a frame that is clearly the adapter', () => {
    // Same shape without the adapter-named frame: nothing marks module 0001387e as the adapter.
    const t = parseTrap(
      go
        .split('\n')
        .filter((l) => !l.includes('assert_fail'))
        .join('\n'),
    )!;
    expect(t.frames.map((f) => f.origin).slice(0, 3)).toEqual(['guest', 'unknown', 'guest']);
    expect(t.frames[7]).toMatchObject({ name: 'wasi:cli/run@0.2.12#run', origin: 'guest' });
  });

  it('an anonymous guest that calls the adapter from its own module is not the shim', () => {
    const t = parseTrap(
      [
        'RuntimeError: wasm trap: wasm `unreachable` instruction executed',
        '    at _RNvNtCs1wwIxjb0Jwr_22wasi_snapshot_preview16macros11unreachable (wasm://wasm/55f2f57a:wasm-function[28]:0xda0)',
        '    at proc_raise (wasm://wasm/55f2f57a:wasm-function[37]:0x14db)',
        '    at wasm://wasm/53515bca:wasm-function[2]:0x89',
        '    at wasm://wasm/53515bca:wasm-function[1]:0x70',
        '    at wasi:cli/run@0.2.12#run (wasm://wasm/55f2f57a:wasm-function[38]:0x14e1)',
      ].join('\n'),
    )!;
    expect(t.frames.map((f) => f.origin)).toEqual(['adapter', 'adapter', 'unknown', 'unknown', 'adapter']);
  });

  it('a wasmtime chain is still read as wasmtime when a V8-looking line follows it', () => {
    const t = parseTrap(
      'Error: failed to run main module `x.wasm`\n\nCaused by:\n    0: failed to invoke command default\n    1: wasm trap: out of bounds memory access\n',
    )!;
    expect(t.format).toBe('wasmtime-cli');
    expect(t.kind).toBe('out-of-bounds');
  });
});

describe('parseTrap: elided backtrace lines', () => {
  const lines = (elision: string) =>
    [
      'Error: failed to run main module `a.wasm`',
      '',
      'Caused by:',
      '    0: failed to invoke command default',
      '    1: error while executing at wasm backtrace:',
      '              0: 0x10 - a.wasm!f',
      '              1: 0x20 - a.wasm!g',
      elision,
      '           9998: 0x30 - a.wasm!h',
      '           9999: 0x40 - a.wasm!main',
      '          10000: 0x50 - a.wasm!_start',
      '    2: wasm trap: call stack exhausted',
    ].join('\n');

  it.each(['              ...', '              …', '           ... 9995 frames elided'])('keeps parsing past %j', (elision) => {
    const t = parseTrap(lines(elision))!;
    expect(t.kind).toBe('stack-overflow');
    expect(t.causes.at(-1)).toBe('wasm trap: call stack exhausted');
    expect(t.frames.map((f) => [f.index, f.name])).toEqual([
      [0, 'f'],
      [1, 'g'],
      [2, 'h'],
      [3, 'main'],
      [4, '_start'],
    ]);
  });

  it('a number gap without an elision line still ends the backtrace', () => {
    const t = parseTrap(lines('').replace('\n\n', '\n'))!;
    expect(t.frames.map((f) => f.name)).toEqual(['f', 'g']);
  });
});

describe('adapter line messages', () => {
  it.each([
    ['assertion failed at adapter line 2786', 2786, 'assertion'],
    ['unreachable at adapter line 120', 120, 'unreachable'],
    ['unreachable executed at adapter line 2745: assertion failed', 2745, 'assertion'],
    ['unreachable executed at adapter line 77', 77, 'unreachable'],
  ] as const)('%s', (text, line, kind) => {
    expect(parseAdapterLine(text)).toMatchObject({ line, kind });
    const t = parseTrap(text)!;
    expect(t.kind).toBe('unreachable');
    expect(t.adapterLine?.line).toBe(line);
    expect(t.format).toBe('text');
  });
});

describe('classifyTrap', () => {
  it.each([
    ['wasm trap: wasm `unreachable` instruction executed', 'unreachable'],
    ['wasm trap: call stack exhausted', 'stack-overflow'],
    ['wasm trap: indirect call type mismatch', 'indirect-call'],
    ['wasm trap: uninitialized element', 'indirect-call'],
    ['wasm trap: integer overflow', 'integer-overflow'],
    ['wasm trap: integer divide by zero', 'divide-by-zero'],
    ['wasm trap: out of bounds memory access', 'out-of-bounds'],
    ['cannot leave component instance', 'cannot-leave-instance'],
    ['exit with invalid exit status outside of [0..126)', 'invalid-exit-status'],
    ['exported instance `wasi:cli/run@0.2.0` not present', 'instantiation-error'],
    ['no exported instance named `wasi:cli/run@0.2.3`', 'instantiation-error'],
    ['failed to find export of interface `wasi:cli/run@0.2.0` function `run`', 'instantiation-error'],
    ['TypeError: WebAssembly.Instance(): Argument 0 must be a WebAssembly.Module', 'instantiation-error'],
    ['TypeError: WebAssembly.instantiate(): Import #0 module="wasi_unstable" error: module is not an object or function', 'link-error'],
    ['something else entirely', 'other'],
  ] as const)('%s → %s', (message, kind) => {
    expect(classifyTrap(message)).toBe(kind);
  });
});
