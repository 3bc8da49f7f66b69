/**
 * The fuzzer's budget. The normal test run (and so .ci/run) uses a small fixed budget (a few seconds in all);
 * `npm run fuzz` raises it: FUZZ_SCALE multiplies every property's run count (default 1), FUZZ_SEED replays a run
 * (fast-check prints the seed and path of any counterexample), FUZZ_SECONDS caps each property's time.
 */
import type { Parameters } from 'fast-check';

const scale = Math.max(1, Number(process.env.FUZZ_SCALE ?? '1') || 1);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const seconds = Number(process.env.FUZZ_SECONDS ?? '0') || 0;

/** fast-check parameters for a property run `runs` times in the normal test run. */
export function fuzzParams<T>(runs: number): Parameters<T> {
  return {
    numRuns: runs * scale,
    ...(seed !== undefined ? { seed } : {}),
    ...(seconds > 0 ? { interruptAfterTimeLimit: seconds * 1000, markInterruptAsFailure: false } : {}),
  };
}

/** Test timeout for a property: generous for a large run, so that only a property's own failure fails it. */
export const FUZZ_TIMEOUT_MS = scale > 1 || seconds > 0 ? 24 * 60 * 60 * 1000 : 60_000;

/** Most time one call may take on any generated input (bounded algorithms take milliseconds). */
export const MAX_CALL_MS = 5_000;
