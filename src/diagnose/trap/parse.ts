/**
 * Turns a runtime's error output (a whole stderr or log, guest output included) into a `Trap`.
 *
 * Recognised:
 *  - wasmtime CLI: `Error: …` + `Caused by:` chain (numbered, or a single unnumbered cause),
 *    with an `error while executing at wasm backtrace:` entry and its frames (read past `...` elision lines);
 *  - wasmtime embedded (Rust `anyhow` errors, panics, the Python wheel's `wasmtime._trap.Trap:`
 *    and `WasmtimeError:` exceptions, `wasmtime serve` log lines): the same backtrace with
 *    whatever prefix the embedder adds;
 *  - V8 (node:wasi, jco-transpiled components): `RuntimeError: …` (preview2-shim words it `RuntimeError: wasm trap: …`)
 *    + `    at …` stack lines; frames are grouped by their `wasm://wasm/<hash>` module to find the adapter's;
 *  - the adapter's own `assertion failed at adapter line N` / `unreachable at adapter line N`
 *    (and the pre-v23 `unreachable executed at adapter line N[: assertion failed]`).
 * Nothing is anchored on `Error:` at line start: toolchains wrap the chain (`GrainExceptionError: …`).
 */
import type { AdapterLine, Frame, FrameOrigin, Trap, TrapKind } from '../../model.js';
import { type DemangleBudget, demangle, demangleBudget } from '../demangle.js';
import { boundText } from '../text-bounds.js';

/*
 * Every regex here reads untrusted text (guest output shares stderr with the runtime's error), so each is linear in
 * its input: no two adjacent quantifiers that can match the same characters, no lazy `.*?` before an optional tail
 * (trailing whitespace is trimmed in code instead), no unanchored pattern that rescans a run from every start.
 * test/hostile-text.test.ts checks them with scslre and runs each worst case on 1 MiB; parseTrap also bounds its
 * input (text-bounds.ts) first.
 */

/** Strip ANSI escapes and normalise line endings. */
export function normalizeLog(text: string): string {
  return text
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    .replace(/\r\n?/g, '\n');
}

const ADAPTER_LINE_RE = /(assertion failed|unreachable(?: executed)?) at adapter line (\d+)(?:: ?([^\n]*))?/;

/** The adapter's `… at adapter line N` message, if printed. */
export function parseAdapterLine(text: string): AdapterLine | undefined {
  const m = ADAPTER_LINE_RE.exec(normalizeLog(text));
  if (!m) return undefined;
  const detail = m[3]?.trim() ?? '';
  const assertion = m[1] === 'assertion failed' || /^assertion failed\b/.test(detail);
  // `assertion failed at adapter line N` ends without a newline, so the digits are all of it.
  return { line: Number(m[2]), kind: assertion ? 'assertion' : 'unreachable', text: m[0].trim() };
}

/* ───────────────────────── classification ───────────────────────── */

const KIND_RULES: Array<[RegExp, TrapKind]> = [
  [/cannot leave component instance/i, 'cannot-leave-instance'],
  [/exit with invalid exit status|invalid exit status outside of/i, 'invalid-exit-status'],
  [
    /indirect call type mismatch|uninitialized element|undefined element|null function or function signature mismatch|function signature mismatch|table index is out of bounds|indirect call to null/i,
    'indirect-call',
  ],
  [/call stack exhausted|maximum call stack size exceeded|stack overflow/i, 'stack-overflow'],
  [/out of bounds memory access|memory access out of bounds|out of bounds|heap out of bounds/i, 'out-of-bounds'],
  [
    /integer overflow|float unrepresentable|integer result unrepresentable|invalid conversion to integer|float-to-int conversion/i,
    'integer-overflow',
  ],
  [/divide by zero|division by zero|divide result unrepresentable|remainder by zero/i, 'divide-by-zero'],
  [/unaligned atomic|misaligned memory access|operation does not support unaligned/i, 'unaligned-atomic'],
  [/null reference|dereferencing a null pointer|null (?:function|structure|array) reference/i, 'null-reference'],
  [/unreachable/i, 'unreachable'],
];

/** Imports the host could not satisfy. */
const LINK_RE =
  /matching implementation was not found|unknown import|has not been defined|has the wrong type|not present in the component|function import requires a callable|module is not an object or function|import object field|LinkError|module requires an import interface|has no export named/i;
/**
 * The component (or module) cannot be instantiated or started as asked: it does not parse/validate, or it lacks the
 * export the host runs (`exported instance \`wasi:cli/run@0.2.0\` not present`, `no exported instance named …`,
 * `failed to find export of interface …`: a reactor or a library given to `run`).
 */
const INSTANTIATION_RE =
  /exported instance `[^`]*` not present|no exported instance named|failed to find export|failed to instantiate|instantiation|CompileError|expected a WebAssembly module but was given a WebAssembly component|unknown binary version|failed to parse WebAssembly|failed to compile|unsupported component version|decoding a component is not supported|failed to validate|WebAssembly\.(?:Module|Instance|instantiate\w*|compile\w*)\(\)/i;

/** The trap kind for a message (innermost first), falling back to the whole chain. */
export function classifyTrap(message: string, causes: readonly string[] = []): TrapKind {
  for (const [re, kind] of KIND_RULES) if (re.test(message)) return kind;
  const chain = causes.join('\n');
  for (const [re, kind] of KIND_RULES) if (kind !== 'unreachable' && re.test(chain)) return kind;
  if (/wasm `unreachable`|wasm trap: unreachable/i.test(chain)) return 'unreachable';
  if (LINK_RE.test(message) || LINK_RE.test(chain)) return 'link-error';
  if (INSTANTIATION_RE.test(message) || INSTANTIATION_RE.test(chain)) return 'instantiation-error';
  return 'other';
}

/* ───────────────────────────── frames ───────────────────────────── */

/** The adapter's P1 exports; only adapter-origin when the module part says so (or context shows it). */
const SHIM_NAME_RE = /^(?:adapt-wasi_snapshot_preview1-|indirect-|wit-component:)/;
/** A function printed without a name (wasmtime / V8). */
const ANONYMOUS_RE = /^<wasm function \d+>$|^wasm-function\[\d+\]$/;

function originOf(module: string | undefined, rawName: string, name: string): FrameOrigin {
  const mod = module ?? '';
  if (/wit-component:adapter/.test(mod)) return 'adapter';
  if (/wit-component:(?:shim|fixups)/.test(mod)) return 'shim';
  if (SHIM_NAME_RE.test(rawName)) return 'shim';
  if (/^wasi_snapshot_preview1(?:\[[0-9a-f]*\]|\[…\])?::/.test(name) || /^<?wasi_snapshot_preview1::/.test(name)) return 'adapter';
  // An anonymous function in an unnamed module may be anyone's (adapters are stripped too).
  if (ANONYMOUS_RE.test(rawName)) return mod === '<unknown>' || mod === '' || mod.startsWith('wasm://') ? 'unknown' : 'guest';
  // `<unknown>`, the main module's own name (wasmtime prints the file name, e.g. `app.wasm`), or a DWARF symbol.
  return 'guest';
}

/**
 * A module part that names one module instance: V8's `wasm://wasm/[name-]hash` and the names wasmtime prints for
 * named modules. `<unknown>` (wasmtime's every unnamed module) and a missing part name nothing.
 */
function moduleKey(f: Frame): string | undefined {
  if (f.origin === 'host' || f.module === undefined || f.module === '' || f.module === '<unknown>') return undefined;
  return f.module;
}

/**
 * Context rules after all frames are known:
 *  - a frame called by the shim `adapt-wasi_snapshot_preview1-X` and itself named X is the adapter's export X;
 *  - module grouping: every frame in a module that holds a frame clearly from the adapter (by its name or module
 *    part) is the adapter's (V8 prints the adapter's P1 exports and `wasi:cli/run@…#run` under the same
 *    `wasm://wasm/<hash>` as its `wasi_snapshot_preview1::…` internals);
 *  - an anonymous frame alone in its module, called from another wasm module and calling into the adapter, is the
 *    shim (wit-component routes the guest's P1 imports through a separate indirect-call module; jco strips its names).
 */
function refineOrigins(frames: Frame[]): void {
  for (let i = 0; i + 1 < frames.length; i++) {
    const f = frames[i]!;
    const caller = frames[i + 1]!;
    if (f.origin !== 'adapter' && f.origin !== 'shim' && caller.rawName === `adapt-wasi_snapshot_preview1-${f.name}`) f.origin = 'adapter';
  }
  const adapterModules = new Set<string>();
  const perModule = new Map<string, number>();
  for (const f of frames) {
    const key = moduleKey(f);
    if (key === undefined) continue;
    perModule.set(key, (perModule.get(key) ?? 0) + 1);
    if (f.origin === 'adapter') adapterModules.add(key);
  }
  for (const f of frames) {
    const key = moduleKey(f);
    if (key !== undefined && adapterModules.has(key) && (f.origin === 'guest' || f.origin === 'unknown')) f.origin = 'adapter';
  }
  for (let i = 1; i + 1 < frames.length; i++) {
    const f = frames[i]!;
    const key = moduleKey(f);
    if (key === undefined || f.origin !== 'unknown' || !ANONYMOUS_RE.test(f.rawName) || perModule.get(key) !== 1) continue;
    const callee = frames[i - 1]!;
    const caller = frames[i + 1]!;
    const callerKey = moduleKey(caller);
    if (
      callee.origin === 'adapter' &&
      callerKey !== undefined &&
      callerKey !== key &&
      caller.origin !== 'adapter' &&
      caller.origin !== 'shim'
    )
      f.origin = 'shim';
  }
}

function makeFrame(
  index: number,
  rawName: string,
  module: string | undefined,
  offset: number | undefined,
  budget: DemangleBudget | undefined,
): Frame {
  // Names are the guest's (name section, printed text): one trap's names share a demangling budget (demangle.ts).
  const name = demangle(rawName, budget ? { budget } : {});
  const frame: Frame = { index, origin: originOf(module, rawName, name), rawName, name };
  if (offset !== undefined) frame.offset = offset;
  if (module !== undefined) frame.module = module;
  return frame;
}

/** On a line with trailing whitespace trimmed. */
const WT_FRAME_RE = /^(\s*)(\d+):\s+(?:(0x[0-9a-fA-F]+)\s+-\s+)?(\S.*)$/;

/** `module!function` (module may itself contain `:`); a name without `!` is a DWARF symbol. */
function splitWasmtimeName(text: string): { module?: string; rawName: string } {
  const bang = text.indexOf('!');
  if (bang > 0 && !/\s/.test(text.slice(0, bang))) return { module: text.slice(0, bang), rawName: text.slice(bang + 1) };
  return { rawName: text };
}

interface Backtrace {
  header: number;
  end: number;
  frames: Frame[];
}

/** Frames of the first `wasm backtrace:` that has any (wasmtime, any era). */
function parseWasmtimeBacktrace(lines: string[], budget: DemangleBudget): Backtrace | undefined {
  for (let h = 0; h < lines.length; h++) {
    if (!/wasm backtrace:\s*$/.test(lines[h]!)) continue;
    const headerIndent = /^\s*/.exec(lines[h]!)![0].length;
    const frames: Frame[] = [];
    let i = h + 1;
    // Frame numbers are right-aligned: the colon stays in one column as they grow.
    let frameColon = -1;
    let lastNumber = -1;
    let elided = false;
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      const m = WT_FRAME_RE.exec(line.trimEnd());
      const number = m ? Number(m[2]) : NaN;
      if (m && (number === lastNumber + 1 || (elided && number > lastNumber))) {
        const indent = m[1]!.length;
        const colon = indent + m[2]!.length;
        // Numbered `Caused by:` entries look like frames; frames are indented deeper than their header.
        if (indent <= headerIndent && !(headerIndent === 0 && indent > 0)) break;
        if (frameColon >= 0 && colon < frameColon - 2) break;
        if (frameColon < 0) frameColon = colon;
        const { module, rawName } = splitWasmtimeName(m[4]!);
        frames.push(makeFrame(frames.length, rawName, module, m[3] ? parseInt(m[3], 16) : undefined, budget));
        lastNumber = number;
        elided = false;
        continue;
      }
      // Source locations and inlined symbols printed under a frame.
      if (frames.length > 0 && /^\s+(?:at\s+\S|-\s+\S)/.test(line)) continue;
      // Frames left out by whoever printed or posted it (`...`, `…`, `... 690 frames elided`): later numbers jump.
      if (frames.length > 0 && /^\s+(?:\.{3}|…)(?:\s.*)?$/.test(line)) {
        elided = true;
        continue;
      }
      break;
    }
    if (frames.length > 0) {
      refineOrigins(frames);
      return { header: h, end: i, frames };
    }
  }
  return undefined;
}

/** The adapter prints its message without a newline, so a digit may precede the error name. */
const V8_ERROR_RE =
  /(?:^|[\s\d:'"([])((?:WebAssembly\.)?(?:RuntimeError|CompileError|LinkError|RangeError|TypeError|ReferenceError|InternalError|Error|ComponentError|WasiError)): (.*)$/;
/** On a line with trailing whitespace trimmed. */
const V8_AT_RE = /^\s+at\s+(\S.*)$/;
/** `wasm://wasm/[name-]hash:wasm-function[N]:0xOFF`; older V8 prints `wasm-function[N]:0xOFF` or `<anonymous>:wasm-function[N]:0xOFF`. */
const V8_WASM_LOC_RE = /^(?:wasm:\/\/wasm\/(?:(.*)-)?([0-9a-f]+):|<anonymous>:)?wasm-function\[(\d+)\]:(0x[0-9a-f]+)$/;

export function parseV8Frame(index: number, body: string, budget?: DemangleBudget): Frame {
  let name: string | undefined;
  let location = body;
  // `name (location)`: the first `(` after whitespace opens the location when the line ends with `)`.
  const open = body.endsWith(')') ? body.search(/\s\(/) : -1;
  if (open >= 0) {
    name = body
      .slice(0, open)
      .trimEnd()
      .replace(/^async\s/, '')
      .trimStart();
    location = body.slice(open + 2, -1);
  } else {
    location = body.replace(/^async\s/, '').trimStart();
  }
  const wasm = V8_WASM_LOC_RE.exec(location);
  if (wasm) {
    const module = wasm[2] === undefined ? undefined : `wasm://wasm/${wasm[1] !== undefined ? `${wasm[1]}-` : ''}${wasm[2]}`;
    const rawName = name ?? `wasm-function[${wasm[3]}]`;
    const frame = makeFrame(index, rawName, module, parseInt(wasm[4]!, 16), budget);
    if (wasm[1] !== undefined) frame.origin = originOf(wasm[1], rawName, frame.name);
    return frame;
  }
  const rawName = name ?? '<anonymous>';
  const module = location.replace(/:\d+:\d+$/, '');
  return { index, origin: 'host', rawName, name: rawName, module };
}

interface V8Error {
  line: number;
  errorName: string;
  message: string;
  frames: Frame[];
  causes: string[];
}

/** The stack under an error line: its frames and `[cause]:` entries, up to `end` (the first line not part of it). */
function v8Stack(lines: string[], from: number, budget: DemangleBudget): { frames: Frame[]; causes: string[]; end: number } {
  const frames: Frame[] = [];
  const causes: string[] = [];
  let i = from;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const at = V8_AT_RE.exec(line.trimEnd());
    if (at) {
      if (at[1] === '...' || /^\.\.\. \d+ more/.test(at[1]!)) continue;
      frames.push(parseV8Frame(frames.length, at[1]!, budget));
      continue;
    }
    const cause = /^\s*\[cause\]:(.*)$/.exec(line);
    if (cause) {
      const text = cause[1]!.trim();
      causes.push((text === '{' ? '' : text) || 'cause');
      continue;
    }
    if (/^\s+\.\.\. \d+ (?:more|lines matching)/.test(line)) continue;
    break;
  }
  return { frames, causes, end: i };
}

/** Whether the error line's own words make it a WebAssembly error (or a stack overflow), whatever its stack. */
function wasmByMessage(m: RegExpExecArray): boolean {
  const errorName = m[1]!.replace(/^WebAssembly\./, '');
  // The WebAssembly JS API throws TypeErrors too (`TypeError: WebAssembly.instantiate(): Import #1 module="env" …`).
  const wasmError = /^(?:RuntimeError|CompileError|LinkError)$/.test(errorName) || /^WebAssembly\.\w+(?:\.\w+)?\(\)/.test(m[2]!);
  const stackError = errorName === 'RangeError' && /call stack/i.test(m[2]!);
  return wasmError || stackError;
}

function v8Error(line: number, m: RegExpExecArray, stack: { frames: Frame[]; causes: string[] }): V8Error {
  refineOrigins(stack.frames);
  return {
    line,
    errorName: m[1]!.replace(/^WebAssembly\./, ''),
    message: `${m[1]}: ${m[2]!.trim()}`,
    frames: stack.frames,
    causes: [`${m[1]}: ${m[2]}`, ...stack.causes],
  };
}

/**
 * The first error line that is a WebAssembly error by its words or by a wasm frame in its stack. Linear: a rejected
 * error's stack holds no wasm frame, and so does the stack of any error line inside it (a suffix of it, ending on the
 * same line), so those are judged by their words alone and the search goes on after the stack. (Before, each such line
 * parsed the rest of the stack again: 64 KB of `    at Error: x` lines took 6.6 s.)
 */
function parseV8(lines: string[], budget: DemangleBudget): V8Error | undefined {
  for (let e = 0; e < lines.length; e++) {
    const m = V8_ERROR_RE.exec(lines[e]!);
    if (!m) continue;
    const stack = v8Stack(lines, e + 1, budget);
    if (wasmByMessage(m) || stack.frames.some((f) => f.origin !== 'host')) return v8Error(e, m, stack);
    for (let inner = e + 1; inner < stack.end; inner++) {
      const mi = V8_ERROR_RE.exec(lines[inner]!);
      if (mi && wasmByMessage(mi)) return v8Error(inner, mi, v8Stack(lines, inner + 1, budget));
    }
    e = stack.end - 1;
  }
  return undefined;
}

/* ─────────────────────────── error chain ─────────────────────────── */

/** Phrases that start a wasmtime error (root or cause), whatever prefix the embedder printed. */
const ROOT_MARKERS = [
  'failed to run main module',
  'failed to instantiate',
  'failed to invoke',
  'error while executing at wasm backtrace',
  'component imports instance',
  'unknown import',
  'exit with invalid exit status',
  'wasm trap:',
  'cannot leave component instance',
  'expected a WebAssembly module but was given a WebAssembly component',
  'failed to parse WebAssembly module',
  'failed to compile',
  'import `',
  'no exported instance named',
  'failed to find export',
  'exported instance',
  'decoding a component is not supported',
  'Exited with i32 exit status',
];

export function stripPrefix(line: string): string {
  let best = -1;
  for (const marker of ROOT_MARKERS) {
    const at = line.indexOf(marker);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  if (best >= 0) return line.slice(best).trim();
  // `Error: x`, `wasmtime._error.WasmtimeError: x`, `GrainExceptionError: Error: x`: what follows the last
  // `…Error…: ` / `…Trap…: ` / `…Exception…: ` (a word holding one of those, then `:` and whitespace).
  const text = line.trim();
  let after = -1;
  for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    if (!/\s/.test(text[colon + 1] ?? '')) continue;
    // The word before the colon: a run of [\w.] (runs before different colons never overlap: linear).
    let start = colon;
    while (start > 0 && /[\w.]/.test(text[start - 1]!)) start--;
    const word = text.slice(start, colon);
    const kw = Math.max(word.lastIndexOf('Error'), word.lastIndexOf('Trap'), word.lastIndexOf('Exception'));
    if (kw >= 0 && !word.slice(kw).includes('.')) after = colon + 1;
  }
  return after < 0 ? text : text.slice(after).trim();
}

/** Panics end their message with `', src/main.rs:1:2` (old) — not part of the error. */
export function cleanCause(text: string): string {
  const t = text.trimEnd();
  const rs = /\.rs:\d+:\d+$/.exec(t);
  if (!rs) return t.trim();
  // `'?,\s*\S+` before `.rs:L:C`: the leftmost comma that starts it — before the whitespace in front of the file
  // name, or else the first one inside it (with at least one character after it).
  let run = rs.index;
  while (run > 0 && !/\s/.test(t[run - 1]!)) run--;
  let gap = run;
  while (gap > 0 && /\s/.test(t[gap - 1]!)) gap--;
  let comma = gap < run && run < rs.index && t[gap - 1] === ',' ? gap - 1 : -1;
  if (comma < 0) {
    const inside = t.indexOf(',', run);
    if (inside >= 0 && inside < rs.index - 1) comma = inside;
  }
  if (comma < 0) return t.trim();
  return t.slice(0, comma > 0 && t[comma - 1] === "'" ? comma - 1 : comma).trim();
}

interface Chain {
  root: number;
  causes: string[];
  end: number;
}

function parseChain(lines: string[], backtrace: Backtrace | undefined): Chain | undefined {
  const caused = lines.findIndex((l) => /^\s*Caused by:\s*$/.test(l));
  let root = -1;
  if (caused >= 0) {
    if (backtrace && backtrace.header < caused && lines.slice(backtrace.end, caused).every((l) => l.trim() === '' || /^\s*note:/.test(l)))
      root = backtrace.header;
    else for (root = caused - 1; root >= 0 && lines[root]!.trim() === ''; root--);
  }
  if (root < 0) {
    root = lines.findIndex((l) => ROOT_MARKERS.some((m) => l.includes(m)) || (/\bError: /.test(l) && /wasm|component|module/i.test(l)));
    if (root < 0) return undefined;
  }
  const causes = [cleanCause(stripPrefix(lines[root]!))];
  let end = root + 1;
  if (backtrace && backtrace.header === root) end = backtrace.end;
  if (caused >= 0 && caused > root) {
    end = caused + 1;
    let numberIndent = -1;
    for (let i = caused + 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() === '') {
        if (numberIndent < 0 && causes.length === 1) continue;
        break;
      }
      const numbered = /^(\s*)(\d+):(\s.*)$/.exec(line);
      if (numbered && (numberIndent < 0 || numbered[1]!.length === numberIndent) && Number(numbered[2]) === causes.length - 1) {
        numberIndent = numbered[1]!.length;
        causes.push(cleanCause(numbered[3]!.trim()));
        end = i + 1;
        continue;
      }
      if (numberIndent >= 0) {
        // frames / source lines under a numbered cause
        if (/^\s*$/.test(line) || (/^\s+/.test(line) && /^(\s*)/.exec(line)![1]!.length > numberIndent)) {
          end = i + 1;
          continue;
        }
        break;
      }
      // a single unnumbered cause (older wasmtime / anyhow with one source)
      if (/^\s+\S/.test(line)) {
        causes.push(cleanCause(line.trim()));
        end = i + 1;
        break;
      }
      break;
    }
  }
  return { root, causes, end };
}

/* ───────────────────────────── parseTrap ───────────────────────────── */

const BACKTRACE_HEADER_RE = /^(?:error while executing at )?wasm backtrace:$/;

/** `wasm trap: X` out of `… (wasm trap: X): … wasm backtrace:` (no parenthesis between `)` and the end). */
export function foldedTrap(cause: string): string | undefined {
  const tail = 'wasm backtrace:';
  if (!cause.endsWith(tail)) return undefined;
  const close = cause.lastIndexOf(')', cause.length - tail.length - 1);
  if (close < 0 || cause.slice(close + 1, cause.length - tail.length).includes('(')) return undefined;
  const start = cause.indexOf('wasm trap: ', cause.lastIndexOf(')', close - 1) + 1);
  return start >= 0 && start < close ? cause.slice(start, close) : undefined;
}

/**
 * Parse a runtime's stderr/log into a `Trap`; `undefined` when it holds no runtime error.
 * Pure: no I/O, no globals.
 */
export function parseTrap(text: string): Trap | undefined {
  const normalized = boundText(normalizeLog(text));
  const lines = normalized.split('\n');
  const adapterLine = parseAdapterLine(normalized);
  const budget = demangleBudget();
  const backtrace = parseWasmtimeBacktrace(lines, budget);
  const chain = parseChain(lines, backtrace);
  const v8 = backtrace ? undefined : parseV8(lines, budget);

  let trap: Trap | undefined;
  // preview2-shim reports traps as `RuntimeError: wasm trap: …`, which is also a wasmtime root marker: on the same
  // line, a V8 error with its stack (or without a wasmtime `Caused by:` chain) is V8's.
  const v8First = v8 !== undefined && chain !== undefined && v8.line === chain.root && (v8.frames.length > 0 || chain.causes.length === 1);
  if (chain && (!v8 || chain.root <= v8.line) && !v8First) {
    const causes = chain.causes;
    let specific = [...causes].reverse().find((c) => !BACKTRACE_HEADER_RE.test(c)) ?? causes[causes.length - 1]!;
    // Embedders that fold the trap into the header: `… (wasm trap: X): error while executing at wasm backtrace:`
    const folded = foldedTrap(specific);
    if (folded) specific = folded;
    const message = BACKTRACE_HEADER_RE.test(specific) && adapterLine ? adapterLine.text : specific;
    // The CLI's own chains start with `failed to run main module` or, for link/parse errors
    // before running, `Error: <wasmtime message>`; everything else is an embedder's wording.
    const rootLine = lines[chain.root]!;
    const cli =
      causes.some((c) => c.startsWith('failed to run main module')) ||
      (/^\s*Error: /.test(rootLine) &&
        /^(?:component imports instance|failed to parse WebAssembly module|failed to instantiate|unknown import|import `)/.test(
          causes[0]!,
        ));
    trap = {
      kind: classifyTrap(message, causes),
      message,
      causes,
      frames: backtrace?.frames ?? [],
      format: cli ? 'wasmtime-cli' : 'wasmtime-embedded',
    };
  } else if (v8) {
    trap = {
      kind: classifyTrap(v8.message, v8.causes),
      message: v8.message,
      causes: v8.causes,
      frames: v8.frames,
      format: 'v8',
    };
    if (v8.errorName !== 'RuntimeError' && trap.kind === 'other' && v8.frames[0]?.origin === 'host') trap.kind = 'host-error';
  } else if (backtrace) {
    trap = { kind: 'other', message: lines[backtrace.header]!.trim(), causes: [], frames: backtrace.frames, format: 'wasmtime-embedded' };
  } else if (adapterLine) {
    // Only the adapter's own message survived (output cut, or the host printed nothing else).
    trap = { kind: 'unreachable', message: adapterLine.text, causes: [adapterLine.text], frames: [], format: 'text' };
  }
  if (!trap) return undefined;
  if (adapterLine) trap.adapterLine = adapterLine;
  return trap;
}
