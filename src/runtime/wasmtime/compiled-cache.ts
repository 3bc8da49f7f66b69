/**
 * wasmtime's compiled code, kept between runs: `wasmtime compile` output for a given file content, wasmtime build and
 * engine flags is the same every time, and compiling is most of a short run's cost (a Go module: seconds).
 *
 * A cached file is native code that `wasmtime run --allow-precompiled` executes, so it is only ever read from a folder
 * that is this user's own and writable by no one else, only as a regular file, and only when its content still has
 * the sha256 recorded beside it when it was stored (a truncated or altered entry is ignored and replaced). The key
 * holds the content's sha256, the wasmtime version, the binary (real path, size, modification time: a wasmtime
 * replaced in place is another engine) and the compile flags.
 */
import { createHash, randomUUID } from 'node:crypto';
import { copyFile, lstat, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { realpath } from 'node:fs/promises';
import path from 'node:path';

export interface CompiledCache {
  /** Copies the cached compiled code for `file` to `out`; false when there is none (or none that can be trusted). */
  fetch(file: string, out: string): Promise<boolean>;
  /** Keeps `compiled` (the output of compiling `file`) for later runs; failures to store are ignored. */
  store(file: string, compiled: string): Promise<void>;
}

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** The folder is usable only when it is a real folder of ours that no other user can write to. */
async function privateFolder(dir: string): Promise<boolean> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (!st.isDirectory()) return false;
  if (process.platform === 'win32') return true;
  return st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
}

export function compiledCache(dir: string, engine: { binary: string; version: string; flags: string[] }): CompiledCache {
  let engineId: Promise<string> | undefined;
  const engineKey = () => {
    engineId ??= (async () => {
      const binary = await realpath(engine.binary);
      const st = await stat(binary);
      return sha256(JSON.stringify(['wasmtime-compiled-v1', engine.version, binary, st.size, st.mtimeMs, engine.flags]));
    })();
    return engineId;
  };
  let usable: Promise<boolean> | undefined;
  const ready = () => {
    usable ??= privateFolder(dir).catch(() => false);
    return usable;
  };
  const entry = async (file: string) => {
    const key = sha256(`${await engineKey()}\0${sha256(await readFile(file))}`);
    return { code: path.join(dir, `${key}.cwasm`), sum: path.join(dir, `${key}.sha256`) };
  };

  return {
    async fetch(file, out) {
      try {
        if (!(await ready())) return false;
        const { code, sum } = await entry(file);
        const st = await lstat(code);
        if (!st.isFile() || (process.platform !== 'win32' && st.uid !== process.getuid?.())) return false;
        const bytes = await readFile(code);
        if (sha256(bytes) !== (await readFile(sum, 'utf8')).trim()) {
          await rm(code, { force: true });
          return false;
        }
        await writeFile(out, bytes);
        return true;
      } catch {
        return false; // no entry, or one that cannot be read: compile
      }
    },
    async store(file, compiled) {
      try {
        if (!(await ready())) return;
        const { code, sum } = await entry(file);
        // Written beside and renamed into place: a reader never sees half an entry.
        const tmp = path.join(dir, `.tmp-${randomUUID()}`);
        await copyFile(compiled, tmp);
        await writeFile(`${tmp}.sha256`, sha256(await readFile(tmp)), { mode: 0o600 });
        await rename(`${tmp}.sha256`, sum);
        await rename(tmp, code);
      } catch {
        // a full disk or a read-only cache folder only costs the next run a compile
      }
    },
  };
}
