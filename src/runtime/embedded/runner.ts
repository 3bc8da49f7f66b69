import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { transpileBytes } from '@bytecodealliance/jco-transpile';
import { embeddedHostScript } from '../../assets.js';
import { inspectBytes } from '../../inspect/index.js';
import { parseTrap } from '../../diagnose/trap/parse.js';
import type { Preopen, RunResult, Runner, RuntimeId, Sandbox } from '../../model.js';
import { copyPreopens, notRunResult, runSandboxedProcess } from '../process.js';
import type { HostConfig, HostStatusFile } from './host-protocol.js';
import { limitsOf } from '../limits.js';
// The package does not export its package.json; read it by path (the bundler inlines it).
import preview2ShimPackage from '../../../node_modules/@bytecodealliance/preview2-shim/package.json' with { type: 'json' };

/**
 * The embedded runtime: P1 baseline under Node's `node:wasi`, P2 under jco's transpiled bindings +
 * `@bytecodealliance/preview2-shim`. Both run in a child Node process (never in ours), with no inherited
 * environment, only the given preopens (fresh copies per run), stdio through files, and a wall-clock timeout.
 */
export function createEmbeddedRunner(options: { workDir: string; nodeBinary?: string }): Runner {
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
    const runDir = path.join(options.workDir, `run-${++counter}-${phase}`);
    await mkdir(runDir, { recursive: true });
    let preopens: Preopen[];
    try {
      preopens = await copyPreopens(sandbox.dirs, path.join(runDir, 'preopens'), limitsOf(sandbox).diskBytes);
    } catch (e) {
      return notRunResult(phase, phase === 'p1' ? p1 : p2, `cannot prepare the preopen folders: ${(e as Error).message}`);
    }
    const config: HostConfig = {
      target,
      args: [programName, ...sandbox.args],
      env: sandbox.env,
      preopens: Object.fromEntries(preopens.map((p: Preopen) => [p.guest, p.host])),
      style,
      statusFile: path.join(runDir, 'status.json'),
    };
    const configFile = path.join(runDir, 'config.json');
    await writeFile(configFile, JSON.stringify(config));
    const host = embeddedHostScript(phase);
    const nodeArgs = ['--no-warnings', host, configFile];
    const proc = await runSandboxedProcess({
      command: node,
      args: nodeArgs,
      env: {},
      cwd: runDir,
      stdinFile: sandbox.stdinFile,
      timeoutMs: sandbox.timeoutMs,
      outputCapBytes: sandbox.outputCapBytes,
      scratchDir: runDir,
    });
    const status = await readStatus(config.statusFile);
    const result: RunResult = {
      phase,
      runtime: phase === 'p1' ? p1 : p2,
      exitCode: proc.exitCode,
      stdout: proc.stdout,
      stderr: proc.stderr,
      durationMs: proc.durationMs,
      timedOut: proc.timedOut,
      command: [node, ...nodeArgs],
    };
    if (status?.compileMs !== undefined) result.compileMs = status.compileMs;
    if (proc.spawnError !== undefined) {
      result.hostError = `cannot start the embedded host (${node}): ${proc.spawnError}`;
    } else if (!proc.timedOut && !status) {
      // The host never reached the guest: it could not read its config, crashed or was killed while loading.
      const how = proc.signal ? `was killed by ${proc.signal}` : `exited with code ${proc.exitCode}`;
      result.hostError = `the embedded host ${how} before the guest started${tailOf(proc.stderr.text)}`;
    } else if (!proc.timedOut && status?.outcome === 'running' && proc.signal && proc.signal !== 'SIGKILL' && phase === 'p1') {
      // node:wasi implements proc_raise by raising the signal in the host process itself: a signal other than our
      // SIGKILL while the guest ran is the guest's doing (behaviour to compare), not a checker failure.
      const message = `the guest ended the P1 host with ${proc.signal} (node:wasi's proc_raise raises real signals)`;
      result.trap = { kind: 'other', message, causes: [message], frames: [], format: 'text' };
    } else if (!proc.timedOut && status?.outcome === 'running' && proc.signal) {
      result.hostError = `the embedded host was killed by ${proc.signal} while the guest ran${tailOf(proc.stderr.text)}`;
    } else if (!proc.timedOut) {
      if (status?.outcome === 'error') {
        // The guest could not even be loaded or linked: a fact about the artifact (e.g. unknown imports),
        // kept as a trap so the diagnosis sees it, and flagged so it is not taken for guest behaviour.
        result.harnessError = status.message;
        result.trap = parseTrap(status.stack ?? status.message) ?? {
          kind: 'instantiation-error',
          message: result.harnessError,
          causes: [result.harnessError],
          frames: [],
          format: 'text',
        };
      } else if (status?.outcome === 'trap') {
        result.trap = parseTrap(`${proc.stderr.text}\n${status.stack}`) ?? {
          kind: 'other',
          message: status.message,
          causes: [status.message],
          frames: [],
          format: 'v8',
        };
      } else if (proc.exitCode !== 0) {
        // The adapter prints its assertion before `unreachable`; a guest may print a panic before exiting.
        result.trap = parseTrap(proc.stderr.text);
      }
    }
    return result;
  }

  return {
    name: 'embedded',
    runsReactors: true,
    async describe() {
      return { p1, p2 };
    },
    async runModule(file, sandbox) {
      const bytes = await readFile(file);
      const style = inspectBytes(file, bytes).module?.style ?? 'command';
      return runHost('p1', path.resolve(file), style, path.basename(file), sandbox);
    },
    async runComponent(file, sandbox) {
      const started = performance.now();
      await mkdir(options.workDir, { recursive: true });
      const dir = await mkdtemp(path.join(options.workDir, 'transpiled-'));
      let style: 'command' | 'reactor' = 'reactor';
      try {
        const result = await transpileBytes(new Uint8Array(await readFile(file)), {
          name: 'component',
          instantiation: 'async',
          // The host maps WASI imports itself; no import specifiers are baked into the generated module.
          wasiShim: false,
          emitTypescriptDeclarations: false,
        });
        for (const [name, content] of Object.entries(result.files)) {
          if (name.endsWith('.d.ts')) continue;
          await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
          await writeFile(path.join(dir, name), content);
        }
        if (result.exports.some(([name]) => name === 'run' || name.startsWith('wasi:cli/run@'))) style = 'command';
      } catch (e) {
        await rm(dir, { recursive: true, force: true });
        const message = `jco transpile failed: ${e instanceof Error ? e.message : String(e)}`;
        return {
          phase: 'p2',
          runtime: p2,
          exitCode: null,
          stdout: { text: '', bytes: 0, truncated: false },
          stderr: { text: message, bytes: Buffer.byteLength(message), truncated: false },
          durationMs: 0,
          timedOut: false,
          harnessError: message,
          trap: parseTrap(message) ?? { kind: 'instantiation-error', message, causes: [message], frames: [], format: 'text' },
        };
      }
      const transpileMs = performance.now() - started;
      const result = await runHost('p2', dir, style, path.basename(file), sandbox);
      // The P2 run's cost includes turning the component into JS, which the P1 run does not need.
      return { ...result, durationMs: result.durationMs + transpileMs };
    },
  };
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
    return undefined; // the guest exited through proc_exit / wasi:cli/exit, or the process was killed
  }
}
