/**
 * The `producers` custom section (WebAssembly tool-conventions, ProducersSection.md) and the
 * toolchain it reveals.
 *
 * Layout: vec(field) where field = field-name:name, values: vec(name:name, version:name).
 * Known field names: `language`, `processed-by`, `sdk`. Unknown fields are skipped.
 */
import type { ProducerEntry, Producers, Toolchain } from '../model.js';
import { ByteReader, EndOfData, InspectError } from './reader.js';

/**
 * Decodes the payload of a `producers` custom section (the bytes after the section name).
 * @throws InspectError when the payload is malformed or has bytes left over.
 */
export function decodeProducers(payload: Uint8Array): Producers {
  const out: Producers = { language: [], processedBy: [], sdk: [] };
  const r = new ByteReader(payload);
  let what = 'the field count';
  try {
    const fieldCount = r.u32();
    for (let f = 0; f < fieldCount; f++) {
      what = `field ${f} name`;
      const field = r.name();
      what = `field ${f} ('${field}') value count`;
      const n = r.u32();
      const entries: ProducerEntry[] = [];
      for (let i = 0; i < n; i++) {
        what = `value ${i} of field '${field}'`;
        const name = r.name();
        const version = r.name();
        entries.push({ name, version });
      }
      const key = field === 'language' ? 'language' : field === 'processed-by' ? 'processedBy' : field === 'sdk' ? 'sdk' : undefined;
      if (key) out[key].push(...entries);
    }
  } catch (e) {
    if (e instanceof EndOfData) throw new InspectError(`malformed producers section: ends in the middle of ${what}`);
    if (e instanceof InspectError) throw new InspectError(`malformed producers section (${what}): ${e.message}`);
    throw e;
  }
  if (!r.atEnd()) throw new InspectError(`malformed producers section: ${r.remaining} unexpected bytes after the last field`);
  return out;
}

/** The first semver-like version in a string: 'go1.24.4' → '1.24.4', '1.63.0 (4b91a6ea7 2022-08-08)' → '1.63.0'. */
export function versionIn(text: string): string | undefined {
  // (?<!\d): a digit run is tried from its start only (linear on a producer string of any length).
  const m = /(?<!\d)(\d+\.\d+(?:\.\d+)?(?:-?(?:rc|beta|alpha|dev|pre)[.-]?\d*)?)/i.exec(text);
  return m?.[1];
}

/**
 * Toolchain identification, most reliable evidence first:
 *  1. producers `processed-by` names a language's own compiler driver (TinyGo, Go, AssemblyScript, Zig): it also
 *     lists clang (TinyGo, Zig use LLVM) and C (their libc), so it wins over both.
 *  2. producers `language`: the source languages linked in. Rust's std links wasi-libc (C99/C11 + clang), and a C
 *     program can link a Rust library (CRuby links Rust extensions): when both Rust and C/C++ appear, the language
 *     that owns the entry point decides (Rust's `lang_start` / C's `__main_void` in the name section), else the one
 *     listed first (wasm-ld merges producers in link order, and the program's own objects come first).
 *  3. `processed-by` of a language binding generator (wit-bindgen-rust, wasm-bindgen → Rust; wit-bindgen-c → C).
 *     Pure post-processors (wit-component, wasm-opt, walrus, wizer …) say nothing about the source language.
 *  4. Without producers: custom sections, imports and function names (see `toolchainFromEvidence`).
 */
interface Driver {
  language: string;
  compiler: string;
  /** Matches the processed-by / language entry NAME only (versions may mention other tools' repositories). */
  name: RegExp;
}

const DRIVERS: Driver[] = [
  { language: 'tinygo', compiler: 'TinyGo', name: /^tinygo$/i },
  { language: 'go', compiler: 'Go', name: /^go(\s+cmd\/compile)?$/i },
  { language: 'assemblyscript', compiler: 'AssemblyScript', name: /^(assemblyscript|asc)$/i },
  { language: 'zig', compiler: 'Zig', name: /^zig$/i },
  // GHC's wasm backend links through wasi-sdk's clang (also listed): GHC decides.
  { language: 'haskell', compiler: 'GHC', name: /^ghc$/i },
];

const LANGUAGES: { language: string | ((e: ProducerEntry) => string); name: RegExp; compiler: RegExp; compilerName: string }[] = [
  { language: 'rust', name: /^rust$/i, compiler: /\brustc\b/i, compilerName: 'rustc' },
  {
    language: (e) => (/^c(\+\+|_plus_plus|xx)/i.test(e.name) ? 'c++' : 'c'),
    name: /^(c\d*|c(\+\+|_plus_plus|xx)[_\d]*|objective-c.*)$/i,
    compiler: /\bclang\b/i,
    compilerName: 'clang',
  },
  { language: 'swift', name: /^swift$/i, compiler: /^swiftc?$/i, compilerName: 'swiftc' },
  { language: 'wat', name: /^(wat|wast)$/i, compiler: /^(wat|wat2wasm|wabt|wast|wasm-tools)$/i, compilerName: 'wat' },
];

/** Binding generators imply the source language; post-processors imply nothing. */
const BINDGENS: { name: RegExp; language: string; compiler: string }[] = [
  { name: /^(wit-bindgen-rust|wasm-bindgen)$/i, language: 'rust', compiler: 'rustc' },
  { name: /^wit-bindgen-c$/i, language: 'c', compiler: 'clang' },
  { name: /^wit-bindgen-go$/i, language: 'go', compiler: 'Go' },
];
const POST_PROCESSORS =
  /^(wit-component|wasm-opt|walrus|wizer|wasm-tools|wasm-metadata|wasm-snip|wasm-ld|binaryen|wasm-bindgen-cli|componentize-.*|wit-bindgen-.*)$/i;

/**
 * Which clang: wasi-sdk's (its version string says `wasi-sdk`, e.g. `21.1.8-wasi-sdk (…llvm-project…)`) or a
 * distribution's (`Debian clang 14.0.6`, `Ubuntu clang`, `Homebrew clang`, `Apple clang`); other compilers as named.
 */
function compilerLabel(name: string, tool: ProducerEntry | undefined): string {
  if (name !== 'clang' || !tool) return name;
  if (/wasi-sdk/i.test(tool.version) || /wasi-sdk/i.test(tool.name)) return 'clang (wasi-sdk)';
  const vendor = /^(debian|ubuntu|homebrew|apple|emscripten)\s+clang$/i.exec(tool.name)?.[1];
  return vendor ? `${vendor} clang` : name;
}

export interface ToolchainHints {
  /** Function names from the name section. */
  functionNames?: readonly string[];
}

function withVersion(t: Toolchain, version: string | undefined): Toolchain {
  return version ? { ...t, version } : t;
}

const entryLabel = (e: ProducerEntry): string => `${e.name}${e.version ? ` ${versionIn(e.version) ?? e.version}` : ''}`;

/**
 * What built the module, from its producers section (plus name-section hints for mixed-language links).
 * `evidence` says which entries decided.
 */
export function toolchainOf(producers?: Producers, hints: ToolchainHints = {}): Toolchain | undefined {
  if (!producers) return undefined;
  for (const d of DRIVERS) {
    const tool = producers.processedBy.find((e) => d.name.test(e.name)) ?? producers.language.find((e) => d.name.test(e.name));
    if (tool) {
      return withVersion(
        { language: d.language, compiler: d.compiler, evidence: `producers: ${entryLabel(tool)}` },
        versionIn(tool.version || tool.name),
      );
    }
  }
  const langs = producers.language
    .map((e) => ({ e, rule: LANGUAGES.find((l) => l.name.test(e.name)) }))
    .filter((x): x is { e: ProducerEntry; rule: (typeof LANGUAGES)[number] } => x.rule !== undefined);
  if (langs.length > 0) {
    // C and C++ both listed (a C++ program links libc's C objects): the program is C++.
    const cxx = langs.find((l) => l.rule.compilerName === 'clang' && /^c(\+\+|_plus_plus|xx)/i.test(l.e.name));
    let chosen = langs[0]!.rule.compilerName === 'clang' && cxx ? cxx : langs[0]!;
    const rust = langs.find((l) => l.rule.compilerName === 'rustc');
    const c = cxx ?? langs.find((l) => l.rule.compilerName === 'clang');
    const listed = [...producers.language.map(entryLabel), ...producers.processedBy.map(entryLabel)].join(', ');
    let why = '';
    if (rust && c) {
      // Rust's std links wasi-libc (C + clang), and C programs link Rust libraries: the entry point decides.
      const names = hints.functionNames ?? [];
      const rustMain = names.some((n) => /lang_start/.test(n));
      const cMain = names.some((n) => n === '__main_void' || n === '__main_argc_argv' || n === '__original_main');
      if (rustMain) chosen = rust;
      else if (cMain) chosen = c;
      else {
        // Without a name section nothing says which language owns the program: say both rather than guess.
        const cLang = typeof c.rule.language === 'function' ? c.rule.language(c.e) : c.rule.language;
        return {
          language: `${cLang}+rust`,
          compiler: 'clang+rustc',
          evidence: `producers: ${listed} (C and Rust both linked in; no name section tells which owns the entry point)`,
        };
      }
      why = rustMain ? ' (entry point: Rust lang_start)' : ' (entry point: C main, Rust linked in)';
    }
    const rule = chosen.rule;
    const language = typeof rule.language === 'function' ? rule.language(chosen.e) : rule.language;
    const tool = producers.processedBy.find((e) => rule.compiler.test(e.name));
    return withVersion(
      { language, compiler: compilerLabel(rule.compilerName, tool), evidence: `producers: ${listed}${why}` },
      tool ? versionIn(tool.version || tool.name) : undefined,
    );
  }
  const compilers = producers.processedBy.filter((e) => !POST_PROCESSORS.test(e.name));
  for (const e of producers.processedBy) {
    const b = BINDGENS.find((x) => x.name.test(e.name));
    if (b)
      return {
        language: b.language,
        compiler: b.compiler,
        evidence: `producers: processed-by ${entryLabel(e)} (a ${b.language} binding generator)`,
      };
  }
  for (const e of compilers) {
    const l = LANGUAGES.find((x) => x.compiler.test(e.name));
    if (l) {
      const language = typeof l.language === 'string' ? l.language : 'c';
      return withVersion(
        { language, compiler: compilerLabel(l.compilerName, e), evidence: `producers: processed-by ${entryLabel(e)}` },
        versionIn(e.version || e.name),
      );
    }
  }
  const first = compilers[0] ?? producers.sdk[0];
  if (!first) return undefined;
  return withVersion({ language: 'unknown', compiler: first.name, evidence: `producers: ${entryLabel(first)}` }, versionIn(first.version));
}

/**
 * Fallback when producers names no compiler: tell-tale custom sections, import modules and function (or export) names.
 * Returns the first rule that holds, with the evidence that decided.
 */
export function toolchainFromEvidence(
  customSections: readonly string[],
  functionNames: readonly string[],
  importModules: readonly string[],
  importNames: readonly string[] = [],
): Toolchain | undefined {
  const name = (pred: (n: string) => boolean) => functionNames.find(pred);
  let hit: string | undefined;
  if (customSections.includes('go:buildid')) return { language: 'go', compiler: 'Go', evidence: 'custom section go:buildid' };
  if (importModules.includes('gojs')) return { language: 'go', compiler: 'Go', evidence: 'imports from gojs (GOOS=js runtime)' };
  if (
    (hit = name(
      (n) =>
        /^runtime\.(schedinit|goenvs|rt0_go|osinit|mallocinit|randinit|args_sizes_get|environ_sizes_get)$/.test(n) ||
        n === '_rt0_wasm_wasip1' ||
        n === '_rt0_wasm_js',
    ))
  )
    return { language: 'go', compiler: 'Go', evidence: `function ${hit}` };
  if (
    (hit = name(
      (n) => n === 'runtime.run' || n.startsWith('tinygo_') || (n === 'runtime.alloc' && functionNames.includes('runtime.markRoots')),
    ))
  )
    return { language: 'tinygo', compiler: 'TinyGo', evidence: `function ${hit}` };
  if ((hit = name((n) => n.startsWith('~lib/') || n === '~start')))
    return { language: 'assemblyscript', compiler: 'AssemblyScript', evidence: `function ${hit}` };
  // asc names functions `<file>/<name>` (e.g. `lib/add`) and imports its abort handler as env.abort.
  if (importModules.includes('env') && importNames.includes('abort') && (hit = name((n) => /^[\w.-]+\/[\w$./-]+$/.test(n))))
    return { language: 'assemblyscript', compiler: 'AssemblyScript', evidence: `function ${hit} (asc's file/name) and env::abort` };
  if (
    (hit = name(
      (n) =>
        /^(rust_begin_unwind|rust_eh_personality|__rust_alloc|__rust_start_panic|__rdl_alloc)$/.test(n) ||
        /^_ZN4core9panicking/.test(n) ||
        /^_RNv.*core.*panicking/.test(n) ||
        /^(std|core|alloc)::/.test(n),
    ))
  )
    return { language: 'rust', compiler: 'rustc', evidence: `function ${hit}` };
  if ((hit = importNames.find((n) => n.startsWith('__wbindgen_') || n.startsWith('__wbg_'))))
    return { language: 'rust', compiler: 'rustc', evidence: `wasm-bindgen import ${hit}` };
  if ((hit = zigName(functionNames))) return { language: 'zig', compiler: 'Zig', evidence: `function ${hit}` };
  if ((hit = importNames.find((n) => /^(emscripten_|_emscripten_|__syscall_|invoke_)/.test(n))))
    return { language: 'c', compiler: 'Emscripten', evidence: `Emscripten import ${hit}` };
  if ((hit = name((n) => /^(__main_void|__original_main|__main_argc_argv|__wasm_call_ctors|__wasilibc_\w+|__wasi_\w+)$/.test(n))))
    return { language: 'c', compiler: 'clang', evidence: `function ${hit} (clang / wasi-libc)` };
  return undefined;
}

/** A function name from Zig's standard library or start code (Zig names functions `std.mem.copy`, `start._start`). */
function zigName(functionNames: readonly string[]): string | undefined {
  if (!functionNames.some((m) => m.startsWith('std.'))) return undefined;
  return functionNames.find((n) => /^(std\.|start\.|debug\.|heap\.)/.test(n));
}

/** A language runtime compiled into the module (an interpreter or VM): the program it runs is in that language. */
const RUNTIMES: { runtime: string; test: (name: string) => boolean }[] = [
  { runtime: 'CPython', test: (n) => /^(_PyRuntime|Py_InitializeFromConfig|Py_BytesMain|Py_RunMain)$/.test(n) },
  {
    runtime: 'CRuby',
    test: (n) => /^(ruby_init|ruby_setup|ruby_options|rb_eval_string_protect)$|^(ruby-init|rb-eval-string-protect)\b/.test(n),
  },
  { runtime: '.NET (Mono)', test: (n) => /^mono_wasm_(load_runtime|add_assembly|register_root)$|^mono_jiterp_/.test(n) },
];

/** Emscripten's runtime ABI: stack helpers it exports (standalone builds too) and the JS glue's imports. */
const EMSCRIPTEN_EXPORTS =
  /^(stackSave|stackRestore|stackAlloc|emscripten_stack_(init|get_end|get_base|get_free)|_emscripten_stack_(restore|alloc))$/;

/**
 * What names and exports add to a toolchain found from producers or other evidence: the language runtime compiled in
 * (CPython, CRuby, .NET's Mono) and the Emscripten SDK behind a clang (its producers name only clang).
 */
export function refineToolchain(
  t: Toolchain | undefined,
  functionNames: readonly string[],
  exportNames: readonly string[],
  importNames: readonly string[],
): Toolchain | undefined {
  if (!t) return t;
  let out = t;
  // `zig cc` / `zig build` record only clang (and C) in producers; Zig's own code names its functions `std.…`.
  const zig = out.language === 'c' ? zigName(functionNames) : undefined;
  if (zig)
    out = { language: 'zig', compiler: 'Zig', evidence: `function ${zig} (Zig's standard library; producers: ${out.evidence ?? ''})` };
  const names = [...exportNames, ...functionNames];
  for (const r of RUNTIMES) {
    const hit = names.find(r.test);
    if (hit) {
      out = { ...out, runtime: r.runtime, evidence: `${out.evidence ?? ''}; ${r.runtime} inside (${hit})`.replace(/^; /, '') };
      break;
    }
  }
  const em = exportNames.find((n) => EMSCRIPTEN_EXPORTS.test(n)) ?? importNames.find((n) => /^(emscripten_|_emscripten_)/.test(n));
  if (em && (out.language === 'c' || out.language === 'c++') && !/emscripten/i.test(out.compiler ?? '')) {
    const clang = [out.compiler, out.version].filter(Boolean).join(' ');
    const { version: _clangVersion, ...rest } = out;
    out = { ...rest, compiler: 'Emscripten', evidence: `${out.evidence ?? ''}; Emscripten runtime ABI: ${em} (its ${clang})` };
  }
  return out;
}
