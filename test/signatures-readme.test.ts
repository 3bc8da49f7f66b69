import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSignatures } from '../src/diagnose/signatures.js';

const root = path.resolve(import.meta.dirname, '..');

describe('docs/signatures.md', () => {
  it('lists every built-in signature', async () => {
    const doc = readFileSync(path.join(root, 'docs', 'signatures.md'), 'utf8');
    const db = await loadSignatures();
    const missing = db.signatures.map((s) => s.id).filter((id) => !doc.includes(`| \`${id}\` |`));
    expect(missing, 'add these to the table of built-in signatures in docs/signatures.md').toEqual([]);
  });
});
