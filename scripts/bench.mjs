#!/usr/bin/env node
// npm run bench — wasm-p2-check against the naive loop, in one run on one machine, on real modules.
//
//   (a) naive: what a user writes by hand, per file `jco new FILE --wasi-command -o OUT` then `jco run OUT`
//       (the jco 1.35 CLI, devDependency @bytecodealliance/jco@1.35.0), one file after the other;
//   (b) cold:  `wasm-p2-check --runtime embedded` on all files with an empty result cache (default --jobs);
//   (c) warm:  the same command again, unchanged inputs (results from the cache);
//   (d) floor: the work that cannot be avoided, in one process: componentNew for every module plus each guest's
//       own run time (compile + run under node:wasi), summed.
// Modules: the runnable command fixtures in test/fixtures plus variants of them (a custom section appended: other
// bytes, same behaviour), at least 40. A last pass checks --memory-artifacts (default 100) cold and reports the
// peak RSS of the whole process tree (the checker and every host process it started), sampled from /proc. Last, the
// hosts' start-up as CPU time (bench-start.mjs: bare Node, host loaded, first guest instruction, V8 flag variants).
//
//   node scripts/bench.mjs [--modules N] [--memory-artifacts N] [--json FILE] [--skip-naive]
// Prints a table, the ratios, and a JSON result (also written to --json FILE when given).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureStart, printStart } from './bench-start.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const wanted = Number(arg('--modules', '48'));
const memoryCount = Number(arg('--memory-artifacts', '100'));
const jsonOut = arg('--json', undefined);
const skipNaive = process.argv.includes('--skip-naive');

// One command from a fresh clone: build the bundle when it is missing.
if (!existsSync(path.join(root, 'dist', 'cli.js')) || !existsSync(path.join(root, 'dist', 'embedded-p2-host.js'))) {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
const jcoBin = path.join(root, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'jco.js');
if (!skipNaive && !existsSync(jcoBin)) throw new Error('bench: @bytecodealliance/jco (devDependency) is not installed: run npm ci');

/** Command modules that run to completion under any WASI P1 host with no preopen, no stdin and no arguments. */
const BASES = [
  'c-hello.wasm',
  'c-args-env.wasm',
  'c-big-output.wasm',
  'c-exit3.wasm',
  'c-oob-trap.wasm',
  'c-stdin-echo.wasm',
  'rust-hello.wasm',
  'rust-panic.wasm',
  'wat-hello.wasm',
  'go122-hello.wasm',
  'go123-hello.wasm',
  'go124-hello.wasm',
];

function withCustomSection(bytes, name) {
  const nameBytes = Buffer.from(name);
  const payload = Buffer.concat([Buffer.from([nameBytes.length]), nameBytes, Buffer.from('wasm-p2-check bench variant')]);
  return Buffer.concat([bytes, Buffer.from([0, payload.length]), payload]);
}

/** `count` module files in `dir`: the fixtures, then numbered variants of them. */
function makeModules(dir, count) {
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (let i = 0; files.length < count; i++) {
    const base = BASES[i % BASES.length];
    const round = Math.floor(i / BASES.length);
    const bytes = readFileSync(path.join(root, 'test', 'fixtures', base));
    const name = round === 0 ? base : base.replace(/\.wasm$/, `-v${round}.wasm`);
    writeFileSync(path.join(dir, name), round === 0 ? bytes : withCustomSection(bytes, `bench-variant-${round}`));
    files.push(path.join(dir, name));
  }
  return files;
}

/**
 * Memory of `pid` and all its descendants (Linux /proc; undefined elsewhere), in bytes: `rss`, the sum of their
 * resident set sizes (pages shared between processes, such as Node's own code, counted once per process), and `pss`,
 * the sum of their proportional set sizes (a shared page counted once in all: what the tree really takes).
 */
function treeMemory(pid) {
  if (process.platform !== 'linux') return undefined;
  const parent = new Map();
  const rss = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      rss.set(Number(entry), Number(fields[21]) * 4096);
    } catch {
      // gone
    }
  }
  const total = { rss: 0, pss: 0 };
  for (const [p] of rss) {
    for (let q = p; q > 1; q = parent.get(q) ?? 0) {
      if (q === pid) {
        total.rss += rss.get(p);
        try {
          total.pss += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0) * 1024;
        } catch {
          // gone, or no smaps_rollup (Linux < 4.14)
        }
        break;
      }
    }
  }
  return total;
}

/**
 * CPU seconds (user + system) used by this process's finished children and their waited-for descendants (Linux:
 * cutime + cstime of /proc/self/stat, in clock ticks of 1/100 s); undefined elsewhere. On a shared machine the CPU a
 * run used says more than its wall time.
 */
function childrenCpuSeconds() {
  if (process.platform !== 'linux') return undefined;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Runs a command, timing it (wall and CPU of its whole tree) and sampling the peak RSS of its process tree every 50 ms. */
function timed(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpuSeconds();
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd ?? root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let peak = 0;
    let peakPss = 0;
    const sample = () => {
      const m = treeMemory(child.pid);
      if (m !== undefined && m.rss > peak) peak = m.rss;
      if (m !== undefined && m.pss > peakPss) peakPss = m.pss;
    };
    const timer = options.sampleMemory ? setInterval(sample, 50) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearInterval(timer);
      const cpuAfter = childrenCpuSeconds();
      resolve({
        seconds: (performance.now() - started) / 1000,
        cpuSeconds: cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
        code,
        peakRssBytes: options.sampleMemory ? peak : undefined,
        peakPssBytes: options.sampleMemory ? peakPss : undefined,
        stderr,
      });
    });
  });
}

const work = mkdtempSync(path.join(tmpdir(), 'wasm-p2-check-bench-'));
try {
  const files = makeModules(path.join(work, 'modules'), Math.max(40, wanted));
  const cli = path.join(root, 'dist', 'cli.js');
  const ours = (cacheDir, json, list) => [
    cli,
    '--runtime',
    'embedded',
    '--quiet',
    '--fail-on',
    'never',
    '--cache-dir',
    cacheDir,
    '--json',
    json,
    ...list,
  ];
  console.error(
    `bench: ${files.length} modules (${BASES.length} fixtures + variants), ${cpus().length} CPUs, node ${process.versions.node}`,
  );

  // (d) floor: timed inside a child process per module (see bench-floor.mjs), summed.
  const floor = { seconds: 0, convertSeconds: 0, guestSeconds: 0 };
  for (const f of files) {
    const floorJson = path.join(work, 'floor.json');
    execFileSync(process.execPath, ['--no-warnings', path.join(root, 'scripts', 'bench-floor.mjs'), floorJson, f], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const one = JSON.parse(readFileSync(floorJson, 'utf8'));
    for (const k of Object.keys(floor)) floor[k] += one[k];
  }
  console.error(
    `bench: floor ${floor.seconds.toFixed(2)} s (componentNew ${floor.convertSeconds.toFixed(2)} s + guests ${floor.guestSeconds.toFixed(2)} s)`,
  );

  // (a) naive loop.
  let naive;
  if (!skipNaive) {
    const out = path.join(work, 'naive');
    mkdirSync(out);
    const started = performance.now();
    const cpuBefore = childrenCpuSeconds();
    for (const f of files) {
      const component = path.join(out, path.basename(f));
      await timed(process.execPath, [jcoBin, 'new', f, '--wasi-command', '-o', component], { cwd: out });
      await timed(process.execPath, [jcoBin, 'run', component], { cwd: out });
    }
    const cpuAfter = childrenCpuSeconds();
    naive = { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
    console.error(`bench: naive ${naive.seconds.toFixed(2)} s`);
  }

  // (b) cold and (c) warm.
  const cacheDir = path.join(work, 'cache');
  const cold = await timed(process.execPath, ours(cacheDir, path.join(work, 'cold.json'), files), { sampleMemory: true });
  if (cold.code !== 0) throw new Error(`cold run failed (${cold.code}): ${cold.stderr}`);
  const warm = await timed(process.execPath, ours(cacheDir, path.join(work, 'warm.json'), files), { sampleMemory: true });
  const coldReport = JSON.parse(readFileSync(path.join(work, 'cold.json'), 'utf8'));
  const warmReport = JSON.parse(readFileSync(path.join(work, 'warm.json'), 'utf8'));
  console.error(`bench: cold ${cold.seconds.toFixed(2)} s, warm ${warm.seconds.toFixed(2)} s`);

  // Where the cold run's time goes, summed over artifacts (the run is parallel: the sums add up to more than its wall
  // time). P1/P2 host start = spawning Node and loading the host's modules; compile = the guest's wasm (P2: after the
  // JS is loaded); transpile = jco's JS for the component (in the checker, once per component shape); run = from the
  // guest's start to the host's exit.
  const stage = { p1HostStart: 0, p1Compile: 0, p1Run: 0, convert: 0, transpile: 0, p2HostStart: 0, p2Compile: 0, p2Run: 0 };
  for (const r of coldReport.results) {
    stage.p1HostStart += (r.p1?.hostStartMs ?? 0) / 1000;
    stage.p1Compile += (r.p1?.compileMs ?? 0) / 1000;
    stage.p1Run += (r.p1?.durationMs ?? 0) / 1000;
    stage.convert += (r.conversion?.durationMs ?? 0) / 1000;
    stage.transpile += (r.p2?.transpileMs ?? 0) / 1000;
    stage.p2HostStart += (r.p2?.hostStartMs ?? 0) / 1000;
    stage.p2Compile += ((r.p2?.compileMs ?? 0) - (r.p2?.transpileMs ?? 0)) / 1000;
    stage.p2Run += (r.p2?.durationMs ?? 0) / 1000;
  }

  // Memory: a larger cold run.
  const memFiles = makeModules(path.join(work, 'memory-modules'), memoryCount);
  const mem = await timed(process.execPath, ours(path.join(work, 'cache-mem'), path.join(work, 'mem.json'), memFiles), {
    sampleMemory: true,
  });

  // Start-up of the hosts as CPU time: bare Node, host loaded, first guest instruction, V8 flag variants (bench-start.mjs).
  const startup = measureStart({ hostsDir: path.join(root, 'dist') });

  const n = files.length;
  const round = (x, d = 2) => (x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(d)));
  const mb = (b) => (b === undefined ? null : round(b / (1024 * 1024), 0));
  const result = {
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: round(totalmem() / 2 ** 30, 1),
      platform: `${process.platform}-${process.arch}`,
      node: process.versions.node,
    },
    modules: n,
    verdicts: coldReport.summary.counts,
    seconds: { naive: round(naive?.seconds), cold: round(cold.seconds), warm: round(warm.seconds), floor: round(floor.seconds) },
    cpuSeconds: { naive: round(naive?.cpuSeconds), cold: round(cold.cpuSeconds), warm: round(warm.cpuSeconds) },
    ratios: {
      naiveOverCold: round(naive ? naive.seconds / cold.seconds : undefined, 1),
      warmOverCold: round(warm.seconds / cold.seconds, 3),
      coldOverFloor: round(cold.seconds / floor.seconds, 1),
    },
    perArtifactMs: {
      naive: round(naive ? (1000 * naive.seconds) / n : undefined, 0),
      cold: round((1000 * cold.seconds) / n, 0),
      warm: round((1000 * warm.seconds) / n, 0),
      floor: round((1000 * floor.seconds) / n, 0),
      overheadAboveFloor: round((1000 * (cold.seconds - floor.seconds)) / n, 0),
    },
    coldStageSeconds: Object.fromEntries(Object.entries(stage).map(([k, v]) => [k, round(v)])),
    warmCache: warmReport.cache ?? null,
    peakRssMB: { cold: mb(cold.peakRssBytes), warm: mb(warm.peakRssBytes), [`cold${memoryCount}Artifacts`]: mb(mem.peakRssBytes) },
    peakPssMB: { cold: mb(cold.peakPssBytes), warm: mb(warm.peakPssBytes), [`cold${memoryCount}Artifacts`]: mb(mem.peakPssBytes) },
    memoryRun: { artifacts: memoryCount, seconds: round(mem.seconds) },
    startupCpuMs: startup,
  };

  const rows = [
    ['(a) naive jco CLI loop', result.seconds.naive, result.perArtifactMs.naive, '—'],
    ['(b) wasm-p2-check cold', result.seconds.cold, result.perArtifactMs.cold, result.peakRssMB.cold],
    ['(c) wasm-p2-check warm', result.seconds.warm, result.perArtifactMs.warm, result.peakRssMB.warm],
    ['(d) floor', result.seconds.floor, result.perArtifactMs.floor, '—'],
  ];
  console.log(
    `wasm-p2-check bench: ${n} modules, ${result.machine.cpus} × ${result.machine.cpuModel}, ${result.machine.memoryGiB} GiB, node ${result.machine.node}\n`,
  );
  console.log('| run | seconds | ms per artifact | peak RSS (MB, process tree) |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.map((x) => (x === null ? '—' : x)).join(' | ')} |`);
  console.log('');
  console.log(
    `naive / cold: ${result.ratios.naiveOverCold ?? '—'}× · warm / cold: ${(100 * result.ratios.warmOverCold).toFixed(1)}% · cold / floor: ${result.ratios.coldOverFloor}×`,
  );
  console.log(`overhead above the floor: ${result.perArtifactMs.overheadAboveFloor} ms per artifact`);
  console.log(
    `CPU time (s, whole process tree): naive ${result.cpuSeconds.naive ?? '—'} · cold ${result.cpuSeconds.cold ?? '—'} · warm ${result.cpuSeconds.warm ?? '—'}`,
  );
  console.log(
    `cold run, summed over artifacts (s): ${Object.entries(result.coldStageSeconds)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · ')}`,
  );
  console.log(
    `peak RSS, ${memoryCount} artifacts cold at default --jobs: ${result.peakRssMB[`cold${memoryCount}Artifacts`]} MB summed over the process tree, ${result.peakPssMB[`cold${memoryCount}Artifacts`] ?? '—'} MB PSS (shared pages counted once) (${result.memoryRun.seconds} s)`,
  );
  console.log('');
  printStart(startup);
  console.log(`\n${JSON.stringify(result, null, 2)}`);
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
