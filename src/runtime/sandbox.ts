/**
 * Turning the configured sandbox (paths the configuration names, which point at untrusted data) into one the runners
 * can hand to a guest: checked once, before any artifact runs, and snapshotted (see safe-fs.ts for the rules).
 * Errors are `SandboxInputError`s naming the file and the reason: usage-level, never an artifact's verdict.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Preopen, Sandbox } from '../model.js';
import { copyTreeSafely, readRegularFile, resolveGranted } from './safe-fs.js';
import { limitsOf } from './limits.js';

/**
 * Validates and snapshots the stdin file and the preopen folders into `workDir`: the returned sandbox points at
 * copies that hold only regular files and folders. Runners copy these again per run (fresh for each phase).
 */
export async function prepareSandbox(sandbox: Sandbox, cwd: string, workDir: string): Promise<Sandbox> {
  const limits = limitsOf(sandbox);
  await mkdir(workDir, { recursive: true });
  const root = await mkdtemp(path.join(workDir, 'sandbox-'));
  let stdinFile: string | undefined;
  if (sandbox.stdinFile !== undefined) {
    const real = await resolveGranted(sandbox.stdinFile, cwd, 'stdin file');
    const bytes = await readRegularFile(real, limits.stdinBytes, 'stdin file');
    stdinFile = path.join(root, 'stdin');
    await writeFile(stdinFile, bytes, { mode: 0o600 });
  }
  const dirs: Preopen[] = [];
  const budget = { bytes: limits.diskBytes, limitBytes: limits.diskBytes };
  for (const [i, dir] of sandbox.dirs.entries()) {
    const real = await resolveGranted(dir.host, cwd, 'preopen');
    const target = path.join(root, `dir-${i}`);
    await copyTreeSafely(real, target, dir.host, budget);
    dirs.push({ host: target, guest: dir.guest });
  }
  return { ...sandbox, dirs, ...(stdinFile !== undefined ? { stdinFile } : {}) };
}
