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
import { setFlagsFromString } from "node:v8";

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
  const config2 = JSON.parse(readFileSync(file, "utf8"));
  if (!Number.isSafeInteger(config2.memoryPages) || config2.memoryPages < 1) {
    process.stderr.write(`embedded-host: no valid memoryPages in ${file}
`);
    process.exit(HOST_ERROR_EXIT_CODE);
  }
  setFlagsFromString(`--wasm-max-mem-pages=${config2.memoryPages}`);
  return config2;
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

// src/runtime/embedded/p1-conformance.ts
var ERRNO_SUCCESS = 0;
var ERRNO_BADF = 8;
var ERRNO_INVAL = 28;
var ERRNO_PERM = 63;
var EVENTTYPE_CLOCK = 0;
var EVENTTYPE_FD_READ = 1;
var EVENTTYPE_FD_WRITE = 2;
var SUBSCRIPTION_SIZE = 48;
var EVENT_SIZE = 32;
var SUBSCRIPTION_CLOCK_ABSTIME = 1;
var FILETYPE_BLOCK_DEVICE = 1;
var FILETYPE_DIRECTORY = 3;
var FILETYPE_REGULAR_FILE = 4;
function clockNow(id) {
  switch (id) {
    case 0:
      return BigInt(Date.now()) * 1000000n;
    case 1:
      return process.hrtime.bigint();
    case 2:
    // process and thread CPU time (the guest has one thread)
    case 3: {
      const usage = process.cpuUsage();
      return BigInt(usage.user + usage.system) * 1000n;
    }
    default:
      return void 0;
  }
}
var sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepUntil(deadline) {
  for (let left = deadline - process.hrtime.bigint(); left > 0n; left = deadline - process.hrtime.bigint()) {
    Atomics.wait(sleeper, 0, 0, Number(left) / 1e6);
  }
}
function conformingP1(p1, memory) {
  const mem = () => memory();
  const view = () => new DataView(mem().buffer);
  function withScratch(at, size, fn) {
    const bytes = new Uint8Array(mem().buffer);
    if (at + size > bytes.length) return void 0;
    const saved = bytes.slice(at, at + size);
    try {
      return fn(at);
    } finally {
      new Uint8Array(mem().buffer).set(saved, at);
    }
  }
  function fileType(fd, scratch) {
    return withScratch(scratch, 24, (ptr) => p1.fd_fdstat_get(fd, ptr) === ERRNO_SUCCESS ? view().getUint8(ptr) : void 0);
  }
  function bytesLeft(fd, scratch) {
    const left = withScratch(scratch, 64, (ptr) => {
      if (p1.fd_filestat_get(fd, ptr) !== ERRNO_SUCCESS) return 0n;
      const size = view().getBigUint64(ptr + 32, true);
      if (p1.fd_tell(fd, ptr) !== ERRNO_SUCCESS) return 0n;
      const position = view().getBigUint64(ptr, true);
      return size > position ? size - position : 0n;
    });
    return left ?? 0n;
  }
  function writeEvents(out, ready, nevents) {
    const v = view();
    ready.forEach(({ sub, error, nbytes }, i) => {
      const at = out + i * EVENT_SIZE;
      for (let b = 0; b < EVENT_SIZE; b += 8) v.setBigUint64(at + b, 0n, true);
      v.setBigUint64(at, sub.userdata, true);
      v.setUint16(at + 8, error, true);
      v.setUint8(at + 10, sub.type);
      if (nbytes !== void 0) v.setBigUint64(at + 16, nbytes, true);
    });
    v.setUint32(nevents, ready.length, true);
    return ERRNO_SUCCESS;
  }
  function pollOneoff(inPtr, out, nsubscriptions, nevents) {
    const original = () => p1.poll_oneoff(inPtr, out, nsubscriptions, nevents);
    const size = mem().buffer.byteLength;
    if (nsubscriptions === 0 || inPtr + nsubscriptions * SUBSCRIPTION_SIZE > size || out + nsubscriptions * EVENT_SIZE > size || nevents + 4 > size) {
      return original();
    }
    const now = process.hrtime.bigint();
    const subs = [];
    for (let i = 0; i < nsubscriptions; i++) {
      const offset = inPtr + i * SUBSCRIPTION_SIZE;
      const v = view();
      const sub = { offset, userdata: v.getBigUint64(offset, true), type: v.getUint8(offset + 8) };
      if (sub.type === EVENTTYPE_CLOCK) {
        const id = v.getUint32(offset + 16, true);
        const timeout = v.getBigUint64(offset + 24, true);
        const absolute = (v.getUint16(offset + 40, true) & SUBSCRIPTION_CLOCK_ABSTIME) !== 0;
        const clock = clockNow(id);
        if (clock === void 0) sub.error = ERRNO_INVAL;
        else {
          const wait = absolute ? timeout - clock : timeout;
          sub.deadline = now + (wait > 0n ? wait : 0n);
        }
      } else if (sub.type === EVENTTYPE_FD_READ || sub.type === EVENTTYPE_FD_WRITE) {
        sub.fd = v.getUint32(offset + 16, true);
      } else {
        return original();
      }
      subs.push(sub);
    }
    const ready = [];
    const pending = [];
    for (const sub of subs) {
      if (sub.fd !== void 0) {
        const type = fileType(sub.fd, out);
        if (type === void 0) ready.push({ sub, error: ERRNO_BADF });
        else if (type === FILETYPE_REGULAR_FILE || type === FILETYPE_DIRECTORY || type === FILETYPE_BLOCK_DEVICE) {
          const nbytes = sub.type === EVENTTYPE_FD_READ && type === FILETYPE_REGULAR_FILE ? bytesLeft(sub.fd, out) : 0n;
          ready.push({ sub, error: ERRNO_SUCCESS, nbytes });
        } else pending.push(sub);
      } else if (sub.error !== void 0) ready.push({ sub, error: sub.error });
      else if (sub.deadline <= now) ready.push({ sub, error: ERRNO_SUCCESS });
    }
    const clocks = subs.filter((s) => s.deadline !== void 0);
    const earliest = clocks.reduce((min, s) => min === void 0 || s.deadline < min ? s.deadline : min, void 0);
    if (pending.length > 0) {
      const wait = ready.length > 0 ? 0n : earliest === void 0 ? void 0 : earliest > now ? earliest - now : 0n;
      const polled = pollStreams(pending, wait);
      if (typeof polled === "number") return polled;
      ready.push(...polled);
    }
    if (ready.length === 0 && earliest !== void 0) {
      sleepUntil(earliest);
      const after = process.hrtime.bigint();
      ready.push(...clocks.filter((s) => s.deadline <= after).map((sub) => ({ sub, error: ERRNO_SUCCESS })));
    }
    return writeEvents(
      out,
      ready.sort((a, b) => a.sub.offset - b.sub.offset),
      nevents
    );
  }
  function pollStreams(pending, wait) {
    const count = pending.length + (wait === void 0 ? 0 : 1);
    const size = count * (SUBSCRIPTION_SIZE + EVENT_SIZE) + 8;
    const scratch = mem().buffer.byteLength - 128 - size;
    const result = withScratch(scratch, size, (subsPtr) => {
      const bytes = new Uint8Array(mem().buffer);
      const v = view();
      const outPtr = subsPtr + count * SUBSCRIPTION_SIZE;
      const neventsPtr = outPtr + count * EVENT_SIZE;
      pending.forEach((sub, i) => {
        const at = subsPtr + i * SUBSCRIPTION_SIZE;
        bytes.copyWithin(at, sub.offset, sub.offset + SUBSCRIPTION_SIZE);
        v.setBigUint64(at, BigInt(i), true);
      });
      if (wait !== void 0) {
        const at = subsPtr + pending.length * SUBSCRIPTION_SIZE;
        bytes.fill(0, at, at + SUBSCRIPTION_SIZE);
        v.setBigUint64(at, BigInt(pending.length), true);
        v.setUint32(at + 16, 1, true);
        v.setBigUint64(at + 24, (wait + 999999n) / 1000000n * 1000000n, true);
      }
      const errno = p1.poll_oneoff(subsPtr, outPtr, count, neventsPtr);
      if (errno === ERRNO_PERM) return pending.map((sub) => ({ sub, error: ERRNO_SUCCESS, nbytes: 0n }));
      if (errno !== ERRNO_SUCCESS) return errno;
      const got = [];
      const after = view();
      for (let e = 0; e < after.getUint32(neventsPtr, true); e++) {
        const at = outPtr + e * EVENT_SIZE;
        const sub = pending[Number(after.getBigUint64(at, true))];
        if (sub) got.push({ sub, error: after.getUint16(at + 8, true), nbytes: after.getBigUint64(at + 16, true) });
      }
      return got;
    });
    return result ?? ERRNO_INVAL;
  }
  function fdReaddir(fd, buf, bufLen, cookie, bufused) {
    if (cookie >= 2n) {
      const errno2 = p1.fd_readdir(fd, buf, bufLen, cookie - 2n, bufused);
      if (errno2 === ERRNO_SUCCESS) shiftCookies(fd, buf, view().getUint32(bufused, true));
      return errno2;
    }
    const dots = [".", ".."].slice(Number(cookie));
    const inode = withScratch(
      buf,
      64,
      (ptr) => p1.fd_filestat_get(fd, ptr) === ERRNO_SUCCESS && view().getUint8(ptr + 16) === FILETYPE_DIRECTORY ? view().getBigUint64(ptr + 8, true) : void 0
    );
    if (inode === void 0) return p1.fd_readdir(fd, buf, bufLen, cookie, bufused);
    const head = new Uint8Array(dots.reduce((n, name) => n + 24 + name.length, 0));
    const hv = new DataView(head.buffer);
    let at = 0;
    for (const name of dots) {
      hv.setBigUint64(at, name === "." ? 1n : 2n, true);
      hv.setBigUint64(at + 8, inode, true);
      hv.setUint32(at + 16, name.length, true);
      hv.setUint8(at + 20, FILETYPE_DIRECTORY);
      head.set(Buffer.from(name), at + 24);
      at += 24 + name.length;
    }
    const bytes = new Uint8Array(mem().buffer);
    if (bufLen <= head.length) {
      bytes.set(head.subarray(0, bufLen), buf);
      view().setUint32(bufused, bufLen, true);
      return ERRNO_SUCCESS;
    }
    const errno = p1.fd_readdir(fd, buf + head.length, bufLen - head.length, 0n, bufused);
    if (errno !== ERRNO_SUCCESS) return errno;
    const used = view().getUint32(bufused, true);
    shiftCookies(fd, buf + head.length, used);
    new Uint8Array(mem().buffer).set(head, buf);
    view().setUint32(bufused, used + head.length, true);
    return ERRNO_SUCCESS;
  }
  function shiftCookies(fd, buf, used) {
    for (let at = 0; at + 24 <= used; at += 24 + view().getUint32(buf + at + 16, true)) {
      const v = view();
      v.setBigUint64(buf + at, v.getBigUint64(buf + at, true) + 2n, true);
      const length = v.getUint32(buf + at + 16, true);
      if (v.getBigUint64(buf + at + 8, true) !== 0n || at + 24 + length > used) continue;
      const name = new Uint8Array(mem().buffer).slice(buf + at + 24, buf + at + 24 + length);
      const scratch = mem().buffer.byteLength - 128 - length;
      const ino = withScratch(scratch, 128 + length, (ptr) => {
        new Uint8Array(mem().buffer).set(name, ptr + 64);
        return p1.path_filestat_get(fd, 0, ptr + 64, length, ptr) === ERRNO_SUCCESS ? view().getBigUint64(ptr + 8, true) : 0n;
      });
      view().setBigUint64(buf + at + 8, ino ?? 0n, true);
    }
  }
  function fdstatGet(fd, stat) {
    const errno = p1.fd_fdstat_get(fd, stat);
    if (errno !== ERRNO_SUCCESS) return errno;
    const v = view();
    const host = v.getUint16(stat + 2, true);
    const flags = (host & 1024 ? 1 : 0) | (host & 4096 ? 2 : 0) | (host & 2048 ? 4 : 0);
    v.setUint16(stat + 2, flags, true);
    return ERRNO_SUCCESS;
  }
  const corrected = { poll_oneoff: pollOneoff, fd_readdir: fdReaddir, fd_fdstat_get: fdstatGet };
  return Object.fromEntries(
    Object.entries(corrected).map(([name, fn]) => [name, (...args) => memory() ? fn(...args) : p1[name](...args)])
  );
}

// src/runtime/embedded/p1-host.ts
var ERRNO_PERM2 = 63;
function guardedImports(wasi2, memory) {
  const p1 = wasi2.getImportObject().wasi_snapshot_preview1;
  return {
    wasi_snapshot_preview1: {
      ...p1,
      // node:wasi's departures from the WASI P1 spec, corrected (p1-conformance.ts).
      ...conformingP1(p1, memory),
      // node:wasi ends the guest by throwing a private symbol that only wasi.start() catches: from a start function
      // (run by instantiate) it would surface as a host error. The status is kept so the exit is the guest's.
      proc_exit: (code) => {
        exitedWith = code >>> 0;
        return p1.proc_exit(code);
      },
      path_symlink: () => ERRNO_PERM2,
      path_link: () => ERRNO_PERM2,
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
var exitedWith;
var compiled = false;
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
  compiled = true;
  instance = await WebAssembly.instantiate(
    module,
    guardedImports(wasi, () => instance?.exports.memory)
  );
  trackMemories(instance);
  started(config, Math.round(performance.now() - compileStart));
} catch (e) {
  if (exitedWith !== void 0) finish(config, { outcome: "exit", code: exitedWith });
  reportThrown(config, e, compiled && e instanceof WebAssembly.RuntimeError ? "run" : "link");
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
