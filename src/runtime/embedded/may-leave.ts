/**
 * The component model's may-leave rule for the embedded P2 host, as wasmtime enforces it: while the host lowers values
 * into an instance (calling its `cabi_realloc` / `cabi_import_realloc` to make room for them), the instance may not
 * call out of the component; a call that tries traps with `cannot leave component instance`. jco's bindings do not
 * check it on this path, so without this a component whose allocator calls a WASI import (seeding itself from
 * `random_get`, constructors run from `cabi_realloc`, a log line) passed here and trapped under wasmtime.
 *
 * It works on the core instances the bindings create (through WebAssembly.instantiate):
 *  - their realloc exports, as the bindings call them, mark "lowering" for the length of the call; the same function
 *    handed to another core instance as an import (the adapter calling the main module's `cabi_realloc` for its own
 *    state) is the raw export: a call inside the component, not a host lowering, as in wasmtime;
 *  - every import they take from a WIT interface (a module name like `wasi:random/random@0.2.3`) is a call out of
 *    the component, refused while lowering.
 * When the bindings create no core instance through it (a jco that instantiates another way), nothing is enforced:
 * the host then says so instead of letting a run pass that wasmtime could refuse (p2-host.ts).
 */

const REALLOC_EXPORT = /^cabi_(?:import_|export_)?realloc$/;

/** The message wasmtime traps with (the trap parser and the signatures know it). */
export const CANNOT_LEAVE = 'cannot leave component instance';

type Fn = (...args: unknown[]) => unknown;

export interface MayLeaveGuard {
  /** The imports to instantiate a core module with: interface imports guarded, marked reallocs back to raw. */
  imports(imports: WebAssembly.Imports | undefined): WebAssembly.Imports | undefined;
  /** The instance as the bindings should see it: realloc exports marked. */
  instance(created: WebAssembly.Instance): WebAssembly.Instance;
  /** What was guarded, for the host's status: core instances seen, realloc exports marked, interface imports guarded. */
  readonly counts: { instances: number; reallocs: number; imports: number };
}

export function mayLeaveGuard(): MayLeaveGuard {
  let lowering = 0;
  const raw = new WeakMap<Fn, Fn>();
  const counts = { instances: 0, reallocs: 0, imports: 0 };

  const keepProperties = (wrapper: Fn, fn: Fn): Fn => Object.assign(wrapper, fn);

  return {
    counts,
    imports(imports) {
      if (!imports) return imports;
      const out: WebAssembly.Imports = {};
      for (const [module, fields] of Object.entries(imports)) {
        const leaves = module.includes(':');
        const mapped: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(fields as Record<string, unknown>)) {
          if (typeof value !== 'function') mapped[name] = value;
          else if (raw.has(value as Fn)) mapped[name] = raw.get(value as Fn);
          else if (leaves) {
            const fn = value as Fn;
            counts.imports++;
            mapped[name] = keepProperties(function (this: unknown, ...args: unknown[]) {
              if (lowering > 0) throw new WebAssembly.RuntimeError(CANNOT_LEAVE);
              return fn.apply(this, args);
            }, fn);
          } else mapped[name] = value;
        }
        out[module] = mapped as WebAssembly.ModuleImports;
      }
      return out;
    },
    instance(created) {
      counts.instances++;
      const names = Object.keys(created.exports).filter((name) => REALLOC_EXPORT.test(name) && typeof created.exports[name] === 'function');
      if (names.length === 0) return created;
      const exports: Record<string, unknown> = { ...created.exports };
      for (const name of names) {
        const fn = created.exports[name] as Fn;
        const marked = keepProperties((...args: unknown[]) => {
          lowering++;
          try {
            return fn(...args);
          } finally {
            lowering--;
          }
        }, fn);
        raw.set(marked, fn);
        exports[name] = marked;
        counts.reallocs++;
      }
      // The bindings read only `exports` of a core instance.
      return { exports: Object.freeze(exports) } as WebAssembly.Instance;
    },
  };
}
