/**
 * Report files the CLI writes and reads. Written: report files are written once the check is done: a --json/--markdown/--output path in a folder that does not exist
 * was found only then (minutes of work lost) and told as a bare "ENOENT: … open '…'" naming no option. Now it is a
 * usage error before anything runs, naming the option and the path; a file that cannot be written names them too.
 * Read: merge's reports are untrusted like a baseline: a FIFO blocked merge forever and /dev/zero was read to 512 MiB.
 * explain given a saved JSON report read it as a log: the prose of its diagnoses passed for a trap.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli } from './build-once.js';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const artifact = path.join(root, 'examples', 'c-hello.wasm');
let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-output-paths-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return exec(process.execPath, [builtCli, ...args], { cwd: work, timeout: 15_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

describe('report files the CLI cannot write', () => {
  it.each([
    ['--json', 'nope/r.json'],
    ['--markdown', 'nope/r.md'],
    ['--output', 'markdown=nope/r.md'],
  ])('%s %s in a missing folder: exit 2 before anything runs, naming the option and the path', async (flag, value) => {
    const r = await cli([artifact, '--runtime', 'embedded', '--no-cache', flag, value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${flag === '--output' ? '--output markdown=…' : flag} '${value.replace(/^markdown=/, '')}': no folder`);
    expect(r.stderr).toContain('nothing was checked');
    expect(r.stdout).toBe('');
  });

  it('versions: the same, before any release is fetched', async () => {
    const r = await cli(['versions', '--releases', '47.0.0', artifact, '--json', 'nope/v.json']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining("--json 'nope/v.json': no folder")]);
  });

  it('a path that is a folder: exit 2 naming the option (not a bare EISDIR)', async () => {
    const r = await cli([artifact, '--runtime', 'embedded', '--no-cache', '--json', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--json '\.': cannot write it \(EISDIR/);
  });
});

describe('reports merge reads', () => {
  it('a FIFO or /dev/zero is refused at once (regular files only, as a baseline), exit 2 naming it', async () => {
    const fifo = path.join(work, 'report.json');
    execFileSync('mkfifo', [fifo]);
    const started = performance.now();
    const [a, b] = await Promise.all([cli(['merge', fifo]), cli(['merge', '/dev/zero'])]);
    expect([a.code, a.stderr]).toEqual([2, expect.stringMatching(/merge: cannot read .*report\.json: .*FIFO/)]);
    expect([b.code, b.stderr]).toEqual([2, expect.stringMatching(/merge: cannot read \/dev\/zero: .*pseudo file systems/)]);
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 20_000);
});

describe('explain given a saved report', () => {
  it('says it is a report, not a log, and how to show its diagnoses (exit 2), instead of reading its prose as a trap', async () => {
    const saved = await cli([artifact, '--runtime', 'embedded', '--no-cache', '-q', '--json', 'saved.json']);
    expect(saved.code).toBe(0);
    const r = await cli(['explain', 'saved.json']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('explain: saved.json is a wasm-p2-check JSON report, not an error log');
    expect(r.stderr).toContain('wasm-p2-check merge saved.json');
  }, 20_000);
});
