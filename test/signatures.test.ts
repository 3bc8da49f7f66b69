import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinSignatureDir, loadSignatures, parseSignature, SignatureError, signatureSchemaPath } from '../src/diagnose/signatures.js';

const root = path.resolve(import.meta.dirname, '..');
const fixturesDir = path.join(root, 'test', 'fixtures');
const sigSrc = path.join(root, 'src', 'diagnose', 'signatures');
const corpus = JSON.parse(await readFile(path.join(root, 'test', 'corpus', 'corpus.json'), 'utf8')) as {
  entries: { id: string; expected: { signature: string | null } }[];
};
const manifest = JSON.parse(await readFile(path.join(fixturesDir, 'signatures', 'manifest.json'), 'utf8')) as {
  fixtures: { name: string; file: string; expect: { signature: string | null } }[];
};

describe('built-in signature files', async () => {
  const files = (await readdir(sigSrc)).filter((f) => f.endsWith('.yaml')).sort();

  it('there are at least 15, each with $schema pointing at the schema', async () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const f of files) expect(await readFile(path.join(sigSrc, f), 'utf8')).toMatch(/^\$schema: \.\.\/signature\.schema\.json$/m);
  });

  for (const f of files) {
    it(`${f} is schema-valid and its fixtures exist`, async () => {
      const sig = await parseSignature(await readFile(path.join(sigSrc, f), 'utf8'), path.join(sigSrc, f));
      expect(sig.fixtures.length).toBeGreaterThan(0);
      for (const fx of sig.fixtures) {
        // `corpus/<id>`: a published module of the real-world corpus (test/corpus/corpus.json), fetched by the corpus test.
        const inCorpus = fx.startsWith('corpus/') && corpus.entries.some((e) => `corpus/${e.id}` === fx && e.expected.signature === sig.id);
        const known = inCorpus || manifest.fixtures.some((m) => m.name === fx) || existsSync(path.join(fixturesDir, fx));
        expect(known, `${f}: fixture ${fx}`).toBe(true);
      }
      expect(sig.workarounds.length).toBeGreaterThan(0);
    });
  }

  it("every signature is some fixture's or transcript's expected result", async () => {
    const m = JSON.parse(await readFile(path.join(fixturesDir, 'signatures', 'manifest.json'), 'utf8')) as {
      transcripts: { signature: string | null }[];
    };
    const expected = new Set([
      ...manifest.fixtures.map((x) => x.expect.signature),
      ...manifest.fixtures.map((x) => (x.expect as { noteSignature?: string }).noteSignature),
      ...m.transcripts.map((t) => t.signature),
      ...corpus.entries.map((e) => e.expected.signature),
    ]);
    const db = await loadSignatures();
    // p1-host-file-times-seconds needs a preopen, which the live fixture runs do not give: its fixture is checked by
    // test/runtime-embedded-p1-conformance.test.ts.
    const elsewhere = new Set(['cannot-leave-component-instance', 'p1-host-file-times-seconds']);
    for (const s of db.signatures) if (!elsewhere.has(s.id)) expect(expected.has(s.id), s.id).toBe(true);
  });
});

describe('loadSignatures', () => {
  it('names the file and the JSON path of a schema error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sig-'));
    await writeFile(
      path.join(dir, 'broken.yaml'),
      'id: broken\ntitle: Broken one\ncause: a cause long enough to pass\nconfidence: sure\nmatchers: {message: [x]}\nevidence: [x]\nworkarounds: [{text: t, safe: true, why: w}]\nlinks: []\nfixtures: [x]\n',
    );
    const err = await loadSignatures([dir]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignatureError);
    expect((err as Error).message).toContain(path.join(dir, 'broken.yaml'));
    expect((err as Error).message).toContain('/confidence');
  });

  it('rejects an invalid regex with its path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sig-'));
    await writeFile(
      path.join(dir, 'bad-re.yaml'),
      'id: bad-re\ntitle: Bad regex\ncause: a cause long enough to pass\nconfidence: low\nmatchers: {message: ["(unclosed"]}\nevidence: [x]\nworkarounds: [{text: t, safe: true, why: w}]\nlinks: []\nfixtures: [x]\n',
    );
    await expect(loadSignatures([dir])).rejects.toThrow(/bad-re\.yaml: [\s\S]*\/matchers\/message\/0: invalid regex/);
  });

  it('still schema-checks a user file that replaces a built-in (only the built-in files skip the schema at load)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sig-'));
    const text = (await readFile(path.join(sigSrc, 'timeout.yaml'), 'utf8')).replace(/^confidence: .*$/m, 'confidence: sure');
    await writeFile(path.join(dir, 'timeout.yaml'), text);
    const err = await loadSignatures([dir]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignatureError);
    expect((err as Error).message).toContain(path.join(dir, 'timeout.yaml'));
    expect((err as Error).message).toMatch(/\/confidence/);
  });

  it('adds user signatures and lets them replace a built-in by id', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sig-'));
    const text = (await readFile(path.join(sigSrc, 'timeout.yaml'), 'utf8')).replace(/^title: .*$/m, 'title: My timeout');
    await writeFile(path.join(dir, 'timeout.yaml'), text);
    const db = await loadSignatures([dir]);
    expect(db.signatures.find((s) => s.id === 'timeout')?.title).toBe('My timeout');
    expect(db.dirs).toEqual([builtinSignatureDir(), dir]);
  });

  it('resolves the built-in directory in the source and in the bundled dist/ layout', async () => {
    expect(builtinSignatureDir()).toBe(sigSrc);
    expect(existsSync(signatureSchemaPath())).toBe(true);
    const dist = await mkdtemp(path.join(tmpdir(), 'dist-'));
    await mkdir(path.join(dist, 'signatures'));
    await cp(path.join(sigSrc, 'timeout.yaml'), path.join(dist, 'signatures', 'timeout.yaml'));
    await cp(path.join(root, 'src', 'diagnose', 'signature.schema.json'), path.join(dist, 'signature.schema.json'));
    const bundle = pathToFileURL(path.join(dist, 'cli.js'));
    expect(builtinSignatureDir(bundle)).toBe(path.join(dist, 'signatures'));
    expect(signatureSchemaPath(bundle)).toBe(path.join(dist, 'signature.schema.json'));
  });
});
