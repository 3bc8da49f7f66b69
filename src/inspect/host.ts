/**
 * Modules built for one specific non-WASI host: a Node-API addon, a compiler/formatter plugin, a JS bridge, a shared
 * library for a dynamic linker, an Emscripten module. None can run as a WASI command (P1 or P2): naming what they are
 * is the useful answer. Decided from imports, exports and custom sections only; the first kind that holds wins, and
 * its evidence lists what was seen.
 */
import type { HostRequirement, ImportEntry } from '../model.js';

interface Facts {
  imports: readonly ImportEntry[];
  exportNames: readonly string[];
  customSections: readonly string[];
}

type Rule = (f: Facts) => HostRequirement | undefined;

const importsWhere = (f: Facts, pred: (i: ImportEntry) => boolean): ImportEntry[] => f.imports.filter(pred);
const show = (list: readonly ImportEntry[], max = 4): string =>
  list
    .slice(0, max)
    .map((i) => `${i.module}::${i.name}`)
    .join(', ') + (list.length > max ? ` (+${list.length - max} more)` : '');

const sharedLibrary: Rule = (f) => {
  const dylink = f.customSections.find((s) => s === 'dylink.0' || s === 'dylink');
  const got = importsWhere(f, (i) => i.module === 'GOT.mem' || i.module === 'GOT.func');
  if (!dylink && got.length === 0) return undefined;
  const evidence: string[] = [];
  if (dylink) evidence.push(`custom section ${dylink} (dynamic-linking metadata)`);
  if (got.length) evidence.push(`imports from the global offset table: ${show(got, 2)}`);
  const emscripten = importsWhere(f, (i) => /^(emscripten_|_emscripten_|__syscall_|invoke_)/.test(i.name));
  if (emscripten.length) evidence.push(`Emscripten runtime imports: ${show(emscripten, 3)}`);
  return { kind: 'shared-library', name: 'a shared library / main module for a dynamic linker (dylink.0)', evidence };
};

const napiAddon: Rule = (f) => {
  const napi = importsWhere(f, (i) => /^(napi|emnapi)$/.test(i.module) || /^(napi|emnapi)_/.test(i.name));
  const register = f.exportNames.filter((n) => n === 'napi_register_wasm_v1' || n === 'napi_register_module_v1');
  if (napi.length === 0 && register.length === 0) return undefined;
  const evidence: string[] = [];
  if (napi.length) evidence.push(`Node-API imports: ${show(napi)}`);
  if (register.length) evidence.push(`exports ${register.join(', ')}`);
  const spawn = importsWhere(f, (i) => i.module === 'wasi' && i.name === 'thread-spawn');
  if (spawn.length) evidence.push('imports wasi::thread-spawn and a shared memory (wasm32-wasip1-threads)');
  return { kind: 'napi-addon', name: 'a Node-API addon (napi-rs / emnapi), loaded by Node.js', evidence };
};

const emscripten: Rule = (f) => {
  const named = importsWhere(f, (i) => /^(emscripten_|_emscripten_|__syscall_|invoke_|_embind_)/.test(i.name));
  // Emscripten's minified release builds import every JS function from module `a` under one- or two-letter names.
  const minified = f.imports.length > 0 && f.imports.every((i) => i.module === 'a' && /^[A-Za-z$_]{1,2}$/.test(i.name));
  if (named.length === 0 && !minified) return undefined;
  const evidence = named.length
    ? [`Emscripten runtime imports: ${show(named)}`]
    : [
        `all ${f.imports.length} imports come from module \`a\` under ` +
          `minified names (${show(f.imports, 3)}): Emscripten's minified JS glue`,
      ];
  return { kind: 'emscripten', name: 'an Emscripten module (needs its generated JavaScript glue)', evidence };
};

interface Bridge {
  name: string;
  test: (i: ImportEntry) => boolean;
}
const BRIDGES: Bridge[] = [
  {
    name: 'wasm-bindgen JavaScript bindings',
    test: (i) => /^(__wbindgen_placeholder__|wbg)$|_bg\.js$/.test(i.module) || /^__wb(indgen|g)_/.test(i.name),
  },
  {
    name: 'the Go GOOS=js runtime (wasm_exec.js)',
    test: (i) => i.module === 'gojs' || (i.module === 'go' && i.name.startsWith('runtime.')),
  },
  { name: 'the ruby.wasm JavaScript bridge (rb-js-abi-host)', test: (i) => i.module === 'rb-js-abi-host' },
  { name: 'a JavaScript module', test: (i) => /\.(m?js|cjs)$/.test(i.module) },
];

const jsBridge: Rule = (f) => {
  for (const b of BRIDGES) {
    const hits = importsWhere(f, b.test);
    if (hits.length) return { kind: 'js-bridge', name: `a module for ${b.name}`, evidence: [`imports: ${show(hits)}`] };
  }
  return undefined;
};

interface Plugin {
  name: string;
  imports?: (i: ImportEntry) => boolean;
  exports?: (n: string) => boolean;
}
const PLUGINS: Plugin[] = [
  {
    name: 'an SWC transform plugin',
    imports: (i) =>
      i.module === 'env' &&
      /^__(set_transform_result|emit_diagnostics|get_transform_plugin_config|get_transform_context|copy_comment_to_host_env|set_transform_plugin_core_pkg_diagnostics)/.test(
        i.name,
      ),
    exports: (n) => n === '__transform_plugin_process_impl',
  },
  { name: 'an Extism plugin', imports: (i) => i.module.startsWith('extism:') },
  {
    name: 'a Proxy-Wasm filter (Envoy and other proxies)',
    imports: (i) => i.module === 'env' && i.name.startsWith('proxy_'),
    exports: (n) => n.startsWith('proxy_on_'),
  },
  { name: 'a Fastly Compute program', imports: (i) => /^fastly_/.test(i.module) },
  {
    name: 'a dprint plugin',
    imports: (i) => i.module === 'dprint' || (i.module === 'env' && /^host_/.test(i.name)),
    exports: (n) => /^dprint_plugin_version_\d+$/.test(n),
  },
];

const plugin: Rule = (f) => {
  for (const p of PLUGINS) {
    const hits = p.imports ? importsWhere(f, p.imports) : [];
    // A plugin needs its host when it imports the host's functions; exports alone only name the ABI.
    if (hits.length === 0) continue;
    const exported = p.exports ? f.exportNames.filter(p.exports) : [];
    const evidence = [`host imports: ${show(hits)}`];
    if (exported.length) evidence.push(`plugin exports: ${exported.slice(0, 3).join(', ')}`);
    return { kind: 'plugin', name: p.name, evidence };
  }
  return undefined;
};

/** Import modules a WASI host provides: P1, snapshot 0, wasi-threads, and WIT interfaces (`wasi:cli/…@0.2.x`). */
const isWasiModule = (m: string): boolean => m === 'wasi_snapshot_preview1' || m === 'wasi_unstable' || m === 'wasi' || /^wasi:/.test(m);
/** Names a module exports for its runtime or the linker rather than for its host: not what it offers. */
const PLUMBING = /^(_initialize|_start|cabi_realloc|memory|__indirect_function_table|__data_end|__heap_base|__wasm_call_ctors)$/;

/**
 * A library whose host calls its exports: a reactor (no `_start`, no `wasi:cli/run`) that uses no WASI at all (TinyGo
 * and Rust library builds, wasm32-unknown-unknown / freestanding output), or that imports its host's own functions
 * next to WASI (env::… callbacks). Running it as a WASI program checks nothing (no import makes a component with an
 * empty world: every export dropped) or cannot link: either way only its host can exercise it. Names the exports it
 * offers and what points to its host: an ABI its exports name (a plugin host), the host functions it imports.
 */
const library: Rule = (f) => {
  if (f.exportNames.some((n) => n === '_start' || /^wasi:cli\/run@/.test(n))) return undefined;
  const funcs = f.imports.filter((i) => i.kind === 'func');
  const wasi = funcs.filter((i) => isWasiModule(i.module));
  const foreign = funcs.filter((i) => !isWasiModule(i.module) && !/^\$root$|^\[export\]/.test(i.module));
  if (wasi.length > 0 && foreign.length === 0) return undefined;
  const offered = f.exportNames.filter((n) => !PLUMBING.test(n));
  const evidence: string[] = [];
  if (funcs.length === 0) evidence.push('no function imports at all: it uses no WASI, only its host calls it');
  else if (wasi.length === 0) evidence.push(`imports only its host's functions: ${show(foreign)}`);
  else evidence.push(`imports its host's functions next to WASI: ${show(foreign)}`);
  evidence.push(offered.length ? `exports for its host: ${offered.slice(0, 6).join(', ')}${more(offered, 6)}` : 'exports no functions');
  for (const p of PLUGINS) {
    const abi = p.exports ? f.exportNames.filter(p.exports) : [];
    if (abi.length) return { kind: 'plugin', name: p.name, evidence: [...evidence, `plugin ABI exports: ${abi.slice(0, 3).join(', ')}`] };
  }
  const modules = [...new Set(foreign.map((i) => i.module))];
  const who = modules.includes('env') ? 'e.g. a JavaScript page or embedder' : 'its embedder';
  const host = modules.length
    ? `a host that provides ${modules.map((m) => `\`${m}\``).join(', ')} (${who})`
    : 'a host that calls its exports directly (e.g. JavaScript through WebAssembly.instantiate)';
  return { kind: 'library', name: `a library for ${host}, not a WASI program`, evidence };
};

const more = (list: readonly unknown[], max: number): string => (list.length > max ? ` (+${list.length - max} more)` : '');

/**
 * Order: the most specific structure first (a napi addon may also look like Emscripten through emnapi); a plain library
 * (no WASI, or a host's callbacks next to it) last.
 */
const RULES: Rule[] = [sharedLibrary, napiAddon, plugin, jsBridge, emscripten, library];

/** The specific non-WASI host a module is built for, or undefined for a (possibly broken) WASI program. */
export function hostRequirement(
  imports: readonly ImportEntry[],
  exportNames: readonly string[],
  customSections: readonly string[],
): HostRequirement | undefined {
  const f = { imports, exportNames, customSections };
  for (const rule of RULES) {
    const r = rule(f);
    if (r) return r;
  }
  return undefined;
}
