import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { embeddedHostScript } from '../../package/assets.js';
import type { Preopen, RunResult, Runner, RuntimeId, Sandbox } from '../../model.js';
import { converterLimitsFor, limitsOf } from '../../guard/limits.js';
import { copyLimitOf, copyPreopens, memoryLimitHit, notRunResult, runSandboxedProcess, toRunResult } from '../process.js';
import { JcoLimitError, JcoProcessError, transpileToDir } from '../../convert/jco-process.js';
import { removeTree } from '../remove.js';
import { wasmMemoryPages, type HostConfig, type HostStatusFile } from './host-protocol.js';
import { componentShape } from './shape.js';
// The package does not export its package.json; read it by path (the bundler inlines it).
import preview2ShimPackage from '../../../node_modules/@bytecodealliance/preview2-shim/package.json' with { type: 'json' };

/**
 * The embedded runtime: P1 baseline under Node's `node:wasi`, P2 under jco's transpiled bindings +
 * `@bytecodealliance/preview2-shim`. Both run in a child Node process (never in ours), with no inherited
 * environment, only the given preopens (fresh copies per run), stdio through files, V8's wasm memory limit, and a
 * wall-clock timeout counted from the guest's start (compiling comes first, under its own limit).
 */
export function createEmbeddedRunner(options: { workDir: string; nodeBinary?: string; keepFiles?: boolean }): Runner {
  const node = options.nodeBinary ?? process.execPath;
  const p1: RuntimeId = { name: 'node:wasi', version: `node ${process.versions.node}` };
  const p2: RuntimeId = { name: 'preview2-shim', version: `${preview2ShimPackage.version} (jco-transpile, node ${process.versions.node})` };
  let counter = 0;

  async function runHost(
    phase: 'p1' | 'p2',
    target: string,
    style: 'command' | 'reactor',
    programName: string,
    sandbox: Sandbox,
  ): Promise<RunResult> {
    const runtime = phase === 'p1' ? p1 : p2;
    const limits = limitsOf(sandbox);
    const runDir = path.join(options.workDir, `run-${++counter}-${phase}`);
    await mkdir(runDir, { recursive: true });
    try {
      let preopens: Preopen[];
      try {
        // Copying is bounded by the run's time limit (a preopen of many files must not cost minutes per run).
        preopens = await copyPreopens(sandbox.dirs, path.join(runDir, 'preopens'), limits, sandbox.timeoutMs);
      } catch (e) {
        return notRunResult(phase, runtime, `cannot prepare the preopen folders: ${(e as Error).message}`, copyLimitOf(e));
      }
      const config: HostConfig = {
        target,
        args: [programName, ...sandbox.args],
        env: sandbox.env,
        preopens: Object.fromEntries(preopens.map((p: Preopen) => [p.guest, p.host])),
        style,
        statusFile: path.join(runDir, 'status.json'),
        memoryPages: wasmMemoryPages(limits.memoryBytes),
      };
      const configFile = path.join(runDir, 'config.json');
      await writeFile(configFile, JSON.stringify(config));
      const nodeArgs = ['--no-warnings', embeddedHostScript(phase), configFile];
      const proc = await runSandboxedProcess({
        command: node,
        args: nodeArgs,
        env: {},
        cwd: runDir,
        stdinFile: sandbox.stdinFile,
        timeoutMs: sandbox.timeoutMs,
        outputCapBytes: sandbox.outputCapBytes,
        maxOutputFileBytes: limits.outputBytes,
        scratchDir: runDir,
        readySignal: true,
        watchDirs: preopens.map((p) => p.host),
        maxDiskBytes: limits.diskBytes,
      });
      const status = await readStatus(config.statusFile);
      const result = await toRunResult(proc, {
        phase,
        runtime,
        hostName: `the embedded host (${node})`,
        command: [node, ...nodeArgs],
        timeoutMs: sandbox.timeoutMs,
        limits,
      });
      if (status?.compileMs !== undefined) {
        result.compileMs = status.compileMs;
        if (proc.compileMs !== undefined) result.hostStartMs = Math.max(0, proc.compileMs - status.compileMs);
      }
      if (result.hostError !== undefined || result.limit?.kind === 'time') return result;
      if (!status && !result.limit) {
        // The host never reached the guest: it could not read its config, crashed or was killed while loading.
        const how = proc.signal ? `was killed by ${proc.signal}` : `exited with code ${proc.exitCode}`;
        result.hostError = `the embedded host ${how} before the guest started${tailOf(proc.stderr.text)}`;
      } else if (status?.outcome === 'error' && status.host) {
        // The host could not run the guest as the checker requires (e.g. the may-leave rule could not be held).
        result.hostError = status.message;
      } else if (status?.outcome === 'error') {
        // The guest could not be loaded or linked (e.g. unknown imports): a fact about the artifact.
        result.harnessError = status.message;
      }
      memoryLimitHit(result, status?.memoryBytes, limits);
      return result;
    } finally {
      if (!options.keepFiles) await removeTree(runDir);
    }
  }

  /**
   * jco's JS per component shape (see shape.ts): artifacts of one shape (same imports and exports, other code) are
   * transpiled once; each run still gets its own core modules, written from its own component's bytes.
   */
  const transpiledShapes = new Map<string, Promise<TranspiledShape | undefined>>();

  /** Writes the transpiled component into `dir` (component.js + its core modules); returns how it runs. */
  async function writeTranspiled(bytes: Uint8Array, dir: string, timeoutMs: number): Promise<'command' | 'reactor'> {
    const shape = componentShape(bytes);
    // A shape being transpiled right now (by a parallel run) is waited for, not transpiled twice.
    const pending = shape && transpiledShapes.get(shape.key);
    const known = pending ? await pending : undefined;
    const files: [string, Uint8Array][] = [];
    let style: 'command' | 'reactor';
    if (shape && known) {
      files.push([JS_FILE, known.js], ...shape.modules.map((m, i): [string, Uint8Array] => [coreModuleFile(i), m]));
      style = known.style;
    } else {
      // The converter writes the files into `dir` itself: the core modules' bytes do not come back to the checker.
      const options = {
        name: 'component',
        instantiation: 'async' as const,
        // The host maps WASI imports itself; no import specifiers are baked into the generated module.
        wasiShim: false,
        emitTypescriptDeclarations: false,
      };
      const transpiled = transpileToDir(bytes, options, dir, converterLimitsFor(timeoutMs, bytes.length)).then((result) => {
        const kind: 'command' | 'reactor' = result.exports.some(([name]) => name === 'run' || name.startsWith('wasi:cli/run@'))
          ? 'command'
          : 'reactor';
        return { ...result, style: kind };
      });
      if (shape && !pending) {
        // Reused only when this transpile is what reuse would have written: the JS plus each core module as it sits
        // in the component, under jco's name for it, and nothing else.
        const reusable = transpiled.then(
          (t) => (t.js && isJsPlusModules(t.written, shape.modules) ? { js: t.js, style: t.style } : undefined),
          () => undefined,
        );
        if (transpiledShapes.size >= MAX_SHAPES) transpiledShapes.delete(transpiledShapes.keys().next().value!);
        transpiledShapes.set(shape.key, reusable);
      }
      style = (await transpiled).style;
    }
    for (const [name, content] of files) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), content);
    }
    return style;
  }

  return {
    name: 'embedded',
    runsReactors: true,
    async describe() {
      return { p1, p2 };
    },
    async runModule(file, sandbox, guest) {
      return runHost('p1', path.resolve(file), guest?.style ?? 'command', path.basename(file), sandbox);
    },
    async runComponent(file, sandbox) {
      const started = performance.now();
      await mkdir(options.workDir, { recursive: true });
      const dir = await mkdtemp(path.join(options.workDir, 'transpiled-'));
      try {
        let style: 'command' | 'reactor';
        try {
          style = await writeTranspiled(new Uint8Array(await readFile(file)), dir, sandbox.timeoutMs);
        } catch (e) {
          // The converter process failed (not jco on this component): the run could not be carried out.
          if (e instanceof JcoProcessError) return notRunResult('p2', p2, e.message, e instanceof JcoLimitError ? e.limit : undefined);
          const message = `jco transpile failed: ${e instanceof Error ? e.message : String(e)}`;
          // The component could not be loaded: a fact about the artifact (harnessError), like a link error.
          return {
            phase: 'p2',
            runtime: p2,
            exitCode: null,
            stdout: { text: '', bytes: 0, truncated: false },
            stderr: { text: message, bytes: Buffer.byteLength(message), truncated: false },
            durationMs: 0,
            timedOut: false,
            harnessError: message,
          };
        }
        // Turning the component into JS is part of loading it, like compiling: outside the guest's time limit.
        const transpileMs = Math.round(performance.now() - started);
        const result = await runHost('p2', dir, style, path.basename(file), sandbox);
        return { ...result, compileMs: (result.compileMs ?? 0) + transpileMs, transpileMs };
      } finally {
        if (!options.keepFiles) await removeTree(dir);
      }
    },
  };
}

interface TranspiledShape {
  js: Uint8Array;
  style: 'command' | 'reactor';
}

const JS_FILE = 'component.js';
/** Shapes kept per runner (a few hundred KiB of JS each). */
const MAX_SHAPES = 32;

/** jco's file name for the i-th core module (index order). */
function coreModuleFile(i: number): string {
  return `component.core${i === 0 ? '' : i + 1}.wasm`;
}

/** The converter wrote exactly the JS and each core module as it sits in the component (by sha256), under jco's name. */
function isJsPlusModules(written: [string, string][], modules: Uint8Array[]): boolean {
  const sha = new Map(written);
  if (written.length !== modules.length + 1 || !sha.has(JS_FILE)) return false;
  return modules.every((m, i) => sha.get(coreModuleFile(i)) === createHash('sha256').update(m).digest('hex'));
}

/** The end of the host's stderr, for a host error message. */
function tailOf(stderr: string): string {
  const text = stderr.trim();
  return text ? `: ${text.length > 500 ? `…${text.slice(-500)}` : text}` : '';
}

async function readStatus(file: string): Promise<HostStatusFile | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as HostStatusFile;
  } catch {
    return undefined; // the process was killed before the guest started, or could not start
  }
}
