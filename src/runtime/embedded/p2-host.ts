/**
 * Child-process host for the P2 run of the embedded runtime: a component transpiled by jco, instantiated with
 * `@bytecodealliance/preview2-shim`'s WASIShim in sandbox mode (only the configured args/env/preopens, network off).
 * We deliberately don't use `jco run`: it hands the guest the host's environment and gives no control of preopens.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import { finish, readConfig, reportThrown } from './host-common.js';

const config = readConfig();

type Instance = Record<string, unknown>;
let instance: Instance;
try {
  const shim = new WASIShim({
    sandbox: { preopens: config.preopens, env: config.env, args: config.args, enableNetwork: false },
  });
  const imports = shim.getImportObject() as Record<string, Record<string, unknown>>;
  // Don't leak the host's working directory to the guest.
  const env = imports['wasi:cli/environment'];
  if (env) imports['wasi:cli/environment'] = { ...env, initialCwd: () => undefined };
  // The transpiled code asks for unversioned names; resolve `x@0.2.N` to the shim's unversioned object too.
  const lookup = new Proxy(imports, {
    get: (target, key) => (typeof key === 'string' ? (target[key] ?? target[key.replace(/@[^@]*$/, '')]) : undefined),
  });
  const mod = (await import(pathToFileURL(path.join(config.target, 'component.js')).href)) as {
    instantiate: (getCoreModule: (name: string) => Promise<WebAssembly.Module>, imports: unknown) => Promise<Instance>;
  };
  instance = await mod.instantiate((name) => WebAssembly.compile(readFileSync(path.join(config.target, name))), lookup);
} catch (e) {
  reportThrown(config, e, 'link');
}

try {
  if (config.style === 'command') {
    const runKey = Object.keys(instance).find((k) => k === 'run' || k.startsWith('wasi:cli/run@'));
    const run = runKey ? (instance[runKey] as { run?: () => void }) : undefined;
    if (!run?.run) {
      finish(config, { outcome: 'error', message: `component exports no wasi:cli/run (exports: ${Object.keys(instance).join(', ') || 'none'})` });
    }
    run.run();
  }
  // A reactor's `_initialize` ran during instantiation; its own exports are not called.
  finish(config, { outcome: 'exit', code: 0 });
} catch (e) {
  // `run` returning `err` is thrown by the bindings as a ComponentError: the guest exited with failure (status 1).
  if (e instanceof Error && e.constructor.name === 'ComponentError') finish(config, { outcome: 'exit', code: 1 });
  reportThrown(config, e, 'run');
}
