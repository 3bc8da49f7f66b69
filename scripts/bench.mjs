#!/usr/bin/env node
// npm run bench — where the time goes, per stage and per runtime, measured on the real fixtures in one run.
// Runs the bundled CLI (dist/cli.js) a few times per runtime and reads the stage durations from its JSON report.
// Prints medians and the ratios that matter (P2 vs P1 run time, conversion's share of the whole).
//
//   node scripts/bench.mjs [--repeat N] [--runtime embedded|wasmtime|all]
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const repeat = Number(arg('--repeat', '3'));
const which = arg('--runtime', 'all');
const fixtures = ['c-hello.wasm', 'rust-hello.wasm', 'go122-hello.wasm', 'go124-hello.wasm', 'c-big-output.wasm'].map((f) => path.join('test/fixtures', f));
const harness = path.join(root, 'test/harness/wasmtime');
const runtimes = [];
if (which === 'all' || which === 'embedded') {
  runtimes.push({ name: 'embedded', args: ['--runtime', 'embedded'] });
  runtimes.push({ name: 'embedded --jobs 1', args: ['--runtime', 'embedded', '--jobs', '1'] });
}
if ((which === 'all' || which === 'wasmtime') && existsSync(harness) && existsSync(path.join(root, '.venv/bin/python'))) {
  // The bundled adapter: the harness's own release adapter cannot be downloaded offline.
  runtimes.push({ name: 'wasmtime (py-harness)', args: ['--runtime', 'wasmtime', '--wasmtime', harness, '--adapter', 'bundled'] });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : '—');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '—');
const share = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${((100 * a) / b).toFixed(0)}%` : '—');

const tmp = mkdtempSync(path.join(tmpdir(), 'wpc-bench-'));
const rows = [];
for (const rt of runtimes) {
  const samples = new Map(); // file → {wall[], p1[], convert[], p2[]}
  for (let i = 0; i < repeat; i++) {
    const json = path.join(tmp, `r-${i}.json`);
    const started = performance.now();
    await promisify(execFile)(process.execPath, [path.join(root, 'dist/cli.js'), ...rt.args, '--quiet', '--fail-on', 'never', '--json', json, ...fixtures], { cwd: root, maxBuffer: 64 << 20 });
    const wall = performance.now() - started;
    const report = JSON.parse(readFileSync(json, 'utf8'));
    for (const r of report.results) {
      const s = samples.get(r.artifact.path) ?? { p1: [], convert: [], p2: [] };
      s.p1.push(r.p1?.durationMs ?? NaN);
      s.convert.push(r.conversion?.durationMs ?? NaN);
      s.p2.push(r.p2?.durationMs ?? NaN);
      samples.set(r.artifact.path, s);
    }
    rows.push({ runtime: rt.name, file: '(whole run, all fixtures)', wall });
  }
  for (const [file, s] of samples) {
    const p1 = median(s.p1);
    const conv = median(s.convert);
    const p2 = median(s.p2);
    rows.push({ runtime: rt.name, file, p1, conv, p2, p2OverP1: ratio(p2, p1), convShare: share(conv, p1 + conv + p2) });
  }
}
rmSync(tmp, { recursive: true, force: true });

console.log(`wasm-p2-check bench — ${repeat} run(s) per runtime, medians, node ${process.versions.node}\n`);
console.log(['runtime', 'artifact', 'P1 run', 'convert', 'P2 run', 'P2/P1', 'convert share'].join(' | '));
for (const r of rows.filter((x) => x.wall === undefined)) {
  console.log([r.runtime, r.file, ms(r.p1), ms(r.conv), ms(r.p2), r.p2OverP1, r.convShare].join(' | '));
}
const walls = new Map();
for (const r of rows.filter((x) => x.wall !== undefined)) walls.set(r.runtime, [...(walls.get(r.runtime) ?? []), r.wall]);
console.log('');
for (const [rt, w] of walls) console.log(`${rt}: whole run over ${fixtures.length} artifacts, median ${ms(median(w))}`);
const wall = (name) => median(walls.get(name) ?? []);
if (walls.has('embedded') && walls.has('embedded --jobs 1')) {
  console.log(`embedded, default jobs / --jobs 1 whole-run ratio: ${ratio(wall('embedded'), wall('embedded --jobs 1'))}`);
}
if (walls.has('embedded') && walls.has('wasmtime (py-harness)')) {
  console.log(`embedded / wasmtime whole-run ratio: ${ratio(wall('embedded'), wall('wasmtime (py-harness)'))}`);
}
