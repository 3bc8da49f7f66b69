/**
 * A link error that names a missing interface is the host's world (`wasmtime serve` without `-S cli`, `wasmtime run`
 * without `-S http`) or version skew; explain and check tell which from the host that refused it and the interface
 * (src/diagnose/host-world.ts). Verbatim public logs (ComponentizeJS#173, dotnet/runtime#107405, wasmtime#7505) and a
 * wasmtime 49 engine log of test/fixtures/host-world/http-types.component.wasm (see its README).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { explain } from '../src/diagnose/explain.js';
import { hostFromCommand, hostLinks, linkerGap } from '../src/diagnose/host-world.js';
import { CHECK_RUNTIMES, useGuests } from './check-runtimes.js';
import { makeSandbox } from './report-factory.js';

const fixtures = path.resolve(import.meta.dirname, 'fixtures');
const log = (name: string) => readFile(path.join(fixtures, name), 'utf8');
const failures = async (name: string) => (await explain({ logText: await log(name) })).diagnoses.filter((d) => d.severity !== 'note');

describe('explain: the host world, not version skew', () => {
  it.each([
    ['transcripts/dotnet-runtime-107405-serve-linker.txt', /wasi:cli\/environment@0\.2\.0/, /wasmtime serve -S cli/],
    ['transcripts/componentizejs-173-serve-cli-linker.txt', /wasi:cli\/terminal-input@0\.2\.2/, /wasmtime serve -S cli/],
    ['transcripts/componentizejs-173-run-http-linker.txt', /wasi:http\/types@0\.2\.0/, /wasmtime run -S http/],
  ])('%s', async (file, wanted, fix) => {
    const [first, ...rest] = await failures(file);
    expect(first?.signatureId).toBe('host-world-missing-interface');
    expect(first!.confidence).toBe('high');
    const evidence = first!.evidence.join('\n');
    expect(evidence).toMatch(wanted);
    expect(evidence).toMatch(fix);
    expect(rest.map((d) => d.signatureId)).not.toContain('adapter-runtime-version-skew');
  });

  it('an interface every host world links, at a release-candidate version: version skew (wasmtime#7505)', async () => {
    const [first, ...rest] = await failures('transcripts/wasmtime-7505-wrong-type.txt');
    expect(first?.signatureId).toBe('adapter-runtime-version-skew');
    expect(first!.evidence.join('\n')).toMatch(/every WASI host world links wasi:io\/streams/);
    expect(rest.map((d) => d.signatureId)).not.toContain('host-world-missing-interface');
  });

  it('a log without the host: both causes, neither certain, each reason stated', async () => {
    const found = await failures('signatures/transcripts/wasmtime49-http-types-not-linked.txt');
    const ids = found.map((d) => d.signatureId);
    expect(ids).toEqual(expect.arrayContaining(['host-world-missing-interface', 'adapter-runtime-version-skew']));
    for (const d of found) expect(d.confidence).not.toBe('high');
    // The same log with the command that produced it: the CLI world has no wasi:http.
    const withCommand = `$ wasmtime run http-types.component.wasm\n${await log('signatures/transcripts/wasmtime49-http-types-not-linked.txt')}`;
    const [first] = (await explain({ logText: withCommand })).diagnoses;
    expect([first?.signatureId, first?.confidence]).toEqual(['host-world-missing-interface', 'high']);
  });
});

describe('host-world.ts', () => {
  it('reads wasmtime command lines, not prose', () => {
    expect(hostFromCommand('using wasmtime 49.0.0', 'log')).toBeUndefined();
    expect(hostFromCommand('$ wasmtime compile x.wasm', 'log')).toBeUndefined();
    expect(hostFromCommand('wasmtime --dir . app.wasm', 'log')).toMatchObject({ command: 'wasmtime run', world: 'wasi:cli/command' });
    const serve = hostFromCommand('% wasmtime serve -Scli --addr 0.0.0.0:8080 app.wasm', 'log')!;
    expect(serve).toMatchObject({ command: 'wasmtime serve', options: ['cli'] });
    expect(hostLinks(serve, 'wasi:cli/environment')).toBe(true);
    expect(hostLinks({ ...serve, options: [] }, 'wasi:cli/environment')).toBe(false);
    expect(hostLinks({ ...serve, options: [] }, 'wasi:cli/stdout')).toBe(true);
    expect(hostLinks(hostFromCommand('wasmtime run -S http x.wasm', 'log')!, 'wasi:http/types')).toBe(true);
  });

  it('the run command the checker used decides over text (a wasmtime run without -S http, e.g. from a log)', () => {
    const text = 'component imports instance `wasi:http/types@0.2.12`, but a matching implementation was not found in the linker';
    expect(linkerGap([text], ['/usr/bin/wasmtime', 'run', '-S', 'http', 'x.wasm'])?.cause).toBe('version');
    expect(linkerGap([text], ['/usr/bin/wasmtime', 'run', 'x.wasm'])).toMatchObject({ cause: 'host-world', fix: /-S http/ });
  });
});

const scratch = useGuests('p2c-host-world-', {});
describe('check: a component importing wasi:http gets the same host world on both runtimes', () => {
  // The embedded host (preview2-shim) links wasi:http; the wasmtime runner passes `-S http` for such a component
  // (decided from its imports), so it is not refused there for a world the other runtime has.
  it.each(CHECK_RUNTIMES)('$name', async (runtime) => {
    if (runtime.skip) return console.warn(`${runtime.name}: skipped: ${runtime.skip}`);
    const report = await check({
      patterns: ['host-world/http-types.component.wasm'],
      cwd: fixtures,
      ...runtime.options,
      sandbox: makeSandbox({ timeoutMs: 60_000 }),
      workDir: path.join(scratch.dir, `check-${runtime.name}`),
    });
    const [result] = report.results;
    expect(result!.p2?.stdout.text).toBe('made a fields resource\n');
    expect([result!.verdict, result!.p2?.exitCode]).toEqual(['PASS', 0]);
    if (runtime.name === 'wasmtime') expect(result!.p2!.command!.join(' ')).toMatch(/ -S http /);
  });
});
