/**
 * Turning the configured sandbox (paths the configuration names, which point at untrusted data) into one the runners
 * can hand to a guest: checked once, before any artifact runs, and snapshotted (see safe-fs.ts for the rules).
 * Errors are `SandboxInputError`s naming the file and the reason: usage-level, never an artifact's verdict.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Preopen, Sandbox } from '../model.js';
import { checkEntryCount, copyBudget, copyTreeSafely, readRegularFile, resolveGranted, SandboxInputError } from '../guard/safe-fs.js';
import { limitsOf } from '../guard/limits.js';

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
  const reals: { real: string; shown: string }[] = [];
  for (const dir of sandbox.dirs) {
    await asInputError('dirs', dir.host, async () => {
      reals.push({ real: await resolveGranted(dir.host, cwd, 'preopen'), shown: dir.host });
    });
  }
  // One scan of all the folders before anything is copied: every run copies each entry again.
  await asInputError('dirs', sandbox.dirs.map((d) => d.host).join(', '), () => checkEntryCount(reals, limits.entries));
  const budget = copyBudget(limits);
  for (const [i, { real, shown }] of reals.entries()) {
    const target = path.join(root, `dir-${i}`);
    await asInputError('dirs', shown, () => copyTreeSafely(real, target, shown, budget));
    dirs.push({ host: target, guest: sandbox.dirs[i]!.guest });
  }
  return { ...sandbox, dirs, ...(stdinFile !== undefined ? { stdinFile } : {}) };
}

async function asInputError(option: string, given: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (e) {
    const error = e instanceof SandboxInputError ? e : new SandboxInputError(`${option} ${given}: ${(e as Error).message}`);
    error.option = option;
    throw error;
  }
}
