/**
 * The jco converter process (bundled to `jco-server.js`): jco's componentNew and transpile, run for the checker in one
 * long-lived child process (see jco-process.ts for why). Requests and answers go over the IPC channel (advanced
 * serialization: byte arrays are copied, not encoded). It ends when the checker goes away (the channel closes).
 */
import { transpileBytes } from '@bytecodealliance/jco-transpile';
import { componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JcoAnswer, JcoRequest } from './jco-protocol.js';

async function handle(request: JcoRequest): Promise<JcoAnswer> {
  try {
    if (request.op === 'componentNew') {
      const component = await componentNew(request.module, request.adapters);
      if (request.outPath === undefined) return { id: request.id, ok: true, component };
      await writeFile(request.outPath, component);
      return { id: request.id, ok: true, written: component.length };
    }
    const result = await transpileBytes(request.component, request.options);
    if (request.outDir === undefined) return { id: request.id, ok: true, files: result.files, exports: result.exports };
    const written: [string, string][] = [];
    for (const [name, content] of Object.entries(result.files)) {
      if (name.endsWith('.d.ts')) continue;
      if (path.isAbsolute(name) || name.split(/[\\/]/).includes('..')) throw new Error(`jco named a file outside the folder: ${name}`);
      const file = path.join(request.outDir, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      written.push([name, createHash('sha256').update(content).digest('hex')]);
    }
    return { id: request.id, ok: true, wroteFiles: written, js: result.files['component.js'], exports: result.exports };
  } catch (e) {
    // jco reports wit-component's error chain as an Error or as a plain string: keep which it was.
    return { id: request.id, ok: false, error: e instanceof Error ? { message: e.message } : String(e) };
  }
}

// One request at a time, each announced when taken up: the checker's time limit for it counts from there.
let queue: Promise<unknown> = Promise.resolve();
process.on('message', (request: JcoRequest) => {
  queue = queue.then(async () => {
    process.send?.({ id: request.id, started: true });
    process.send?.(await handle(request));
  });
});
process.on('disconnect', () => process.exit(0));
