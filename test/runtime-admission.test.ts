/**
 * Artifacts admitted by memory (src/runtime/admission.ts): what runs at once fits the budget by each artifact's
 * estimate, first come first served, one larger than the budget alone. Before (issue 17): only `--jobs` bounded it,
 * and four 524 MB artifacts at once took a 16 GB runner's memory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import type { ProgressEvent } from '../src/options/index.js';
import { artifactMemoryEstimate, defaultMemoryBudget, MemoryBudget } from '../src/runtime/admission.js';
import { root } from './action/harness.js';
import { makeSandbox } from './report-factory.js';

const fixtures = path.join(root, 'test', 'fixtures');
let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-admission-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the memory budget', () => {
  it('admits what fits, in arrival order; one larger than the whole budget runs alone', async () => {
    const budget = new MemoryBudget(100);
    const order: string[] = [];
    const a = await budget.acquire(60);
    const mark = (name: string) => (release: () => void) => {
      order.push(name);
      return release;
    };
    const b = budget.acquire(60).then(mark('b'));
    const c = budget.acquire(10).then(mark('c')); // fits now, but waits behind b
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]);
    a();
    const releaseB = await b;
    const releaseC = await c;
    expect(order).toEqual(['b', 'c']);
    const huge = budget.acquire(1_000).then(mark('huge'));
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['b', 'c']);
    releaseB();
    releaseC();
    (await huge)();
    expect(order).toEqual(['b', 'c', 'huge']);
  });

  it('estimates grow with the artifact; the default budget is a share of this machine', () => {
    expect(artifactMemoryEstimate(524_000_000)).toBeGreaterThan(6 * 1024 ** 3);
    expect(artifactMemoryEstimate(0)).toBeGreaterThan(0);
    expect(defaultMemoryBudget()).toBeGreaterThan(0);
  });
});

/** [artifact, start, end] of each artifact's check, from check()'s progress events. */
async function spans(memoryBudgetBytes: number): Promise<Map<string, { start: number; end: number }>> {
  const seen = new Map<string, { start: number; end: number }>();
  let tick = 0;
  const onProgress = (e: ProgressEvent) => {
    if (!e.artifact) return;
    if (e.stage === 'inspect') seen.set(e.artifact, { start: ++tick, end: Number.POSITIVE_INFINITY });
    if (e.stage === 'done') seen.get(e.artifact)!.end = ++tick;
  };
  const report = await check({
    patterns: [path.join(fixtures, 'c-hello.wasm'), path.join(fixtures, 'c-exit3.wasm')],
    cwd: root,
    runtime: 'embedded',
    sandbox: makeSandbox(),
    workDir: path.join(work, `w-${memoryBudgetBytes}`),
    concurrency: 4,
    memoryBudgetBytes,
    onProgress,
  });
  expect(report.results.map((r) => r.verdict)).toEqual(['PASS', 'PASS']);
  return seen;
}

describe('check() admits artifacts by memory', () => {
  it('two artifacts whose estimates do not fit together never run at once (with --jobs 4)', async () => {
    const [a, b] = [...(await spans(artifactMemoryEstimate(0) + 1)).values()];
    expect(a!.end < b!.start || b!.end < a!.start).toBe(true);
  });

  it('with room for both, they run at once', async () => {
    const [a, b] = [...(await spans(4 * artifactMemoryEstimate(0))).values()];
    expect(a!.start < b!.end && b!.start < a!.end).toBe(true);
  });
});
