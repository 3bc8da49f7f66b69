/**
 * File names that are not valid UTF-8 (a Latin-1 name from an old archive, or bytes a guest chose). Node reads such a
 * name as text with U+FFFD in it, which names no file. Before: a preopen holding one was refused with a bare
 * "ENOENT: no such file or directory, scandir" (nothing could be checked), and a file a P1 guest wrote under such a
 * name (node:wasi creates it as given) was out of the disk measurement: 8 MiB written under a 1 MiB limit, unreported.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareSandbox } from '../../src/runtime/sandbox.js';
import { makeSandbox } from '../report-factory.js';
import { guestFiles, RUNTIMES } from './runners.js';
import { assemble, bombWat } from './guest.js';

/** 'bad', two bytes that are not UTF-8, '.bin'. */
const BAD_NAME = Buffer.concat([Buffer.from('bad'), Buffer.from([0xff, 0xfe]), Buffer.from('.bin')]);
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-names-'));
});
afterAll(() => {
  execFileSync('rm', ['-rf', work]);
});

describe('file names that are not UTF-8', () => {
  it('a preopen holding them is copied as it is (names, contents, a folder and a file inside it)', async () => {
    const ws = path.join(work, 'ws');
    const data = path.join(ws, 'data');
    await mkdir(data, { recursive: true });
    await writeFile(Buffer.concat([Buffer.from(`${data}/`), BAD_NAME]), 'latin-1 named');
    const folder = Buffer.concat([Buffer.from(`${data}/dir`), Buffer.from([0xc3])]);
    await mkdir(folder);
    await writeFile(Buffer.concat([folder, Buffer.from('/inner.txt')]), 'inner');
    const prepared = await prepareSandbox(makeSandbox({ dirs: [{ host: 'data', guest: '/data' }] }), ws, path.join(work, 'scratch'));
    const copy = prepared.dirs[0]!.host;
    const names = readdirSync(copy, { encoding: 'buffer' }).map((b) => b.toString('hex'));
    expect(names.sort()).toEqual([BAD_NAME.toString('hex'), Buffer.from([0x64, 0x69, 0x72, 0xc3]).toString('hex')].sort());
    expect(await readFile(Buffer.concat([Buffer.from(`${copy}/`), BAD_NAME]), 'utf8')).toBe('latin-1 named');
    expect(await readFile(Buffer.concat([Buffer.from(`${copy}/dir`), Buffer.from([0xc3, 0x2f]), Buffer.from('inner.txt')]), 'utf8')).toBe(
      'inner',
    );
  });

  for (const [name, make, skip] of RUNTIMES) {
    it.skipIf(skip)(
      `${name}: a guest writing under such a name is still held to the disk limit (both phases)`,
      async () => {
        const { module, component } = await guestFiles(
          await assemble(bombWat('disk', 8 * 1024 * 1024, 16, BAD_NAME)),
          path.join(work, name),
        );
        const data = path.join(work, `data-${name}`);
        await mkdir(data);
        const runner = make(path.join(work, `runs-${name}`));
        const sandbox = makeSandbox({ dirs: [{ host: data, guest: '/data' }], maxDiskBytes: 1024 * 1024, timeoutMs: 60_000 });
        for (const run of [await runner.runModule(module, sandbox), await runner.runComponent(component, sandbox)]) {
          // A host that takes the name writes the file and must be caught; one that refuses it makes the guest trap first.
          if (run.exitCode === 0 || run.limit) {
            expect(run.limit, `${run.phase} ${run.stderr.text}`).toMatchObject({ kind: 'disk', value: 1024 * 1024 });
          } else {
            expect(run.stderr.text, run.phase).toMatch(/unreachable|path_open/);
          }
        }
      },
      120_000,
    );
  }
});
