import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { glob, isDynamicPattern } from 'tinyglobby';

export interface Discovered {
  /** Files found, relative to cwd when inside it, in a stable order, without duplicates. */
  files: string[];
  /** Literal paths (not globs) that do not exist: reported as INVALID-INPUT rather than silently dropped. */
  missing: string[];
  /** Globs that matched nothing. */
  emptyPatterns: string[];
  /**
   * Entries a glob matched by name but does not check (symbolic links, FIFOs, sockets, devices), with the reason: each
   * is reported as INVALID-INPUT, never dropped without a word (an incomplete check must not look complete).
   */
  skipped: Map<string, string>;
}

/** Expand the user's globs and paths. */
export async function discover(patterns: string[], cwd: string): Promise<Discovered> {
  const seen = new Set<string>();
  const files: string[] = [];
  const missing: string[] = [];
  const emptyPatterns: string[] = [];
  const skipped = new Map<string, string>();
  for (const pattern of patterns) {
    if (!isDynamicPattern(pattern)) {
      const abs = path.resolve(cwd, pattern);
      if (!existsSync(abs)) {
        missing.push(pattern);
        continue;
      }
      add(abs);
      continue;
    }
    // A glob's wildcards walk real folders and match real files only: a symbolic link met on the way (which a pull
    // request can commit: `build/root -> /`, `build/up -> ..`) is neither followed nor matched, or the glob would walk
    // the whole disk and hand the runner's own files to the checker. The pattern's fixed start may be a link.
    const matches = await glob(pattern, {
      cwd,
      absolute: true,
      onlyFiles: true,
      dot: false,
      expandDirectories: false,
      followSymbolicLinks: false,
    });
    const passedOver = await notFollowed(pattern, cwd);
    if (matches.length === 0 && passedOver.length === 0) emptyPatterns.push(pattern);
    for (const m of matches.sort()) add(m);
    for (const { abs, reason } of passedOver) if (add(abs)) skipped.set(shownOf(abs), reason);
  }
  return { files, missing, emptyPatterns, skipped };

  function shownOf(abs: string): string {
    const rel = path.relative(cwd, abs);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
  }

  function add(abs: string): boolean {
    if (seen.has(abs)) return false;
    seen.add(abs);
    files.push(shownOf(abs));
    return true;
  }
}

/**
 * What a glob's name matches but the walk above leaves out: entries that are neither regular files nor folders (links,
 * FIFOs, sockets, devices) in the real folders the pattern can reach. Only listed (lstat-level types from readdir),
 * never followed or read.
 */
async function notFollowed(pattern: string, cwd: string): Promise<{ abs: string; reason: string }[]> {
  const normal = pattern.replace(/^(?:\.\/)+/, '');
  const slash = normal.lastIndexOf('/');
  const dirPattern = slash < 0 ? '.' : normal.slice(0, slash) || '/';
  const dirs = isDynamicPattern(dirPattern)
    ? await glob(dirPattern, {
        cwd,
        absolute: true,
        onlyDirectories: true,
        dot: false,
        expandDirectories: false,
        followSymbolicLinks: false,
      })
    : [path.resolve(cwd, dirPattern)];
  const absolute = path.isAbsolute(normal);
  const isMatch = picomatch(normal, { dot: false });
  const found: { abs: string; reason: string }[] = [];
  for (const dir of dirs) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isFile() || entry.isDirectory()) continue;
      const abs = path.join(dir, entry.name);
      const name = absolute ? abs : path.relative(cwd, abs).split(path.sep).join('/');
      if (!isMatch(name)) continue;
      const what = entry.isSymbolicLink() ? `a symbolic link${await linkTarget(abs)}` : entry.isFIFO() ? 'a FIFO' : 'not a regular file';
      const why = 'globs neither follow links nor read special files, so it was not checked (name a real file)';
      found.push({ abs, reason: `${what} matched by ${pattern}: ${why}` });
    }
  }
  return found.sort((a, b) => (a.abs < b.abs ? -1 : 1));
}

/** ` to TARGET` (the link's own text, bounded; never followed), or '' when it cannot be read. */
async function linkTarget(abs: string): Promise<string> {
  const target = await readlink(abs).catch(() => undefined);
  if (target === undefined) return '';
  return ` to ${target.length > 200 ? `${target.slice(0, 200)}…` : target}`;
}

/**
 * The shard (1-based, of `count`) a discovered path belongs to: a hash of the path as discover() shows it, with `/`
 * separators and no leading `./`. Each path is placed on its own, so every artifact lands in exactly one shard and
 * the same shard on every machine and every run, whatever else the other jobs found.
 */
export function shardOf(shownPath: string, count: number): number {
  const normalised = shownPath
    .split(path.sep)
    .join('/')
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '');
  const digest = createHash('sha256').update(normalised).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** Keeps the files and missing paths of one shard. */
export function selectShard(found: Discovered, shard: { index: number; count: number }): Discovered {
  const mine = (p: string) => shardOf(p, shard.count) === shard.index;
  return { ...found, files: found.files.filter(mine), missing: found.missing.filter(mine) };
}
