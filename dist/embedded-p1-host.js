import { createRequire as __wpc_createRequire } from 'node:module';
import { fileURLToPath as __wpc_fileURLToPath } from 'node:url';
import { dirname as __wpc_dirname } from 'node:path';
var require = __wpc_createRequire(import.meta.url);
var __filename = __wpc_fileURLToPath(import.meta.url);
var __dirname = __wpc_dirname(__filename);

// src/runtime/embedded/p1-host.ts
import { readFileSync as readFileSync2 } from "node:fs";
import { WASI } from "node:wasi";

// src/runtime/embedded/host-common.ts
import { closeSync, readFileSync, writeFileSync, writeSync } from "node:fs";

// src/runtime/embedded/host-protocol.ts
var TRAP_EXIT_CODE = 134;
var HOST_ERROR_EXIT_CODE = 70;

// src/runtime/embedded/host-common.ts
function readConfig() {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write("usage: embedded-host CONFIG.json\n");
    process.exit(HOST_ERROR_EXIT_CODE);
  }
  return JSON.parse(readFileSync(file, "utf8"));
}
var compiledIn;
var finished = false;
var memories = [];
function trackMemories(instance2) {
  for (const value of Object.values(instance2.exports)) if (value instanceof WebAssembly.Memory) memories.push(value);
}
function memoryBytes() {
  return memories.length > 0 ? Math.max(...memories.map((m) => m.buffer.byteLength)) : void 0;
}
var extraStatus = () => ({});
function writeStatus(config2, status) {
  const memory = memoryBytes();
  const file = {
    ...status,
    ...compiledIn !== void 0 ? { compileMs: compiledIn } : {},
    ...memory !== void 0 ? { memoryBytes: memory } : {},
    ...extraStatus()
  };
  writeFileSync(config2.statusFile, JSON.stringify(file));
}
function started(config2, compileMs) {
  compiledIn = compileMs;
  writeStatus(config2, { outcome: "running", compileMs });
  process.on("exit", (code) => {
    if (!finished) writeStatus(config2, { outcome: "exit", code });
  });
  try {
    writeSync(3, "r");
    closeSync(3);
  } catch {
  }
}
function finish(config2, status) {
  finished = true;
  writeStatus(config2, status);
  process.exit(status.outcome === "exit" ? status.code : status.outcome === "trap" ? TRAP_EXIT_CODE : HOST_ERROR_EXIT_CODE);
}
function reportThrown(config2, error, phase) {
  const e = error instanceof Error ? error : new Error(String(error));
  const stack = e.stack ?? `${e.name}: ${e.message}`;
  writeSync(2, `
${stack}
`);
  const isTrap = phase === "run" && (e instanceof WebAssembly.RuntimeError || e instanceof RangeError && /call stack/i.test(e.message));
  if (isTrap) finish(config2, { outcome: "trap", name: e.name, message: e.message, stack });
  finish(config2, { outcome: "error", message: `${e.name}: ${e.message}`, stack });
}
Error.stackTraceLimit = 200;

// src/runtime/embedded/p1-host.ts
var ERRNO_PERM = 63;
function guardedImports(wasi2) {
  const p1 = wasi2.getImportObject().wasi_snapshot_preview1;
  return {
    wasi_snapshot_preview1: {
      ...p1,
      path_symlink: () => ERRNO_PERM,
      path_link: () => ERRNO_PERM,
      // node:wasi would raise the signal in the host process itself (an abort, a core dump, a crash indistinguishable
      // from the host's own): the guest's abort is a trap instead, as it is under wasmtime.
      proc_raise: (signal) => {
        throw new WebAssembly.RuntimeError(`proc_raise(${signal}): the guest raised signal ${signal}`);
      }
    }
  };
}
var config = readConfig();
var instance;
var wasi;
try {
  wasi = new WASI({
    version: "preview1",
    args: config.args,
    env: config.env,
    preopens: config.preopens,
    returnOnExit: true
  });
  const compileStart = performance.now();
  const module = await WebAssembly.compile(readFileSync2(config.target));
  instance = await WebAssembly.instantiate(module, guardedImports(wasi));
  trackMemories(instance);
  started(config, Math.round(performance.now() - compileStart));
} catch (e) {
  reportThrown(config, e, "link");
}
try {
  if (config.style === "command") {
    const code = wasi.start(instance);
    finish(config, { outcome: "exit", code: typeof code === "number" ? code : 0 });
  } else {
    wasi.initialize(instance);
    finish(config, { outcome: "exit", code: 0 });
  }
} catch (e) {
  reportThrown(config, e, "run");
}
