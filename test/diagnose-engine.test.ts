import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { confirmPredictions, diagnose, predict, renderTemplate, type DiagnoseContext } from '../src/diagnose/engine.js';
import { fingerprint, normalizeMessage } from '../src/diagnose/fingerprint.js';
import { loadSignatures, type SignatureDb } from '../src/diagnose/signatures.js';
import { inspectFile } from '../src/inspect/index.js';
import type { Artifact, Frame, Prediction, RunResult, Trap } from '../src/model.js';

const fixtures = path.resolve(import.meta.dirname, 'fixtures');
let db: SignatureDb;
let go124: Artifact;
let go122: Artifact;
beforeAll(async () => {
  db = await loadSignatures();
  go124 = await inspectFile(path.join(fixtures, 'go124-hello.wasm'));
  go122 = await inspectFile(path.join(fixtures, 'go122-hello.wasm'));
});

const out = (text = '') => ({ text, bytes: text.length, truncated: false });
function run(phase: 'p1' | 'p2', exitCode: number | null, extra: Partial<RunResult> = {}): RunResult {
  return {
    phase,
    runtime: { name: phase === 'p1' ? 'node:wasi' : 'preview2-shim', version: 'test' },
    exitCode,
    stdout: out(),
    stderr: out(),
    durationMs: 1,
    timedOut: false,
    ...extra,
  };
}
const frame = (index: number, name: string, origin: Frame['origin'], offset?: number): Frame => ({
  index,
  name,
  rawName: name,
  origin,
  offset,
});
const canaryTrap = (line = 2857): Trap => ({
  kind: 'unreachable',
  message: 'wasm trap: wasm `unreachable` instruction executed',
  causes: ['wasm trap: wasm `unreachable` instruction executed'],
  frames: [
    frame(0, 'wasi_snapshot_preview1::macros::assert_fail', 'adapter', 0x1411),
    frame(1, 'args_sizes_get', 'adapter'),
    frame(2, 'runtime.goenvs', 'guest', 0x86d54),
  ],
  adapterLine: { line, kind: 'assertion', text: `assertion failed at adapter line ${line}` },
  format: 'v8',
});

describe('diagnose', () => {
  it('Go 1.24 regression with its artifact: go-heap first, high', () => {
    const trap = canaryTrap();
    const { diagnoses, unknown } = diagnose(
      { artifact: go124, verdict: 'REGRESSION', p1: run('p1', 0), p2: run('p2', null, { trap }) },
      db,
    );
    expect(diagnoses[0]!.signatureId).toBe('go-heap-clobbers-adapter-state');
    expect(diagnoses[0]!.confidence).toBe('high');
    expect(unknown).toBeUndefined();
  });

  it('the same trap on a module that exports cabi_realloc does not blame the Go heap', () => {
    const artifact = { ...go124, module: { ...go124.module!, hasCabiRealloc: true } };
    const { diagnoses, unknown } = diagnose(
      { artifact, verdict: 'REGRESSION', p1: run('p1', 0), p2: run('p2', null, { trap: canaryTrap() }) },
      db,
    );
    expect(diagnoses.map((d) => d.signatureId)).not.toContain('go-heap-clobbers-adapter-state');
    expect(unknown?.summary).toMatch(/no known signature/);
  });

  it("a canary failure from a non-Go module: the mechanism (heap over the adapter's pages), not the Go explanation, medium", () => {
    const artifact = { ...go124, module: { ...go124.module!, toolchain: { language: 'wat' } } };
    const trap = { ...canaryTrap(), frames: canaryTrap().frames.slice(0, 2) };
    const { diagnoses } = diagnose({ artifact, verdict: 'REGRESSION', p1: run('p1', 0), p2: run('p2', null, { trap }) }, db);
    expect(diagnoses[0]!.signatureId).toBe('heap-clobbers-adapter-state');
    expect(diagnoses[0]!.confidence).toBe('medium');
    expect(diagnoses.map((d) => d.signatureId)).not.toContain('go-heap-clobbers-adapter-state');
  });

  it("the same canary failure from an old wasi-libc C program: the wasi-libc cause and its fix, not Go's", () => {
    const c = (version: string) => ({ ...go124, module: { ...go124.module!, toolchain: { language: 'c', compiler: 'clang', version } } });
    const trap = {
      ...canaryTrap(2857),
      frames: [...canaryTrap(2857).frames.slice(0, 2), frame(2, '__wasi_fd_fdstat_get', 'guest'), frame(3, 'fopen', 'guest')],
    };
    const old = diagnose({ artifact: c('13.0.0'), verdict: 'REGRESSION', p1: run('p1', 0), p2: run('p2', null, { trap }) }, db).diagnoses;
    expect(old[0]!.signatureId).toBe('wasi-libc-heap-claims-adapter-pages');
    expect(old[0]!.workarounds[0]!.text).toMatch(/wasi-sdk 20/);
    expect(old.map((d) => d.signatureId)).not.toContain('go-heap-clobbers-adapter-state');
    // clang 16+ (wasi-sdk 20+) has the fixed malloc: only the mechanism is left, honestly less sure.
    const fixed = diagnose({ artifact: c('18.1.2'), verdict: 'REGRESSION', p1: run('p1', 0), p2: run('p2', null, { trap }) }, db).diagnoses;
    expect(fixed[0]!.signatureId).toBe('heap-clobbers-adapter-state');
    expect(fixed[0]!.confidence).toBe('medium');
    // From a log alone, C frames rule the Go explanation out.
    const log = diagnose({ trap, text: 'assertion failed at adapter line 2857\n' }, db).diagnoses;
    expect(log.map((d) => d.signatureId)).not.toContain('go-heap-clobbers-adapter-state');
    expect(log.every((d) => d.confidence !== 'high')).toBe(true);
  });

  it('AssemblyScript runtime frames on a canary failure: the AssemblyScript cause ranks first', () => {
    const artifact = { ...go124, module: { ...go124.module!, toolchain: undefined } };
    const trap = { ...canaryTrap(2858), frames: [...canaryTrap(2858).frames.slice(0, 2), frame(2, '~start', 'guest')] };
    const { diagnoses } = diagnose({ artifact, verdict: 'REGRESSION', p1: run('p1', 0), p2: run('p2', null, { trap }) }, db);
    expect(diagnoses.map((d) => d.signatureId).slice(0, 2)).toEqual(['assemblyscript-memory-collision', 'heap-clobbers-adapter-state']);
  });

  it('passing runs match nothing', () => {
    for (const artifact of [go122, go124]) {
      const r = diagnose(
        { artifact, verdict: 'PASS', p1: run('p1', 0, { stdout: out('hi\n') }), p2: run('p2', 0, { stdout: out('hi\n') }) },
        db,
      );
      expect(r.diagnoses).toEqual([]);
      expect(r.unknown).toBeUndefined();
    }
  });

  it('exit-code collapse is a note, on a PASS', () => {
    const { diagnoses, unknown } = diagnose({ artifact: go122, verdict: 'PASS', p1: run('p1', 3), p2: run('p2', 1) }, db);
    expect(diagnoses.map((d) => [d.signatureId, d.severity])).toEqual([['exit-code-collapse', 'note']]);
    expect(unknown).toBeUndefined();
  });

  it('tells the three causes of "requires an import interface named" apart by facts', () => {
    const err =
      'failed to decode world from module\n\nCaused by:\n    0: module was not valid\n    1: failed to resolve import `wasi_snapshot_preview1::fd_write`\n    2: module requires an import interface named `wasi_snapshot_preview1`';
    const adapter = { kind: 'command' as const, source: 'file' as const, name: 'adapter.wasm', sha256: 'x' };
    const named = diagnose(
      {
        artifact: go122,
        verdict: 'CONVERT-FAIL',
        p1: run('p1', 0),
        conversion: { ok: false, skipped: false, error: err, adapter, durationMs: 1 },
      },
      db,
    );
    expect(named.diagnoses.map((d) => d.signatureId)).toEqual(['adapter-not-named-wasi-snapshot-preview1']);
    const none = diagnose(
      { artifact: go122, verdict: 'CONVERT-FAIL', p1: run('p1', 0), conversion: { ok: false, skipped: false, error: err, durationMs: 1 } },
      db,
    );
    expect(none.diagnoses.map((d) => d.signatureId)).toEqual(['missing-adapter']);
    const text = diagnose({ text: err }, db);
    expect(text.diagnoses.map((d) => d.signatureId).sort()).toEqual(['adapter-not-named-wasi-snapshot-preview1', 'missing-adapter']);
    for (const d of text.diagnoses) expect(d.confidence).not.toBe('high');
    const env = 'Caused by:\n    1: failed to resolve import `env::abort`\n    2: module requires an import interface named `env`';
    const envArtifact = { ...go122, module: { ...go122.module!, nonWasiImportModules: ['env'] } };
    const r = diagnose(
      { artifact: envArtifact, verdict: 'CONVERT-FAIL', conversion: { ok: false, skipped: false, error: env, durationMs: 1 } },
      db,
    );
    expect(r.diagnoses[0]!.signatureId).toBe('non-wasi-imports');
    expect(r.diagnoses[0]!.evidence.join('\n')).toContain('unresolvable import module: env');
  });

  it('an unknown failure gets a fingerprint that ignores paths, offsets and hashes', () => {
    const mk = (p: string, off: number, hash: string): DiagnoseContext => ({
      verdict: 'REGRESSION',
      p1: run('p1', 0),
      p2: run('p2', null, {
        trap: {
          kind: 'other',
          message: `weird failure in ${p} at 0x${off.toString(16)}`,
          causes: [],
          frames: [frame(0, `mystery::thing::h${hash}`, 'guest', off)],
          format: 'wasmtime-cli',
        },
      }),
    });
    const a = diagnose(mk('/home/a/x.wasm', 0x10, '0123456789abcdef'), db).unknown!;
    const b = diagnose(mk('/tmp/b/y/z.wasm', 0x99, 'fedcba9876543210'), db).unknown!;
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.proposeUrl).toContain('issues/new?title=');
    expect(decodeURIComponent(a.proposeUrl)).not.toContain('/home/a');
    expect(fingerprint([], 'a')).not.toBe(fingerprint([], 'b'));
    expect(normalizeMessage('at /a/b/c.wasm line 42 0xdeadbeef')).toBe('at <path> line N <hex>');
  });

  it('renders evidence templates, dropping lines with unknown placeholders', () => {
    const bag = new Map([['a', '1']]);
    expect(renderTemplate('x {a}', bag)).toBe('x 1');
    expect(renderTemplate('x {b}', bag)).toBeUndefined();
  });
});

describe('predict / confirmPredictions', () => {
  it('predicts the Go heap collision from inspect alone, for Go 1.24 only', () => {
    expect(predict(go124, db).map((p) => p.signatureId)).toContain('go-heap-clobbers-adapter-state');
    expect(predict(go122, db)).toEqual([]);
    const p = predict(go124, db).find((x) => x.signatureId === 'go-heap-clobbers-adapter-state')!;
    expect(p.message).toContain('1.24.4');
    expect(p.confirmed).toBeNull();
  });

  it('predicts conversion failures from imports and memory', () => {
    const m = go122.module!;
    const ids = (module: typeof m) => predict({ ...go122, module }, db).map((p) => p.signatureId);
    expect(ids({ ...m, wasiUnstable: true })).toContain('wasi-unstable-imports');
    expect(ids({ ...m, nonWasiImportModules: ['env'] })).toContain('non-wasi-imports');
    expect(ids({ ...m, memory: { ...m.memory, shared: true } })).toContain('shared-memory-threads');
    expect(ids({ ...m, memory: { ...m.memory, memory64: true } })).toContain('memory64');
  });

  it('confirms against diagnoses', () => {
    const preds = predict(go124, db);
    const d = diagnose(
      { artifact: go124, verdict: 'REGRESSION', p1: run('p1', 0), p2: run('p2', null, { trap: canaryTrap() }) },
      db,
    ).diagnoses;
    const converted = { ok: true, skipped: false, durationMs: 1 };
    const go = (ps: Prediction[]) => ps.find((p) => p.signatureId === 'go-heap-clobbers-adapter-state')!;
    expect(go(confirmPredictions(preds, d, { verdict: 'REGRESSION', conversion: converted, p2: run('p2', null) }))).toMatchObject({
      confirmed: true,
      outcome: 'confirmed',
    });
    expect(go(confirmPredictions(preds, [], { verdict: 'PASS', conversion: converted, p2: run('p2', 0) }))).toMatchObject({
      confirmed: false,
      outcome: 'contradicted',
    });
    expect(go(confirmPredictions(preds, [], {}))).toMatchObject({ confirmed: null, outcome: 'not-reached' });
  });

  it('a conversion prediction is "not reached" when the encoder stopped at an earlier import, "contradicted" when it converted', () => {
    const m = go122.module!;
    const shared = predict({ ...go122, module: { ...m, memory: { ...m.memory, shared: true } } }, db).find(
      (p) => p.signatureId === 'shared-memory-threads',
    )!;
    expect(shared.stage).toBe('convert');
    const failed = {
      ok: false,
      skipped: false,
      durationMs: 1,
      error: 'failed to resolve import `env::napi_wrap`\nmodule requires an import interface named `env`',
    };
    const [nr] = confirmPredictions([shared], [], { verdict: 'NOT-WASI', conversion: failed });
    expect(nr).toMatchObject({ outcome: 'not-reached', confirmed: null });
    expect(nr!.reason).toMatch(/earlier problem: module requires an import interface named `env`/);
    const [c] = confirmPredictions([shared], [], { verdict: 'PASS', conversion: { ok: true, skipped: false, durationMs: 1 } });
    expect(c).toMatchObject({ outcome: 'contradicted', confirmed: false });
    // A run prediction whose P2 run never happened (conversion failed) is not reached either.
    const goPred = predict(go124, db).find((p) => p.signatureId === 'go-heap-clobbers-adapter-state')!;
    expect(confirmPredictions([goPred], [], { verdict: 'CONVERT-FAIL', conversion: failed })[0]!.outcome).toBe('not-reached');
  });
});

describe('new signatures against check() results', () => {
  const panicTrap = (): Trap => ({
    kind: 'unreachable',
    message: 'RuntimeError: unreachable',
    causes: ['RuntimeError: unreachable'],
    frames: [frame(0, '__rust_start_panic', 'guest', 0x5e9f), frame(1, 'rust_panic', 'guest'), frame(2, 'panic::main', 'guest')],
    format: 'v8',
  });
  const panicText = "thread 'main' panicked at src/main.rs:5:5:\nindex out of bounds\n";

  it('a Rust panic in both runs (PRE-EXISTING): guest-rust-panic, high, the message as evidence', () => {
    const p1 = run('p1', null, { trap: panicTrap(), stderr: out(panicText) });
    const p2 = run('p2', null, { trap: panicTrap(), stderr: out(panicText) });
    const { diagnoses, unknown } = diagnose({ verdict: 'PRE-EXISTING', p1, p2 }, db);
    expect(diagnoses[0]!.signatureId).toBe('guest-rust-panic');
    expect(diagnoses[0]!.confidence).toBe('high');
    expect(diagnoses[0]!.evidence.join('\n')).toMatch(/index out of bounds/);
    expect(unknown).toBeUndefined();
  });

  it('a panic message without the panic runtime frames (a host panic) is not a guest panic', () => {
    const trap: Trap = { ...panicTrap(), frames: [frame(0, 'wasm-function[3]', 'unknown')] };
    const { diagnoses } = diagnose({ trap, text: `${panicText}RuntimeError: unreachable\n` }, db);
    expect(diagnoses.map((d) => d.signatureId)).not.toContain('guest-rust-panic');
  });

  it('passing runs still match none of them', () => {
    const r = diagnose(
      { artifact: go122, verdict: 'PASS', p1: run('p1', 0, { stdout: out('hi\n') }), p2: run('p2', 0, { stdout: out('hi\n') }) },
      db,
    );
    expect(r.diagnoses).toEqual([]);
  });
});

describe('static re-entrancy: cabi_realloc that reaches a WASI import', () => {
  it('the call graph finds the path, and a PASS on the embedded runtime carries the wasmtime warning', async () => {
    const artifact = await inspectFile(path.join(fixtures, 'signatures', 'cabi-realloc-calls-import.wasm'));
    expect(artifact.module!.reallocCallsImport).toEqual({
      import: 'wasi_snapshot_preview1::random_get',
      path: ['cabi_realloc', 'random_get'],
      indirect: false,
    });
    const embedded = { name: 'preview2-shim', version: '0.26.1' };
    const p2 = { ...run('p2', 0), runtime: embedded };
    const { diagnoses, unknown } = diagnose({ artifact, verdict: 'PASS', p1: run('p1', 0), p2 }, db);
    expect(unknown).toBeUndefined();
    const note = diagnoses.find((d) => d.signatureId === 'cabi-realloc-calls-wasi-import');
    expect(note?.severity).toBe('note');
    expect(note!.evidence.join('\n')).toMatch(/cabi_realloc → random_get/);
    expect(note!.evidence.join('\n')).toMatch(/preview2-shim 0\.26\.1/);
  });

  it('no claim for modules whose cabi_realloc calls nothing of WASI, or that have none', async () => {
    for (const f of ['c-reactor.wasm', 'go124-hello.wasm', 'rust-hello.wasm']) {
      expect((await inspectFile(path.join(fixtures, f))).module!.reallocCallsImport, f).toBeUndefined();
    }
  });
});
