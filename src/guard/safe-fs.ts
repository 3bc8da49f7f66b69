/**
 * Reading untrusted files without being led astray: everything the configuration points at (preopen folders, the
 * stdin file, artifacts) may come from a pull request, and may be a symbolic link to `/proc`, a FIFO that never ends
 * or a sparse file of a terabyte. The rules, in one place:
 *
 * - **lstat first.** Only regular files and folders are carried anywhere. FIFOs, sockets and devices are refused by
 *   their type, before they are opened (no read of a FIFO or device ever starts).
 * - **Files are opened `O_NOFOLLOW | O_NONBLOCK`** and checked again with fstat, so a file swapped for a link or a
 *   FIFO after the lstat is refused too, and opening a FIFO can never block.
 * - **Symbolic links are not followed out of where they were granted.** A link inside a preopen folder is carried as
 *   a copy of its target only when the target is a regular file inside that folder; any other link (absolute, with
 *   `..` out of the folder, to `/proc` or `/dev`, to a folder — including the folder itself —, dangling) refuses the run
 *   with an error naming the link. A path the configuration names that lies inside the workspace may itself be (or
 *   pass through) a link only when the link stays inside the workspace. Host pseudo file systems (`/proc`, `/sys`,
 *   `/dev`) are never data.
 * - **Where an open led is checked** (Linux, /proc/self/fd): a folder swapped for a link after the walk listed it
 *   (by a process the pull request left running) cannot lead a copy out of the granted folder.
 * - **Copies are independent.** Hard links inside a folder become independent copies (the guest's writes through one
 *   name never reach another file or the original).
 * - **Sizes are capped** while reading, not only by what stat claims.
 */
import { constants, type PathLike, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, realpath, utimes, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** A file or folder named by the configuration cannot be used safely: a usage-level error, raised before any run. */
export class SandboxInputError extends Error {
  override name = 'SandboxInputError';
  /** The option that named the file (e.g. `stdin`, `dirs`), when known: check() reports it as a configuration error. */
  option?: string;
}

/** Refusal of one file, with the reason alone (e.g. 'is a FIFO (named pipe): only regular files are accepted'). */
export class UnsafeFileError extends SandboxInputError {
  override name = 'UnsafeFileError';
  constructor(
    readonly file: string,
    readonly reason: string,
    what: string,
  ) {
    super(`${what} ${file} ${reason}`);
  }
}

/** Host pseudo file systems: never data, never followed into. */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

/** Flags for opening an untrusted file: no final symlink, never block (a FIFO opens at once and is then refused). */
const SAFE_READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3 && n % 1024 ** 3 === 0) return `${n / 1024 ** 3} GiB`;
  if (n >= 1024 ** 2 && n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** What kind of file system object `st` is, as words for an error message. */
export function describeType(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a folder';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'a special file';
}

/** `inner` is `root` or below it (both absolute, normalised). */
export function isInside(root: string, inner: string): boolean {
  const rel = path.relative(root, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function isPseudo(real: string): boolean {
  return process.platform !== 'win32' && PSEUDO_ROOTS.some((root) => isInside(root, real));
}

/**
 * Resolves a path the configuration names (`what`: e.g. "--stdin", "preopen"), relative to the workspace `cwd`, to
 * its real path. Refused: missing, a host pseudo file system, and — when the path as written lies inside the
 * workspace — a link (in any component) that leads out of the workspace.
 */
export async function resolveGranted(given: string, cwd: string, what: string): Promise<string> {
  const abs = path.resolve(cwd, given);
  let real: string;
  try {
    real = await realpath(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist (or is a dangling link)' : code === 'ELOOP' ? 'is a symbolic link loop' : (e as Error).message;
    throw new SandboxInputError(`${what} ${given} ${why}`);
  }
  if (isPseudo(real)) {
    throw new SandboxInputError(
      `${what} ${given} resolves to ${real}: host pseudo file systems (/proc, /sys, /dev) are never given to a guest`,
    );
  }
  const workspace = path.resolve(cwd);
  if (isInside(workspace, abs)) {
    const realWorkspace = await realpath(workspace).catch(() => workspace);
    if (!isInside(realWorkspace, real)) {
      throw new SandboxInputError(
        `${what} ${given} is, or passes through, a symbolic link to ${real}, ` +
          `outside the workspace ${workspace}: links are not followed out of the workspace`,
      );
    }
  }
  return real;
}

/** Opens `real` (already resolved) for reading; refuses anything but a regular file, without blocking. */
async function openRegular(real: PathLike, shown: string, what: string): Promise<{ fh: FileHandle; st: Stats }> {
  const before = await lstat(real);
  if (!before.isFile()) throw new UnsafeFileError(shown, `is ${describeType(before)}: only regular files are accepted`, what);
  return openChecked(real, shown, what);
}

/** Opens `real`, found a regular file by lstat, with no final link and without blocking; fstat checks it still is. */
async function openChecked(real: PathLike, shown: string, what: string): Promise<{ fh: FileHandle; st: Stats }> {
  let fh: FileHandle;
  try {
    fh = await open(real, SAFE_READ_FLAGS);
  } catch (e) {
    throw new UnsafeFileError(shown, `cannot be opened: ${(e as Error).message}`, what);
  }
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw new UnsafeFileError(shown, `is ${describeType(st)}: only regular files are accepted`, what);
  }
  return { fh, st };
}

/** Where an open file really is (Linux: /proc/self/fd/N); undefined where that cannot be read. */
async function openedPath(fd: number): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  return readlink(`/proc/self/fd/${fd}`).catch(() => undefined);
}

/**
 * Opens a regular file below `root` (real path) to copy it, and checks where the open really led. O_NOFOLLOW guards
 * only the last component: a folder on the path that was swapped for a link after the walk listed it (a pull
 * request's build step can leave a process running beside the checker) would lead the open out of the folder.
 * `known`: the caller has just taken the lstat (a walk), so it is not taken again.
 */
export async function openInside(file: PathLike, root: string, shown: string, what: string, known = false) {
  const opened = known ? await openChecked(file, shown, what) : await openRegular(file, shown, what);
  const at = await openedPath(opened.fh.fd);
  if (at !== undefined && !isInside(root, at)) {
    await opened.fh.close();
    throw new UnsafeFileError(
      shown,
      `leads out of the granted folder (to ${at}): a folder on its path was replaced by a link while it was copied`,
      what,
    );
  }
  return opened;
}

/** Reads at most `maxBytes` from an open file; more than that (whatever stat said) refuses it. */
async function readCappedWhole(fh: FileHandle, maxBytes: number, shown: string, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes - total + 1));
    const { bytesRead } = await fh.read(buf, 0, buf.length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > maxBytes) throw new UnsafeFileError(shown, `is larger than the limit of ${formatBytes(maxBytes)}`, what);
    chunks.push(buf.subarray(0, bytesRead));
  }
  return Buffer.concat(chunks, total);
}

/**
 * Reads a whole untrusted file: a regular file, or a symbolic link that ends at one; at most `maxBytes` (checked by
 * stat before reading and while reading). Throws `SandboxInputError` naming the file and the limit.
 */
export async function readRegularFile(file: string, maxBytes: number, what = 'file'): Promise<Buffer> {
  let real: string;
  try {
    real = await realpath(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UnsafeFileError(
      file,
      code === 'ENOENT' ? 'file not found' : code === 'ELOOP' ? 'is a symbolic link loop' : (e as Error).message,
      what,
    );
  }
  if (isPseudo(real)) throw new UnsafeFileError(file, `resolves to ${real}: host pseudo file systems are never read`, what);
  const { fh, st } = await openRegular(real, file, what);
  try {
    if (st.size > maxBytes) {
      throw new UnsafeFileError(file, `is ${st.size} bytes, larger than the limit of ${formatBytes(maxBytes)}`, what);
    }
    return await readCappedWhole(fh, maxBytes, file, what);
  } finally {
    await fh.close();
  }
}

/**
 * The limit on a saved report (a baseline, a report to merge or publish): other jobs' and other commits' files, so
 * untrusted like any input.
 */
export const MAX_SAVED_REPORT_BYTES = 256 * 1024 * 1024;

/** A saved report's text, read like any untrusted file (regular, no FIFO or device that blocks, size-capped). */
export async function readSavedReport(file: string, what = 'report', maxBytes = MAX_SAVED_REPORT_BYTES): Promise<string> {
  return (await readRegularFile(file, maxBytes, what)).toString('utf8');
}

/** Bytes and entries a copy may still use, and when it must be done; shared across the folders of one copy. */
export interface CopyBudget {
  bytes: number;
  /** The limit, for messages. */
  limitBytes: number;
  /** Entries (files, folders, links) still allowed. */
  entries: number;
  /** The limit, for messages. */
  limitEntries: number;
  /** performance.now() time by which the copy must be done (it stops there: `CopyTimeError`). */
  deadline?: number;
  /** The time limit behind `deadline`, for messages. */
  limitMs?: number;
}

/** A copy budget for the given limits, starting now. */
export function copyBudget(limits: { diskBytes: number; entries: number }, timeLimitMs?: number): CopyBudget {
  return {
    bytes: limits.diskBytes,
    limitBytes: limits.diskBytes,
    entries: limits.entries,
    limitEntries: limits.entries,
    ...(timeLimitMs !== undefined ? { deadline: performance.now() + timeLimitMs, limitMs: timeLimitMs } : {}),
  };
}

/** A run's copy of its preopens did not finish within the run's time limit. */
export class CopyTimeError extends SandboxInputError {
  override name = 'CopyTimeError';
  constructor(
    readonly limitMs: number,
    copied: number,
  ) {
    super(
      `copying the preopen folders for this run took longer than its time limit of ${limitMs / 1000} s ` +
        `(${copied} entries copied): it was stopped`,
    );
  }
}

/** Bytes charged per copied entry (file or folder) on top of its size: metadata is disk too. */
export const ENTRY_COST_BYTES = 512;

/** Which option sets the entry limit, for messages. */
const ENTRIES_OPTION = 'max-entries';

function entryLimitError(what: string, shown: string, limit: number): SandboxInputError {
  return new SandboxInputError(
    `${what} ${shown} takes the preopen folders past the limit of ${limit} entries ` +
      `(files, folders and links, all folders together; option ${ENTRIES_OPTION}): each run gets a fresh copy of every entry`,
  );
}

/**
 * Counts the entries below each folder (already resolved; no link is followed) in one scan, stopping as soon as
 * they pass the budget's entry limit, which refuses the folders before anything is copied.
 */
export async function checkEntryCount(roots: { real: string; shown: string }[], limit: number, what = 'preopen'): Promise<number> {
  let count = 0;
  for (const root of roots) {
    const pending: (string | Buffer)[] = [root.real];
    while (pending.length > 0) {
      const dir = pending.pop()!;
      const entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
      count += entries.length;
      if (count > limit) throw entryLimitError(what, root.shown, limit);
      for (const entry of entries) if (entry.isDirectory()) pending.push(joinBytes(dir, entry.name));
    }
  }
  return count;
}

/** `dir`/`name` as bytes (a name need not be UTF-8). */
export function joinBytes(dir: string | Buffer, name: Buffer): Buffer {
  return Buffer.concat([typeof dir === 'string' ? Buffer.from(dir) : dir, Buffer.from(path.sep), name]);
}

/** Files of one folder copied at once (the copy is I/O-bound: many small files wait on the file system, not the CPU). */
const COPY_CONCURRENCY = 8;

/** Waits for all; the first failure in the given order is thrown (the entry a refusal names does not depend on timing). */
async function allInOrder(work: Promise<void>[]): Promise<void> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Copies one regular file. `known` is the lstat of `real` when the caller has it (a folder walk): it is not taken
 * again; the open (no final link, non-blocking) and fstat still refuse a file swapped since.
 */
async function copyRegularFile(
  root: string,
  real: PathLike,
  target: PathLike,
  st: Stats,
  shown: string,
  budget: CopyBudget,
  what: string,
  known = false,
): Promise<void> {
  const { fh } = await openInside(real, root, shown, what, known);
  try {
    budget.bytes -= ENTRY_COST_BYTES;
    if (st.size > budget.bytes) {
      throw new SandboxInputError(`${what}: copying ${shown} would exceed the disk limit of ${formatBytes(budget.limitBytes)}`);
    }
    // 'wx': a fresh file, never through an existing name; the copy keeps only the permission bits.
    const out = await open(target, 'wx', st.mode & 0o755);
    try {
      // Most files are small: a buffer of their size (the read still goes on to the end, whatever stat said).
      const buf = Buffer.allocUnsafe(Math.min(1024 * 1024, Math.max(64 * 1024, st.size + 1)));
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        budget.bytes -= bytesRead;
        if (budget.bytes < 0) {
          throw new SandboxInputError(`${what}: copying ${shown} would exceed the disk limit of ${formatBytes(budget.limitBytes)}`);
        }
        await out.write(buf, 0, bytesRead);
      }
      await out.utimes(st.atime, st.mtime);
    } finally {
      await out.close();
    }
  } finally {
    await fh.close();
  }
}

/**
 * Copies the folder `realRoot` (already resolved) to `target` (must not exist): regular files and folders only,
 * links handled as described at the top of this file; special files and escaping links throw `SandboxInputError`
 * naming the entry (`shownRoot` is the folder as the user named it). Entries count against `budget.entries` as they
 * are met, and the copy stops at `budget.deadline` (`CopyTimeError`).
 */
export async function copyTreeSafely(
  realRoot: string,
  target: string,
  shownRoot: string,
  budget: CopyBudget,
  what = 'preopen',
): Promise<void> {
  const rootSt = await lstat(realRoot);
  if (!rootSt.isDirectory()) throw new SandboxInputError(`${what} ${shownRoot} is ${describeType(rootSt)}, not a folder`);
  await walk(realRoot, target, shownRoot, rootSt);

  function checkTime(): void {
    if (budget.deadline !== undefined && performance.now() > budget.deadline) {
      throw new CopyTimeError(budget.limitMs ?? 0, budget.limitEntries - budget.entries);
    }
  }

  // Names are handled as bytes: a name that is not valid UTF-8 is copied as it is (as text it names no file).
  async function walk(dir: string | Buffer, out: string | Buffer, shownDir: string, st: Stats): Promise<void> {
    checkTime();
    budget.bytes -= ENTRY_COST_BYTES;
    if (budget.bytes < 0) throw new SandboxInputError(`${what} ${shownRoot} exceeds the disk limit of ${formatBytes(budget.limitBytes)}`);
    await mkdir(out);
    const entries = (await readdir(dir, { encoding: 'buffer' })).sort(Buffer.compare);
    budget.entries -= entries.length;
    if (budget.entries < 0) throw entryLimitError(what, shownRoot, budget.limitEntries);
    const subfolders: [Buffer, Buffer, string, Stats][] = [];
    // Files a few at a time; folders one after another (depth stays bounded by the tree, not multiplied).
    for (let i = 0; i < entries.length; i += COPY_CONCURRENCY) {
      checkTime();
      await allInOrder(
        entries.slice(i, i + COPY_CONCURRENCY).map(async (name) => {
          const src = joinBytes(dir, name);
          const dst = joinBytes(out, name);
          const shown = path.join(shownDir, name.toString());
          const est = await lstat(src);
          if (est.isDirectory()) subfolders.push([src, dst, shown, est]);
          else if (est.isFile()) await copyRegularFile(realRoot, src, dst, est, shown, budget, what, true);
          else if (est.isSymbolicLink()) await copyLinkedFile(src, dst, shown);
          else throw new SandboxInputError(`${what}: ${shown} is ${describeType(est)}; special files are never carried into the sandbox`);
        }),
      );
    }
    subfolders.sort(([a], [b]) => Buffer.compare(a, b));
    for (const [src, dst, shown, est] of subfolders) await walk(src, dst, shown, est);
    await utimes(out, st.atime, st.mtime);
  }

  async function copyLinkedFile(src: Buffer, dst: Buffer, shown: string): Promise<void> {
    let resolved: Buffer;
    try {
      resolved = await realpath(src, { encoding: 'buffer' });
    } catch {
      throw new SandboxInputError(`${what}: symbolic link ${shown} is dangling or a loop; links are not carried into the sandbox`);
    }
    // (as text, a byte that is not UTF-8 becomes U+FFFD, never '/' or '.': containment reads the same)
    if (!isInside(realRoot, resolved.toString())) {
      throw new SandboxInputError(
        `${what}: symbolic link ${shown} points outside the granted folder (to ${resolved}); links out of a preopen are never followed`,
      );
    }
    const tst = await lstat(resolved);
    if (!tst.isFile()) {
      throw new SandboxInputError(
        `${what}: symbolic link ${shown} points to ${describeType(tst)}; ` +
          `only links to regular files inside the folder are carried (as copies)`,
      );
    }
    await copyRegularFile(realRoot, resolved, dst, tst, shown, budget, what);
  }
}
