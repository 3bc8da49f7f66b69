#!/usr/bin/env node
// Bundles wasm-p2-check into dist/ (the Action runs from it with no npm install, so everything it loads must be here):
//   - the two shells, cli.js and index.js (the Action), built together with code splitting: what both use (jco-transpile,
//     undici, yaml, ajv, the pipeline) is in shared ESM chunks (chunk-*.js) beside them, once;
//   - the embedded runtime's host scripts, embedded-p1-host.js and embedded-p2-host.js, each ONE self-contained file
//     that imports no chunk: a host is started for every run, and its start-up time is the checker's (issue 11);
//   - the run-time assets (bundled adapters, jco's wasm-tools / bindgen core modules, preview2-shim's I/O worker,
//     built-in signatures), which the code finds beside the bundle (src/package/assets.ts);
//   - licenses.txt: the licences of every third-party package in the bundles and assets (scripts/licenses.mjs).
//
//   node scripts/build.mjs [--outdir DIR]     (default dist/; the tests build into build/: test/build-once.ts)
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { metafileInputs, thirdPartyLicenses } from './licenses.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argOut = process.argv.indexOf('--outdir');
const outdir = path.resolve(argOut > 0 ? process.argv[argOut + 1] : path.join(root, 'dist'));

// The shells: bundled together, sharing chunks.
const shells = {
  cli: 'src/cli/index.ts',
  index: 'src/action/index.ts',
};
// The embedded hosts: one self-contained file each (no shared chunks: they must start fast). An entry added here
// stays out of the shells' chunks.
const hosts = {
  'embedded-p1-host': 'src/runtime/embedded/p1-host.ts',
  'embedded-p2-host': 'src/runtime/embedded/p2-host.ts',
  // The jco converter process (src/convert/jco-process.ts): jco stays out of the shells, whose every host spawn is
  // a fork of their memory.
  'jco-server': 'src/convert/jco-server.ts',
};

// CommonJS dependencies bundled into ESM still call require()/__dirname. `var`, not `const`: a bundled ESM dependency
// (@azure/storage-common, under @actions/cache) declares its own `var __filename`.
const banner = [
  "import { createRequire as __wpc_createRequire } from 'node:module';",
  "import { fileURLToPath as __wpc_fileURLToPath } from 'node:url';",
  "import { dirname as __wpc_dirname } from 'node:path';",
  'var require = __wpc_createRequire(import.meta.url);',
  'var __filename = __wpc_fileURLToPath(import.meta.url);',
  'var __dirname = __wpc_dirname(__filename);',
].join('\n');

// jco-transpile imports `oxc-minify` (a native addon) at the top of transpile.js, only to minify generated JS when
// asked to. We never ask, and a native addon cannot live in a single-file bundle: resolve it to a module that
// fails loudly if that ever changes.
const noNativeMinify = {
  name: 'no-native-minify',
  setup(b) {
    b.onResolve({ filter: /^oxc-minify$/ }, () => ({ path: 'oxc-minify', namespace: 'no-native-minify' }));
    b.onLoad({ filter: /.*/, namespace: 'no-native-minify' }, () => ({
      contents: "export function minify() { throw new Error('wasm-p2-check: JS minification is not bundled'); }",
      loader: 'js',
    }));
  },
};

// The build's identity (part of every result-cache key): a hash of what goes into it, so a rebuilt checker never
// reuses results of another build of the same version. Deterministic, so dist/ stays reproducible.
async function buildId() {
  const hash = createHash('sha256');
  const walk = async (rel) => {
    for (const name of (await readdir(path.join(root, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = `${rel}/${name.name}`;
      if (name.isDirectory()) await walk(child);
      else
        hash
          .update(`${child}\0`)
          .update(await readFile(path.join(root, child)))
          .update('\0');
    }
  };
  for (const dir of ['src', 'adapters']) await walk(dir);
  hash.update(await readFile(path.join(root, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const present = (entries) => Object.fromEntries(Object.entries(entries).filter(([, src]) => existsSync(path.join(root, src))));
const common = {
  absWorkingDir: root,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: banner },
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [noNativeMinify],
  metafile: true,
  define: { __WASM_P2_CHECK_BUILD__: JSON.stringify(await buildId()) },
};
// Chunks sit in outdir itself, not a subfolder: code that finds assets from import.meta.url (src/package/assets.ts,
// diagnose/signatures.ts, jco-transpile's vendored wasm) then works the same from a chunk as from an entry.
const bundled = [
  await build({ ...common, entryPoints: present(shells), splitting: true, chunkNames: 'chunk-[hash]' }),
  await build({ ...common, entryPoints: present(hosts), splitting: false }),
].flatMap((r) => metafileInputs(r.metafile));
const entryPoints = { ...present(shells), ...present(hosts) };

// Run-time assets, resolved by the bundles relative to import.meta.url.
const copies = [
  ['adapters', 'adapters'],
  ['node_modules/@bytecodealliance/preview2-shim/dist/io/worker-thread.bundle.js', 'worker-thread.bundle.js'],
  ['src/diagnose/signatures', 'signatures'],
  ['src/diagnose/signature.schema.json', 'signature.schema.json'],
];
const vendor = 'node_modules/@bytecodealliance/jco-transpile/vendor';
for (const f of await readdir(path.join(root, vendor))) if (f.endsWith('.wasm')) copies.push([`${vendor}/${f}`, f]);
for (const [from, to] of copies) {
  const src = path.join(root, from);
  if (existsSync(src)) await cp(src, path.join(outdir, to), { recursive: true });
}
// What ships as files rather than bundled code, by the package it comes from (the adapters' origin is recorded in
// adapters/manifest.json: the jco npm package).
const adapterOrigin = JSON.parse(await readFile(path.join(root, 'adapters/manifest.json'), 'utf8')).package;
const shipped = {
  [`node_modules/${adapterOrigin}`]: 'adapters/wasi_snapshot_preview1.{command,reactor}.wasm (from the wasmtime adapter)',
  'node_modules/@bytecodealliance/jco-transpile': 'wasm-tools.core*.wasm, js-component-bindgen-component.core*.wasm',
  'node_modules/@bytecodealliance/preview2-shim': 'worker-thread.bundle.js',
};
await writeFile(path.join(outdir, 'licenses.txt'), thirdPartyLicenses(root, bundled, shipped));
console.log(`built ${Object.keys(entryPoints).join(', ')} → ${path.relative(root, outdir) || outdir}`);
