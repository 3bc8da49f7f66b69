import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalHostEnv } from '../src/guard/env.js';
import { copyPreopens, readTail, runSandboxedProcess } from '../src/runtime/process.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2c-proc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const node = process.execPath;
const base = () => ({ env: minimalHostEnv(), cwd: dir, timeoutMs: 10_000, outputCapBytes: 1024, scratchDir: join(dir, 'scratch') });

describe('runSandboxedProcess', () => {
  it('captures stdout/stderr through files and the exit code', async () => {
    const r = await runSandboxedProcess({
      ...base(),
      command: node,
      args: ['-e', 'process.stdout.write("out"); process.stderr.write("err"); process.exit(3)'],
    });
    expect(r).toMatchObject({ exitCode: 3, timedOut: false, stdout: { text: 'out', bytes: 3, truncated: false } });
    expect(r.stderr.text).toBe('err');
    expect(await readFile(r.stdoutFile, 'utf8')).toBe('out');
  });

  it('gives the child a regular file as stdout/stderr, not a pipe', async () => {
    const r = await runSandboxedProcess({
      ...base(),
      command: node,
      args: ['-e', 'const fs = require("fs"); process.stdout.write([1, 2].map((fd) => fs.fstatSync(fd).isFile()).join(","))'],
    });
    expect(r.stdout.text).toBe('true,true');
  });

  it('passes only the given environment', async () => {
    process.env.P2C_SECRET_TEST = 'leak';
    const r = await runSandboxedProcess({
      ...base(),
      env: { ...minimalHostEnv(), ONLY: '1' },
      command: node,
      args: ['-e', 'process.stdout.write(JSON.stringify(process.env))'],
    });
    delete process.env.P2C_SECRET_TEST;
    const env = JSON.parse(r.stdout.text) as Record<string, string>;
    expect(env.ONLY).toBe('1');
    expect(env.P2C_SECRET_TEST).toBeUndefined();
    expect(env.HOME).toBeUndefined();
  });

  it('feeds stdin from a file, or empty stdin', async () => {
    const input = join(dir, 'in.txt');
    await writeFile(input, 'hello stdin');
    const echo = ['-e', 'process.stdin.pipe(process.stdout)'];
    const a = await runSandboxedProcess({ ...base(), command: node, args: echo, stdinFile: input });
    expect(a.stdout.text).toBe('hello stdin');
    const b = await runSandboxedProcess({ ...base(), command: node, args: echo });
    expect(b).toMatchObject({ exitCode: 0, stdout: { text: '', bytes: 0 } });
  });

  it('caps what it keeps but counts every byte (big output is not lost to a pipe)', async () => {
    const r = await runSandboxedProcess({
      ...base(),
      outputCapBytes: 100,
      command: node,
      args: ['-e', 'process.stdout.write("é".repeat(200000)); process.stderr.write("x\\nlast line\\n")'],
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.bytes).toBe(400000);
    expect(r.stdout.truncated).toBe(true);
    expect(r.stdout.text).toBe('é'.repeat(50));
    expect(await readTail(r.stderrFile, 6)).toBe(''); // a partial first line is dropped
    expect(await readTail(r.stderrFile, 11)).toBe('last line\n');
    expect(await readTail(r.stderrFile, 100)).toBe('x\nlast line\n');
  });

  it('kills the whole process group on timeout', async () => {
    const marker = join(dir, 'grandchild-alive');
    // the child starts a grandchild that would write the marker after 1.5 s, then both hang
    const script = `
      const { spawn } = require('node:child_process');
      spawn(process.execPath, ['-e', 'setTimeout(() => require("fs").writeFileSync(${JSON.stringify(marker)}, "x"), 1500)'], { stdio: 'ignore' });
      setInterval(() => {}, 1000);`;
    const t0 = Date.now();
    const r = await runSandboxedProcess({ ...base(), timeoutMs: 500, command: node, args: ['-e', script] });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(r.signal).toBe('SIGKILL');
    expect(Date.now() - t0).toBeLessThan(5000);
    await new Promise((ok) => setTimeout(ok, 1800));
    await expect(readFile(marker)).rejects.toThrow();
  });

  it('kills a process whose output files outgrow the hard limit (a guest printing in a loop)', async () => {
    const r = await runSandboxedProcess({
      ...base(),
      timeoutMs: 20_000,
      maxOutputFileBytes: 2 * 1024 * 1024,
      command: node,
      args: ['-e', 'const b = Buffer.alloc(65536, 120); for (;;) require("fs").writeSync(1, b)'],
    });
    expect(r.outputLimitExceeded).toBe(true);
    expect(r.timedOut).toBe(false);
    expect(r.durationMs).toBeLessThan(15_000);
    expect(r.stdout.truncated).toBe(true);
  });

  it('reports a command that cannot start as spawnError', async () => {
    const r = await runSandboxedProcess({ ...base(), command: join(dir, 'no-such-binary'), args: [] });
    expect(r.exitCode).toBeNull();
    expect(r.spawnError).toMatch(/ENOENT/);
  });
});

describe('copyPreopens', () => {
  it('gives each run a fresh copy', async () => {
    const src = join(dir, 'data');
    await mkdir(join(src, 'sub'), { recursive: true });
    await writeFile(join(src, 'sub', 'f.txt'), 'orig');
    const [a] = await copyPreopens([{ host: src, guest: '/data' }], join(dir, 'run1'));
    const [b] = await copyPreopens([{ host: src, guest: '/data' }], join(dir, 'run2'));
    expect(a!.guest).toBe('/data');
    expect(a!.host).not.toBe(src);
    await writeFile(join(a!.host, 'sub', 'f.txt'), 'changed by run 1');
    expect(await readFile(join(b!.host, 'sub', 'f.txt'), 'utf8')).toBe('orig');
    expect(await readFile(join(src, 'sub', 'f.txt'), 'utf8')).toBe('orig');
  });

  it('fails clearly on a missing directory', async () => {
    await expect(copyPreopens([{ host: join(dir, 'nope'), guest: '/x' }], dir)).rejects.toThrow(/does not exist/);
  });
});
