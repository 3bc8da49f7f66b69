import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

export interface Discovered {
  /** Files found, relative to cwd when inside it, in a stable order, without duplicates. */
  files: string[];
  /** Literal paths (not globs) that do not exist: reported as INVALID-INPUT rather than silently dropped. */
  missing: string[];
  /** Globs that matched nothing. */
  emptyPatterns: string[];
}

/** Expand the user's globs and paths. */
export async function discover(patterns: string[], cwd: string): Promise<Discovered> {
  const seen = new Set<string>();
  const files: string[] = [];
  const missing: string[] = [];
  const emptyPatterns: string[] = [];
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
    if (matches.length === 0) emptyPatterns.push(pattern);
    for (const m of matches.sort()) add(m);
  }
  return { files, missing, emptyPatterns };

  function add(abs: string): void {
    const rel = path.relative(cwd, abs);
    const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push(shown);
  }
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
