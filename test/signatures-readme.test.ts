import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSignatures } from '../src/diagnose/signatures.js';

const root = path.resolve(import.meta.dirname, '..');

describe('README', () => {
  it('lists every built-in signature', async () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const db = await loadSignatures();
    const missing = db.signatures.map((s) => s.id).filter((id) => !readme.includes(`| \`${id}\` |`));
    expect(missing, 'add these to the README table of built-in signatures').toEqual([]);
  });
});
