/**
 * `mode: versions` in process (the runner's side recorded, GitHub emulated): the real adapters of wasmtime 16.0.0 and
 * 17.0.0 from the loopback mirror, the wasmtime 49 engine (the Python wheel harness, on PATH as `wasmtime`) fixed.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../../src/report/json.js';
import { type AdapterMirror, startAdapterMirror } from '../adapter-mirror.js';
import { engineUnavailable, harness } from '../harness/engine.js';
import { PR, useActionHarness } from './harness.js';
import { readFile } from 'node:fs/promises';

const action = useActionHarness();
let mirror: AdapterMirror;
beforeAll(async () => {
  mirror = await startAdapterMirror(['16.0.0', '17.0.0']);
});
afterAll(() => mirror.close());

describe.skipIf(engineUnavailable())('the Action, mode versions', () => {
  it('one comment and one check run lead with the artifact that changes between the releases, and where', async () => {
    const run = await action.run({
      inputs: {
        mode: 'versions',
        artifacts: 'build/*.wasm',
        releases: '16.0.0..17.0.0',
        bisect: 'true',
        runtime: 'wasmtime',
        'wasmtime-version': '49.0.0',
        'wasmtime-download-url': mirror.url,
        comment: 'always',
      },
      artifacts: ['c-hello.wasm'],
      env: { PATH: `${path.dirname(harness)}${path.delimiter}${process.env.PATH}` },
    });
    // The newest release's results gate (c-hello passes with 17.0.0's adapter on wasmtime 49).
    expect(run.code, run.stdout).toBe(0);
    const [check] = action.gh.checkRuns;
    expect(check!.output.title).toBe(
      "1 artifact × 2 wasmtime releases (each release's adapter on wasmtime-py-harness 49.0.0, bisect checked 2 of 2 releases): " +
        '1 artifact changes outcome',
    );
    const comments = action.gh.commentsOn(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('fails with 16.0.0 (REGRESSION (adapter-runtime-version-skew)), works from 17.0.0');
    expect(comments[0]!.body).toContain('#### With 17.0.0, in detail');
    const report = parseReport(await readFile(run.outputs['report-json']!, 'utf8'));
    expect(report.versions?.artifacts[0]?.changes[0]).toMatchObject({ lastBefore: '16.0.0', firstAfter: '17.0.0' });
  });

  it('a release that cannot be had fails the step and the check run, naming it; nothing runs', async () => {
    const run = await action.run({
      inputs: { mode: 'versions', artifacts: 'build/*.wasm', releases: '16.0.0, 25.0.0', 'wasmtime-download-url': mirror.url },
      artifacts: ['c-hello.wasm'],
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Input 'releases': a release cannot be had, nothing was run: 25\.0\.0 \(/);
    expect(action.gh.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure' });
  });
});
