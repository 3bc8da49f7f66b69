import type { Artifact, Comparison, ConversionResult, Difference, Note, RunResult } from '../model.js';
import { ellipsize } from '../report/text.js';

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
 */
export function compare(
  artifact: Artifact,
  p1: RunResult | undefined,
  conversion: ConversionResult | undefined,
  p2: RunResult | undefined,
): Comparison {
  const notes: Note[] = [];
  const differences: Difference[] = []; // none before both runs exist
  if (artifact.kind === 'not-wasm' || artifact.kind === 'invalid') {
    return { verdict: 'INVALID-INPUT', differences, notes };
  }
  const host = artifact.module?.host;
  if (host && !ranAsWasi(p1, conversion, p2)) {
    // Built for one specific non-WASI host (inspect says which): it cannot run as a WASI command, P1 or P2, so its
    // conversion failing is no regression. A module that did run as WASI is judged like any other.
    notes.push({ code: 'not-wasi', message: `Not a WASI program: ${host.name} (${host.evidence[0] ?? host.kind}).` });
    return { verdict: 'NOT-WASI', differences, notes };
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
    return { verdict: runFailed(p2) ? 'PRE-EXISTING' : 'PASS', differences, notes };
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

  const result = compareRuns(p1, p2, notes);
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

function compareRuns(p1: RunResult, p2: RunResult, notes: Note[]): Comparison {
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
    // WASI 0.2's exit carries only ok/err: a non-zero code that becomes 1 is not a regression. The explanation (and
    // the note every report shows) is the exit-code-collapse signature's, not a second wording here.
    const collapse = p1.exitCode !== null && p1.exitCode !== 0 && p2.exitCode === 1;
    differences.push({ field: 'exitCode', p1: String(p1.exitCode), p2: String(p2.exitCode) });
    if (!collapse) regression = true;
  }
  for (const field of ['stdout', 'stderr'] as const) {
    const a = normalise(p1[field]);
    const b = normalise(p2[field]);
    if (a !== b || p1[field].bytes !== p2[field].bytes) {
      differences.push({ field, p1: ellipsize(a, QUOTE_CHARS), p2: ellipsize(b, QUOTE_CHARS) });
      regression = true;
    }
  }
  return { verdict: regression ? 'REGRESSION' : 'PASS', differences, notes };
}
