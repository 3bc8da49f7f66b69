#!/usr/bin/env node
// Vendors the WASI Preview 1 -> Preview 2 adapters that wasm-p2-check bundles:
// wasi_snapshot_preview1.command.wasm and .reactor.wasm, taken from the published npm package
// @bytecodealliance/jco (package/lib/), with the package's npm integrity and each file's sha256
// recorded in <out>/manifest.json.
//
//   node scripts/vendor-adapters.mjs                       # -> adapters/ (committed)
//   node scripts/vendor-adapters.mjs --version 1.35.0 --out /tmp/x
//
// Uses only `npm pack` (the npm registry through npm itself) and `tar`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@bytecodealliance/jco';
const DEFAULT_VERSION = '1.35.0';
const FILES = ['wasi_snapshot_preview1.command.wasm', 'wasi_snapshot_preview1.reactor.wasm'];

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = { version: DEFAULT_VERSION, out: join(repo, 'adapters') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--version' && argv[i + 1]) opts.version = argv[++i];
    else if (a === '--out' && argv[i + 1]) opts.out = resolve(argv[++i]);
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/vendor-adapters.mjs [--version X.Y.Z] [--out DIR]');
      process.exit(0);
    } else {
      console.error(`vendor-adapters: unknown argument ${a}`);
      process.exit(2);
    }
  }
  return opts;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function main() {
  const { version, out } = parseArgs(process.argv.slice(2));
  const spec = `${PACKAGE}@${version}`;
  const tmp = mkdtempSync(join(tmpdir(), 'vendor-adapters-'));
  try {
    const packJson = execFileSync('npm', ['pack', spec, '--json', '--silent'], {
      cwd: tmp,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [info] = JSON.parse(packJson);
    if (!info || info.name !== PACKAGE || info.version !== version) {
      throw new Error(`npm pack ${spec} returned ${info?.name}@${info?.version}`);
    }
    const members = FILES.map((f) => `package/lib/${f}`);
    execFileSync('tar', ['-xzf', info.filename, ...members], { cwd: tmp, stdio: 'inherit' });

    mkdirSync(out, { recursive: true });
    const files = FILES.map((name) => {
      const src = join(tmp, 'package', 'lib', name);
      const bytes = readFileSync(src);
      if (bytes.subarray(0, 4).toString('latin1') !== '\0asm') {
        throw new Error(`${name} in ${spec} is not a WebAssembly binary`);
      }
      copyFileSync(src, join(out, name));
      return { name, from: `package/lib/${name}`, sha256: sha256(bytes), size: bytes.length };
    });
    const manifest = {
      package: PACKAGE,
      version,
      integrity: info.integrity,
      shasum: info.shasum,
      tarball: info.filename,
      files,
    };
    writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    console.error(`vendor-adapters: ${spec} -> ${out} (${files.map((f) => `${f.name} ${f.size} B`).join(', ')})`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main();
