/**
 * Live: every signature fixture, checked end to end with check() on the embedded runtime, must make its expected
 * signature rank first (and passing fixtures must match nothing). With RECORD_TRANSCRIPTS=1 the real P2 error
 * output / conversion error of each failing fixture is saved verbatim to test/fixtures/signatures/transcripts/
 * for the explain tests.
 */
import { parseAdapter } from '../src/options/parsers.js';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import type { ArtifactResult } from '../src/model.js';

const fixturesDir = path.resolve(import.meta.dirname, 'fixtures');
const sigDir = path.join(fixturesDir, 'signatures');

interface ManifestFixture {
  name: string;
  file: string;
  external?: boolean;
  /** runtime 'wasmtime': the wasmtime 49 engine through test/harness/wasmtime, bundled adapter. */
  check?: { adapter?: string; runtime?: 'wasmtime' };
  expect: { signature: string | null; verdict: string; confidence?: string };
}
const manifest = JSON.parse(await readFile(path.join(sigDir, 'manifest.json'), 'utf8')) as { fixtures: ManifestFixture[] };
const record = process.env.RECORD_TRANSCRIPTS === '1';
const harness = path.resolve(import.meta.dirname, 'harness', 'wasmtime');
const venvPython = path.resolve(import.meta.dirname, '..', '.venv', 'bin', 'python');
function wasmtimeEngine(): boolean {
  try {
    execFileSync(venvPython, ['-c', 'import wasmtime'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}
const haveWasmtime = existsSync(venvPython) && wasmtimeEngine();

async function run(f: ManifestFixture): Promise<ArtifactResult> {
  const report = await check({
    patterns: [f.file],
    cwd: fixturesDir,
    ...(f.check?.runtime === 'wasmtime'
      ? {
          runtime: 'wasmtime' as const,
          wasmtime: { binary: harness },
          adapter: parseAdapter(f.check.adapter ?? 'bundled', { cwd: fixturesDir }),
        }
      : { runtime: 'embedded' as const, adapter: parseAdapter(f.check?.adapter ?? 'auto', { cwd: fixturesDir }) }),
    sandbox: { args: [], env: {}, dirs: [], timeoutMs: f.expect.verdict === 'TIMEOUT' ? 5000 : 20000, outputCapBytes: 65536 },
  });
  expect(report.results).toHaveLength(1);
  return report.results[0]!;
}

async function saveTranscript(f: ManifestFixture, r: ArtifactResult): Promise<void> {
  const text = r.conversion && !r.conversion.ok ? r.conversion.error : r.p2?.stderr.text;
  if (!text?.trim()) return;
  const file = path.join(sigDir, 'transcripts', `embedded-${f.name}.txt`);
  await writeFile(file, text.endsWith('\n') ? text : `${text}\n`);
  const manifestFile = path.join(sigDir, 'manifest.json');
  const m = JSON.parse(await readFile(manifestFile, 'utf8')) as { transcripts: { file: string }[] };
  const rel = `signatures/transcripts/embedded-${f.name}.txt`;
  m.transcripts = m.transcripts.filter((t) => t.file !== rel);
  m.transcripts.push({
    file: rel,
    from: `check() embedded runtime: ${r.conversion && !r.conversion.ok ? 'conversion error' : `P2 stderr (${r.p2?.runtime.name} ${r.p2?.runtime.version})`} of ${f.file}`,
    signature: f.expect.signature,
    ...(f.external ? { module: f.file } : { module: f.file }),
  } as { file: string });
  await writeFile(manifestFile, `${JSON.stringify(m, null, 2)}\n`);
}

describe('signature fixtures, live with check() (embedded runtime; wasmtime 49 harness where marked)', () => {
  for (const f of manifest.fixtures) {
    const present = existsSync(path.join(fixturesDir, f.file)) && (f.check?.runtime !== 'wasmtime' || haveWasmtime);
    it.skipIf(!present)(`${f.name} → ${f.expect.signature ?? 'no diagnosis'} (${f.expect.verdict})`, async () => {
      const r = await run(f);
      if (record && f.expect.signature && f.check?.runtime !== 'wasmtime') await saveTranscript(f, r);
      expect(
        r.verdict,
        JSON.stringify({ p1: r.p1?.exitCode, p2: r.p2?.exitCode, conv: r.conversion?.error, p2err: r.p2?.stderr.text.slice(0, 400) }),
      ).toBe(f.expect.verdict);
      if (f.expect.signature === null) {
        expect(r.diagnoses.filter((d) => d.severity !== 'note').map((d) => d.signatureId)).toEqual([]);
        expect(r.unknown).toBeUndefined();
        // A warning from the code (e.g. cabi_realloc reaching a WASI import: wasmtime would trap) is a note on a PASS.
        const noteSig = (f.expect as { noteSignature?: string }).noteSignature;
        if (noteSig) expect(r.diagnoses.filter((d) => d.severity === 'note').map((d) => d.signatureId)).toContain(noteSig);
      } else {
        const ranked = JSON.stringify(r.diagnoses.map((d) => [d.signatureId, d.score, d.confidence]));
        if (r.p2?.trap && r.p2.trap.frames.length === 0 && f.expect.signature === 'assemblyscript-memory-collision') {
          // Told apart from the Go heap case only by the runtime's frame names: without a parsed backtrace the
          // engine must list it but not claim to know.
          expect(
            r.diagnoses.map((d) => d.signatureId),
            ranked,
          ).toContain(f.expect.signature);
          for (const d of r.diagnoses) expect(d.confidence).not.toBe('high');
          return;
        }
        expect(r.diagnoses[0]?.signatureId, ranked).toBe(f.expect.signature);
        if (f.expect.confidence) expect(r.diagnoses[0]!.confidence).toBe(f.expect.confidence);
      }
    });
  }
});
