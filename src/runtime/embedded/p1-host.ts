/**
 * Child-process host for the P1 baseline of the embedded runtime: Node's `node:wasi` (preview1).
 * It must run out of the checker's process: node:wasi's `proc_raise` aborts the whole process, and a guest may loop.
 * The guest gets only the configured args, env and preopens; stdio are the inherited fds (files set by the parent).
 */
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { finish, readConfig, reportThrown } from './host-common.js';

const config = readConfig();
let instance: WebAssembly.Instance;
let wasi: WASI;
try {
  wasi = new WASI({
    version: 'preview1',
    args: config.args,
    env: config.env,
    preopens: config.preopens,
    returnOnExit: true,
  });
  const module = await WebAssembly.compile(readFileSync(config.target));
  instance = await WebAssembly.instantiate(module, wasi.getImportObject() as WebAssembly.Imports);
} catch (e) {
  reportThrown(config, e, 'link');
}
try {
  if (config.style === 'command') {
    const code = wasi.start(instance);
    finish(config, { outcome: 'exit', code: typeof code === 'number' ? code : 0 });
  } else {
    // A reactor: only its initialisation runs (`_initialize`, when exported).
    wasi.initialize(instance);
    finish(config, { outcome: 'exit', code: 0 });
  }
} catch (e) {
  reportThrown(config, e, 'run');
}
