/**
 * The Action's result cache: a `directoryStore` folder in RUNNER_TEMP, carried from run to run by `@actions/cache`.
 * The persisted key is derived from content hashes (the result keys the run used), so an unchanged set of results is
 * never saved twice; restoring takes the latest cache of the same wasm-p2-check build and job. What comes back is
 * untrusted like any shared cache (another branch may have written it): the pipeline validates every entry it reads.
 */
import * as actionsCache from '@actions/cache';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { directoryStore, retainOnly, trackingStore, type ResultStore } from '../cache/index.js';
import { BUILD, VERSION } from '../package/version.js';

/** The persistence service (`@actions/cache` on a runner; tests give their own). */
export interface PersistedCache {
  /** Restores `dir` from the cache whose key starts with `prefix` (most recent first); the key restored, if any. */
  restore(dir: string, prefix: string): Promise<string | undefined>;
  save(dir: string, key: string): Promise<void>;
}

/** `@actions/cache`, or undefined when the runner offers no cache service (e.g. GitHub Enterprise without it, act). */
export function actionsCachePersistence(): PersistedCache | undefined {
  if (!actionsCache.isFeatureAvailable()) return undefined;
  return {
    // No exact primary key exists before the run (it is made from the results): only the prefix matches.
    restore: (dir, prefix) => actionsCache.restoreCache([dir], `${prefix}restore`, [prefix]),
    save: async (dir, key) => {
      // -1: the library logged why (another job saving the same key, a full cache, an outage) and did not throw.
      if ((await actionsCache.saveCache([dir], key)) === -1) throw new Error('the cache service did not keep it');
    },
  };
}

export interface ResultCacheSession {
  store: ResultStore;
  /** Prunes the folder to what this run used and saves it when that differs from what was restored. */
  finish(): Promise<void>;
}

/**
 * Opens the result cache for one Action run.
 * @param scope what separates caches of different jobs (workflow, job, matrix): each restores its own lineage
 */
export async function openResultCache(
  persisted: PersistedCache | undefined,
  dir: string,
  scope: string,
  log: (message: string) => void,
): Promise<ResultCacheSession> {
  const prefix = `wasm-p2-check-results-${VERSION}-${BUILD}-${createHash('sha256').update(scope).digest('hex').slice(0, 12)}-`;
  let restored: string | undefined;
  if (!persisted) log('Result cache: no cache service on this runner; results are not kept between runs.');
  else {
    try {
      restored = await persisted.restore(dir, prefix);
      log(restored ? `Result cache: restored ${restored}` : 'Result cache: nothing to restore yet');
    } catch (e) {
      log(`Result cache: not restored (${(e as Error).message}); checking everything`);
    }
  }
  const store = trackingStore(directoryStore(dir));
  return {
    store,
    async finish() {
      if (!persisted) return;
      await retainOnly(dir, store.used);
      if (store.used.size === 0) return;
      // Named by what it holds (entry keys and bytes): a repaired or re-checked entry makes a new cache.
      const hash = createHash('sha256');
      for (const key of [...store.used].sort()) {
        hash.update(key).update(await readFile(path.join(dir, key.slice(0, 2), `${key}.json`)).catch(() => Buffer.alloc(0)));
      }
      const key = prefix + hash.digest('hex').slice(0, 32);
      if (key === restored) {
        log('Result cache: unchanged, not saved again');
        return;
      }
      try {
        await persisted.save(dir, key);
        log(`Result cache: saved ${key}`);
      } catch (e) {
        // Another job saving the same results at once, a full cache, an outage: the next run checks again.
        log(`Result cache: not saved (${(e as Error).message})`);
      }
    },
  };
}
