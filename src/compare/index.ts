import type { Artifact, Comparison, ConversionResult, Difference, Note, RunResult } from '../model.js';
import { ellipsize } from '../report/text.js';
import { compareUnstable } from './nondeterminism.js';

/** A run failed when the guest trapped or could not be loaded; a non-zero exit code alone is behaviour, not failure. */
export function runFailed(run: RunResult | undefined): boolean {
  return !!run && !run.timedOut && (run.trap !== undefined || run.harnessError !== undefined);
}

/** Whether the module showed it runs as WASI: its P1 baseline ran, or it converted and its P2 run ran. */
function ranAsWasi(p1: RunResult | undefined, conversion: ConversionResult | undefined, p2: RunResult | undefined): boolean {
  const ran = (r: RunResult | undefined) =>
    r !== undefined &&
    r.harnessError === undefined &&
    r.hostError === undefined &&
    !(r.trap?.kind === 'link-error' || r.trap?.kind === 'instantiation-error');
  return ran(p1) || (conversion?.ok === true && ran(p2));
}

/** The module imports anything from WASI (P1, snapshot 0, wasi-threads or a WASI 0.2 interface). */
function usesWasi(artifact: Artifact): boolean {
  return (artifact.module?.imports ?? []).some((i) => /^(wasi_snapshot_preview1|wasi_unstable|wasi)$|^wasi:/.test(i.module));
}

/** A reactor (library) module, or a component without a `wasi:cli/run` export: nothing to run but instantiation. */
export function isReactor(artifact: Artifact): boolean {
  if (artifact.kind === 'module') return artifact.module?.style === 'reactor';
  return artifact.kind === 'component' && !artifact.component?.exports.some((e) => e.startsWith('wasi:cli/run'));
}

/** Texts quoted in a note or a difference are cut to this many characters. */
const QUOTE_CHARS = 200;

/** Output as compared: line endings normalised; a capped capture is compared by what was kept plus its size. */
function normalise(out: RunResult['stdout']): string {
  return out.text.replace(/\r\n/g, '\n');
}

function describeOutcome(run: RunResult): string {
  if (run.hostError) return `not run: ${run.hostError}`;
  if (run.timedOut) return 'timed out';
  if (run.trap) return `trap: ${run.trap.message}`;
  if (run.harnessError) return `not run: ${run.harnessError}`;
  return `exit ${run.exitCode}`;
}

const PHASE = { p1: 'P1', p2: 'P2' } as const;

/** The run's output was cut at a checker-set cap (it wrote more than is kept, or was ended for it). */
function outputCapped(run: RunResult): boolean {
  return run.limit?.kind === 'output' || run.stdout.truncated || run.stderr.truncated;
}

/**
 * Why the checker cannot take this run as the guest's behaviour, or undefined when it can: the host could not carry
 * it out (hostError), a checker-set resource other than time or output ran out, or it ended with no exit status and
 * nothing that explains it (no trap, no timeout, no load error, no cap).
 */
function unusableRun(run: RunResult): string | undefined {
  const phase = PHASE[run.phase];
  if (run.hostError) return `The ${phase} run could not be carried out by the checker: ${ellipsize(run.hostError, 300)}`;
  if (run.limit && run.limit.kind !== 'time' && run.limit.kind !== 'output')
    return `The ${phase} run hit a limit the checker set: ${run.limit.message}`;
  if (run.exitCode === null && !run.timedOut && !run.trap && !run.harnessError && !outputCapped(run)) {
    return (
      `The ${phase} run ended with no exit status and nothing to explain it (no trap, ` +
      `no timeout, no load error): the checker cannot tell what the guest did.`
    );
  }
  return undefined;
}

function errorVerdict(message: string, notes: Note[], differences: Difference[] = []): Comparison {
  return { verdict: 'ERROR', differences, notes: [...notes, { code: 'checker-error', message }] };
}

/**
 * P1 vs P2 → verdict. Pure. A non-zero P1 exit code that becomes 1 under P2 is not a regression (wasi:cli/exit 0.2
 * carries only ok/err); the exit-code-collapse signature explains it.
 *
 * @param p1Again a second P1 run, made when the first comparison rested on output alone (`outputOnlyRegression`):
 *   what changed between the two P1 runs is the program's own nondeterminism, not evidence (compare/nondeterminism.ts)
 */
export function compare(
  artifact: Artifact,
  p1: RunResult | undefined,
  conversion: ConversionResult | undefined,
  p2: RunResult | undefined,
  p1Again?: RunResult,
): Comparison {
  const notes: Note[] = [];
  const differences: Difference[] = []; // none before both runs exist
  if (artifact.kind === 'not-wasm' || artifact.kind === 'invalid') {
    return { verdict: 'INVALID-INPUT', differences, notes };
  }
  const host = artifact.module?.host;
  // A library that imports no WASI "runs" as WASI vacuously (nothing to call; its component's world is empty): that
  // run checked nothing, so it decides nothing either.
  if (host && (!ranAsWasi(p1, conversion, p2) || !usesWasi(artifact))) {
    // Built for one specific non-WASI host (inspect says which): it cannot run as a WASI command, P1 or P2, so its
    // conversion failing is no regression. A module that did run as WASI is judged like any other.
    notes.push({ code: 'not-wasi', message: `Not a WASI program: ${host.name} (${host.evidence[0] ?? host.kind}).` });
    return { verdict: 'NOT-WASI', differences, notes };
  }
  // The checker could not convert it (its converter failed or went past a limit): no verdict on the artifact.
  if (conversion?.checkerError !== undefined) {
    return errorVerdict(`The conversion could not be carried out by the checker: ${ellipsize(conversion.checkerError, 300)}`, notes);
  }
  if (conversion && !conversion.ok) return { verdict: 'CONVERT-FAIL', differences, notes };

  if (p2 && isReactor(artifact)) {
    notes.push({
      code: 'reactor-exports-not-run',
      message: 'Reactor: only instantiation and `_initialize` were checked; its own exports were not called.',
    });
  }

  // A run the checker could not carry out says nothing about the guest: never PASS, never REGRESSION.
  const unusable = [p1, p2].map((r) => (r ? unusableRun(r) : undefined)).filter((m): m is string => m !== undefined);
  if (unusable.length) return errorVerdict(unusable.join(' '), notes);

  if (!p1 && p2) {
    // The input already was a component (or a core module built for WASI 0.2): no P1 baseline to compare with.
    const what =
      artifact.kind === 'component' ? 'already a component' : 'a core module built for WASI 0.2 (WIT imports, component-type metadata)';
    notes.push({ code: 'no-p1-baseline', message: `The input is ${what}: there is no P1 baseline, only the P2 run.` });
    if (p2.timedOut) return { verdict: 'TIMEOUT', differences, notes };
    // Nothing to compare with, so a failure cannot be "pre-existing" (that needs a P1 run) nor be let through: it is
    // the component's own, and fails the gate (P2-FAIL).
    if (runFailed(p2) || (p2.exitCode !== null && p2.exitCode !== 0)) {
      notes.push({
        code: 'p2-failed-without-baseline',
        message:
          `The P2 run failed (${ellipsize(describeOutcome(p2), QUOTE_CHARS)}) ` +
          'and there is no P1 run to compare it with: it fails as P2.',
      });
      return { verdict: 'P2-FAIL', differences, notes };
    }
    return { verdict: 'PASS', differences, notes };
  }
  if (!p1 || !p2) return { verdict: 'PASS', differences, notes };

  if (p1.timedOut || p2.timedOut) {
    const only = p1.timedOut && p2.timedOut ? undefined : p1.timedOut ? p1 : p2;
    notes.push({
      code: only?.phase === 'p2' ? 'p2-only-timeout' : 'timeout',
      message: !only
        ? `Both runs hit the time limit (${p1.limit?.message ?? 'P1'}; ${p2.limit?.message ?? 'P2'}).`
        : `Only the ${PHASE[only.phase]} run hit the time limit (the other: ${describeOutcome(only === p1 ? p2 : p1)}).` +
          (only.phase === 'p2' ? ' The component hangs where the module finished: this fails the gate like a regression.' : ''),
    });
    return { verdict: 'TIMEOUT', differences, notes };
  }

  // Output cut at the cap: both cut → compare what was kept; one cut → the runs cannot be compared fairly.
  const cappedP1 = outputCapped(p1);
  const cappedP2 = outputCapped(p2);
  if (cappedP1 !== cappedP2) {
    const stopped = cappedP1 ? p2StoppedFirst(p1, p2) : undefined;
    if (stopped) {
      notes.push({ code: 'p2-stopped-first', message: stopped.message });
      return { verdict: 'REGRESSION', differences: [stopped.difference], notes };
    }
    const capped = cappedP1 ? p1 : p2;
    const what =
      capped.limit?.message ??
      `output cap reached: the ${PHASE[capped.phase]} run wrote ` +
        `${capped.stdout.bytes + capped.stderr.bytes} bytes, more than the cap keeps`;
    return errorVerdict(
      `Only the ${PHASE[capped.phase]} run's output was cut at the output cap (${what}), ` +
        `so the two runs cannot be compared fairly. Raise the output cap (the 'output-cap' option) to compare them.`,
      notes,
    );
  }
  if (cappedP1 && cappedP2) return compareCapped(p1, p2, notes);

  const result = compareRuns(p1, p2, notes, p1Again);
  // On different hosts (node:wasi vs preview2-shim), a real difference may be the hosts' own, not the adapter's.
  const differs = result.verdict !== 'PASS' || result.differences.some((d) => d.field !== 'exitCode');
  if (p1.runtime.name === p2.runtime.name || !differs) return result;
  const hosts: Note = {
    code: 'hosts-differ',
    message:
      `P1 ran on ${p1.runtime.name} ${p1.runtime.version}, P2 on ${p2.runtime.name} ${p2.runtime.version}: ` +
      `a difference may be the hosts', not the adapter's (run both on one engine, runtime 'wasmtime', to tell).`,
  };
  return { ...result, notes: [hosts, ...result.notes] };
}

/**
 * One-sided output cap, the one case that is not inconclusive: P1's output was cut at the cap, and P2 ended by itself
 * — trapped, failed to load or exited non-zero — having written less than P1 kept, every byte of it as P1 wrote it.
 * Then P2 stopped at a point P1 went past, whatever P1 did after the cap: the component failed where the module went
 * on. Anything less certain stays ERROR: P2 exiting 0 early (output that is merely shorter), P2's output differing
 * from P1's before its end (stderr carries the host's trap text), a stream P1 kept whole, and the mirror case (P1
 * failed early, P2 cut: P2 may fail past the cap too).
 */
function p2StoppedFirst(p1: RunResult, p2: RunResult): { difference: Difference; message: string } | undefined {
  if (p2.timedOut || p2.limit || p2.hostError) return undefined;
  const failed = runFailed(p2) || (p2.exitCode !== null && p2.exitCode !== 0);
  const cut = (['stdout', 'stderr'] as const).filter((f) => p1[f].truncated);
  if (!failed || cut.length === 0) return undefined;
  for (const f of cut) {
    const kept = normalise(p1[f]);
    const wrote = normalise(p2[f]);
    if (wrote.length >= kept.length || !kept.startsWith(wrote)) return undefined;
  }
  const where = cut.map((f) => `${p2[f].bytes} bytes of ${f}`).join(' and ');
  const past = cut.map((f) => `${f} cut at ${normalise(p1[f]).length} of ${p1[f].bytes} bytes`).join(', ');
  return {
    difference: { field: runFailed(p2) ? 'trap' : 'exitCode', p1: `wrote on past that point (${past})`, p2: describeOutcome(p2) },
    message:
      "Only P1's output was cut at the output cap, but that does not make this inconclusive: " +
      `P2 ended (${ellipsize(describeOutcome(p2), QUOTE_CHARS)}) after writing ${where}, exactly as P1 wrote them, ` +
      `while P1 went on writing past that point (${past}). The component stopped where the module went on.`,
  };
}

/**
 * Both runs were cut at the output cap. When both ran to the end, their full sizes are known (the output goes to
 * files): kept text, sizes and exit status are compared as usual. When a run was ended for its output (killed past
 * the disk limit), only what both kept can be compared: its size and exit status are the cap's doing.
 */
function compareCapped(p1: RunResult, p2: RunResult, notes: Note[]): Comparison {
  const ended = [p1, p2].some((r) => r.limit?.kind === 'output' || r.exitCode === null);
  if (!ended) return compareRuns(p1, p2, notes);
  notes.push({
    code: 'output-capped',
    message:
      'A run was ended for writing more than the checker keeps: only the output both runs kept was compared (not sizes or exit status).',
  });
  const kept = (r: RunResult, other: RunResult): RunResult => {
    const cut = (field: 'stdout' | 'stderr') => {
      const n = Math.min(normalise(r[field]).length, normalise(other[field]).length);
      return { text: normalise(r[field]).slice(0, n), bytes: 0, truncated: true };
    };
    return { ...r, exitCode: 0, trap: undefined, harnessError: undefined, stdout: cut('stdout'), stderr: cut('stderr') };
  };
  return compareRuns(kept(p1, p2), kept(p2, p1), notes);
}

/**
 * WASI 0.2's exit carries only ok/err: a non-zero P1 code that became 1 is not a regression. The explanation (and the
 * note every report shows) is the exit-code-collapse signature's, not a second wording here.
 */
function exitCodeCollapsed(p1: number | null, p2: number | null): boolean {
  return p1 !== null && p1 !== 0 && p2 === 1;
}

/**
 * Whether a REGRESSION rests on output alone (no trap, no exit-code change beyond the ok/err collapse) of two
 * complete runs: then one more P1 run can tell whether the program's output varies by itself (src/check.ts runs it).
 */
export function outputOnlyRegression(c: Comparison, p1: RunResult | undefined, p2: RunResult | undefined): boolean {
  if (c.verdict !== 'REGRESSION' || !p1 || !p2 || outputCapped(p1) || outputCapped(p2)) return false;
  return c.differences.every(
    (d) => d.field === 'stdout' || d.field === 'stderr' || (d.field === 'exitCode' && exitCodeCollapsed(p1.exitCode, p2.exitCode)),
  );
}

/**
 * Why a second P1 run cannot stand beside the first, or undefined when it can: it must have ended the same way,
 * complete, for its output to say anything about the first one's.
 */
function incomparableRerun(first: RunResult, again: RunResult): string | undefined {
  if (again.hostError || again.harnessError || again.limit || again.timedOut || outputCapped(again) || again.trap) {
    return describeOutcome(again);
  }
  if (again.exitCode !== first.exitCode) return `exit ${again.exitCode}, where the first ended with exit ${first.exitCode}`;
  return undefined;
}

function compareRuns(p1: RunResult, p2: RunResult, notes: Note[], p1Again?: RunResult): Comparison {
  const differences: Difference[] = [];

  const p1Failed = runFailed(p1);
  const p2Failed = runFailed(p2);
  if (p1Failed && p2Failed)
    return { verdict: 'PRE-EXISTING', differences: [{ field: 'trap', p1: describeOutcome(p1), p2: describeOutcome(p2) }], notes };
  if (p1Failed !== p2Failed) {
    differences.push({ field: 'trap', p1: describeOutcome(p1), p2: describeOutcome(p2) });
    if (p2Failed) return { verdict: 'REGRESSION', differences, notes };
    notes.push({
      code: 'p1-only-failure',
      message:
        `The P1 baseline failed on ${p1.runtime.name} (${ellipsize(describeOutcome(p1), QUOTE_CHARS)}) ` +
        `but the component ran: the P1 host, not the conversion, is the suspect.`,
    });
    return { verdict: 'PASS', differences, notes };
  }

  let regression = false;
  if (p1.exitCode !== p2.exitCode) {
    differences.push({ field: 'exitCode', p1: String(p1.exitCode), p2: String(p2.exitCode) });
    if (!exitCodeCollapsed(p1.exitCode, p2.exitCode)) regression = true;
  }
  const rerunProblem = p1Again ? incomparableRerun(p1, p1Again) : undefined;
  if (p1Again && rerunProblem) {
    notes.push({
      code: 'p1-rerun-incomparable',
      message:
        'P1 was run a second time to tell whether its output varies by itself, ' +
        `but that run ended differently (${ellipsize(rerunProblem, QUOTE_CHARS)}): the output was compared as it was.`,
    });
  }
  const again = p1Again && !rerunProblem ? p1Again : undefined;
  let unalignable: string | undefined;
  for (const field of ['stdout', 'stderr'] as const) {
    const a = normalise(p1[field]);
    const b = normalise(p2[field]);
    if (a === b && p1[field].bytes === p2[field].bytes) continue;
    const u = again ? compareUnstable(a, normalise(again[field]), b) : { kind: 'stable' as const };
    if (u.kind === 'stable') {
      differences.push({ field, p1: ellipsize(a, QUOTE_CHARS), p2: ellipsize(b, QUOTE_CHARS) });
      regression = true;
    } else if (u.kind === 'masked') {
      notes.push({
        code: 'nondeterministic-output',
        message:
          `The program's ${field} varies from run to run: ${u.changedLines} line(s) differed between two P1 runs ` +
          `(e.g. line ${u.example.line}, \`${ellipsize(u.example.shape, 120)}\`, … marking what varied). ` +
          `Those parts are not evidence; the rest of P2's ${field} matches P1's.`,
      });
    } else if (u.kind === 'differs') {
      notes.push({
        code: 'nondeterministic-output',
        message:
          `The program's ${field} varies from run to run (${u.changedLines} line(s) differed between two P1 runs); ` +
          `those parts were left out, and P2's ${field} still differs where P1 agreed with itself (line ${u.line}).`,
      });
      differences.push({ field, p1: ellipsize(u.p1, QUOTE_CHARS), p2: ellipsize(u.p2, QUOTE_CHARS) });
      regression = true;
    } else {
      unalignable =
        `The program's ${field} varies from run to run in its number of lines (${u.lines[0]}, then ${u.lines[1]} lines ` +
        "in two P1 runs), and P2's differs from both: the checker cannot tell a regression from the program's own nondeterminism there.";
      differences.push({ field, p1: ellipsize(a, QUOTE_CHARS), p2: ellipsize(b, QUOTE_CHARS) });
    }
  }
  // Nothing but output that varies by itself: no verdict either way (never a REGRESSION on that alone, never a PASS).
  if (unalignable && !regression) return errorVerdict(unalignable, notes, differences);
  return { verdict: regression ? 'REGRESSION' : 'PASS', differences, notes };
}
