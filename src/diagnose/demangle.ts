/**
 * Rust symbol demangling for backtrace frames.
 *
 * Why our own: the only npm demangler that handles Rust v0 (`gecko-profiler-demangle`)
 * is a wasm-bindgen bundler build that must be instantiated asynchronously, and trap
 * parsing is a pure synchronous function. The two manglings are small and specified:
 *  - legacy: Itanium-like `_ZN<len><ident>…17h<16 hex>E` with `$LT$`/`$u20$`/`..` escapes;
 *  - v0: RFC 2603 (https://rust-lang.github.io/rfcs/2603-rust-symbol-name-mangling-v0.html),
 *    also documented at https://doc.rust-lang.org/rustc/symbol-mangling/v0.html.
 * Output matches rustc-demangle's `{:#}` ("alternate") form by default: no legacy hash,
 * no crate disambiguators. Tested against rustc-demangle's published vectors.
 *
 * Anything that is not a Rust mangled symbol is returned unchanged, except that an
 * already-demangled Rust name loses its trailing `::h<16 hex>` hash and its
 * `crate[hex]` disambiguators (wasmtime prints v0 names that way).
 *
 * Symbols are guest-controlled text (a name section, a line a guest prints). v0 back-references make the printed
 * form exponential in the symbol (a 160-character symbol of nested tuples naming the previous one twice prints
 * 2^26 parts), so printing is bounded like rustc-demangle's `MAX_SIZE`: at most `MAX_DEMANGLED_CHARS` characters
 * beyond the symbol's length and `MAX_DEMANGLE_STEPS` grammar steps per symbol, and a shared `DemangleBudget`
 * across the frames of one trap.
 * A cut name ends with `{size limit reached}`, as rustc-demangle prints it.
 */

/** Characters a demangled name may have beyond the symbol's own length; a longer one is cut (`SIZE_LIMIT_MARKER`). */
export const MAX_DEMANGLED_CHARS = 64 * 1024;
/** Grammar steps (nodes walked, back-references followed, punycode characters decoded) per symbol. */
export const MAX_DEMANGLE_STEPS = 256 * 1024;
/** What a name cut by the size or step bound ends with (rustc-demangle's words). */
export const SIZE_LIMIT_MARKER = '{size limit reached}';

/** What is left for demangling: shared by the names of one trap so that many names together stay bounded too. */
export interface DemangleBudget {
  chars: number;
  steps: number;
}

/** A budget for many names: `names` full-size names' worth of characters and steps. */
export function demangleBudget(names = 16): DemangleBudget {
  return { chars: names * MAX_DEMANGLED_CHARS, steps: names * MAX_DEMANGLE_STEPS };
}

export interface DemangleOptions {
  /** Keep the legacy `::h<hash>` and v0 `crate[disambiguator]`/const-type suffixes (rustc-demangle's `{}` form). */
  verbose?: boolean;
  /** Shared budget this name draws from (and is charged to); by default only the per-name bounds apply. */
  budget?: DemangleBudget;
}

/** Demangle a Rust symbol (legacy or v0) to its path without the hash; anything else as is. */
export function demangle(symbol: string, options: DemangleOptions = {}): string {
  const verbose = options.verbose === true;
  const shared = options.budget;
  const budget: DemangleBudget = {
    // Text spelled out in the symbol costs nothing extra: only what back-references add is bounded.
    chars: Math.max(0, Math.min(MAX_DEMANGLED_CHARS + symbol.length, shared?.chars ?? Infinity)),
    steps: Math.max(0, Math.min(MAX_DEMANGLE_STEPS, shared?.steps ?? Infinity)),
  };
  const start = { ...budget };
  try {
    return demangleWithin(symbol, verbose, budget);
  } finally {
    if (shared) {
      shared.chars -= start.chars - budget.chars;
      shared.steps -= start.steps - budget.steps;
    }
  }
}

function demangleWithin(symbol: string, verbose: boolean, budget: DemangleBudget): string {
  let s = symbol.trim();
  // ThinLTO renames internal symbols with `.llvm.<HEX>`; drop it first.
  const llvm = s.indexOf('.llvm.');
  if (llvm >= 0 && /^[0-9A-F@]*$/.test(s.slice(llvm + 6))) s = s.slice(0, llvm);

  const result = demangleLegacy(s, verbose, budget) ?? demangleV0(s, verbose, budget);
  if (result !== undefined) return result;
  return verbose ? symbol : stripDemangledHash(symbol);
}

/** `foo::bar::h0123456789abcdef` → `foo::bar`; `krate[1a2b]::x` → `krate::x`. */
function stripDemangledHash(name: string): string {
  if (!name.includes('::')) return name;
  return name.replace(/::h[0-9a-f]{16}(?=$|\s)/, '').replace(/(?<=[A-Za-z0-9_])\[[0-9a-f]{1,16}\](?=::|$|>)/g, '');
}

/** Suffixes LLVM IR appends (`.exit.i.i`, `.0.0`) are kept; anything else invalidates. */
function acceptableSuffix(suffix: string): boolean {
  return suffix === '' || (suffix.startsWith('.') && /^[\x21-\x7e]*$/.test(suffix));
}

/* ─────────────────────────── legacy ─────────────────────────── */

const LEGACY_ESCAPES: Record<string, string> = {
  SP: '@',
  BP: '*',
  RF: '&',
  LT: '<',
  GT: '>',
  LP: '(',
  RP: ')',
  C: ',',
};

function demangleLegacy(s: string, verbose: boolean, budget: DemangleBudget): string | undefined {
  let inner: string;
  if (s.startsWith('_ZN')) inner = s.slice(3);
  else if (s.startsWith('ZN')) inner = s.slice(2);
  else if (s.startsWith('__ZN')) inner = s.slice(4);
  else return undefined;
  if (/[^\x00-\x7f]/.test(inner)) return undefined;

  const elements: string[] = [];
  let i = 0;
  for (;;) {
    if (i >= inner.length) return undefined;
    if (inner[i] === 'E') break;
    const m = /^[0-9]+/.exec(inner.slice(i));
    if (!m) return undefined;
    const len = Number(m[0]);
    i += m[0].length;
    if (!Number.isSafeInteger(len) || i + len > inner.length) return undefined;
    elements.push(inner.slice(i, i + len));
    i += len;
  }
  const suffix = inner.slice(i + 1);
  if (!acceptableSuffix(suffix)) return undefined;

  const parts: string[] = [];
  elements.forEach((element, index) => {
    const isLast = index === elements.length - 1;
    if (!verbose && isLast && /^h[0-9a-fA-F]*$/.test(element)) return;
    parts.push(unescapeLegacyElement(element));
  });
  // Never longer than the symbol (escapes only shrink), so only the characters are charged.
  const text = parts.join('::');
  if (text.length > budget.chars) {
    const kept = text.slice(0, budget.chars);
    budget.chars = 0;
    return kept + SIZE_LIMIT_MARKER + suffix;
  }
  budget.chars -= text.length;
  return text + suffix;
}

function unescapeLegacyElement(element: string): string {
  let rest = element.startsWith('_$') ? element.slice(1) : element;
  let out = '';
  while (rest.length > 0) {
    if (rest.startsWith('..')) {
      out += '::';
      rest = rest.slice(2);
    } else if (rest.startsWith('.')) {
      out += '.';
      rest = rest.slice(1);
    } else if (rest.startsWith('$')) {
      const end = rest.indexOf('$', 1);
      if (end < 0) break;
      const code = rest.slice(1, end);
      const plain = LEGACY_ESCAPES[code];
      if (plain !== undefined) {
        out += plain;
      } else {
        const u = /^u([0-9a-f]+)$/.exec(code);
        const cp = u ? parseInt(u[1]!, 16) : NaN;
        if (!u || !(cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff) || /\p{Cc}/u.test(String.fromCodePoint(cp))) break;
        out += String.fromCodePoint(cp);
      }
      rest = rest.slice(end + 1);
    } else {
      const next = rest.search(/[$.]/);
      if (next < 0) break;
      out += rest.slice(0, next);
      rest = rest.slice(next);
    }
  }
  return out + rest;
}

/* ───────────────────────────── v0 ───────────────────────────── */

const MAX_DEPTH = 500;

const BASIC_TYPES: Record<string, string> = {
  b: 'bool',
  c: 'char',
  e: 'str',
  u: '()',
  a: 'i8',
  s: 'i16',
  l: 'i32',
  x: 'i64',
  n: 'i128',
  i: 'isize',
  h: 'u8',
  t: 'u16',
  m: 'u32',
  y: 'u64',
  o: 'u128',
  j: 'usize',
  f: 'f32',
  d: 'f64',
  z: '!',
  p: '_',
  v: '...',
};

class Invalid extends Error {
  constructor(readonly recursion = false) {
    super(recursion ? 'recursion limit reached' : 'invalid syntax');
  }
}

/** The size or step bound was reached: printing stops where it is (not caught behind a back-reference). */
class SizeLimit extends Error {
  constructor() {
    super('size limit reached');
  }
}

interface Ident {
  ascii: string;
  punycode: string;
}

/**
 * One recursive-descent walker for both passes: with `out === null` it only
 * validates (and does not follow back-references, like rustc-demangle's shallow
 * check); with `out` set it prints.
 */
class V0 {
  pos = 0;
  depth = 0;
  out: string[] | null = null;
  boundLifetimes = 0;

  constructor(
    readonly sym: string,
    readonly verbose: boolean,
    /** Charged while printing only (validation is linear: it does not follow back-references). */
    readonly budget: DemangleBudget = { chars: Infinity, steps: Infinity },
  ) {}

  /* parsing primitives */

  private peek(): string | undefined {
    return this.sym[this.pos];
  }

  private eat(c: string): boolean {
    if (this.sym[this.pos] === c) {
      this.pos++;
      return true;
    }
    return false;
  }

  private next(): string {
    const c = this.sym[this.pos];
    if (c === undefined) throw new Invalid();
    this.pos++;
    return c;
  }

  private push(): void {
    if (++this.depth > MAX_DEPTH) throw new Invalid(true);
    this.step(1);
  }

  private step(n: number): void {
    if (this.out === null) return;
    this.budget.steps -= n;
    if (this.budget.steps < 0) throw new SizeLimit();
  }

  private pop(): void {
    this.depth--;
  }

  private emit(text: string): void {
    if (this.out === null) return;
    this.step(1);
    if (text.length > this.budget.chars) {
      this.out.push(text.slice(0, this.budget.chars));
      this.budget.chars = 0;
      throw new SizeLimit();
    }
    this.budget.chars -= text.length;
    this.out.push(text);
  }

  private integer62(): bigint {
    if (this.eat('_')) return 0n;
    let x = 0n;
    while (!this.eat('_')) {
      const c = this.next();
      let d: number;
      if (c >= '0' && c <= '9') d = c.charCodeAt(0) - 48;
      else if (c >= 'a' && c <= 'z') d = c.charCodeAt(0) - 97 + 10;
      else if (c >= 'A' && c <= 'Z') d = c.charCodeAt(0) - 65 + 36;
      else throw new Invalid();
      x = x * 62n + BigInt(d);
      if (x >= 1n << 64n) throw new Invalid();
    }
    return x + 1n;
  }

  private optInteger62(tag: string): bigint {
    return this.eat(tag) ? this.integer62() + 1n : 0n;
  }

  private disambiguator(): bigint {
    return this.optInteger62('s');
  }

  private hexNibbles(): string {
    const start = this.pos;
    for (;;) {
      const c = this.next();
      if (c === '_') break;
      if (!/[0-9a-f]/.test(c)) throw new Invalid();
    }
    return this.sym.slice(start, this.pos - 1);
  }

  private ident(): Ident {
    const punycode = this.eat('u');
    const first = this.peek();
    if (first === undefined || first < '0' || first > '9') throw new Invalid();
    let digits = this.next();
    if (digits !== '0') while (/[0-9]/.test(this.peek() ?? '')) digits += this.next();
    const len = Number(digits);
    this.eat('_');
    if (!Number.isSafeInteger(len) || this.pos + len > this.sym.length) throw new Invalid();
    const text = this.sym.slice(this.pos, this.pos + len);
    this.pos += len;
    if (!punycode) return { ascii: text, punycode: '' };
    const sep = text.lastIndexOf('_');
    const ident = sep >= 0 ? { ascii: text.slice(0, sep), punycode: text.slice(sep + 1) } : { ascii: '', punycode: text };
    if (ident.punycode === '') throw new Invalid();
    return ident;
  }

  private identText(ident: Ident): string {
    if (ident.punycode === '') return ident.ascii;
    // Decoding is quadratic in the identifier (RFC 3492 inserts code points): charged, since a back-reference can
    // print one identifier many times.
    this.step(Math.ceil((ident.punycode.length * (ident.ascii.length + ident.punycode.length)) / 64));
    const decoded = decodePunycode(ident.ascii, ident.punycode);
    if (decoded !== undefined) return decoded;
    return `punycode{${ident.ascii === '' ? '' : `${ident.ascii}-`}${ident.punycode}}`;
  }

  /** Follows a back-reference (`B<base-62>`) when printing; only parses it when validating. */
  private backref(walk: () => void): void {
    const start = this.pos - 1; // the 'B'
    const target = this.integer62();
    if (target >= BigInt(start)) throw new Invalid();
    if (this.out === null) return;
    const saved = this.pos;
    const savedDepth = this.depth;
    this.push();
    this.pos = Number(target);
    try {
      walk();
    } catch (e) {
      // Like rustc-demangle, an error behind a back-reference is shown in place and
      // printing resumes after the reference.
      if (!(e instanceof Invalid)) throw e;
      this.emit(e.recursion ? '{recursion limit reached}' : '{invalid syntax}');
    } finally {
      this.pos = saved;
      this.depth = savedDepth;
    }
  }

  /** Runs `walk` without printing (the impl path of `M`/`X`). */
  private silently(walk: () => void): void {
    const saved = this.out;
    this.out = null;
    try {
      walk();
    } finally {
      this.out = saved;
    }
  }

  /* grammar */

  path(inValue: boolean): void {
    this.push();
    const tag = this.next();
    switch (tag) {
      case 'C': {
        const dis = this.disambiguator();
        const name = this.ident();
        this.emit(this.identText(name));
        if (this.verbose && dis !== 0n) this.emit(`[${dis.toString(16)}]`);
        break;
      }
      case 'N': {
        const ns = this.next();
        if (!/[A-Za-z]/.test(ns)) throw new Invalid();
        this.path(inValue);
        const dis = this.disambiguator();
        const name = this.ident();
        const hasName = name.ascii !== '' || name.punycode !== '';
        if (ns >= 'A' && ns <= 'Z') {
          const label = ns === 'C' ? 'closure' : ns === 'S' ? 'shim' : ns;
          this.emit(`::{${label}${hasName ? `:${this.identText(name)}` : ''}#${dis}}`);
        } else if (hasName) {
          this.emit(`::${this.identText(name)}`);
        }
        break;
      }
      case 'M':
      case 'X':
      case 'Y': {
        if (tag !== 'Y') {
          this.disambiguator();
          this.silently(() => this.path(false));
        }
        this.emit('<');
        this.type();
        if (tag !== 'M') {
          this.emit(' as ');
          this.path(false);
        }
        this.emit('>');
        break;
      }
      case 'I': {
        this.path(inValue);
        if (inValue) this.emit('::');
        this.emit('<');
        this.list(() => this.genericArg(), ', ');
        this.emit('>');
        break;
      }
      case 'B':
        this.backref(() => this.path(inValue));
        break;
      default:
        throw new Invalid();
    }
    this.pop();
  }

  private list(item: () => void, sep: string): number {
    let count = 0;
    while (!this.eat('E')) {
      if (this.pos >= this.sym.length) throw new Invalid();
      if (count > 0) this.emit(sep);
      item();
      count++;
    }
    return count;
  }

  private genericArg(): void {
    if (this.eat('L')) this.lifetime(this.integer62());
    else if (this.eat('K')) this.constant(false);
    else this.type();
  }

  private lifetime(index: bigint): void {
    if (this.out === null) return;
    if (index === 0n) {
      this.emit("'_");
      return;
    }
    const depth = BigInt(this.boundLifetimes) - index;
    if (depth < 0n) throw new Invalid();
    this.emit(depth < 26n ? `'${String.fromCharCode(97 + Number(depth))}` : `'_${depth}`);
  }

  private binder(walk: () => void): void {
    const count = this.optInteger62('G');
    if (this.out === null) {
      walk();
      return;
    }
    // `count` is up to 2^64: each name is emitted (and charged) as it is made.
    let bound = 0;
    try {
      if (count > 0n) {
        this.emit('for<');
        for (let i = 0n; i < count; i++) {
          if (i > 0n) this.emit(', ');
          const depth = this.boundLifetimes;
          this.boundLifetimes++;
          bound++;
          this.emit(depth < 26 ? `'${String.fromCharCode(97 + depth)}` : `'_${depth}`);
        }
        this.emit('> ');
      }
      walk();
    } finally {
      this.boundLifetimes -= bound;
    }
  }

  type(): void {
    const tag = this.next();
    const basic = BASIC_TYPES[tag];
    if (basic !== undefined) {
      this.emit(basic);
      return;
    }
    this.push();
    switch (tag) {
      case 'R':
      case 'Q': {
        this.emit('&');
        if (this.eat('L')) {
          const lt = this.integer62();
          if (lt !== 0n) {
            this.lifetime(lt);
            this.emit(' ');
          }
        }
        if (tag === 'Q') this.emit('mut ');
        this.type();
        break;
      }
      case 'P':
      case 'O':
        this.emit(tag === 'P' ? '*const ' : '*mut ');
        this.type();
        break;
      case 'A':
      case 'S':
        this.emit('[');
        this.type();
        if (tag === 'A') {
          this.emit('; ');
          this.constant(true);
        }
        this.emit(']');
        break;
      case 'T': {
        this.emit('(');
        const n = this.list(() => this.type(), ', ');
        if (n === 1) this.emit(',');
        this.emit(')');
        break;
      }
      case 'F':
        this.binder(() => this.fnSig());
        break;
      case 'D': {
        this.emit('dyn ');
        this.binder(() => {
          this.list(() => this.dynTrait(), ' + ');
        });
        if (!this.eat('L')) throw new Invalid();
        const lt = this.integer62();
        if (lt !== 0n) {
          this.emit(' + ');
          this.lifetime(lt);
        }
        break;
      }
      case 'B':
        this.backref(() => this.type());
        break;
      case 'W':
        this.type();
        this.emit(' is ');
        this.pattern();
        break;
      default:
        this.pos--;
        this.path(false);
    }
    this.pop();
  }

  private fnSig(): void {
    const isUnsafe = this.eat('U');
    let abi: string | undefined;
    if (this.eat('K')) {
      if (this.eat('C')) abi = 'C';
      else {
        const id = this.ident();
        if (id.ascii === '' || id.punycode !== '') throw new Invalid();
        abi = id.ascii.split('_').join('-');
      }
    }
    if (isUnsafe) this.emit('unsafe ');
    if (abi !== undefined) this.emit(`extern "${abi}" `);
    this.emit('fn(');
    this.list(() => this.type(), ', ');
    this.emit(')');
    if (!this.eat('u')) {
      this.emit(' -> ');
      this.type();
    }
  }

  /** A path whose `<…>` stays open when associated-type bindings follow. */
  private pathMaybeOpenGenerics(): boolean {
    if (this.eat('B')) {
      let open = false;
      this.backref(() => {
        open = this.pathMaybeOpenGenerics();
      });
      return open;
    }
    if (this.eat('I')) {
      this.path(false);
      this.emit('<');
      this.list(() => this.genericArg(), ', ');
      return true;
    }
    this.path(false);
    return false;
  }

  private dynTrait(): void {
    let open = this.pathMaybeOpenGenerics();
    while (this.eat('p')) {
      this.emit(open ? ', ' : '<');
      open = true;
      this.emit(`${this.identText(this.ident())} = `);
      if (this.eat('K')) this.constant(false);
      else this.type();
    }
    if (open) this.emit('>');
  }

  private pattern(): void {
    const tag = this.next();
    if (tag === 'R') {
      this.constant(false);
      this.emit('..=');
      this.constant(false);
    } else if (tag === 'O') {
      this.push();
      this.pattern();
      while (!this.eat('E')) {
        if (this.pos >= this.sym.length) throw new Invalid();
        this.emit(' | ');
        this.pattern();
      }
      this.pop();
    } else if (tag === 'N') {
      this.emit('!null');
    } else {
      throw new Invalid();
    }
  }

  constant(inValue: boolean): void {
    const tag = this.next();
    this.push();
    let braced = false;
    const brace = (): void => {
      if (!inValue) {
        braced = true;
        this.emit('{');
      }
    };
    switch (tag) {
      case 'p':
        this.emit('_');
        break;
      case 'h':
      case 't':
      case 'm':
      case 'y':
      case 'o':
      case 'j':
        this.constUint(tag);
        break;
      case 'a':
      case 's':
      case 'l':
      case 'x':
      case 'n':
      case 'i':
        if (this.eat('n')) this.emit('-');
        this.constUint(tag);
        break;
      case 'b': {
        const v = parseUint(this.hexNibbles());
        if (v === 0n) this.emit('false');
        else if (v === 1n) this.emit('true');
        else throw new Invalid();
        break;
      }
      case 'c': {
        const v = parseUint(this.hexNibbles());
        if (v === undefined || v > 0x10ffffn || (v >= 0xd800n && v <= 0xdfffn)) throw new Invalid();
        this.emit(quote("'", [String.fromCodePoint(Number(v))]));
        break;
      }
      case 'e':
        brace();
        this.emit('*');
        this.constStr();
        break;
      case 'R':
      case 'Q':
        if (tag === 'R' && this.eat('e')) {
          this.constStr();
        } else {
          brace();
          this.emit(tag === 'R' ? '&' : '&mut ');
          this.constant(true);
        }
        break;
      case 'A':
        brace();
        this.emit('[');
        this.list(() => this.constant(true), ', ');
        this.emit(']');
        break;
      case 'T': {
        brace();
        this.emit('(');
        const n = this.list(() => this.constant(true), ', ');
        if (n === 1) this.emit(',');
        this.emit(')');
        break;
      }
      case 'V': {
        brace();
        this.path(true);
        const shape = this.next();
        if (shape === 'T') {
          this.emit('(');
          this.list(() => this.constant(true), ', ');
          this.emit(')');
        } else if (shape === 'S') {
          this.emit(' { ');
          this.list(() => {
            this.disambiguator();
            this.emit(`${this.identText(this.ident())}: `);
            this.constant(true);
          }, ', ');
          this.emit(' }');
        } else if (shape !== 'U') {
          throw new Invalid();
        }
        break;
      }
      case 'B':
        this.backref(() => this.constant(inValue));
        break;
      default:
        throw new Invalid();
    }
    if (braced) this.emit('}');
    this.pop();
  }

  private constUint(tag: string): void {
    const hex = this.hexNibbles();
    const v = parseUint(hex);
    this.emit(v === undefined ? `0x${hex}` : v.toString());
    if (this.verbose) this.emit(BASIC_TYPES[tag]!);
  }

  private constStr(): void {
    const hex = this.hexNibbles();
    if (hex.length % 2 !== 0) throw new Invalid();
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new Invalid();
    }
    this.emit(quote('"', [...text]));
  }
}

/** u64 from hex nibbles, undefined when it does not fit. */
function parseUint(hex: string): bigint | undefined {
  const digits = hex.replace(/^0+/, '');
  if (digits.length > 16) return undefined;
  return digits === '' ? 0n : BigInt(`0x${digits}`);
}

/** Rust's `char::escape_debug`, with the opposite quote left alone. */
function quote(q: string, chars: string[]): string {
  let out = q;
  for (const c of chars) {
    if ((q === "'" && c === '"') || (q === '"' && c === "'")) out += c;
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (c === '\n') out += '\\n';
    else if (c === '\0') out += '\\0';
    else if (c === '\\' || c === '"' || c === "'") out += `\\${c}`;
    else if (/[\p{C}\p{Zl}\p{Zp}\p{Grapheme_Extend}]/u.test(c)) out += `\\u{${c.codePointAt(0)!.toString(16)}}`;
    else out += c;
  }
  return out + q;
}

/** RFC 3492 decoding, as used by v0 identifiers (`u` prefix, `_` separating the ASCII part). */
function decodePunycode(ascii: string, encoded: string): string | undefined {
  const out = [...ascii].map((c) => c.codePointAt(0)!);
  const base = 36;
  const tMin = 1;
  const tMax = 26;
  let damp = 700;
  let bias = 72;
  let i = 0;
  let n = 0x80;
  let p = 0;
  while (p < encoded.length) {
    const oldI = i;
    let w = 1;
    for (let k = base; ; k += base) {
      const c = encoded[p++];
      if (c === undefined) return undefined;
      let d: number;
      if (c >= 'a' && c <= 'z') d = c.charCodeAt(0) - 97;
      else if (c >= '0' && c <= '9') d = c.charCodeAt(0) - 48 + 26;
      else return undefined;
      i += d * w;
      const t = Math.min(Math.max(k - bias, tMin), tMax);
      if (d < t) break;
      w *= base - t;
      if (!Number.isSafeInteger(i) || !Number.isSafeInteger(w)) return undefined;
    }
    const len = out.length + 1;
    // bias adaptation (RFC 3492 §6.1)
    let delta = i - oldI;
    delta = Math.floor(delta / damp);
    damp = 2;
    delta += Math.floor(delta / len);
    let k = 0;
    while (delta > ((base - tMin) * tMax) >> 1) {
      delta = Math.floor(delta / (base - tMin));
      k += base;
    }
    bias = k + Math.floor(((base - tMin + 1) * delta) / (delta + 38));
    n += Math.floor(i / len);
    i %= len;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return undefined;
    out.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...out);
}

function demangleV0(s: string, verbose: boolean, budget: DemangleBudget): string | undefined {
  let inner: string;
  if (s.length > 2 && s.startsWith('_R')) inner = s.slice(2);
  else if (s.length > 1 && s.startsWith('R')) inner = s.slice(1);
  else if (s.length > 3 && s.startsWith('__R')) inner = s.slice(3);
  else return undefined;
  if (!/^[A-Z]/.test(inner) || /[^\x00-\x7f]/.test(inner)) return undefined;

  // Pass 1: shallow validation (back-references not followed) to find where the symbol ends.
  const check = new V0(inner, verbose);
  try {
    check.path(false);
    if (/^[A-Z]/.test(inner.slice(check.pos))) check.path(false); // instantiating crate
  } catch {
    return undefined;
  }
  const suffix = inner.slice(check.pos);
  if (!acceptableSuffix(suffix)) return undefined;

  // Pass 2: print the path (the instantiating crate is not shown).
  const printer = new V0(inner, verbose, budget);
  printer.out = [];
  try {
    printer.path(true);
  } catch (e) {
    if (e instanceof SizeLimit) return printer.out.join('') + SIZE_LIMIT_MARKER + suffix;
    const recursion = e instanceof Invalid && e.recursion;
    return printer.out.join('') + (recursion ? '{recursion limit reached}' : '{invalid syntax}') + suffix;
  }
  return printer.out.join('') + suffix;
}
