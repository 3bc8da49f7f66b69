/**
 * The shape of a component, for transpiling once per shape instead of once per artifact.
 *
 * jco's generated JS (`component.js`) is glue: it instantiates the component's core modules and wires their imports
 * and exports together as the component's own sections say, naming core imports and exports by name. So the JS depends
 * on the component-level sections and on each core module's interface (its imports, its export names and their
 * function types), not on the modules' code or data. The core modules are written as files, byte for byte as they
 * sit in the component (runner.ts checks that on every transpile before it reuses a result).
 *
 * The key: every top-level component section as it is, except that a core module section counts by its interface.
 * Anything this reader does not fully understand (GC or typed function references in a signature, a limits flag it
 * does not know, a malformed module) gives no key: that component is transpiled on its own, as before.
 */
import { createHash } from 'node:crypto';
import { ByteReader, readSections } from '../../inspect/reader.js';

export interface ComponentShape {
  key: string;
  /** The top-level core modules in index order (what jco writes as component.core.wasm, component.core2.wasm, …). */
  modules: Uint8Array[];
}

const CORE_MODULE_SECTION = 1;
/** Number and reference types that are one byte (i32 i64 f32 f64 v128 funcref externref). */
const SIMPLE_VALTYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

class NoShape extends Error {}

function need(condition: boolean): void {
  if (!condition) throw new NoShape();
}

/** The shape of a component, or undefined when it has none this reader can vouch for (see the top of this file). */
export function componentShape(bytes: Uint8Array): ComponentShape | undefined {
  try {
    const hash = createHash('sha256').update('component-shape-v1\0');
    const modules: Uint8Array[] = [];
    hash.update(bytes.subarray(0, 8)); // preamble: magic, version, layer
    for (const s of readSections(bytes, String)) {
      const payload = bytes.subarray(s.start, s.end);
      hash.update(`\0section ${s.id} `);
      if (s.id === CORE_MODULE_SECTION) {
        modules.push(payload);
        hash.update(moduleInterface(payload));
      } else {
        hash.update(`${payload.length}\0`).update(payload);
      }
    }
    return { key: hash.digest('hex'), modules };
  } catch {
    // NoShape, or an InspectError/EndOfData from a malformed component: no key, transpile it on its own.
    return undefined;
  }
}

/** A canonical text of a core module's imports (with their full types) and exports (names, kinds, function types). */
function moduleInterface(bytes: Uint8Array): string {
  need(bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d);
  const preamble = Buffer.from(bytes.subarray(4, 8)).toString('hex');
  const types: string[] = [];
  const funcTypes: number[] = []; // type index of every function, imported ones first
  const imports: string[] = [];
  const exports: string[] = [];
  const typeOf = (index: number): string => {
    const type = types[index];
    need(type !== undefined);
    return type!;
  };
  for (const s of readSections(bytes, String)) {
    const r = new ByteReader(bytes, s.start, s.end);
    switch (s.id) {
      case 1: {
        for (let n = r.u32(), i = 0; i < n; i++) {
          need(r.u8() === 0x60); // a plain function type; rec groups / subtypes (GC) are not vouched for
          const params = valTypes(r);
          const results = valTypes(r);
          types.push(`(${params})->(${results})`);
        }
        break;
      }
      case 2: {
        for (let n = r.u32(), i = 0; i < n; i++) {
          const module = r.name();
          const name = r.name();
          const kind = r.u8();
          let desc: string;
          if (kind === 0x00) {
            const t = r.u32();
            funcTypes.push(t);
            desc = `func ${typeOf(t)}`;
          } else if (kind === 0x01) {
            desc = `table ${refType(r)} ${limits(r)}`;
          } else if (kind === 0x02) {
            desc = `memory ${limits(r)}`;
          } else if (kind === 0x03) {
            desc = `global ${valType(r)} ${r.u8()}`;
          } else if (kind === 0x04) {
            desc = `tag ${r.u8()} ${typeOf(r.u32())}`;
          } else {
            throw new NoShape();
          }
          imports.push(`${JSON.stringify(module)} ${JSON.stringify(name)} ${desc}`);
        }
        break;
      }
      case 3: {
        for (let n = r.u32(), i = 0; i < n; i++) funcTypes.push(r.u32());
        break;
      }
      case 7: {
        for (let n = r.u32(), i = 0; i < n; i++) {
          const name = r.name();
          const kind = r.u8();
          const index = r.u32();
          need(kind <= 4);
          // Sections come in order (type, import, function before export), so every function's type is known here.
          const signature = kind === 0 ? ` ${typeOf(funcTypes[index] ?? -1)}` : '';
          exports.push(`${JSON.stringify(name)} ${kind}${signature}`);
        }
        break;
      }
      default:
      // code, data, custom, …: the module's content, not its interface
    }
  }
  return `module ${preamble}\nimports\n${imports.join('\n')}\nexports\n${exports.join('\n')}\n`;
}

function valType(r: ByteReader): string {
  const t = r.u8();
  need(SIMPLE_VALTYPES.has(t));
  return t.toString(16);
}

function valTypes(r: ByteReader): string {
  const out: string[] = [];
  for (let n = r.u32(), i = 0; i < n; i++) out.push(valType(r));
  return out.join(',');
}

function refType(r: ByteReader): string {
  const t = r.u8();
  need(t === 0x70 || t === 0x6f);
  return t.toString(16);
}

function limits(r: ByteReader): string {
  const flags = r.u8();
  need(flags <= 0x07); // max present, shared, 64-bit
  const bits = flags & 0x04 ? 64 : 32;
  const min = r.uleb(bits);
  const max = flags & 0x01 ? r.uleb(bits) : undefined;
  return `${flags}:${min}:${max ?? ''}`;
}
