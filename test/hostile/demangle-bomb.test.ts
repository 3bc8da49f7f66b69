/**
 * The demangler bomb (issue 17 item 1): a 162-character Rust v0 symbol whose back-references print 2^30 parts. Before
 * the bound, any text that reached the demangler with it crashed Node (`invalid size error` / heap out of memory after
 * 8-40 s, 1.5 GB): no report, no comment, no check run. Each way a guest or a pasted text can bring it there is tried
 * here: a trap line the guest prints, the name of a function that traps (a real name section), a log given to
 * `explain`. (The issue body given to the bot is in test/github/bot.test.ts.)
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { demangle, demangleBudget, MAX_DEMANGLE_STEPS, MAX_DEMANGLED_CHARS, SIZE_LIMIT_MARKER } from '../../src/diagnose/demangle.js';
import { explain } from '../../src/diagnose/explain.js';
import { parseTrap } from '../../src/diagnose/trap/parse.js';
import type { Frame } from '../../src/model.js';
import { renderMarkdownAt } from '../../src/report/markdown.js';
import { engineUnavailable, harness } from '../harness/engine.js';
import { makeSandbox } from '../report-factory.js';
import { v0BombSymbol } from './bombs.js';
import { assemble } from './guest.js';

const BOMB = v0BombSymbol(30);
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-demangle-bomb-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A wasmtime CLI error whose innermost frame is the bomb (746 bytes: what a guest prints, what a user pastes). */
function wasmtimeLog(symbol: string): string {
  return [
    'Error: failed to run main module `app.wasm`',
    '',
    'Caused by:',
    '    0: failed to invoke command default',
    '    1: error while executing at wasm backtrace:',
    `           0:   0x1234 - app.wasm!${symbol}`,
    '           1:   0x2345 - app.wasm!app::main::h0123456789abcdef',
    '           2:   0x3456 - app.wasm!std::rt::lang_start::{{closure}}::h0123456789abcdef',
    '           3:   0x4567 - app.wasm!__main_void',
    '           4:   0x5678 - app.wasm!_start',
    '       note: using the `WASMTIME_BACKTRACE_DETAILS=1` environment variable may show more debugging information',
    '    2: wasm trap: wasm `unreachable` instruction executed',
    '',
  ].join('\n');
}

function expectCut(frame: Frame | undefined): void {
  expect(frame?.rawName).toBe(BOMB);
  expect(frame?.name.startsWith('a::f::<((((((')).toBe(true);
  expect(frame?.name.endsWith(SIZE_LIMIT_MARKER)).toBe(true);
  expect(frame!.name.length).toBeLessThanOrEqual(MAX_DEMANGLED_CHARS + BOMB.length + SIZE_LIMIT_MARKER.length);
}

describe('the demangler is bounded', () => {
  it('the bomb symbol is cut at the size limit, with the marker, in milliseconds', () => {
    expect(demangle(v0BombSymbol(2))).toBe('a::f::<(((), ()), ((), ()))>');
    const started = performance.now();
    const name = demangle(BOMB);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(name.endsWith(SIZE_LIMIT_MARKER)).toBe(true);
    expect(name.length).toBeLessThanOrEqual(MAX_DEMANGLED_CHARS + BOMB.length + SIZE_LIMIT_MARKER.length);
  });

  it('lifetimes bound by a binder (up to 2^64 of them) are printed one by one within the bound', () => {
    // `for<'a, 'b, …> fn()` with a binder count of 62^10 (before: a loop of that many names, killed after 120 s).
    const started = performance.now();
    const name = demangle('_RINvC1a1fFGzzzzzzzzzz_EuE');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(name.startsWith("a::f::<for<'a, 'b")).toBe(true);
    expect(name.endsWith(SIZE_LIMIT_MARKER)).toBe(true);
  });

  it('the names of one trap share a budget: a thousand bombs cost as much as sixteen', () => {
    const budget = demangleBudget();
    const full = { ...budget };
    for (let i = 0; i < 1000; i++) demangle(BOMB, { budget });
    expect(budget.chars).toBeLessThanOrEqual(0);
    expect(full.chars - budget.chars).toBeLessThanOrEqual(16 * (MAX_DEMANGLED_CHARS + BOMB.length) + 1000 * BOMB.length);
    expect(full.steps).toBe(16 * MAX_DEMANGLE_STEPS);
  });

  it('a backtrace of a thousand bomb frames parses within the shared budget', () => {
    const frames = Array.from({ length: 1000 }, (_, i) => `           ${i}: 0x1 - app.wasm!${BOMB}`);
    const text = wasmtimeLog(BOMB).replace(/^ {11}0: .*$/m, frames.join('\n'));
    const started = performance.now();
    const trap = parseTrap(text);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(trap?.frames.length).toBe(1000);
    const total = trap!.frames.reduce((n, f) => n + f.name.length, 0);
    expect(total).toBeLessThanOrEqual(demangleBudget().chars + 1000 * (BOMB.length + SIZE_LIMIT_MARKER.length));
  });

  it('explain: a log of under 1 KiB', async () => {
    const log = wasmtimeLog(BOMB);
    expect(Buffer.byteLength(log)).toBeLessThan(1024);
    const result = await explain({ logText: log });
    expectCut(result.trap?.frames[0]);
    expect(result.trap?.kind).toBe('unreachable');
  });
});

const watString = (text: string): string => [...Buffer.from(text)].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');

/** Prints `text` on stderr and exits 1, as a guest that fakes a runtime's error would. */
function printingGuest(text: string): string {
  const bytes = Buffer.byteLength(text);
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "${watString(text)}")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const ${bytes}))
    (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 16)))
    (call $proc_exit (i32.const 1))))`;
}

/** Its function named with the bomb traps: the runtime prints the name from the name section. */
function namedTrapGuest(symbol: string): string {
  return `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func $${symbol} unreachable)
  (func (export "_start") (call $${symbol})))`;
}

describe('check(): a guest brings the bomb; the report is written', () => {
  for (const [what, wat] of [
    ['a trap line the guest prints', printingGuest(wasmtimeLog(BOMB))],
    ['the name-section name of the function that traps', namedTrapGuest(BOMB)],
  ] as const) {
    for (const [runtime, skip] of [
      ['embedded', undefined],
      ['wasmtime', engineUnavailable()],
    ] as const) {
      it.skipIf(skip !== undefined)(
        `${runtime}: ${what}`,
        async () => {
          const ws = path.join(work, `${runtime}-${what.replace(/\W+/g, '-')}`);
          await mkdir(ws, { recursive: true });
          await writeFile(path.join(ws, 'bomb.wasm'), await assemble(wat, 'bomb.wat', true));
          const started = performance.now();
          const report = await check({
            patterns: ['*.wasm'],
            cwd: ws,
            runtime,
            ...(runtime === 'wasmtime' ? { wasmtime: { binary: harness } } : {}),
            sandbox: makeSandbox({ timeoutMs: 60_000 }),
            workDir: path.join(ws, 'work'),
          });
          expect(report.results).toHaveLength(1);
          const result = report.results[0]!;
          // wasmtime demangles names itself (rustc-demangle, cut at its own size limit): what it prints is no symbol.
          const demangledByHost = runtime === 'wasmtime' && wat === namedTrapGuest(BOMB);
          for (const run of [result.p1, result.p2]) {
            if (demangledByHost) expect(run?.trap?.kind).toBe('unreachable');
            else expectCut(run?.trap?.frames.find((f) => f.rawName === BOMB));
          }
          // Rendered like any report (the frame list is fenced and capped).
          const md = renderMarkdownAt(report, 'full');
          if (!demangledByHost) expect(md).toContain('{size limit reached}');
          expect(performance.now() - started).toBeLessThan(60_000);
        },
        120_000,
      );
    }
  }
});
