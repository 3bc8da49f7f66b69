/**
 * The time budget for a whole check: once it is spent, the runs still to come are not started (each is a result with
 * `limit.kind = 'budget'`, which the verdict treats as "could not be checked"), and a run started late gets only the
 * time that is left (ended by the budget, it says so). The report and its outputs are still written in time.
 */
import { performance } from 'node:perf_hooks';
import type { RunResult, Runner, Sandbox } from '../model.js';
import { notRunResult } from './process.js';

/**
 * `deadline` (a `performance.now()` time) lets several runners share one budget (a session's runtimes, check.ts);
 * by default the budget starts now.
 */
export function withBudget(runner: Runner, budgetMs: number | undefined, deadline?: number): Runner {
  if (budgetMs === undefined) return runner;
  const end = deadline ?? performance.now() + budgetMs;
  const message = `time budget of ${budgetMs / 1000} s for the whole check`;

  async function within(phase: 'p1' | 'p2', sandbox: Sandbox, run: (sandbox: Sandbox) => Promise<RunResult>): Promise<RunResult> {
    const left = Math.floor(end - performance.now());
    if (left <= 0) {
      const hosts = await runner.describe();
      return notRunResult(phase, hosts[phase], `not run: the ${message} was spent before this run`, {
        kind: 'budget',
        value: budgetMs!,
        message: `${message} spent before this run started`,
      });
    }
    if (left >= sandbox.timeoutMs) return run(sandbox);
    const result = await run({ ...sandbox, timeoutMs: left });
    if (result.timedOut) result.limit = { kind: 'budget', value: budgetMs!, message: `${message} ran out during this run: it was ended` };
    return result;
  }

  return {
    ...runner,
    name: runner.name,
    describe: () => runner.describe(),
    runModule: (file, sandbox, guest) => within('p1', sandbox, (s) => runner.runModule(file, s, guest)),
    runComponent: (file, sandbox, component) => within('p2', sandbox, (s) => runner.runComponent(file, s, component)),
  };
}
