/**
 * Runtimes and output formats are declared as data (src/options/runtimes.ts, src/report/formats.ts); every one of
 * them must reach each place it is offered: the CLI (choices, --help), the Action (inputs and outputs), action.yml
 * and the docs' tables. A registry entry that one of them misses fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HELP, parseCli } from '../src/cli/args.js';
import { RUNTIME_NAMES } from '../src/options/runtimes.js';
import { actionOutputs, readOption } from '../src/options/table.js';
import { REPORT_FORMAT_NAMES, REPORT_FORMATS, type ReportFormat } from '../src/report/formats.js';
import { makeReport, makeResult } from './report-factory.js';

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const actionYml = parse(read('action.yml')) as {
  inputs: Record<string, { description: string }>;
  outputs: Record<string, { description: string }>;
};
const actionDoc = read('docs/action.md');
const none = () => false;
const fail = (_t: string, expected: string) => new Error(expected);

describe('every runtime', () => {
  const cliHelp = HELP.slice(HELP.indexOf('--runtime'), HELP.indexOf('--', HELP.indexOf('--runtime') + 2));
  const inputRow = actionDoc.split('\n').find((l) => l.startsWith('| `runtime` |')) ?? '';

  it.each(RUNTIME_NAMES)('%s: is a CLI choice and an Action value, in --help, action.yml and docs/action.md', (runtime) => {
    expect(parseCli(['--runtime', runtime, 'a.wasm'], '/w', none)).toMatchObject({ options: { runtime } });
    expect(readOption('runtime', runtime, { cwd: '/w' }, fail)).toBe(runtime);
    expect(cliHelp).toContain(`${runtime}`);
    expect(actionYml.inputs.runtime!.description).toContain(`\`${runtime}\``);
    expect(inputRow).toContain(`\`${runtime}\``);
    expect(read('docs/cli.md')).toContain(`\`${runtime}\``);
  });
});

describe('every output format', () => {
  const report = makeReport([makeResult('build/a.wasm', 'PASS')]);

  it.each(REPORT_FORMAT_NAMES)('%s: renders a report, is a --output choice in the CLI and in its --help', (format) => {
    const entry: ReportFormat = REPORT_FORMATS[format];
    expect(entry.render(report).length).toBeGreaterThan(0);
    for (const command of [['a.wasm'], ['merge', 'a.json'], ['diff', 'a.json', 'b.json']]) {
      expect(parseCli([...command, '--output', `${format}=out.${format}`], '/w', none)).toMatchObject({
        outputs: [{ format, path: `out.${format}` }],
      });
    }
    expect(HELP).toContain(`${format}: ${entry.description}`);
  });

  it('--json and --markdown are the same outputs as --output json=… and markdown=…; two to stdout are refused', () => {
    expect(parseCli(['a.wasm', '--json', 'r.json', '--output', 'markdown=-'], '/w', none)).toMatchObject({
      outputs: [
        { format: 'json', path: 'r.json' },
        { format: 'markdown', path: '-' },
      ],
    });
    expect(() => parseCli(['a.wasm', '--json', '-', '--output', 'markdown=-'], '/w', none)).toThrow(/both write to stdout/);
    expect(() => parseCli(['a.wasm', '--output', 'json=r', '--output', 'markdown=./r'], '/w', none)).toThrow(/both write to 'r'/);
    expect(() => parseCli(['a.wasm', '--output', 'yaml=r'], '/w', none)).toThrow(/FORMAT one of json, markdown/);
  });

  it("the Action's outputs (a report file's path among them) are action.yml's and docs/action.md's, in order", () => {
    const outputs = actionOutputs();
    for (const f of REPORT_FORMAT_NAMES) {
      const out = (REPORT_FORMATS[f] as ReportFormat).actionOutput;
      if (out) expect(outputs).toContainEqual(out);
    }
    // A new output is declared in src/options/table.ts (ACTION_OUTPUTS) or as a format's actionOutput; then `npm run options`.
    expect(Object.entries(actionYml.outputs).map(([name, o]) => ({ name, description: o.description }))).toEqual(outputs);
    for (const o of outputs) expect(actionDoc).toContain(`| \`${o.name}\` | ${o.description.replace(/\|/g, '\\|')} |`);
  });
});
