/**
 * Removing the checker's scratch folders, which hold what guests wrote: never throws (a leftover must not cost a
 * verdict or the report), and reaches any depth. A guest on a host that walks folders one `openat` at a time
 * (wasmtime's cap-std) can nest folders past PATH_MAX, where Node's path-based `fs.rm` fails with ENAMETOOLONG; the
 * system's `rm -rf` (fts: one folder at a time, by descriptor) removes such a tree, so it is the fallback.
 */
import { execFile, spawnSync } from 'node:child_process';
import { type Dirent, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';

/** How long the system's `rm -rf` may take for one folder when Node's own removal failed. */
const RM_TIMEOUT_MS = 120_000;

/** Removes `dir` and everything in it (nothing when it does not exist). Never throws; false when something is left. */
export async function removeTree(dir: string): Promise<boolean> {
  try {
    await rm(dir, { recursive: true, force: true });
    return true;
  } catch {
    if (process.platform === 'win32') return false;
    return new Promise((resolve) => {
      execFile('rm', ['-rf', '--', dir], { timeout: RM_TIMEOUT_MS }, (error) => resolve(error === null));
    });
  }
}

/**
 * Removes a folder tree synchronously, giving up at `deadline` (Date.now() time) with the rest left in place; what
 * Node cannot reach (a path past PATH_MAX) goes to the system's `rm -rf` for the time left. Never throws.
 */
export function removeTreeSync(root: string, deadline: number): boolean {
  const complete = removeWalkSync(root, deadline);
  if (complete || process.platform === 'win32' || Date.now() >= deadline) return complete;
  return spawnSync('rm', ['-rf', '--', root], { timeout: deadline - Date.now(), stdio: 'ignore' }).status === 0;
}

function removeWalkSync(root: string, deadline: number): boolean {
  // Depth-first without recursion (a guest can nest folders thousands deep): each folder is visited, its files
  // removed and its subfolders pushed; a folder is removed once it is met again on the way back up.
  const stack: { dir: string; visited: boolean }[] = [{ dir: root, visited: false }];
  let complete = true;
  const gone = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';
  while (stack.length > 0) {
    if (Date.now() > deadline) return false;
    const top = stack[stack.length - 1]!;
    if (top.visited) {
      stack.pop();
      try {
        rmdirSync(top.dir);
      } catch (e) {
        if (!gone(e)) complete = false;
      }
      continue;
    }
    top.visited = true;
    let entries: Dirent[];
    try {
      entries = readdirSync(top.dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') {
        stack.pop();
        try {
          unlinkSync(top.dir);
        } catch {
          complete = false;
        }
      } else if (!gone(e)) complete = false;
      continue;
    }
    for (const entry of entries) {
      const file = path.join(top.dir, entry.name);
      if (entry.isDirectory()) stack.push({ dir: file, visited: false });
      else {
        try {
          unlinkSync(file);
        } catch (e) {
          if (!gone(e)) complete = false;
        }
        if (Date.now() > deadline) return false;
      }
    }
  }
  return complete;
}
