/**
 * Everything the outputs know about a verdict, in one table, in the order reports list them (worst first after
 * PASS): its icon (Markdown), terminal mark, severity (the terminal's colour), title (a Markdown cause heading), meaning
 * (for people who have not read the docs), the annotation's wording, whether it counts as a regression, and whether
 * the default `fail-on` (regression) fails on it. Every renderer and the annotations read it; compare/ decides which
 * verdict an artifact gets (the verdicts themselves are defined with the model, src/model/compare.ts).
 */
import type { Verdict } from '../model.js';

export interface VerdictInfo {
  icon: string;
  /** The terminal's one-character mark. */
  mark: string;
  /** ok (green), fail (red), warn (yellow), info (cyan). */
  severity: 'ok' | 'fail' | 'warn' | 'info';
  title: string;
  meaning: string;
  /** What an annotation on the artifact's file says it does (`<path> <annotation>.`). */
  annotation: string;
  /** The conversion to P2 broke something that worked: counted in `regressions`. */
  regression: boolean;
  /** The default `fail-on` (regression) fails on it: what P2 broke, or what could not be checked. */
  gates: boolean;
}

export const VERDICT_TABLE = {
  PASS: {
    icon: '✅',
    mark: '✔',
    severity: 'ok',
    title: 'Works',
    meaning: 'behaves the same as a P1 module and as a P2 component',
    annotation: 'works as a P2 component',
    regression: false,
    gates: false,
  },
  REGRESSION: {
    icon: '❌',
    mark: '✖',
    severity: 'fail',
    title: 'Behaves differently as a P2 component',
    meaning: 'works as a P1 module but fails or behaves differently as a P2 component',
    annotation: 'works as a P1 module but fails as a P2 component',
    regression: true,
    gates: true,
  },
  'CONVERT-FAIL': {
    icon: '❌',
    mark: '✖',
    severity: 'fail',
    title: 'Conversion to a component failed',
    meaning: 'could not be converted to a P2 component',
    annotation: 'could not be converted to a P2 component',
    regression: true,
    gates: true,
  },
  'P2-FAIL': {
    icon: '❌',
    mark: '✖',
    severity: 'fail',
    title: 'Fails as a P2 component (no P1 baseline)',
    meaning: 'fails as a P2 component, and there is no P1 module to compare it with',
    annotation: 'fails as a P2 component (no P1 baseline to compare)',
    regression: false,
    gates: true,
  },
  ERROR: {
    icon: '🛑',
    mark: '✖',
    severity: 'fail',
    title: 'The checker could not run it',
    meaning: 'could not be checked: the checker could not carry out a run',
    annotation: 'could not be checked (the checker could not carry out a run)',
    regression: false,
    gates: true,
  },
  'PRE-EXISTING': {
    icon: '⚠️',
    mark: '!',
    severity: 'warn',
    title: 'Already fails as a P1 module',
    meaning: 'already fails as a P1 module: not a conversion problem',
    annotation: 'fails as a P1 module already (not a P2 regression)',
    regression: false,
    gates: false,
  },
  TIMEOUT: {
    icon: '⏱️',
    mark: '⧗',
    severity: 'warn',
    title: 'Did not finish within the time limit',
    meaning: 'did not finish within the time limit',
    annotation: 'timed out',
    regression: false,
    gates: false,
  },
  'NOT-WASI': {
    icon: '🔌',
    mark: '-',
    severity: 'info',
    title: 'Not a WASI program',
    meaning: 'is not a WASI program: it needs a specific non-WASI host',
    annotation: 'is not a WASI program (needs a specific non-WASI host)',
    regression: false,
    gates: false,
  },
  'INVALID-INPUT': {
    icon: '🚫',
    mark: '!',
    severity: 'warn',
    title: 'Not a usable WebAssembly file',
    meaning: 'is not a usable WebAssembly file',
    annotation: 'is not a usable wasm module',
    regression: false,
    gates: false,
  },
} as const satisfies Record<Verdict, VerdictInfo>;

/** Every verdict, in the order reports list them (worst first after PASS). */
export const VERDICTS = Object.keys(VERDICT_TABLE) as readonly Verdict[];

/** Verdicts that mean "the conversion to P2 broke something that worked". */
export const REGRESSION_VERDICTS: readonly Verdict[] = VERDICTS.filter((v) => VERDICT_TABLE[v].regression);

/** What the default `fail-on` (regression) fails on. */
export const GATING_VERDICTS: readonly Verdict[] = VERDICTS.filter((v) => VERDICT_TABLE[v].gates);

/** One field of every verdict's entry, as a map. */
export function verdictMap<K extends keyof VerdictInfo>(field: K): Record<Verdict, VerdictInfo[K]> {
  return Object.fromEntries(VERDICTS.map((v) => [v, (VERDICT_TABLE[v] as VerdictInfo)[field]])) as Record<Verdict, VerdictInfo[K]>;
}
