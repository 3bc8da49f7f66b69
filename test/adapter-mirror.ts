/**
 * A wasmtime release mirror on loopback (what `--wasmtime-download-url` points an air-gapped runner at), serving the
 * real adapters vendored in test/fixtures/adapters as `/v{release}/wasi_snapshot_preview1.{kind}.wasm`. They are
 * jco's builds of each release's adapter source (test/fixtures/adapters/releases.json), not wasmtime's release bytes;
 * only adapters are served, never an engine.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type FileServer, serveFiles } from './file-server.js';

const root = path.resolve(import.meta.dirname, '..');

export interface VendoredAdapter {
  jco: string;
  release: string;
  dir: string;
}

export const vendoredAdapters: VendoredAdapter[] = JSON.parse(
  await readFile(path.join(root, 'test/fixtures/adapters/releases.json'), 'utf8'),
).adapters;

export type AdapterMirror = FileServer;

/** Serves the adapters of `releases` (default: every vendored one); anything else is a 404. */
export async function startAdapterMirror(releases: string[] = vendoredAdapters.map((a) => a.release)): Promise<AdapterMirror> {
  const files = new Map<string, Buffer>();
  for (const a of vendoredAdapters.filter((v) => releases.includes(v.release))) {
    for (const kind of ['command', 'reactor']) {
      const name = `wasi_snapshot_preview1.${kind}.wasm`;
      files.set(`/v${a.release}/${name}`, await readFile(path.join(root, a.dir, name)));
    }
  }
  return serveFiles(files);
}
