/**
 * The trap of a run, read from what the host printed: the pipeline calls this after each run (runners only capture
 * output; parsing it is diagnosis).
 */
import type { RunResult, Trap } from '../../model.js';
import { parseTrap } from './parse.js';

export function trapOfRun(run: RunResult): Trap | undefined {
  // Not run, or ended by the checker: what it printed is not how it failed.
  if (run.hostError !== undefined || run.timedOut) return undefined;
  // A trap is printed last: when stderr was cut, its kept end is where to look.
  const text = run.stderr.tail ?? run.stderr.text;
  if (run.harnessError !== undefined) {
    // The guest could not even be loaded or linked: kept as a trap so the diagnosis sees it.
    return (
      parseTrap(text) ?? { kind: 'instantiation-error', message: run.harnessError, causes: [run.harnessError], frames: [], format: 'text' }
    );
  }
  if (run.exitCode === 0 || run.exitCode === null) return undefined;
  return parseTrap(text);
}

/** The run with its trap (when it has one). */
export function withTrap(run: RunResult): RunResult {
  const trap = trapOfRun(run);
  return trap ? { ...run, trap } : run;
}
