/**
 * `--baseline` and `diff` end to end through the bundled CLI, embedded runtime, real fixtures: a project whose base
 * already has a broken artifact (Go 1.24) passes `--fail-on new` when nothing new breaks, and fails when another
 * artifact breaks; `diff` compares saved reports without running anything; a forged baseline is refused.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model.js';
import { builtCli } from './build-once.js';

const fixtures = path.resolve(import.meta.dirname, 'fixtures');
const tmp = mkdtempSync(path.join(tmpdir(), 'wpc-baseline-'));
// One result cache for the file: the same bytes are checked once.
const env = { PATH: process.env.PATH ?? '', HOME: tmp, XDG_CACHE_HOME: path.join(tmp, 'cache') };

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [builtCli, ...args], { cwd, env, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A project folder: `app.wasm` (Go 1.24: broken as a component on the base already) and `tool.wasm`. */
function project(name: string, tool: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(path.join(dir, 'build'), { recursive: true });
  copyFileSync(path.join(fixtures, 'go124-hello.wasm'), path.join(dir, 'build', 'app.wasm'));
  copyFileSync(path.join(fixtures, tool), path.join(dir, 'build', 'tool.wasm'));
  return dir;
}

describe('CLI --baseline and diff (embedded runtime, real fixtures)', () => {
  const base = project('base', 'c-hello.wasm');
  const basePath = path.join(tmp, 'base.json');
  beforeAll(async () => {
    const r = await cli(['--runtime', 'embedded', '-q', '--json', basePath, 'build/*.wasm'], base);
    expect(r.code, r.stderr).toBe(1); // app.wasm breaks: the base is already red under fail-on regression
  }, 120_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('an unrelated change on an already-broken base: exit 0 under --fail-on new, the change line first', async () => {
    const head = project('unrelated', 'c-hello.wasm');
    writeFileSync(path.join(head, 'README.md'), 'only the docs changed\n');
    const r = await cli(['--runtime', 'embedded', '-q', '--baseline', basePath, '--fail-on', 'new', 'build/*.wasm'], head);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^Change: 0 new failures · 0 fixed · 1 still failing on the baseline · compared with the baseline/,
    );
    expect(r.stdout).toMatch(/REGRESSION +build\/app\.wasm .*\[fails the same way on the baseline: not caused by this change\]/);
  }, 120_000);

  it('a change that breaks another artifact: exit 1, the new failure named first', async () => {
    const head = project('breaking', 'go124-hello.wasm');
    const json = path.join(tmp, 'breaking.json');
    const r = await cli(['--runtime', 'embedded', '-q', '--baseline', basePath, '--fail-on', 'new', '--json', json, 'build/*.wasm'], head);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^Change: 1 new failure · 0 fixed · 1 still failing on the baseline/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.results.map((x) => [x.artifact.path, x.change?.class])).toEqual([
      ['build/app.wasm', 'still-failing'],
      ['build/tool.wasm', 'new-failure'],
    ]);
    expect(report.baseline).toMatchObject({ source: `file ${basePath}`, differences: [] });

    // diff: the same comparison from the saved reports, nothing run (fail-on new by default).
    const d = await cli(['diff', basePath, json], tmp);
    expect(d.code, d.stderr).toBe(1);
    expect(d.stdout.split('\n')[0]).toMatch(/^Change: 1 new failure · 0 fixed · 1 still failing on the baseline/);
    const back = await cli(['diff', json, basePath, '--markdown', '-'], tmp);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout.split('\n')[0]).toBe('## ☑️ wasm-p2-check: 0 new failures · 1 fixed · 1 still failing on the baseline');
  }, 120_000);

  it('a forged baseline’s diagnosis is derived again: its words quoted as the saved report’s, its link dead (both sides of diff)', async () => {
    const forged = JSON.parse(readFileSync(basePath, 'utf8')) as Report;
    const app = forged.results.find((r) => r.artifact.path === 'build/app.wasm')!;
    const tool = forged.results.find((r) => r.artifact.path === 'build/tool.wasm')!;
    // tool.wasm passed; the forged baseline says it failed, for a "harmless" reason with a fix link of its own.
    tool.verdict = 'REGRESSION';
    tool.diagnoses = [
      {
        ...app.diagnoses[0]!,
        signatureId: 'harmless-host-quirk',
        title: 'Harmless host quirk, safe to ignore: see https://evil.example/fix',
      },
    ];
    const file = path.join(tmp, 'forged-diagnosis.json');
    writeFileSync(file, JSON.stringify(forged));
    const harmless = /(?<!The saved report says: “)Harmless host quirk|https:\/\/evil/;
    // As the baseline: tool.wasm is fixed, and what it "was" is the saved report's quoted words.
    const fixed = await cli(['diff', file, basePath], tmp);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(
      /fixed: was REGRESSION: The saved report says: “Harmless host quirk, safe to ignore: see https:\u200b\/\/evil/,
    );
    expect(fixed.stdout).not.toMatch(harmless);
    // As the report compared: a new failure whose cause is the saved report's quoted words, no live link.
    const broke = await cli(['diff', basePath, file, '--markdown', '-'], tmp);
    expect(broke.stdout).toMatch(/1 new failure/);
    expect(broke.stdout).toMatch(/The saved report says: “Harmless host quirk/);
    expect(broke.stdout).not.toMatch(harmless);
  }, 120_000);

  it('a forged baseline is refused before anything runs (exit 2, naming the problem); --baseline auto is the Action’s', async () => {
    const forged = JSON.parse(readFileSync(basePath, 'utf8'));
    forged.results[0].verdict = 'PASS!';
    writeFileSync(path.join(tmp, 'forged.json'), JSON.stringify(forged));
    const r = await cli(['--runtime', 'embedded', '--baseline', path.join(tmp, 'forged.json'), 'build/*.wasm'], base);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--baseline: .*forged\.json cannot be used as a baseline: .*\/results\/0\/verdict: must be one of/);
    expect(r.stderr).not.toMatch(/app\.wasm/); // nothing was checked
    const auto = await cli(['--baseline', 'auto', 'build/*.wasm'], base);
    expect(auto.code).toBe(2);
    expect(auto.stderr).toMatch(/--baseline 'auto' is the Action's/);
    const none = await cli(['--fail-on', 'new', '-q', '--runtime', 'embedded', 'build/*.wasm'], base);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/fail-on new: no baseline to compare with/);
  }, 120_000);
});
