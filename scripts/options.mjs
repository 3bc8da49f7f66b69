#!/usr/bin/env node
// Writes the option table (src/options/table.ts) out to where it is published: the `inputs:` and `outputs:` of
// action.yml and the Action reference's inputs and outputs tables (docs/action.md). test/options.test.ts fails when they
// are out of date.
//
//   node scripts/options.mjs          (npm run options)
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundled = await build({
  entryPoints: [path.join(root, 'src/options/table.ts')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
});
const table = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
const inputs = table.actionInputs();
const outputs = table.actionOutputs();

const scalar = (v) => stringify(v, { lineWidth: 0, singleQuote: true }).trimEnd();
const yml = inputs.map((i) => `  ${i.name}:\n    description: ${scalar(i.description)}\n    default: ${scalar(i.default)}\n`).join('');
const outYml = outputs.map((o) => `  ${o.name}:\n    description: ${scalar(o.description)}\n`).join('');
const actionFile = path.join(root, 'action.yml');
const action = await readFile(actionFile, 'utf8');
const a = action.indexOf('inputs:\n');
const c = action.indexOf('\nruns:');
await writeFile(actionFile, `${action.slice(0, a)}inputs:\n${yml}\noutputs:\n${outYml}${action.slice(c)}`);

const code = (s) => (s === '' ? '' : `\`${s}\``);
const rows = inputs.map((i) => `| ${code(i.name)} | ${code(i.default)} | ${i.description.replace(/\|/g, '\\|')} |`).join('\n');
const docFile = path.join(root, 'docs/action.md');
const doc = await readFile(docFile, 'utf8');
const header = '| Input | Default | Description |\n| --- | --- | --- |\n';
const start = doc.indexOf(header);
if (start < 0) throw new Error('docs/action.md has no inputs table');
const end = doc.indexOf('\n\n', start);
const withInputs = `${doc.slice(0, start)}${header}${rows}${doc.slice(end)}`;
const outHeader = '| Output | Description |\n| --- | --- |\n';
const outStart = withInputs.indexOf(outHeader);
if (outStart < 0) throw new Error('docs/action.md has no outputs table');
const outEnd = withInputs.indexOf('\n\n', outStart);
const outRows = outputs.map((o) => `| ${code(o.name)} | ${o.description.replace(/\|/g, '\\|')} |`).join('\n');
await writeFile(docFile, `${withInputs.slice(0, outStart)}${outHeader}${outRows}${withInputs.slice(outEnd)}`);
console.log(`action.yml and docs/action.md: ${inputs.length} inputs, ${outputs.length} outputs`);
