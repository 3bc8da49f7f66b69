/**
 * Turning the configured sandbox (paths the configuration names, which point at untrusted data) into one the runners
 * can hand to a guest: checked once, before any artifact runs, and snapshotted (see safe-fs.ts for the rules).
 * Errors are `SandboxInputError`s naming the file and the reason: usage-level, never an artifact's verdict.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Preopen, Sandbox } from '../model.js';
import { copyTreeSafely, readRegularFile, resolveGranted, SandboxInputError } from './safe-fs.js';
import { limitsOf } from './limits.js';

/**
 * Validates and snapshots the stdin file and the preopen folders into `workDir`: the returned sandbox points at
 * copies that hold only regular files and folders. Runners copy these again per run (fresh for each phase).
 * @throws SandboxInputError with `option` naming the input (`stdin`, `dirs`) that cannot be used as given, whatever
 *   went wrong while reading or copying it (a refused link or special file, a limit, a path too long to copy): a
 *   usage-level error that check() makes the report's `configurationError` (the report and outputs are still written).
 */
export async function prepareSandbox(sandbox: Sandbox, cwd: string, workDir: string): Promise<Sandbox> {
  const limits = limitsOf(sandbox);
  await mkdir(workDir, { recursive: true });
  const root = await mkdtemp(path.join(workDir, 'sandbox-'));
  let stdinFile: string | undefined;
  if (sandbox.stdinFile !== undefined) {
    const given = sandbox.stdinFile;
    const copy = path.join(root, 'stdin');
    await asInputError('stdin', given, async () => {
      const real = await resolveGranted(given, cwd, 'stdin file');
      await writeFile(copy, await readRegularFile(real, limits.stdinBytes, 'stdin file'), { mode: 0o600 });
    });
    stdinFile = copy;
  }
  const dirs: Preopen[] = [];
  const budget = { bytes: limits.diskBytes, limitBytes: limits.diskBytes };
  for (const [i, dir] of sandbox.dirs.entries()) {
    const target = path.join(root, `dir-${i}`);
    await asInputError('dirs', dir.host, async () => {
      const real = await resolveGranted(dir.host, cwd, 'preopen');
      await copyTreeSafely(real, target, dir.host, budget);
    });
    dirs.push({ host: target, guest: dir.guest });
  }
  return { ...sandbox, dirs, ...(stdinFile !== undefined ? { stdinFile } : {}) };
}

async function asInputError(option: string, given: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    const error = e instanceof SandboxInputError ? e : new SandboxInputError(`${option} ${given}: ${(e as Error).message}`);
    error.option = option;
    throw error;
  }
}
