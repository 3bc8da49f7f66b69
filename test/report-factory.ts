/**
 * Hand-built `Report` objects for renderer tests (reusable by any test): small builders with
 * overrides, and canned results for each verdict modelled on real cases (Go 1.24 regression, …).
 */
import {
  REPORT_SCHEMA_VERSION,
  type ArtifactResult,
  type Artifact,
  type Diagnosis,
  type Report,
  type RunResult,
  type Sandbox,
  type Verdict,
} from '../src/model.js';
import { summarize } from '../src/report/summary.js';

export const P1_HOST = { name: 'node:wasi', version: '20.20.2' };
export const P2_HOST = { name: 'preview2-shim', version: '0.26.1' };

/** A guest sandbox with nothing granted: no args, env, preopens or stdin; 30 s and 64 KiB unless overridden. */
export function makeSandbox(over: Partial<Sandbox> = {}): Sandbox {
  return { args: [], env: {}, dirs: [], timeoutMs: 30_000, outputCapBytes: 64 * 1024, ...over };
}

export function makeArtifact(path: string, overrides: Partial<Artifact> = {}): Artifact {
  return {
    path,
    size: 12_345,
    sha256: 'a'.repeat(64),
    kind: 'module',
    module: {
      imports: [{ module: 'wasi_snapshot_preview1', name: 'fd_write', kind: 'func' }],
      importsByModule: { wasi_snapshot_preview1: ['fd_write'] },
      exports: [
        { name: '_start', kind: 'func' },
        { name: 'memory', kind: 'memory' },
      ],
      style: 'command',
      hasStart: true,
      hasInitialize: false,
      hasCabiRealloc: false,
      memory: { count: 1, imported: false, exported: true, shared: false, memory64: false, minPages: 2 },
      wasiUnstable: false,
      nonWasiImportModules: [],
      producers: { language: [{ name: 'C99', version: '' }], processedBy: [{ name: 'Debian clang', version: '14.0.6' }], sdk: [] },
      toolchain: { language: 'c', compiler: 'clang', version: '14.0.6' },
      customSections: ['name', 'producers'],
      features: [],
    },
    ...overrides,
  };
}

export function makeRun(phase: 'p1' | 'p2', overrides: Partial<RunResult> = {}): RunResult {
  return {
    phase,
    runtime: phase === 'p1' ? P1_HOST : P2_HOST,
    exitCode: 0,
    stdout: { text: 'Hello, world!\n', bytes: 14, truncated: false },
    stderr: { text: '', bytes: 0, truncated: false },
    durationMs: 42,
    timedOut: false,
    ...overrides,
  };
}

export const BUNDLED_ADAPTER = {
  kind: 'command' as const,
  source: 'bundled' as const,
  name: 'wasi_snapshot_preview1.command.wasm',
  sha256: '2a652d711c1fff34f9d5a0e073e50ef7eeb8fe7d8a6d559eae643a4c049a7b94',
  version: '33.0.0',
  wasiVersion: '0.2.3',
};

export function makeResult(path: string, verdict: Verdict, overrides: Partial<ArtifactResult> = {}): ArtifactResult {
  return {
    artifact: makeArtifact(path),
    predictions: [],
    p1: makeRun('p1'),
    conversion: { ok: true, skipped: false, adapter: BUNDLED_ADAPTER, componentPath: `/tmp/work/${path}.component.wasm`, durationMs: 120 },
    p2: makeRun('p2'),
    verdict,
    differences: [],
    notes: [],
    diagnoses: [],
    ...overrides,
  };
}

export function makeReport(results: ArtifactResult[], overrides: Partial<Report> = {}): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'wasm-p2-check', version: '0.1.0' },
    createdAt: '2025-06-01T12:00:00.000Z',
    runtime: { requested: 'embedded', p1: P1_HOST, p2: P2_HOST },
    sandbox: { args: ['prog'], envKeys: [], dirs: [], stdin: false, timeoutMs: 10_000, outputCapBytes: 65_536 },
    results,
    summary: summarize(results),
    ...overrides,
  };
}

/* ─────────────── canned results ─────────────── */

export const GO_DIAGNOSIS: Diagnosis = {
  signatureId: 'go-heap-clobbers-adapter-state',
  title: 'Go ≥ 1.24 heap overwrites the adapter state',
  confidence: 'high',
  score: 90,
  cause:
    "Go 1.24's runtime grows its heap with `memory.grow` and assumes every new page is its own; the module exports no `cabi_realloc`, so the adapter's state lives in pages the Go heap later hands out.",
  evidence: [
    'producers: `Go cmd/compile go1.24.4`',
    'no `cabi_realloc` export',
    'trap `assertion failed at adapter line 2786` (magic1 check in `State::with`, adapter 33.0.0)',
    'innermost guest frame: `runtime.goenvs`',
  ],
  workarounds: [
    { text: 'Build a component directly: TinyGo with `-target=wasip2`.', safe: true },
    { text: 'Run the P1 module on a P1 host (wasmtime runs wasip1 modules natively).', safe: true },
    { text: 'Pin Go ≤ 1.23 for the wasip1 build.', safe: true, why: 'until the toolchain and the adapter cooperate' },
    { text: 'Replace `random_get` with a fake generator.', safe: false, why: 'hides the symptom, makes randomness predictable: insecure' },
  ],
  links: [
    { title: 'golang/go#72123', url: 'https://github.com/golang/go/issues/72123' },
    { title: 'Adapter source', url: 'https://github.com/bytecodealliance/wasmtime/tree/main/crates/wasi-preview1-component-adapter' },
  ],
};

export function goRegression(): ArtifactResult {
  const artifact = makeArtifact('go124-hello.wasm', { size: 2_500_000 });
  artifact.module!.producers = {
    language: [{ name: 'Go', version: 'go1.24.4' }],
    processedBy: [{ name: 'Go cmd/compile', version: 'go1.24.4' }],
    sdk: [],
  };
  artifact.module!.toolchain = { language: 'go', compiler: 'Go', version: '1.24.4' };
  const stderr = 'assertion failed at adapter line 2786\n';
  return makeResult('go124-hello.wasm', 'REGRESSION', {
    artifact,
    predictions: [
      {
        signatureId: 'go-heap-clobbers-adapter-state',
        title: GO_DIAGNOSIS.title,
        message: 'Go 1.24.4 without `cabi_realloc`: expected to trap at the first adapter call',
        confirmed: true,
        outcome: 'confirmed',
        stage: 'run',
      },
    ],
    p2: makeRun('p2', {
      exitCode: null,
      stdout: { text: '', bytes: 0, truncated: false },
      stderr: { text: stderr, bytes: stderr.length, truncated: false },
      trap: {
        kind: 'unreachable',
        message: 'wasm trap: wasm `unreachable` instruction executed',
        causes: ['failed to run main module', 'wasm trap: wasm `unreachable` instruction executed'],
        frames: [
          {
            index: 0,
            origin: 'adapter',
            rawName: 'wasi_snapshot_preview1::macros::assert_fail::h0123',
            name: 'wasi_snapshot_preview1::macros::assert_fail',
          },
          { index: 1, origin: 'adapter', rawName: 'args_sizes_get', name: 'args_sizes_get' },
          { index: 2, origin: 'guest', rawName: 'runtime.goenvs', name: 'runtime.goenvs' },
        ],
        adapterLine: { line: 2786, kind: 'assertion', text: 'assertion failed at adapter line 2786' },
        format: 'v8',
      },
    }),
    differences: [
      { field: 'exitCode', p1: '0', p2: 'trap' },
      { field: 'stdout', p1: 'Hello, world!\n', p2: '' },
      { field: 'trap', p1: '', p2: 'wasm `unreachable` instruction executed' },
    ],
    diagnoses: [
      GO_DIAGNOSIS,
      { ...GO_DIAGNOSIS, signatureId: 'cannot-leave-instance', title: 'Import called while lowering', confidence: 'low', score: 10 },
    ],
  });
}

export const EXIT_COLLAPSE_NOTE: Diagnosis = {
  signatureId: 'exit-code-collapse',
  title: 'Exit code collapses to 1',
  confidence: 'high',
  score: 30,
  cause: 'WASI 0.2 `wasi:cli/exit` carries only ok/err: the adapter maps every non-zero `proc_exit` code to 1.',
  evidence: ['P1 exit 3, P2 exit 1'],
  workarounds: [{ text: 'Expected; wasmtime has `-S cli-exit-with-code` where supported.', safe: true }],
  links: [],
  severity: 'note',
};

export function exitCollapsePass(): ArtifactResult {
  return makeResult('c-exit3.wasm', 'PASS', {
    p1: makeRun('p1', { exitCode: 3 }),
    p2: makeRun('p2', { exitCode: 1 }),
    // compare/ records the difference only; the explanation is the exit-code-collapse signature's (a note).
    differences: [{ field: 'exitCode', p1: '3', p2: '1' }],
    diagnoses: [EXIT_COLLAPSE_NOTE],
  });
}

export function unknownRegression(): ArtifactResult {
  return makeResult('mystery.wasm', 'REGRESSION', {
    p2: makeRun('p2', { exitCode: 134, stderr: { text: 'something odd\n', bytes: 14, truncated: false } }),
    differences: [{ field: 'exitCode', p1: '0', p2: '134' }],
    // A note-level match ranked first must not hide the unknown failure.
    diagnoses: [{ ...EXIT_COLLAPSE_NOTE, evidence: ['P1 exit 0, P2 exit 134'] }],
    unknown: {
      fingerprint: 'f00dfeed1234',
      summary: 'no known signature: P2 exited 134 with no trap',
      evidence: ['exit code 134', 'stderr: `something odd`'],
      proposeUrl: 'https://github.com/wasm-p2-check/wasm-p2-check/issues/new?template=signature.yml&fingerprint=f00dfeed1234',
    },
  });
}

export function convertFail(): ArtifactResult {
  const artifact = makeArtifact('as-env.wasm');
  artifact.module!.imports.push({ module: 'env', name: 'abort', kind: 'func' });
  artifact.module!.importsByModule.env = ['abort'];
  artifact.module!.nonWasiImportModules = ['env'];
  artifact.module!.toolchain = { language: 'assemblyscript', compiler: 'AssemblyScript', version: '0.27.29' };
  return makeResult('as-env.wasm', 'CONVERT-FAIL', {
    artifact,
    conversion: {
      ok: false,
      skipped: false,
      adapter: BUNDLED_ADAPTER,
      error: 'module requires an import interface named `env`',
      durationMs: 30,
    },
    p2: undefined,
    diagnoses: [
      {
        signatureId: 'non-wasi-imports',
        title: 'Module imports something other than WASI',
        confidence: 'high',
        score: 80,
        cause: 'A component needs every import satisfied by a WIT interface; `env` is not one.',
        evidence: ['imports from `env`: `abort`'],
        workarounds: [{ text: 'Provide `abort` yourself (AssemblyScript: `--use abort=`).', safe: true }],
        links: [],
      },
    ],
  });
}

export function preExisting(): ArtifactResult {
  const trapMsg = 'wasm trap: out of bounds memory access';
  return makeResult('c-oob-trap.wasm', 'PRE-EXISTING', {
    p1: makeRun('p1', { exitCode: null, stderr: { text: 'RuntimeError: memory access out of bounds\n', bytes: 42, truncated: false } }),
    p2: makeRun('p2', { exitCode: null, stderr: { text: `${trapMsg}\n`, bytes: trapMsg.length + 1, truncated: false } }),
    diagnoses: [
      {
        signatureId: 'guest-trap',
        title: 'The guest traps as P1 too',
        confidence: 'high',
        score: 50,
        cause: 'Out-of-bounds memory access in the guest: not a conversion problem.',
        evidence: ['P1 and P2 both trap: out of bounds'],
        workarounds: [],
        links: [],
      },
    ],
  });
}

export function timeout(): ArtifactResult {
  return makeResult('c-loop.wasm', 'TIMEOUT', {
    p2: makeRun('p2', { exitCode: null, timedOut: true, durationMs: 10_000, stdout: { text: '', bytes: 0, truncated: false } }),
    notes: [{ code: 'timeout', message: 'P2 did not exit within 10 s.' }],
  });
}

export function invalidInput(): ArtifactResult {
  return {
    artifact: {
      path: 'truncated.wasm',
      size: 1883,
      sha256: 'b'.repeat(64),
      kind: 'invalid',
      error: 'truncated: section 10 (code) declares 3536 bytes but only 1551 remain',
    },
    predictions: [],
    verdict: 'INVALID-INPUT',
    differences: [],
    notes: [],
    diagnoses: [],
  };
}

export function passResult(path = 'c-hello.wasm'): ArtifactResult {
  return makeResult(path, 'PASS');
}

/** One result of every kind. */
export function mixedReport(): Report {
  return makeReport([
    passResult(),
    exitCollapsePass(),
    goRegression(),
    convertFail(),
    unknownRegression(),
    preExisting(),
    timeout(),
    invalidInput(),
  ]);
}

/* ─────────────── a baseline and a run with every change class ─────────────── */

const bytesSha = (c: string) => c.repeat(64);
const withBytes = (path: string, r: ArtifactResult, bytes: string): ArtifactResult => ({
  ...r,
  artifact: { ...makeArtifact(path), sha256: bytesSha(bytes) },
});
const passWith = (path: string, bytes: string) => withBytes(path, makeResult(path, 'PASS'), bytes);
const regressWith = (path: string, bytes: string) => withBytes(path, goRegression(), bytes);

/** Every class at once: a baseline (the base branch) and a run (the pull request). */
export function baselinePair(): { base: Report; head: Report } {
  const base = makeReport(
    [
      passWith('ok.wasm', '1'), // passing
      passWith('breaks.wasm', '2'), // new failure
      regressWith('fixed.wasm', '3'), // fixed
      regressWith('still.wasm', '4'), // still failing: same verdict, same cause
      withBytes('cause.wasm', unknownRegression(), '5'), // changed: same verdict, another cause
      withBytes('worse.wasm', preExisting(), '6'), // changed for the worse: PRE-EXISTING → REGRESSION
      passWith('old-name.wasm', '7'), // renamed (same bytes)
      passWith('gone.wasm', '8'), // removed
    ],
    { tool: { name: 'wasm-p2-check', version: '0.0.9' }, createdAt: '2025-05-31T12:00:00.000Z', commit: 'b'.repeat(40) },
  );
  const head = makeReport([
    passWith('ok.wasm', '1'),
    regressWith('breaks.wasm', '2'),
    passWith('fixed.wasm', '3'),
    regressWith('still.wasm', '4'),
    regressWith('cause.wasm', '5'),
    regressWith('worse.wasm', '6'),
    passWith('new-name.wasm', '7'),
    regressWith('added.wasm', '9'),
  ]);
  return { base, head };
}
