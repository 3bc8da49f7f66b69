/**
 * The Action's run() (in process, test/action/action.harness.ts) against hostile data behind its inputs: a preopen folder
 * with a committed link to /proc and to a folder outside the workspace, and a stdin file that is a link to the
 * runner's environment. The step fails naming the link, before any guest runs; no secret reaches any output.
 */
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useActionHarness } from './action/harness.js';

const action = useActionHarness();

async function workspaceWith(make: (ws: string) => Promise<void>): Promise<string> {
  const ws = path.join(await mkdtemp(path.join(tmpdir(), 'p2c-action-hostile-')), 'workspace');
  await mkdir(path.join(ws, 'data'), { recursive: true });
  await writeFile(path.join(ws, 'data', 'ok.txt'), 'ok');
  await make(ws);
  return ws;
}

describe('the Action with hostile preopen and stdin data', () => {
  for (const [what, make, named] of [
    [
      'a preopen with a link to /proc',
      (ws: string) => symlink('/proc', path.join(ws, 'data', 'proc')),
      /symbolic link \S*data\/proc points outside the granted folder \(to \/proc\)/,
    ],
    [
      'a preopen with a link out of the workspace',
      (ws: string) => symlink('../../..', path.join(ws, 'data', 'up')),
      /symbolic link \S*data\/up points outside the granted folder/,
    ],
  ] as const) {
    it(`${what}: the step fails naming the link; nothing runs`, async () => {
      const workspace = await workspaceWith(make);
      const r = await action.run({
        inputs: { artifacts: 'build/*.wasm', dirs: 'data::/data' },
        artifacts: ['wat-hello.wasm'],
        workspace,
      });
      expect(r.code, r.stdout).toBe(1);
      expect(r.stdout).toMatch(named);
      expect(r.stdout).not.toMatch(/GITHUB_TOKEN=|INPUT_GITHUB-TOKEN=|ghs_/);
      expect(r.summary).not.toMatch(/GITHUB_TOKEN=|ghs_/);
      expect(
        action.gh
          .commentsOn(1)
          .map((c) => c.body)
          .join('\n'),
      ).not.toMatch(/GITHUB_TOKEN=|ghs_/);
    });
  }

  it('a stdin file that is a link to the runner environment: refused before anything runs', async () => {
    const workspace = await workspaceWith((ws) => symlink('/proc/self/environ', path.join(ws, 'input.txt')));
    const r = await action.run({
      inputs: { artifacts: 'build/*.wasm', stdin: 'input.txt' },
      artifacts: ['wat-hello.wasm'],
      workspace,
    });
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/stdin file .*input\.txt resolves to \/proc/);
    expect(r.stdout).not.toMatch(/GITHUB_TOKEN=|ghs_/);
  });
});
