/**
 * A wasmtime release mirror on loopback (what `--wasmtime-download-url` points an air-gapped runner at), serving the
 * real adapters vendored in test/fixtures/adapters as `/v{release}/wasi_snapshot_preview1.{kind}.wasm`. They are
 * jco's builds of each release's adapter source (test/fixtures/adapters/releases.json), not wasmtime's release bytes;
 * only adapters are served, never an engine.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

export interface VendoredAdapter {
  jco: string;
  release: string;
  dir: string;
}

export const vendoredAdapters: VendoredAdapter[] = JSON.parse(
  await readFile(path.join(root, 'test/fixtures/adapters/releases.json'), 'utf8'),
).adapters;

export interface AdapterMirror {
  url: string;
  /** Paths asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves the adapters of `releases` (default: every vendored one); anything else is a 404. */
export async function startAdapterMirror(releases: string[] = vendoredAdapters.map((a) => a.release)): Promise<AdapterMirror> {
  const files = new Map<string, Buffer>();
  for (const a of vendoredAdapters.filter((v) => releases.includes(v.release))) {
    for (const kind of ['command', 'reactor']) {
      const name = `wasi_snapshot_preview1.${kind}.wasm`;
      files.set(`/v${a.release}/${name}`, await readFile(path.join(root, a.dir, name)));
    }
  }
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    const body = files.get(url);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
