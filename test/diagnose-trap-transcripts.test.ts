import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTrap } from '../src/diagnose/trap/parse.js';

/** Shape of test/fixtures/transcripts/index.json (see its `$comment`). */
interface ExpectedFrame {
  name?: string;
  rawName?: string;
  origin?: string;
  module?: string;
  /** hex string, e.g. "0x255903" */
  offset?: string;
}
interface TranscriptEntry {
  file: string;
  source: 'seed' | 'public-issue' | 'local-run';
  url: string | null;
  runtime?: { name: string; version?: string };
  expected: {
    /** null = parseTrap must return undefined */
    kind: string | null;
    format?: string;
    message?: string;
    messageIncludes?: string;
    adapterLine?: number | null;
    adapterLineKind?: 'assertion' | 'unreachable';
    frameCount?: number;
    frames?: ExpectedFrame[];
  };
}

const dir = new URL('./fixtures/transcripts/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')) as { transcripts: TranscriptEntry[] };

describe('transcripts parse as recorded in index.json', () => {
  it('has an entry for every transcript and vice versa', () => {
    const files = new Set(index.transcripts.map((t) => t.file));
    expect(files.size).toBe(index.transcripts.length);
    for (const t of index.transcripts) expect(() => readFileSync(new URL(t.file, dir))).not.toThrow();
    for (const t of index.transcripts) if (t.source === 'public-issue') expect(t.url, t.file).toMatch(/^https:\/\/github\.com\//);
  });

  it.each(index.transcripts.map((t) => [t.file, t] as const))('%s', (_file, entry) => {
    const text = readFileSync(fileURLToPath(new URL(entry.file, dir)), 'utf8');
    const trap = parseTrap(text);
    const want = entry.expected;
    if (want.kind === null) {
      expect(trap).toBeUndefined();
      return;
    }
    expect(trap).toBeDefined();
    if (!trap) return;
    expect(trap.kind).toBe(want.kind);
    if (want.format !== undefined) expect(trap.format).toBe(want.format);
    if (want.message !== undefined) expect(trap.message).toBe(want.message);
    if (want.messageIncludes !== undefined) expect(trap.message).toContain(want.messageIncludes);
    if (want.adapterLine !== undefined) expect(trap.adapterLine?.line ?? null).toBe(want.adapterLine);
    if (want.adapterLineKind !== undefined) expect(trap.adapterLine?.kind).toBe(want.adapterLineKind);
    if (want.frameCount !== undefined) expect(trap.frames.length).toBe(want.frameCount);
    (want.frames ?? []).forEach((f, i) => {
      const got = trap.frames[i];
      expect(got, `frame ${i}`).toBeDefined();
      if (!got) return;
      expect(got.index).toBe(i);
      if (f.name !== undefined) expect(got.name, `frame ${i} name`).toBe(f.name);
      if (f.rawName !== undefined) expect(got.rawName, `frame ${i} rawName`).toBe(f.rawName);
      if (f.origin !== undefined) expect(got.origin, `frame ${i} (${got.name}) origin`).toBe(f.origin);
      if (f.module !== undefined) expect(got.module, `frame ${i} module`).toBe(f.module);
      if (f.offset !== undefined) expect(got.offset, `frame ${i} offset`).toBe(parseInt(f.offset, 16));
    });
  });
});
