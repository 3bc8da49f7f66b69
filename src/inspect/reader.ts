/**
 * A minimal, bounds-checked reader for the WebAssembly binary format (core and component layers):
 * LEB128 integers, names and byte ranges. It never reads past its window; every failure is an
 * `InspectError` whose message names what was being read and where.
 */

/** A parse failure with a message fit for users (the caller prefixes the file name). */
export class InspectError extends Error {
  constructor(
    message: string,
    /** 'not-wasm' for a foreign file, 'invalid' for a broken or unsupported WebAssembly binary. */
    readonly kind: 'not-wasm' | 'invalid' = 'invalid',
  ) {
    super(message);
    this.name = 'InspectError';
  }
}

/** Thrown when a read runs past the reader's window; callers turn it into a specific message. */
export class EndOfData extends Error {
  constructor(readonly offset: number) {
    super(`unexpected end of data at offset ${hex(offset)}`);
    this.name = 'EndOfData';
  }
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ByteReader {
  /** Absolute offset of the next byte. */
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    /** Exclusive absolute end of the window. */
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) throw new EndOfData(this.pos);
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128, at most `maxBits` wide (32 → u32, 64 → u64). Values above 2^53 lose precision. */
  uleb(maxBits = 32): number {
    const start = this.pos;
    let result = 0;
    let mul = 1;
    const maxBytes = Math.ceil(maxBits / 7);
    for (let i = 0; ; i++) {
      if (i >= maxBytes) throw new InspectError(`malformed LEB128 integer at offset ${hex(start)}: longer than ${maxBytes} bytes`);
      const b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) break;
    }
    if (maxBits === 32 && result > 0xffffffff) {
      throw new InspectError(`malformed LEB128 integer at offset ${hex(start)}: value does not fit in 32 bits`);
    }
    return result;
  }

  u32(): number {
    return this.uleb(32);
  }

  u64(): number {
    return this.uleb(64);
  }

  /** Signed LEB128 of up to 33 bits (block types, heap types, component value types). */
  s33(): number {
    const start = this.pos;
    let result = 0;
    let mul = 1;
    let b: number;
    let i = 0;
    do {
      if (i++ >= 5) throw new InspectError(`malformed signed LEB128 integer at offset ${hex(start)}`);
      b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    if (b & 0x40) result -= mul;
    return result;
  }

  take(n: number): Uint8Array {
    if (n > this.remaining) throw new EndOfData(this.end);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(n: number): void {
    this.take(n);
  }

  /** A length-prefixed UTF-8 name. */
  name(): string {
    const start = this.pos;
    const len = this.u32();
    const raw = this.take(len);
    try {
      return utf8.decode(raw);
    } catch {
      throw new InspectError(`malformed name at offset ${hex(start)}: not valid UTF-8`);
    }
  }

  /** A reader over the next `n` bytes; this reader moves past them. */
  sub(n: number): ByteReader {
    if (n > this.remaining) throw new EndOfData(this.end);
    const r = new ByteReader(this.bytes, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
}

export interface RawSection {
  id: number;
  /** Absolute offset of the section id byte. */
  offset: number;
  /** Payload window. */
  start: number;
  end: number;
}

/**
 * Splits a binary (after its 8-byte preamble) into sections, checking every declared size against
 * what is left of the file: the one place truncation is detected.
 */
export function readSections(bytes: Uint8Array, sectionName: (id: number) => string): RawSection[] {
  const r = new ByteReader(bytes, 8);
  const sections: RawSection[] = [];
  while (!r.atEnd()) {
    const offset = r.pos;
    const id = r.u8();
    let size: number;
    try {
      size = r.u32();
    } catch (e) {
      if (e instanceof EndOfData) {
        throw new InspectError(`truncated: the file ends inside the header of section ${id} (${sectionName(id)}) at offset ${hex(offset)}`);
      }
      throw e;
    }
    if (size > r.remaining) {
      throw new InspectError(
        `truncated: section ${id} (${sectionName(id)}) declares ${size} bytes but only ${r.remaining} remain` +
          ` (section at offset ${hex(offset)}, file is ${bytes.length} bytes)`,
      );
    }
    sections.push({ id, offset, start: r.pos, end: r.pos + size });
    r.pos += size;
  }
  return sections;
}

/**
 * Runs `fn` over one section's payload; a read past its end, or bytes left over, becomes an
 * `InspectError` naming the section and the item being read (`what.current`).
 */
export function withSection<T>(
  bytes: Uint8Array,
  section: RawSection,
  label: string,
  fn: (r: ByteReader, what: { current: string }) => T,
  opts: { allowTrailing?: boolean } = {},
): T {
  const r = new ByteReader(bytes, section.start, section.end);
  const what = { current: 'its contents' };
  let result: T;
  try {
    result = fn(r, what);
  } catch (e) {
    if (e instanceof EndOfData) {
      throw new InspectError(
        `malformed section ${section.id} (${label}) at offset ${hex(section.offset)}: ` +
          `its ${section.end - section.start} bytes end in the middle of ${what.current}`,
      );
    }
    if (e instanceof InspectError) {
      throw new InspectError(`malformed section ${section.id} (${label}) while reading ${what.current}: ${e.message}`, e.kind);
    }
    throw e;
  }
  if (!opts.allowTrailing && !r.atEnd()) {
    throw new InspectError(
      `malformed section ${section.id} (${label}) at offset ${hex(section.offset)}: ${r.remaining} unexpected bytes after its last entry`,
    );
  }
  return result;
}
