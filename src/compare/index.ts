import type { Artifact, Comparison, ConversionResult, Difference, Note, RunResult } from '../model.js';

/** A run failed when the guest trapped or could not be loaded; a non-zero exit code alone is behaviour, not failure. */
export function runFailed(run: RunResult | undefined): boolean {
  return !!run && !run.timedOut && (run.trap !== undefined || run.harnessError !== undefined);
}

/** Whether the module showed it runs as WASI: its P1 baseline ran, or it converted and its P2 run ran. */
function ranAsWasi(p1: RunResult | undefined, conversion: ConversionResult | undefined, p2: RunResult | undefined): boolean {
  const ran = (r: RunResult | undefined) => r !== undefined && r.harnessError === undefined && r.hostError === undefined && !(r.trap?.kind === 'link-error' || r.trap?.kind === 'instantiation-error');
  return ran(p1) || (conversion?.ok === true && ran(p2));
}

/** A reactor (library) module, or a component without a `wasi:cli/run` export: nothing to run but instantiation. */
export function isReactor(artifact: Artifact): boolean {
  if (artifact.kind === 'module') return artifact.module?.style === 'reactor';
  return artifact.kind === 'component' && !artifact.component?.exports.some((e) => e.startsWith('wasi:cli/run'));
}

function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Output as compared: line endings normalised; a capped capture is compared by what was kept plus its size. */
function normalise(out: RunResult['stdout']): string {
  return out.text.replace(/\r\n/g, '\n');
}

function describeOutcome(run: RunResult): string {
  if (run.timedOut) return 'timed out';
  if (run.trap) return `trap: ${run.trap.message}`;
  if (run.harnessError) return `not run: ${run.harnessError}`;
  return `exit ${run.exitCode}`;
}

/**
 * P1 vs P2 → verdict. Pure. Known adapter behaviours are notes, not regressions:
 * a non-zero P1 exit code that becomes 1 under P2 (wasi:cli/exit 0.2 carries only ok/err).
 */
export function compare(artifact: Artifact, p1: RunResult | undefined, conversion: ConversionResult | undefined, p2: RunResult | undefined): Comparison {
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

  if (!p1 && p2) {
    // The input already was a component (or a core module built for WASI 0.2): no P1 baseline to compare with.
    const what = artifact.kind === 'component' ? 'already a component' : 'a core module built for WASI 0.2 (WIT imports, component-type metadata)';
    notes.push({ code: 'no-p1-baseline', message: `The input is ${what}: there is no P1 baseline, only the P2 run.` });
    if (p2.timedOut) return { verdict: 'TIMEOUT', differences, notes };
    return { verdict: runFailed(p2) ? 'PRE-EXISTING' : 'PASS', differences, notes };
  }
  if (!p1 || !p2) return { verdict: 'PASS', differences, notes };

  if (p1.timedOut || p2.timedOut) {
    notes.push({
      code: 'timeout',
      message: p1.timedOut && p2.timedOut ? 'Both runs hit the time limit.' : `Only the ${p1.timedOut ? 'P1' : 'P2'} run hit the time limit (the other: ${describeOutcome(p1.timedOut ? p2 : p1)}).`,
    });
    return { verdict: 'TIMEOUT', differences, notes };
  }

  const result = compareRuns(p1, p2, notes);
  // On different hosts (node:wasi vs preview2-shim), a real difference may be the hosts' own, not the adapter's.
  const differs = result.verdict !== 'PASS' || result.differences.some((d) => d.field !== 'exitCode');
  if (p1.runtime.name === p2.runtime.name || !differs) return result;
  const hosts: Note = {
    code: 'hosts-differ',
    message: `P1 ran on ${p1.runtime.name} ${p1.runtime.version}, P2 on ${p2.runtime.name} ${p2.runtime.version}: a difference may be the hosts', not the adapter's (run both on one engine with --runtime wasmtime to tell).`,
  };
  return { ...result, notes: [hosts, ...result.notes] };
}

function compareRuns(p1: RunResult, p2: RunResult, notes: Note[]): Comparison {
  const differences: Difference[] = [];

  const p1Failed = runFailed(p1);
  const p2Failed = runFailed(p2);
  if (p1Failed && p2Failed) return { verdict: 'PRE-EXISTING', differences: [{ field: 'trap', p1: describeOutcome(p1), p2: describeOutcome(p2) }], notes };
  if (p1Failed !== p2Failed) {
    differences.push({ field: 'trap', p1: describeOutcome(p1), p2: describeOutcome(p2) });
    if (p2Failed) return { verdict: 'REGRESSION', differences, notes };
    notes.push({
      code: 'p1-only-failure',
      message: `The P1 baseline failed on ${p1.runtime.name} (${clip(describeOutcome(p1))}) but the component ran: the P1 host, not the conversion, is the suspect.`,
    });
    return { verdict: 'PASS', differences, notes };
  }

  let regression = false;
  if (p1.exitCode !== p2.exitCode) {
    const collapse = p1.exitCode !== null && p1.exitCode !== 0 && p2.exitCode === 1;
    differences.push({ field: 'exitCode', p1: String(p1.exitCode), p2: String(p2.exitCode) });
    if (collapse) {
      notes.push({
        code: 'exit-code-collapse',
        message: `P1 exited ${p1.exitCode}, P2 exited 1: wasi:cli/exit in WASI 0.2 carries only success/failure, so the adapter maps every non-zero exit code to 1. Expected, not a regression.`,
      });
    } else regression = true;
  }
  for (const field of ['stdout', 'stderr'] as const) {
    const a = normalise(p1[field]);
    const b = normalise(p2[field]);
    if (a !== b || p1[field].bytes !== p2[field].bytes) {
      differences.push({ field, p1: clip(a), p2: clip(b) });
      regression = true;
    }
  }
  return { verdict: regression ? 'REGRESSION' : 'PASS', differences, notes };
}
