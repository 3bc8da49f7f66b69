/**
 * A preopen that changes while it is copied: a process the pull request left running (its build step ran beside the
 * checker) swaps a folder the walk has listed for a link to a secret folder. lstat + O_NOFOLLOW guard only the last
 * component of a path; the open of `data/sub/secret.txt` goes through the swapped `sub`. The copy now checks where
 * each open really led (/proc/self/fd) and refuses a file outside the granted folder. The state after the swap is
 * set up directly here (a race would make the test flaky): the open through the link is what is refused.
 */
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInside, UnsafeFileError } from '../../src/guard/safe-fs.js';

let work: string;
beforeAll(async () => {
  work = await realpath(await mkdtemp(path.join(tmpdir(), 'p2c-toctou-')));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.skipIf(process.platform !== 'linux')('a folder swapped for a link while the preopen is copied', () => {
  it('the open that passes through the link out of the folder is refused; one inside is taken', async () => {
    const data = path.join(work, 'data');
    const outside = path.join(work, 'outside');
    await mkdir(path.join(data, 'real'), { recursive: true });
    await mkdir(outside);
    await writeFile(path.join(outside, 'secret.txt'), 'TOPSECRET');
    await writeFile(path.join(data, 'real', 'ok.txt'), 'fine');
    await symlink(outside, path.join(data, 'sub')); // the swap: `sub` was a folder when the walk listed it
    const refused = openInside(path.join(data, 'sub', 'secret.txt'), data, 'data/sub/secret.txt', 'preopen', true);
    await expect(refused).rejects.toThrow(UnsafeFileError);
    await expect(refused).rejects.toThrow(/leads out of the granted folder .*replaced by a link while it was copied/);
    const { fh } = await openInside(path.join(data, 'real', 'ok.txt'), data, 'data/real/ok.txt', 'preopen', true);
    expect((await fh.readFile()).toString()).toBe('fine');
    await fh.close();
  });
});
