/**
 * A guest that nests folders in its preopen copy past PATH_MAX. wasmtime (cap-std) walks folders one `openat` at a
 * time, so it can dig as deep as it likes; the checker's path-based walks cannot follow. Before: the disk watch could
 * not see past PATH_MAX (whatever the guest wrote there was out of measure: 8 MiB written under a 1 MiB limit went
 * unreported), and removing the run's scratch folder threw ENAMETOOLONG, so the run's result was lost (the runner
 * threw) and the folder stayed on disk. Node's hosts (node:wasi, preview2-shim) stop at PATH_MAX by themselves.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTree, removeTreeSync } from '../../src/runtime/remove.js';
import { makeSandbox } from '../report-factory.js';
import { guestFiles, RUNTIMES } from './runners.js';
import { assemble, deepWat } from './guest.js';

let work: string;
let module: string;
let component: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-deep-'));
  // 40 folders of 200 characters: about 8,000 characters, twice PATH_MAX; then 8 MiB at the bottom
  ({ module, component } = await guestFiles(await assemble(deepWat(40, 200, 8 * 1024 * 1024)), path.join(work, 'guest')));
});
afterAll(() => {
  execFileSync('rm', ['-rf', work]);
});

let n = 0;
async function dataDir(): Promise<string> {
  const data = path.join(work, `data-${++n}`);
  await mkdir(data);
  await writeFile(path.join(data, 'seed'), 'x');
  return data;
}

describe('a guest that nests folders past PATH_MAX', () => {
  for (const [name, make, skip] of RUNTIMES) {
    it.skipIf(skip)(
      `${name}: the run ends with a result in both phases and leaves no scratch behind`,
      async () => {
        const runs = path.join(work, `runs-${name}`);
        const runner = make(runs);
        const sandbox = makeSandbox({ dirs: [{ host: await dataDir(), guest: '/data' }], maxDiskBytes: 1024 * 1024, timeoutMs: 60_000 });
        for (const run of [await runner.runModule(module, sandbox), await runner.runComponent(component, sandbox)]) {
          const depth = Number(/depth (\d+)/.exec(run.stdout.text)?.[1] ?? Number.NaN);
          if (name === 'wasmtime') {
            // digs past PATH_MAX (ended as soon as the watch finds a path out of reach, perhaps before it prints)
            if (!Number.isNaN(depth)) expect(depth, `${run.phase} ${run.stdout.text}`).toBe(40);
            expect(run.limit, `${run.phase} ${run.stderr.text}`).toMatchObject({ kind: 'disk' });
            expect(run.limit!.message).toMatch(/deeper than a path can reach \(past PATH_MAX\)/);
          } else {
            // node:wasi and preview2-shim stop at PATH_MAX themselves (and the guest writes its file up there)
            expect(depth, `${run.phase} ${run.stdout.text}`).toBeLessThan(40);
          }
          expect(run.hostError).toBeUndefined();
        }
        expect(await readdir(runs)).toEqual([]);
      },
      300_000,
    );
  }

  it('removeTree and removeTreeSync remove a tree deeper than PATH_MAX', async () => {
    for (const remove of [removeTree, (dir: string) => removeTreeSync(dir, Date.now() + 60_000)]) {
      const dir = path.join(work, `nest-${++n}`);
      await mkdir(dir);
      // coreutils' mkdir -p reaches any depth (one folder at a time); Node's own path-based calls cannot
      execFileSync('mkdir', ['-p', Array.from({ length: 30 }, () => 'b'.repeat(200)).join('/')], { cwd: dir });
      expect(await remove(dir)).toBe(true);
      expect(existsSync(dir)).toBe(false);
    }
  });
});
