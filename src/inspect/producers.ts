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

const joined = (e: ProducerEntry): string => `${e.name} ${e.version}`.trim();

interface Rule {
  language: string | ((p: Producers) => string);
  compiler: string;
  /** Matches a processed-by or language entry (name + version joined by a space). */
  processedBy?: RegExp;
  language_?: RegExp;
}

/** Most specific first: TinyGo also reports `Go`, Rust builds also list C99 and sometimes clang. */
const RULES: Rule[] = [
  { language: 'tinygo', compiler: 'TinyGo', processedBy: /\btinygo\b/i, language_: /\btinygo\b/i },
  { language: 'go', compiler: 'Go', processedBy: /^go\b|\bcmd\/compile\b/i, language_: /^go\b/i },
  { language: 'rust', compiler: 'rustc', processedBy: /\brustc\b/i, language_: /^rust\b/i },
  { language: 'assemblyscript', compiler: 'AssemblyScript', processedBy: /\bassemblyscript\b|\basc\b/i, language_: /\bassemblyscript\b/i },
  { language: 'zig', compiler: 'Zig', processedBy: /\bzig\b/i, language_: /^zig\b/i },
  { language: cLanguage, compiler: 'clang', processedBy: /\bclang\b/i },
  { language: 'wat', compiler: 'wat', processedBy: /^(wat|wat2wasm|wabt|wast)\b/i, language_: /^(wat|wast)\b/i },
];

/** 'c++' when the language field names C++ (LLVM spells it `C_plus_plus_14`), else 'c'. */
function cLanguage(p: Producers): string {
  return p.language.some((e) => /^c(\+\+|_plus_plus|xx)/i.test(e.name)) ? 'c++' : 'c';
}

/**
 * What built the module, from its producers section. Recognises Go, TinyGo, rustc, clang (C/C++),
 * AssemblyScript, Zig and WAT tools; anything else with a producers section is `unknown` with the
 * first processed-by tool as compiler.
 */
export function toolchainOf(producers?: Producers): Toolchain | undefined {
  if (!producers) return undefined;
  for (const rule of RULES) {
    const tool = rule.processedBy ? producers.processedBy.find((e) => rule.processedBy!.test(joined(e))) : undefined;
    const lang = rule.language_ ? producers.language.find((e) => rule.language_!.test(joined(e))) : undefined;
    if (!tool && !lang) continue;
    const language = typeof rule.language === 'function' ? rule.language(producers) : rule.language;
    const version = (tool && versionIn(tool.version || tool.name)) ?? (lang && versionIn(lang.version || lang.name));
    return withVersion({ language, compiler: rule.compiler }, version);
  }
  const first = producers.processedBy[0] ?? producers.sdk[0];
  if (!first && producers.language.length === 0) return undefined;
  return withVersion({ language: 'unknown', ...(first ? { compiler: first.name } : {}) }, first && versionIn(joined(first)));
}

function withVersion(t: Toolchain, version: string | undefined): Toolchain {
  return version ? { ...t, version } : t;
}

/** Fallback when there is no producers section: tell-tale custom sections and function names. */
export function toolchainFromNames(customSections: string[], functionNames: string[]): Toolchain | undefined {
  if (customSections.includes('go:buildid') || functionNames.some((n) => n === 'runtime.schedinit' || n === '_rt0_wasm_wasip1')) {
    return { language: 'go', compiler: 'Go' };
  }
  if (functionNames.some((n) => /^(rust_begin_unwind|__rust_alloc|__rust_start_panic)$/.test(n) || /^_ZN4core9panicking/.test(n))) {
    return { language: 'rust', compiler: 'rustc' };
  }
  return undefined;
}
