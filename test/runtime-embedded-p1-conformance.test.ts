/**
 * The embedded P1 host corrects node:wasi where it departs from the WASI P1 spec (runtime/embedded/p1-conformance.ts),
 * so the P1 baseline is the program's behaviour, not the host's. Real guests built from C with Debian's clang 14 +
 * wasi-libc (test/fixtures/p1-host/build.sh). Without the corrections: sleep.wasm hangs for about an hour at its
 * clock_nanosleep(TIMER_ABSTIME) (a TIMEOUT here), list-dir.wasm lists no `.`/`..` (a REGRESSION against every P2
 * host), poll-stdio.wasm's poll() fails with EPERM (exit 1),
 * fd-flags.wasm sees O_DSYNC on a file opened O_RDWR and
 * no O_APPEND on one opened O_RDONLY|O_APPEND. The P2 host's stdin is ready for poll() too.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { createEmbeddedRunner } from '../src/runtime/embedded/runner.js';
import { CHECK_RUNTIMES } from './check-runtimes.js';
import { makeSandbox } from './report-factory.js';

const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(root, 'test', 'fixtures', 'p1-host');
let work: string;
let data: string;
let input: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-p1-conformance-'));
  data = path.join(work, 'data');
  await mkdir(data);
  await writeFile(path.join(data, 'notes.txt'), 'n');
  await mkdir(path.join(data, 'sub'));
  input = path.join(work, 'stdin.txt');
  await writeFile(input, 'from stdin\n');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const runner = () => createEmbeddedRunner({ workDir: path.join(work, 'runs') });

describe('embedded P1 host (node:wasi, corrected)', () => {
  it('sleeps with relative and absolute deadlines (clock_nanosleep TIMER_ABSTIME), never short, never for an hour', async () => {
    const result = await runner().runModule(path.join(fixtures, 'sleep.wasm'), makeSandbox({ timeoutMs: 10_000 }));
    expect([result.timedOut, result.exitCode]).toEqual([false, 0]);
    expect(result.stdout.text).toBe(
      [
        'nanosleep 50ms: ok',
        'monotonic deadline +100ms: ok',
        'realtime deadline +100ms: ok',
        'past deadline: ok',
        'nanosleep 0.5ms: ok',
        '',
      ].join('\n'),
    );
    expect(result.durationMs).toBeLessThan(5_000);
  });

  it('lists `.` and `..` in a folder, as wasmtime and the adapter do', async () => {
    const result = await runner().runModule(path.join(fixtures, 'list-dir.wasm'), makeSandbox({ dirs: [{ host: data, guest: '/data' }] }));
    expect([result.exitCode, result.stdout.text]).toEqual([0, '.\n..\nnotes.txt\nsub\n4 entries\n']);
  });

  it('poll() finds stdin (a file, or empty) readable and stdout writable at once', async () => {
    const withInput = await runner().runModule(path.join(fixtures, 'poll-stdio.wasm'), makeSandbox({ stdinFile: input }));
    expect([withInput.exitCode, withInput.stdout.text]).toEqual([0, 'poll: 2 ready, stdin readable, stdout writable\nfrom stdin\n']);
    const empty = await runner().runModule(path.join(fixtures, 'poll-stdio.wasm'), makeSandbox());
    expect([empty.exitCode, empty.stdout.text]).toEqual([0, 'poll: 2 ready, stdin readable, stdout writable\n']);
  });

  it('fcntl(F_GETFL) gives WASI fdflags (append), not the host fcntl bits (O_RDWR read as dsync)', async () => {
    const dir = path.join(work, 'flags');
    await mkdir(dir);
    const result = await runner().runModule(path.join(fixtures, 'fd-flags.wasm'), makeSandbox({ dirs: [{ host: dir, guest: '/data' }] }));
    expect([result.exitCode, result.stdout.text]).toEqual([
      0,
      'read-write: none\nread-append: append\nwrite-append: append\nfolder: none\n',
    ]);
  });
});

describe('embedded P2 host (preview2-shim)', () => {
  it('poll() through the adapter finds stdin ready, as the P1 host and wasmtime do', async () => {
    const adapter = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
    const component = path.join(work, 'poll-stdio.component.wasm');
    const module = await readFile(path.join(fixtures, 'poll-stdio.wasm'));
    await writeFile(component, await componentNew(module, [['wasi_snapshot_preview1', adapter]]));
    const result = await runner().runComponent(component, makeSandbox({ stdinFile: input, timeoutMs: 10_000 }));
    expect([result.exitCode, result.stdout.text]).toEqual([0, 'poll: 2 ready, stdin readable, stdout writable\nfrom stdin\n']);
  });
});

describe('a deviation node:wasi keeps (file times to whole seconds) is attributed to the hosts', () => {
  for (const { name, options: runtime, skip } of CHECK_RUNTIMES) {
    it.skipIf(skip !== undefined)(`${name}: file-times.wasm sets a time with nanoseconds and prints it back`, async () => {
      const dir = path.join(work, `times-${name}`);
      await mkdir(dir);
      const report = await check({
        patterns: ['file-times.wasm'],
        cwd: fixtures,
        ...runtime,
        sandbox: makeSandbox({ dirs: [{ host: dir, guest: '/data' }], timeoutMs: 60_000 }),
        workDir: path.join(work, `check-times-${name}`),
      });
      const [result] = report.results;
      if (name === 'wasmtime') {
        // One engine for both runs keeps the nanoseconds: nothing differs.
        expect(result!.verdict).toBe('PASS');
        expect(result!.p1!.stdout.text).toBe('mtime 1700000000.987654321\n');
      } else {
        expect(result!.p1!.stdout.text).toBe('mtime 1700000000.000000000\n');
        expect(result!.diagnoses[0]?.signatureId).toBe('p1-host-file-times-seconds');
        expect(result!.diagnoses[0]!.evidence.join('\n')).toMatch(/node:wasi/);
      }
    });
  }
});
