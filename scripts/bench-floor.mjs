#!/usr/bin/env node
// The floor for npm run bench (scripts/bench.mjs): the work no checker can avoid, measured in this one process —
// jco's componentNew with the bundled command adapter for each module, plus each guest's own run time (compile and
// run under node:wasi, output to /dev/null). One-time set-up (loading jco's wasm-tools) is done before timing.
// bench.mjs starts it once per module: node:wasi instances of several large guests in one process crash it
// (SIGSEGV seen with Go guests), and only the timed parts count anyway.
//
//   node scripts/bench-floor.mjs OUT.json MODULE.wasm…
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [out, ...files] = process.argv.slice(2);
const adapter = readFileSync(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
const devnull = openSync('/dev/null', 'w');

let convert = 0;
let guest = 0;
// The guests run first, before jco is loaded: compiling jco's own large wasm modules (V8 tiers them up on background
// threads) would otherwise compete with each guest's compile and inflate the floor.
for (const file of files) {
  const bytes = readFileSync(file);
  const t1 = performance.now();
  try {
    const wasi = new WASI({
      version: 'preview1',
      args: [path.basename(file)],
      env: {},
      returnOnExit: true,
      stdout: devnull,
      stderr: devnull,
    });
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), wasi.getImportObject());
    wasi.start(instance);
  } catch {
    // a guest that traps (c-oob-trap, rust-panic) has run all it will
  }
  guest += performance.now() - t1;
}
const { componentNew } = await import('@bytecodealliance/jco-transpile/wasm-tools');
await componentNew(readFileSync(files[0]), [['wasi_snapshot_preview1', adapter]]); // warm-up, not timed
for (const file of files) {
  const bytes = readFileSync(file);
  const t0 = performance.now();
  await componentNew(bytes, [['wasi_snapshot_preview1', adapter]]).catch(() => undefined);
  convert += performance.now() - t0;
}
closeSync(devnull);
writeFileSync(
  out,
  JSON.stringify({ seconds: (convert + guest) / 1000, convertSeconds: convert / 1000, guestSeconds: guest / 1000, modules: files.length }),
);
