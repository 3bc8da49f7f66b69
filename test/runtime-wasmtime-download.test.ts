/**
 * Downloads the checker trusts (src/runtime/wasmtime/download.ts, cache.ts), against a local HTTP server on 127.0.0.1:
 * a transient failure then success, a truncated body, a corrupted file (pinned and recorded sha256), and archives with
 * entries that would land outside the folder they are extracted into. Before (issue 17): one attempt, no integrity
 * check, and `tar -xf` as given.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkArchiveEntries, folderCache } from '../src/runtime/wasmtime/cache.js';
import { fetchToFile, verifyAsset } from '../src/runtime/wasmtime/download.js';

let work: string;
let server: Server;
let base: string;
/** How many times each path was asked for. */
const hits = new Map<string, number>();
const BODY = Buffer.from('wasmtime release bytes '.repeat(4096));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'p2c-download-'));
  server = createServer((req, res) => {
    const url = req.url ?? '';
    const n = (hits.get(url) ?? 0) + 1;
    hits.set(url, n);
    const full = () => {
      res.writeHead(200, { 'content-length': BODY.length });
      res.end(BODY);
    };
    const cut = () => {
      // Announces the whole body, sends half of it, then closes the connection.
      res.writeHead(200, { 'content-length': BODY.length });
      res.write(BODY.subarray(0, BODY.length / 2), () => res.socket?.destroy());
    };
    if (url === '/ok') return full();
    if (url === '/flaky') {
      if (n === 1) {
        res.writeHead(503, { 'retry-after': '0' });
        return res.end('busy');
      }
      return full();
    }
    if (url === '/reset-once') return n === 1 ? req.socket.destroy() : full();
    if (url === '/truncated') return cut();
    if (url === '/truncated-once') return n === 1 ? cut() : full();
    if (url === '/corrupted') {
      const bad = Buffer.from(BODY);
      bad.writeUInt8(bad.readUInt8(100) ^ 0xff, 100);
      res.writeHead(200, { 'content-length': bad.length });
      return res.end(bad);
    }
    res.writeHead(404);
    res.end('Not Found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  await rm(work, { recursive: true, force: true });
});
beforeEach(() => hits.clear());

const fast = { attempts: 3, backoffMs: 10 };
let n = 0;
const dest = () => path.join(work, `f-${++n}`);

describe('downloads are retried on transient failures only', () => {
  it('HTTP 503 then 200: downloaded on the second attempt', async () => {
    const file = dest();
    await fetchToFile(`${base}/flaky`, file, fast);
    expect(await readFile(file)).toEqual(BODY);
    expect(hits.get('/flaky')).toBe(2);
  });

  it('a connection reset then 200: downloaded on the second attempt', async () => {
    const file = dest();
    await fetchToFile(`${base}/reset-once`, file, fast);
    expect(await readFile(file)).toEqual(BODY);
    expect(hits.get('/reset-once')).toBe(2);
  });

  it('a truncated body (shorter than its Content-Length) is never taken: tried again, then refused', async () => {
    const once = dest();
    await fetchToFile(`${base}/truncated-once`, once, fast);
    expect(await readFile(once)).toEqual(BODY);
    await expect(fetchToFile(`${base}/truncated`, dest(), fast)).rejects.toThrow(/cut.*\(after 3 attempts\)/);
    expect(hits.get('/truncated')).toBe(3);
  });

  it('HTTP 404 is not tried again', async () => {
    await expect(fetchToFile(`${base}/missing`, dest(), fast)).rejects.toMatchObject({ status: 404 });
    expect(hits.get('/missing')).toBe(1);
  });
});

describe('downloads are verified by sha256', () => {
  const what = (url: string) => ({ version: '49.0.4', asset: 'wasmtime-v49.0.4-x86_64-linux.tar.xz', url });
  const table = { 'v49.0.4/wasmtime-v49.0.4-x86_64-linux.tar.xz': sha(BODY) };

  it('a corrupted file is refused against the pinned sha256; the published one passes', async () => {
    const good = dest();
    await fetchToFile(`${base}/ok`, good, fast);
    expect(await verifyAsset(good, what(`${base}/ok`), undefined, () => undefined, table)).toBe(sha(BODY));
    const bad = dest();
    await fetchToFile(`${base}/corrupted`, bad, fast);
    await expect(verifyAsset(bad, what(`${base}/corrupted`), undefined, () => undefined, table)).rejects.toThrow(
      /has sha256 [0-9a-f]{64}, expected [0-9a-f]{64} \(pinned by wasm-p2-check\)/,
    );
  });

  it('a release it does not know: recorded on first use with a warning; a later different file is refused', async () => {
    const cache = folderCache(path.join(work, 'cache'), { retry: fast });
    const logs: string[] = [];
    const first = await cache.download(`${base}/ok`);
    await verifyAsset(first, what(`${base}/ok`), { recorded: cache.recorded!, record: cache.record! }, (m) => logs.push(m), {});
    expect(logs.join('\n')).toMatch(/^warning: wasmtime v49\.0\.4 is not a release wasm-p2-check knows.*recorded/);
    const again = await cache.download(`${base}/ok`);
    await verifyAsset(again, what(`${base}/ok`), { recorded: cache.recorded!, record: cache.record! }, (m) => logs.push(m), {});
    expect(logs).toHaveLength(1);
    const bad = await cache.download(`${base}/corrupted`);
    await expect(
      verifyAsset(bad, what(`${base}/corrupted`), { recorded: cache.recorded!, record: cache.record! }, () => undefined, {}),
    ).rejects.toThrow(/recorded when it was first downloaded/);
  });
});

describe('archives are extracted without path traversal', () => {
  it('refuses an entry that steps out (..) or is absolute, and a link that points out, before extracting anything', async () => {
    const src = await mkdtemp(path.join(work, 'arch-'));
    await mkdir(path.join(src, 'a'));
    await writeFile(path.join(src, 'a', 'x'), 'escaped');
    const dotdot = path.join(src, 'dotdot.tar');
    execFileSync('tar', ['-cPf', dotdot, '-C', path.join(src, 'a'), '../a/x']);
    const absolute = path.join(src, 'absolute.tar');
    execFileSync('tar', ['-cPf', absolute, path.join(src, 'a', 'x')]);
    await symlink('/etc', path.join(src, 'a', 'link'));
    const link = path.join(src, 'link.tar');
    execFileSync('tar', ['-cf', link, '-C', path.join(src, 'a'), 'link']);
    await expect(checkArchiveEntries(dotdot)).rejects.toThrow(/entry "\.\.\/a\/x" is a "\.\." step/);
    await expect(checkArchiveEntries(absolute)).rejects.toThrow(/is an absolute path/);
    await expect(checkArchiveEntries(link)).rejects.toThrow(/link to "\/etc", an absolute path/);
    const cache = folderCache(path.join(work, 'cache-x'));
    await expect(cache.extract(dotdot, 'tar.xz')).rejects.toThrow(/refused/);
    expect(existsSync(path.join(work, 'cache-x', 'tmp'))).toBe(false); // nothing was extracted
    // A plain release-shaped archive still extracts.
    const fine = path.join(src, 'fine.tar.xz');
    execFileSync('tar', ['-cJf', fine, '-C', src, 'a/x']);
    expect(await readFile(path.join(await cache.extract(fine, 'tar.xz'), 'a', 'x'), 'utf8')).toBe('escaped');
  });
});
