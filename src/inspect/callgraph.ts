/**
 * Which imports a function can reach through direct calls: a small decoder over the code section that only follows
 * `call` / `return_call` and skips every other instruction by its immediates. Used to find a `cabi_realloc` that
 * (transitively) calls a WASI import, which the component model forbids while the host lowers values into the
 * instance: wasmtime traps with `cannot leave component instance`, jco's runtime does not check it.
 *
 * Conservative by construction: an instruction it does not know (e.g. the GC proposal's 0xFB prefix) makes the function
 * "not analysed" (no claim is made), and indirect calls are not followed (reported as such).
 */
import { ByteReader } from './reader.js';

export interface CodeBody {
  /** Absolute start/end of the body's bytes (locals + expression). */
  start: number;
  end: number;
}

export interface FunctionCalls {
  /** Direct callees (function indices, imports first). */
  calls: Set<number>;
  /** The body uses call_indirect / call_ref (not followed). */
  indirect: boolean;
  /** False when an unknown instruction stopped the decoder: nothing is claimed about this body. */
  decoded: boolean;
}

/** Skips a LEB128 integer of any width. */
function leb(r: ByteReader): void {
  for (let i = 0; i < 10; i++) if ((r.u8() & 0x80) === 0) return;
}

function heapOrBlockType(r: ByteReader): void {
  const b = r.u8();
  if (b === 0x63 || b === 0x64)
    leb(r); // (ref null? ht)
  else if (b & 0x80) leb(r); // a multi-byte s33 type index: the first byte was part of it
}

function memarg(r: ByteReader): void {
  const align = r.u32();
  if (align & 0x40) r.u32(); // multi-memory: memory index
  leb(r); // offset (u64 with memory64)
}

class Unknown extends Error {}

/** Exception-handling instructions by opcode: the legacy proposal's and the standard (exnref) one's. */
export const EH_OPCODES: ReadonlyMap<number, { name: string; legacy: boolean }> = new Map([
  [0x06, { name: 'try', legacy: true }],
  [0x07, { name: 'catch', legacy: true }],
  [0x09, { name: 'rethrow', legacy: true }],
  [0x18, { name: 'delegate', legacy: true }],
  [0x19, { name: 'catch_all', legacy: true }],
  [0x1f, { name: 'try_table', legacy: false }],
  [0x0a, { name: 'throw_ref', legacy: false }],
]);

/**
 * Decodes one function body's instructions, collecting direct callees; `onOpcode`, when given, sees every plain
 * (unprefixed) opcode — e.g. to find exception-handling instructions.
 */
export function callsOf(bytes: Uint8Array, body: CodeBody, onOpcode?: (op: number) => void): FunctionCalls {
  const out: FunctionCalls = { calls: new Set(), indirect: false, decoded: true };
  const r = new ByteReader(bytes, body.start, body.end);
  try {
    const groups = r.u32();
    for (let i = 0; i < groups; i++) {
      r.u32();
      heapOrBlockType(r);
    }
    while (!r.atEnd()) {
      const op = r.u8();
      onOpcode?.(op);
      if (op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b || op === 0x0a || op === 0x19) continue;
      if ((op >= 0x02 && op <= 0x04) || op === 0x06) heapOrBlockType(r);
      else if (op === 0x07 || op === 0x08 || op === 0x09 || op === 0x18 || op === 0x0c || op === 0x0d) r.u32();
      else if (op === 0x0e) {
        const n = r.u32();
        for (let i = 0; i <= n; i++) r.u32();
      } else if (op === 0x10 || op === 0x12) out.calls.add(r.u32());
      else if (op === 0x11 || op === 0x13) {
        r.u32();
        r.u32();
        out.indirect = true;
      } else if (op === 0x14 || op === 0x15) {
        r.u32();
        out.indirect = true;
      } else if (op === 0x1c) {
        const n = r.u32();
        for (let i = 0; i < n; i++) heapOrBlockType(r);
      } else if (op === 0x1f) {
        heapOrBlockType(r);
        const n = r.u32();
        for (let i = 0; i < n; i++) {
          const kind = r.u8();
          if (kind === 0x00 || kind === 0x01) r.u32();
          r.u32();
        }
      } else if (op >= 0x20 && op <= 0x26) r.u32();
      else if (op >= 0x28 && op <= 0x3e) memarg(r);
      else if (op === 0x3f || op === 0x40) r.u32();
      else if (op === 0x41 || op === 0x42) leb(r);
      else if (op === 0x43) r.skip(4);
      else if (op === 0x44) r.skip(8);
      else if (op >= 0x45 && op <= 0xc4) continue;
      else if (op === 0xd0) heapOrBlockType(r);
      else if (op === 0xd1 || op === 0xd3 || op === 0xd4) continue;
      else if (op === 0xd2 || op === 0xd5 || op === 0xd6) r.u32();
      else if (op === 0xfc) {
        const sub = r.u32();
        if (sub <= 7) continue;
        if (sub === 8 || sub === 10 || sub === 12 || sub === 14) {
          r.u32();
          r.u32();
        } else if (sub === 9 || sub === 11 || sub === 13 || (sub >= 15 && sub <= 17)) r.u32();
        else throw new Unknown();
      } else if (op === 0xfd) {
        const sub = r.u32();
        if (sub <= 11 || sub === 92 || sub === 93) memarg(r);
        else if (sub === 12 || sub === 13) r.skip(16);
        else if (sub >= 21 && sub <= 34) r.skip(1);
        else if (sub >= 84 && sub <= 91) {
          memarg(r);
          r.skip(1);
        } else if (sub > 0x113) throw new Unknown();
      } else if (op === 0xfe) {
        const sub = r.u32();
        if (sub === 0x03) r.skip(1);
        else if (sub <= 0x4e) memarg(r);
        else throw new Unknown();
      } else throw new Unknown();
    }
  } catch {
    return { calls: out.calls, indirect: out.indirect, decoded: false };
  }
  return out;
}

export interface ImportReach {
  /** The import reached, as `module::name`. */
  import: string;
  /** Call path from the root to the import, as function names (name section) or `func[N]`. */
  path: string[];
  /** Some reachable function calls indirectly: other imports may be reachable too. */
  indirect: boolean;
}

/**
 * The first import (matching `wanted`) reachable from function `root` through direct calls, breadth-first (shortest
 * path). Undefined when none is reachable, or when a function on the way could not be decoded (no claim).
 */
export function reachableImport(
  bytes: Uint8Array,
  root: number,
  importedFuncs: readonly { module: string; name: string }[],
  bodies: readonly CodeBody[],
  names: ReadonlyMap<number, string>,
  wanted: (imp: { module: string; name: string }) => boolean,
): ImportReach | undefined {
  const label = (i: number) => names.get(i) ?? (i < importedFuncs.length ? importedFuncs[i]!.name : `func[${i}]`);
  const parent = new Map<number, number>([[root, -1]]);
  const queue = [root];
  let indirect = false;
  const cache = new Map<number, FunctionCalls>();
  while (queue.length > 0) {
    const f = queue.shift()!;
    if (f < importedFuncs.length) {
      if (!wanted(importedFuncs[f]!)) continue;
      const path: string[] = [];
      for (let at = f; at !== -1; at = parent.get(at)!) path.unshift(label(at));
      const imp = importedFuncs[f]!;
      return { import: `${imp.module}::${imp.name}`, path, indirect };
    }
    const body = bodies[f - importedFuncs.length];
    if (!body) continue;
    let c = cache.get(f);
    if (!c) cache.set(f, (c = callsOf(bytes, body)));
    if (!c.decoded) return undefined;
    indirect ||= c.indirect;
    for (const callee of c.calls) {
      if (parent.has(callee)) continue;
      parent.set(callee, f);
      queue.push(callee);
    }
  }
  return undefined;
}

export interface ExceptionUse {
  /** The first legacy-proposal instruction found (try, catch, catch_all, rethrow, delegate), and where. */
  legacy?: { instruction: string; function: string };
  /** Standard (exnref) instructions were found: try_table / throw_ref. */
  standard: boolean;
  /** Bodies the decoder could not read (an instruction it does not know): nothing is claimed about them. */
  undecoded: number;
}

/**
 * Which exception-handling proposal the code uses: decodes bodies until a legacy instruction is found (that is what
 * hosts refuse), at most `maxBodies` of them. `throw` alone is in both proposals and decides nothing.
 */
export function exceptionUse(
  bytes: Uint8Array,
  bodies: readonly CodeBody[],
  firstIndex: number,
  names: ReadonlyMap<number, string>,
  maxBodies = 2_000_000,
): ExceptionUse {
  const out: ExceptionUse = { standard: false, undecoded: 0 };
  let legacy: string | undefined;
  const see = (op: number) => {
    const eh = EH_OPCODES.get(op);
    if (!eh) return;
    if (eh.legacy) legacy ??= eh.name;
    else out.standard = true;
  };
  for (let i = 0; i < bodies.length && i < maxBodies; i++) {
    if (!callsOf(bytes, bodies[i]!, see).decoded) out.undecoded++;
    if (legacy) {
      const index = firstIndex + i;
      out.legacy = { instruction: legacy, function: names.get(index) ?? `func[${index}]` };
      break;
    }
  }
  return out;
}
