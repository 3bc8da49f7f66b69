/** A tiny WebAssembly binary encoder for tests: just enough to build modules and components by hand. */

export type Bytes = number[];

export function uleb(n: number | bigint): Bytes {
  let v = BigInt(n);
  const out: Bytes = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

export function str(s: string): Bytes {
  const b = [...Buffer.from(s, 'utf8')];
  return [...uleb(b.length), ...b];
}

export function vec(items: Bytes[]): Bytes {
  return [...uleb(items.length), ...items.flat()];
}

export function section(id: number, payload: Bytes): Bytes {
  return [id, ...uleb(payload.length), ...payload];
}

export function custom(name: string, payload: Bytes): Bytes {
  return section(0, [...str(name), ...payload]);
}

export const MODULE_HEADER: Bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
export const COMPONENT_HEADER: Bytes = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

export function producersPayload(fields: Record<string, [string, string][]>): Bytes {
  return vec(Object.entries(fields).map(([field, values]) => [...str(field), ...vec(values.map(([n, v]) => [...str(n), ...str(v)]))]));
}

export interface MemSpec {
  min: number;
  max?: number;
  shared?: boolean;
  is64?: boolean;
}

export function limits(m: MemSpec): Bytes {
  const flags = (m.max !== undefined ? 1 : 0) | (m.shared ? 2 : 0) | (m.is64 ? 4 : 0);
  return [flags, ...uleb(m.min), ...(m.max !== undefined ? uleb(m.max) : [])];
}

export interface ModuleSpec {
  /** Function imports use type 0 `() -> ()`. */
  funcImports?: [string, string][];
  memoryImport?: [string, string, MemSpec];
  memories?: MemSpec[];
  /** Exported functions (each gets a defined function with an empty body). */
  funcExports?: string[];
  exportMemory?: string;
  customs?: [string, Bytes][];
  /** Instructions of each exported function's body (before its `end`); default: none. */
  bodies?: Bytes[];
}

/** A valid module: `() -> ()` type, the imports, one empty function per export, memories, customs. */
export function buildModule(spec: ModuleSpec): Uint8Array {
  const out: Bytes = [...MODULE_HEADER];
  out.push(...section(1, vec([[0x60, 0x00, 0x00]])));
  const imports: Bytes[] = (spec.funcImports ?? []).map(([m, n]) => [...str(m), ...str(n), 0x00, 0x00]);
  if (spec.memoryImport) {
    const [m, n, lim] = spec.memoryImport;
    imports.push([...str(m), ...str(n), 0x02, ...limits(lim)]);
  }
  if (imports.length) out.push(...section(2, vec(imports)));
  const fexports = spec.funcExports ?? [];
  if (fexports.length) out.push(...section(3, vec(fexports.map(() => [0x00]))));
  if (spec.memories?.length) out.push(...section(5, vec(spec.memories.map(limits))));
  const nImportedFuncs = spec.funcImports?.length ?? 0;
  const exps: Bytes[] = fexports.map((name, i) => [...str(name), 0x00, ...uleb(nImportedFuncs + i)]);
  if (spec.exportMemory) exps.push([...str(spec.exportMemory), 0x02, 0x00]);
  if (exps.length) out.push(...section(7, vec(exps)));
  if (fexports.length)
    out.push(
      ...section(
        10,
        vec(
          fexports.map((_, i) => {
            const body = [0x00, ...(spec.bodies?.[i] ?? []), 0x0b];
            return [...uleb(body.length), ...body];
          }),
        ),
      ),
    );
  for (const [name, payload] of spec.customs ?? []) out.push(...custom(name, payload));
  return new Uint8Array(out);
}

/** A component with only import and export sections (names only; types are placeholders). */
export function buildComponent(imports: string[], exports: string[]): Uint8Array {
  const out: Bytes = [...COMPONENT_HEADER];
  // Import: name, externdesc instance type 0.
  if (imports.length) out.push(...section(10, vec(imports.map((n) => [0x00, ...str(n), 0x05, 0x00]))));
  // Export: name, sortidx instance 0, no externdesc.
  if (exports.length) out.push(...section(11, vec(exports.map((n) => [0x00, ...str(n), 0x05, 0x00, 0x00]))));
  return new Uint8Array(out);
}
