/**
 * Core module reading: imports, exports, memories, custom sections and the producers section.
 * Only what the conversion and diagnosis stages need is decoded; code and data are skipped by size.
 */
import type { ExportEntry, ExternKind, ImportEntry, ModuleFacts, Producers } from '../model.js';
import { type CodeBody, exceptionUse, reachableImport } from './callgraph.js';
import { hostRequirement } from './host.js';
import { decodeProducers, refineToolchain, toolchainFromEvidence, toolchainOf } from './producers.js';
import { ByteReader, InspectError, hex, readSections, withSection } from './reader.js';

const SECTION_NAMES: Record<number, string> = {
  0: 'custom',
  1: 'type',
  2: 'import',
  3: 'function',
  4: 'table',
  5: 'memory',
  6: 'global',
  7: 'export',
  8: 'start',
  9: 'element',
  10: 'code',
  11: 'data',
  12: 'data count',
  13: 'tag',
};

export const moduleSectionName = (id: number): string => SECTION_NAMES[id] ?? 'unknown';

const EXTERN_KINDS: ExternKind[] = ['func', 'table', 'memory', 'global', 'tag'];

interface Limits {
  min: number;
  max?: number;
  shared: boolean;
  is64: boolean;
}

function readLimits(r: ByteReader, forMemory: boolean): Limits {
  const at = r.pos;
  const flags = r.u8();
  // bit 0: max present; bit 1: shared (memories); bit 2: 64-bit index; bit 3: custom page size (memories).
  if (flags & ~(forMemory ? 0x0f : 0x05)) {
    throw new InspectError(`unknown ${forMemory ? 'memory' : 'table'} limits flags ${hex(flags)} at offset ${hex(at)}`);
  }
  const is64 = (flags & 0x04) !== 0;
  const min = is64 ? r.u64() : r.u32();
  const max = flags & 0x01 ? (is64 ? r.u64() : r.u32()) : undefined;
  if (flags & 0x08) r.u32(); // log2 of the custom page size
  return { min, ...(max !== undefined ? { max } : {}), shared: (flags & 0x02) !== 0, is64 };
}

/** Value / reference types, including the GC proposal's `(ref null? ht)` forms. */
function readValType(r: ByteReader): void {
  const b = r.u8();
  if (b === 0x63 || b === 0x64) r.s33();
}

function readTableType(r: ByteReader): void {
  readValType(r);
  readLimits(r, false);
}

function readGlobalType(r: ByteReader): void {
  readValType(r);
  r.u8(); // mutability
}

export interface ParsedModule {
  facts: ModuleFacts;
  /** Producers section that could not be decoded (kept out of `facts`; the module is still usable). */
  producersError?: string;
}

/**
 * Reads a core module (preamble already checked). Throws `InspectError` on truncation or a
 * malformed section it needs.
 */
export function parseModule(bytes: Uint8Array): ParsedModule {
  const sections = readSections(bytes, moduleSectionName);
  const imports: ImportEntry[] = [];
  const exports: ExportEntry[] = [];
  const memories: Limits[] = [];
  let importedMemories = 0;
  const customSections: string[] = [];
  const functionNames: string[] = [];
  const nameByIndex = new Map<number, string>();
  const bodies: CodeBody[] = [];
  let reallocIndex: number | undefined;
  let producers: Producers | undefined;
  let producersError: string | undefined;
  let targetFeatures: string[] | undefined;
  let tags = 0;

  for (const s of sections) {
    const label = moduleSectionName(s.id);
    switch (s.id) {
      case 0: {
        const { name, payloadStart } = withSection(
          bytes,
          s,
          label,
          (r, what) => {
            what.current = 'the custom section name';
            const name = r.name();
            return { name, payloadStart: r.pos };
          },
          { allowTrailing: true },
        );
        customSections.push(name);
        const payload = bytes.subarray(payloadStart, s.end);
        if (name === 'producers') {
          try {
            producers = mergeProducers(producers, decodeProducers(payload));
          } catch (e) {
            producersError = e instanceof Error ? e.message : String(e);
          }
        } else if (name === 'target_features') {
          targetFeatures = tryTargetFeatures(payload);
        } else if (name === 'name') {
          for (const [i, n] of tryFunctionNames(payload)) {
            functionNames.push(n);
            nameByIndex.set(i, n);
          }
        }
        break;
      }
      case 2:
        withSection(bytes, s, label, (r, what) => {
          const n = r.u32();
          for (let i = 0; i < n; i++) {
            what.current = `import ${i}`;
            const module = r.name();
            const name = r.name();
            what.current = `import ${i} ('${module}' '${name}')`;
            const at = r.pos;
            const k = r.u8();
            switch (k) {
              case 0x00:
                r.u32();
                break;
              case 0x01:
                readTableType(r);
                break;
              case 0x02:
                memories.push(readLimits(r, true));
                importedMemories++;
                break;
              case 0x03:
                readGlobalType(r);
                break;
              case 0x04:
                r.u8();
                r.u32();
                break;
              default:
                throw new InspectError(`unknown import kind ${hex(k)} at offset ${hex(at)}`);
            }
            imports.push({ module, name, kind: EXTERN_KINDS[k]! });
          }
        });
        break;
      case 5:
        withSection(bytes, s, label, (r, what) => {
          const n = r.u32();
          for (let i = 0; i < n; i++) {
            what.current = `memory ${i}`;
            memories.push(readLimits(r, true));
          }
        });
        break;
      case 7:
        withSection(bytes, s, label, (r, what) => {
          const n = r.u32();
          for (let i = 0; i < n; i++) {
            what.current = `export ${i}`;
            const name = r.name();
            const at = r.pos;
            const k = r.u8();
            if (k > 4) throw new InspectError(`unknown export kind ${hex(k)} for '${name}' at offset ${hex(at)}`);
            const index = r.u32();
            if (k === 0 && name === 'cabi_realloc') reallocIndex = index;
            exports.push({ name, kind: EXTERN_KINDS[k]! });
          }
        });
        break;
      case 10:
        // Bodies are only located here; the call graph decodes the ones it needs (cabi_realloc's reach).
        withSection(bytes, s, label, (r, what) => {
          const n = r.u32();
          for (let i = 0; i < n; i++) {
            what.current = `function body ${i}`;
            const size = r.u32();
            bodies.push({ start: r.pos, end: r.pos + size });
            r.skip(size);
          }
        });
        break;
      case 13:
        tags = withSection(bytes, s, label, (r) => r.u32(), { allowTrailing: true });
        break;
      default:
        if (!(s.id in SECTION_NAMES)) {
          throw new InspectError(`unknown section id ${s.id} at offset ${hex(s.offset)}`);
        }
      // type, function, table, global, start, element, code, data, data count, tag: not needed, skipped by size.
    }
  }

  const facts = deriveFacts(imports, exports, memories, importedMemories, customSections, producers, functionNames);
  if (targetFeatures) facts.targetFeatures = targetFeatures;
  // Exception handling: hosts refuse the legacy proposal's instructions (try/catch/rethrow/delegate) unless enabled, before
  // any code runs. Only decoded when the module declares exceptions (target_features) or defines/imports a tag.
  const importedTags = imports.filter((i) => i.kind === 'tag').length;
  if (tags + importedTags > 0 || targetFeatures?.includes('+exception-handling')) {
    const importedFuncs = imports.filter((i) => i.kind === 'func').length;
    const eh = exceptionUse(bytes, bodies, importedFuncs, nameByIndex);
    if (eh.legacy) {
      facts.features.push('legacy-exceptions');
      facts.legacyExceptions = eh.legacy;
    }
    if (eh.standard) facts.features.push('exceptions');
  }
  if (reallocIndex !== undefined) {
    const importedFuncs = imports.filter((i) => i.kind === 'func');
    const reach = reachableImport(
      bytes,
      reallocIndex,
      importedFuncs,
      bodies,
      nameByIndex,
      (i) => i.module === WASI_P1 || i.module === WASI_UNSTABLE,
    );
    if (reach) facts.reallocCallsImport = reach;
  }
  return { facts, ...(producersError ? { producersError } : {}) };
}

function mergeProducers(a: Producers | undefined, b: Producers): Producers {
  if (!a) return b;
  return { language: [...a.language, ...b.language], processedBy: [...a.processedBy, ...b.processedBy], sdk: [...a.sdk, ...b.sdk] };
}

/** Function names from the `name` section (subsection 1); best effort, never throws. */
function tryFunctionNames(payload: Uint8Array): [number, string][] {
  const names: [number, string][] = [];
  try {
    const r = new ByteReader(payload);
    while (!r.atEnd()) {
      const id = r.u8();
      const size = r.u32();
      const sub = r.sub(size);
      if (id !== 1) continue;
      const n = sub.u32();
      for (let i = 0; i < n; i++) {
        const index = sub.u32();
        names.push([index, sub.name()]);
      }
    }
  } catch {
    // A broken name section is not our concern: engines ignore it too.
  }
  return names;
}

/**
 * The `target_features` custom section (tool-conventions Linking.md): vec(prefix byte `+` used / `-` disallowed /
 * `=` required, feature name) → ['+exception-handling', …]. Best effort: a broken section yields what was read.
 */
function tryTargetFeatures(payload: Uint8Array): string[] {
  const out: string[] = [];
  try {
    const r = new ByteReader(payload);
    const n = r.u32();
    for (let i = 0; i < n && i < 256; i++) {
      const prefix = String.fromCharCode(r.u8());
      out.push(`${prefix}${r.name()}`);
    }
  } catch {
    // Engines ignore custom sections; so do we past the point they stop making sense.
  }
  return out;
}

const WASI_P1 = 'wasi_snapshot_preview1';

/** A WIT-typed import module: an interface (`wasi:cli/environment@0.2.3`), the world root, or a resource intrinsic. */
function isWitImportModule(module: string): boolean {
  return /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*\//.test(module) || module === '$root' || module.startsWith('[export]');
}
const WASI_UNSTABLE = 'wasi_unstable';

function deriveFacts(
  imports: ImportEntry[],
  exports: ExportEntry[],
  memories: Limits[],
  importedMemories: number,
  customSections: string[],
  producers: Producers | undefined,
  functionNames: string[],
): ModuleFacts {
  const importsByModule: Record<string, string[]> = {};
  for (const imp of imports) (importsByModule[imp.module] ??= []).push(imp.name);
  const exportNames = new Set(exports.map((e) => e.name));
  const hasStart = exportNames.has('_start');
  // A core module built for WASI 0.2 exports `wasi:cli/run@0.2.x#run` itself (WIT-encoded names): a command too.
  const witRun = exports.find((e) => e.kind === 'func' && /^wasi:cli\/run@[^#]*#run$/.test(e.name))?.name;
  const hasInitialize = exportNames.has('_initialize');
  const mem0 = memories[0];
  const memory = {
    count: memories.length,
    imported: importedMemories > 0,
    exported: exports.some((e) => e.kind === 'memory'),
    shared: memories.some((m) => m.shared),
    memory64: memories.some((m) => m.is64),
    ...(mem0 ? { minPages: mem0.min } : {}),
    ...(mem0?.max !== undefined ? { maxPages: mem0.max } : {}),
  };
  const features: string[] = [];
  if (memory.shared || imports.some((i) => i.module === 'wasi' && i.name === 'thread-spawn')) features.push('threads');
  if (memory.memory64) features.push('memory64');
  if (memory.count > 1) features.push('multi-memory');
  // Producers first; when it names no language (stripped, or only post-processors), the other evidence decides.
  const fromProducers = toolchainOf(producers, { functionNames });
  const found =
    fromProducers && fromProducers.language !== 'unknown'
      ? fromProducers
      : (toolchainFromEvidence(
          customSections,
          [...functionNames, ...exports.map((e) => e.name)],
          Object.keys(importsByModule),
          imports.map((i) => i.name),
        ) ?? fromProducers);
  const toolchain = refineToolchain(
    found,
    functionNames,
    exports.map((e) => e.name),
    imports.map((i) => i.name),
  );
  // `component-type…` custom sections carry the WIT world the imports are typed by (wit-bindgen / wasm32-wasip2 output):
  // imports from `ns:pkg/iface` modules are then satisfied through WIT, not by the P1 adapter.
  const witMetadata = customSections.some((name) => name.startsWith('component-type'));
  const host = hostRequirement(
    imports,
    exports.map((e) => e.name),
    customSections,
  );
  return {
    imports,
    importsByModule,
    exports,
    style: hasStart || witRun ? 'command' : 'reactor',
    ...(witRun ? { witRunExport: witRun } : {}),
    hasStart,
    hasInitialize,
    hasCabiRealloc: exports.some((e) => e.name === 'cabi_realloc' && e.kind === 'func'),
    memory,
    wasiUnstable: imports.some((i) => i.module === WASI_UNSTABLE),
    nonWasiImportModules: Object.keys(importsByModule).filter(
      (m) => m !== WASI_P1 && m !== WASI_UNSTABLE && !(witMetadata && isWitImportModule(m)),
    ),
    // Such modules (e.g. wasm32-wasip2 output: wasi-libc's P1 imports next to std's WASI 0.2 ones) have no P1 host.
    targetsWasiP2: witMetadata && Object.keys(importsByModule).some(isWitImportModule),
    ...(host ? { host } : {}),
    ...(producers ? { producers } : {}),
    ...(toolchain ? { toolchain } : {}),
    customSections,
    features,
  };
}

/** Features the running engine may lack, with a tiny module that uses each (to ask the engine). */
const FEATURE_PROBES: Record<string, Uint8Array<ArrayBuffer>> = {
  // (module (memory i64 1))
  memory64: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 0x04, 1]),
  // (module (memory 1) (memory 1))
  'multi-memory': new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 5, 2, 0, 1, 0, 1]),
  // (module (memory 1 1 shared))
  threads: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 4, 1, 3, 1, 1]),
};

const probeCache = new Map<string, boolean>();

/** Whether this process's WebAssembly engine validates modules using `feature`. */
export function engineSupports(feature: string): boolean {
  const probe = FEATURE_PROBES[feature];
  if (!probe) return true;
  let ok = probeCache.get(feature);
  if (ok === undefined) {
    ok = WebAssembly.validate(probe);
    probeCache.set(feature, ok);
  }
  return ok;
}

/**
 * Validates with the engine. Returns undefined when valid (or when the module uses a proposal the
 * engine does not implement, so its verdict says nothing about the module), else the engine's reason.
 */
export function validateModule(input: Uint8Array, features: string[]): string | undefined {
  // The engine API takes BufferSource; a view over a SharedArrayBuffer is read the same way.
  const bytes = input as Uint8Array<ArrayBuffer>;
  if (WebAssembly.validate(bytes)) return undefined;
  if (features.some((f) => !engineSupports(f))) return undefined;
  try {
    new WebAssembly.Module(bytes);
    return 'failed validation (the engine gave no reason)';
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return `failed validation: ${msg.replace(/^WebAssembly\.Module\(\):\s*/, '')}`;
  }
}
