import pkg from '../../package.json' with { type: 'json' };

/** wasm-p2-check's own version (from package.json, inlined by the bundler). */
export const VERSION: string = pkg.version;

declare const __WASM_P2_CHECK_BUILD__: string | undefined;

/**
 * Identity of this build: a hash of the sources, adapters and lockfile that scripts/build.mjs computes, so that two
 * builds of one version (a developer's, a fork's) never share result-cache entries. 'source' when running unbundled.
 */
export const BUILD: string = typeof __WASM_P2_CHECK_BUILD__ === 'string' ? __WASM_P2_CHECK_BUILD__ : 'source';
