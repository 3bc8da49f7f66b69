import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RE2JS } from 're2js';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../src/diagnose/engine.js';
import { findMatch, requiredLiteral } from '../src/diagnose/pattern.js';
import { signatureSchema } from '../src/diagnose/signature-schema.js';
import { loadSignatures, parseSignature, type Signature } from '../src/diagnose/signatures.js';

const root = path.resolve(import.meta.dirname, '..');
const sigSrc = path.join(root, 'src', 'diagnose', 'signatures');

/** A minimal valid signature with `patch` applied, as YAML text. */
function sigYaml(patch: Record<string, unknown>): string {
  const base: Record<string, unknown> = {
    id: 'probe',
    title: 'Probe',
    cause: 'a cause long enough to pass the schema',
    confidence: 'low',
    matchers: { message: ['boom'] },
    evidence: ['x'],
    workarounds: [{ text: 't', safe: true, why: 'w' }],
    links: [],
    fixtures: ['x'],
  };
  return JSON.stringify({ ...base, ...patch });
}
const load = (patch: Record<string, unknown>) => parseSignature(sigYaml(patch), '/tmp/probe.yaml', '/tmp');

describe('signature schema: one source', () => {
  it('signature.schema.json is the JSON rendering of signature-schema.ts', async () => {
    const jsonFile = path.join(root, 'src', 'diagnose', 'signature.schema.json');
    const rendered = `${JSON.stringify(signatureSchema, null, 2)}\n`;
    // Regenerate with: UPDATE_SIGNATURE_SCHEMA=1 npx vitest run test/signature-schema.test.ts
    if (process.env.UPDATE_SIGNATURE_SCHEMA) await writeFile(jsonFile, rendered);
    expect(await readFile(jsonFile, 'utf8')).toBe(rendered);
  });
});

describe('signature schema: no holes', () => {
  it('a trap kind or adapter-line category typo is a load error, not a condition that never holds', async () => {
    await expect(load({ matchers: { trapKind: ['unreachabel'] } })).rejects.toThrow(
      /\/matchers\/trapKind\/0: must be equal to one of the allowed values \(unreachable, /,
    );
    await expect(load({ matchers: { adapterLine: { category: 'state-canry' } } })).rejects.toThrow(/\/matchers\/adapterLine\/category/);
    await expect(load({ matchers: { verdict: ['ERROR', 'NOT-WASI'] } })).resolves.toBeDefined();
  });

  it('an evidence or predict template with an unknown placeholder is a load error naming it', async () => {
    await expect(load({ evidence: ['trap: {trap.mesage}'] })).rejects.toThrow(/\/evidence\/0: unknown placeholder \{trap\.mesage\}/);
    await expect(load({ predict: 'soon: {imports.nonwasi}' })).rejects.toThrow(/\/predict: unknown placeholder \{imports\.nonwasi\}/);
    // Placeholders exist only with the condition that fills them.
    await expect(load({ evidence: ['{m.who} said'] })).rejects.toThrow(/unknown placeholder \{m\.who\}/);
    await expect(load({ matchers: { message: ['(?<who>\\w+) said'] }, evidence: ['{m.who} said'] })).resolves.toBeDefined();
    await expect(load({ evidence: ['{frame.alloc}'] })).rejects.toThrow(/unknown placeholder \{frame\.alloc\}/);
    await expect(
      load({ matchers: { frames: [{ name: '^cabi_realloc$', as: 'alloc' }] }, evidence: ['{frame.alloc}'] }),
    ).resolves.toBeDefined();
    await expect(load({ evidence: ['{adapterLine.check}'] })).rejects.toThrow(/unknown placeholder/);
  });

  it('regexes are RE2 (linear time): lookaround and backreferences are load errors that point at `unless`', async () => {
    await expect(load({ matchers: { message: ['import `(?!wasi)(?<m>[^`]+)`'] } })).rejects.toThrow(
      /\/matchers\/message\/0: invalid regex .*unless/,
    );
    await expect(load({ matchers: { message: ['(a)\\1'] } })).rejects.toThrow(/invalid regex/);
    await expect(load({ matchers: { frames: [{ name: '(?<=x)y' }] } })).rejects.toThrow(/\/matchers\/frames\/0\/name: invalid regex/);
    // Catastrophic for a backtracking engine, linear for RE2: allowed.
    await expect(load({ matchers: { message: ['(a+)+$', '(a|a)*b', '(\\s*)*x'] } })).resolves.toBeDefined();
  });

  it('semver ranges are checked, and `affected` (never used by the engine) is gone', async () => {
    await expect(load({ matchers: { conversion: { adapterVersion: '>=banana' } } })).rejects.toThrow(
      /\/matchers\/conversion\/adapterVersion: invalid semver range/,
    );
    await expect(load({ affected: { adapter: '*' } })).rejects.toThrow(/unknown property 'affected'/);
  });

  it('`unless` skips a match whose named group matches, and the search goes on', async () => {
    const sig = await load({
      matchers: { message: [{ pattern: 'import `(?<m>[^`]+)`', unless: { m: '^wasi' } }] },
      evidence: ['import {m.m}'],
    });
    const db = { signatures: [sig], dirs: [] };
    expect(diagnose({ text: 'import `wasi_snapshot_preview1`' }, db).diagnoses).toEqual([]);
    const hit = diagnose({ text: 'import `wasi_unstable`\nimport `env`' }, db).diagnoses[0];
    expect(hit?.evidence).toEqual(['import env']);
  });

  it('built-in YAML holds no lookaround (each was rewritten with `unless` or leftmost-first alternation)', async () => {
    for (const f of await readdir(sigSrc)) expect(await readFile(path.join(sigSrc, f), 'utf8'), f).not.toMatch(/\(\?<?[!=]/);
  });
});

describe('signature regexes: the literal prefilter never changes a result', () => {
  it('requiredLiteral claims only text every match contains', () => {
    expect(requiredLiteral('cannot leave component instance')).toBe('cannot leave component instance');
    expect(requiredLiteral('a|b')).toBe('');
    expect(requiredLiteral('(?:x|y)unknown import: `')).toBe('unknown import: `');
    expect(requiredLiteral('abc*')).toBe('ab');
    expect(requiredLiteral('abcd?e')).toBe('abc');
    expect(requiredLiteral('ab{0,2}cdef')).toBe('cdef');
    expect(requiredLiteral('foo\\.bar\\d')).toBe('foo.bar');
    expect(requiredLiteral('\\pLfoo')).toBe('');
    expect(requiredLiteral('\\x41bcd')).toBe('');
    expect(requiredLiteral('\\101bcd')).toBe('');
    expect(requiredLiteral('[a-z]+ panicked at')).toBe(' panicked at');
    expect(requiredLiteral('naïve')).toBe('na');
  });

  it('for every built-in pattern and every recorded transcript, prefiltered RE2 = plain RE2', async () => {
    const patterns = new Set<string>();
    const walk = (o: unknown, key = ''): void => {
      if (Array.isArray(o)) {
        for (const x of o) walk(x, key);
        return;
      }
      if (o && typeof o === 'object') {
        if ('pattern' in o && typeof (o as { pattern: unknown }).pattern === 'string') patterns.add((o as { pattern: string }).pattern);
        for (const [k, v] of Object.entries(o)) if (k !== 'unless') walk(v, k);
        return;
      }
      if (typeof o === 'string' && ['message', 'error', 'stdout', 'stderr', 'name', 'module', 'check', 'fn'].includes(key)) patterns.add(o);
    };
    for (const f of await readdir(sigSrc)) {
      const y = parseYaml(await readFile(path.join(sigSrc, f), 'utf8')) as Signature;
      walk(y.matchers);
      walk(y.supporting);
    }
    const texts: string[] = [];
    const collect = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        if (e.isDirectory()) await collect(path.join(dir, e.name));
        else if (e.name.endsWith('.txt')) texts.push(await readFile(path.join(dir, e.name), 'utf8'));
      }
    };
    await collect(path.join(root, 'test', 'fixtures'));
    expect(patterns.size).toBeGreaterThan(40);
    expect(texts.length).toBeGreaterThan(20);
    let hits = 0;
    for (const p of patterns) {
      const plain = RE2JS.compile(p, RE2JS.CASE_INSENSITIVE | RE2JS.MULTILINE);
      for (const t of texts) {
        const expected = plain.matcher(t).find();
        expect(findMatch(p, t) !== undefined, `${p} on ${t.slice(0, 60)}`).toBe(expected);
        if (expected) hits++;
      }
    }
    expect(hits).toBeGreaterThan(20);
  });

  it('case-insensitive: folded text passes the prefilter (RE2 folds ſ to s)', () => {
    expect(findMatch('Cannot leave', 'CANNOT LEAVE component')).toBeDefined();
    expect(findMatch('sock', 'ſock')).toBeDefined();
  });
});

describe('built-in signatures load', () => {
  it('all of them, with every template placeholder known', async () => {
    const db = await loadSignatures();
    expect(db.signatures.length).toBeGreaterThan(20);
  });
});
