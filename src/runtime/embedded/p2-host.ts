/**
 * Child-process host for the P2 run of the embedded runtime: a component transpiled by jco, instantiated with
 * `@bytecodealliance/preview2-shim`'s WASIShim in sandbox mode (only the configured args/env/preopens, network off).
 * We deliberately don't use `jco run`: it hands the guest the host's environment and gives no control of preopens.
 */
// First: the shim's I/O thread starts only when a call needs it (see lazy-worker.ts).
import { restoreWorker, workersStarted } from './lazy-worker.js';
import { readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import { addToStatus, finish, readConfig, reportThrown, started, trackMemories } from './host-common.js';
import { mayLeaveGuard } from './may-leave.js';

restoreWorker();
const mayLeave = mayLeaveGuard();
addToStatus(() => ({ ioThread: workersStarted > 0, mayLeave: { ...mayLeave.counts } }));

const config = readConfig();

type Instance = Record<string, unknown>;
let instance: Instance;
try {
  const shim = new WASIShim({
    sandbox: { preopens: config.preopens, env: config.env, args: config.args, enableNetwork: false },
  });
  const imports = shim.getImportObject() as Record<string, Record<string, unknown>>;
  // The guest cannot make links (as in the P1 host): preview2-shim resolves paths itself and refuses absolute and
  // escaping targets, but a guest-made link is a way out waiting for one resolution mistake, and the two phases
  // must behave alike. Its preopens hold only regular files and folders (guard/safe-fs.ts).
  const types = imports['wasi:filesystem/types'] as { Descriptor?: { prototype: Record<string, unknown> } } | undefined;
  if (!types?.Descriptor) throw new Error('preview2-shim: wasi:filesystem/types has no Descriptor to guard');
  types.Descriptor.prototype.symlinkAt = () => {
    throw 'not-permitted';
  };
  types.Descriptor.prototype.linkAt = () => {
    throw 'not-permitted';
  };
  serveStdin(imports);
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
  // Compile every core module first (outside the guest's time limit), then start the guest: instantiation already
  // runs guest code (start functions, a reactor's `_initialize`), which may exit through wasi:cli/exit.
  const compileStart = performance.now();
  const names = readdirSync(config.target).filter((name) => name.endsWith('.wasm'));
  const modules = new Map(
    await Promise.all(names.map(async (name) => [name, await WebAssembly.compile(readFileSync(path.join(config.target, name)))] as const)),
  );
  // Every core instance the bindings create is watched for its memories (the memory limit report).
  const instantiateCore = WebAssembly.instantiate.bind(WebAssembly) as (
    m: WebAssembly.Module,
    i?: WebAssembly.Imports,
  ) => Promise<WebAssembly.Instance>;
  // …and held to the may-leave rule, as wasmtime holds it (may-leave.ts).
  (WebAssembly as { instantiate: unknown }).instantiate = async (m: WebAssembly.Module, i?: WebAssembly.Imports) => {
    const created = await instantiateCore(m, mayLeave.imports(i));
    trackMemories(created);
    return mayLeave.instance(created);
  };
  started(config, Math.round(performance.now() - compileStart));
  instance = await mod.instantiate(
    async (name) => modules.get(name) ?? WebAssembly.compile(readFileSync(path.join(config.target, name))),
    lookup,
  );
  if (names.length > 0 && mayLeave.counts.instances === 0) {
    // The bindings made their core instances some other way: the may-leave rule was not held, so a pass here would
    // not mean a pass on wasmtime. Say so: a host error (the checker reports ERROR, never a PASS).
    finish(config, {
      outcome: 'error',
      host: true,
      message:
        'the embedded P2 host could not enforce the component model may-leave rule (the transpiled bindings created no core ' +
        'instance through WebAssembly.instantiate): wasmtime may trap with `cannot leave component instance` where this ' +
        'run would pass; check with --runtime wasmtime',
    });
  }
} catch (e) {
  reportThrown(config, e, 'link');
}

try {
  if (config.style === 'command') {
    const runKey = Object.keys(instance).find((k) => k === 'run' || k.startsWith('wasi:cli/run@'));
    const run = runKey ? (instance[runKey] as { run?: () => void }) : undefined;
    if (!run?.run) {
      finish(config, {
        outcome: 'error',
        message: `component exports no wasi:cli/run (exports: ${Object.keys(instance).join(', ') || 'none'})`,
      });
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

/**
 * The guest's stdin, read on this thread. The sandbox's stdin is a regular file or /dev/null (runtime/process.ts), so
 * a read never waits: no need for the shim's I/O thread, which the adapter would otherwise start at its first call
 * (it opens stdin up front). The stream is the shim's own class (the bindings check it); anything beyond reading and
 * skipping (subscribe: a pollable) goes to the shim's stdin stream from then on, which reads on from the same offset.
 */
function serveStdin(imports: Record<string, Record<string, unknown>>): void {
  const cli = imports['wasi:cli/stdin'] as { getStdin: () => object } | undefined;
  const streams = imports['wasi:io/streams'] as { InputStream?: { prototype: object } } | undefined;
  if (!cli || !streams?.InputStream) throw new Error('preview2-shim: no wasi:cli/stdin or wasi:io/streams InputStream to serve stdin');
  const clock = imports['wasi:clocks/monotonic-clock'] as { subscribeDuration?: (ns: bigint) => unknown } | undefined;
  if (!clock?.subscribeDuration) throw new Error('preview2-shim: no wasi:clocks/monotonic-clock to make a ready pollable');
  const ready = (): unknown => clock.subscribeDuration!(0n);
  const shimStdin = cli.getStdin.bind(cli);
  type Stream = Record<string | symbol, (...args: unknown[]) => unknown>;
  let delegate: Stream | undefined;
  let ended = false;
  const read = (len: unknown): Uint8Array => {
    if (delegate) return delegate.blockingRead!(len) as Uint8Array;
    const want = Math.min(Number(len), 64 * 1024);
    if (want <= 0) return new Uint8Array();
    if (ended) throw { tag: 'closed' };
    const buf = Buffer.alloc(want);
    let n: number;
    try {
      n = readSync(0, buf, 0, want, null);
    } catch {
      // Not a plain file after all (EAGAIN on a pipe, …): the shim's stream handles it, and reports errors its way.
      return toShim().blockingRead!(len) as Uint8Array;
    }
    if (n === 0) {
      ended = true;
      throw { tag: 'closed' };
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  };
  const toShim = (): Stream => {
    delegate ??= shimStdin() as Stream;
    return delegate;
  };
  const stdin = Object.create(streams.InputStream.prototype) as Stream;
  Object.assign(stdin, {
    read,
    blockingRead: read,
    skip: (len: unknown) => BigInt(read(len).length),
    blockingSkip: (len: unknown) => BigInt(read(len).length),
    // A file (or /dev/null) is always ready, as poll() says of files: a pollable that is ready now, unless the
    // shim's stream took over. (The shim's own stdin pollable waits for its I/O thread: poll() saw stdin not ready.)
    subscribe: () => (delegate ? delegate.subscribe!() : ready()),
  });
  stdin[Symbol.dispose] = () => delegate?.[Symbol.dispose]?.();
  cli.getStdin = () => stdin;
}
