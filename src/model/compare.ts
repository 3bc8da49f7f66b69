/**
 * What compare decides: the verdicts, the differences between the P1 and P2 runs, and notes.
 */

/**
 * PASS: P2 behaves like P1. REGRESSION: works as P1, fails or differs as P2. PRE-EXISTING: already fails as P1.
 * CONVERT-FAIL: could not be converted. TIMEOUT: a run hit the time limit. INVALID-INPUT: not a usable wasm file.
 * NOT-WASI: not a WASI program (needs a specific non-WASI host: Node-API, a plugin host, a dynamic linker, a JS bridge).
 * ERROR: the checker could not carry out a run (host failed to start or crashed, harness error, a checker-set resource
 * limit made the comparison inconclusive): never PASS, never REGRESSION.
 * P2-FAIL: no P1 baseline exists (the input already is a component, or a core module built for WASI 0.2) and the P2
 * run failed (trapped, could not be loaded, or exited non-zero): it fails as P2, with nothing to compare against.
 */
export const VERDICTS = [
  'PASS',
  'REGRESSION',
  'PRE-EXISTING',
  'CONVERT-FAIL',
  'TIMEOUT',
  'INVALID-INPUT',
  'NOT-WASI',
  'ERROR',
  'P2-FAIL',
] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Difference {
  field: 'exitCode' | 'stdout' | 'stderr' | 'trap';
  p1: string;
  p2: string;
}

export interface Note {
  /** Stable code, e.g. 'exit-code-collapse', 'hosts-differ', 'reactor-exports-not-run'. */
  code: string;
  message: string;
}

export interface Comparison {
  verdict: Verdict;
  differences: Difference[];
  notes: Note[];
}
