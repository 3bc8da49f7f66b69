import { createRequire as __wpc_createRequire } from 'node:module';
import { fileURLToPath as __wpc_fileURLToPath } from 'node:url';
import { dirname as __wpc_dirname } from 'node:path';
const require = __wpc_createRequire(import.meta.url);
const __filename = __wpc_fileURLToPath(import.meta.url);
const __dirname = __wpc_dirname(__filename);

// src/runtime/embedded/p1-host.ts
import { readFileSync as readFileSync2 } from "node:fs";
import { WASI } from "node:wasi";

// src/runtime/embedded/host-common.ts
import { readFileSync, writeFileSync, writeSync } from "node:fs";

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
function finish(config2, status) {
  writeFileSync(config2.statusFile, JSON.stringify(status));
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
  const module = await WebAssembly.compile(readFileSync2(config.target));
  instance = await WebAssembly.instantiate(module, wasi.getImportObject());
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
