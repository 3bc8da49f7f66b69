import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterWasiVersion } from '../src/convert/adapter.js';
import { inspectBytes } from '../src/inspect/index.js';

const root = path.resolve(import.meta.dirname, '..');

describe('adapterWasiVersion', () => {
  it.each(['command', 'reactor'])('reads the highest wasi:*@0.2.x the bundled %s adapter (jco 1.35.0) imports', async (kind) => {
    const bytes = await readFile(path.join(root, 'adapters', `wasi_snapshot_preview1.${kind}.wasm`));
    const versions = new Set(inspectBytes('adapter', bytes).module?.imports.map((i) => i.module.split('@')[1]));
    expect(versions).toContain('0.2.12');
    expect(adapterWasiVersion(bytes)).toBe('0.2.12');
  });
});
