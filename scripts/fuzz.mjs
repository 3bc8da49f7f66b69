#!/usr/bin/env node
// `npm run fuzz [-- scale]`: the property-based fuzzer (test/fuzz/) with a larger budget than the normal test run:
// FUZZ_SCALE (default 50) times each property's run count. FUZZ_SEED replays a failure; FUZZ_SECONDS caps each property.
import { spawnSync } from 'node:child_process';

const scale = process.argv[2] ?? process.env.FUZZ_SCALE ?? '50';
const vitest = process.platform === 'win32' ? 'vitest.cmd' : 'vitest';
const r = spawnSync(`node_modules/.bin/${vitest}`, ['run', 'test/fuzz'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SCALE: scale },
  shell: process.platform === 'win32',
});
process.exit(r.status ?? 1);
