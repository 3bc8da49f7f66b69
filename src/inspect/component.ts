/**
 * Component reading: the names of the top-level imports and exports and the WASI 0.2 version they use.
 * Nested components, core modules and types are skipped by size.
 */
import semver from 'semver';
import type { ComponentFacts } from '../model.js';
import { type ByteReader, InspectError, hex, readSections, withSection } from './reader.js';

const SECTION_NAMES: Record<number, string> = {
  0: 'custom',
  1: 'core module',
  2: 'core instance',
  3: 'core type',
  4: 'component',
  5: 'instance',
  6: 'alias',
  7: 'type',
  8: 'canon',
  9: 'start',
  10: 'import',
  11: 'export',
  12: 'value',
};

export const componentSectionName = (id: number): string => SECTION_NAMES[id] ?? 'unknown';

/** importname' / exportname': 0x00 name | 0x01 name + a second string (URL in old drafts, version suffix now). */
function readExternName(r: ByteReader): string {
  const at = r.pos;
  const tag = r.u8();
  if (tag !== 0x00 && tag !== 0x01) throw new InspectError(`unknown extern name encoding ${hex(tag)} at offset ${hex(at)}`);
  const name = r.name();
  if (tag === 0x01) r.name();
  return name;
}

function readExternDesc(r: ByteReader): void {
  const at = r.pos;
  const k = r.u8();
  switch (k) {
    case 0x00: // core module: 0x11 typeidx
      r.u8();
      r.u32();
      return;
    case 0x01: // func
    case 0x04: // component
    case 0x05: // instance
      r.u32();
      return;
    case 0x02: // value: 0x00 valueidx | 0x01 valtype
      if (r.u8() === 0x00) r.u32();
      else r.s33();
      return;
    case 0x03: // type: 0x00 eq typeidx | 0x01 sub resource
      if (r.u8() === 0x00) r.u32();
      return;
    default:
      throw new InspectError(`unknown extern kind ${hex(k)} at offset ${hex(at)}`);
  }
}

function readSortIdx(r: ByteReader): void {
  if (r.u8() === 0x00) r.u8(); // core sort
  r.u32();
}

const WASI_REF = /wasi:[a-z0-9-]+\/[a-z0-9-]+@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/g;

/** Highest WASI 0.2.x version among `wasi:pkg/iface@0.2.x` names. */
export function highestWasi02(names: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const n of names) {
    for (const m of n.matchAll(WASI_REF)) {
      const v = semver.valid(m[1]!);
      if (v === null || semver.major(v) !== 0 || semver.minor(v) !== 2) continue;
      if (best === undefined || semver.gt(v, best)) best = v;
    }
  }
  return best;
}

/** Parses a component (preamble already checked). Throws `InspectError` on truncation. */
export function parseComponent(bytes: Uint8Array): ComponentFacts {
  const sections = readSections(bytes, componentSectionName);
  const imports: string[] = [];
  const exports: string[] = [];
  let decodeFailed = false;
  for (const s of sections) {
    if (s.id !== 10 && s.id !== 11) continue;
    try {
      withSection(bytes, s, componentSectionName(s.id), (r, what) => {
        const n = r.u32();
        for (let i = 0; i < n; i++) {
          what.current = `${s.id === 10 ? 'import' : 'export'} ${i}`;
          const name = readExternName(r);
          if (s.id === 10) {
            readExternDesc(r);
            imports.push(name);
          } else {
            readSortIdx(r);
            if (r.u8() === 0x01) readExternDesc(r);
            exports.push(name);
          }
        }
      });
    } catch (e) {
      if (!(e instanceof InspectError)) throw e;
      // Encodings move between component-model drafts: fall back to scanning for the names below.
      decodeFailed = true;
    }
  }
  if (decodeFailed) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    for (const m of text.matchAll(WASI_REF)) if (!imports.includes(m[0])) imports.push(m[0]);
  }
  const wasiVersion = highestWasi02(imports);
  return { imports, exports, ...(wasiVersion ? { wasiVersion } : {}) };
}
