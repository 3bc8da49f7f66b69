import { createRequire as __wpc_createRequire } from 'node:module';
import { fileURLToPath as __wpc_fileURLToPath } from 'node:url';
import { dirname as __wpc_dirname } from 'node:path';
var require = __wpc_createRequire(import.meta.url);
var __filename = __wpc_fileURLToPath(import.meta.url);
var __dirname = __wpc_dirname(__filename);
var __defProp = Object.defineProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/runtime/embedded/lazy-worker.ts
import { syncBuiltinESMExports } from "node:module";
import workerThreads from "node:worker_threads";
var RealWorker = workerThreads.Worker;
var workersStarted = 0;
var LazyWorker = class {
  constructor(url, options) {
    this.url = url;
    this.options = options;
  }
  url;
  options;
  #real;
  #listeners = [];
  #unref = false;
  #start() {
    if (!this.#real) {
      workersStarted++;
      this.#real = new RealWorker(this.url, this.options);
      for (const [event, listener] of this.#listeners) this.#real.on(event, listener);
      if (this.#unref) this.#real.unref();
    }
    return this.#real;
  }
  on(event, listener) {
    if (this.#real) this.#real.on(event, listener);
    else this.#listeners.push([event, listener]);
    return this;
  }
  postMessage(value, transferList) {
    this.#start().postMessage(value, transferList);
  }
  unref() {
    this.#unref = true;
    this.#real?.unref();
  }
  ref() {
    this.#unref = false;
    this.#real?.ref();
  }
  terminate() {
    return this.#real ? this.#real.terminate() : Promise.resolve(0);
  }
};
workerThreads.Worker = LazyWorker;
syncBuiltinESMExports();
function restoreWorker() {
  workerThreads.Worker = RealWorker;
  syncBuiltinESMExports();
}

// src/runtime/embedded/p2-host.ts
import { readdirSync, readFileSync as readFileSync2, readSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

// node_modules/@bytecodealliance/preview2-shim/dist/nodejs/cli.js
var cli_exports = {};
__export(cli_exports, {
  _appendEnv: () => _appendEnv,
  _setArgs: () => _setArgs,
  _setCwd: () => _setCwd,
  _setEnv: () => _setEnv,
  _setStderr: () => _setStderr,
  _setStdin: () => _setStdin,
  _setStdout: () => _setStdout,
  _setTerminalStderr: () => _setTerminalStderr,
  _setTerminalStdin: () => _setTerminalStdin,
  _setTerminalStdout: () => _setTerminalStdout,
  environment: () => environment,
  exit: () => exit2,
  stderr: () => stderr2,
  stdin: () => stdin,
  stdout: () => stdout2,
  terminalInput: () => terminalInput,
  terminalOutput: () => terminalOutput,
  terminalStderr: () => terminalStderr,
  terminalStdin: () => terminalStdin,
  terminalStdout: () => terminalStdout
});
import process2, { argv, env as env2, cwd } from "node:process";

// node_modules/@bytecodealliance/preview2-shim/dist/io/worker-io.js
import { Worker } from "node:worker_threads";

// node_modules/@bytecodealliance/preview2-shim/dist/synckit/index.js
import { MessageChannel, receiveMessageOnPort, workerData, parentPort } from "node:worker_threads";
var DEFAULT_WORKER_BUFFER_SIZE = 1024;
var CALL_TIMEOUT = void 0;
function createSyncFn(createWorker, debug, callbackHandler) {
  const { port1: mainPort, port2: workerPort } = new MessageChannel();
  const worker = createWorker({
    workerData: { workerPort, debug },
    transferList: [workerPort],
    execArgv: []
  });
  worker.on("message", ({ type, id, payload }) => {
    if (!type) {
      throw new Error("Internal error: Expected a type of a worker callback");
    }
    callbackHandler(type, id, payload);
  });
  let nextID = 0;
  const syncFn = (...args) => {
    const cid = nextID++;
    const sharedBuffer = new SharedArrayBuffer(DEFAULT_WORKER_BUFFER_SIZE);
    const sharedBufferView = new Int32Array(sharedBuffer);
    const msg = { sharedBuffer, cid, args };
    worker.postMessage(msg);
    const status = Atomics.wait(sharedBufferView, 0, 0, CALL_TIMEOUT);
    if (!["ok", "not-equal"].includes(status)) {
      throw new Error("Internal error: Atomics.wait() failed: " + status);
    }
    const { cid: cid2, result, error: error2, properties } = receiveMessageOnPort(mainPort)?.message ?? {};
    if (cid !== cid2) {
      throw new Error(`Internal error: Expected id ${cid} but got id ${cid2}`);
    }
    if (error2) {
      if (error2 instanceof Error) {
        throw Object.assign(error2, properties);
      }
      throw error2;
    }
    return result;
  };
  if (worker.unref) {
    worker.unref();
  }
  return syncFn;
}

// node_modules/@bytecodealliance/preview2-shim/dist/io/calls.js
var calls_exports = {};
__export(calls_exports, {
  CALL_MASK: () => CALL_MASK,
  CALL_SHIFT: () => CALL_SHIFT,
  CALL_TYPE_MASK: () => CALL_TYPE_MASK,
  CLOCKS: () => CLOCKS,
  CLOCKS_DURATION_SUBSCRIBE: () => CLOCKS_DURATION_SUBSCRIBE,
  CLOCKS_INSTANT_SUBSCRIBE: () => CLOCKS_INSTANT_SUBSCRIBE,
  FILE: () => FILE,
  FILESYSTEM_DESCRIPTOR_ADVISE: () => FILESYSTEM_DESCRIPTOR_ADVISE,
  FILESYSTEM_DESCRIPTOR_CLOSE: () => FILESYSTEM_DESCRIPTOR_CLOSE,
  FILESYSTEM_DESCRIPTOR_GET_TYPE: () => FILESYSTEM_DESCRIPTOR_GET_TYPE,
  FILESYSTEM_DESCRIPTOR_METADATA_HASH: () => FILESYSTEM_DESCRIPTOR_METADATA_HASH,
  FILESYSTEM_DESCRIPTOR_OPEN: () => FILESYSTEM_DESCRIPTOR_OPEN,
  FILESYSTEM_DESCRIPTOR_READ: () => FILESYSTEM_DESCRIPTOR_READ,
  FILESYSTEM_DESCRIPTOR_SET_SIZE: () => FILESYSTEM_DESCRIPTOR_SET_SIZE,
  FILESYSTEM_DESCRIPTOR_SET_TIMES: () => FILESYSTEM_DESCRIPTOR_SET_TIMES,
  FILESYSTEM_DESCRIPTOR_STAT: () => FILESYSTEM_DESCRIPTOR_STAT,
  FILESYSTEM_DESCRIPTOR_SYNC: () => FILESYSTEM_DESCRIPTOR_SYNC,
  FILESYSTEM_DESCRIPTOR_SYNC_DATA: () => FILESYSTEM_DESCRIPTOR_SYNC_DATA,
  FILESYSTEM_DESCRIPTOR_WRITE: () => FILESYSTEM_DESCRIPTOR_WRITE,
  FUTURE_DISPOSE: () => FUTURE_DISPOSE,
  FUTURE_SUBSCRIBE: () => FUTURE_SUBSCRIBE,
  FUTURE_TAKE_VALUE: () => FUTURE_TAKE_VALUE,
  HTTP: () => HTTP,
  HTTP_CREATE_REQUEST: () => HTTP_CREATE_REQUEST,
  HTTP_OUTGOING_BODY_DISPOSE: () => HTTP_OUTGOING_BODY_DISPOSE,
  HTTP_OUTPUT_STREAM_FINISH: () => HTTP_OUTPUT_STREAM_FINISH,
  HTTP_SERVER_CLEAR_OUTGOING_RESPONSE: () => HTTP_SERVER_CLEAR_OUTGOING_RESPONSE,
  HTTP_SERVER_GET_ADDRESS: () => HTTP_SERVER_GET_ADDRESS,
  HTTP_SERVER_INCOMING_HANDLER: () => HTTP_SERVER_INCOMING_HANDLER,
  HTTP_SERVER_SET_OUTGOING_RESPONSE: () => HTTP_SERVER_SET_OUTGOING_RESPONSE,
  HTTP_SERVER_START: () => HTTP_SERVER_START,
  HTTP_SERVER_STOP: () => HTTP_SERVER_STOP,
  INPUT_STREAM_BLOCKING_READ: () => INPUT_STREAM_BLOCKING_READ,
  INPUT_STREAM_BLOCKING_SKIP: () => INPUT_STREAM_BLOCKING_SKIP,
  INPUT_STREAM_CREATE: () => INPUT_STREAM_CREATE,
  INPUT_STREAM_DISPOSE: () => INPUT_STREAM_DISPOSE,
  INPUT_STREAM_READ: () => INPUT_STREAM_READ,
  INPUT_STREAM_SKIP: () => INPUT_STREAM_SKIP,
  INPUT_STREAM_SUBSCRIBE: () => INPUT_STREAM_SUBSCRIBE,
  OUTPUT_STREAM_BLOCKING_FLUSH: () => OUTPUT_STREAM_BLOCKING_FLUSH,
  OUTPUT_STREAM_BLOCKING_SPLICE: () => OUTPUT_STREAM_BLOCKING_SPLICE,
  OUTPUT_STREAM_BLOCKING_WRITE_AND_FLUSH: () => OUTPUT_STREAM_BLOCKING_WRITE_AND_FLUSH,
  OUTPUT_STREAM_BLOCKING_WRITE_ZEROES_AND_FLUSH: () => OUTPUT_STREAM_BLOCKING_WRITE_ZEROES_AND_FLUSH,
  OUTPUT_STREAM_CHECK_WRITE: () => OUTPUT_STREAM_CHECK_WRITE,
  OUTPUT_STREAM_CREATE: () => OUTPUT_STREAM_CREATE,
  OUTPUT_STREAM_DISPOSE: () => OUTPUT_STREAM_DISPOSE,
  OUTPUT_STREAM_FLUSH: () => OUTPUT_STREAM_FLUSH,
  OUTPUT_STREAM_GET_TOTAL_BYTES: () => OUTPUT_STREAM_GET_TOTAL_BYTES,
  OUTPUT_STREAM_SPLICE: () => OUTPUT_STREAM_SPLICE,
  OUTPUT_STREAM_SUBSCRIBE: () => OUTPUT_STREAM_SUBSCRIBE,
  OUTPUT_STREAM_WRITE: () => OUTPUT_STREAM_WRITE,
  OUTPUT_STREAM_WRITE_ZEROES: () => OUTPUT_STREAM_WRITE_ZEROES,
  POLL_POLLABLE_BLOCK: () => POLL_POLLABLE_BLOCK,
  POLL_POLLABLE_DISPOSE: () => POLL_POLLABLE_DISPOSE,
  POLL_POLLABLE_READY: () => POLL_POLLABLE_READY,
  POLL_POLL_LIST: () => POLL_POLL_LIST,
  SOCKET_DATAGRAM_STREAM_DISPOSE: () => SOCKET_DATAGRAM_STREAM_DISPOSE,
  SOCKET_DATAGRAM_STREAM_SUBSCRIBE: () => SOCKET_DATAGRAM_STREAM_SUBSCRIBE,
  SOCKET_GET_DEFAULT_RECEIVE_BUFFER_SIZE: () => SOCKET_GET_DEFAULT_RECEIVE_BUFFER_SIZE,
  SOCKET_GET_DEFAULT_SEND_BUFFER_SIZE: () => SOCKET_GET_DEFAULT_SEND_BUFFER_SIZE,
  SOCKET_INCOMING_DATAGRAM_STREAM_RECEIVE: () => SOCKET_INCOMING_DATAGRAM_STREAM_RECEIVE,
  SOCKET_OUTGOING_DATAGRAM_STREAM_CHECK_SEND: () => SOCKET_OUTGOING_DATAGRAM_STREAM_CHECK_SEND,
  SOCKET_OUTGOING_DATAGRAM_STREAM_SEND: () => SOCKET_OUTGOING_DATAGRAM_STREAM_SEND,
  SOCKET_RESOLVE_ADDRESS_CREATE_REQUEST: () => SOCKET_RESOLVE_ADDRESS_CREATE_REQUEST,
  SOCKET_RESOLVE_ADDRESS_DISPOSE_REQUEST: () => SOCKET_RESOLVE_ADDRESS_DISPOSE_REQUEST,
  SOCKET_RESOLVE_ADDRESS_SUBSCRIBE_REQUEST: () => SOCKET_RESOLVE_ADDRESS_SUBSCRIBE_REQUEST,
  SOCKET_RESOLVE_ADDRESS_TAKE_REQUEST: () => SOCKET_RESOLVE_ADDRESS_TAKE_REQUEST,
  SOCKET_TCP: () => SOCKET_TCP,
  SOCKET_TCP_ACCEPT: () => SOCKET_TCP_ACCEPT,
  SOCKET_TCP_BIND_FINISH: () => SOCKET_TCP_BIND_FINISH,
  SOCKET_TCP_BIND_START: () => SOCKET_TCP_BIND_START,
  SOCKET_TCP_CONNECT_FINISH: () => SOCKET_TCP_CONNECT_FINISH,
  SOCKET_TCP_CONNECT_START: () => SOCKET_TCP_CONNECT_START,
  SOCKET_TCP_CREATE_HANDLE: () => SOCKET_TCP_CREATE_HANDLE,
  SOCKET_TCP_DISPOSE: () => SOCKET_TCP_DISPOSE,
  SOCKET_TCP_GET_LOCAL_ADDRESS: () => SOCKET_TCP_GET_LOCAL_ADDRESS,
  SOCKET_TCP_GET_REMOTE_ADDRESS: () => SOCKET_TCP_GET_REMOTE_ADDRESS,
  SOCKET_TCP_IS_LISTENING: () => SOCKET_TCP_IS_LISTENING,
  SOCKET_TCP_LISTEN_FINISH: () => SOCKET_TCP_LISTEN_FINISH,
  SOCKET_TCP_LISTEN_START: () => SOCKET_TCP_LISTEN_START,
  SOCKET_TCP_SET_KEEP_ALIVE: () => SOCKET_TCP_SET_KEEP_ALIVE,
  SOCKET_TCP_SET_LISTEN_BACKLOG_SIZE: () => SOCKET_TCP_SET_LISTEN_BACKLOG_SIZE,
  SOCKET_TCP_SHUTDOWN: () => SOCKET_TCP_SHUTDOWN,
  SOCKET_TCP_SUBSCRIBE: () => SOCKET_TCP_SUBSCRIBE,
  SOCKET_UDP: () => SOCKET_UDP,
  SOCKET_UDP_BIND_FINISH: () => SOCKET_UDP_BIND_FINISH,
  SOCKET_UDP_BIND_START: () => SOCKET_UDP_BIND_START,
  SOCKET_UDP_CREATE_HANDLE: () => SOCKET_UDP_CREATE_HANDLE,
  SOCKET_UDP_DISPOSE: () => SOCKET_UDP_DISPOSE,
  SOCKET_UDP_GET_LOCAL_ADDRESS: () => SOCKET_UDP_GET_LOCAL_ADDRESS,
  SOCKET_UDP_GET_RECEIVE_BUFFER_SIZE: () => SOCKET_UDP_GET_RECEIVE_BUFFER_SIZE,
  SOCKET_UDP_GET_REMOTE_ADDRESS: () => SOCKET_UDP_GET_REMOTE_ADDRESS,
  SOCKET_UDP_GET_SEND_BUFFER_SIZE: () => SOCKET_UDP_GET_SEND_BUFFER_SIZE,
  SOCKET_UDP_GET_UNICAST_HOP_LIMIT: () => SOCKET_UDP_GET_UNICAST_HOP_LIMIT,
  SOCKET_UDP_SET_RECEIVE_BUFFER_SIZE: () => SOCKET_UDP_SET_RECEIVE_BUFFER_SIZE,
  SOCKET_UDP_SET_SEND_BUFFER_SIZE: () => SOCKET_UDP_SET_SEND_BUFFER_SIZE,
  SOCKET_UDP_SET_UNICAST_HOP_LIMIT: () => SOCKET_UDP_SET_UNICAST_HOP_LIMIT,
  SOCKET_UDP_STREAM: () => SOCKET_UDP_STREAM,
  SOCKET_UDP_SUBSCRIBE: () => SOCKET_UDP_SUBSCRIBE,
  STDERR: () => STDERR,
  STDIN: () => STDIN,
  STDOUT: () => STDOUT,
  WORKER_EXTENSION_CALL: () => WORKER_EXTENSION_CALL,
  reverseMap: () => reverseMap
});
var call_id = 0;
var CALL_MASK = 4278190080;
var CALL_TYPE_MASK = 16777215;
var CALL_SHIFT = 24;
var cnt = 0;
var STDIN = ++cnt;
var STDOUT = ++cnt;
var STDERR = ++cnt;
var FILE = ++cnt;
var HTTP = ++cnt;
var SOCKET_TCP = ++cnt;
var SOCKET_UDP = ++cnt;
var CLOCKS = ++cnt;
var INPUT_STREAM_CREATE = ++call_id << CALL_SHIFT;
var INPUT_STREAM_READ = ++call_id << CALL_SHIFT;
var INPUT_STREAM_BLOCKING_READ = ++call_id << CALL_SHIFT;
var INPUT_STREAM_SKIP = ++call_id << CALL_SHIFT;
var INPUT_STREAM_BLOCKING_SKIP = ++call_id << CALL_SHIFT;
var INPUT_STREAM_SUBSCRIBE = ++call_id << CALL_SHIFT;
var INPUT_STREAM_DISPOSE = ++call_id << CALL_SHIFT;
var OUTPUT_STREAM_CREATE = ++call_id << CALL_SHIFT;
var OUTPUT_STREAM_CHECK_WRITE = ++call_id << CALL_SHIFT;
var OUTPUT_STREAM_WRITE = ++call_id << CALL_SHIFT;
var OUTPUT_STREAM_BLOCKING_WRITE_AND_FLUSH = ++call_id << CALL_SHIFT;
var OUTPUT_STREAM_FLUSH = ++call_id << CALL_SHIFT;
var OUTPUT_STREAM_BLOCKING_FLUSH = ++call_id << CALL_SHIFT;
var OUTPUT_STREAM_WRITE_ZEROES = ++call_id << CALL_SHIFT;
var OUTPUT_STREAM_BLOCKING_WRITE_ZEROES_AND_FLUSH = ++call_id << CALL_SHIFT;
var OUTPUT_STREAM_SPLICE = ++call_id << CALL_SHIFT;
var OUTPUT_STREAM_BLOCKING_SPLICE = ++call_id << CALL_SHIFT;
var OUTPUT_STREAM_SUBSCRIBE = ++call_id << CALL_SHIFT;
var OUTPUT_STREAM_DISPOSE = ++call_id << CALL_SHIFT;
var OUTPUT_STREAM_GET_TOTAL_BYTES = ++call_id << CALL_SHIFT;
var FILESYSTEM_DESCRIPTOR_OPEN = ++call_id << CALL_SHIFT;
var FILESYSTEM_DESCRIPTOR_CLOSE = ++call_id << CALL_SHIFT;
var FILESYSTEM_DESCRIPTOR_ADVISE = ++call_id << CALL_SHIFT;
var FILESYSTEM_DESCRIPTOR_SYNC_DATA = ++call_id << CALL_SHIFT;
var FILESYSTEM_DESCRIPTOR_GET_TYPE = ++call_id << CALL_SHIFT;
var FILESYSTEM_DESCRIPTOR_SET_SIZE = ++call_id << CALL_SHIFT;
var FILESYSTEM_DESCRIPTOR_SET_TIMES = ++call_id << CALL_SHIFT;
var FILESYSTEM_DESCRIPTOR_READ = ++call_id << CALL_SHIFT;
var FILESYSTEM_DESCRIPTOR_WRITE = ++call_id << CALL_SHIFT;
var FILESYSTEM_DESCRIPTOR_SYNC = ++call_id << CALL_SHIFT;
var FILESYSTEM_DESCRIPTOR_STAT = ++call_id << CALL_SHIFT;
var FILESYSTEM_DESCRIPTOR_METADATA_HASH = ++call_id << CALL_SHIFT;
var POLL_POLLABLE_READY = ++call_id << CALL_SHIFT;
var POLL_POLLABLE_BLOCK = ++call_id << CALL_SHIFT;
var POLL_POLLABLE_DISPOSE = ++call_id << CALL_SHIFT;
var POLL_POLL_LIST = ++call_id << CALL_SHIFT;
var FUTURE_DISPOSE = ++call_id << CALL_SHIFT;
var FUTURE_TAKE_VALUE = ++call_id << CALL_SHIFT;
var FUTURE_SUBSCRIBE = ++call_id << CALL_SHIFT;
var HTTP_CREATE_REQUEST = ++call_id << 24;
var HTTP_OUTPUT_STREAM_FINISH = ++call_id << CALL_SHIFT;
var HTTP_SERVER_START = ++call_id << CALL_SHIFT;
var HTTP_SERVER_STOP = ++call_id << CALL_SHIFT;
var HTTP_SERVER_INCOMING_HANDLER = ++call_id << CALL_SHIFT;
var HTTP_SERVER_SET_OUTGOING_RESPONSE = ++call_id << CALL_SHIFT;
var HTTP_SERVER_CLEAR_OUTGOING_RESPONSE = ++call_id << CALL_SHIFT;
var HTTP_SERVER_GET_ADDRESS = ++call_id << CALL_SHIFT;
var HTTP_OUTGOING_BODY_DISPOSE = ++call_id << CALL_SHIFT;
var CLOCKS_DURATION_SUBSCRIBE = ++call_id << CALL_SHIFT;
var CLOCKS_INSTANT_SUBSCRIBE = ++call_id << CALL_SHIFT;
var SOCKET_TCP_CREATE_HANDLE = ++call_id << CALL_SHIFT;
var SOCKET_TCP_BIND_START = ++call_id << CALL_SHIFT;
var SOCKET_TCP_BIND_FINISH = ++call_id << CALL_SHIFT;
var SOCKET_TCP_CONNECT_START = ++call_id << CALL_SHIFT;
var SOCKET_TCP_CONNECT_FINISH = ++call_id << CALL_SHIFT;
var SOCKET_TCP_SUBSCRIBE = ++call_id << CALL_SHIFT;
var SOCKET_TCP_LISTEN_START = ++call_id << CALL_SHIFT;
var SOCKET_TCP_LISTEN_FINISH = ++call_id << CALL_SHIFT;
var SOCKET_TCP_IS_LISTENING = ++call_id << CALL_SHIFT;
var SOCKET_TCP_ACCEPT = ++call_id << CALL_SHIFT;
var SOCKET_TCP_GET_LOCAL_ADDRESS = ++call_id << CALL_SHIFT;
var SOCKET_TCP_GET_REMOTE_ADDRESS = ++call_id << CALL_SHIFT;
var SOCKET_TCP_SET_KEEP_ALIVE = ++call_id << CALL_SHIFT;
var SOCKET_TCP_SET_LISTEN_BACKLOG_SIZE = ++call_id << CALL_SHIFT;
var SOCKET_TCP_SHUTDOWN = ++call_id << CALL_SHIFT;
var SOCKET_TCP_DISPOSE = ++call_id << CALL_SHIFT;
var SOCKET_UDP_CREATE_HANDLE = ++call_id << CALL_SHIFT;
var SOCKET_UDP_BIND_START = ++call_id << CALL_SHIFT;
var SOCKET_UDP_BIND_FINISH = ++call_id << CALL_SHIFT;
var SOCKET_UDP_STREAM = ++call_id << CALL_SHIFT;
var SOCKET_UDP_SUBSCRIBE = ++call_id << CALL_SHIFT;
var SOCKET_UDP_DISPOSE = ++call_id << CALL_SHIFT;
var SOCKET_UDP_GET_LOCAL_ADDRESS = ++call_id << CALL_SHIFT;
var SOCKET_UDP_GET_RECEIVE_BUFFER_SIZE = ++call_id << CALL_SHIFT;
var SOCKET_UDP_GET_REMOTE_ADDRESS = ++call_id << CALL_SHIFT;
var SOCKET_UDP_GET_SEND_BUFFER_SIZE = ++call_id << CALL_SHIFT;
var SOCKET_UDP_GET_UNICAST_HOP_LIMIT = ++call_id << CALL_SHIFT;
var SOCKET_UDP_SET_RECEIVE_BUFFER_SIZE = ++call_id << CALL_SHIFT;
var SOCKET_UDP_SET_SEND_BUFFER_SIZE = ++call_id << CALL_SHIFT;
var SOCKET_UDP_SET_UNICAST_HOP_LIMIT = ++call_id << CALL_SHIFT;
var SOCKET_INCOMING_DATAGRAM_STREAM_RECEIVE = ++call_id << CALL_SHIFT;
var SOCKET_OUTGOING_DATAGRAM_STREAM_CHECK_SEND = ++call_id << CALL_SHIFT;
var SOCKET_OUTGOING_DATAGRAM_STREAM_SEND = ++call_id << CALL_SHIFT;
var SOCKET_DATAGRAM_STREAM_SUBSCRIBE = ++call_id << CALL_SHIFT;
var SOCKET_DATAGRAM_STREAM_DISPOSE = ++call_id << CALL_SHIFT;
var SOCKET_GET_DEFAULT_SEND_BUFFER_SIZE = ++call_id << CALL_SHIFT;
var SOCKET_GET_DEFAULT_RECEIVE_BUFFER_SIZE = ++call_id << CALL_SHIFT;
var SOCKET_RESOLVE_ADDRESS_CREATE_REQUEST = ++call_id << CALL_SHIFT;
var SOCKET_RESOLVE_ADDRESS_TAKE_REQUEST = ++call_id << CALL_SHIFT;
var SOCKET_RESOLVE_ADDRESS_SUBSCRIBE_REQUEST = ++call_id << CALL_SHIFT;
var SOCKET_RESOLVE_ADDRESS_DISPOSE_REQUEST = ++call_id << CALL_SHIFT;
var WORKER_EXTENSION_CALL = ++call_id << CALL_SHIFT;
var reverseMap = {};
for (const name of Object.getOwnPropertyNames(calls_exports)) {
  if (name === "reverseMap") {
    continue;
  }
  reverseMap[calls_exports[name]] = name;
}

// node_modules/@bytecodealliance/preview2-shim/dist/io/worker-io.js
import nodeProcess, { exit, stderr, stdout, env } from "node:process";
var symbolDispose = Symbol.dispose || /* @__PURE__ */ Symbol.for("dispose");
var _rawDebug = "_rawDebug" in nodeProcess ? nodeProcess._rawDebug : console.error.bind(console);
var httpIncomingHandlers = /* @__PURE__ */ new Map();
function registerIncomingHttpHandler(id, handler) {
  httpIncomingHandlers.set(id, handler);
}
var instanceId = Math.round(Math.random() * 1e3).toString();
var DEBUG_DEFAULT = false;
var DEBUG = env.PREVIEW2_SHIM_DEBUG === "0" ? false : env.PREVIEW2_SHIM_DEBUG === "1" ? true : DEBUG_DEFAULT;
var ioCall = createSyncFn((options) => new Worker(new URL("./worker-thread.bundle.js", import.meta.url), options), DEBUG, (type, id, payload) => {
  if (type !== HTTP_SERVER_INCOMING_HANDLER) {
    throw new Error("Internal error: only incoming handler callback is permitted");
  }
  const handler = httpIncomingHandlers.get(id);
  if (!handler) {
    throw new Error(`Internal error: no incoming handler registered for server ${id}`);
  }
  handler(payload);
});
if (DEBUG) {
  const _ioCall = ioCall;
  ioCall = function ioCall2(num, id, payload) {
    if (typeof id !== "number" && id !== null) {
      throw new Error("id must be a number or null");
    }
    let ret;
    try {
      _rawDebug(instanceId, reverseMap[num & CALL_MASK], reverseMap[num & CALL_TYPE_MASK], id, payload);
      ret = _ioCall(num, id, payload);
      return ret;
    } catch (e) {
      ret = e;
      throw ret;
    } finally {
      _rawDebug(instanceId, "->", ret);
    }
  };
}
var finalizationRegistry = new FinalizationRegistry((dispose) => void dispose());
var dummySymbol = /* @__PURE__ */ Symbol();
function registerDispose(resource, parentResource, id, disposeFn) {
  function finalizer() {
    if (parentResource?.[dummySymbol]) {
      return;
    }
    disposeFn(id);
  }
  finalizationRegistry.register(resource, finalizer, finalizer);
  return finalizer;
}
function earlyDispose(finalizer) {
  finalizationRegistry.unregister(finalizer);
  finalizer();
}
var _Error = Error;
var IoError = class Error2 extends _Error {
  payload;
  constructor(payload) {
    super(payload);
    this.payload = payload;
  }
  toDebugString() {
    return this.message;
  }
};
function streamIoErrorCall(call, id, payload) {
  try {
    return ioCall(call, id, payload);
  } catch (e) {
    if (e.tag === "closed") {
      throw e;
    }
    if (e.tag === "last-operation-failed") {
      e.val = new IoError(Object.assign(new Error(e.val.message), e.val));
      throw e;
    }
    console.trace(e);
    exit(1);
  }
}
var InputStream = class _InputStream {
  #id;
  #streamType;
  #finalizer;
  read(len) {
    return streamIoErrorCall(INPUT_STREAM_READ | this.#streamType, this.#id, len);
  }
  blockingRead(len) {
    return streamIoErrorCall(INPUT_STREAM_BLOCKING_READ | this.#streamType, this.#id, len);
  }
  skip(len) {
    return streamIoErrorCall(INPUT_STREAM_SKIP | this.#streamType, this.#id, len);
  }
  blockingSkip(len) {
    return streamIoErrorCall(INPUT_STREAM_BLOCKING_SKIP | this.#streamType, this.#id, len);
  }
  subscribe() {
    return pollableCreate(ioCall(INPUT_STREAM_SUBSCRIBE | this.#streamType, this.#id), this);
  }
  static _id(stream) {
    return stream.#id;
  }
  /**
   * @param {FILE | SOCKET_TCP | STDIN | HTTP} streamType
   */
  static _create(streamType, id) {
    const stream = new _InputStream();
    stream.#id = id;
    stream.#streamType = streamType;
    let disposeFn;
    switch (streamType) {
      case FILE:
        disposeFn = fileInputStreamDispose;
        break;
      case SOCKET_TCP:
        disposeFn = socketTcpInputStreamDispose;
        break;
      case STDIN:
        disposeFn = stdinInputStreamDispose;
        break;
      case HTTP:
        disposeFn = httpInputStreamDispose;
        break;
      default:
        throw new Error("wasi-io trap: Dispose function not created for stream type " + reverseMap[streamType]);
    }
    stream.#finalizer = registerDispose(stream, null, id, disposeFn);
    return stream;
  }
  [symbolDispose]() {
    if (this.#finalizer) {
      earlyDispose(this.#finalizer);
      this.#finalizer = null;
    }
  }
};
function fileInputStreamDispose(id) {
  ioCall(INPUT_STREAM_DISPOSE | FILE, id, null);
}
function socketTcpInputStreamDispose(id) {
  ioCall(INPUT_STREAM_DISPOSE | SOCKET_TCP, id, null);
}
function stdinInputStreamDispose(id) {
  ioCall(INPUT_STREAM_DISPOSE | STDIN, id, null);
}
function httpInputStreamDispose(id) {
  ioCall(INPUT_STREAM_DISPOSE | HTTP, id, null);
}
var inputStreamCreate = InputStream._create;
delete InputStream._create;
var inputStreamId = InputStream._id;
delete InputStream._id;
var OutputStream = class _OutputStream {
  #id;
  #streamType;
  #finalizer;
  checkWrite() {
    return streamIoErrorCall(OUTPUT_STREAM_CHECK_WRITE | this.#streamType, this.#id, null);
  }
  write(buf) {
    if (this.#streamType <= STDERR) {
      return this.blockingWriteAndFlush(buf);
    }
    return streamIoErrorCall(OUTPUT_STREAM_WRITE | this.#streamType, this.#id, buf);
  }
  blockingWriteAndFlush(buf) {
    if (this.#streamType <= STDERR) {
      const stream = this.#streamType === STDERR ? stderr : stdout;
      return void stream.write(buf);
    }
    return streamIoErrorCall(OUTPUT_STREAM_BLOCKING_WRITE_AND_FLUSH | this.#streamType, this.#id, buf);
  }
  flush() {
    return streamIoErrorCall(OUTPUT_STREAM_FLUSH | this.#streamType, this.#id, void 0);
  }
  blockingFlush() {
    return streamIoErrorCall(OUTPUT_STREAM_BLOCKING_FLUSH | this.#streamType, this.#id, void 0);
  }
  writeZeroes(len) {
    return streamIoErrorCall(OUTPUT_STREAM_WRITE_ZEROES | this.#streamType, this.#id, len);
  }
  blockingWriteZeroesAndFlush(len) {
    return streamIoErrorCall(OUTPUT_STREAM_BLOCKING_WRITE_ZEROES_AND_FLUSH | this.#streamType, this.#id, len);
  }
  splice(src, len) {
    return streamIoErrorCall(OUTPUT_STREAM_SPLICE | this.#streamType, this.#id, {
      src: src.#id,
      len
    });
  }
  blockingSplice(src, len) {
    return streamIoErrorCall(OUTPUT_STREAM_BLOCKING_SPLICE | this.#streamType, this.#id, {
      src: inputStreamId(src),
      len
    });
  }
  subscribe() {
    return pollableCreate(ioCall(OUTPUT_STREAM_SUBSCRIBE | this.#streamType, this.#id), void 0);
  }
  static _id(outputStream) {
    return outputStream.#id;
  }
  /**
   * @param {OutputStreamType} streamType
   * @param {any} createPayload
   */
  static _create(streamType, id) {
    const stream = new _OutputStream();
    stream.#id = id;
    stream.#streamType = streamType;
    let disposeFn;
    switch (streamType) {
      case STDOUT:
        disposeFn = stdoutOutputStreamDispose;
        break;
      case STDERR:
        disposeFn = stderrOutputStreamDispose;
        break;
      case SOCKET_TCP:
        disposeFn = socketTcpOutputStreamDispose;
        break;
      case FILE:
        disposeFn = fileOutputStreamDispose;
        break;
      case HTTP:
        return stream;
      default:
        throw new Error("wasi-io trap: Dispose function not created for stream type " + reverseMap[streamType]);
    }
    stream.#finalizer = registerDispose(stream, null, id, disposeFn);
    return stream;
  }
  [symbolDispose]() {
    if (this.#finalizer) {
      earlyDispose(this.#finalizer);
      this.#finalizer = null;
    }
  }
};
function stdoutOutputStreamDispose(id) {
  ioCall(OUTPUT_STREAM_DISPOSE | STDOUT, id);
}
function stderrOutputStreamDispose(id) {
  ioCall(OUTPUT_STREAM_DISPOSE | STDERR, id);
}
function socketTcpOutputStreamDispose(id) {
  ioCall(OUTPUT_STREAM_DISPOSE | SOCKET_TCP, id);
}
function fileOutputStreamDispose(id) {
  ioCall(OUTPUT_STREAM_DISPOSE | FILE, id);
}
var outputStreamCreate = OutputStream._create;
delete OutputStream._create;
var outputStreamId = OutputStream._id;
delete OutputStream._id;
var error = { Error: IoError };
var streams = { InputStream, OutputStream };
function pollableDispose(id) {
  ioCall(POLL_POLLABLE_DISPOSE, id);
}
var rep = /* @__PURE__ */ Symbol.for("cabiRep");
var Pollable = class _Pollable {
  #finalizer;
  ready() {
    return ioCall(POLL_POLLABLE_READY, this[rep]);
  }
  block() {
    ioCall(POLL_POLLABLE_BLOCK, this[rep]);
  }
  static _create(id, parent) {
    const pollable = new _Pollable();
    pollable[rep] = id;
    pollable.#finalizer = registerDispose(pollable, parent, id, pollableDispose);
    return pollable;
  }
  [symbolDispose]() {
    if (this.#finalizer && this[rep]) {
      earlyDispose(this.#finalizer);
      this.#finalizer = null;
    }
  }
};
var cabiLowerSymbol = /* @__PURE__ */ Symbol.for("cabiLower");
var T_FLAG = 1 << 30;
Pollable.prototype.ready[cabiLowerSymbol] = function({ resourceTables: [table] }) {
  return function pollableReady(handle) {
    const rep2 = table[(handle << 1) + 1] & ~T_FLAG;
    const ready = ioCall(POLL_POLLABLE_READY, rep2);
    return ready ? 1 : 0;
  };
};
Pollable.prototype.block[cabiLowerSymbol] = function({ resourceTables: [table] }) {
  return function pollableBlock(handle) {
    const rep2 = table[(handle << 1) + 1] & ~T_FLAG;
    ioCall(POLL_POLLABLE_BLOCK, rep2);
  };
};
Pollable[/* @__PURE__ */ Symbol.for("cabiDispose")] = function pollableDispose2(rep2) {
  ioCall(POLL_POLLABLE_DISPOSE, rep2);
};
var pollableCreate = Pollable._create;
delete Pollable._create;
var poll = {
  Pollable,
  poll(list) {
    return ioCall(POLL_POLL_LIST, null, list.map((pollable) => pollable[rep]));
  }
};
poll.poll[cabiLowerSymbol] = function({ memory, realloc, resourceTables: [table] }) {
  return function pollPollList(listPtr, len, retptr) {
    const handleList = new Uint32Array(memory.buffer, listPtr, len);
    const repList = Array(len);
    for (let i = 0; i < len; i++) {
      const handle = handleList[i];
      repList[i] = table[(handle << 1) + 1] & ~T_FLAG;
    }
    const result = ioCall(POLL_POLL_LIST, null, repList);
    const ptr = realloc(0, 0, 4, result.byteLength);
    const out = new Uint32Array(memory.buffer, ptr, result.length);
    out.set(result);
    const ret = new Uint32Array(memory.buffer, retptr, 2);
    ret[0] = ptr;
    ret[1] = result.length;
    return retptr;
  };
};
function createPoll(call, id, initPayload) {
  return pollableCreate(ioCall(call, id, initPayload), void 0);
}

// node_modules/@bytecodealliance/preview2-shim/dist/nodejs/cli.js
var _appendEnv = (env3) => {
  void (_env = [..._env.filter(([curKey]) => !(curKey in env3)), ...Object.entries(env3)]);
};
var _setEnv = (env3) => void (_env = Object.entries(env3));
var _setArgs = (args) => void (_args = args);
var _setCwd = (cwd2) => void (_cwd = cwd2);
var _setStdin = (stdin2) => void (stdinStream = stdin2);
var _setStdout = (stdout3) => void (stdoutStream = stdout3);
var _setStderr = (stderr3) => void (stderrStream = stderr3);
var _setTerminalStdin = (terminalStdin2) => void (terminalStdinInstance = terminalStdin2);
var _setTerminalStdout = (terminalStdout2) => void (terminalStdoutInstance = terminalStdout2);
var _setTerminalStderr = (terminalStderr2) => void (terminalStderrInstance = terminalStderr2);
var _env = Object.entries(env2);
var _args = argv.slice(1);
var _cwd = cwd();
var environment = {
  getEnvironment() {
    return _env;
  },
  getArguments() {
    return _args;
  },
  initialCwd() {
    return _cwd;
  }
};
var exit2 = {
  exit(status) {
    process2.exit(status.tag === "err" ? 1 : 0);
  },
  // @ts-expect-error - Available only wasi-cli v0.2.12
  exitWithCode(code) {
    process2.exit(code);
  }
};
var stdinStream;
var stdoutStream = outputStreamCreate(STDOUT, 1);
var stderrStream = outputStreamCreate(STDERR, 2);
var stdin = {
  getStdin() {
    if (!stdinStream) {
      stdinStream = inputStreamCreate(STDIN, ioCall(INPUT_STREAM_CREATE | STDIN, null, null));
    }
    return stdinStream;
  }
};
var stdout2 = {
  getStdout() {
    return stdoutStream;
  }
};
var stderr2 = {
  getStderr() {
    return stderrStream;
  }
};
var TerminalInput = class {
};
var TerminalOutput = class {
};
var terminalStdoutInstance = new TerminalOutput();
var terminalStderrInstance = new TerminalOutput();
var terminalStdinInstance = new TerminalInput();
var terminalInput = {
  TerminalInput
};
var terminalOutput = {
  TerminalOutput
};
var terminalStdin = {
  getTerminalStdin() {
    return terminalStdinInstance;
  }
};
var terminalStdout = {
  getTerminalStdout() {
    return terminalStdoutInstance;
  }
};
var terminalStderr = {
  getTerminalStderr() {
    return terminalStderrInstance;
  }
};

// node_modules/@bytecodealliance/preview2-shim/dist/nodejs/clocks.js
var clocks_exports = {};
__export(clocks_exports, {
  monotonicClock: () => monotonicClock,
  wallClock: () => wallClock
});
import { hrtime } from "node:process";
var symbolCabiLower = /* @__PURE__ */ Symbol.for("cabiLower");
function resolution() {
  return 1n;
}
var monotonicClock = {
  resolution,
  now() {
    return hrtime.bigint();
  },
  subscribeInstant(instant) {
    return createPoll(CLOCKS_INSTANT_SUBSCRIBE, null, instant);
  },
  subscribeDuration(duration) {
    duration = BigInt(duration);
    return createPoll(CLOCKS_DURATION_SUBSCRIBE, null, duration);
  }
};
var wallClock = {
  resolution() {
    return { seconds: 0n, nanoseconds: 1e6 };
  },
  now() {
    const seconds = BigInt(Math.floor(Date.now() / 1e3));
    const nanoseconds = Date.now() % 1e3 * 1e6;
    return { seconds, nanoseconds };
  }
};
monotonicClock.resolution[symbolCabiLower] = () => resolution;
monotonicClock.now[symbolCabiLower] = () => hrtime.bigint;
wallClock.resolution[symbolCabiLower] = ({ memory }) => {
  let buf32 = new Int32Array(memory.buffer);
  return function now(retptr) {
    if (memory.buffer !== buf32.buffer) {
      buf32 = new Int32Array(memory.buffer);
    }
    if (retptr % 4) {
      throw new Error("wasi-io trap: retptr not aligned");
    }
    buf32[(retptr >> 2) + 0] = 0;
    buf32[(retptr >> 2) + 4] = 0;
    buf32[(retptr >> 2) + 8] = 1e6;
  };
};
wallClock.now[symbolCabiLower] = ({ memory }) => {
  let buf32 = new Int32Array(memory.buffer);
  let buf64 = new BigInt64Array(memory.buffer);
  return function now(retptr) {
    if (memory.buffer !== buf32.buffer) {
      buf32 = new Int32Array(memory.buffer);
      buf64 = new BigInt64Array(memory.buffer);
    }
    if (retptr % 4) {
      throw new Error("wasi-io trap: retptr not aligned");
    }
    buf64[(retptr >> 2) + 0] = BigInt(Math.floor(Date.now() / 1e3));
    buf32[(retptr >> 2) + 8] = Date.now() % 1e3 * 1e6;
  };
};

// node_modules/@bytecodealliance/preview2-shim/dist/nodejs/filesystem.js
var filesystem_exports = {};
__export(filesystem_exports, {
  _addPreopen: () => _addPreopen,
  _clearPreopens: () => _clearPreopens,
  _createPreopenDescriptor: () => _createPreopenDescriptor,
  _getPreopens: () => _getPreopens,
  _setPreopens: () => _setPreopens,
  createFilesystem: () => createFilesystem,
  preopens: () => preopens,
  types: () => types
});
import { constants, linkSync, lstatSync, lutimesSync, mkdirSync, opendirSync, readlinkSync, realpathSync, renameSync, rmdirSync, statSync, symlinkSync, unlinkSync, utimesSync } from "node:fs";
import { posix, win32 } from "node:path";
import { platform } from "node:process";
var symbolDispose2 = Symbol.dispose || /* @__PURE__ */ Symbol.for("dispose");
var isWindows = platform === "win32";
var isMac = platform === "darwin";
var hostPath = isWindows ? win32 : posix;
var MAX_SYMLINKS = 40;
function normalizeHostPath(path2) {
  return isWindows ? path2.replace(/\\/g, "/") : path2;
}
var nsMagnitude = 1000000000n;
function nsToDateTime(ns) {
  const seconds = ns / nsMagnitude;
  const nanoseconds = Number(ns % nsMagnitude);
  return { seconds, nanoseconds };
}
function lookupType(obj) {
  if (obj.isFile()) {
    return "regular-file";
  } else if (obj.isSocket()) {
    return "socket";
  } else if (obj.isSymbolicLink()) {
    return "symbolic-link";
  } else if (obj.isFIFO()) {
    return "fifo";
  } else if (obj.isDirectory()) {
    return "directory";
  } else if (obj.isCharacterDevice()) {
    return "character-device";
  } else if (obj.isBlockDevice()) {
    return "block-device";
  }
  return "unknown";
}
function closeFileResource(id) {
  ioCall(FILESYSTEM_DESCRIPTOR_CLOSE, id);
}
var Descriptor = class _Descriptor {
  #hostPreopen;
  #fileResourceId;
  #finalizer;
  #mode;
  #fullPath;
  _id = 0;
  static _createPreopen(hostPreopen) {
    const descriptor = new _Descriptor();
    descriptor.#hostPreopen = hostPreopen.endsWith("/") ? hostPreopen.slice(0, -1) || "/" : hostPreopen;
    if (isWindows) {
      descriptor.#hostPreopen = descriptor.#hostPreopen.replace(/\\/g, "/");
      if (descriptor.#hostPreopen === "/") {
        descriptor.#hostPreopen = "//";
      }
    }
    return descriptor;
  }
  static _create(fileResourceId, mode, fullPath) {
    const descriptor = new _Descriptor();
    descriptor.#fileResourceId = fileResourceId;
    descriptor.#finalizer = registerDispose(descriptor, null, fileResourceId, closeFileResource);
    descriptor.#mode = mode;
    descriptor.#fullPath = fullPath;
    return descriptor;
  }
  [symbolDispose2]() {
    if (this.#finalizer) {
      earlyDispose(this.#finalizer);
      this.#finalizer = null;
    }
  }
  readViaStream(offset) {
    if (this.#hostPreopen) {
      throw "is-directory";
    }
    return inputStreamCreate(FILE, ioCall(INPUT_STREAM_CREATE | FILE, null, {
      descriptorId: this.#fileResourceId,
      offset
    }));
  }
  writeViaStream(offset) {
    if (this.#hostPreopen) {
      throw "is-directory";
    }
    return outputStreamCreate(FILE, ioCall(OUTPUT_STREAM_CREATE | FILE, null, {
      descriptorId: this.#fileResourceId,
      offset
    }));
  }
  appendViaStream() {
    return this.writeViaStream(this.stat().size);
  }
  advise(offset, length, advice) {
    if (this.getType() === "directory") {
      throw "bad-descriptor";
    }
    try {
      ioCall(FILESYSTEM_DESCRIPTOR_ADVISE, this.#fileResourceId, {
        offset,
        length,
        advice
      });
    } catch (e) {
      throw convertFsError(e);
    }
  }
  syncData() {
    if (this.#hostPreopen) {
      throw "invalid";
    }
    try {
      ioCall(FILESYSTEM_DESCRIPTOR_SYNC_DATA, this.#fileResourceId);
    } catch (e) {
      if (e.code === "EPERM") {
        return;
      }
      throw convertFsError(e);
    }
  }
  getFlags() {
    return this.#mode;
  }
  getType() {
    if (this.#hostPreopen) {
      return "directory";
    }
    return ioCall(FILESYSTEM_DESCRIPTOR_GET_TYPE, this.#fileResourceId);
  }
  setSize(size) {
    if (this.#hostPreopen) {
      throw "is-directory";
    }
    try {
      ioCall(FILESYSTEM_DESCRIPTOR_SET_SIZE, this.#fileResourceId, Number(size));
    } catch (e) {
      if (isWindows && e.code === "EPERM") {
        throw "access";
      }
      throw convertFsError(e);
    }
  }
  setTimes(dataAccessTimestamp, dataModificationTimestamp) {
    if (this.#hostPreopen) {
      throw "invalid";
    }
    let stats;
    if (dataAccessTimestamp.tag === "no-change" || dataModificationTimestamp.tag === "no-change") {
      stats = this.stat();
    }
    const atime = this.#getNewTimestamp(dataAccessTimestamp, dataAccessTimestamp.tag === "no-change" && stats.dataAccessTimestamp);
    const mtime = this.#getNewTimestamp(dataModificationTimestamp, dataModificationTimestamp.tag === "no-change" && stats.dataModificationTimestamp);
    try {
      ioCall(FILESYSTEM_DESCRIPTOR_SET_TIMES, this.#fileResourceId, { atime, mtime });
    } catch (e) {
      throw convertFsError(e);
    }
  }
  #getNewTimestamp(newTimestamp, maybeNow) {
    switch (newTimestamp.tag) {
      case "no-change":
        return timestampToMs(maybeNow);
      case "timestamp":
        return timestampToMs(newTimestamp.val);
      default:
        return Math.floor(Date.now() / 1e3);
    }
  }
  read(length, offset) {
    if (!this.#fullPath) {
      throw "bad-descriptor";
    }
    const { bytes, eof } = ioCall(FILESYSTEM_DESCRIPTOR_READ, this.#fileResourceId, {
      length: Number(length),
      offset: Number(offset)
    });
    return [bytes, eof];
  }
  write(buffer, offset) {
    if (!this.#fullPath) {
      throw "bad-descriptor";
    }
    return BigInt(ioCall(FILESYSTEM_DESCRIPTOR_WRITE, this.#fileResourceId, {
      buffer,
      offset: Number(offset)
    }));
  }
  readDirectory() {
    if (!this.#fullPath) {
      throw "bad-descriptor";
    }
    try {
      const dir = opendirSync(this.#fullPath);
      return directoryEntryStreamCreate(dir);
    } catch (e) {
      throw convertFsError(e);
    }
  }
  sync() {
    if (this.#hostPreopen) {
      throw "invalid";
    }
    try {
      ioCall(FILESYSTEM_DESCRIPTOR_SYNC, this.#fileResourceId);
    } catch (e) {
      if (e.code === "EPERM") {
        return;
      }
      throw convertFsError(e);
    }
  }
  createDirectoryAt(path2) {
    const fullPath = this.#getFullPath(path2, false);
    try {
      mkdirSync(fullPath);
    } catch (e) {
      throw convertFsError(e);
    }
  }
  stat() {
    if (this.#hostPreopen) {
      throw "invalid";
    }
    let stats;
    try {
      stats = ioCall(FILESYSTEM_DESCRIPTOR_STAT, this.#fileResourceId);
    } catch (e) {
      throw convertFsError(e);
    }
    const type = stats.type;
    return {
      type,
      linkCount: stats.nlink,
      size: stats.size,
      dataAccessTimestamp: nsToDateTime(stats.atimeNs),
      dataModificationTimestamp: nsToDateTime(stats.mtimeNs),
      statusChangeTimestamp: nsToDateTime(stats.ctimeNs)
    };
  }
  statAt(pathFlags, path2) {
    const fullPath = this.#getFullPath(path2, pathFlags.symlinkFollow);
    let stats;
    try {
      stats = (pathFlags.symlinkFollow ? statSync : lstatSync)(fullPath, {
        bigint: true
      });
    } catch (e) {
      throw convertFsError(e);
    }
    const type = lookupType(stats);
    return {
      type,
      linkCount: stats.nlink,
      size: stats.size,
      dataAccessTimestamp: nsToDateTime(stats.atimeNs),
      dataModificationTimestamp: nsToDateTime(stats.mtimeNs),
      statusChangeTimestamp: nsToDateTime(stats.ctimeNs)
    };
  }
  setTimesAt(pathFlags, path2, dataAccessTimestamp, dataModificationTimestamp) {
    const fullPath = this.#getFullPath(path2, pathFlags.symlinkFollow);
    let stats;
    if (dataAccessTimestamp.tag === "no-change" || dataModificationTimestamp.tag === "no-change") {
      stats = this.stat();
    }
    const atime = this.#getNewTimestamp(dataAccessTimestamp, dataAccessTimestamp.tag === "no-change" && stats.dataAccessTimestamp);
    const mtime = this.#getNewTimestamp(dataModificationTimestamp, dataModificationTimestamp.tag === "no-change" && stats.dataModificationTimestamp);
    if (!pathFlags.symlinkFollow && !lutimesSync) {
      throw new Error("Changing the timestamps of symlinks isn't supported");
    }
    let metadataSetFn = pathFlags.symlinkFollow ? utimesSync : lutimesSync;
    try {
      metadataSetFn(fullPath, atime / 1e3, mtime / 1e3);
    } catch (e) {
      throw convertFsError(e);
    }
  }
  linkAt(oldPathFlags, oldPath, newDescriptor, newPath) {
    const oldFullPath = this.#getFullPath(oldPath, oldPathFlags.symlinkFollow);
    const newFullPath = newDescriptor.#getFullPath(newPath, false);
    if (isWindows && newFullPath.endsWith("/")) {
      throw "no-entry";
    }
    try {
      linkSync(oldFullPath, newFullPath);
    } catch (e) {
      throw convertFsError(e);
    }
  }
  openAt(pathFlags, path2, openFlags, descriptorFlags) {
    const fullPath = this.#getFullPath(path2, pathFlags.symlinkFollow);
    let fsOpenFlags = 0;
    if (openFlags.create) {
      fsOpenFlags |= constants.O_CREAT;
    }
    if (openFlags.directory) {
      fsOpenFlags |= constants.O_DIRECTORY;
    }
    if (openFlags.exclusive) {
      fsOpenFlags |= constants.O_EXCL;
    }
    if (openFlags.truncate) {
      fsOpenFlags |= constants.O_TRUNC;
    }
    if (descriptorFlags.read && descriptorFlags.write) {
      fsOpenFlags |= constants.O_RDWR;
    } else if (descriptorFlags.write) {
      fsOpenFlags |= constants.O_WRONLY;
    } else if (descriptorFlags.read) {
      fsOpenFlags |= constants.O_RDONLY;
    }
    if (descriptorFlags.fileIntegritySync) {
      fsOpenFlags |= constants.O_SYNC;
    }
    if (descriptorFlags.dataIntegritySync) {
      fsOpenFlags |= constants.O_DSYNC;
    }
    if (!pathFlags.symlinkFollow) {
      fsOpenFlags |= constants.O_NOFOLLOW;
    }
    if (descriptorFlags.requestedWriteSync || descriptorFlags.mutateDirectory) {
      throw "unsupported";
    }
    if (descriptorFlags.fileIntegritySync || descriptorFlags.dataIntegritySync) {
      throw "unsupported";
    }
    if (isWindows) {
      if (!pathFlags.symlinkFollow && !openFlags.create) {
        let isSymlink = false;
        try {
          isSymlink = lstatSync(fullPath).isSymbolicLink();
        } catch {
        }
        if (isSymlink) {
          throw openFlags.directory ? "not-directory" : "loop";
        }
      }
      if (pathFlags.symlinkFollow && openFlags.directory) {
        let isFile = false;
        try {
          isFile = !statSync(fullPath).isDirectory();
        } catch {
        }
        if (isFile) {
          throw "not-directory";
        }
      }
    }
    try {
      const { id, type } = ioCall(FILESYSTEM_DESCRIPTOR_OPEN, null, {
        path: fullPath.endsWith("/") ? fullPath.slice(0, -1) : fullPath,
        flags: fsOpenFlags
      });
      if (type === "directory" && descriptorFlags.write) {
        closeFileResource(id);
        throw "is-directory";
      }
      const descriptor = descriptorCreate(id, descriptorFlags, fullPath);
      if (fullPath.endsWith("/") && type !== "directory") {
        descriptor[symbolDispose2]();
        throw "not-directory";
      }
      return descriptor;
    } catch (e) {
      if (e.code === "ERR_INVALID_ARG_VALUE") {
        throw isWindows ? "no-entry" : "invalid";
      }
      throw convertFsError(e);
    }
  }
  readlinkAt(path2) {
    const fullPath = this.#getFullPath(path2, false);
    try {
      const target = readlinkSync(fullPath);
      return isWindows ? target.replace(/\\/g, "/") : target;
    } catch (e) {
      throw convertFsError(e);
    }
  }
  removeDirectoryAt(path2) {
    const fullPath = this.#getFullPath(path2, false);
    try {
      rmdirSync(fullPath);
    } catch (e) {
      if (isWindows && e.code === "ENOENT") {
        throw "not-directory";
      }
      throw convertFsError(e);
    }
  }
  renameAt(oldPath, newDescriptor, newPath) {
    const oldFullPath = this.#getFullPath(oldPath, false);
    const newFullPath = newDescriptor.#getFullPath(newPath, false);
    try {
      renameSync(oldFullPath, newFullPath);
    } catch (e) {
      if (isWindows && e.code === "EPERM") {
        throw "access";
      }
      throw convertFsError(e);
    }
  }
  symlinkAt(target, path2) {
    const fullPath = this.#getFullPath(path2, false);
    if (target.startsWith("/")) {
      throw "not-permitted";
    }
    try {
      symlinkSync(target, fullPath);
    } catch (e) {
      if (fullPath.endsWith("/") && e.code === "EEXIST") {
        let isDir = false;
        try {
          isDir = statSync(fullPath).isDirectory();
        } catch {
        }
        if (!isDir) {
          throw isWindows ? "no-entry" : "not-directory";
        }
      }
      if (isWindows) {
        if (e.code === "EPERM" || e.code === "EEXIST") {
          throw "no-entry";
        }
      }
      throw convertFsError(e);
    }
  }
  unlinkFileAt(path2) {
    const fullPath = this.#getFullPath(path2, false);
    try {
      if (fullPath.endsWith("/")) {
        let isDir = false;
        try {
          isDir = statSync(fullPath).isDirectory();
        } catch {
        }
        throw isDir ? isWindows ? "access" : isMac ? "not-permitted" : "is-directory" : "not-directory";
      }
      unlinkSync(fullPath);
    } catch (e) {
      if (isWindows && e.code === "EPERM") {
        throw "access";
      }
      throw convertFsError(e);
    }
  }
  isSameObject(other) {
    return other === this;
  }
  metadataHash() {
    if (this.#hostPreopen) {
      return { upper: 0n, lower: BigInt(this._id) };
    }
    try {
      return ioCall(FILESYSTEM_DESCRIPTOR_METADATA_HASH, this.#fileResourceId);
    } catch (e) {
      throw convertFsError(e);
    }
  }
  metadataHashAt(pathFlags, path2) {
    const fullPath = this.#getFullPath(path2, pathFlags.symlinkFollow);
    try {
      const stats = (pathFlags.symlinkFollow ? statSync : lstatSync)(fullPath, {
        bigint: true
      });
      return { upper: stats.mtimeNs, lower: stats.ino };
    } catch (e) {
      throw convertFsError(e);
    }
  }
  #getFullPath(subpath, followFinalSymlink) {
    subpath = subpath.replace(/\\/g, "/").replace(/\/\/+/g, "/");
    if (subpath.startsWith("/")) {
      throw "not-permitted";
    }
    const trailingSlash = subpath.endsWith("/");
    const segments = [];
    for (const segment of subpath.split("/")) {
      if (segment === "" || segment === ".") {
        continue;
      }
      if (segment === "..") {
        if (segments.pop() === void 0) {
          throw "not-permitted";
        }
      } else {
        segments.push(segment);
      }
    }
    const base = this.#hostPreopen ?? this.#fullPath;
    if (isWindows && this.#hostPreopen === "//") {
      const normalized = segments.join("/");
      const fullPath = /^[a-zA-Z]:\//.test(normalized) ? `//?/${normalized}` : `//${normalized}`;
      return trailingSlash && normalized ? `${fullPath}/` : fullPath;
    }
    let baseResolved;
    try {
      baseResolved = normalizeHostPath(realpathSync(base));
    } catch (error2) {
      throw convertFsError(error2);
    }
    let current = baseResolved;
    let pending = [...segments];
    let followedSymlinks = 0;
    while (pending.length > 0) {
      const segment = pending.shift();
      const candidate = normalizeHostPath(hostPath.join(current, segment));
      let stats;
      try {
        stats = lstatSync(candidate);
      } catch (error2) {
        if (error2.code === "ENOENT") {
          const unresolved = normalizeHostPath(hostPath.join(candidate, ...pending));
          return trailingSlash ? `${unresolved}/` : unresolved;
        }
        throw convertFsError(error2);
      }
      const isFinal = pending.length === 0;
      if (!stats.isSymbolicLink() || isFinal && !followFinalSymlink && !trailingSlash) {
        current = candidate;
        continue;
      }
      if (++followedSymlinks > MAX_SYMLINKS) {
        throw "loop";
      }
      let target;
      try {
        target = readlinkSync(candidate);
      } catch (error2) {
        throw convertFsError(error2);
      }
      let targetSegments;
      if (hostPath.isAbsolute(target)) {
        throw "not-permitted";
      } else {
        const relativeCurrent = hostPath.relative(baseResolved, current);
        targetSegments = relativeCurrent ? relativeCurrent.split(hostPath.sep) : [];
        for (const targetSegment of target.replace(/\\/g, "/").split("/")) {
          if (targetSegment === "" || targetSegment === ".") {
            continue;
          }
          if (targetSegment === "..") {
            if (targetSegments.pop() === void 0) {
              throw "not-permitted";
            }
          } else {
            targetSegments.push(targetSegment);
          }
        }
      }
      pending = [...targetSegments, ...pending];
      current = baseResolved;
    }
    return trailingSlash && current !== baseResolved ? `${current}/` : current;
  }
};
var descriptorCreatePreopen = Descriptor._createPreopen;
delete Descriptor._createPreopen;
var descriptorCreate = Descriptor._create;
delete Descriptor._create;
var DirectoryEntryStream = class _DirectoryEntryStream {
  #dir;
  #finalizer;
  readDirectoryEntry() {
    let entry;
    try {
      entry = this.#dir.readSync();
    } catch (e) {
      throw convertFsError(e);
    }
    if (entry === null) {
      return void 0;
    }
    const name = entry.name;
    const type = lookupType(entry);
    return { name, type };
  }
  static _create(dir) {
    const dirStream = new _DirectoryEntryStream();
    dirStream.#finalizer = registerDispose(dirStream, null, 0, dir.closeSync.bind(dir));
    dirStream.#dir = dir;
    return dirStream;
  }
  [symbolDispose2]() {
    if (this.#finalizer) {
      earlyDispose(this.#finalizer);
      this.#finalizer = null;
    }
  }
};
var directoryEntryStreamCreate = DirectoryEntryStream._create;
delete DirectoryEntryStream._create;
var preopenEntries = [];
var preopens = {
  getDirectories() {
    return preopenEntries;
  }
};
var types = {
  Descriptor,
  DirectoryEntryStream,
  filesystemErrorCode(err) {
    return convertFsError(err.payload);
  }
};
function createFilesystem({ preopens: preopens2 }) {
  const entries = Object.entries(preopens2).map(([virtualPath, hostPath2]) => [descriptorCreatePreopen(hostPath2), virtualPath]);
  return {
    types,
    preopens: {
      getDirectories: () => [...entries]
    }
  };
}
function _setPreopens(preopens2) {
  preopenEntries = [];
  for (const [virtualPath, hostPreopen] of Object.entries(preopens2)) {
    _addPreopen(virtualPath, hostPreopen);
  }
}
function _addPreopen(virtualPath, hostPreopen) {
  const preopenEntry = [descriptorCreatePreopen(hostPreopen), virtualPath];
  preopenEntries.push(preopenEntry);
}
function _clearPreopens() {
  preopenEntries = [];
}
function _getPreopens() {
  return [...preopenEntries];
}
function _createPreopenDescriptor(hostPreopen) {
  return descriptorCreatePreopen(hostPreopen);
}
function convertFsError(e) {
  switch (e.code) {
    case "EACCES":
      return "access";
    case "EAGAIN":
    case "EWOULDBLOCK":
      return "would-block";
    case "EALREADY":
      return "already";
    case "EBADF":
      return "bad-descriptor";
    case "EBUSY":
      return "busy";
    case "EDEADLK":
      return "deadlock";
    case "EDQUOT":
      return "quota";
    case "EEXIST":
      return "exist";
    case "EFBIG":
      return "file-too-large";
    case "EILSEQ":
      return "illegal-byte-sequence";
    case "EINPROGRESS":
      return "in-progress";
    case "EINTR":
      return "interrupted";
    case "EINVAL":
      return "invalid";
    case "EIO":
      return "io";
    case "EISDIR":
      return "is-directory";
    case "ELOOP":
      return "loop";
    case "EMLINK":
      return "too-many-links";
    case "EMSGSIZE":
      return "message-size";
    case "ENAMETOOLONG":
      return "name-too-long";
    case "ENODEV":
      return "no-device";
    case "ENOENT":
      return "no-entry";
    case "ENOLCK":
      return "no-lock";
    case "ENOMEM":
      return "insufficient-memory";
    case "ENOSPC":
      return "insufficient-space";
    case "ENOTDIR":
    case "ERR_FS_EISDIR":
      return "not-directory";
    case "ENOTEMPTY":
      return "not-empty";
    case "ENOTRECOVERABLE":
      return "not-recoverable";
    case "ENOTSUP":
      return "unsupported";
    case "ENOTTY":
      return "no-tty";
    // windows gives this error for badly structured `//` reads
    // this seems like a slightly better error than unknown given
    // that it's a common footgun
    case -4094:
    case "ENXIO":
      return "no-such-device";
    case "EOVERFLOW":
      return "overflow";
    case "EPERM":
      return "not-permitted";
    case "EPIPE":
      return "pipe";
    case "EROFS":
      return "read-only";
    case "ESPIPE":
      return "invalid-seek";
    case "ETXTBSY":
      return "text-file-busy";
    case "EXDEV":
      return "cross-device";
    case "UNKNOWN":
      switch (e.errno) {
        case -4094:
          return "no-such-device";
        default:
          throw e;
      }
    default:
      throw e;
  }
}
function timestampToMs(timestamp) {
  let secondsInMillis = timestamp.seconds * 1000n;
  if (secondsInMillis > Number.MAX_SAFE_INTEGER) {
    throw new Error(`cannot represent millisecond amount as Number [${{ secondsInMillis }}]`);
  }
  if (timestamp.nanoseconds > Number.MAX_SAFE_INTEGER) {
    throw new Error(`cannot represent millisecond amount as Number [${{ secondsInMillis }}]`);
  }
  let remainderFractionalMillis = timestamp.nanoseconds / 1e6;
  const res = Number(secondsInMillis) + remainderFractionalMillis;
  return res;
}

// node_modules/@bytecodealliance/preview2-shim/dist/nodejs/http.js
var http_exports = {};
__export(http_exports, {
  HTTPServer: () => HTTPServer,
  _denyHttp: () => _denyHttp,
  _forbiddenHeaders: () => _forbiddenHeaders,
  outgoingHandler: () => outgoingHandler,
  types: () => types2
});
import * as http from "node:http";
var { validateHeaderName = () => {
}, validateHeaderValue = () => {
} } = http;
var symbolDispose3 = Symbol.dispose || /* @__PURE__ */ Symbol.for("dispose");
var _forbiddenHeaders = /* @__PURE__ */ new Set(["connection", "keep-alive", "host"]);
var IncomingBody = class _IncomingBody {
  #finished = false;
  #stream = null;
  stream() {
    if (!this.#stream) {
      throw void 0;
    }
    const stream = this.#stream;
    this.#stream = null;
    return stream;
  }
  static finish(incomingBody) {
    if (incomingBody.#finished) {
      throw new Error("incoming body already finished");
    }
    incomingBody.#finished = true;
    return futureTrailersCreate();
  }
  [symbolDispose3]() {
  }
  static _create(streamId) {
    const incomingBody = new _IncomingBody();
    incomingBody.#stream = inputStreamCreate(HTTP, streamId);
    return incomingBody;
  }
};
var incomingBodyCreate = IncomingBody._create;
delete IncomingBody._create;
var IncomingRequest = class _IncomingRequest {
  #method;
  #pathWithQuery;
  #scheme;
  #authority;
  #headers;
  #streamId;
  method() {
    return this.#method;
  }
  pathWithQuery() {
    return this.#pathWithQuery;
  }
  scheme() {
    return this.#scheme;
  }
  authority() {
    return this.#authority;
  }
  headers() {
    return this.#headers;
  }
  consume() {
    return incomingBodyCreate(this.#streamId);
  }
  [symbolDispose3]() {
  }
  static _create(method, pathWithQuery, scheme, authority, headers, streamId) {
    const incomingRequest = new _IncomingRequest();
    incomingRequest.#method = method;
    incomingRequest.#pathWithQuery = pathWithQuery;
    incomingRequest.#scheme = scheme;
    incomingRequest.#authority = authority;
    incomingRequest.#headers = headers;
    incomingRequest.#streamId = streamId;
    return incomingRequest;
  }
};
var incomingRequestCreate = IncomingRequest._create;
delete IncomingRequest._create;
var FutureTrailers = class _FutureTrailers {
  #requested = false;
  subscribe() {
    return createPoll(CLOCKS_DURATION_SUBSCRIBE, null, 0n);
  }
  get() {
    if (this.#requested) {
      return { tag: "err", val: void 0 };
    }
    this.#requested = true;
    return {
      tag: "ok",
      val: {
        tag: "ok",
        val: fieldsLock(fieldsFromEntriesChecked([]))
      }
    };
  }
  static _create() {
    const res = new _FutureTrailers();
    return res;
  }
};
var futureTrailersCreate = FutureTrailers._create;
delete FutureTrailers._create;
var OutgoingResponse = class {
  #body;
  /** @type {number} */
  #statusCode = 200;
  /** @type {Fields} */
  #headers;
  /**
   * @param {number} statusCode
   * @param {Fields} headers
   */
  constructor(headers) {
    fieldsLock(headers);
    this.#headers = headers;
  }
  statusCode() {
    return this.#statusCode;
  }
  setStatusCode(statusCode) {
    this.#statusCode = statusCode;
  }
  headers() {
    return this.#headers;
  }
  body() {
    let contentLengthValues = this.#headers.get("content-length");
    let contentLength;
    if (contentLengthValues.length > 0) {
      contentLength = Number(new TextDecoder().decode(contentLengthValues[0]));
    }
    this.#body = outgoingBodyCreate(contentLength);
    return this.#body;
  }
  static _body(outgoingResponse) {
    return outgoingResponse.#body;
  }
};
var outgoingResponseBody = OutgoingResponse._body;
delete OutgoingResponse._body;
var ResponseOutparam = class _ResponseOutparam {
  #setListener;
  static set(param, response) {
    param.#setListener(response);
  }
  static _create(setListener) {
    const responseOutparam = new _ResponseOutparam();
    responseOutparam.#setListener = setListener;
    return responseOutparam;
  }
};
var responseOutparamCreate = ResponseOutparam._create;
delete ResponseOutparam._create;
var defaultHttpTimeout = 600000000000n;
var RequestOptions = class {
  #connectTimeout = defaultHttpTimeout;
  #firstByteTimeout = defaultHttpTimeout;
  #betweenBytesTimeout = defaultHttpTimeout;
  connectTimeout() {
    return this.#connectTimeout;
  }
  setConnectTimeout(duration) {
    this.#connectTimeout = duration;
  }
  firstByteTimeout() {
    return this.#firstByteTimeout;
  }
  setFirstByteTimeout(duration) {
    this.#firstByteTimeout = duration;
  }
  betweenBytesTimeout() {
    return this.#betweenBytesTimeout;
  }
  setBetweenBytesTimeout(duration) {
    this.#betweenBytesTimeout = duration;
  }
};
var OutgoingRequest = class {
  #method = { tag: "get" };
  #scheme = void 0;
  #pathWithQuery = void 0;
  #authority = void 0;
  #headers;
  #body;
  #bodyRequested = false;
  constructor(headers) {
    fieldsLock(headers);
    this.#headers = headers;
    let contentLengthValues = this.#headers.get("content-length");
    if (contentLengthValues.length === 0) {
      contentLengthValues = this.#headers.get("Content-Length");
    }
    let contentLength;
    if (contentLengthValues.length > 0) {
      contentLength = Number(new TextDecoder().decode(contentLengthValues[0]));
    }
    this.#body = outgoingBodyCreate(contentLength);
  }
  body() {
    if (this.#bodyRequested) {
      throw new Error("Body already requested");
    }
    this.#bodyRequested = true;
    return this.#body;
  }
  method() {
    return this.#method;
  }
  setMethod(method) {
    if (method.tag === "other" && !method.val.match(/^[a-zA-Z-]+$/)) {
      throw void 0;
    }
    this.#method = method;
  }
  pathWithQuery() {
    return this.#pathWithQuery;
  }
  setPathWithQuery(pathWithQuery) {
    if (pathWithQuery && !pathWithQuery.match(/^[a-zA-Z0-9.\-_~!$&'()*+,;=:@%?/]+$/)) {
      throw void 0;
    }
    this.#pathWithQuery = pathWithQuery;
  }
  scheme() {
    return this.#scheme;
  }
  setScheme(scheme) {
    if (scheme?.tag === "other" && !scheme.val.match(/^[a-zA-Z]+$/)) {
      throw void 0;
    }
    this.#scheme = scheme;
  }
  authority() {
    return this.#authority;
  }
  setAuthority(authority) {
    if (authority) {
      const [host, port, ...extra] = authority.split(":");
      const portNum = Number(port);
      if (extra.length || port !== void 0 && (portNum.toString() !== port || portNum > 65535) || !host.match(/^[a-zA-Z0-9-.]+$/)) {
        throw void 0;
      }
    }
    this.#authority = authority;
  }
  headers() {
    return this.#headers;
  }
  [symbolDispose3]() {
  }
  static _handle(request, options) {
    const connectTimeout = options?.connectTimeout();
    const betweenBytesTimeout = options?.betweenBytesTimeout();
    const firstByteTimeout = options?.firstByteTimeout();
    const scheme = schemeString(request.#scheme);
    const headers = [];
    const decoder = new TextDecoder();
    for (const [key, value] of request.#headers.entries()) {
      headers.push([key, decoder.decode(value)]);
    }
    if (!request.#pathWithQuery) {
      throw { tag: "HTTP-request-URI-invalid" };
    }
    return futureIncomingResponseCreate(request.#method.val || request.#method.tag, scheme, request.#authority, request.#pathWithQuery, headers, outgoingBodyOutputStreamId(request.#body), connectTimeout, betweenBytesTimeout, firstByteTimeout);
  }
};
var outgoingRequestHandle = OutgoingRequest._handle;
delete OutgoingRequest._handle;
var OutgoingBody = class _OutgoingBody {
  #outputStream = null;
  #outputStreamId = null;
  #contentLength = void 0;
  #finalizer;
  write() {
    const outputStream = this.#outputStream;
    if (outputStream === null) {
      throw void 0;
    }
    this.#outputStream = null;
    return outputStream;
  }
  static finish(body, trailers) {
    if (trailers) {
      throw { tag: "internal-error", val: "trailers unsupported" };
    }
    ioCall(HTTP_OUTPUT_STREAM_FINISH, body.#outputStreamId, null);
  }
  static _outputStreamId(outgoingBody) {
    return outgoingBody.#outputStreamId;
  }
  static _create(contentLength) {
    const outgoingBody = new _OutgoingBody();
    outgoingBody.#contentLength = contentLength;
    outgoingBody.#outputStreamId = ioCall(OUTPUT_STREAM_CREATE | HTTP, null, outgoingBody.#contentLength);
    outgoingBody.#outputStream = outputStreamCreate(HTTP, outgoingBody.#outputStreamId);
    outgoingBody.#finalizer = registerDispose(outgoingBody, null, outgoingBody.#outputStreamId, outgoingBodyDispose);
    return outgoingBody;
  }
  [symbolDispose3]() {
    if (this.#finalizer) {
      earlyDispose(this.#finalizer);
      this.#finalizer = null;
    }
  }
};
function outgoingBodyDispose(id) {
  ioCall(HTTP_OUTGOING_BODY_DISPOSE, id, null);
}
var outgoingBodyOutputStreamId = OutgoingBody._outputStreamId;
delete OutgoingBody._outputStreamId;
var outgoingBodyCreate = OutgoingBody._create;
delete OutgoingBody._create;
var IncomingResponse = class _IncomingResponse {
  #headers;
  #status = 0;
  #bodyStream;
  status() {
    return this.#status;
  }
  headers() {
    return this.#headers;
  }
  consume() {
    if (this.#bodyStream === void 0) {
      throw void 0;
    }
    const bodyStream = this.#bodyStream;
    this.#bodyStream = void 0;
    return bodyStream;
  }
  [symbolDispose3]() {
    if (this.#bodyStream) {
      this.#bodyStream[symbolDispose3]();
    }
  }
  static _create(status, headers, bodyStreamId) {
    const res = new _IncomingResponse();
    res.#status = status;
    res.#headers = headers;
    res.#bodyStream = incomingBodyCreate(bodyStreamId);
    return res;
  }
};
var incomingResponseCreate = IncomingResponse._create;
delete IncomingResponse._create;
var FutureIncomingResponse = class _FutureIncomingResponse {
  #id;
  #finalizer;
  subscribe() {
    return pollableCreate(ioCall(FUTURE_SUBSCRIBE | HTTP, this.#id, null), this);
  }
  get() {
    const ret = ioCall(FUTURE_TAKE_VALUE | HTTP, this.#id, null);
    if (ret === void 0) {
      return void 0;
    }
    if (ret.tag === "ok" && ret.val.tag === "ok") {
      const textEncoder = new TextEncoder();
      const { status, headers, bodyStreamId } = ret.val.val;
      ret.val.val = incomingResponseCreate(status, fieldsFromEntriesChecked(headers.map(([key, val]) => [key, textEncoder.encode(val)])), bodyStreamId);
    }
    return ret;
  }
  static _create(method, scheme, authority, pathWithQuery, headers, body, connectTimeout, betweenBytesTimeout, firstByteTimeout) {
    const res = new _FutureIncomingResponse();
    res.#id = ioCall(HTTP_CREATE_REQUEST, null, {
      method,
      scheme,
      authority,
      pathWithQuery,
      headers,
      body,
      connectTimeout,
      betweenBytesTimeout,
      firstByteTimeout
    });
    res.#finalizer = registerDispose(res, null, res.#id, futureIncomingResponseDispose);
    return res;
  }
  [symbolDispose3]() {
    if (this.#finalizer) {
      earlyDispose(this.#finalizer);
      this.#finalizer = null;
    }
  }
};
function futureIncomingResponseDispose(id) {
  ioCall(FUTURE_DISPOSE | HTTP, id, null);
}
var futureIncomingResponseCreate = FutureIncomingResponse._create;
delete FutureIncomingResponse._create;
var Fields = class _Fields {
  #immutable = false;
  #entries = [];
  #table = /* @__PURE__ */ new Map();
  /**
   * @param {[string, Uint8Array[][]][]} entries
   */
  static fromList(entries) {
    const fields = new _Fields();
    for (const [key, value] of entries) {
      fields.append(key, value);
    }
    return fields;
  }
  get(name) {
    const tableEntries = this.#table.get(name.toLowerCase());
    if (!tableEntries) {
      return [];
    }
    return tableEntries.map(([, v]) => v);
  }
  /**
   * WIT spec (https://github.com/WebAssembly/WASI/blob/91bb44c3c3a9b1e09187db23c85fa844d1fd6b15/proposals/http/wit/types.wit#L215-L223):
   *
   * > Set all of the values for a name. Clears any existing values for that
   * > name, if they have been set.
   * >
   * > Fails with `header-error.immutable` if the `fields` are immutable.
   * >
   * > Fails with `header-error.invalid-syntax` if the `field-name` or any of
   * > the `field-value`s are syntactically invalid.
   *
   * The existing-branch splice/reuse is an allocation optimization — values are cleared, not retained.
   */
  set(name, values) {
    if (this.#immutable) {
      throw { tag: "immutable" };
    }
    try {
      validateHeaderName(name);
    } catch {
      throw { tag: "invalid-syntax" };
    }
    for (const value of values) {
      try {
        validateHeaderValue(name, new TextDecoder().decode(value));
      } catch {
        throw { tag: "invalid-syntax" };
      }
    }
    const lowercased = name.toLowerCase();
    if (_forbiddenHeaders.has(lowercased)) {
      throw { tag: "forbidden" };
    }
    let tableEntries = this.#table.get(lowercased);
    if (tableEntries) {
      this.#entries = this.#entries.filter((entry) => !tableEntries?.includes(entry));
      tableEntries.splice(0, tableEntries.length);
    } else {
      this.#table.set(lowercased, []);
      tableEntries = this.#table.get(lowercased);
    }
    for (const value of values) {
      const entry = [name, value];
      this.#entries.push(entry);
      tableEntries?.push(entry);
    }
  }
  has(name) {
    return this.#table.has(name.toLowerCase());
  }
  delete(name) {
    if (this.#immutable) {
      throw { tag: "immutable" };
    }
    const lowercased = name.toLowerCase();
    const tableEntries = this.#table.get(lowercased);
    if (tableEntries) {
      this.#entries = this.#entries.filter((entry) => !tableEntries.includes(entry));
      this.#table.delete(lowercased);
    }
  }
  append(name, value) {
    if (this.#immutable) {
      throw { tag: "immutable" };
    }
    try {
      validateHeaderName(name);
    } catch {
      throw { tag: "invalid-syntax" };
    }
    try {
      validateHeaderValue(name, new TextDecoder().decode(value));
    } catch {
      throw { tag: "invalid-syntax" };
    }
    const lowercased = name.toLowerCase();
    if (_forbiddenHeaders.has(lowercased)) {
      throw { tag: "forbidden" };
    }
    const entry = [name, value];
    this.#entries.push(entry);
    const tableEntries = this.#table.get(lowercased);
    if (tableEntries) {
      tableEntries.push(entry);
    } else {
      this.#table.set(lowercased, [entry]);
    }
  }
  entries() {
    return this.#entries;
  }
  clone() {
    return fieldsFromEntriesChecked(this.#entries);
  }
  static _lock(fields) {
    fields.#immutable = true;
    return fields;
  }
  // assumes entries are already validated
  static _fromEntriesChecked(entries) {
    const fields = new _Fields();
    fields.#entries = entries;
    for (const entry of entries) {
      const lowercase = entry[0].toLowerCase();
      const existing = fields.#table.get(lowercase);
      if (existing) {
        existing.push(entry);
      } else {
        fields.#table.set(lowercase, [entry]);
      }
    }
    return fields;
  }
};
var fieldsLock = Fields._lock;
delete Fields._lock;
var fieldsFromEntriesChecked = Fields._fromEntriesChecked;
delete Fields._fromEntriesChecked;
var httpEnabled = true;
function _denyHttp() {
  httpEnabled = false;
}
var outgoingHandler = {
  /**
   * @param {OutgoingRequest} request
   * @param {RequestOptions | undefined} options
   * @returns {FutureIncomingResponse}
   */
  handle(request, options) {
    if (!httpEnabled) {
      throw "access-denied";
    }
    return outgoingRequestHandle(request, options);
  }
};
function httpErrorCode(err) {
  if (err.payload) {
    return err.payload;
  }
  return {
    tag: "internal-error",
    val: err.message
  };
}
var types2 = {
  Fields,
  FutureIncomingResponse,
  FutureTrailers,
  IncomingBody,
  IncomingRequest,
  IncomingResponse,
  OutgoingBody,
  OutgoingRequest,
  OutgoingResponse,
  ResponseOutparam,
  RequestOptions,
  httpErrorCode
};
function schemeString(scheme) {
  if (!scheme) {
    return "https:";
  }
  switch (scheme.tag) {
    case "HTTP":
      return "http:";
    case "HTTPS":
      return "https:";
    case "other":
      return scheme.val.toLowerCase() + ":";
  }
}
var supportedMethods = [
  "get",
  "head",
  "post",
  "put",
  "delete",
  "connect",
  "options",
  "trace",
  "patch"
];
function parseMethod(method) {
  const lowercase = method.toLowerCase();
  if (supportedMethods.includes(method.toLowerCase())) {
    return { tag: lowercase };
  }
  return { tag: "other", val: lowercase };
}
var httpServers = /* @__PURE__ */ new Map();
var httpServerCnt = 0;
var HTTPServer = class {
  #id = ++httpServerCnt;
  #stopped = false;
  #liveEventLoopInterval;
  constructor(incomingHandler) {
    httpServers.set(this.#id, this);
    if (typeof incomingHandler?.handle !== "function") {
      console.error("Not a valid HTTP server component to execute.");
      process.exit(1);
    }
    registerIncomingHttpHandler(this.#id, ({ method, pathWithQuery, host, headers, responseId, streamId }) => {
      const textEncoder = new TextEncoder();
      const request = incomingRequestCreate(parseMethod(method), pathWithQuery, { tag: "HTTP" }, host, fieldsLock(fieldsFromEntriesChecked(headers.filter(([key]) => !_forbiddenHeaders.has(key)).map(([key, val]) => [key, textEncoder.encode(val)]))), streamId);
      let outgoingBodyStreamId;
      const responseOutparam = responseOutparamCreate((response) => {
        if (response.tag === "ok") {
          const outgoingResponse = response.val;
          const statusCode = outgoingResponse.statusCode();
          const headers2 = outgoingResponse.headers().entries();
          const body = outgoingResponseBody(outgoingResponse);
          outgoingBodyStreamId = outgoingBodyOutputStreamId(body);
          ioCall(HTTP_SERVER_SET_OUTGOING_RESPONSE, responseId, {
            statusCode,
            headers: headers2,
            streamId: outgoingBodyStreamId
          });
        } else {
          ioCall(HTTP_SERVER_CLEAR_OUTGOING_RESPONSE, responseId, null);
          console.error(response.val);
          process.exit(1);
        }
      });
      incomingHandler.handle(request, responseOutparam);
      if (outgoingBodyStreamId) {
        ioCall(OUTPUT_STREAM_DISPOSE, outgoingBodyStreamId, null);
      }
    });
  }
  listen(port, host) {
    this.#liveEventLoopInterval = setInterval(() => {
    }, 1e4);
    ioCall(HTTP_SERVER_START, this.#id, { port, host });
  }
  address() {
    return ioCall(HTTP_SERVER_GET_ADDRESS, this.#id);
  }
  stop() {
    if (this.#stopped) {
      return;
    }
    clearInterval(this.#liveEventLoopInterval);
    ioCall(HTTP_SERVER_STOP, this.#id, null);
    httpServers.delete(this.#id);
    this.#stopped = true;
  }
  close() {
    this.stop();
  }
};

// node_modules/@bytecodealliance/preview2-shim/dist/nodejs/io.js
var io_exports = {};
__export(io_exports, {
  error: () => error,
  inputStreamCreate: () => inputStreamCreate,
  outputStreamCreate: () => outputStreamCreate,
  poll: () => poll,
  streams: () => streams
});

// node_modules/@bytecodealliance/preview2-shim/dist/nodejs/random.js
var random_exports = {};
__export(random_exports, {
  insecure: () => insecure,
  insecureSeed: () => insecureSeed,
  random: () => random
});
import { randomBytes, randomFillSync } from "node:crypto";
var insecure = {
  getInsecureRandomBytes: getRandomBytes,
  getInsecureRandomU64() {
    return new BigUint64Array(randomBytes(8).buffer)[0];
  }
};
var insecureSeedValue1;
var insecureSeedValue2;
var insecureSeed = {
  insecureSeed() {
    if (insecureSeedValue1 === void 0) {
      insecureSeedValue1 = random.getRandomU64();
      insecureSeedValue2 = random.getRandomU64();
    }
    return [insecureSeedValue1, insecureSeedValue2];
  }
};
var random = {
  getRandomBytes,
  getRandomU64() {
    return new BigUint64Array(randomBytes(8).buffer)[0];
  }
};
function getRandomBytes(len) {
  return randomBytes(Number(len));
}
getRandomBytes[/* @__PURE__ */ Symbol.for("cabiLower")] = ({ memory, realloc }) => {
  let buf32 = new Uint32Array(memory.buffer);
  return function randomBytesImpl(len, retptr) {
    len = Number(len);
    const ptr = realloc(0, 0, 1, len);
    randomFillSync(memory.buffer, ptr, len);
    if (memory.buffer !== buf32.buffer) {
      buf32 = new Uint32Array(memory.buffer);
    }
    if (retptr % 4) {
      throw new Error("wasi-io trap: retptr not aligned");
    }
    buf32[retptr >> 2] = ptr;
    buf32[(retptr >> 2) + 1] = len;
  };
};

// node_modules/@bytecodealliance/preview2-shim/dist/nodejs/sockets.js
var sockets_exports = {};
__export(sockets_exports, {
  _denyDnsLookup: () => _denyDnsLookup,
  _denyTcp: () => _denyTcp,
  _denyUdp: () => _denyUdp,
  createSockets: () => createSockets,
  instanceNetwork: () => instanceNetwork,
  ipNameLookup: () => ipNameLookup,
  network: () => network,
  tcp: () => tcp,
  tcpCreateSocket: () => tcpCreateSocket,
  udp: () => udp,
  udpCreateSocket: () => udpCreateSocket
});
var symbolDispose4 = Symbol.dispose || /* @__PURE__ */ Symbol.for("dispose");
var Network = class {
  // Compatibility with the resource placeholder in the bundled WASI 0.2.10 WIT.
  noop() {
  }
  #allowDnsLookup = true;
  #allowTcp = true;
  #allowUdp = true;
  static _denyDnsLookup(network2 = defaultNetwork) {
    network2.#allowDnsLookup = false;
  }
  static _denyTcp(network2 = defaultNetwork) {
    network2.#allowTcp = false;
  }
  static _denyUdp(network2 = defaultNetwork) {
    network2.#allowUdp = false;
  }
  static _mayDnsLookup(network2 = defaultNetwork) {
    return network2.#allowDnsLookup;
  }
  static _mayTcp(network2 = defaultNetwork) {
    return network2.#allowTcp;
  }
  static _mayUdp(network2 = defaultNetwork) {
    return network2.#allowUdp;
  }
};
var _denyDnsLookup = Network._denyDnsLookup;
delete Network._denyDnsLookup;
var _denyTcp = Network._denyTcp;
delete Network._denyTcp;
var _denyUdp = Network._denyUdp;
delete Network._denyUdp;
var mayDnsLookup = Network._mayDnsLookup;
delete Network._mayDnsLookup;
var mayTcp = Network._mayTcp;
delete Network._mayTcp;
var mayUdp = Network._mayUdp;
delete Network._mayUdp;
var defaultNetwork = new Network();
var instanceNetwork = {
  instanceNetwork() {
    return defaultNetwork;
  }
};
var network = {
  Network,
  networkErrorCode(error2) {
    const payload = "payload" in error2 ? error2.payload : void 0;
    if (typeof payload !== "object" || payload === null || !("code" in payload)) {
      return void 0;
    }
    const codes = {
      ECONNRESET: "connection-reset",
      ECONNREFUSED: "connection-refused",
      ECONNABORTED: "connection-aborted",
      ETIMEDOUT: "timeout",
      EACCES: "access-denied",
      EPERM: "access-denied",
      ENETUNREACH: "remote-unreachable"
    };
    return typeof payload.code === "string" ? codes[payload.code] : void 0;
  }
};
var ResolveAddressStream = class _ResolveAddressStream {
  #id = 0;
  #data = null;
  #curItem = 0;
  #error = false;
  #finalizer;
  resolveNextAddress() {
    if (!this.#data) {
      const res = ioCall(SOCKET_RESOLVE_ADDRESS_TAKE_REQUEST, this.#id, null);
      this.#data = res.val;
      this.#error = res.tag === "err";
    }
    if (this.#error) {
      throw this.#data;
    }
    if (this.#data && this.#curItem < this.#data.length) {
      return this.#data[this.#curItem++];
    }
    return void 0;
  }
  subscribe() {
    return pollableCreate(ioCall(SOCKET_RESOLVE_ADDRESS_SUBSCRIBE_REQUEST, this.#id, null), this);
  }
  static _resolveAddresses(network2, name) {
    if (!(network2 instanceof Network) || !mayDnsLookup(network2)) {
      throw "permanent-resolver-failure";
    }
    const res = new _ResolveAddressStream();
    res.#id = ioCall(SOCKET_RESOLVE_ADDRESS_CREATE_REQUEST, null, name);
    res.#finalizer = registerDispose(res, null, res.#id, resolveAddressStreamDispose);
    return res;
  }
  [symbolDispose4]() {
    if (this.#finalizer) {
      earlyDispose(this.#finalizer);
      this.#finalizer = null;
    }
  }
};
function resolveAddressStreamDispose(id) {
  ioCall(SOCKET_RESOLVE_ADDRESS_DISPOSE_REQUEST, id, null);
}
var resolveAddresses = ResolveAddressStream._resolveAddresses;
delete ResolveAddressStream._resolveAddresses;
var ipNameLookup = {
  ResolveAddressStream,
  resolveAddresses
};
var TcpSocket = class _TcpSocket {
  #id = 0;
  #network;
  #family;
  #finalizer;
  #options = {
    // defaults per https://nodejs.org/docs/latest/api/net.html#socketsetkeepaliveenable-initialdelay
    keepAlive: false,
    // Node.js doesn't give us the ability to detect the OS default,
    // therefore we hardcode the default value instead of using the OS default,
    // since we would never be able to report it as a return value otherwise.
    // We could make this configurable as a global JCO implementation configuration
    // instead.
    keepAliveIdleTime: 7200000000000n,
    // The following options are NOT configurable in Node.js!
    // Any configurations set will respond correctly, but underneath retain
    // system / Node.js defaults.
    keepAliveInterval: 1000000000n,
    keepAliveCount: 10,
    hopLimit: 1,
    // For sendBufferSize and receiveBufferSize we can at least
    // use the system defaults, but still we can't support setting them.
    sendBufferSize: void 0,
    receiveBufferSize: void 0
  };
  static _create(addressFamily, id) {
    const socket = new _TcpSocket();
    socket.#id = id;
    socket.#family = addressFamily;
    socket.#finalizer = registerDispose(socket, null, id, socketTcpDispose);
    return socket;
  }
  startBind(network2, localAddress) {
    if (!mayTcp(network2)) {
      throw "access-denied";
    }
    ioCall(SOCKET_TCP_BIND_START, this.#id, {
      localAddress,
      family: this.#family
    });
    this.#network = network2;
  }
  finishBind() {
    ioCall(SOCKET_TCP_BIND_FINISH, this.#id, null);
  }
  startConnect(network2, remoteAddress) {
    if (this.#network && network2 !== this.#network) {
      throw "invalid-argument";
    }
    if (!mayTcp(network2)) {
      throw "access-denied";
    }
    ioCall(SOCKET_TCP_CONNECT_START, this.#id, {
      remoteAddress,
      family: this.#family
    });
    this.#network = network2;
  }
  finishConnect() {
    const [inputStreamId2, outputStreamId2] = ioCall(SOCKET_TCP_CONNECT_FINISH, this.#id, null);
    return [
      inputStreamCreate(SOCKET_TCP, inputStreamId2),
      outputStreamCreate(SOCKET_TCP, outputStreamId2)
    ];
  }
  startListen() {
    if (!mayTcp(this.#network)) {
      throw "access-denied";
    }
    ioCall(SOCKET_TCP_LISTEN_START, this.#id, null);
  }
  finishListen() {
    ioCall(SOCKET_TCP_LISTEN_FINISH, this.#id, null);
  }
  accept() {
    if (!mayTcp(this.#network)) {
      throw "access-denied";
    }
    const [socketId, inputStreamId2, outputStreamId2] = ioCall(SOCKET_TCP_ACCEPT, this.#id, null);
    const socket = tcpSocketCreate(this.#family, socketId);
    Object.assign(socket.#options, this.#options);
    return [
      socket,
      inputStreamCreate(SOCKET_TCP, inputStreamId2),
      outputStreamCreate(SOCKET_TCP, outputStreamId2)
    ];
  }
  localAddress() {
    return ioCall(SOCKET_TCP_GET_LOCAL_ADDRESS, this.#id, null);
  }
  remoteAddress() {
    return ioCall(SOCKET_TCP_GET_REMOTE_ADDRESS, this.#id, null);
  }
  isListening() {
    return ioCall(SOCKET_TCP_IS_LISTENING, this.#id, null);
  }
  addressFamily() {
    return this.#family;
  }
  setListenBacklogSize(value) {
    if (value === 0n) {
      throw "invalid-argument";
    }
    ioCall(SOCKET_TCP_SET_LISTEN_BACKLOG_SIZE, this.#id, value);
  }
  keepAliveEnabled() {
    return this.#options.keepAlive;
  }
  setKeepAliveEnabled(value) {
    this.#options.keepAlive = value;
    ioCall(SOCKET_TCP_SET_KEEP_ALIVE, this.#id, {
      keepAlive: value,
      keepAliveIdleTime: this.#options.keepAliveIdleTime
    });
  }
  keepAliveIdleTime() {
    return this.#options.keepAliveIdleTime;
  }
  setKeepAliveIdleTime(value) {
    if (value < 1n) {
      throw "invalid-argument";
    }
    if (value < 1000000000n) {
      value = 1000000000n;
    }
    if (value !== this.#options.keepAliveIdleTime) {
      this.#options.keepAliveIdleTime = value;
      if (this.#options.keepAlive) {
        ioCall(SOCKET_TCP_SET_KEEP_ALIVE, this.#id, {
          keepAlive: true,
          keepAliveIdleTime: this.#options.keepAliveIdleTime
        });
      }
    }
  }
  keepAliveInterval() {
    return this.#options.keepAliveInterval;
  }
  setKeepAliveInterval(value) {
    if (value < 1n) {
      throw "invalid-argument";
    }
    this.#options.keepAliveInterval = value;
  }
  keepAliveCount() {
    return this.#options.keepAliveCount;
  }
  setKeepAliveCount(value) {
    if (value < 1) {
      throw "invalid-argument";
    }
    this.#options.keepAliveCount = value;
  }
  hopLimit() {
    return this.#options.hopLimit;
  }
  setHopLimit(value) {
    if (value < 1) {
      throw "invalid-argument";
    }
    this.#options.hopLimit = value;
  }
  receiveBufferSize() {
    if (!this.#options.receiveBufferSize) {
      this.#options.receiveBufferSize = ioCall(SOCKET_GET_DEFAULT_RECEIVE_BUFFER_SIZE, null, null);
    }
    return this.#options.receiveBufferSize;
  }
  setReceiveBufferSize(value) {
    if (value === 0n) {
      throw "invalid-argument";
    }
    this.#options.receiveBufferSize = value;
  }
  sendBufferSize() {
    if (!this.#options.sendBufferSize) {
      this.#options.sendBufferSize = ioCall(SOCKET_GET_DEFAULT_SEND_BUFFER_SIZE, null, null);
    }
    return this.#options.sendBufferSize;
  }
  setSendBufferSize(value) {
    if (value === 0n) {
      throw "invalid-argument";
    }
    this.#options.sendBufferSize = value;
  }
  subscribe() {
    return pollableCreate(ioCall(SOCKET_TCP_SUBSCRIBE, this.#id, null), this);
  }
  shutdown(shutdownType) {
    ioCall(SOCKET_TCP_SHUTDOWN, this.#id, shutdownType);
  }
  [symbolDispose4]() {
    if (this.#finalizer) {
      earlyDispose(this.#finalizer);
      this.#finalizer = null;
    }
  }
};
function socketTcpDispose(id) {
  ioCall(SOCKET_TCP_DISPOSE, id, null);
}
var tcpSocketCreate = TcpSocket._create;
delete TcpSocket._create;
var tcpCreateSocket = {
  createTcpSocket(addressFamily) {
    if (addressFamily !== "ipv4" && addressFamily !== "ipv6") {
      throw "not-supported";
    }
    return tcpSocketCreate(addressFamily, ioCall(SOCKET_TCP_CREATE_HANDLE, null, null));
  }
};
var tcp = {
  TcpSocket
};
var UdpSocket = class _UdpSocket {
  #id = 0;
  #network;
  #family;
  #finalizer;
  static _create(addressFamily) {
    if (addressFamily !== "ipv4" && addressFamily !== "ipv6") {
      throw "not-supported";
    }
    const socket = new _UdpSocket();
    socket.#id = ioCall(SOCKET_UDP_CREATE_HANDLE, null, {
      family: addressFamily,
      // we always set the unicastHopLimit, because there is no
      // getter but only a setter for this in Node.js, so it is the
      // only way to guarantee the consistent value
      unicastHopLimit: 64
    });
    socket.#family = addressFamily;
    socket.#finalizer = registerDispose(socket, null, socket.#id, socketUdpDispose);
    return socket;
  }
  startBind(network2, localAddress) {
    if (!mayUdp(network2)) {
      throw "access-denied";
    }
    ioCall(SOCKET_UDP_BIND_START, this.#id, {
      localAddress,
      family: this.#family
    });
    this.#network = network2;
  }
  finishBind() {
    ioCall(SOCKET_UDP_BIND_FINISH, this.#id, null);
  }
  stream(remoteAddress) {
    if (!mayUdp(this.#network)) {
      throw "access-denied";
    }
    const [incomingDatagramStreamId, outgoingDatagramStreamId] = ioCall(SOCKET_UDP_STREAM, this.#id, remoteAddress);
    return [
      incomingDatagramStreamCreate(incomingDatagramStreamId),
      outgoingDatagramStreamCreate(outgoingDatagramStreamId)
    ];
  }
  localAddress() {
    return ioCall(SOCKET_UDP_GET_LOCAL_ADDRESS, this.#id);
  }
  remoteAddress() {
    return ioCall(SOCKET_UDP_GET_REMOTE_ADDRESS, this.#id);
  }
  addressFamily() {
    return this.#family;
  }
  unicastHopLimit() {
    return ioCall(SOCKET_UDP_GET_UNICAST_HOP_LIMIT, this.#id);
  }
  setUnicastHopLimit(value) {
    if (value < 1) {
      throw "invalid-argument";
    }
    ioCall(SOCKET_UDP_SET_UNICAST_HOP_LIMIT, this.#id, value);
  }
  receiveBufferSize() {
    return ioCall(SOCKET_UDP_GET_RECEIVE_BUFFER_SIZE, this.#id);
  }
  setReceiveBufferSize(value) {
    if (value === 0n) {
      throw "invalid-argument";
    }
    ioCall(SOCKET_UDP_SET_RECEIVE_BUFFER_SIZE, this.#id, value);
  }
  sendBufferSize() {
    return ioCall(SOCKET_UDP_GET_SEND_BUFFER_SIZE, this.#id);
  }
  setSendBufferSize(value) {
    if (value === 0n) {
      throw "invalid-argument";
    }
    ioCall(SOCKET_UDP_SET_SEND_BUFFER_SIZE, this.#id, value);
  }
  subscribe() {
    return pollableCreate(ioCall(SOCKET_UDP_SUBSCRIBE, this.#id, null), this);
  }
  [symbolDispose4]() {
    if (this.#finalizer) {
      earlyDispose(this.#finalizer);
      this.#finalizer = null;
    }
  }
};
function socketUdpDispose(id) {
  ioCall(SOCKET_UDP_DISPOSE, id, null);
}
var createUdpSocket = UdpSocket._create;
delete UdpSocket._create;
var IncomingDatagramStream = class _IncomingDatagramStream {
  #id = 0;
  #finalizer;
  static _create(id) {
    const stream = new _IncomingDatagramStream();
    stream.#id = id;
    stream.#finalizer = registerDispose(stream, null, id, incomingDatagramStreamDispose);
    return stream;
  }
  receive(maxResults) {
    return ioCall(SOCKET_INCOMING_DATAGRAM_STREAM_RECEIVE, this.#id, maxResults);
  }
  subscribe() {
    return pollableCreate(ioCall(SOCKET_DATAGRAM_STREAM_SUBSCRIBE, this.#id, null), this);
  }
  [symbolDispose4]() {
    if (this.#finalizer) {
      earlyDispose(this.#finalizer);
      this.#finalizer = null;
    }
  }
};
function incomingDatagramStreamDispose(id) {
  ioCall(SOCKET_DATAGRAM_STREAM_DISPOSE, id, null);
}
var incomingDatagramStreamCreate = IncomingDatagramStream._create;
delete IncomingDatagramStream._create;
var OutgoingDatagramStream = class _OutgoingDatagramStream {
  #id = 0;
  #finalizer;
  static _create(id) {
    const stream = new _OutgoingDatagramStream();
    stream.#id = id;
    stream.#finalizer = registerDispose(stream, null, id, outgoingDatagramStreamDispose);
    return stream;
  }
  checkSend() {
    return ioCall(SOCKET_OUTGOING_DATAGRAM_STREAM_CHECK_SEND, this.#id, null);
  }
  send(datagrams) {
    return ioCall(SOCKET_OUTGOING_DATAGRAM_STREAM_SEND, this.#id, datagrams);
  }
  subscribe() {
    return pollableCreate(ioCall(SOCKET_DATAGRAM_STREAM_SUBSCRIBE, this.#id, null), this);
  }
  [symbolDispose4]() {
    if (this.#finalizer) {
      earlyDispose(this.#finalizer);
      this.#finalizer = null;
    }
  }
};
function outgoingDatagramStreamDispose(id) {
  ioCall(SOCKET_DATAGRAM_STREAM_DISPOSE, id, null);
}
var outgoingDatagramStreamCreate = OutgoingDatagramStream._create;
delete OutgoingDatagramStream._create;
var udpCreateSocket = {
  createUdpSocket
};
var udp = {
  UdpSocket,
  OutgoingDatagramStream,
  IncomingDatagramStream
};
function createSockets(config2 = {}) {
  const localNetwork = new Network();
  if (config2.enableNetwork === false) {
    _denyDnsLookup(localNetwork);
    _denyTcp(localNetwork);
    _denyUdp(localNetwork);
  }
  return {
    instanceNetwork: {
      instanceNetwork: () => localNetwork
    },
    network,
    ipNameLookup,
    tcpCreateSocket,
    tcp,
    udpCreateSocket,
    udp
  };
}

// node_modules/@bytecodealliance/preview2-shim/dist/common/instantiation.js
var WASIShim = class {
  /** Object that confirms to the shim interface for `wasi:cli` */
  #cli;
  /** Object that confirms to the shim interface for `wasi:filesystem` */
  #filesystem;
  /** Object that confirms to the shim interface for `wasi:io` */
  #io;
  /** Object that confirms to the shim interface for `wasi:random` */
  #random;
  /** Object that confirms to the shim interface for `wasi:clocks` */
  #clocks;
  /** Object that confirms to the shim interface for `wasi:sockets` */
  #sockets;
  /** Object that confirms to the shim interface for `wasi:http` */
  #http;
  /** Isolated environment for this instance */
  #environment;
  /**
   * Create a new WASIShim instance.
   *
   * @param config - Configuration options
   */
  constructor(config2) {
    const shims = config2;
    const sandbox = shims?.sandbox;
    const defaultCli = cli_exports;
    this.#cli = shims?.cli ?? (defaultCli.createCli && (shims?.environment !== void 0 || shims?.arguments !== void 0 || shims?.initialCwd !== void 0 || shims?.stdin !== void 0 || shims?.stdout !== void 0 || shims?.stderr !== void 0) ? defaultCli.createCli({
      environment: shims?.environment,
      arguments: shims?.arguments,
      initialCwd: shims?.initialCwd,
      stdin: shims?.stdin,
      stdout: shims?.stdout,
      stderr: shims?.stderr
    }) : defaultCli);
    const defaultFilesystem = filesystem_exports;
    if (shims?.browserFilesystem && !defaultFilesystem.createFilesystem) {
      throw new TypeError("the selected filesystem does not support browser adapters");
    }
    this.#filesystem = shims?.filesystem ?? defaultFilesystem;
    if (shims?.filesystem && sandbox?.preopens !== void 0) {
      if (!shims.filesystem.createPreopens) {
        throw new TypeError("an application-provided filesystem must implement createPreopens to use sandbox.preopens");
      }
      this.#filesystem = {
        types: shims.filesystem.types,
        preopens: shims.filesystem.createPreopens(sandbox.preopens),
        dispose: shims.filesystem.dispose?.bind(shims.filesystem)
      };
    } else if (shims?.browserFilesystem) {
      this.#filesystem = defaultFilesystem.createFilesystem({
        adapter: shims.browserFilesystem.adapter,
        preopens: sandbox?.preopens ?? shims.browserFilesystem.preopens
      });
    } else if (sandbox?.preopens !== void 0) {
      if (!defaultFilesystem.createFilesystem) {
        throw new TypeError("the selected filesystem cannot create isolated preopens");
      }
      this.#filesystem = defaultFilesystem.createFilesystem({
        preopens: sandbox.preopens
      });
    }
    this.#io = shims?.io ?? io_exports;
    this.#random = shims?.random ?? random_exports;
    this.#clocks = shims?.clocks ?? clocks_exports;
    const defaultSockets = sockets_exports;
    this.#sockets = shims?.sockets ?? (defaultSockets.createSockets ? defaultSockets.createSockets({
      enableNetwork: shims?.sandbox?.enableNetwork
    }) : defaultSockets);
    if (shims?.tcpSockets) {
      this.#sockets = {
        ...this.#sockets,
        tcp: shims.tcpSockets.tcp,
        tcpCreateSocket: shims.tcpSockets.tcpCreateSocket
      };
    }
    if (shims?.udpSockets) {
      this.#sockets = {
        ...this.#sockets,
        udp: shims.udpSockets.udp,
        udpCreateSocket: shims.udpSockets.udpCreateSocket
      };
    }
    this.#http = shims?.http ?? http_exports;
    if (sandbox?.enableNetwork === false) {
      this.#http = {
        ...this.#http,
        outgoingHandler: {
          ...this.#http.outgoingHandler,
          handle() {
            throw "access-denied";
          }
        }
      };
    }
    if (shims?.incomingHandler) {
      if (!this.#http.createIncomingHandler) {
        throw new TypeError("the selected HTTP shim does not support Web incoming handlers");
      }
      this.#http = {
        ...this.#http,
        incomingHandler: this.#http.createIncomingHandler(shims.incomingHandler)
      };
    }
    if (sandbox?.env !== void 0 || sandbox?.args !== void 0) {
      this.#environment = createIsolatedEnvironment(sandbox?.env, sandbox?.args, this.#cli);
    }
  }
  /**
   * Generate an import object for the shim that can be used with
   * functions like `instantiate` that are exposed from a transpiled
   * WebAssembly component.
   *
   * @param opts - options for import object generation
   * @returns WASIImportObject
   */
  getImportObject(opts) {
    const versionSuffix = opts?.asVersion ? `@${opts.asVersion}` : "";
    const obj = {};
    obj[`wasi:cli/environment${versionSuffix}`] = this.#environment ?? this.#cli.environment;
    obj[`wasi:cli/exit${versionSuffix}`] = this.#cli.exit;
    obj[`wasi:cli/stderr${versionSuffix}`] = this.#cli.stderr;
    obj[`wasi:cli/stdin${versionSuffix}`] = this.#cli.stdin;
    obj[`wasi:cli/stdout${versionSuffix}`] = this.#cli.stdout;
    obj[`wasi:cli/terminal-input${versionSuffix}`] = this.#cli.terminalInput;
    obj[`wasi:cli/terminal-output${versionSuffix}`] = this.#cli.terminalOutput;
    obj[`wasi:cli/terminal-stderr${versionSuffix}`] = this.#cli.terminalStderr;
    obj[`wasi:cli/terminal-stdin${versionSuffix}`] = this.#cli.terminalStdin;
    obj[`wasi:cli/terminal-stdout${versionSuffix}`] = this.#cli.terminalStdout;
    obj[`wasi:sockets/instance-network${versionSuffix}`] = this.#sockets.instanceNetwork;
    obj[`wasi:sockets/ip-name-lookup${versionSuffix}`] = this.#sockets.ipNameLookup;
    obj[`wasi:sockets/network${versionSuffix}`] = this.#sockets.network;
    obj[`wasi:sockets/tcp${versionSuffix}`] = this.#sockets.tcp;
    obj[`wasi:sockets/tcp-create-socket${versionSuffix}`] = this.#sockets.tcpCreateSocket;
    obj[`wasi:sockets/udp${versionSuffix}`] = this.#sockets.udp;
    obj[`wasi:sockets/udp-create-socket${versionSuffix}`] = this.#sockets.udpCreateSocket;
    obj[`wasi:filesystem/preopens${versionSuffix}`] = this.#filesystem.preopens;
    obj[`wasi:filesystem/types${versionSuffix}`] = this.#filesystem.types;
    obj[`wasi:io/error${versionSuffix}`] = this.#io.error;
    obj[`wasi:io/poll${versionSuffix}`] = this.#io.poll;
    obj[`wasi:io/streams${versionSuffix}`] = this.#io.streams;
    obj[`wasi:random/random${versionSuffix}`] = this.#random.random;
    obj[`wasi:random/insecure${versionSuffix}`] = this.#random.insecure;
    obj[`wasi:random/insecure-seed${versionSuffix}`] = this.#random.insecureSeed;
    obj[`wasi:clocks/monotonic-clock${versionSuffix}`] = this.#clocks.monotonicClock;
    obj[`wasi:clocks/wall-clock${versionSuffix}`] = this.#clocks.wallClock;
    obj[`wasi:http/types${versionSuffix}`] = this.#http.types;
    obj[`wasi:http/incoming-handler${versionSuffix}`] = this.#http.incomingHandler;
    obj[`wasi:http/outgoing-handler${versionSuffix}`] = this.#http.outgoingHandler;
    return obj;
  }
};
function createIsolatedEnvironment(env3, args, baseCli) {
  const envEntries = env3 ? Object.entries(env3) : null;
  const argsArray = args || null;
  return {
    ...baseCli.environment,
    getEnvironment() {
      return envEntries ?? baseCli.environment.getEnvironment();
    },
    getArguments() {
      return argsArray ?? baseCli.environment.getArguments();
    },
    initialCwd() {
      return baseCli.environment.initialCwd();
    }
  };
}

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
function addToStatus(extra) {
  extraStatus = extra;
}
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
function reportThrown(config2, error2, phase) {
  const e = error2 instanceof Error ? error2 : new Error(String(error2));
  const stack = e.stack ?? `${e.name}: ${e.message}`;
  writeSync(2, `
${stack}
`);
  const isTrap = phase === "run" && (e instanceof WebAssembly.RuntimeError || e instanceof RangeError && /call stack/i.test(e.message));
  if (isTrap) finish(config2, { outcome: "trap", name: e.name, message: e.message, stack });
  finish(config2, { outcome: "error", message: `${e.name}: ${e.message}`, stack });
}
Error.stackTraceLimit = 200;

// src/runtime/embedded/may-leave.ts
var REALLOC_EXPORT = /^cabi_(?:import_|export_)?realloc$/;
var CANNOT_LEAVE = "cannot leave component instance";
function mayLeaveGuard() {
  let lowering = 0;
  const raw = /* @__PURE__ */ new WeakMap();
  const counts = { instances: 0, reallocs: 0, imports: 0 };
  const keepProperties = (wrapper, fn) => Object.assign(wrapper, fn);
  return {
    counts,
    imports(imports) {
      if (!imports) return imports;
      const out = {};
      for (const [module, fields] of Object.entries(imports)) {
        const leaves = module.includes(":");
        const mapped = {};
        for (const [name, value] of Object.entries(fields)) {
          if (typeof value !== "function") mapped[name] = value;
          else if (raw.has(value)) mapped[name] = raw.get(value);
          else if (leaves) {
            const fn = value;
            counts.imports++;
            mapped[name] = keepProperties(function(...args) {
              if (lowering > 0) throw new WebAssembly.RuntimeError(CANNOT_LEAVE);
              return fn.apply(this, args);
            }, fn);
          } else mapped[name] = value;
        }
        out[module] = mapped;
      }
      return out;
    },
    instance(created) {
      counts.instances++;
      const names = Object.keys(created.exports).filter((name) => REALLOC_EXPORT.test(name) && typeof created.exports[name] === "function");
      if (names.length === 0) return created;
      const exports = { ...created.exports };
      for (const name of names) {
        const fn = created.exports[name];
        const marked = keepProperties((...args) => {
          lowering++;
          try {
            return fn(...args);
          } finally {
            lowering--;
          }
        }, fn);
        raw.set(marked, fn);
        exports[name] = marked;
        counts.reallocs++;
      }
      return { exports: Object.freeze(exports) };
    }
  };
}

// src/runtime/embedded/p2-host.ts
restoreWorker();
var mayLeave = mayLeaveGuard();
addToStatus(() => ({ ioThread: workersStarted > 0, mayLeave: { ...mayLeave.counts } }));
var config = readConfig();
var instance;
try {
  const shim = new WASIShim({
    sandbox: { preopens: config.preopens, env: config.env, args: config.args, enableNetwork: false }
  });
  const imports = shim.getImportObject();
  const types3 = imports["wasi:filesystem/types"];
  if (!types3?.Descriptor) throw new Error("preview2-shim: wasi:filesystem/types has no Descriptor to guard");
  types3.Descriptor.prototype.symlinkAt = () => {
    throw "not-permitted";
  };
  types3.Descriptor.prototype.linkAt = () => {
    throw "not-permitted";
  };
  serveStdin(imports);
  const env3 = imports["wasi:cli/environment"];
  if (env3) imports["wasi:cli/environment"] = { ...env3, initialCwd: () => void 0 };
  const lookup = new Proxy(imports, {
    get: (target, key) => typeof key === "string" ? target[key] ?? target[key.replace(/@[^@]*$/, "")] : void 0
  });
  const mod = await import(pathToFileURL(path.join(config.target, "component.js")).href);
  const compileStart = performance.now();
  const names = readdirSync(config.target).filter((name) => name.endsWith(".wasm"));
  const modules = new Map(
    await Promise.all(names.map(async (name) => [name, await WebAssembly.compile(readFileSync2(path.join(config.target, name)))]))
  );
  const instantiateCore = WebAssembly.instantiate.bind(WebAssembly);
  WebAssembly.instantiate = async (m, i) => {
    const created = await instantiateCore(m, mayLeave.imports(i));
    trackMemories(created);
    return mayLeave.instance(created);
  };
  started(config, Math.round(performance.now() - compileStart));
  instance = await mod.instantiate(
    async (name) => modules.get(name) ?? WebAssembly.compile(readFileSync2(path.join(config.target, name))),
    lookup
  );
  if (names.length > 0 && mayLeave.counts.instances === 0) {
    finish(config, {
      outcome: "error",
      host: true,
      message: "the embedded P2 host could not enforce the component model may-leave rule (the transpiled bindings created no core instance through WebAssembly.instantiate): wasmtime may trap with `cannot leave component instance` where this run would pass; check with --runtime wasmtime"
    });
  }
} catch (e) {
  reportThrown(config, e, "link");
}
try {
  if (config.style === "command") {
    const runKey = Object.keys(instance).find((k) => k === "run" || k.startsWith("wasi:cli/run@"));
    const run = runKey ? instance[runKey] : void 0;
    if (!run?.run) {
      finish(config, {
        outcome: "error",
        message: `component exports no wasi:cli/run (exports: ${Object.keys(instance).join(", ") || "none"})`
      });
    }
    run.run();
  }
  finish(config, { outcome: "exit", code: 0 });
} catch (e) {
  if (e instanceof Error && e.constructor.name === "ComponentError") finish(config, { outcome: "exit", code: 1 });
  reportThrown(config, e, "run");
}
function serveStdin(imports) {
  const cli = imports["wasi:cli/stdin"];
  const streams2 = imports["wasi:io/streams"];
  if (!cli || !streams2?.InputStream) throw new Error("preview2-shim: no wasi:cli/stdin or wasi:io/streams InputStream to serve stdin");
  const clock = imports["wasi:clocks/monotonic-clock"];
  if (!clock?.subscribeDuration) throw new Error("preview2-shim: no wasi:clocks/monotonic-clock to make a ready pollable");
  const ready = () => clock.subscribeDuration(0n);
  const shimStdin = cli.getStdin.bind(cli);
  let delegate;
  let ended = false;
  const read = (len) => {
    if (delegate) return delegate.blockingRead(len);
    const want = Math.min(Number(len), 64 * 1024);
    if (want <= 0) return new Uint8Array();
    if (ended) throw { tag: "closed" };
    const buf = Buffer.alloc(want);
    let n;
    try {
      n = readSync(0, buf, 0, want, null);
    } catch {
      return toShim().blockingRead(len);
    }
    if (n === 0) {
      ended = true;
      throw { tag: "closed" };
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  };
  const toShim = () => {
    delegate ??= shimStdin();
    return delegate;
  };
  const stdin2 = Object.create(streams2.InputStream.prototype);
  Object.assign(stdin2, {
    read,
    blockingRead: read,
    skip: (len) => BigInt(read(len).length),
    blockingSkip: (len) => BigInt(read(len).length),
    // A file (or /dev/null) is always ready, as poll() says of files: a pollable that is ready now, unless the
    // shim's stream took over. (The shim's own stdin pollable waits for its I/O thread: poll() saw stdin not ready.)
    subscribe: () => delegate ? delegate.subscribe() : ready()
  });
  stdin2[Symbol.dispose] = () => delegate?.[Symbol.dispose]?.();
  cli.getStdin = () => stdin2;
}
