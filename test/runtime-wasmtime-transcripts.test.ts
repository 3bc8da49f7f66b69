/**
 * wasmtime outputs the wasmtime runner feeds to parseTrap: verbatim public CLI transcripts across releases and the
 * test harness's own engine text (test/fixtures/wasmtime-cli/index.json).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTrap } from '../src/diagnose/trap/parse.js';
import type { Trap } from '../src/model.js';

interface ExpectedFrame {
  name?: string;
  origin?: string;
  module?: string;
  offset?: string;
}
interface Entry {
  file: string;
  source: 'public-issue' | 'local-run';
  url: string | null;
  runtime: { name: string; version: string | null };
  expected: {
    kind: string;
    format?: string;
    message?: string;
    adapterLine?: number;
    adapterLineKind?: 'assertion' | 'unreachable';
    frameCount?: number;
    lastFrame?: string;
    causesInclude?: string[];
    frames?: ExpectedFrame[];
  };
  knownGaps?: { fields: string[]; note: string }[];
}

const dir = new URL('./fixtures/wasmtime-cli/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')) as { transcripts: Entry[] };
const other = JSON.parse(readFileSync(new URL('./fixtures/transcripts/index.json', import.meta.url), 'utf8')) as {
  transcripts: { file: string; url: string | null }[];
};

function check(trap: Trap, want: Entry['expected'], skip: Set<string>): void {
  const has = (field: string) => !skip.has(field);
  if (has('kind')) expect(trap.kind).toBe(want.kind);
  if (want.format !== undefined && has('format')) expect(trap.format).toBe(want.format);
  if (want.message !== undefined && has('message')) expect(trap.message).toBe(want.message);
  if (want.adapterLine !== undefined && has('adapterLine')) expect(trap.adapterLine?.line).toBe(want.adapterLine);
  if (want.adapterLineKind !== undefined && has('adapterLineKind')) expect(trap.adapterLine?.kind).toBe(want.adapterLineKind);
  if (want.frameCount !== undefined && has('frameCount')) expect(trap.frames).toHaveLength(want.frameCount);
  if (want.lastFrame !== undefined && has('lastFrame')) expect(trap.frames.at(-1)?.name).toBe(want.lastFrame);
  for (const cause of want.causesInclude ?? []) expect(trap.causes).toContain(cause);
  (want.frames ?? []).forEach((f, i) => {
    const got = trap.frames[i];
    expect(got, `frame ${i}`).toBeDefined();
    if (f.name !== undefined) expect(got!.name, `frame ${i} name`).toBe(f.name);
    if (f.origin !== undefined) expect(got!.origin, `frame ${i} origin`).toBe(f.origin);
    if (f.module !== undefined) expect(got!.module, `frame ${i} module`).toBe(f.module);
    if (f.offset !== undefined) expect(got!.offset, `frame ${i} offset`).toBe(Number.parseInt(f.offset, 16));
  });
}

describe('wasmtime transcripts (test/fixtures/wasmtime-cli)', () => {
  it('index.json lists every transcript, with a source, and shares no thread with test/fixtures/transcripts', () => {
    const files = readdirSync(fileURLToPath(dir))
      .filter((f) => f.endsWith('.txt'))
      .sort();
    expect(index.transcripts.map((t) => t.file).sort()).toEqual(files);
    const theirs = new Set(other.transcripts.map((t) => t.url).filter((u): u is string => !!u));
    for (const t of index.transcripts) {
      if (t.source === 'public-issue') {
        expect(t.url, t.file).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/(issues|pull)\/\d+$/);
        expect(theirs.has(t.url!), `${t.file} duplicates a transcript in test/fixtures/transcripts`).toBe(false);
      } else {
        expect(t.runtime.name).toBe('wasmtime-py-harness');
      }
    }
  });

  it.each(index.transcripts.map((t) => [t.file, t] as const))('%s', (_file, entry) => {
    const text = readFileSync(new URL(entry.file, dir), 'utf8');
    const trap = parseTrap(text);
    expect(trap).toBeDefined();
    const skip = new Set((entry.knownGaps ?? []).flatMap((g) => g.fields));
    for (const gap of entry.knownGaps ?? []) console.warn(`${entry.file}: known parseTrap gap (${gap.fields.join(', ')}): ${gap.note}`);
    check(trap!, entry.expected, skip);
  });
});
