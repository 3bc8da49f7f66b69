/**
 * The embedded P2 host enforces the component model's may-leave rule as wasmtime does (runtime/embedded/may-leave.ts):
 * a call out of the component while the host lowers values into it (inside `cabi_realloc`) traps with `cannot leave
 * component instance`, so both runtimes give one verdict for the same artifact. Real guests:
 *  - test/fixtures/wasmtime/realloc-calls-import.wasm: its cabi_realloc, once armed, calls random_get; the host lowers
 *    get-arguments' list<string> through it (traps on wasmtime 49; before the guard it passed here);
 *  - test/fixtures/signatures/cabi-realloc-calls-import.wasm: the same kind of allocator, but only the adapter calls it
 *    (for its own state, a call inside the component): no lowering, no trap, on either runtime;
 *  - test/fixtures/cannot-leave/*.wasm (C, see its README): constructors run inside cabi_realloc by wasm-ld's
 *    command_export wrapper, and an allocator that logs.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { transpileBytes } from '../src/convert/jco-process.js';
import type { HostConfig, HostStatusFile } from '../src/runtime/embedded/host-protocol.js';
import { builtDir } from './build-once.js';
import { CHECK_RUNTIMES, useGuests } from './check-runtimes.js';
import { makeSandbox } from './report-factory.js';

const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(root, 'test', 'fixtures');
const scratch = useGuests('p2c-may-leave-', {});

for (const { name, options: runtime, skip } of CHECK_RUNTIMES) {
  describe.skipIf(skip !== undefined)(`${name}: may-leave while lowering`, () => {
    it('an import called from cabi_realloc while the host lowers traps `cannot leave component instance`', async () => {
      const report = await check({
        patterns: ['wasmtime/realloc-calls-import.wasm', 'signatures/cabi-realloc-calls-import.wasm'],
        cwd: fixtures,
        ...runtime,
        sandbox: makeSandbox({ timeoutMs: 60_000 }),
        workDir: path.join(scratch.dir, `check-${name}`),
      });
      const [lowering, adapterOnly] = report.results;
      expect(lowering!.verdict).not.toBe('PASS');
      expect(lowering!.p2!.trap).toMatchObject({ kind: 'cannot-leave-instance' });
      expect(lowering!.p2!.trap!.message).toMatch(/cannot leave component instance/);
      const names = lowering!.p2!.trap!.frames.map((f) => f.name);
      // the tell, as under wasmtime: the import call above cabi_realloc
      expect(names.indexOf('cabi_realloc')).toBeGreaterThan(names.indexOf('random_get'));
      expect(lowering!.diagnoses[0]?.signatureId).toBe('cannot-leave-allocator-seeds-itself');

      expect(adapterOnly!.verdict).toBe('PASS');
      expect(adapterOnly!.p2!.trap).toBeUndefined();
    });

    it('C programs (clang 14 + wasi-libc): constructors run in cabi_realloc, a log line in it — each named by its source', async () => {
      const report = await check({
        patterns: ['cannot-leave/ctor-in-realloc.wasm', 'cannot-leave/log-in-realloc.wasm'],
        cwd: fixtures,
        ...runtime,
        sandbox: makeSandbox({ timeoutMs: 60_000 }),
        workDir: path.join(scratch.dir, `check-c-${name}`),
      });
      const [ctor, log] = report.results;
      for (const r of [ctor!, log!]) expect(r.p2!.trap, r.artifact.path).toMatchObject({ kind: 'cannot-leave-instance' });
      expect(ctor!.diagnoses[0]?.signatureId).toBe('cannot-leave-constructors-in-realloc');
      expect(ctor!.diagnoses[0]!.evidence.join('\n')).toMatch(/__wasm_call_ctors[\s\S]*cabi_realloc\.command_export/);
      expect(log!.diagnoses[0]?.signatureId).toBe('cannot-leave-logging-in-realloc');
    });
  });
}

describe('embedded P2 host: where the rule cannot be held, it says so (never a silent pass)', () => {
  /** Transpiles c-hello as the runner does, optionally edits the bindings, runs the built P2 host on them. */
  async function hostRun(name: string, edit: (js: string) => string): Promise<HostStatusFile> {
    const dir = path.join(scratch.dir, name);
    await mkdir(dir, { recursive: true });
    const adapter = await readFile(path.join(root, 'adapters', 'wasi_snapshot_preview1.command.wasm'));
    const component = await componentNew(await readFile(path.join(fixtures, 'c-hello.wasm')), [['wasi_snapshot_preview1', adapter]]);
    const { files } = await transpileBytes(component, {
      name: 'component',
      instantiation: 'async',
      wasiShim: false,
      emitTypescriptDeclarations: false,
    });
    for (const [file, bytes] of Object.entries(files)) {
      if (file.endsWith('.d.ts')) continue;
      const content = file === 'component.js' ? edit(Buffer.from(bytes).toString('utf8')) : bytes;
      await writeFile(path.join(dir, file), content);
    }
    const config: HostConfig = {
      target: dir,
      args: ['c-hello.wasm'],
      env: {},
      preopens: {},
      style: 'command',
      statusFile: path.join(dir, 'status.json'),
      memoryPages: 32768,
    };
    await writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
    spawnSync(process.execPath, [path.join(builtDir, 'embedded-p2-host.js'), path.join(dir, 'config.json')], { stdio: 'ignore' });
    return JSON.parse(await readFile(config.statusFile, 'utf8')) as HostStatusFile;
  }

  it('bindings that instantiate their core modules another way: a host error naming wasmtime, not a pass', async () => {
    const held = await hostRun('held', (js) => js);
    expect(held.outcome).toBe('exit');
    expect(held.mayLeave?.instances).toBeGreaterThan(0);

    // As if a jco release took WebAssembly.instantiate when its module loads, before the host could hold it.
    const marker = 'instantiateCore = WebAssembly.instantiate';
    const bypassed = await hostRun('bypassed', (js) => {
      expect(js).toContain(marker);
      return `const capturedInstantiate = WebAssembly.instantiate;\n${js.replace(marker, 'instantiateCore = capturedInstantiate')}`;
    });
    expect(bypassed).toMatchObject({ outcome: 'error', host: true });
    expect(bypassed.outcome === 'error' && bypassed.message).toMatch(/could not enforce the component model may-leave rule[\s\S]*wasmtime/);
  });
});
