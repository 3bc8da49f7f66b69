/**
 * The README's first screen: what the tool is, the two commands that work on a fresh clone, the Action in a
 * copy-ready workflow, the CLI's main command and what it really prints. Reference material lives in docs/, linked
 * from the README, so the first screen stays a first screen.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtCli } from './build-once.js';

const root = path.resolve(import.meta.dirname, '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
/** What a reader sees before the list of documentation pages. */
const firstScreen = readme.slice(0, readme.indexOf('\n## Documentation'));

const fenced = (md: string, lang: string): string[] =>
  [...md.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);

describe('README first screen', () => {
  it('is short and ends at the documentation table', () => {
    expect(readme.indexOf('\n## Documentation')).toBeGreaterThan(0);
    expect(firstScreen.split('\n').length).toBeLessThanOrEqual(75);
    // Reference material (option tables, the threat model) is in docs/, not here.
    expect(readme).not.toMatch(/^\| `--/m);
    expect(readme).not.toMatch(/^#+ Threat model/m);
  });

  it('says what it is in its first paragraph', () => {
    const first = readme.split('\n\n')[1]!;
    expect(first).toMatch(/WASI Preview 1/);
    expect(first).toMatch(/WASI\s+Preview 2 components/);
    expect(first).toMatch(/GitHub Action/);
    expect(first).toMatch(/CLI/);
  });

  it('starts with the two commands that work on a fresh clone: the main job on the examples, and the whole suite', () => {
    const commands = fenced(readme, 'sh')[0]!
      .trim()
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, ''));
    expect(commands).toEqual(['npm ci && npx wasm-p2-check --runtime embedded examples/*.wasm', 'npm ci && npm test']);
    expect(readme.indexOf('```sh')).toBeLessThan(readme.indexOf('```yaml'));
  });

  it('shows the Action in a copy-ready workflow with the permissions it needs', () => {
    const [block] = fenced(firstScreen, 'yaml');
    const wf = parse(block!) as {
      on: unknown;
      permissions: Record<string, string>;
      jobs: Record<string, { 'runs-on': string; steps: { uses?: string; with?: Record<string, string> }[] }>;
    };
    expect(wf.on).toBeDefined();
    expect(wf.permissions).toMatchObject({ checks: 'write', 'pull-requests': 'write' });
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    const step = steps.find((s) => s.uses?.startsWith('wasm-p2-check/wasm-p2-check@'));
    expect(step?.uses).toBe('wasm-p2-check/wasm-p2-check@v1');
    expect(step?.with?.artifacts).toMatch(/\.wasm$/);
    expect(steps[0]?.uses).toMatch(/^actions\/checkout@/);
  });

  it('links every documentation page, and each page exists and links back', () => {
    const links = [...readme.matchAll(/\]\((docs\/[^)#]+)\)/g)].map((m) => m[1]!);
    expect(links).toEqual(expect.arrayContaining(['docs/cli.md', 'docs/action.md', 'docs/security.md', 'docs/forks.md']));
    expect(links).toEqual(expect.arrayContaining(['docs/bot.md', 'docs/runtimes.md', 'docs/development.md']));
    for (const link of links) {
      expect(existsSync(path.join(root, link)), link).toBe(true);
      if (link.endsWith('.md')) expect(readFileSync(path.join(root, link), 'utf8'), link).toContain('](../README.md)');
    }
    for (const file of ['LICENSE', 'CHANGELOG.md']) expect(readme).toContain(`](${file})`);
  });

  it("shows the CLI's main command and lines it really prints for the bundled examples, with its exit status", async () => {
    expect(firstScreen).toContain('`wasm-p2-check [options] <artifact globs…>`');
    const shown = fenced(firstScreen, 'text')[0]!.trimEnd().split('\n');
    const cacheHome = mkdtempSync(path.join(tmpdir(), 'p2c-readme-'));
    const run = await promisify(execFile)(process.execPath, [builtCli, '--runtime', 'embedded', 'examples/*.wasm'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: cacheHome },
    })
      .then(() => ({ code: 0, stdout: '' }))
      .catch((e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }))
      .finally(() => rmSync(cacheHome, { recursive: true, force: true }));
    expect(firstScreen).toMatch(/exits with status 1/);
    expect(run.code).toBe(1);
    const printed = run.stdout.split('\n').map((l) => l.trimEnd());
    for (const line of shown) {
      if (line.trim() === '…' || line === '') continue;
      // A shortened line ("…" at its end) must begin a printed line; any other line is printed as shown.
      if (line.endsWith(' …'))
        expect(
          printed.some((p) => p.startsWith(line.slice(0, -2))),
          line,
        ).toBe(true);
      else expect(printed, line).toContain(line);
    }
  });
});

describe('README supported platforms', () => {
  it('states what .github/workflows/ci.yml tests: the suite per Node on Linux, the smoke run on macOS and Windows', () => {
    const ci = parse(readFileSync(path.join(root, '.github', 'workflows', 'ci.yml'), 'utf8')) as {
      jobs: Record<string, { strategy: { matrix: { os: string[]; node: number[] } }; steps: { run?: string }[] }>;
    };
    const rows = readme
      .slice(readme.indexOf('## Supported platforms'))
      .split('\n')
      .filter((l) => /^\| (Linux|macOS|Windows) \|/.test(l))
      .map((l) => l.split('|').map((c) => c.trim()));
    const osName: Record<string, string> = { 'ubuntu-latest': 'Linux', 'macos-latest': 'macOS', 'windows-latest': 'Windows' };
    const tested = Object.values(ci.jobs).flatMap((job) => {
      const run = job.steps.find((s) => s.run?.startsWith('.ci/run'))?.run ?? '';
      return job.strategy.matrix.os.map((os) => [osName[os], job.strategy.matrix.node.join(', '), run] as const);
    });
    expect(rows.map((r) => [r[1], r[2], /`(\.ci\/run[^`]*)`/.exec(r[3] ?? '')?.[1]])).toEqual(tested);
    const engines = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(readme).toContain(`\`${engines}\``);
  });
});
