/**
 * The cache-service stand-in, driven by the real `@actions/cache` (v2 service: Twirp + signed blob URLs): it speaks the
 * protocol the library expects, and it keeps GitHub's scoping rule — a pull request reads its base branch's entries,
 * never the other way round.
 */
import * as actionsCache from '@actions/cache';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheServiceStandIn, scopesFor, type CacheScope } from '../github/cache-service.js';

describe('cache-service stand-in, with @actions/cache', () => {
  const service = new CacheServiceStandIn();
  let scratch = '';
  const saved: Record<string, string | undefined> = {};
  const VARS = ['ACTIONS_CACHE_SERVICE_V2', 'ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN', 'RUNNER_TEMP', 'GITHUB_SERVER_URL'];
  beforeAll(async () => {
    await service.start();
    scratch = await mkdtemp(path.join(tmpdir(), 'cache-stand-in-'));
    for (const v of VARS) saved[v] = process.env[v];
  });
  afterAll(async () => {
    for (const v of VARS)
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    await service.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  /** Runs `fn` as a job with these scopes (the runner's variables set, as on a runner). */
  async function as<T>(scopes: CacheScope[], fn: () => Promise<T>): Promise<T> {
    Object.assign(process.env, service.runnerEnv(scopes), { RUNNER_TEMP: scratch });
    delete process.env.GITHUB_SERVER_URL;
    return fn();
  }
  const dir = path.join(tmpdir(), `cache-stand-in-dir-${process.pid}`);
  async function put(text: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'data.txt'), text);
  }
  async function get(key: string, prefixes: string[]): Promise<{ key?: string; text?: string }> {
    await rm(dir, { recursive: true, force: true });
    const hit = await actionsCache.restoreCache([dir], key, prefixes);
    return { key: hit, text: hit ? await readFile(path.join(dir, 'data.txt'), 'utf8') : undefined };
  }

  it('saves on a push to main; a pull request restores it; the newest prefix match wins', async () => {
    const main = scopesFor({ push: 'main' });
    await as(main, async () => {
      expect(actionsCache.isFeatureAvailable()).toBe(true);
      await put('first');
      expect(await actionsCache.saveCache([dir], 'base-1111')).toBeGreaterThan(0);
      await put('second');
      expect(await actionsCache.saveCache([dir], 'base-2222')).toBeGreaterThan(0);
      // Entries are immutable: the same key again is refused (reported, not thrown).
      expect(await actionsCache.saveCache([dir], 'base-2222')).toBe(-1);
    });
    expect(service.visible('refs/heads/main', 'base-').map((e) => e.key)).toEqual(['base-1111', 'base-2222']);
    await as(scopesFor({ pull: 7, base: 'main' }), async () => {
      expect(await get('base-restore', ['base-'])).toEqual({ key: 'base-2222', text: 'second' });
      expect(await get('base-1111', ['base-'])).toEqual({ key: 'base-1111', text: 'first' });
    });
  });

  it("a pull request's entries stay in its own scope: main and other pull requests never see them", async () => {
    await as(scopesFor({ pull: 8, base: 'main' }), async () => {
      await put('planted by a pull request');
      expect(await actionsCache.saveCache([dir], 'plant-9999')).toBeGreaterThan(0);
      // Its own run sees it first (its own ref), before the base branch's.
      expect((await get('plant-restore', ['plant-'])).text).toBe('planted by a pull request');
    });
    expect(service.visible('refs/pull/8/merge', 'plant-')).toHaveLength(1);
    await as(scopesFor({ push: 'main' }), async () => expect(await get('plant-restore', ['plant-'])).toEqual({}));
    await as(scopesFor({ pull: 9, base: 'main' }), async () => expect(await get('plant-restore', ['plant-'])).toEqual({}));
  });

  it('refuses tokens it did not issue, and another version of the same paths (what the archive was made from)', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = 'forged.token.here';
    const calls = service.calls.length;
    expect(await actionsCache.restoreCache([dir], 'base-restore', ['base-'])).toBeUndefined();
    expect(service.calls.length).toBe(calls); // refused before it was served
    await as(scopesFor({ pull: 7, base: 'main' }), async () => {
      expect(await actionsCache.restoreCache([`${dir}-elsewhere`], 'base-restore', ['base-'])).toBeUndefined();
    });
  });
});
