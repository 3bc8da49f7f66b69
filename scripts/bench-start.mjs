#!/usr/bin/env node
// Start-up figures of the embedded hosts as CPU time (user + sys of the child processes), which a loaded machine
// disturbs far less than wall time. All variants are measured side by side in one run, interleaved in rounds:
//   bare        `node -e 0`: the floor of any fresh Node process;
//   p1 loaded   the P1 host script loaded and evaluated (started with no config: it stops at reading it);
//   p1 first    the P1 host up to the guest's first instruction: a guest whose first instruction is proc_exit(0);
//   p2 loaded   the P2 host script (preview2-shim and the host) loaded and evaluated;
// then V8 flag variants (on the host's command line) on real guests: short ones (the
// C, Rust and Go fixtures) and a long one (a CPU loop), so a flag that helps short runs is seen to cost long ones.
// Any V8 flag on the command line also makes Node refuse its built-ins' code cache (keyed by V8's flags): ~10–15 ms
// per start that the default variant does not pay (the hosts set their memory limit at run time for that reason).
//
//   node scripts/bench-start.mjs [--rounds N] [--reps N] [--hosts DIR] [--json FILE]
// The CPU time comes from POSIX sh's `times` (children's user and sys) around a batch of `reps` starts: no
// /usr/bin/time needed. Used by scripts/bench.mjs (npm run bench) for its start-up section.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Unsigned / signed LEB128. */
const uleb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (n) => {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const section = (id, body) => [id, ...uleb(body.length), ...body];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const name = (s) => [...uleb(s.length), ...Buffer.from(s)];

/**
 * A WASI P1 command whose `_start` runs `body` (code before `call proc_exit`, leaving the exit code on the stack)
 * with `locals` i32 locals, beside a helper `mix(a, b) = (a + b) * K` (function index 2). Exports its memory
 * (node:wasi needs one).
 */
function command(body, locals = 0) {
  const types = section(
    1,
    vec([
      [0x60, 1, 0x7f, 0],
      [0x60, 0, 0],
      [0x60, 2, 0x7f, 0x7f, 1, 0x7f],
    ]),
  );
  const imports = section(2, vec([[...name('wasi_snapshot_preview1'), ...name('proc_exit'), 0x00, 0]]));
  const funcs = section(3, vec([[1], [2]]));
  const memory = section(5, vec([[0x00, 1]]));
  const exports = section(
    7,
    vec([
      [...name('memory'), 0x02, 0],
      [...name('_start'), 0x00, 1],
    ]),
  );
  const start = [...(locals > 0 ? vec([[...uleb(locals), 0x7f]]) : [0]), ...body, 0x10, 0, 0x0b];
  // mix(a, b): over 256 words of memory, m[i] = m[i] * K + a and b ^= m[i]; returns b.
  const mix = [
    ...[1, 1, 0x7f, 0x02, 0x40, 0x03, 0x40], // one i32 local (i); block loop
    ...[0x20, 2, 0x20, 2, 0x28, 2, 0, 0x41, ...sleb(0x9e3779b1 | 0), 0x6c, 0x20, 0, 0x6a, 0x36, 2, 0], // m[i] = m[i] * K + a
    ...[0x20, 1, 0x20, 2, 0x28, 2, 0, 0x73, 0x21, 1], // b ^= m[i]
    ...[0x20, 2, 0x41, 4, 0x6a, 0x22, 2, 0x41, ...sleb(1024), 0x49, 0x0d, 0, 0x0b, 0x0b], // i += 4; loop while i < 1024
    ...[0x20, 1, 0x0b],
  ];
  const codeSection = section(
    10,
    vec([
      [...uleb(start.length), ...start],
      [...uleb(mix.length), ...mix],
    ]),
  );
  return Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...funcs, ...memory, ...exports, ...codeSection]);
}

/** Exits at once: its first instruction is the call to proc_exit. */
export const firstInstructionGuest = () => command([0x41, 0]);

/**
 * A CPU loop of `iterations` calls of `mix` (256 memory words each), then exit 0: a long-running guest. The work is in a called function, as
 * in real programs: V8 tiers a function up when it is called again, never inside one running call.
 */
export function cpuLoopGuest(iterations) {
  const body = [
    ...[0x02, 0x40, 0x03, 0x40], // block loop
    ...[0x20, 1, 0x20, 0, 0x10, 2, 0x21, 1], // l1 = mix(l1, l0)
    ...[0x20, 0, 0x41, 1, 0x6a, 0x22, 0], // l0 = l0 + 1 (tee)
    ...[0x41, ...sleb(iterations | 0), 0x49, 0x0d, 0], // br_if loop (l0 < N, unsigned)
    ...[0x0b, 0x0b], // end loop, end block
    ...[0x20, 1, 0x41, 0, 0x71], // l1 & 0 → exit code 0 (keeps l1 live)
  ];
  return command(body, 2);
}

/** Mean CPU milliseconds per start of `argv` over `reps` starts (children's user + sys, from sh's `times`). */
function cpuPerStart(argv, reps, cwd) {
  const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const script = `i=0; while [ $i -lt ${reps} ]; do ${quoted} >/dev/null 2>&1 </dev/null; i=$((i+1)); done; times`;
  const out = execFileSync('/bin/sh', ['-c', script], { cwd, encoding: 'utf8' });
  // `times`: the shell's own user/sys, then its children's, each like `0m0.120000s 0m0.030000s` (or `0m0.12s`).
  const children = out.trim().split('\n').at(-1) ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (seconds.length !== 2) throw new Error(`bench-start: cannot read sh's times: ${JSON.stringify(out)}`);
  return ((seconds[0] + seconds[1]) * 1000) / reps;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Measures every variant `rounds` times, interleaved, `reps` starts each; returns the median per variant (ms CPU per
 * start). `hostsDir`: where embedded-p1-host.js / embedded-p2-host.js are (dist/ or build/).
 */
export function measureStart({ rounds = 3, reps = 5, hostsDir = path.join(root, 'dist'), loopIterations = 1_000_000 } = {}) {
  const p1Host = path.join(hostsDir, 'embedded-p1-host.js');
  const p2Host = path.join(hostsDir, 'embedded-p2-host.js');
  for (const f of [p1Host, p2Host]) if (!existsSync(f)) throw new Error(`bench-start: ${f} is missing (npm run build)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'wpc-bench-start-'));
  try {
    const configFor = (label, wasm) => {
      const file = path.join(dir, `${label}.json`);
      const config = {
        target: wasm,
        args: [label],
        env: {},
        preopens: {},
        style: 'command',
        statusFile: path.join(dir, `${label}.status`),
        memoryPages: 32768,
      };
      writeFileSync(file, JSON.stringify(config));
      return file;
    };
    const write = (label, bytes) => {
      const file = path.join(dir, `${label}.wasm`);
      writeFileSync(file, bytes);
      return file;
    };
    const first = configFor('first', write('first', firstInstructionGuest()));
    const loop = configFor('loop', write('loop', cpuLoopGuest(loopIterations)));
    const fixture = (f) => configFor(f, path.join(root, 'test', 'fixtures', `${f}.wasm`));
    const node = process.execPath;
    const base = ['--no-warnings'];
    const variants = {
      bare: [node, '-e', '0'],
      'p1 loaded': [node, ...base, p1Host],
      'p1 first instruction': [node, ...base, p1Host, first],
      'p2 loaded': [node, ...base, p2Host],
    };
    const guests = {
      'c-hello': fixture('c-hello'),
      'rust-hello': fixture('rust-hello'),
      'go124-hello': fixture('go124-hello'),
      'cpu loop': loop,
    };
    const flagSets = {
      default: [],
      '--liftoff-only': ['--liftoff-only'],
      '--no-wasm-tier-up': ['--no-wasm-tier-up'],
      '--wasm-lazy-compilation': ['--wasm-lazy-compilation'],
      '--single-threaded': ['--single-threaded'],
    };
    for (const [guest, config] of Object.entries(guests))
      for (const [flags, extra] of Object.entries(flagSets)) variants[`${guest} ${flags}`] = [node, ...base, ...extra, p1Host, config];
    // Every guest variant must really run its guest to the end (exit 0): a host that stops early would look fast.
    for (const [label, argv] of Object.entries(variants)) {
      const config = argv.at(-1);
      if (!config.endsWith('.json')) continue;
      execFileSync(argv[0], argv.slice(1), { cwd: dir, stdio: 'ignore' });
      const status = JSON.parse(readFileSync(JSON.parse(readFileSync(config, 'utf8')).statusFile, 'utf8'));
      if (status.outcome !== 'exit' || status.code !== 0) throw new Error(`bench-start: ${label} did not run: ${JSON.stringify(status)}`);
    }
    const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++)
      for (const [label, argv] of Object.entries(variants))
        samples[label].push(cpuPerStart(argv, label.startsWith('cpu loop') ? 1 : reps, dir));
    return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Math.round(median(v))]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printStart(figures) {
  console.log('| start-up (embedded hosts, P1 guest runs) | ms CPU per start (median) |');
  console.log('| --- | ---: |');
  for (const [k, v] of Object.entries(figures)) console.log(`| ${k} | ${v} |`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (n, d) => {
    const i = process.argv.indexOf(n);
    return i > 0 ? process.argv[i + 1] : d;
  };
  const figures = measureStart({
    rounds: Number(arg('--rounds', '3')),
    reps: Number(arg('--reps', '5')),
    hostsDir: path.resolve(arg('--hosts', path.join(root, 'dist'))),
  });
  printStart(figures);
  const json = arg('--json', undefined);
  if (json) writeFileSync(json, JSON.stringify(figures, null, 2));
}
