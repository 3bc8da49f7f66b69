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
    const noisy = parseTrap('Hello from the guest\r\n' + seed.replace(/\n/g, '\r\n').replace('Error:', '\x1b[1m\x1b[31mError:\x1b[0m') + 'trailing output\r\n')!;
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
    expect(parseTrap('Error: failed to run main module `x.wasm`\n\nCaused by:\n    exit with invalid exit status outside of [0..126)\n')!.kind).toBe('invalid-exit-status');
    expect(parseTrap("Error: failed to run main module `m.wasm`\n\nCaused by:\n    0: failed to instantiate \"m.wasm\"\n    1: unknown import: `wasi_snapshot_preview1::fd_write` has not been defined\n")!.kind).toBe(
      'link-error',
    );
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
    expect(parseTrap('RangeError: Maximum call stack size exceeded\n    at wasm://wasm/0001:wasm-function[5]:0x10\n')!.kind).toBe('stack-overflow');
    expect(parseTrap('RuntimeError: memory access out of bounds\n    at wasm://wasm/0001:wasm-function[5]:0x10\n')!.kind).toBe('out-of-bounds');
    expect(parseTrap('RuntimeError: null function or function signature mismatch\n    at wasm://wasm/0001:wasm-function[5]:0x10\n')!.kind).toBe('indirect-call');
    expect(parseTrap('TypeError: Cannot read properties of undefined\n    at file:///x.js:1:2\n')).toBeUndefined();
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
    ['something else entirely', 'other'],
  ] as const)('%s → %s', (message, kind) => {
    expect(classifyTrap(message)).toBe(kind);
  });
});
