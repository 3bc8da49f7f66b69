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

// node_modules/@bytecodealliance/preview2-shim/dist/nodejs/cli.js
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
var rep2 = /* @__PURE__ */ Symbol.for("cabiRep");
var Pollable = class _Pollable {
  #finalizer;
  ready() {
    return ioCall(POLL_POLLABLE_READY, this[rep2]);
  }
  block() {
    ioCall(POLL_POLLABLE_BLOCK, this[rep2]);
  }
  static _create(id, parent) {
    const pollable = new _Pollable();
    pollable[rep2] = id;
    pollable.#finalizer = registerDispose(pollable, parent, id, pollableDispose);
    return pollable;
  }
  [symbolDispose]() {
    if (this.#finalizer && this[rep2]) {
      earlyDispose(this.#finalizer);
      this.#finalizer = null;
    }
  }
};
var cabiLowerSymbol = /* @__PURE__ */ Symbol.for("cabiLower");
var T_FLAG = 1 << 30;
Pollable.prototype.ready[cabiLowerSymbol] = function({ resourceTables: [table] }) {
  return function pollableReady(handle2) {
    const rep3 = table[(handle2 << 1) + 1] & ~T_FLAG;
    const ready = ioCall(POLL_POLLABLE_READY, rep3);
    return ready ? 1 : 0;
  };
};
Pollable.prototype.block[cabiLowerSymbol] = function({ resourceTables: [table] }) {
  return function pollableBlock(handle2) {
    const rep3 = table[(handle2 << 1) + 1] & ~T_FLAG;
    ioCall(POLL_POLLABLE_BLOCK, rep3);
  };
};
Pollable[/* @__PURE__ */ Symbol.for("cabiDispose")] = function pollableDispose2(rep3) {
  ioCall(POLL_POLLABLE_DISPOSE, rep3);
};
var pollableCreate = Pollable._create;
delete Pollable._create;
var poll = {
  Pollable,
  poll(list) {
    return ioCall(POLL_POLL_LIST, null, list.map((pollable) => pollable[rep2]));
  }
};
poll.poll[cabiLowerSymbol] = function({ memory, realloc, resourceTables: [table] }) {
  return function pollPollList(listPtr, len, retptr) {
    const handleList = new Uint32Array(memory.buffer, listPtr, len);
    const repList = Array(len);
    for (let i = 0; i < len; i++) {
      const handle2 = handleList[i];
      repList[i] = table[(handle2 << 1) + 1] & ~T_FLAG;
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

// node_modules/@bytecodealliance/preview2-shim/dist/nodejs/cli.js
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

// node_modules/@bytecodealliance/preview2-shim/dist/nodejs/filesystem.js
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

// node_modules/@bytecodealliance/preview2-shim/dist/nodejs/random.js
import { randomBytes, randomFillSync } from "node:crypto";
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

// node_modules/@bytecodealliance/jco-transpile/vendor/js-component-bindgen-component.js
var { getEnvironment } = environment;
if (getEnvironment === void 0) {
  const err = new Error("unexpectedly undefined local import 'getEnvironment', was 'getEnvironment' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { exit: exit3 } = exit2;
if (exit3 === void 0) {
  const err = new Error("unexpectedly undefined local import 'exit', was 'exit' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getStderr } = stderr2;
if (getStderr === void 0) {
  const err = new Error("unexpectedly undefined local import 'getStderr', was 'getStderr' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getStdin } = stdin;
if (getStdin === void 0) {
  const err = new Error("unexpectedly undefined local import 'getStdin', was 'getStdin' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getStdout } = stdout2;
if (getStdout === void 0) {
  const err = new Error("unexpectedly undefined local import 'getStdout', was 'getStdout' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { TerminalInput: TerminalInput2 } = terminalInput;
if (TerminalInput2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'TerminalInput', was 'TerminalInput' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { TerminalOutput: TerminalOutput2 } = terminalOutput;
if (TerminalOutput2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'TerminalOutput', was 'TerminalOutput' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getTerminalStderr } = terminalStderr;
if (getTerminalStderr === void 0) {
  const err = new Error("unexpectedly undefined local import 'getTerminalStderr', was 'getTerminalStderr' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getTerminalStdin } = terminalStdin;
if (getTerminalStdin === void 0) {
  const err = new Error("unexpectedly undefined local import 'getTerminalStdin', was 'getTerminalStdin' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getTerminalStdout } = terminalStdout;
if (getTerminalStdout === void 0) {
  const err = new Error("unexpectedly undefined local import 'getTerminalStdout', was 'getTerminalStdout' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getDirectories } = preopens;
if (getDirectories === void 0) {
  const err = new Error("unexpectedly undefined local import 'getDirectories', was 'getDirectories' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var {
  Descriptor: Descriptor2,
  DirectoryEntryStream: DirectoryEntryStream2,
  filesystemErrorCode
} = types;
if (Descriptor2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'Descriptor', was 'Descriptor' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
if (DirectoryEntryStream2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'DirectoryEntryStream', was 'DirectoryEntryStream' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
if (filesystemErrorCode === void 0) {
  const err = new Error("unexpectedly undefined local import 'filesystemErrorCode', was 'filesystemErrorCode' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { Error: Error$1 } = error;
if (Error$1 === void 0) {
  const err = new Error("unexpectedly undefined local import 'Error$1', was 'Error' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var {
  InputStream: InputStream2,
  OutputStream: OutputStream2
} = streams;
if (InputStream2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'InputStream', was 'InputStream' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
if (OutputStream2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'OutputStream', was 'OutputStream' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getRandomBytes: getRandomBytes2 } = random;
if (getRandomBytes2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'getRandomBytes', was 'getRandomBytes' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var dv = new DataView(new ArrayBuffer());
var dataView = (mem) => dv.buffer === mem.buffer ? dv : dv = new DataView(mem.buffer);
function toUint64(val) {
  const converted = BigInt(val);
  return BigInt.asUintN(64, converted);
}
function toUint32(val) {
  return val >>> 0;
}
function _isValidNumericPrimitive(ty, v) {
  if (v === void 0 || v === null) {
    return false;
  }
  switch (ty) {
    case "bool":
      return v === 0 || v === 1;
      break;
    case "u8":
      return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 255;
      break;
    case "s8":
      return typeof v === "number" && Number.isInteger(v) && v >= -128 && v <= 127;
      break;
    case "u16":
      return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 65535;
      break;
    case "s16":
      return typeof v === "number" && Number.isInteger(v) && v >= -32768 && v <= 32767;
    case "u32":
      return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 4294967295;
    case "s32":
      return typeof v === "number" && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;
    case "u64":
      return typeof v === "bigint" && v >= 0 && v <= 18446744073709551615n;
    case "s64":
      return typeof v === "bigint" && v >= -9223372036854775808n && v <= 9223372036854775807n;
      break;
    case "f32":
    case "f64":
      return typeof v === "number";
    default:
      return false;
  }
  return true;
}
function _requireValidNumericPrimitive(ty, v) {
  if (v === void 0 || v === null || !_isValidNumericPrimitive(ty, v)) {
    throw new TypeError(`invalid ${ty} value [${v}]`);
  }
  return true;
}
var utf16Decoder = new TextDecoder("utf-16");
var isLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
function _utf16AllocateAndEncode(str, realloc, memory) {
  const len = str.length;
  const ptr = realloc(0, 0, 2, len * 2);
  const out = new Uint16Array(memory.buffer, ptr, len);
  let i = 0;
  if (isLE) {
    while (i < len) {
      out[i] = str.charCodeAt(i++);
    }
  } else {
    while (i < len) {
      const ch = str.charCodeAt(i);
      out[i++] = (ch & 255) << 8 | ch >>> 8;
    }
  }
  return { ptr, len, codepoints: [...str].length };
}
var TEXT_DECODER_UTF8 = new TextDecoder();
var TEXT_ENCODER_UTF8 = new TextEncoder();
function _utf8AllocateAndEncode(s, realloc, memory) {
  if (typeof s !== "string") {
    throw new TypeError("expected a string, received [" + typeof s + "]");
  }
  if (s.length === 0) {
    return { ptr: 1, len: 0 };
  }
  let len = 0;
  let codepoints = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    codepoints++;
    if (ch < 128) {
      len += 1;
    } else if (ch < 2048) {
      len += 2;
    } else if (ch >= 55296 && ch <= 56319 && i + 1 < s.length && (s.charCodeAt(i + 1) & 64512) === 56320) {
      len += 4;
      i++;
    } else {
      len += 3;
    }
  }
  const ptr = realloc(0, 0, 1, len);
  const { read, written } = TEXT_ENCODER_UTF8.encodeInto(
    s,
    new Uint8Array(memory.buffer, ptr, len)
  );
  if (read !== s.length || written !== len) {
    throw new Error("failed to encode whole string");
  }
  const res = { ptr, len, codepoints };
  return res;
}
var T_FLAG2 = 1 << 30;
function rscTableCreateOwn(table, rep3) {
  const free = table[0] & ~T_FLAG2;
  table._createdReps.add(rep3);
  if (free === 0) {
    table.push(0);
    table.push(rep3 | T_FLAG2);
    return (table.length >> 1) - 1;
  }
  table[0] = table[free << 1];
  table[free << 1] = 0;
  table[(free << 1) + 1] = rep3 | T_FLAG2;
  return free;
}
var RESOURCE_SCOPE_TASKS = /* @__PURE__ */ new Map();
var WebAssemblyRuntimeError = WebAssembly.RuntimeError;
function rscTableRemove(table, handle2) {
  const scope = table[handle2 << 1];
  const val = table[(handle2 << 1) + 1];
  const own = (val & T_FLAG2) !== 0;
  const rep3 = val & ~T_FLAG2;
  if (val === 0 || (scope & T_FLAG2) !== 0) {
    throw new WebAssemblyRuntimeError(`unknown handle index ${(handle2 << 1) + 1}`);
  }
  if (own && scope !== 0) {
    throw new WebAssemblyRuntimeError("cannot remove owned resource while borrowed");
  }
  const borrowTask = own ? void 0 : RESOURCE_SCOPE_TASKS.get(scope);
  table[handle2 << 1] = table[0] | T_FLAG2;
  table[0] = handle2 | T_FLAG2;
  borrowTask?.removeBorrowedHandle();
  return { rep: rep3, scope, own };
}
var RESOURCE_SCOPE_ID = 0;
var curResourceBorrows = [];
var ASYNC_TASKS_BY_COMPONENT_IDX = /* @__PURE__ */ new Map();
var ASYNC_CURRENT_COMPONENT_IDXS = [];
function getCurrentTask(componentIdx2, taskID) {
  let usedGlobal = false;
  if (componentIdx2 === void 0 || componentIdx2 === null) {
    throw new Error("missing component idx");
  }
  const taskMetas = ASYNC_TASKS_BY_COMPONENT_IDX.get(componentIdx2);
  if (taskMetas === void 0 || taskMetas.length === 0) {
    return void 0;
  }
  if (taskID) {
    return taskMetas.find((meta) => meta.task.id() === taskID);
  }
  const taskMeta = taskMetas[taskMetas.length - 1];
  if (!taskMeta || !taskMeta.task) {
    return void 0;
  }
  return taskMeta;
}
var ASYNC_CURRENT_TASK_IDS = [];
var _debugLog = (...args) => {
  if (!globalThis?.process?.env?.JCO_DEBUG) {
    return;
  }
  console.debug(...args);
};
function clearCurrentTask(componentIdx2, taskID) {
  _debugLog("[clearCurrentTask()] args", { componentIdx: componentIdx2, taskID });
  if (componentIdx2 === void 0 || componentIdx2 === null) {
    throw new Error("missing/invalid component instance index while ending current task");
  }
  const tasks = ASYNC_TASKS_BY_COMPONENT_IDX.get(componentIdx2);
  if (!tasks || !Array.isArray(tasks)) {
    throw new Error("missing/invalid tasks for component instance while ending task");
  }
  if (tasks.length == 0) {
    throw new Error(`no current tasks for component instance [${componentIdx2}] while ending task`);
  }
  if (taskID !== void 0) {
    const last = tasks[tasks.length - 1];
    if (last.id !== taskID) {
      return;
    }
  }
  ASYNC_CURRENT_TASK_IDS.pop();
  ASYNC_CURRENT_COMPONENT_IDXS.pop();
  const taskMeta = tasks.pop();
  return taskMeta.task;
}
var ASYNC_STATE = /* @__PURE__ */ new Map();
function promiseWithResolvers() {
  if (Promise.withResolvers) {
    return Promise.withResolvers();
  } else {
    let resolve2;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve2 = res;
      reject = rej;
    });
    return { promise, resolve: resolve2, reject };
  }
}
var Waitable = class {
  #componentIdx;
  #pendingEventFn = null;
  #promise;
  #resolve;
  #reject;
  #waitableSet = null;
  #hasSyncWaiter = false;
  #idx = null;
  // to component-global waitables
  target;
  constructor(args) {
    const { componentIdx: componentIdx2, target } = args;
    this.#componentIdx = componentIdx2;
    this.target = args.target;
    this.#resetPromise();
  }
  componentIdx() {
    return this.#componentIdx;
  }
  isInSet() {
    return this.#waitableSet !== null;
  }
  idx() {
    return this.#idx;
  }
  setIdx(idx) {
    if (idx === 0) {
      throw new Error("waitable idx cannot be zero");
    }
    this.#idx = idx;
  }
  setTarget(tgt) {
    this.target = tgt;
  }
  #resetPromise() {
    const { promise, resolve: resolve2, reject } = promiseWithResolvers();
    this.#promise = promise;
    this.#resolve = resolve2;
    this.#reject = reject;
  }
  resolve() {
    this.#resolve();
  }
  reject(err) {
    this.#reject(err);
  }
  promise() {
    return this.#promise;
  }
  hasPendingEvent() {
    return this.#pendingEventFn !== null;
  }
  setPendingEvent(fn) {
    _debugLog("[Waitable#setPendingEvent()] args", {
      waitable: this,
      inSet: this.#waitableSet
    });
    this.#pendingEventFn = fn;
  }
  getPendingEvent() {
    _debugLog("[Waitable#getPendingEvent()] args", {
      waitable: this,
      inSet: this.#waitableSet,
      hasPendingEvent: this.#pendingEventFn !== null
    });
    if (this.#pendingEventFn === null) {
      return null;
    }
    const eventFn = this.#pendingEventFn;
    this.#pendingEventFn = null;
    const e = eventFn();
    this.#resetPromise();
    return e;
  }
  join(waitableSet) {
    _debugLog("[Waitable#join()] args", {
      waitable: this,
      waitableSet,
      isRemoval: waitableSet === null
    });
    if (this.#waitableSet === void 0) {
      throw new TypeError("waitable set must be not be undefined");
    }
    if (this.#waitableSet) {
      this.#waitableSet.removeWaitable(this);
    }
    this.#waitableSet = waitableSet;
    if (waitableSet) {
      this.#waitableSet.addWaitable(this);
    }
  }
  drop() {
    _debugLog("[Waitable#drop()] args", {
      componentIdx: this.#componentIdx,
      waitable: this
    });
    if (this.hasPendingEvent()) {
      throw new Error("waitables with pending events cannot be dropped");
    }
    this.join(null);
  }
  async waitForPendingEvent(args) {
    const { cstate } = args;
    if (!cstate) {
      throw new TypeError("missing component state");
    }
    if (this.#waitableSet !== null || this.#hasSyncWaiter) {
      throw new Error("waitable is already in a set/has a sync waiter");
    }
    this.#hasSyncWaiter = true;
    await cstate.waitUntil({
      cancellable: false,
      readyFn: () => this.hasPendingEvent()
    });
    this.#hasSyncWaiter = false;
  }
};
var INSTANCE_FLAGS = /* @__PURE__ */ new Map();
var STORE_TRAP = { error: null };
var STORE_ASYNC_STATE = { deadlockCheck: null, pendingHostOperations: 0 };
function _checkForDeadlock() {
  if (STORE_ASYNC_STATE.deadlockCheck !== null || STORE_TRAP.error !== null) {
    return;
  }
  STORE_ASYNC_STATE.deadlockCheck = setTimeout(() => {
    STORE_ASYNC_STATE.deadlockCheck = null;
    if (STORE_TRAP.error !== null || STORE_ASYNC_STATE.pendingHostOperations > 0) {
      return;
    }
    const suspendedTasks = /* @__PURE__ */ new Set();
    for (const state of ASYNC_STATE.values()) {
      if (state.hasPendingSchedulerWork()) {
        state.runTickLoop();
        return;
      }
      for (const meta of state.suspendedTaskMetas()) {
        suspendedTasks.add(meta.task);
      }
    }
    const unresolvedRoots = /* @__PURE__ */ new Set();
    for (const task of suspendedTasks) {
      const root = task.getRootTask();
      if (!root.isResolvedState()) {
        unresolvedRoots.add(root);
      }
    }
    if (unresolvedRoots.size === 0) {
      return;
    }
    const err = new WebAssemblyRuntimeError("wasm trap: deadlock detected: event loop cannot make further progress");
    err.deadlockDetail = {
      pendingHostOperations: STORE_ASYNC_STATE.pendingHostOperations,
      suspendedTasks: [...suspendedTasks].map((task) => ({
        taskID: task.id(),
        componentIdx: task.componentIdx(),
        state: task.taskState(),
        rootTaskID: task.getRootTask().id()
      })),
      unresolvedRootTaskIDs: [...unresolvedRoots].map((root) => root.id())
    };
    STORE_TRAP.error = err;
    for (const root of unresolvedRoots) {
      root.setErrored(err);
      root.reject(err);
    }
    for (const task of suspendedTasks) {
      if (!task.isResolvedState() && unresolvedRoots.has(task.getRootTask())) {
        task.setErrored(err);
        task.reject(err);
      }
    }
    for (const state of ASYNC_STATE.values()) {
      state.runTickLoop();
    }
  }, 0);
}
var CORE_TRAP_MESSAGES = /* @__PURE__ */ new Map([
  ["unreachable", "wasm trap: wasm `unreachable` instruction executed"],
  ["memory access out of bounds", "wasm trap: out of bounds memory access"],
  ["divide by zero", "wasm trap: integer divide by zero"],
  ["remainder by zero", "wasm trap: integer divide by zero"],
  ["divide result unrepresentable", "wasm trap: integer overflow"],
  ["float unrepresentable in integer range", "wasm trap: invalid conversion to integer"],
  ["table index is out of bounds", "wasm trap: undefined element: out of bounds table access"],
  ["function signature mismatch", "wasm trap: indirect call type mismatch"],
  ["call stack exhausted", "wasm trap: call stack exhausted"]
]);
function _normalizeCoreTrap(err) {
  if (!(err instanceof WebAssemblyRuntimeError)) {
    return err;
  }
  const message = CORE_TRAP_MESSAGES.get(err.message);
  if (message !== void 0) {
    err.message = message;
  }
  return err;
}
var RepTable = class _RepTable {
  // Sentinel marking a freed slot; the freelist link for a freed slot
  // lives in the odd cell. This keeps get()/contains()/remove() on freed
  // reps well-defined (previously they returned/corrupted freelist links).
  static FREE = /* @__PURE__ */ Symbol("RepTable.free");
  #data = [0, null];
  #size = 0;
  #target;
  constructor(args) {
    this.target = args?.target;
  }
  data() {
    return this.#data;
  }
  insert(val) {
    _debugLog("[RepTable#insert()] args", { val, target: this.target });
    const freeIdx = this.#data[0];
    if (freeIdx === 0) {
      this.#data.push(val);
      this.#data.push(null);
      const rep3 = (this.#data.length >> 1) - 1;
      _debugLog("[RepTable#insert()] inserted", { val, target: this.target, rep: rep3 });
      this.#size += 1;
      return rep3;
    }
    const placementIdx = freeIdx << 1;
    if (this.#data[placementIdx] !== _RepTable.FREE) {
      throw new Error("corrupt rep table freelist: head does not point at a freed slot");
    }
    this.#data[0] = this.#data[placementIdx + 1];
    this.#data[placementIdx] = val;
    this.#data[placementIdx + 1] = null;
    _debugLog("[RepTable#insert()] inserted", { val, target: this.target, rep: freeIdx });
    this.#size += 1;
    return freeIdx;
  }
  get(rep3) {
    _debugLog("[RepTable#get()] args", { rep: rep3, target: this.target });
    if (rep3 === 0) {
      throw new Error("invalid resource rep during get, (cannot be 0)");
    }
    const baseIdx = rep3 << 1;
    const val = this.#data[baseIdx];
    if (val === _RepTable.FREE) {
      return void 0;
    }
    return val;
  }
  contains(rep3) {
    _debugLog("[RepTable#contains()] args", { rep: rep3, target: this.target });
    if (rep3 === 0) {
      throw new Error("invalid resource rep during contains, (cannot be 0)");
    }
    const baseIdx = rep3 << 1;
    const val = this.#data[baseIdx];
    return val !== _RepTable.FREE && !!val;
  }
  remove(rep3) {
    _debugLog("[RepTable#remove()] args", { rep: rep3, target: this.target });
    if (rep3 === 0) {
      throw new Error("invalid resource rep during remove, (cannot be 0)");
    }
    if (this.#data.length === 2) {
      throw new Error("invalid");
    }
    const baseIdx = rep3 << 1;
    if (baseIdx >= this.#data.length) {
      throw new Error(`invalid rep [${rep3}] during remove, out of range`);
    }
    const val = this.#data[baseIdx];
    if (val === _RepTable.FREE) {
      throw new Error(`double removal of rep [${rep3}] (already freed)`);
    }
    this.#data[baseIdx] = _RepTable.FREE;
    this.#data[baseIdx + 1] = this.#data[0];
    this.#data[0] = rep3;
    this.#size -= 1;
    return val;
  }
  size() {
    return this.#size;
  }
  clear() {
    _debugLog("[RepTable#clear()] args", { rep, target: this.target });
    this.#data = [0, null];
  }
};
var ComponentAsyncState = class _ComponentAsyncState {
  static EVENT_HANDLER_EVENTS = ["backpressure-change"];
  static TickResult = {
    // no suspended tasks remain
    DONE: "done",
    // a suspended task was resumed (more may be ready)
    RESUMED: "resumed",
    // suspended tasks remain but none were ready
    IDLE: "idle"
  };
  #componentIdx;
  #callingAsyncImport = false;
  #syncImportWait = promiseWithResolvers();
  #lockHolderTaskID = null;
  #lockWaiters = [];
  #lockHandoffScheduled = false;
  #pendingTaskStarts = 0;
  #parkedTasks = /* @__PURE__ */ new Map();
  #suspendedTasksByTaskID = /* @__PURE__ */ new Map();
  #suspendedTaskIDs = [];
  #errored = null;
  #trapped = false;
  #backpressure = 0;
  #backpressureWaiters = 0n;
  #handlerMap = /* @__PURE__ */ new Map();
  #nextHandlerID = 0n;
  #tickLoop = null;
  #tickLoopInterval = null;
  #onExclusiveReleaseHandlers = [];
  #mayLeave = true;
  handles;
  subtasks;
  constructor(args) {
    this.#componentIdx = args.componentIdx;
    this.handles = new RepTable({ target: `component [${this.#componentIdx}] handles (waitable objects)` });
    this.subtasks = new RepTable({ target: `component [${this.#componentIdx}] subtasks` });
  }
  componentIdx() {
    return this.#componentIdx;
  }
  get mayLeave() {
    const flags = INSTANCE_FLAGS.get(this.#componentIdx);
    return flags === void 0 ? this.#mayLeave : flags.value === 1;
  }
  set mayLeave(value) {
    if (typeof value !== "boolean") {
      throw new TypeError("mayLeave must be a boolean");
    }
    this.#mayLeave = value;
    const flags = INSTANCE_FLAGS.get(this.#componentIdx);
    if (flags !== void 0) {
      flags.value = value ? 1 : 0;
    }
  }
  errored() {
    return this.#errored !== null;
  }
  setErrored(err) {
    _debugLog("[ComponentAsyncState#setErrored()] component errored", { err, componentIdx: this.#componentIdx });
    if (this.#errored) {
      return;
    }
    if (!err) {
      err = new Error("error elswehere (see other component instance error)");
      err.componentIdx = this.#componentIdx;
    }
    this.#errored = err;
  }
  markTrapped(err) {
    if (!(err instanceof WebAssemblyRuntimeError)) {
      return false;
    }
    err = _normalizeCoreTrap(err);
    this.#trapped = true;
    _debugLog("[ComponentAsyncState#markTrapped()] component trapped", { err, componentIdx: this.#componentIdx });
    if (STORE_TRAP.error === null) {
      STORE_TRAP.error = err;
    }
    return true;
  }
  throwIfTrapped() {
    if (this.#trapped) {
      throw new WebAssemblyRuntimeError("wasm trap: cannot enter component instance");
    }
  }
  callingSyncImport(val) {
    if (val === void 0) {
      return this.#callingAsyncImport;
    }
    if (typeof val !== "boolean") {
      throw new TypeError("invalid setting for async import");
    }
    const prev = this.#callingAsyncImport;
    this.#callingAsyncImport = val;
    if (prev === true && this.#callingAsyncImport === false) {
      this.#notifySyncImportEnd();
    }
  }
  #notifySyncImportEnd() {
    const existing = this.#syncImportWait;
    this.#syncImportWait = promiseWithResolvers();
    existing.resolve();
  }
  async waitForSyncImportCallEnd() {
    await this.#syncImportWait.promise;
  }
  setBackpressure(v) {
    this.#backpressure = v;
    return this.#backpressure;
  }
  getBackpressure() {
    return this.#backpressure;
  }
  incrementBackpressure() {
    const current = this.#backpressure;
    if (current < 0 || current > 2 ** 16) {
      throw new Error(`invalid current backpressure value [${current}]`);
    }
    const newValue = this.getBackpressure() + 1;
    if (newValue >= 2 ** 16) {
      throw new Error(`invalid new backpressure value [${newValue}], overflow`);
    }
    return this.setBackpressure(newValue);
  }
  decrementBackpressure() {
    const current = this.#backpressure;
    if (current < 0 || current > 2 ** 16) {
      throw new Error(`invalid current backpressure value [${current}]`);
    }
    const newValue = Math.max(0, current - 1);
    if (newValue < 0) {
      throw new Error(`invalid new backpressure value [${newValue}], underflow`);
    }
    return this.setBackpressure(newValue);
  }
  hasBackpressure() {
    return this.#backpressure > 0;
  }
  waitForBackpressure() {
    let backpressureCleared = false;
    const cstate = this;
    cstate.addBackpressureWaiter();
    const handlerID = this.registerHandler({
      event: "backpressure-change",
      fn: (bp) => {
        if (bp === 0) {
          cstate.removeHandler(handlerID);
          backpressureCleared = true;
        }
      }
    });
    return new Promise((resolve2) => {
      const interval = setInterval(() => {
        if (backpressureCleared) {
          return;
        }
        clearInterval(interval);
        cstate.removeBackpressureWaiter();
        resolve2(null);
      }, 0);
    });
  }
  registerHandler(args) {
    const { event, fn } = args;
    if (!event) {
      throw new Error("missing handler event");
    }
    if (!fn) {
      throw new Error("missing handler fn");
    }
    if (!_ComponentAsyncState.EVENT_HANDLER_EVENTS.includes(event)) {
      throw new Error(`unrecognized event handler [${event}]`);
    }
    const handlerID = this.#nextHandlerID++;
    let handlers = this.#handlerMap.get(event);
    if (!handlers) {
      handlers = [];
      this.#handlerMap.set(event, handlers);
    }
    handlers.push({ id: handlerID, fn, event });
    return handlerID;
  }
  removeHandler(args) {
    const { event, handlerID } = args;
    const registeredHandlers = this.#handlerMap.get(event);
    if (!registeredHandlers) {
      return;
    }
    const found = registeredHandlers.find((h) => h.id === handlerID);
    if (!found) {
      return;
    }
    this.#handlerMap.set(event, this.#handlerMap.get(event).filter((h) => h.id !== handlerID));
  }
  getBackpressureWaiters() {
    return this.#backpressureWaiters;
  }
  addBackpressureWaiter() {
    this.#backpressureWaiters++;
  }
  removeBackpressureWaiter() {
    this.#backpressureWaiters--;
    if (this.#backpressureWaiters < 0) {
      throw new Error("unexepctedly negative number of backpressure waiters");
    }
  }
  // The per-slice mutual-exclusion lock for guest execution in this
  // component instance. Guest slices (callback invocations and
  // sync-lifted bodies) must be atomic per component even across the
  // JSPI suspensions jco introduces for host imports: wit-bindgen's
  // executors publish per-task state in single linear-memory cells
  // (the wasip3-task pointer, context-local storage discipline) that
  // an interleaved slice of the same component corrupts
  //
  // The lock is *owned*: acquisition records the holder task and
  // release is a no-op for anyone else, so a task exiting can no
  // longer drop a hold it does not own (blind acquire/release-any
  // was the previous discipline). Contended acquisition queues
  // FIFO; release hands the lock to the next waiter directly.
  isExclusivelyLocked() {
    return this.#lockHolderTaskID !== null;
  }
  exclusivelyLockedBy(taskID) {
    return this.#lockHolderTaskID === taskID;
  }
  exclusiveLock(taskID) {
    _debugLog("[ComponentAsyncState#exclusiveLock()]", {
      holder: this.#lockHolderTaskID,
      requester: taskID,
      componentIdx: this.#componentIdx
    });
    if (taskID === void 0 || taskID === null) {
      throw new Error("exclusive lock requires the acquiring task id");
    }
    if (this.#lockHolderTaskID !== null) {
      throw new Error(`component [${this.#componentIdx}] exclusive lock held by task [${this.#lockHolderTaskID}], requested by [${taskID}]`);
    }
    this.#lockHolderTaskID = taskID;
  }
  // Awaitable acquisition: takes the lock immediately when free,
  // otherwise queues FIFO behind the current holder and earlier
  // waiters. The resolved promise implies ownership.
  acquireExclusiveLock(taskID) {
    if (taskID === void 0 || taskID === null) {
      throw new Error("exclusive lock requires the acquiring task id");
    }
    if (this.#lockHolderTaskID === null) {
      this.#lockHolderTaskID = taskID;
      _debugLog("[ComponentAsyncState#acquireExclusiveLock()] acquired", {
        holder: taskID,
        componentIdx: this.#componentIdx
      });
      return;
    }
    if (this.#lockHolderTaskID === taskID) {
      throw new Error(`task [${taskID}] already holds the lock for component [${this.#componentIdx}]`);
    }
    _debugLog("[ComponentAsyncState#acquireExclusiveLock()] waiting", {
      holder: this.#lockHolderTaskID,
      requester: taskID,
      componentIdx: this.#componentIdx,
      queued: this.#lockWaiters.length
    });
    return new Promise((resolve2) => {
      this.#lockWaiters.push({ taskID, resolve: resolve2 });
    });
  }
  exclusiveRelease(taskID) {
    _debugLog("[ComponentAsyncState#exclusiveRelease()] args", {
      holder: this.#lockHolderTaskID,
      releaser: taskID,
      componentIdx: this.#componentIdx
    });
    if (this.#lockHolderTaskID !== taskID) {
      _debugLog("[ComponentAsyncState#exclusiveRelease()] ignoring foreign release", {
        holder: this.#lockHolderTaskID,
        releaser: taskID,
        componentIdx: this.#componentIdx
      });
      return false;
    }
    this.#lockHolderTaskID = null;
    this.#onExclusiveReleaseHandlers = this.#onExclusiveReleaseHandlers.filter((v) => !!v);
    for (const [idx, f] of this.#onExclusiveReleaseHandlers.entries()) {
      try {
        this.#onExclusiveReleaseHandlers[idx] = null;
        f();
      } catch (err) {
        _debugLog("error while executing handler for next exclusive release", err);
        throw err;
      }
    }
    this.#scheduleLockHandoff();
    return true;
  }
  #scheduleLockHandoff() {
    if (this.#lockHandoffScheduled || this.#lockWaiters.length === 0) {
      return;
    }
    this.#lockHandoffScheduled = true;
    queueMicrotask(() => {
      this.#lockHandoffScheduled = false;
      if (this.#lockHolderTaskID !== null) {
        this.#scheduleLockHandoff();
        return;
      }
      const next = this.#lockWaiters.shift();
      if (!next) {
        return;
      }
      this.#lockHolderTaskID = next.taskID;
      next.resolve();
    });
  }
  onNextExclusiveRelease(fn) {
    _debugLog("[ComponentAsyncState#()onNextExclusiveRelease] registering");
    this.#onExclusiveReleaseHandlers.push(fn);
  }
  async waitForExclusiveRelease() {
    while (this.isExclusivelyLocked()) {
      await new Promise((resolve2) => this.onNextExclusiveRelease(resolve2));
    }
  }
  #getSuspendedTaskMeta(taskID) {
    return this.#suspendedTasksByTaskID.get(taskID);
  }
  #removeSuspendedTaskMeta(taskID) {
    _debugLog("[ComponentAsyncState#removeSuspendedTaskMeta()] removing suspended task", {
      taskID,
      componentIdx: this.#componentIdx
    });
    const idx = this.#suspendedTaskIDs.findIndex((t) => t === taskID);
    const meta = this.#suspendedTasksByTaskID.get(taskID);
    this.#suspendedTaskIDs[idx] = null;
    this.#suspendedTasksByTaskID.delete(taskID);
    return meta;
  }
  #addSuspendedTaskMeta(meta) {
    if (!meta) {
      throw new Error("missing task meta");
    }
    const taskID = meta.taskID;
    this.#suspendedTasksByTaskID.set(taskID, meta);
    this.#suspendedTaskIDs.push(taskID);
    if (this.#suspendedTasksByTaskID.size < this.#suspendedTaskIDs.length - 10) {
      this.#suspendedTaskIDs = this.#suspendedTaskIDs.filter((t) => t !== null);
    }
  }
  // TODO(threads): readyFn is normally on the thread
  suspendTask(args) {
    const { task, readyFn, cancellable, onResume } = args;
    const taskID = task.id();
    const componentIdx2 = task.componentIdx();
    _debugLog("[ComponentAsyncState#suspendTask()]", {
      taskID,
      componentIdx: this.#componentIdx,
      taskEntryFnName: task.entryFnName(),
      subtask: task.getParentSubtask()
    });
    if (componentIdx2 !== this.#componentIdx) {
      throw new Error("assert: task component idx should match async state");
    }
    if (this.#getSuspendedTaskMeta(taskID)) {
      throw new Error(`task [${taskID}] already suspended`);
    }
    let promise;
    let resume;
    if (onResume) {
      resume = () => onResume(!task.isCancelled());
    } else {
      const resolvers = promiseWithResolvers();
      promise = resolvers.promise;
      resume = () => resolvers.resolve(!task.isCancelled());
    }
    this.#addSuspendedTaskMeta({
      task,
      taskID,
      cancellable,
      readyFn,
      resume: () => {
        _debugLog("[ComponentAsyncState] resuming suspended task", {
          taskID,
          componentIdx: this.#componentIdx
        });
        resume();
      }
    });
    task.notifyProgress();
    this.runTickLoop();
    _checkForDeadlock();
    return promise;
  }
  resumeTaskByID(taskID) {
    const meta = this.#removeSuspendedTaskMeta(taskID);
    if (!meta) {
      return false;
    }
    if (meta.taskID !== taskID) {
      throw new Error("task ID does not match");
    }
    meta.resume();
    return true;
  }
  suspendedTaskReady(taskID) {
    const meta = this.#getSuspendedTaskMeta(taskID);
    if (!meta) {
      return false;
    }
    if (!meta.readyFn) {
      throw new Error(`suspended task [${taskID}] is missing a readiness function`);
    }
    return meta.task.isRejected() || meta.readyFn();
  }
  suspendedTaskCancellable(taskID) {
    return !!this.#getSuspendedTaskMeta(taskID)?.cancellable;
  }
  isTaskSuspended(taskID) {
    return this.#suspendedTasksByTaskID.has(taskID);
  }
  suspendedTaskMetas() {
    return this.#suspendedTasksByTaskID.values();
  }
  addPendingTaskStart() {
    this.#pendingTaskStarts++;
  }
  removePendingTaskStart() {
    this.#pendingTaskStarts--;
  }
  hasPendingSchedulerWork() {
    if (this.#pendingTaskStarts > 0) {
      return true;
    }
    if (this.#lockHandoffScheduled) {
      return true;
    }
    for (const meta of this.#suspendedTasksByTaskID.values()) {
      if (meta.task.isRejected() || meta.readyFn()) {
        return true;
      }
    }
    return false;
  }
  async runTickLoop() {
    if (this.#tickLoop !== null) {
      return;
    }
    this.#tickLoop = 1;
    setTimeout(async () => {
      let result = this.tick();
      while (result !== _ComponentAsyncState.TickResult.DONE) {
        if (result === _ComponentAsyncState.TickResult.IDLE) {
          _checkForDeadlock();
        }
        const delay = result === _ComponentAsyncState.TickResult.RESUMED ? 0 : 10;
        await new Promise((resolve2) => setTimeout(resolve2, delay));
        result = this.tick();
      }
      this.#tickLoop = null;
    }, 10);
  }
  tick() {
    const resumableTasks = this.#suspendedTaskIDs.filter((t) => t !== null);
    for (const taskID of resumableTasks) {
      const meta = this.#suspendedTasksByTaskID.get(taskID);
      if (!meta || !meta.readyFn) {
        throw new Error(`missing/invalid task despite ID [${taskID}] being present`);
      }
      if (meta.task.isRejected()) {
        _debugLog("[ComponentAsyncState#tick()] detected task rejection, leaving early", { meta });
        this.resumeTaskByID(taskID);
        return _ComponentAsyncState.TickResult.RESUMED;
      }
      const isReady = meta.readyFn();
      if (!isReady) {
        continue;
      }
      _debugLog("[ComponentAsyncState#tick()] resuming task via tick", {
        taskID,
        componentIdx: this.#componentIdx
      });
      this.resumeTaskByID(taskID);
      return _ComponentAsyncState.TickResult.RESUMED;
    }
    const idle = this.#suspendedTaskIDs.filter((t) => t !== null).length > 0;
    return idle ? _ComponentAsyncState.TickResult.IDLE : _ComponentAsyncState.TickResult.DONE;
  }
  createWaitable(args) {
    return new Waitable({ target: args?.target });
  }
};
function getOrCreateAsyncState(componentIdx2, init) {
  if (!ASYNC_STATE.has(componentIdx2)) {
    const newState = new ComponentAsyncState({ componentIdx: componentIdx2 });
    ASYNC_STATE.set(componentIdx2, newState);
  }
  return ASYNC_STATE.get(componentIdx2);
}
var GLOBAL_COMPONENT_MEMORY_MAP = /* @__PURE__ */ new Map();
function lookupMemoriesForComponent(args) {
  const { componentIdx: componentIdx2 } = args ?? {};
  if (args.componentIdx === void 0) {
    throw new TypeError("missing component idx");
  }
  const metas = GLOBAL_COMPONENT_MEMORY_MAP.get(componentIdx2);
  if (!metas) {
    return [];
  }
  if (args.memoryIdx === void 0) {
    return Object.values(metas);
  }
  const meta = metas[args.memoryIdx];
  return meta?.memory;
}
var AsyncSubtask = class _AsyncSubtask {
  static _ID = 0n;
  static State = {
    STARTING: 0,
    STARTED: 1,
    RETURNED: 2,
    CANCELLED_BEFORE_STARTED: 3,
    CANCELLED_BEFORE_RETURNED: 4
  };
  #id;
  #state = _AsyncSubtask.State.STARTING;
  #componentIdx;
  #parentTask;
  #childTask = null;
  #dropped = false;
  #cancelRequested = false;
  #memoryIdx = null;
  #lenders = null;
  #waitable = null;
  #callbackFn = null;
  #callbackFnName = null;
  #postReturnFn = null;
  #onProgressFn = null;
  #pendingEventFn = null;
  #callMetadata = {};
  #resolved = false;
  #onResolveHandlers = [];
  #onStartHandlers = [];
  #result = null;
  #resultSet = false;
  fnName;
  target;
  isAsync;
  isManualAsync;
  // One execution slice awaited by the conditional cancel trampoline.
  cancelProgress = null;
  constructor(args) {
    if (typeof args.componentIdx !== "number") {
      throw new Error("invalid componentIdx for subtask creation");
    }
    this.#componentIdx = args.componentIdx;
    this.#id = ++_AsyncSubtask._ID;
    this.fnName = args.fnName;
    if (!args.parentTask) {
      throw new Error("missing parent task during subtask creation");
    }
    this.#parentTask = args.parentTask;
    if (args.childTask) {
      this.#childTask = args.childTask;
    }
    if (args.memoryIdx) {
      this.#memoryIdx = args.memoryIdx;
    }
    if (!args.waitable) {
      throw new Error("missing/invalid waitable");
    }
    this.#waitable = args.waitable;
    if (args.callMetadata) {
      this.#callMetadata = args.callMetadata;
    }
    this.#lenders = [];
    this.target = args.target;
    this.isAsync = args.isAsync;
    this.isManualAsync = args.isManualAsync;
  }
  id() {
    return this.#id;
  }
  parentTaskID() {
    return this.#parentTask?.id();
  }
  childTaskID() {
    return this.#childTask?.id();
  }
  state() {
    return this.#state;
  }
  waitable() {
    return this.#waitable;
  }
  waitableRep() {
    return this.#waitable.idx();
  }
  join() {
    return this.#waitable.join(...arguments);
  }
  getPendingEvent() {
    return this.#waitable.getPendingEvent(...arguments);
  }
  hasPendingEvent() {
    return this.#waitable.hasPendingEvent(...arguments);
  }
  setPendingEvent() {
    return this.#waitable.setPendingEvent(...arguments);
  }
  setTarget(tgt) {
    this.target = tgt;
  }
  getResult() {
    if (!this.#resultSet) {
      throw new Error("subtask result has not been set");
    }
    return this.#result;
  }
  setResult(v) {
    if (this.#resultSet) {
      throw new Error("subtask result has already been set");
    }
    this.#result = v;
    this.#resultSet = true;
  }
  componentIdx() {
    return this.#componentIdx;
  }
  setChildTask(t) {
    if (!t) {
      throw new Error("cannot set missing/invalid child task on subtask");
    }
    if (this.#childTask) {
      throw new Error("child task is already set on subtask");
    }
    if (this.#parentTask === t) {
      throw new Error("parent cannot be child");
    }
    this.#childTask = t;
  }
  getChildTask(t) {
    return this.#childTask;
  }
  getParentTask() {
    return this.#parentTask;
  }
  setCallbackFn(f, name) {
    if (!f) {
      return;
    }
    if (this.#callbackFn) {
      throw new Error("callback fn can only be set once");
    }
    this.#callbackFn = f;
    this.#callbackFnName = name;
  }
  getCallbackFnName() {
    if (!this.#callbackFn) {
      return void 0;
    }
    return this.#callbackFn.name;
  }
  setPostReturnFn(f) {
    if (!f) {
      return;
    }
    if (this.#postReturnFn) {
      throw new Error("postReturn fn can only be set once");
    }
    this.#postReturnFn = f;
  }
  setOnProgressFn(f) {
    if (this.#onProgressFn) {
      throw new Error("on progress fn can only be set once");
    }
    this.#onProgressFn = f;
  }
  isNotStarted() {
    return this.#state == _AsyncSubtask.State.STARTING;
  }
  cancellationRequested() {
    return this.#cancelRequested;
  }
  // Request cooperative cancellation of this subtask, on behalf of the
  // supertask (i.e. `canon subtask.cancel`).
  //
  // If the callee is another guest task, the request is delivered to it and
  // the callee confirms via `task.cancel` (or still resolves via `task.return`).
  //
  // If the callee is a host function there is (currently) no host-side
  // cancellation hook, so the pending call is treated as immediately
  // cancelled -- consistent with hosts being expected to resolve
  // cancellation promptly -- and any later host resolution is discarded
  // (see `AsyncTask#onResolve`).
  requestCancellation() {
    _debugLog("[AsyncSubtask#requestCancellation()] args", {
      componentIdx: this.#componentIdx,
      subtaskID: this.#id,
      state: this.#state,
      childTaskID: this.childTaskID(),
      fnName: this.fnName
    });
    if (this.#cancelRequested) {
      throw new Error("cancellation has already been requested for this subtask");
    }
    this.#cancelRequested = true;
    if (this.#resolved) {
      return;
    }
    if (this.#childTask) {
      this.#childTask.requestCancellation();
      return;
    }
    this.onResolve(null);
  }
  registerOnStartHandler(f) {
    this.#onStartHandlers.push(f);
  }
  onStart(args) {
    _debugLog("[AsyncSubtask#onStart()] args", {
      componentIdx: this.#componentIdx,
      subtaskID: this.#id,
      parentTaskID: this.parentTaskID(),
      fnName: this.fnName,
      args
    });
    if (this.#onProgressFn) {
      this.#onProgressFn();
    }
    this.#parentTask.notifyProgress();
    this.#state = _AsyncSubtask.State.STARTED;
    let result;
    if (this.#callMetadata.startFn) {
      result = this.#callMetadata.startFn.apply(null, args?.startFnParams ?? []);
    }
    return result;
  }
  registerOnResolveHandler(f) {
    this.#onResolveHandlers.push(f);
  }
  reject(subtaskErr) {
    if (this.#resolved) {
      return;
    }
    if (this.#onProgressFn) {
      this.#onProgressFn();
    }
    if (this.#state === _AsyncSubtask.State.STARTING) {
      this.#state = _AsyncSubtask.State.CANCELLED_BEFORE_STARTED;
    } else if (this.#state === _AsyncSubtask.State.STARTED) {
      this.#state = _AsyncSubtask.State.CANCELLED_BEFORE_RETURNED;
    } else {
      throw new Error("cannot reject a completed subtask");
    }
    this.#resolved = true;
    this.#parentTask.removeSubtask(this);
    this.#parentTask.reject(subtaskErr);
  }
  onResolve(subtaskValue) {
    _debugLog("[AsyncSubtask#onResolve()] args", {
      componentIdx: this.#componentIdx,
      subtaskID: this.#id,
      isAsync: this.isAsync,
      childTaskID: this.childTaskID(),
      parentTaskID: this.parentTaskID(),
      parentTaskFnName: this.#parentTask?.entryFnName(),
      fnName: this.fnName
    });
    if (this.#resolved) {
      throw new Error("subtask has already been resolved");
    }
    if (this.#onProgressFn) {
      this.#onProgressFn();
    }
    if (subtaskValue === null && this.#cancelRequested) {
      if (this.#state === _AsyncSubtask.State.STARTING) {
        this.#state = _AsyncSubtask.State.CANCELLED_BEFORE_STARTED;
      } else {
        if (this.#state !== _AsyncSubtask.State.STARTED) {
          throw new Error("resolved subtask must have been started before cancellation");
        }
        this.#state = _AsyncSubtask.State.CANCELLED_BEFORE_RETURNED;
      }
    } else {
      if (this.#state !== _AsyncSubtask.State.STARTED) {
        throw new Error("resolved subtask must have been started before completion");
      }
      this.#state = _AsyncSubtask.State.RETURNED;
    }
    this.setResult(subtaskValue);
    for (const f of this.#onResolveHandlers) {
      try {
        f(subtaskValue);
      } catch (err) {
        console.error("error during subtask resolve handler", err);
        throw err;
      }
    }
    const callMetadata = this.getCallMetadata();
    const memory = callMetadata.memory ?? this.#parentTask?.getReturnMemory() ?? lookupMemoriesForComponent({ componentIdx: this.#parentTask?.componentIdx() })[0];
    const returned = this.#state === _AsyncSubtask.State.RETURNED;
    if (returned && callMetadata && !callMetadata.returnFn && (this.isAsync || callMetadata.funcTypeIsAsync) && callMetadata.resultPtr && memory) {
      const { resultPtr, realloc } = callMetadata;
      const lowers = callMetadata.lowers;
      if (lowers && lowers.length > 0) {
        lowers[0]({
          componentIdx: this.#componentIdx,
          memory,
          realloc,
          vals: [subtaskValue],
          storagePtr: resultPtr,
          stringEncoding: callMetadata.stringEncoding
        });
      }
    }
    this.#resolved = true;
    this.#parentTask.removeSubtask(this);
    if (!this.isAsync) {
      this.deliverResolve();
      const rep3 = this.waitableRep();
      if (rep3) {
        try {
          const removed = this.#getComponentState().handles.remove(rep3);
          if (removed !== this) {
            throw new Error("unexpectedly received non-self Subtask from handle removal");
          }
          this.drop();
        } catch (err) {
          _debugLog("[AsyncSubtask#onResolve()] failed to remove subtask after sync subtask completion", err);
        }
      }
    }
  }
  getStateNumber() {
    return this.#state;
  }
  isReturned() {
    return this.#state === _AsyncSubtask.State.RETURNED;
  }
  getCallMetadata() {
    return this.#callMetadata;
  }
  isResolved() {
    if (this.#state === _AsyncSubtask.State.STARTING || this.#state === _AsyncSubtask.State.STARTED) {
      return false;
    }
    if (this.#state === _AsyncSubtask.State.RETURNED || this.#state === _AsyncSubtask.State.CANCELLED_BEFORE_STARTED || this.#state === _AsyncSubtask.State.CANCELLED_BEFORE_RETURNED) {
      return true;
    }
    throw new Error("unrecognized internal Subtask state [" + this.#state + "]");
  }
  addLender(handle2) {
    _debugLog("[AsyncSubtask#addLender()] args", { handle: handle2 });
    if (!Number.isNumber(handle2)) {
      throw new Error("missing/invalid lender handle [" + handle2 + "]");
    }
    if (this.#lenders.length === 0 || this.isResolved()) {
      throw new Error("subtask has no lendors or has already been resolved");
    }
    handle2.lends++;
    this.#lenders.push(handle2);
  }
  deliverResolve() {
    _debugLog("[AsyncSubtask#deliverResolve()] args", {
      lenders: this.#lenders,
      parentTaskID: this.parentTaskID(),
      subtaskID: this.#id,
      childTaskID: this.childTaskID(),
      resolved: this.isResolved(),
      resolveDelivered: this.resolveDelivered()
    });
    const cannotDeliverResolve = this.resolveDelivered() || !this.isResolved();
    if (cannotDeliverResolve) {
      throw new Error("subtask cannot deliver resolution twice, and the subtask must be resolved");
    }
    for (const lender of this.#lenders) {
      lender.lends--;
    }
    this.#lenders = null;
  }
  resolveDelivered() {
    _debugLog("[AsyncSubtask#resolveDelivered()] args", {});
    if (this.#lenders === null && !this.isResolved()) {
      throw new Error("invalid subtask state, lenders missing and subtask has not been resolved");
    }
    return this.#lenders === null;
  }
  drop() {
    _debugLog("[AsyncSubtask#drop()] args", {
      componentIdx: this.#componentIdx,
      parentTaskID: this.#parentTask?.id(),
      parentTaskFnName: this.#parentTask?.entryFnName(),
      childTaskID: this.#childTask?.id(),
      childTaskFnName: this.#childTask?.entryFnName(),
      subtaskFnName: this.fnName
    });
    if (!this.#waitable) {
      throw new Error("missing/invalid inner waitable");
    }
    if (!this.resolveDelivered()) {
      throw new Error("cannot drop a subtask which has not yet resolved");
    }
    if (this.#waitable) {
      this.#waitable.drop();
    }
    this.#dropped = true;
  }
  #getComponentState() {
    const state = getOrCreateAsyncState(this.#componentIdx);
    if (!state) {
      throw new Error("invalid/missing async state for component [" + componentIdx + "]");
    }
    return state;
  }
  getWaitableHandleIdx() {
    _debugLog("[AsyncSubtask#getWaitableHandleIdx()] args", {});
    if (!this.#waitable) {
      throw new Error("missing/invalid waitable");
    }
    return this.waitableRep();
  }
};
var FutureValue = class _FutureValue {
  #start;
  #settled;
  #hideThen = 0;
  #thenFn;
  constructor(start) {
    if (typeof start !== "function") {
      throw new TypeError("future start operation must be a function");
    }
    this.#start = start;
    this.#thenFn = this.#then.bind(this);
  }
  get then() {
    return this.#hideThen === 0 ? this.#thenFn : void 0;
  }
  #read() {
    if (!this.#settled) {
      this.#settled = Promise.resolve().then(this.#start);
    }
    return this.#settled;
  }
  resolveAsValue(resolve2) {
    this.#hideThen++;
    try {
      resolve2(this);
    } finally {
      this.#hideThen--;
    }
  }
  #deliver(resolve2, value) {
    if (value instanceof _FutureValue) {
      value.resolveAsValue(resolve2);
      return;
    }
    resolve2(value);
  }
  #then(resolve2, reject) {
    return this.#read().then(
      (box) => this.#deliver(resolve2, box.value),
      reject
    );
  }
};
var ASYNC_DETERMINISM = "random";
var _coinFlip = () => {
  return Math.random() > 0.5;
};
var ASYNC_EVENT_CODE = {
  NONE: 0,
  SUBTASK: 1,
  STREAM_READ: 2,
  STREAM_WRITE: 3,
  FUTURE_READ: 4,
  FUTURE_WRITE: 5,
  TASK_CANCELLED: 6
};
var CURRENT_TASK_META = {};
function _withGlobalCurrentTaskMeta(args) {
  _debugLog("[_withGlobalCurrentTaskMeta()] args", args);
  if (!args) {
    throw new TypeError("args missing");
  }
  if (args.taskID === void 0) {
    throw new TypeError("missing task ID");
  }
  if (args.componentIdx === void 0) {
    throw new TypeError("missing component idx");
  }
  if (!args.fn) {
    throw new TypeError("missing fn");
  }
  const { taskID, componentIdx: componentIdx2, fn } = args;
  const previous = CURRENT_TASK_META[componentIdx2] ?? null;
  const previousCurrent = CURRENT_TASK_META.current ?? null;
  try {
    CURRENT_TASK_META.current = CURRENT_TASK_META[componentIdx2] = { taskID, componentIdx: componentIdx2 };
    return fn();
  } catch (err) {
    _debugLog("error while executing sync callee/callback", {
      ...args,
      err
    });
    throw err;
  } finally {
    CURRENT_TASK_META[componentIdx2] = previous;
    CURRENT_TASK_META.current = previousCurrent;
  }
}
async function _withGlobalCurrentTaskMetaAsync(args) {
  _debugLog("[_withGlobalCurrentTaskMetaAsync()] args", args);
  if (!args) {
    throw new TypeError("args missing");
  }
  if (args.taskID === void 0) {
    throw new TypeError("missing task ID");
  }
  if (args.componentIdx === void 0) {
    throw new TypeError("missing component idx");
  }
  if (!args.fn) {
    throw new TypeError("missing fn");
  }
  const { taskID, componentIdx: componentIdx2, fn } = args;
  try {
    CURRENT_TASK_META.current = CURRENT_TASK_META[componentIdx2] = { taskID, componentIdx: componentIdx2 };
    return await fn();
  } catch (err) {
    _debugLog("error while executing async callee/callback", {
      ...args,
      err
    });
    throw err;
  } finally {
    CURRENT_TASK_META[componentIdx2] = null;
    if (CURRENT_TASK_META.current?.taskID === taskID) {
      CURRENT_TASK_META.current = null;
    }
  }
}
var AsyncTask = class _AsyncTask {
  static _ID = 0n;
  static State = {
    INITIAL: "initial",
    CANCELLED: "cancelled",
    CANCEL_PENDING: "cancel-pending",
    CANCEL_DELIVERED: "cancel-delivered",
    RESOLVED: "resolved"
  };
  static BlockResult = {
    CANCELLED: "block.cancelled",
    NOT_CANCELLED: "block.not-cancelled"
  };
  #id;
  #componentIdx;
  #state;
  #isAsync;
  #isManualAsync;
  #callingWasmExport = true;
  #lockFreeEntry = false;
  #preserveFutureResult;
  #entryFnName = null;
  #onResolveHandlers = [];
  #progressWaiters = [];
  #completionPromise = null;
  #completionValue;
  #completionReady = false;
  #settleCompletionPromise;
  #rejected = false;
  #exitPromise = null;
  #onExitHandlers = [];
  #memoryIdx = null;
  #memory = null;
  #callbackFn = null;
  #callbackFnName = null;
  #postReturnFn = null;
  #getCalleeParamsFn = null;
  #calleeIsAsync = null;
  #stringEncoding = null;
  #parentSubtask = null;
  #errHandling;
  #backpressurePromise;
  #backpressureWaiters = 0n;
  #returnLowerFns = null;
  #resourceScopeId;
  #resourceBorrowCount = 0;
  #resourceLenders = [];
  #resourceScopeExited = false;
  #subtasks = [];
  #entered = false;
  #exited = false;
  #errored = null;
  cancelled = false;
  cancelRequested = false;
  alwaysTaskReturn = false;
  returnCalls = 0;
  storage = [0, 0];
  tmpRetI64HighBits = 0 | 0;
  constructor(opts) {
    this.#id = ++_AsyncTask._ID;
    this.#resourceScopeId = ++RESOURCE_SCOPE_ID;
    RESOURCE_SCOPE_TASKS.set(this.#resourceScopeId, this);
    if (opts?.componentIdx === void 0) {
      throw new TypeError("missing component id during task creation");
    }
    this.#componentIdx = opts.componentIdx;
    this.#state = _AsyncTask.State.INITIAL;
    this.#isAsync = opts?.isAsync ?? false;
    this.#isManualAsync = opts?.isManualAsync ?? false;
    this.#preserveFutureResult = opts?.preserveFutureResult ?? false;
    this.#entryFnName = opts.entryFnName;
    this.#callingWasmExport = opts?.callingWasmExport !== false;
    const {
      promise: completionPromise,
      resolve: resolveCompletionPromise,
      reject: rejectCompletionPromise
    } = promiseWithResolvers();
    this.#completionPromise = completionPromise;
    completionPromise.catch(() => {
    });
    let completionSettled = false;
    const settleCompletionPromise = () => {
      if (completionSettled || !this.#completionReady) {
        return;
      }
      completionSettled = true;
      if (this.#errored !== null) {
        rejectCompletionPromise(this.#errored);
      } else if (this.#rejected) {
        rejectCompletionPromise(this.#completionValue);
      } else if (this.#preserveFutureResult && this.#completionValue instanceof FutureValue) {
        this.#completionValue.resolveAsValue(resolveCompletionPromise);
      } else {
        resolveCompletionPromise(this.#completionValue);
      }
    };
    this.#settleCompletionPromise = settleCompletionPromise;
    this.#onResolveHandlers.push((results) => {
      if (this.#parentSubtask !== null) {
        return;
      }
      if (!this.#isAsync && !this.#isManualAsync) {
        return;
      }
      this.#completionValue = results;
      this.#completionReady = true;
    });
    const {
      promise: exitPromise,
      resolve: resolveExitPromise,
      reject: rejectExitPromise
    } = promiseWithResolvers();
    this.#exitPromise = exitPromise;
    this.#onExitHandlers.push(() => {
      if (this.#parentSubtask === null && (this.#isAsync || this.#isManualAsync)) {
        settleCompletionPromise();
      }
      resolveExitPromise();
    });
    if (opts.callbackFn) {
      this.#callbackFn = opts.callbackFn;
    }
    if (opts.callbackFnName) {
      this.#callbackFnName = opts.callbackFnName;
    }
    if (opts.getCalleeParamsFn) {
      this.#getCalleeParamsFn = opts.getCalleeParamsFn;
    }
    if (opts.stringEncoding) {
      this.#stringEncoding = opts.stringEncoding;
    }
    if (opts.parentSubtask) {
      this.#parentSubtask = opts.parentSubtask;
    }
    if (opts.errHandling) {
      this.#errHandling = opts.errHandling;
    }
  }
  taskState() {
    return this.#state;
  }
  id() {
    return this.#id;
  }
  componentIdx() {
    return this.#componentIdx;
  }
  entryFnName() {
    return this.#entryFnName;
  }
  resourceScopeId() {
    return this.#resourceScopeId;
  }
  addBorrowedHandle() {
    if (this.#resourceScopeExited) {
      throw new Error("cannot add a borrow to an exited resource scope");
    }
    this.#resourceBorrowCount++;
  }
  removeBorrowedHandle() {
    if (this.#resourceBorrowCount === 0) {
      throw new Error("resource borrow count underflow");
    }
    this.#resourceBorrowCount--;
  }
  addResourceLender(table, handle2) {
    if (this.#resourceScopeExited) {
      throw new Error("cannot add a lender to an exited resource scope");
    }
    this.#resourceLenders.push({ table, handle: handle2 });
  }
  validateResourceBorrowScope() {
    if (this.#resourceScopeExited) {
      return;
    }
    if (this.#resourceBorrowCount !== 0) {
      throw new WebAssemblyRuntimeError("borrow handles still remain at the end of the call");
    }
    for (const { table, handle: handle2 } of this.#resourceLenders) {
      const idx = handle2 << 1;
      const lendCount = table[idx];
      if (!Number.isInteger(lendCount) || lendCount <= 0 || lendCount >= 2 ** 30) {
        throw new Error("invalid resource lender state at scope exit");
      }
      table[idx] = lendCount - 1;
    }
    this.#resourceLenders = [];
    this.#resourceScopeExited = true;
    RESOURCE_SCOPE_TASKS.delete(this.#resourceScopeId);
  }
  completionPromise() {
    return this.#completionPromise;
  }
  settleCompletion() {
    this.#settleCompletionPromise();
  }
  exitPromise() {
    return this.#exitPromise;
  }
  waitForProgress() {
    const { promise, resolve: resolve2 } = promiseWithResolvers();
    this.#progressWaiters.push(resolve2);
    return promise;
  }
  notifyProgress() {
    const waiters = this.#progressWaiters;
    this.#progressWaiters = [];
    for (const resolve2 of waiters) {
      resolve2();
    }
  }
  isAsync() {
    return this.#isAsync;
  }
  isManualAsync() {
    return this.#isManualAsync;
  }
  isSync() {
    return !this.isAsync();
  }
  getErrHandling() {
    return this.#errHandling;
  }
  hasCallback() {
    return this.#callbackFn !== null;
  }
  getReturnMemoryIdx() {
    return this.#memoryIdx;
  }
  setReturnMemoryIdx(idx) {
    if (idx === null) {
      return;
    }
    this.#memoryIdx = idx;
  }
  getReturnMemory() {
    return this.#memory;
  }
  setReturnMemory(m) {
    if (m === null) {
      return;
    }
    this.#memory = m;
  }
  setReturnLowerFns(fns) {
    this.#returnLowerFns = fns;
  }
  getReturnLowerFns() {
    return this.#returnLowerFns;
  }
  setCalleeIsAsync(value) {
    if (typeof value !== "boolean") {
      throw new TypeError("callee async state must be a boolean");
    }
    this.#calleeIsAsync = value;
  }
  setParentSubtask(subtask) {
    if (!subtask || !(subtask instanceof AsyncSubtask)) {
      return;
    }
    if (this.#parentSubtask) {
      throw new Error("parent subtask can only be set once");
    }
    this.#parentSubtask = subtask;
  }
  getParentSubtask() {
    return this.#parentSubtask;
  }
  // TODO(threads): this is very inefficient, we can pass along a root task,
  // and ideally do not need this once thread support is in place
  getRootTask() {
    let currentSubtask = this.getParentSubtask();
    let task = this;
    while (currentSubtask) {
      task = currentSubtask.getParentTask();
      currentSubtask = task.getParentSubtask();
    }
    return task;
  }
  setPostReturnFn(f) {
    if (!f) {
      return;
    }
    if (this.#postReturnFn) {
      throw new Error("postReturn fn can only be set once");
    }
    this.#postReturnFn = f;
  }
  setCallbackFn(f, name) {
    if (!f) {
      return;
    }
    if (this.#callbackFn) {
      throw new Error("callback fn can only be set once");
    }
    this.#callbackFn = f;
    this.#callbackFnName = name;
  }
  getCallbackFnName() {
    if (!this.#callbackFnName) {
      return void 0;
    }
    return this.#callbackFnName;
  }
  runCallbackFn(...args) {
    if (!this.#callbackFn) {
      throw new Error("no callback function has been set for task");
    }
    if (this.#callbackFn._jcoMaySuspend === false) {
      return _withGlobalCurrentTaskMeta({
        taskID: this.#id,
        componentIdx: this.#componentIdx,
        fn: () => this.#callbackFn.apply(null, args)
      });
    }
    return _withGlobalCurrentTaskMetaAsync({
      taskID: this.#id,
      componentIdx: this.#componentIdx,
      fn: () => {
        return this.#callbackFn.apply(null, args);
      }
    });
  }
  getCalleeParams() {
    if (!this.#getCalleeParamsFn) {
      throw new Error("missing/invalid getCalleeParamsFn");
    }
    return this.#getCalleeParamsFn();
  }
  // Legacy manually-async exports are sync-typed in the component
  // but use JSPI precisely so their guest stack may suspend.
  mayBlock() {
    return this.isAsync() || this.isManualAsync() || this.isResolvedState();
  }
  mayEnter(task) {
    const cstate = getOrCreateAsyncState(this.#componentIdx);
    if (cstate.hasBackpressure()) {
      _debugLog("[AsyncTask#mayEnter()] disallowed due to backpressure", { taskID: this.#id });
      return false;
    }
    if (!cstate.callingSyncImport()) {
      _debugLog("[AsyncTask#mayEnter()] disallowed due to sync import call", { taskID: this.#id });
      return false;
    }
    const callingSyncExportWithSyncPending = cstate.callingSyncExport && !task.isAsync;
    if (!callingSyncExportWithSyncPending) {
      _debugLog("[AsyncTask#mayEnter()] disallowed due to sync export w/ sync pending", { taskID: this.#id });
      return false;
    }
    return true;
  }
  enterSync() {
    if (this.needsExclusiveLock()) {
      const cstate = getOrCreateAsyncState(this.#componentIdx);
      if (!cstate.isExclusivelyLocked()) {
        cstate.exclusiveLock(this.#id);
      } else {
        this.#lockFreeEntry = true;
        _debugLog("[AsyncTask#enterSync()] entering without exclusive lock", {
          taskID: this.#id,
          componentIdx: this.#componentIdx
        });
      }
    }
    return true;
  }
  tryEnter() {
    if (this.#entered) {
      throw new Error(`task with ID [${this.#id}] should not be entered twice`);
    }
    if (this.deliverPendingCancel({ cancellable: true })) {
      this.cancel();
      return false;
    }
    const cstate = getOrCreateAsyncState(this.#componentIdx);
    if (this.isSync()) {
      this.#entered = true;
      return true;
    }
    if (cstate.hasBackpressure()) {
      return null;
    }
    if (this.needsExclusiveLock()) {
      if (cstate.isExclusivelyLocked()) {
        return null;
      }
      cstate.exclusiveLock(this.#id);
    }
    if (this.deliverPendingCancel({ cancellable: true })) {
      cstate.exclusiveRelease(this.#id);
      this.cancel();
      return false;
    }
    this.#entered = true;
    return true;
  }
  async enter(opts) {
    _debugLog("[AsyncTask#enter()] args", {
      taskID: this.#id,
      componentIdx: this.#componentIdx,
      subtaskID: this.getParentSubtask()?.id(),
      args: opts,
      entryFnName: this.#entryFnName
    });
    if (this.#entered) {
      throw new Error(`task with ID [${this.#id}] should not be entered twice`);
    }
    if (this.deliverPendingCancel({ cancellable: true })) {
      this.cancel();
      return false;
    }
    const cstate = getOrCreateAsyncState(this.#componentIdx);
    if (opts?.isHost) {
      this.#entered = true;
      const parentTask = this.#parentSubtask?.getParentTask();
      if (parentTask?.taskState() === _AsyncTask.State.CANCEL_DELIVERED || parentTask && !parentTask.hasCallback()) {
        parentTask.notifyProgress();
      }
      return this.#entered;
    }
    if (this.isSync()) {
      this.#entered = true;
      if (this.#isManualAsync) {
        if (this.needsExclusiveLock()) {
          await cstate.acquireExclusiveLock(this.#id);
        }
      }
      return this.#entered;
    }
    if (cstate.hasBackpressure()) {
      cstate.addBackpressureWaiter();
      const result = await this.waitUntil({
        readyFn: () => {
          return !cstate.hasBackpressure();
        },
        cancellable: true
      });
      cstate.removeBackpressureWaiter();
      if (!result || this.isCancelled()) {
        if (!this.isResolvedState()) {
          this.cancel();
        }
        return false;
      }
    }
    if (this.needsExclusiveLock()) {
      await cstate.acquireExclusiveLock(this.#id);
    }
    if (this.isResolvedState() || this.isCancelled()) {
      cstate.exclusiveRelease(this.#id);
      return false;
    }
    if (this.deliverPendingCancel({ cancellable: true })) {
      cstate.exclusiveRelease(this.#id);
      this.cancel();
      return false;
    }
    this.#entered = true;
    return this.#entered;
  }
  isRunningState() {
    return this.#state !== _AsyncTask.State.RESOLVED;
  }
  isResolvedState() {
    return this.#state === _AsyncTask.State.RESOLVED;
  }
  isResolved() {
    return this.#state === _AsyncTask.State.RESOLVED;
  }
  isExited() {
    return this.#exited;
  }
  async waitUntil(opts) {
    const { readyFn, cancellable } = opts;
    _debugLog("[AsyncTask#waitUntil()] args", { taskID: this.#id, args: { cancellable } });
    const keepGoing = await this.suspendUntil({
      readyFn,
      cancellable
    });
    return keepGoing;
  }
  async yieldUntil(opts) {
    const { readyFn, cancellable } = opts;
    _debugLog("[AsyncTask#yieldUntil()]", {
      taskID: this.#id,
      args: {
        cancellable
      },
      componentIdx: this.#componentIdx
    });
    const keepGoing = await this.immediateSuspend({ readyFn, cancellable });
    if (keepGoing) {
      return {
        code: ASYNC_EVENT_CODE.NONE,
        payload0: 0,
        payload1: 0
      };
    }
    return {
      code: ASYNC_EVENT_CODE.TASK_CANCELLED,
      payload0: 0,
      payload1: 0
    };
  }
  async suspendUntil(opts) {
    const { cancellable, readyFn } = opts;
    _debugLog("[AsyncTask#suspendUntil()] args", {
      taskID: this.#id,
      args: {
        cancellable
      },
      componentIdx: this.#componentIdx
    });
    const pendingCancelled = this.deliverPendingCancel({ cancellable });
    if (pendingCancelled) {
      return false;
    }
    const completed = await this.immediateSuspendUntil({ readyFn, cancellable });
    return completed;
  }
  suspendUntilCallback(opts, onResume) {
    const { cancellable, readyFn } = opts;
    if (this.deliverPendingCancel({ cancellable })) {
      onResume(false);
      return;
    }
    const cstate = getOrCreateAsyncState(this.#componentIdx);
    cstate.suspendTask({
      task: this,
      cancellable,
      readyFn: () => {
        if (cancellable && this.#state === _AsyncTask.State.CANCEL_PENDING) {
          return true;
        }
        return readyFn();
      },
      onResume: (keepGoing) => {
        if (keepGoing && this.deliverPendingCancel({ cancellable })) {
          keepGoing = false;
        }
        onResume(keepGoing);
      }
    });
  }
  // TODO(threads): equivalent to thread.suspend_until()
  async immediateSuspendUntil(opts) {
    const { cancellable, readyFn } = opts;
    _debugLog("[AsyncTask#immediateSuspendUntil()] args", {
      args: {
        cancellable,
        readyFn
      },
      taskID: this.#id,
      componentIdx: this.#componentIdx
    });
    const ready = readyFn();
    if (ready && ASYNC_DETERMINISM === "random") {
      const coinFlip = _coinFlip();
      if (coinFlip) {
        return true;
      }
    }
    const keepGoing = await this.immediateSuspend({ cancellable, readyFn });
    return keepGoing;
  }
  async immediateSuspend(opts) {
    const { cancellable, readyFn } = opts;
    _debugLog("[AsyncTask#immediateSuspend()] args", { cancellable, readyFn });
    const pendingCancelled = this.deliverPendingCancel({ cancellable });
    if (pendingCancelled) {
      return false;
    }
    const cstate = getOrCreateAsyncState(this.#componentIdx);
    const keepGoing = await cstate.suspendTask({
      task: this,
      cancellable,
      readyFn: () => {
        if (cancellable && this.#state === _AsyncTask.State.CANCEL_PENDING) {
          return true;
        }
        return readyFn();
      }
    });
    if (keepGoing && this.deliverPendingCancel({ cancellable })) {
      return false;
    }
    return keepGoing;
  }
  deliverPendingCancel(opts) {
    const { cancellable } = opts;
    _debugLog("[AsyncTask#deliverPendingCancel()]", {
      args: { cancellable },
      taskID: this.#id,
      componentIdx: this.#componentIdx
    });
    if (cancellable && this.#state === _AsyncTask.State.CANCEL_PENDING) {
      this.#state = _AsyncTask.State.CANCEL_DELIVERED;
      return true;
    }
    return false;
  }
  isCancelled() {
    return this.cancelled;
  }
  cancellationRequested() {
    return this.cancelRequested;
  }
  // Request cooperative cancellation of this task, called on behalf of a
  // supertask performing `subtask.cancel` on the subtask this task backs.
  //
  // The request is delivered at this task's next cancellable wait
  // (see suspendUntil/immediateSuspend), at which point the task is
  // expected to acknowledge via `task.cancel` or still resolve via
  // `task.return`.
  requestCancellation() {
    _debugLog("[AsyncTask#requestCancellation()] args", {
      taskID: this.#id,
      componentIdx: this.#componentIdx,
      state: this.#state
    });
    if (this.isResolvedState() || this.cancelRequested) {
      return;
    }
    this.cancelRequested = true;
    if (this.#state === _AsyncTask.State.INITIAL) {
      this.#state = _AsyncTask.State.CANCEL_PENDING;
    }
    getOrCreateAsyncState(this.#componentIdx).runTickLoop();
  }
  cancel(args) {
    _debugLog("[AsyncTask#cancel()] args", {});
    if (this.taskState() !== _AsyncTask.State.CANCEL_DELIVERED) {
      throw new Error(`(component [${this.#componentIdx}]) task [${this.#id}] invalid task state [${this.taskState()}] for cancellation`);
    }
    this.validateResourceBorrowScope();
    this.cancelled = true;
    this.onResolve(args?.error ?? null);
    this.#state = _AsyncTask.State.RESOLVED;
    if (!this.#entered) {
      this.notifyProgress();
    }
  }
  onResolve(taskValue) {
    const handlers = this.#onResolveHandlers;
    this.#onResolveHandlers = [];
    for (const f of handlers) {
      try {
        f(taskValue);
      } catch (err) {
        _debugLog("[AsyncTask#onResolve] error during task resolve handler", err);
        throw err;
      }
    }
    if (this.#rejected) {
      this.#parentSubtask?.reject(taskValue);
      return;
    }
    const parentSubtaskPending = this.#parentSubtask && !this.#parentSubtask.isResolved();
    const taskReturned = !this.isCancelled();
    if (parentSubtaskPending && taskReturned) {
      const meta = this.#parentSubtask.getCallMetadata();
      if (meta.returnFn && !meta.returnFnCalled) {
        _debugLog("[AsyncTask#onResolve()] running returnFn", {
          componentIdx: this.#componentIdx,
          taskID: this.#id,
          subtaskID: this.#parentSubtask.id()
        });
        const callerTask = this.#parentSubtask.getParentTask();
        _withGlobalCurrentTaskMeta({
          taskID: callerTask.id(),
          componentIdx: callerTask.componentIdx(),
          fn: () => meta.returnFn.apply(null, [taskValue, meta.resultPtr])
        });
        meta.returnFnCalled = true;
      }
    }
    if (this.#postReturnFn && taskReturned) {
      _debugLog("[AsyncTask#onResolve()] running post return ", {
        componentIdx: this.#componentIdx,
        taskID: this.#id
      });
      try {
        _withGlobalCurrentTaskMeta({
          taskID: this.#id,
          componentIdx: this.#componentIdx,
          fn: () => this.#postReturnFn(taskValue)
        });
      } catch (err) {
        _debugLog("[AsyncTask#onResolve] error during task resolve handler", err);
        throw err;
      }
    }
    if (parentSubtaskPending) {
      this.#parentSubtask.onResolve(taskValue);
    }
  }
  registerOnResolveHandler(f) {
    this.#onResolveHandlers.push(f);
  }
  isRejected() {
    return this.#rejected;
  }
  isErrored() {
    return this.#errored;
  }
  setErrored(err) {
    if (this.#errored === null) {
      this.#errored = err;
    }
  }
  reject(taskErr) {
    _debugLog("[AsyncTask#reject()] args", {
      componentIdx: this.#componentIdx,
      taskID: this.#id,
      parentSubtask: this.#parentSubtask,
      parentSubtaskID: this.#parentSubtask?.id(),
      entryFnName: this.entryFnName(),
      callbackFnName: this.#callbackFnName,
      errMsg: taskErr.message
    });
    this.setErrored(taskErr);
    if (this.#rejected) {
      return;
    }
    if (this.isResolvedState()) {
      this.#rejected = true;
      this.#errored = taskErr;
      const parentTask = this.#parentSubtask?.getParentTask();
      if (parentTask) {
        parentTask.reject(taskErr);
      }
      return;
    }
    this.#rejected = true;
    this.cancelRequested = true;
    this.#state = _AsyncTask.State.CANCEL_PENDING;
    const cancelled = this.deliverPendingCancel({ cancellable: true });
    this.cancel({ error: taskErr });
  }
  resolve(results) {
    _debugLog("[AsyncTask#resolve()] args", {
      componentIdx: this.#componentIdx,
      taskID: this.#id,
      entryFnName: this.entryFnName(),
      callbackFnName: this.#callbackFnName
    });
    if (this.#state === _AsyncTask.State.RESOLVED) {
      throw new Error(`(component [${this.#componentIdx}]) task [${this.#id}]  is already resolved (did you forget to wait for an import?)`);
    }
    this.validateResourceBorrowScope();
    this.#state = _AsyncTask.State.RESOLVED;
    switch (results.length) {
      case 0:
        this.onResolve(void 0);
        break;
      case 1:
        this.onResolve(results[0]);
        break;
      default:
        _debugLog("[AsyncTask#resolve()] unexpected number of results", {
          componentIdx: this.#componentIdx,
          results,
          taskID: this.#id,
          subtaskID: this.#parentSubtask?.id(),
          entryFnName: this.#entryFnName,
          callbackFnName: this.#callbackFnName
        });
        throw new Error("unexpected number of results");
    }
  }
  exit(args) {
    _debugLog("[AsyncTask#exit()]", {
      componentIdx: this.#componentIdx,
      taskID: this.#id
    });
    if (this.#exited) {
      throw new Error("task has already exited");
    }
    if (this.#state !== _AsyncTask.State.RESOLVED) {
      throw new Error(`(component [${this.#componentIdx}]) task [${this.#id}] exited without resolution`);
    }
    this.validateResourceBorrowScope();
    const state = getOrCreateAsyncState(this.#componentIdx);
    if (!state) {
      throw new Error("missing async state for component [" + this.#componentIdx + "]");
    }
    if (this.#componentIdx !== -1 && !args?.skipExclusiveLockCheck && !this.#lockFreeEntry) {
      if (this.needsExclusiveLock() && !state.exclusivelyLockedBy(this.#id)) {
        throw new Error(`task [${this.#id}] exit: component [${this.#componentIdx}] should have been exclusively locked by it`);
      }
    }
    state.exclusiveRelease(this.#id);
    this.notifyProgress();
    for (const f of this.#onExitHandlers) {
      try {
        f();
      } catch (err) {
        console.error("error during task exit handler", err);
        throw err;
      }
    }
    this.#exited = true;
    clearCurrentTask(this.#componentIdx, this.id());
  }
  needsExclusiveLock() {
    if (this.#componentIdx === -1) {
      return false;
    }
    if (!this.#callingWasmExport) {
      return false;
    }
    return !this.#isAsync || this.hasCallback() || this.#calleeIsAsync === false;
  }
  createSubtask(args) {
    _debugLog("[AsyncTask#createSubtask()] args", args);
    const { componentIdx: componentIdx2, childTask, callMetadata, fnName, isAsync, isManualAsync } = args;
    const cstate = getOrCreateAsyncState(this.#componentIdx);
    if (!cstate) {
      throw new Error(`invalid/missing async state for component idx [${componentIdx2}]`);
    }
    const waitable = new Waitable({
      componentIdx: this.#componentIdx,
      target: `subtask (internal ID [${this.#id}])`
    });
    const newSubtask = new AsyncSubtask({
      componentIdx: componentIdx2,
      childTask,
      parentTask: this,
      callMetadata,
      isAsync,
      isManualAsync,
      fnName,
      waitable
    });
    this.#subtasks.push(newSubtask);
    newSubtask.setTarget(`subtask (internal ID [${newSubtask.id()}], waitable [${waitable.idx()}], component [${componentIdx2}])`);
    waitable.setIdx(cstate.handles.insert(newSubtask));
    waitable.setTarget(`waitable for subtask (waitable id [${waitable.idx()}], subtask internal ID [${newSubtask.id()}])`);
    return newSubtask;
  }
  getLatestSubtask() {
    return this.#subtasks.at(-1);
  }
  getSubtaskByWaitableRep(rep3) {
    if (rep3 === void 0) {
      throw new TypeError("missing rep");
    }
    return this.#subtasks.find((s) => s.waitableRep() === rep3);
  }
  currentSubtask() {
    _debugLog("[AsyncTask#currentSubtask()]");
    if (this.#subtasks.length === 0) {
      return void 0;
    }
    return this.#subtasks.at(-1);
  }
  removeSubtask(subtask) {
    if (this.#subtasks.length === 0) {
      throw new Error("cannot end current subtask: no current subtask");
    }
    this.#subtasks = this.#subtasks.filter((t) => t !== subtask);
    return subtask;
  }
};
function createNewCurrentTask(args) {
  _debugLog("[createNewCurrentTask()] args", args);
  const {
    componentIdx: componentIdx2,
    isAsync,
    isManualAsync,
    preserveFutureResult,
    entryFnName,
    parentSubtaskID,
    callbackFnName,
    getCallbackFn,
    getParamsFn,
    stringEncoding,
    errHandling,
    getCalleeParamsFn,
    resultPtr,
    callingWasmExport
  } = args;
  if (componentIdx2 === void 0 || componentIdx2 === null) {
    throw new Error("missing/invalid component instance index while starting task");
  }
  let taskMetas = ASYNC_TASKS_BY_COMPONENT_IDX.get(componentIdx2);
  const callbackFn = getCallbackFn ? getCallbackFn() : null;
  const newTask = new AsyncTask({
    componentIdx: componentIdx2,
    isAsync,
    isManualAsync,
    preserveFutureResult,
    entryFnName,
    callbackFn,
    callbackFnName,
    stringEncoding,
    getCalleeParamsFn,
    resultPtr,
    errHandling,
    callingWasmExport
  });
  const newTaskID = newTask.id();
  const newTaskMeta = { id: newTaskID, componentIdx: componentIdx2, task: newTask };
  ASYNC_CURRENT_TASK_IDS.push(newTaskID);
  ASYNC_CURRENT_COMPONENT_IDXS.push(componentIdx2);
  if (!taskMetas) {
    taskMetas = [newTaskMeta];
    ASYNC_TASKS_BY_COMPONENT_IDX.set(componentIdx2, [newTaskMeta]);
  } else {
    taskMetas.push(newTaskMeta);
  }
  return [newTask, newTaskID];
}
function _checkMayLeave(componentIdx2) {
  if (INSTANCE_FLAGS.get(componentIdx2)?.value !== 1) {
    throw new WebAssemblyRuntimeError("cannot leave component instance");
  }
}
function _getGlobalCurrentTaskMeta(componentIdx2) {
  const v = componentIdx2 === void 0 || componentIdx2 === null ? CURRENT_TASK_META.current : CURRENT_TASK_META[componentIdx2];
  if (v === void 0 || v === null) {
    return void 0;
  }
  return { ...v };
}
function _setGlobalCurrentTaskMeta(args) {
  if (!args) {
    throw new TypeError("args missing");
  }
  if (args.taskID === void 0) {
    throw new TypeError("missing task ID");
  }
  if (args.componentIdx === void 0) {
    throw new TypeError("missing component idx");
  }
  const { taskID, componentIdx: componentIdx2 } = args;
  return CURRENT_TASK_META.current = CURRENT_TASK_META[componentIdx2] = { taskID, componentIdx: componentIdx2 };
}
async function _clearCurrentTask(args) {
  _debugLog("[_clearCurrentTask()] args", args);
  if (!args) {
    throw new TypeError("args missing");
  }
  if (args.taskID === void 0) {
    throw new TypeError("missing task ID");
  }
  if (args.componentIdx === void 0) {
    throw new TypeError("missing component idx");
  }
  const { taskID, componentIdx: componentIdx2 } = args;
  const meta = CURRENT_TASK_META[componentIdx2];
  if (!meta) {
    throw new Error(`missing current task meta for component idx [${componentIdx2}]`);
  }
  if (meta.taskID !== taskID) {
    throw new Error(`task ID [${meta.taskID}] != requested ID [${taskID}]`);
  }
  if (meta.componentIdx !== componentIdx2) {
    throw new Error(`component idx [${meta.componentIdx}] != requested idx [${componentIdx2}]`);
  }
  CURRENT_TASK_META[componentIdx2] = null;
  if (CURRENT_TASK_META.current?.taskID === taskID) {
    CURRENT_TASK_META.current = null;
  }
}
function _lowerImportBackwardsCompat(args) {
  const params = [...arguments].slice(1);
  _debugLog("[_lowerImportBackwardsCompat()] args", { args, params });
  const {
    functionIdx,
    componentIdx: componentIdx2,
    isAsync,
    isManualAsync,
    paramLiftFns,
    resultLowerFns,
    hasResultPointer,
    funcTypeIsAsync,
    metadata,
    memoryIdx,
    getMemoryFn,
    getReallocFn,
    importFn,
    stringEncoding
  } = args;
  _checkMayLeave(componentIdx2);
  let meta = _getGlobalCurrentTaskMeta(componentIdx2);
  let createdTask;
  if (!meta) {
    if (funcTypeIsAsync || isAsync && !isManualAsync) {
      throw new Error("p3 async wasm exports cannot use backwards compat auto-task init");
    }
    const [newTask, newTaskID] = createNewCurrentTask({
      componentIdx: componentIdx2,
      isAsync,
      isManualAsync,
      callingWasmExport: false
    });
    createdTask = newTask;
    createdTask.registerOnResolveHandler(() => {
      _clearCurrentTask({
        taskID: task.id(),
        componentIdx: task.componentIdx()
      });
    });
    _setGlobalCurrentTaskMeta({
      componentIdx: componentIdx2,
      taskID: newTaskID
    });
    meta = _getGlobalCurrentTaskMeta(componentIdx2);
  }
  const { taskID } = meta;
  const taskMeta = getCurrentTask(componentIdx2, taskID);
  if (!taskMeta) {
    throw new Error("invalid/missing async task meta");
  }
  const task = taskMeta.task;
  if (!task) {
    throw new Error("invalid/missing async task");
  }
  const cstate = getOrCreateAsyncState(componentIdx2);
  if (!task.mayBlock() && funcTypeIsAsync && !isAsync) {
    throw new Error("non async exports cannot synchronously call async functions");
  }
  const memory = getMemoryFn();
  const resultPtr = hasResultPointer ? params[params.length - 1] : void 0;
  const subtask = task.createSubtask({
    componentIdx: componentIdx2,
    parentTask: task,
    fnName: importFn.fnName,
    isAsync,
    isManualAsync,
    callMetadata: {
      memoryIdx,
      memory,
      realloc: getReallocFn?.(),
      getReallocFn,
      resultPtr,
      lowers: resultLowerFns,
      funcTypeIsAsync,
      stringEncoding
    }
  });
  task.setReturnMemoryIdx(memoryIdx);
  task.setReturnMemory(getMemoryFn());
  subtask.onStart();
  if (!isManualAsync && !isAsync && !funcTypeIsAsync) {
    if (createdTask) {
      createdTask.enterSync();
    }
    const res = importFn(...params);
    if (!funcTypeIsAsync && !subtask.isReturned()) {
      throw new Error("post-execution subtasks must either be async or returned");
    }
    const syncRes = subtask.getResult();
    if (createdTask) {
      createdTask.resolve([syncRes]);
    }
    return syncRes;
  }
  if (!isManualAsync && !isAsync && funcTypeIsAsync) {
    const { promise, resolve: resolve2, reject } = promiseWithResolvers();
    queueMicrotask(async () => {
      try {
        await importFn(...params);
        if (!subtask.isResolved()) {
          await task.suspendUntil({ readyFn: () => subtask.isResolved() });
        }
        resolve2(subtask.getResult());
      } catch (err) {
        reject(err);
      }
    });
    return promise;
  }
  const subtaskState = subtask.getStateNumber();
  if (subtaskState < 0 || subtaskState >= 2 ** 4) {
    throw new Error("invalid subtask state, out of valid range");
  }
  subtask.setOnProgressFn(() => {
    subtask.setPendingEvent(() => {
      if (subtask.isResolved()) {
        subtask.deliverResolve();
      }
      const event = {
        code: ASYNC_EVENT_CODE.SUBTASK,
        payload0: subtask.waitableRep(),
        payload1: subtask.getStateNumber()
      };
      return event;
    });
  });
  const requiresManualAsyncResult = !isAsync && !funcTypeIsAsync && isManualAsync;
  let manualAsyncResult;
  if (requiresManualAsyncResult) {
    manualAsyncResult = promiseWithResolvers();
  }
  queueMicrotask(async () => {
    try {
      _debugLog("[_lowerImportBackwardsCompat()] calling lowered import", { importFn, params });
      if (createdTask) {
        await createdTask.enter();
      }
      const asyncRes = await importFn(...params);
      if (requiresManualAsyncResult) {
        manualAsyncResult.resolve(subtask.getResult());
      }
      if (createdTask) {
        createdTask.resolve([asyncRes]);
      }
    } catch (err) {
      _debugLog("[_lowerImportBackwardsCompat()] import fn error:", err);
      if (requiresManualAsyncResult) {
        manualAsyncResult.reject(err);
        return;
      }
      task.setErrored(err);
      task.reject(err);
    }
  });
  if (requiresManualAsyncResult) {
    return manualAsyncResult.promise;
  }
  _debugLog("[_lowerImportBackwardsCompat()] async-lowered import return", {
    fnName: importFn.fnName,
    componentIdx: componentIdx2,
    subtaskID: subtask.id(),
    waitableRep: subtask.waitableRep(),
    subtaskState,
    packedResult: Number(subtask.waitableRep()) << 4 | subtaskState
  });
  return Number(subtask.waitableRep()) << 4 | subtaskState;
}
var CURRENT_TASK_MAY_BLOCK = globalThis.WebAssembly ? new globalThis.WebAssembly.Global({ value: "i32", mutable: true }, 0) : false;
function _liftFlatU8(ctx) {
  _debugLog("[_liftFlatU8()] args", { ctx });
  let val;
  if (ctx.useDirectParams) {
    if (ctx.params.length === 0) {
      throw new Error("expected at least a single i32 argument");
    }
    val = ctx.params[0];
    ctx.params = ctx.params.slice(1);
    return [val, ctx];
  }
  if (ctx.storageLen !== void 0 && ctx.storageLen < 1) {
    throw new Error(`insufficient storage ([${ctx.storageLen}] bytes) for lift (u8 requires 1 byte)`);
  }
  val = new DataView(ctx.memory.buffer).getUint8(ctx.storagePtr, true);
  ctx.storagePtr += 1;
  if (ctx.storageLen !== void 0) {
    ctx.storageLen -= 1;
  }
  return [val, ctx];
}
function _liftFlatU16(ctx) {
  _debugLog("[_liftFlatU16()] args", { ctx });
  let val;
  if (ctx.useDirectParams) {
    if (ctx.params.length === 0) {
      throw new Error("expected at least a single i32 argument");
    }
    val = ctx.params[0];
    ctx.params = ctx.params.slice(1);
    return [val, ctx];
  }
  if (ctx.storageLen !== void 0 && ctx.storageLen < 2) {
    throw new Error(`insufficient storage ([${ctx.storageLen}] bytes) for lift (u16 requires 2 bytes)`);
  }
  val = new DataView(ctx.memory.buffer).getUint16(ctx.storagePtr, true);
  ctx.storagePtr += 2;
  if (ctx.storageLen !== void 0) {
    ctx.storageLen -= 2;
  }
  const rem = ctx.storagePtr % 2;
  if (rem !== 0) {
    ctx.storagePtr += 2 - rem;
  }
  return [val, ctx];
}
function _liftFlatU32(ctx) {
  _debugLog("[_liftFlatU32()] args", { ctx });
  let val;
  if (ctx.useDirectParams) {
    if (ctx.params.length === 0) {
      throw new Error("expected at least a single i34 argument");
    }
    val = ctx.params[0] >>> 0;
    ctx.params = ctx.params.slice(1);
    return [val, ctx];
  }
  if (ctx.storageLen !== void 0 && ctx.storageLen < 4) {
    throw new Error(`insufficient storage ([${ctx.storageLen}] bytes) for lift (u32 requires 4 bytes)`);
  }
  val = new DataView(ctx.memory.buffer).getUint32(ctx.storagePtr, true);
  ctx.storagePtr += 4;
  if (ctx.storageLen !== void 0) {
    ctx.storageLen -= 4;
  }
  return [val, ctx];
}
function _liftFlatU64(ctx) {
  _debugLog("[_liftFlatU64()] args", { ctx });
  let val;
  if (ctx.useDirectParams) {
    if (ctx.params.length === 0) {
      throw new Error("expected at least one single i64 argument");
    }
    if (typeof ctx.params[0] !== "bigint") {
      throw new Error("expected bigint");
    }
    val = BigInt.asUintN(64, ctx.params[0]);
    ctx.params = ctx.params.slice(1);
    return [val, ctx];
  }
  if (ctx.storageLen !== void 0 && ctx.storageLen < 8) {
    throw new Error(`insufficient storage ([${ctx.storageLen}] bytes) for lift (u64 requires 8 bytes)`);
  }
  val = new DataView(ctx.memory.buffer).getBigUint64(ctx.storagePtr, true);
  ctx.storagePtr += 8;
  if (ctx.storageLen !== void 0) {
    ctx.storageLen -= 8;
  }
  return [val, ctx];
}
function _liftFlatStringUTF8(ctx) {
  _debugLog("[_liftFlatStringUTF8()] args", { ctx });
  let val;
  if (ctx.useDirectParams) {
    if (ctx.params.length < 2) {
      throw new Error("expected at least two u32 arguments");
    }
    let offset = ctx.params[0];
    if (typeof offset === "bigint") {
      offset = Number(offset);
    }
    if (!Number.isSafeInteger(offset)) {
      throw new Error("invalid offset");
    }
    const len = ctx.params[1];
    if (!Number.isSafeInteger(len)) {
      throw new Error("invalid len");
    }
    val = TEXT_DECODER_UTF8.decode(new DataView(ctx.memory.buffer, offset, len));
    ctx.params = ctx.params.slice(2);
    return [val, ctx];
  }
  const rem = ctx.storagePtr % 4;
  if (rem !== 0) {
    ctx.storagePtr += 4 - rem;
  }
  const dv3 = new DataView(ctx.memory.buffer);
  const start = dv3.getUint32(ctx.storagePtr, true);
  const codeUnits = dv3.getUint32(ctx.storagePtr + 4, true);
  val = TEXT_DECODER_UTF8.decode(new Uint8Array(ctx.memory.buffer, start, codeUnits));
  ctx.storagePtr += 8;
  if (ctx.storageLen !== void 0) {
    ctx.storagelen -= 8;
  }
  return [val, ctx];
}
function _liftFlatStringUTF16(ctx) {
  _debugLog("[_liftFlatStringUTF16()] args", { ctx });
  let val;
  if (ctx.useDirectParams) {
    if (ctx.params.length < 2) {
      throw new Error("expected at least two u32 arguments");
    }
    let offset = ctx.params[0];
    if (typeof offset === "bigint") {
      offset = Number(offset);
    }
    if (!Number.isSafeInteger(offset)) {
      throw new Error("invalid offset");
    }
    const len = ctx.params[1];
    if (!Number.isSafeInteger(len)) {
      throw new Error("invalid len");
    }
    val = utf16Decoder.decode(new DataView(ctx.memory.buffer, offset, len));
    ctx.params = ctx.params.slice(2);
    return [val, ctx];
  }
  const data = new DataView(ctx.memory.buffer);
  const start = data.getUint32(ctx.storagePtr, vals[0], true);
  const codeUnits = data.getUint32(ctx.storagePtr, vals[0] + 4, true);
  val = utf16Decoder.decode(new Uint16Array(ctx.memory.buffer, start, codeUnits));
  ctx.storagePtr = ctx.storagePtr + 2 * codeUnits;
  if (ctx.storageLen !== void 0) {
    ctx.storageLen = ctx.storageLen - 2 * codeUnits;
  }
  return [val, ctx];
}
function _liftFlatStringAny(ctx) {
  switch (ctx.stringEncoding) {
    case "utf8":
      return _liftFlatStringUTF8(ctx);
    case "utf16":
      return _liftFlatStringUTF16(ctx);
    default:
      throw new Error(`missing/unrecognized/unsupported string encoding [${ctx.stringEncoding}]`);
  }
}
var _liftFlatVariantScratch = new DataView(new ArrayBuffer(8));
function _liftFlatVariant(meta) {
  const {
    caseMetas,
    variantSize32,
    variantAlign32,
    variantPayloadOffset32,
    variantFlatCount,
    variantPayloadFlatTypes,
    isEnum
  } = meta;
  return function _liftFlatVariantInner(ctx) {
    _debugLog("[_liftFlatVariant()] args", { ctx });
    const origUseParams = ctx.useDirectParams;
    let caseIdx;
    let liftRes;
    const originalPtr = ctx.storagePtr;
    const numCases = caseMetas.length;
    if (caseMetas.length < 256) {
      liftRes = _liftFlatU8(ctx);
    } else if (numCases >= 256 && numCases < 65536) {
      liftRes = _liftFlatU16(ctx);
    } else if (numCases >= 65536 && numCases < 4294967296) {
      liftRes = _liftFlatU32(ctx);
    } else {
      throw new Error(`unsupported number of variant cases [${numCases}]`);
    }
    caseIdx = liftRes[0];
    ctx = liftRes[1];
    const [
      tag,
      liftFn,
      caseSize32,
      caseAlign32,
      caseFlatCount,
      caseFlatTypes
    ] = caseMetas[caseIdx];
    if (variantPayloadOffset32 === void 0) {
      throw new Error("unexpectedly missing payload offset");
    }
    if (originalPtr !== void 0) {
      ctx.storagePtr = originalPtr + variantPayloadOffset32;
    }
    let val;
    if (liftFn === null) {
      val = { tag };
      if (originalPtr !== void 0) {
        ctx.storagePtr = originalPtr + variantSize32;
      }
    } else {
      if (ctx.useDirectParams) {
        if (!variantPayloadFlatTypes || !caseFlatTypes) {
          throw new Error("missing variant flat type metadata during direct-param lift");
        }
        const scratch = _liftFlatVariantScratch;
        for (let i = 0; i < caseFlatTypes.length; i++) {
          const have = variantPayloadFlatTypes[i];
          const want = caseFlatTypes[i];
          if (have === want) {
            continue;
          }
          const val2 = ctx.params[i];
          if (have === "i64" && want === "i32") {
            ctx.params[i] = Number(BigInt.asIntN(32, val2));
          } else if (have === "i64" && want === "f32") {
            scratch.setInt32(0, Number(BigInt.asIntN(32, val2)), true);
            ctx.params[i] = scratch.getFloat32(0, true);
          } else if (have === "i64" && want === "f64") {
            scratch.setBigInt64(0, val2, true);
            ctx.params[i] = scratch.getFloat64(0, true);
          } else if (have === "i32" && want === "f32") {
            scratch.setInt32(0, val2, true);
            ctx.params[i] = scratch.getFloat32(0, true);
          } else {
            throw new Error(`invalid variant payload coercion [${have}] -> [${want}]`);
          }
        }
      }
      const [newVal, newCtx] = liftFn(ctx);
      val = { tag, val: newVal };
      ctx = newCtx;
    }
    if (origUseParams) {
      if (variantFlatCount === void 0 || variantFlatCount === null) {
        _debugLog("[_liftFlatVariant()] variant with unknown flat count", { ctx, meta });
        throw new Error("cannot lift variant with unknown flat count");
      }
      if (caseFlatCount === void 0 || caseFlatCount === null) {
        _debugLog("[_liftFlatVariant()] case with unknown flat count", { ctx, meta, case: meta.caseMetas[caseIdx] });
        throw new Error("cannot lift case with unknown flat count");
      }
      const remainingPayloadParams = variantFlatCount - caseFlatCount - (isEnum ? 0 : 1);
      if (remainingPayloadParams < 0) {
        throw new Error(`invalid variant flat count metadata`);
      }
      if (ctx.params.length < remainingPayloadParams) {
        throw new Error(`expected at least [${remainingPayloadParams}] remaining variant payload params, but got [${ctx.params.length}]`);
      }
      ctx.params = ctx.params.slice(remainingPayloadParams);
    }
    if (ctx.storagePtr !== void 0) {
      const rem = ctx.storagePtr % variantAlign32;
      if (rem !== 0) {
        ctx.storagePtr += variantAlign32 - rem;
      }
    }
    return [val, ctx];
  };
}
function _liftFlatList(meta) {
  const { elemLiftFn, elemSize32, elemAlign32, knownLen, typedArray } = meta;
  const listValue = typedArray === void 0 ? (values) => values : (values) => new typedArray(values);
  const readValuesAndReset = (ctx, originalPtr, originalLen, dataPtr, len) => {
    if (dataPtr % elemAlign32 !== 0) {
      throw new TypeError(`list pointer [${dataPtr}] is not aligned to ${elemAlign32}`);
    }
    ctx.storagePtr = dataPtr;
    const val = [];
    for (var i = 0; i < len; i++) {
      const elemPtr = dataPtr + i * elemSize32;
      ctx.storagePtr = elemPtr;
      const [res, nextCtx] = elemLiftFn(ctx);
      val.push(res);
      ctx = nextCtx;
      ctx.storagePtr = Math.max(ctx.storagePtr, elemPtr + elemSize32);
    }
    if (originalPtr !== null) {
      ctx.storagePtr = originalPtr;
    }
    if (originalLen !== null) {
      ctx.storageLen = originalLen;
    }
    return [listValue(val), ctx];
  };
  return function _liftFlatListInner(ctx) {
    _debugLog("[_liftFlatList()] args", { ctx });
    let liftResults;
    if (knownLen !== void 0) {
      if (ctx.useDirectParams) {
        _debugLog("memory unexpectedly missing while lifting unknown length list", { ctx });
        liftResults = [listValue(ctx.params.slice(0, knownLen)), ctx];
        ctx.params = ctx.params.slice(knownLen);
      } else {
        if (ctx.memory === null) {
          _debugLog("memory unexpectedly missing while lifting known length list", { knownLen, ctx });
          throw new Error(`memory missing while lifting known length (${knownLen}) list`);
        }
        const originalLen = ctx.storageLen;
        const originalPtr = ctx.storagePtr;
        ctx.storageLen = knownLen * elemSize32;
        liftResults = readValuesAndReset(ctx, null, originalLen, ctx.storagePtr, knownLen);
      }
    } else {
      if (ctx.useDirectParams) {
        const dataPtr = ctx.params[0];
        const len = ctx.params[1];
        ctx.params = ctx.params.slice(2);
        ctx.useDirectParams = false;
        const originalPtr = ctx.storagePtr;
        const originalLen = ctx.storageLen;
        ctx.storageLen = len * elemSize32;
        liftResults = readValuesAndReset(ctx, originalPtr, originalLen, dataPtr, len);
        ctx.useDirectParams = true;
      } else {
        const originalLen = ctx.storageLen;
        ctx.storageLen = 8;
        const dataPtrLiftRes = _liftFlatU32(ctx);
        const dataPtr = dataPtrLiftRes[0];
        ctx = dataPtrLiftRes[1];
        const lenLiftRes = _liftFlatU32(ctx);
        const len = lenLiftRes[0];
        ctx = lenLiftRes[1];
        const originalPtr = ctx.storagePtr;
        ctx.storagePtr = dataPtr;
        ctx.storageLen = len * elemSize32;
        liftResults = readValuesAndReset(ctx, originalPtr, originalLen, dataPtr, len);
      }
    }
    return liftResults;
  };
}
function _liftFlatFlags(meta) {
  const { names, size32, align32, intSizeBytes } = meta;
  return function _liftFlatFlagsInner(ctx) {
    _debugLog("[_liftFlatFlags()] args", { ctx });
    let val = {};
    let liftRes;
    let align;
    switch (intSizeBytes) {
      case 1:
        liftRes = _liftFlatU8(ctx);
        break;
      case 2:
        liftRes = _liftFlatU16(ctx);
        break;
      case 4:
        liftRes = _liftFlatU32(ctx);
        break;
      default:
        throw new Error("invalid flags size");
    }
    let bits = liftRes[0];
    ctx = liftRes[1];
    for (const name of names) {
      val[name] = (bits & 1) === 1;
      bits >>>= 1;
    }
    const rem = ctx.storagePtr % align32;
    if (rem !== 0) {
      ctx.storagePtr += align32 - rem;
    }
    return [val, ctx];
  };
}
function _liftFlatResult(meta) {
  const f = _liftFlatVariant(meta);
  return function _liftFlatResultInner(ctx) {
    _debugLog("[_liftFlatResult()] args", { ctx });
    const res = f(ctx);
    if (!("val" in res[0])) {
      res[0].val = void 0;
    }
    return res;
  };
}
function _liftFlatBorrow(componentTableIdx, size, memory, vals2, storagePtr, storageLen) {
  _debugLog("[_liftFlatBorrow()] args", { size, memory, vals: vals2, storagePtr, storageLen });
  throw new Error("flat lift for borrowed resources is not supported!");
}
function _lowerFlatU8(ctx) {
  _debugLog("[_lowerFlatU8()] args", ctx);
  if (ctx.vals.length !== 1) {
    throw new Error(`unexpected number [${ctx.vals.length}] of vals (expected 1)`);
  }
  _requireValidNumericPrimitive.bind("u8", ctx.vals[0]);
  if (!ctx.memory) {
    throw new Error("missing memory for lower");
  }
  new DataView(ctx.memory.buffer).setUint8(ctx.storagePtr, ctx.vals[0]);
  ctx.storagePtr += 1;
}
function _lowerFlatU16(ctx) {
  _debugLog("[_lowerFlatU16()] args", { ctx });
  if (!ctx.memory) {
    throw new Error("missing memory for lower");
  }
  if (ctx.vals.length !== 1) {
    throw new Error(`unexpected number [${ctx.vals.length}] of vals (expected 1)`);
  }
  const rem = ctx.storagePtr % 2;
  if (rem !== 0) {
    ctx.storagePtr += 2 - rem;
  }
  _requireValidNumericPrimitive.bind("u16", ctx.vals[0]);
  new DataView(ctx.memory.buffer).setUint16(ctx.storagePtr, ctx.vals[0], true);
  ctx.storagePtr += 2;
}
function _lowerFlatU32(ctx) {
  _debugLog("[_lowerFlatU32()] args", { ctx });
  if (ctx.vals.length !== 1) {
    throw new Error(`expected single value to lower, got [${ctx.vals.length}]`);
  }
  const rem = ctx.storagePtr % 4;
  if (rem !== 0) {
    ctx.storagePtr += 4 - rem;
  }
  _requireValidNumericPrimitive.bind("u32", ctx.vals[0]);
  new DataView(ctx.memory.buffer).setUint32(ctx.storagePtr, ctx.vals[0], true);
  ctx.storagePtr += 4;
}
function _lowerFlatU64(ctx) {
  _debugLog("[_lowerFlatU64()] args", { ctx });
  if (ctx.vals.length !== 1) {
    throw new Error("unexpected number of vals");
  }
  const rem = ctx.storagePtr % 8;
  if (rem !== 0) {
    ctx.storagePtr += 8 - rem;
  }
  _requireValidNumericPrimitive.bind("u64", ctx.vals[0]);
  new DataView(ctx.memory.buffer).setBigUint64(ctx.storagePtr, ctx.vals[0], true);
  ctx.storagePtr += 8;
}
function _lowerFlatStringUTF8(ctx) {
  _debugLog("[_lowerFlatStringUTF8()] args", ctx);
  if (!ctx.realloc) {
    throw new Error("missing realloc during flat string lower");
  }
  const { ptr, len } = _utf8AllocateAndEncode(ctx.vals[0], ctx.realloc, ctx.memory);
  const view = new DataView(ctx.memory.buffer);
  view.setUint32(ctx.storagePtr, ptr, true);
  view.setUint32(ctx.storagePtr + 4, len, true);
  ctx.storagePtr += 8;
}
function _lowerFlatStringUTF16(ctx) {
  _debugLog("[_lowerFlatStringUTF16()] args", { ctx });
  if (!ctx.realloc) {
    throw new Error("missing realloc during flat string lower");
  }
  const { ptr, len } = _utf16AllocateAndEncode(ctx.vals[0], ctx.realloc, ctx.memory);
  const view = new DataView(ctx.memory.buffer);
  view.setUint32(ctx.storagePtr, ptr, true);
  view.setUint32(ctx.storagePtr + 4, len, true);
  ctx.storagePtr += 8;
}
function _lowerFlatStringAny(ctx) {
  switch (ctx.stringEncoding) {
    case "utf8":
      return _lowerFlatStringUTF8(ctx);
    case "utf16":
      return _lowerFlatStringUTF16(ctx);
    default:
      throw new Error(`missing/unrecognized/unsupported string encoding [${ctx.stringEncoding}]`);
  }
}
function _lowerFlatRecord(meta) {
  const { fieldMetas, size32: recordSize32, align32: recordAlign32 } = meta;
  return function _lowerFlatRecordInner(ctx) {
    _debugLog("[_lowerFlatRecord()] args", { ctx });
    const originalPtr = ctx.storagePtr;
    const r = ctx.vals[0];
    for (const [tag, lowerFn, size32, align32] of fieldMetas) {
      const rem2 = ctx.storagePtr % align32;
      if (rem2 !== 0) {
        ctx.storagePtr += align32 - rem2;
      }
      const fieldPtr = ctx.storagePtr;
      ctx.vals = [r[tag]];
      lowerFn(ctx);
      ctx.storagePtr = Math.max(ctx.storagePtr, fieldPtr + size32);
    }
    ctx.storagePtr = Math.max(ctx.storagePtr, originalPtr + recordSize32);
    const rem = ctx.storagePtr % recordAlign32;
    if (rem !== 0) {
      ctx.storagePtr += recordAlign32 - rem;
    }
  };
}
function _lowerFlatVariant(meta) {
  const { variantSize32, variantAlign32, variantPayloadOffset32, caseMetas } = meta;
  let caseLookup = {};
  for (const [idx, meta2] of caseMetas.entries()) {
    let tag = meta2[0];
    caseLookup[tag] = { discriminant: idx, meta: meta2 };
  }
  return function _lowerFlatVariantInner(ctx) {
    _debugLog("[_lowerFlatVariant()] args", { ctx });
    const { tag, val } = ctx.vals[0];
    const variantCase = caseLookup[tag];
    if (!variantCase) {
      throw new Error(`missing tag [${tag}] (valid tags: ${Object.keys(caseLookup)})`);
    }
    const [_tag, lowerFn, caseSize32, caseAlign32, caseFlatCount] = variantCase.meta;
    const originalPtr = ctx.storagePtr;
    ctx.vals = [variantCase.discriminant];
    let discLowerRes;
    if (caseMetas.length < 256) {
      discLowerRes = _lowerFlatU8(ctx);
    } else if (caseMetas.length >= 256 && caseMetas.length < 65536) {
      discLowerRes = _lowerFlatU16(ctx);
    } else if (caseMetas.length >= 65536 && caseMetas.length < 4294967296) {
      discLowerRes = _lowerFlatU32(ctx);
    } else {
      throw new Error(`unsupported number of cases [${caseMetas.length}]`);
    }
    const payloadOffsetPtr = originalPtr + variantPayloadOffset32;
    ctx.storagePtr = payloadOffsetPtr;
    ctx.vals = [val];
    if (lowerFn) {
      lowerFn(ctx);
    }
    ctx.storagePtr = Math.max(ctx.storagePtr, originalPtr + variantSize32);
    const rem = ctx.storagePtr % variantAlign32;
    if (rem !== 0) {
      ctx.storagePtr += variantAlign32 - rem;
    }
  };
}
function _lowerFlatList(meta) {
  const {
    elemLowerFn,
    knownLen,
    size32,
    align32,
    elemSize32,
    elemAlign32
  } = meta;
  if (!elemLowerFn) {
    throw new TypeError("missing/invalid element lower fn for list");
  }
  return function _lowerFlatListInner(ctx) {
    _debugLog("[_lowerFlatList()] args", { ctx });
    if (ctx.useDirectParams) {
      if (ctx.params.length < 2) {
        throw new Error("insufficient params left to lower list");
      }
      const storagePtr = ctx.params[0];
      const elemCount = ctx.params[1];
      ctx.params = ctx.params.slice(2);
      const list = ctx.vals[0];
      if (!list) {
        throw new Error("missing direct param value");
      }
      const lowerCtx = {
        storagePtr,
        memory: ctx.memory,
        stringEncoding: ctx.stringEncoding
      };
      for (let idx = 0; idx < list.length; idx++) {
        const elemPtr = storagePtr + idx * elemSize32;
        lowerCtx.storagePtr = elemPtr;
        lowerCtx.vals = list.slice(idx, idx + 1);
        elemLowerFn(lowerCtx);
        lowerCtx.storagePtr = Math.max(lowerCtx.storagePtr, elemPtr + elemSize32);
      }
      ctx.storagePtr = lowerCtx.storagePtr;
      return;
    }
    const elems = ctx.vals[0];
    if (knownLen === void 0) {
      if (!ctx.realloc) {
        throw new Error("missing realloc during flat string lower");
      }
      const dataPtr = ctx.realloc(0, 0, elemAlign32, elemSize32 * elems.length);
      ctx.vals[0] = dataPtr;
      _lowerFlatU32(ctx);
      ctx.vals[0] = elems.length;
      _lowerFlatU32(ctx);
      const origPtr = ctx.storagePtr;
      ctx.storagePtr = dataPtr;
      for (const [idx, elem] of elems.entries()) {
        const elemPtr = dataPtr + idx * elemSize32;
        ctx.storagePtr = elemPtr;
        ctx.vals = [elem];
        elemLowerFn(ctx);
        ctx.storagePtr = Math.max(ctx.storagePtr, elemPtr + elemSize32);
      }
      ctx.storagePtr = origPtr;
    } else {
      if (elems.length !== knownLen) {
        throw new TypeError(`invalid list input of length [${elems.length}], must be length [${knownLen}]`);
      }
      const originalPtr = ctx.storagePtr;
      for (const [idx, elem] of elems.entries()) {
        const elemPtr = originalPtr + idx * elemSize32;
        ctx.storagePtr = elemPtr;
        ctx.vals = [elem];
        elemLowerFn(ctx);
        ctx.storagePtr = Math.max(ctx.storagePtr, elemPtr + elemSize32);
      }
    }
    const totalSizeBytes = elems.length * size32;
    if (ctx.storageLen !== void 0 && totalSizeBytes > ctx.storageLen) {
      throw new Error("not enough storage remaining for list flat lower");
    }
  };
}
function _lowerFlatTuple(meta) {
  const { elemLowerMetas, size32: tupleSize32, align32: tupleAlign32 } = meta;
  return function _lowerFlatTupleInner(ctx) {
    _debugLog("[_lowerFlatTuple()] args", { ctx });
    const originalPtr = ctx.storagePtr;
    const tuple = ctx.vals[0];
    for (const [idx, [lowerFn, size32, align32]] of elemLowerMetas.entries()) {
      const rem2 = ctx.storagePtr % align32;
      if (rem2 !== 0) {
        ctx.storagePtr += align32 - rem2;
      }
      const elemPtr = ctx.storagePtr;
      ctx.vals = [tuple[idx]];
      lowerFn(ctx);
      ctx.storagePtr = Math.max(ctx.storagePtr, elemPtr + size32);
    }
    ctx.storagePtr = Math.max(ctx.storagePtr, originalPtr + tupleSize32);
    const rem = ctx.storagePtr % tupleAlign32;
    if (rem !== 0) {
      ctx.storagePtr += tupleAlign32 - rem;
    }
  };
}
function _lowerFlatFlags(meta) {
  const { names, size32, align32, intSizeBytes } = meta;
  return function _lowerFlatFlagsInner(ctx) {
    _debugLog("[_lowerFlatFlags()] args", { ctx });
    if (ctx.vals.length !== 1) {
      throw new Error("unexpected number of vals");
    }
    const flagObj = ctx.vals[0];
    let flagValue = 0;
    if (typeof flagObj === "object" && flagObj !== null) {
      for (const [idx, name] of names.entries()) {
        if (flagObj[name] === true) {
          flagValue |= 1 << idx;
        }
      }
    } else if (flagObj !== null && flagObj !== void 0) {
      throw new TypeError("only an object, undefined or null can be converted to flags");
    }
    const rem = ctx.storagePtr % align32;
    if (rem !== 0) {
      ctx.storagePtr += align32 - rem;
    }
    const dv3 = new DataView(ctx.memory.buffer);
    if (intSizeBytes === 1) {
      dv3.setUint8(ctx.storagePtr, flagValue);
    } else if (intSizeBytes === 2) {
      dv3.setUint16(ctx.storagePtr, flagValue, true);
    } else if (intSizeBytes === 4) {
      dv3.setUint32(ctx.storagePtr, flagValue, true);
    } else {
      throw new Error(`unrecognized flag size [${intSizeBytes} bytes]`);
    }
    ctx.storagePtr += intSizeBytes;
  };
}
function _lowerFlatEnum(meta) {
  const f = _lowerFlatVariant(meta);
  return function _lowerFlatEnumInner(ctx) {
    _debugLog("[_lowerFlatEnum()] args", { ctx });
    const v = ctx.vals[0];
    const isNotEnumObject = typeof v !== "object" || Object.keys(v).length !== 2 || !("tag" in v);
    if (isNotEnumObject) {
      ctx.vals[0] = { tag: v };
    }
    f(ctx);
  };
}
function _lowerFlatOption(meta) {
  const { payloadMaybeNull } = meta;
  const f = _lowerFlatVariant(meta);
  return function _lowerFlatOptionInner(ctx) {
    _debugLog("[_lowerFlatOption()] args", { ctx });
    const v = ctx.vals[0];
    if (v === null || v === void 0) {
      ctx.vals[0] = { tag: "none" };
    } else if (payloadMaybeNull) {
      const isNotOptionObject = typeof v !== "object" || Object.keys(v).length !== 2 || !("tag" in v) || !(v.tag === "some" || v.tag === "none") || !("val" in v);
      if (isNotOptionObject) {
        ctx.vals[0] = { tag: "some", val: v };
      }
    } else {
      ctx.vals[0] = { tag: "some", val: v };
    }
    f(ctx);
  };
}
function _lowerFlatResult(meta) {
  const f = _lowerFlatVariant(meta);
  return function _lowerFlatResultInner(ctx) {
    _debugLog("[_lowerFlatResult()] args", { ctx });
    const v = ctx.vals[0];
    const isNotResultObject = typeof v !== "object" || Object.keys(v).length !== 2 || !("tag" in v) || !("ok" === v.tag || "err" === v.tag) || !("val" in v);
    if (isNotResultObject) {
      ctx.vals[0] = { tag: "ok", val: v };
    }
    f(ctx);
  };
}
function _lowerFlatOwn(meta) {
  const { lowerFn, componentIdx: componentIdx2, tableIdx } = meta;
  return function _lowerFlatOwnInner(ctx) {
    _debugLog("[_lowerFlatOwn()] args", { ctx });
    const { createFn } = ctx;
    if (ctx.componentIdx !== componentIdx2) {
      throw new Error(`component index mismatch (expected [${componentIdx2}], lift called from [${ctx.componentIdx}])`);
    }
    const obj = ctx.vals[0];
    if (obj === void 0 || obj === null) {
      throw new Error("missing resource");
    }
    const handle2 = ctx.lowerResource ? ctx.lowerResource(obj, tableIdx) : lowerFn(obj);
    ctx.vals[0] = handle2;
    _lowerFlatU32(ctx);
  };
}
function _trackHostOperation(operation) {
  const result = operation();
  if (result === null || typeof result !== "object" && typeof result !== "function" || typeof result.then !== "function") {
    return result;
  }
  STORE_ASYNC_STATE.pendingHostOperations++;
  return Promise.resolve(result).finally(() => {
    STORE_ASYNC_STATE.pendingHostOperations--;
    if (STORE_ASYNC_STATE.pendingHostOperations < 0) {
      throw new Error("negative pending host operation count");
    }
    for (const state of ASYNC_STATE.values()) {
      state.runTickLoop();
    }
    _checkForDeadlock();
  });
}
function _guardMayLeave(componentIdx2, fn) {
  return function(...args) {
    _checkMayLeave(componentIdx2);
    return fn.apply(this, args);
  };
}
var base64Compile = (str) => WebAssembly.compile(
  typeof Buffer !== "undefined" ? Buffer.from(str, "base64") : Uint8Array.from(atob(str), (b) => b.charCodeAt(0))
);
var isNode = typeof process !== "undefined" && process.versions && process.versions.node;
var _fs;
async function fetchCompile(url) {
  if (isNode) {
    _fs = _fs || await import("node:fs/promises");
    return WebAssembly.compile(await _fs.readFile(url));
  }
  return fetch(url).then(WebAssembly.compileStreaming);
}
var symbolCabiDispose = /* @__PURE__ */ Symbol.for("cabiDispose");
var symbolRscHandle = /* @__PURE__ */ Symbol("handle");
var symbolRscRep = /* @__PURE__ */ Symbol.for("cabiRep");
var symbolDispose3 = Symbol.dispose || /* @__PURE__ */ Symbol.for("dispose");
var HANDLE_TABLES = [];
var ComponentError = class extends Error {
  constructor(value) {
    const enumerable = typeof value !== "string";
    super(enumerable ? `${String(value)} (see error.payload)` : value);
    Object.defineProperty(this, "payload", { value, enumerable });
  }
};
var hasOwnProperty = Object.prototype.hasOwnProperty;
function getErrorPayload(e) {
  if (e && hasOwnProperty.call(e, "payload")) return e.payload;
  if (e instanceof Error) throw e;
  return e;
}
function throwUninitialized() {
  throw new TypeError("Wasm uninitialized use `await $init` first");
}
var instantiateCore = WebAssembly.instantiate;
function _suspendingImport(componentIdx2, fn, syncOnly = false, switchesTask = false) {
  return function(...args) {
    _checkMayLeave(componentIdx2);
    const saved = CURRENT_TASK_META[componentIdx2] ?? null;
    const savedTask = saved ? getCurrentTask(saved.componentIdx, saved.taskID)?.task : null;
    const mayBlock = savedTask ? savedTask?.mayBlock() ?? CURRENT_TASK_MAY_BLOCK.value !== 0 : false;
    if (!saved && !mayBlock) {
      throw new WebAssemblyRuntimeError("cannot block a synchronous task before returning");
    }
    if (syncOnly || !mayBlock) {
      let result;
      try {
        result = fn.apply(null, args);
      } catch (err) {
        CURRENT_TASK_META[componentIdx2] = saved;
        if (!switchesTask) {
          CURRENT_TASK_META.current = saved;
        }
        throw err;
      }
      CURRENT_TASK_META[componentIdx2] = saved;
      if (!switchesTask) {
        CURRENT_TASK_META.current = saved;
      }
      if (result !== null && (typeof result === "object" || typeof result === "function") && typeof result.then === "function") {
        Promise.resolve(result).catch(() => {
        });
        throw new WebAssemblyRuntimeError("cannot block a synchronous task before returning");
      }
      return result;
    }
    return (async () => {
      try {
        return await fn.apply(null, args);
      } finally {
        CURRENT_TASK_META[componentIdx2] = saved;
        if (!switchesTask) {
          CURRENT_TASK_META.current = saved;
        }
      }
    })();
  };
}
var exports0;
var exports1;
var handleTable1 = [T_FLAG2, 0];
handleTable1._createdReps = /* @__PURE__ */ new Set();
handleTable1._componentIdx = 0;
var captureTable1 = /* @__PURE__ */ new Map();
var captureCnt1 = 0;
HANDLE_TABLES[1] = handleTable1;
var _trampoline5 = function() {
  _debugLog('[iface="wasi:cli/stderr@0.2.12", function="get-stderr"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getStderr",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => getStderr())
    });
  } catch (err) {
    _debugLog("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  if (!(ret instanceof OutputStream2)) {
    throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
  }
  var handle0 = ret[symbolRscHandle];
  if (!handle0) {
    const rep3 = ret[symbolRscRep] || ++captureCnt1;
    captureTable1.set(rep3, ret);
    handle0 = rscTableCreateOwn(handleTable1, rep3);
  }
  _debugLog('[iface="wasi:cli/stderr@0.2.12", function="get-stderr"][Instruction::Return]', {
    funcName: "get-stderr",
    paramCount: 1,
    async: false,
    postReturn: false
  });
  task.resolve([handle0]);
  task.exit();
  return handle0;
};
_trampoline5.fnName = "wasi:cli/stderr@0.2.12#getStderr";
var handleTable2 = [T_FLAG2, 0];
handleTable2._createdReps = /* @__PURE__ */ new Set();
handleTable2._componentIdx = 0;
var captureTable2 = /* @__PURE__ */ new Map();
var captureCnt2 = 0;
HANDLE_TABLES[2] = handleTable2;
var _trampoline6 = function() {
  _debugLog('[iface="wasi:cli/stdin@0.2.12", function="get-stdin"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getStdin",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => getStdin())
    });
  } catch (err) {
    _debugLog("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  if (!(ret instanceof InputStream2)) {
    throw new TypeError('Resource error: Not a valid "InputStream" resource.');
  }
  var handle0 = ret[symbolRscHandle];
  if (!handle0) {
    const rep3 = ret[symbolRscRep] || ++captureCnt2;
    captureTable2.set(rep3, ret);
    handle0 = rscTableCreateOwn(handleTable2, rep3);
  }
  _debugLog('[iface="wasi:cli/stdin@0.2.12", function="get-stdin"][Instruction::Return]', {
    funcName: "get-stdin",
    paramCount: 1,
    async: false,
    postReturn: false
  });
  task.resolve([handle0]);
  task.exit();
  return handle0;
};
_trampoline6.fnName = "wasi:cli/stdin@0.2.12#getStdin";
var _trampoline7 = function() {
  _debugLog('[iface="wasi:cli/stdout@0.2.12", function="get-stdout"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getStdout",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => getStdout())
    });
  } catch (err) {
    _debugLog("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  if (!(ret instanceof OutputStream2)) {
    throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
  }
  var handle0 = ret[symbolRscHandle];
  if (!handle0) {
    const rep3 = ret[symbolRscRep] || ++captureCnt1;
    captureTable1.set(rep3, ret);
    handle0 = rscTableCreateOwn(handleTable1, rep3);
  }
  _debugLog('[iface="wasi:cli/stdout@0.2.12", function="get-stdout"][Instruction::Return]', {
    funcName: "get-stdout",
    paramCount: 1,
    async: false,
    postReturn: false
  });
  task.resolve([handle0]);
  task.exit();
  return handle0;
};
_trampoline7.fnName = "wasi:cli/stdout@0.2.12#getStdout";
var _trampoline10 = function(arg0) {
  let variant0;
  switch (arg0) {
    case 0: {
      variant0 = {
        tag: "ok",
        val: void 0
      };
      break;
    }
    case 1: {
      variant0 = {
        tag: "err",
        val: void 0
      };
      break;
    }
    default: {
      throw new TypeError("invalid variant discriminant for expected");
    }
  }
  _debugLog('[iface="wasi:cli/exit@0.2.12", function="exit"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "exit",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => exit3(variant0))
    });
  } catch (err) {
    _debugLog("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  _debugLog('[iface="wasi:cli/exit@0.2.12", function="exit"][Instruction::Return]', {
    funcName: "exit",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline10.fnName = "wasi:cli/exit@0.2.12#exit";
var exports2;
var memory0;
var realloc0;
var realloc0Async;
var handleTable0 = [T_FLAG2, 0];
handleTable0._createdReps = /* @__PURE__ */ new Set();
handleTable0._componentIdx = 0;
var captureTable0 = /* @__PURE__ */ new Map();
var captureCnt0 = 0;
HANDLE_TABLES[0] = handleTable0;
var _trampoline11 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable0[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable0.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Error$1.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="filesystem-error-code"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "filesystemErrorCode",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => filesystemErrorCode(rsc0))
    });
  } catch (err) {
    _debugLog("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant4 = ret;
  if (variant4 === null || variant4 === void 0) {
    dataView(memory0).setInt8(arg1 + 0, 0, true);
  } else {
    const e = variant4;
    dataView(memory0).setInt8(arg1 + 0, 1, true);
    var val3 = e;
    let enum3;
    switch (val3) {
      case "access": {
        enum3 = 0;
        break;
      }
      case "would-block": {
        enum3 = 1;
        break;
      }
      case "already": {
        enum3 = 2;
        break;
      }
      case "bad-descriptor": {
        enum3 = 3;
        break;
      }
      case "busy": {
        enum3 = 4;
        break;
      }
      case "deadlock": {
        enum3 = 5;
        break;
      }
      case "quota": {
        enum3 = 6;
        break;
      }
      case "exist": {
        enum3 = 7;
        break;
      }
      case "file-too-large": {
        enum3 = 8;
        break;
      }
      case "illegal-byte-sequence": {
        enum3 = 9;
        break;
      }
      case "in-progress": {
        enum3 = 10;
        break;
      }
      case "interrupted": {
        enum3 = 11;
        break;
      }
      case "invalid": {
        enum3 = 12;
        break;
      }
      case "io": {
        enum3 = 13;
        break;
      }
      case "is-directory": {
        enum3 = 14;
        break;
      }
      case "loop": {
        enum3 = 15;
        break;
      }
      case "too-many-links": {
        enum3 = 16;
        break;
      }
      case "message-size": {
        enum3 = 17;
        break;
      }
      case "name-too-long": {
        enum3 = 18;
        break;
      }
      case "no-device": {
        enum3 = 19;
        break;
      }
      case "no-entry": {
        enum3 = 20;
        break;
      }
      case "no-lock": {
        enum3 = 21;
        break;
      }
      case "insufficient-memory": {
        enum3 = 22;
        break;
      }
      case "insufficient-space": {
        enum3 = 23;
        break;
      }
      case "not-directory": {
        enum3 = 24;
        break;
      }
      case "not-empty": {
        enum3 = 25;
        break;
      }
      case "not-recoverable": {
        enum3 = 26;
        break;
      }
      case "unsupported": {
        enum3 = 27;
        break;
      }
      case "no-tty": {
        enum3 = 28;
        break;
      }
      case "no-such-device": {
        enum3 = 29;
        break;
      }
      case "overflow": {
        enum3 = 30;
        break;
      }
      case "not-permitted": {
        enum3 = 31;
        break;
      }
      case "pipe": {
        enum3 = 32;
        break;
      }
      case "read-only": {
        enum3 = 33;
        break;
      }
      case "invalid-seek": {
        enum3 = 34;
        break;
      }
      case "text-file-busy": {
        enum3 = 35;
        break;
      }
      case "cross-device": {
        enum3 = 36;
        break;
      }
      default: {
        if (e instanceof Error) {
          console.error(e);
        }
        throw new TypeError(`"${val3}" is not one of the cases of error-code`);
      }
    }
    dataView(memory0).setInt8(arg1 + 1, enum3, true);
  }
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="filesystem-error-code"][Instruction::Return]', {
    funcName: "filesystem-error-code",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline11.fnName = "wasi:filesystem/types@0.2.12#filesystemErrorCode";
var handleTable5 = [T_FLAG2, 0];
handleTable5._createdReps = /* @__PURE__ */ new Set();
handleTable5._componentIdx = 0;
var captureTable5 = /* @__PURE__ */ new Map();
var captureCnt5 = 0;
HANDLE_TABLES[5] = handleTable5;
var _trampoline12 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable5[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable5.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.metadata-hash"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "metadataHash",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.metadataHash())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 0, true);
      var { lower: v4_0, upper: v4_1 } = e;
      dataView(memory0).setBigInt64(arg1 + 8, toUint64(v4_0), true);
      dataView(memory0).setBigInt64(arg1 + 16, toUint64(v4_1), true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView(memory0).setInt8(arg1 + 8, enum5, true);
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.metadata-hash"][Instruction::Return]', {
    funcName: "[method]descriptor.metadata-hash",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline12.fnName = "wasi:filesystem/types@0.2.12#metadataHash";
var handleTable6 = [T_FLAG2, 0];
handleTable6._createdReps = /* @__PURE__ */ new Set();
handleTable6._componentIdx = 0;
var captureTable6 = /* @__PURE__ */ new Map();
var captureCnt6 = 0;
HANDLE_TABLES[6] = handleTable6;
var _trampoline13 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable6[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable6.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(DirectoryEntryStream2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]directory-entry-stream.read-directory-entry"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "readDirectoryEntry",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.readDirectoryEntry())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant9 = ret;
  switch (variant9.tag) {
    case "ok": {
      const e = variant9.val;
      dataView(memory0).setInt8(arg1 + 0, 0, true);
      var variant7 = e;
      if (variant7 === null || variant7 === void 0) {
        dataView(memory0).setInt8(arg1 + 4, 0, true);
      } else {
        const e2 = variant7;
        dataView(memory0).setInt8(arg1 + 4, 1, true);
        var { type: v4_0, name: v4_1 } = e2;
        var val5 = v4_0;
        let enum5;
        switch (val5) {
          case "unknown": {
            enum5 = 0;
            break;
          }
          case "block-device": {
            enum5 = 1;
            break;
          }
          case "character-device": {
            enum5 = 2;
            break;
          }
          case "directory": {
            enum5 = 3;
            break;
          }
          case "fifo": {
            enum5 = 4;
            break;
          }
          case "symbolic-link": {
            enum5 = 5;
            break;
          }
          case "regular-file": {
            enum5 = 6;
            break;
          }
          case "socket": {
            enum5 = 7;
            break;
          }
          default: {
            if (v4_0 instanceof Error) {
              console.error(v4_0);
            }
            throw new TypeError(`"${val5}" is not one of the cases of descriptor-type`);
          }
        }
        dataView(memory0).setInt8(arg1 + 8, enum5, true);
        var encodeRes = _utf8AllocateAndEncode(v4_1, realloc0, memory0);
        var ptr6 = encodeRes.ptr;
        var len6 = encodeRes.len;
        dataView(memory0).setUint32(arg1 + 16, len6, true);
        dataView(memory0).setUint32(arg1 + 12, ptr6, true);
      }
      break;
    }
    case "err": {
      const e = variant9.val;
      dataView(memory0).setInt8(arg1 + 0, 1, true);
      var val8 = e;
      let enum8;
      switch (val8) {
        case "access": {
          enum8 = 0;
          break;
        }
        case "would-block": {
          enum8 = 1;
          break;
        }
        case "already": {
          enum8 = 2;
          break;
        }
        case "bad-descriptor": {
          enum8 = 3;
          break;
        }
        case "busy": {
          enum8 = 4;
          break;
        }
        case "deadlock": {
          enum8 = 5;
          break;
        }
        case "quota": {
          enum8 = 6;
          break;
        }
        case "exist": {
          enum8 = 7;
          break;
        }
        case "file-too-large": {
          enum8 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum8 = 9;
          break;
        }
        case "in-progress": {
          enum8 = 10;
          break;
        }
        case "interrupted": {
          enum8 = 11;
          break;
        }
        case "invalid": {
          enum8 = 12;
          break;
        }
        case "io": {
          enum8 = 13;
          break;
        }
        case "is-directory": {
          enum8 = 14;
          break;
        }
        case "loop": {
          enum8 = 15;
          break;
        }
        case "too-many-links": {
          enum8 = 16;
          break;
        }
        case "message-size": {
          enum8 = 17;
          break;
        }
        case "name-too-long": {
          enum8 = 18;
          break;
        }
        case "no-device": {
          enum8 = 19;
          break;
        }
        case "no-entry": {
          enum8 = 20;
          break;
        }
        case "no-lock": {
          enum8 = 21;
          break;
        }
        case "insufficient-memory": {
          enum8 = 22;
          break;
        }
        case "insufficient-space": {
          enum8 = 23;
          break;
        }
        case "not-directory": {
          enum8 = 24;
          break;
        }
        case "not-empty": {
          enum8 = 25;
          break;
        }
        case "not-recoverable": {
          enum8 = 26;
          break;
        }
        case "unsupported": {
          enum8 = 27;
          break;
        }
        case "no-tty": {
          enum8 = 28;
          break;
        }
        case "no-such-device": {
          enum8 = 29;
          break;
        }
        case "overflow": {
          enum8 = 30;
          break;
        }
        case "not-permitted": {
          enum8 = 31;
          break;
        }
        case "pipe": {
          enum8 = 32;
          break;
        }
        case "read-only": {
          enum8 = 33;
          break;
        }
        case "invalid-seek": {
          enum8 = 34;
          break;
        }
        case "text-file-busy": {
          enum8 = 35;
          break;
        }
        case "cross-device": {
          enum8 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val8}" is not one of the cases of error-code`);
        }
      }
      dataView(memory0).setInt8(arg1 + 4, enum8, true);
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant9, valueType: typeof variant9 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]directory-entry-stream.read-directory-entry"][Instruction::Return]', {
    funcName: "[method]directory-entry-stream.read-directory-entry",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline13.fnName = "wasi:filesystem/types@0.2.12#readDirectoryEntry";
var _trampoline14 = function(arg0, arg1, arg2, arg3, arg4) {
  var handle1 = arg0;
  var rep22 = handleTable5[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable5.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  if ((arg1 & 4294967294) !== 0) {
    throw new TypeError("flags have extraneous bits set");
  }
  var flags3 = {
    symlinkFollow: Boolean(arg1 & 1)
  };
  var ptr4 = arg2;
  var len4 = arg3;
  var result4 = TEXT_DECODER_UTF8.decode(new Uint8Array(memory0.buffer, ptr4, len4));
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.metadata-hash-at"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "metadataHashAt",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet5 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.metadataHashAt(flags3, result4))
    });
    ret = hostRet5 !== null && typeof hostRet5 === "object" && (hostRet5.tag === "ok" || hostRet5.tag === "err") ? hostRet5 : { tag: "ok", val: hostRet5 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant8 = ret;
  switch (variant8.tag) {
    case "ok": {
      const e = variant8.val;
      dataView(memory0).setInt8(arg4 + 0, 0, true);
      var { lower: v6_0, upper: v6_1 } = e;
      dataView(memory0).setBigInt64(arg4 + 8, toUint64(v6_0), true);
      dataView(memory0).setBigInt64(arg4 + 16, toUint64(v6_1), true);
      break;
    }
    case "err": {
      const e = variant8.val;
      dataView(memory0).setInt8(arg4 + 0, 1, true);
      var val7 = e;
      let enum7;
      switch (val7) {
        case "access": {
          enum7 = 0;
          break;
        }
        case "would-block": {
          enum7 = 1;
          break;
        }
        case "already": {
          enum7 = 2;
          break;
        }
        case "bad-descriptor": {
          enum7 = 3;
          break;
        }
        case "busy": {
          enum7 = 4;
          break;
        }
        case "deadlock": {
          enum7 = 5;
          break;
        }
        case "quota": {
          enum7 = 6;
          break;
        }
        case "exist": {
          enum7 = 7;
          break;
        }
        case "file-too-large": {
          enum7 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum7 = 9;
          break;
        }
        case "in-progress": {
          enum7 = 10;
          break;
        }
        case "interrupted": {
          enum7 = 11;
          break;
        }
        case "invalid": {
          enum7 = 12;
          break;
        }
        case "io": {
          enum7 = 13;
          break;
        }
        case "is-directory": {
          enum7 = 14;
          break;
        }
        case "loop": {
          enum7 = 15;
          break;
        }
        case "too-many-links": {
          enum7 = 16;
          break;
        }
        case "message-size": {
          enum7 = 17;
          break;
        }
        case "name-too-long": {
          enum7 = 18;
          break;
        }
        case "no-device": {
          enum7 = 19;
          break;
        }
        case "no-entry": {
          enum7 = 20;
          break;
        }
        case "no-lock": {
          enum7 = 21;
          break;
        }
        case "insufficient-memory": {
          enum7 = 22;
          break;
        }
        case "insufficient-space": {
          enum7 = 23;
          break;
        }
        case "not-directory": {
          enum7 = 24;
          break;
        }
        case "not-empty": {
          enum7 = 25;
          break;
        }
        case "not-recoverable": {
          enum7 = 26;
          break;
        }
        case "unsupported": {
          enum7 = 27;
          break;
        }
        case "no-tty": {
          enum7 = 28;
          break;
        }
        case "no-such-device": {
          enum7 = 29;
          break;
        }
        case "overflow": {
          enum7 = 30;
          break;
        }
        case "not-permitted": {
          enum7 = 31;
          break;
        }
        case "pipe": {
          enum7 = 32;
          break;
        }
        case "read-only": {
          enum7 = 33;
          break;
        }
        case "invalid-seek": {
          enum7 = 34;
          break;
        }
        case "text-file-busy": {
          enum7 = 35;
          break;
        }
        case "cross-device": {
          enum7 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val7}" is not one of the cases of error-code`);
        }
      }
      dataView(memory0).setInt8(arg4 + 8, enum7, true);
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant8, valueType: typeof variant8 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.metadata-hash-at"][Instruction::Return]', {
    funcName: "[method]descriptor.metadata-hash-at",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline14.fnName = "wasi:filesystem/types@0.2.12#metadataHashAt";
var _trampoline15 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable5[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable5.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.get-flags"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getFlags",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.getFlags())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 0, true);
      let flags4 = 0;
      if (typeof e === "object" && e !== null) {
        flags4 = Boolean(e.read) << 0 | Boolean(e.write) << 1 | Boolean(e.fileIntegritySync) << 2 | Boolean(e.dataIntegritySync) << 3 | Boolean(e.requestedWriteSync) << 4 | Boolean(e.mutateDirectory) << 5;
      } else if (e !== null && e !== void 0) {
        throw new TypeError("only an object, undefined or null can be converted to flags");
      }
      dataView(memory0).setInt8(arg1 + 1, flags4, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView(memory0).setInt8(arg1 + 1, enum5, true);
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.get-flags"][Instruction::Return]', {
    funcName: "[method]descriptor.get-flags",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline15.fnName = "wasi:filesystem/types@0.2.12#getFlags";
var _trampoline16 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable5[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable5.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.get-type"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getType",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.getType())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 0, true);
      var val4 = e;
      let enum4;
      switch (val4) {
        case "unknown": {
          enum4 = 0;
          break;
        }
        case "block-device": {
          enum4 = 1;
          break;
        }
        case "character-device": {
          enum4 = 2;
          break;
        }
        case "directory": {
          enum4 = 3;
          break;
        }
        case "fifo": {
          enum4 = 4;
          break;
        }
        case "symbolic-link": {
          enum4 = 5;
          break;
        }
        case "regular-file": {
          enum4 = 6;
          break;
        }
        case "socket": {
          enum4 = 7;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val4}" is not one of the cases of descriptor-type`);
        }
      }
      dataView(memory0).setInt8(arg1 + 1, enum4, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView(memory0).setInt8(arg1 + 1, enum5, true);
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.get-type"][Instruction::Return]', {
    funcName: "[method]descriptor.get-type",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline16.fnName = "wasi:filesystem/types@0.2.12#getType";
var _trampoline17 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable5[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable5.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.append-via-stream"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "appendViaStream",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.appendViaStream())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 0, true);
      if (!(e instanceof OutputStream2)) {
        throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
      }
      var handle4 = e[symbolRscHandle];
      if (!handle4) {
        const rep3 = e[symbolRscRep] || ++captureCnt1;
        captureTable1.set(rep3, e);
        handle4 = rscTableCreateOwn(handleTable1, rep3);
      }
      dataView(memory0).setInt32(arg1 + 4, handle4, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView(memory0).setInt8(arg1 + 4, enum5, true);
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.append-via-stream"][Instruction::Return]', {
    funcName: "[method]descriptor.append-via-stream",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline17.fnName = "wasi:filesystem/types@0.2.12#appendViaStream";
var _trampoline18 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable5[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable5.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.read-directory"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "readDirectory",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.readDirectory())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 0, true);
      if (!(e instanceof DirectoryEntryStream2)) {
        throw new TypeError('Resource error: Not a valid "DirectoryEntryStream" resource.');
      }
      var handle4 = e[symbolRscHandle];
      if (!handle4) {
        const rep3 = e[symbolRscRep] || ++captureCnt6;
        captureTable6.set(rep3, e);
        handle4 = rscTableCreateOwn(handleTable6, rep3);
      }
      dataView(memory0).setInt32(arg1 + 4, handle4, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView(memory0).setInt8(arg1 + 4, enum5, true);
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.read-directory"][Instruction::Return]', {
    funcName: "[method]descriptor.read-directory",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline18.fnName = "wasi:filesystem/types@0.2.12#readDirectory";
var _trampoline19 = function(arg0, arg1, arg2, arg3, arg4) {
  var handle1 = arg0;
  var rep22 = handleTable5[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable5.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  if ((arg1 & 4294967294) !== 0) {
    throw new TypeError("flags have extraneous bits set");
  }
  var flags3 = {
    symlinkFollow: Boolean(arg1 & 1)
  };
  var ptr4 = arg2;
  var len4 = arg3;
  var result4 = TEXT_DECODER_UTF8.decode(new Uint8Array(memory0.buffer, ptr4, len4));
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.stat-at"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "statAt",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet5 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.statAt(flags3, result4))
    });
    ret = hostRet5 !== null && typeof hostRet5 === "object" && (hostRet5.tag === "ok" || hostRet5.tag === "err") ? hostRet5 : { tag: "ok", val: hostRet5 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant15 = ret;
  switch (variant15.tag) {
    case "ok": {
      const e = variant15.val;
      dataView(memory0).setInt8(arg4 + 0, 0, true);
      var { type: v6_0, linkCount: v6_1, size: v6_2, dataAccessTimestamp: v6_3, dataModificationTimestamp: v6_4, statusChangeTimestamp: v6_5 } = e;
      var val7 = v6_0;
      let enum7;
      switch (val7) {
        case "unknown": {
          enum7 = 0;
          break;
        }
        case "block-device": {
          enum7 = 1;
          break;
        }
        case "character-device": {
          enum7 = 2;
          break;
        }
        case "directory": {
          enum7 = 3;
          break;
        }
        case "fifo": {
          enum7 = 4;
          break;
        }
        case "symbolic-link": {
          enum7 = 5;
          break;
        }
        case "regular-file": {
          enum7 = 6;
          break;
        }
        case "socket": {
          enum7 = 7;
          break;
        }
        default: {
          if (v6_0 instanceof Error) {
            console.error(v6_0);
          }
          throw new TypeError(`"${val7}" is not one of the cases of descriptor-type`);
        }
      }
      dataView(memory0).setInt8(arg4 + 8, enum7, true);
      dataView(memory0).setBigInt64(arg4 + 16, toUint64(v6_1), true);
      dataView(memory0).setBigInt64(arg4 + 24, toUint64(v6_2), true);
      var variant9 = v6_3;
      if (variant9 === null || variant9 === void 0) {
        dataView(memory0).setInt8(arg4 + 32, 0, true);
      } else {
        const e2 = variant9;
        dataView(memory0).setInt8(arg4 + 32, 1, true);
        var { seconds: v8_0, nanoseconds: v8_1 } = e2;
        dataView(memory0).setBigInt64(arg4 + 40, toUint64(v8_0), true);
        dataView(memory0).setInt32(arg4 + 48, toUint32(v8_1), true);
      }
      var variant11 = v6_4;
      if (variant11 === null || variant11 === void 0) {
        dataView(memory0).setInt8(arg4 + 56, 0, true);
      } else {
        const e2 = variant11;
        dataView(memory0).setInt8(arg4 + 56, 1, true);
        var { seconds: v10_0, nanoseconds: v10_1 } = e2;
        dataView(memory0).setBigInt64(arg4 + 64, toUint64(v10_0), true);
        dataView(memory0).setInt32(arg4 + 72, toUint32(v10_1), true);
      }
      var variant13 = v6_5;
      if (variant13 === null || variant13 === void 0) {
        dataView(memory0).setInt8(arg4 + 80, 0, true);
      } else {
        const e2 = variant13;
        dataView(memory0).setInt8(arg4 + 80, 1, true);
        var { seconds: v12_0, nanoseconds: v12_1 } = e2;
        dataView(memory0).setBigInt64(arg4 + 88, toUint64(v12_0), true);
        dataView(memory0).setInt32(arg4 + 96, toUint32(v12_1), true);
      }
      break;
    }
    case "err": {
      const e = variant15.val;
      dataView(memory0).setInt8(arg4 + 0, 1, true);
      var val14 = e;
      let enum14;
      switch (val14) {
        case "access": {
          enum14 = 0;
          break;
        }
        case "would-block": {
          enum14 = 1;
          break;
        }
        case "already": {
          enum14 = 2;
          break;
        }
        case "bad-descriptor": {
          enum14 = 3;
          break;
        }
        case "busy": {
          enum14 = 4;
          break;
        }
        case "deadlock": {
          enum14 = 5;
          break;
        }
        case "quota": {
          enum14 = 6;
          break;
        }
        case "exist": {
          enum14 = 7;
          break;
        }
        case "file-too-large": {
          enum14 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum14 = 9;
          break;
        }
        case "in-progress": {
          enum14 = 10;
          break;
        }
        case "interrupted": {
          enum14 = 11;
          break;
        }
        case "invalid": {
          enum14 = 12;
          break;
        }
        case "io": {
          enum14 = 13;
          break;
        }
        case "is-directory": {
          enum14 = 14;
          break;
        }
        case "loop": {
          enum14 = 15;
          break;
        }
        case "too-many-links": {
          enum14 = 16;
          break;
        }
        case "message-size": {
          enum14 = 17;
          break;
        }
        case "name-too-long": {
          enum14 = 18;
          break;
        }
        case "no-device": {
          enum14 = 19;
          break;
        }
        case "no-entry": {
          enum14 = 20;
          break;
        }
        case "no-lock": {
          enum14 = 21;
          break;
        }
        case "insufficient-memory": {
          enum14 = 22;
          break;
        }
        case "insufficient-space": {
          enum14 = 23;
          break;
        }
        case "not-directory": {
          enum14 = 24;
          break;
        }
        case "not-empty": {
          enum14 = 25;
          break;
        }
        case "not-recoverable": {
          enum14 = 26;
          break;
        }
        case "unsupported": {
          enum14 = 27;
          break;
        }
        case "no-tty": {
          enum14 = 28;
          break;
        }
        case "no-such-device": {
          enum14 = 29;
          break;
        }
        case "overflow": {
          enum14 = 30;
          break;
        }
        case "not-permitted": {
          enum14 = 31;
          break;
        }
        case "pipe": {
          enum14 = 32;
          break;
        }
        case "read-only": {
          enum14 = 33;
          break;
        }
        case "invalid-seek": {
          enum14 = 34;
          break;
        }
        case "text-file-busy": {
          enum14 = 35;
          break;
        }
        case "cross-device": {
          enum14 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val14}" is not one of the cases of error-code`);
        }
      }
      dataView(memory0).setInt8(arg4 + 8, enum14, true);
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant15, valueType: typeof variant15 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.stat-at"][Instruction::Return]', {
    funcName: "[method]descriptor.stat-at",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline19.fnName = "wasi:filesystem/types@0.2.12#statAt";
var _trampoline20 = function(arg0, arg1, arg2, arg3, arg4, arg5, arg6) {
  var handle1 = arg0;
  var rep22 = handleTable5[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable5.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  if ((arg1 & 4294967294) !== 0) {
    throw new TypeError("flags have extraneous bits set");
  }
  var flags3 = {
    symlinkFollow: Boolean(arg1 & 1)
  };
  var ptr4 = arg2;
  var len4 = arg3;
  var result4 = TEXT_DECODER_UTF8.decode(new Uint8Array(memory0.buffer, ptr4, len4));
  if ((arg4 & 4294967280) !== 0) {
    throw new TypeError("flags have extraneous bits set");
  }
  var flags5 = {
    create: Boolean(arg4 & 1),
    directory: Boolean(arg4 & 2),
    exclusive: Boolean(arg4 & 4),
    truncate: Boolean(arg4 & 8)
  };
  if ((arg5 & 4294967232) !== 0) {
    throw new TypeError("flags have extraneous bits set");
  }
  var flags6 = {
    read: Boolean(arg5 & 1),
    write: Boolean(arg5 & 2),
    fileIntegritySync: Boolean(arg5 & 4),
    dataIntegritySync: Boolean(arg5 & 8),
    requestedWriteSync: Boolean(arg5 & 16),
    mutateDirectory: Boolean(arg5 & 32)
  };
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.open-at"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "openAt",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet7 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.openAt(flags3, result4, flags5, flags6))
    });
    ret = hostRet7 !== null && typeof hostRet7 === "object" && (hostRet7.tag === "ok" || hostRet7.tag === "err") ? hostRet7 : { tag: "ok", val: hostRet7 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant10 = ret;
  switch (variant10.tag) {
    case "ok": {
      const e = variant10.val;
      dataView(memory0).setInt8(arg6 + 0, 0, true);
      if (!(e instanceof Descriptor2)) {
        throw new TypeError('Resource error: Not a valid "Descriptor" resource.');
      }
      var handle8 = e[symbolRscHandle];
      if (!handle8) {
        const rep3 = e[symbolRscRep] || ++captureCnt5;
        captureTable5.set(rep3, e);
        handle8 = rscTableCreateOwn(handleTable5, rep3);
      }
      dataView(memory0).setInt32(arg6 + 4, handle8, true);
      break;
    }
    case "err": {
      const e = variant10.val;
      dataView(memory0).setInt8(arg6 + 0, 1, true);
      var val9 = e;
      let enum9;
      switch (val9) {
        case "access": {
          enum9 = 0;
          break;
        }
        case "would-block": {
          enum9 = 1;
          break;
        }
        case "already": {
          enum9 = 2;
          break;
        }
        case "bad-descriptor": {
          enum9 = 3;
          break;
        }
        case "busy": {
          enum9 = 4;
          break;
        }
        case "deadlock": {
          enum9 = 5;
          break;
        }
        case "quota": {
          enum9 = 6;
          break;
        }
        case "exist": {
          enum9 = 7;
          break;
        }
        case "file-too-large": {
          enum9 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum9 = 9;
          break;
        }
        case "in-progress": {
          enum9 = 10;
          break;
        }
        case "interrupted": {
          enum9 = 11;
          break;
        }
        case "invalid": {
          enum9 = 12;
          break;
        }
        case "io": {
          enum9 = 13;
          break;
        }
        case "is-directory": {
          enum9 = 14;
          break;
        }
        case "loop": {
          enum9 = 15;
          break;
        }
        case "too-many-links": {
          enum9 = 16;
          break;
        }
        case "message-size": {
          enum9 = 17;
          break;
        }
        case "name-too-long": {
          enum9 = 18;
          break;
        }
        case "no-device": {
          enum9 = 19;
          break;
        }
        case "no-entry": {
          enum9 = 20;
          break;
        }
        case "no-lock": {
          enum9 = 21;
          break;
        }
        case "insufficient-memory": {
          enum9 = 22;
          break;
        }
        case "insufficient-space": {
          enum9 = 23;
          break;
        }
        case "not-directory": {
          enum9 = 24;
          break;
        }
        case "not-empty": {
          enum9 = 25;
          break;
        }
        case "not-recoverable": {
          enum9 = 26;
          break;
        }
        case "unsupported": {
          enum9 = 27;
          break;
        }
        case "no-tty": {
          enum9 = 28;
          break;
        }
        case "no-such-device": {
          enum9 = 29;
          break;
        }
        case "overflow": {
          enum9 = 30;
          break;
        }
        case "not-permitted": {
          enum9 = 31;
          break;
        }
        case "pipe": {
          enum9 = 32;
          break;
        }
        case "read-only": {
          enum9 = 33;
          break;
        }
        case "invalid-seek": {
          enum9 = 34;
          break;
        }
        case "text-file-busy": {
          enum9 = 35;
          break;
        }
        case "cross-device": {
          enum9 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val9}" is not one of the cases of error-code`);
        }
      }
      dataView(memory0).setInt8(arg6 + 4, enum9, true);
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant10, valueType: typeof variant10 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.open-at"][Instruction::Return]', {
    funcName: "[method]descriptor.open-at",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline20.fnName = "wasi:filesystem/types@0.2.12#openAt";
var _trampoline21 = function(arg0, arg1, arg2) {
  var handle1 = arg0;
  var rep22 = handleTable5[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable5.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.read-via-stream"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "readViaStream",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.readViaStream(BigInt.asUintN(64, BigInt(arg1))))
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg2 + 0, 0, true);
      if (!(e instanceof InputStream2)) {
        throw new TypeError('Resource error: Not a valid "InputStream" resource.');
      }
      var handle4 = e[symbolRscHandle];
      if (!handle4) {
        const rep3 = e[symbolRscRep] || ++captureCnt2;
        captureTable2.set(rep3, e);
        handle4 = rscTableCreateOwn(handleTable2, rep3);
      }
      dataView(memory0).setInt32(arg2 + 4, handle4, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg2 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView(memory0).setInt8(arg2 + 4, enum5, true);
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.read-via-stream"][Instruction::Return]', {
    funcName: "[method]descriptor.read-via-stream",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline21.fnName = "wasi:filesystem/types@0.2.12#readViaStream";
var _trampoline22 = function(arg0, arg1, arg2) {
  var handle1 = arg0;
  var rep22 = handleTable5[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable5.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.write-via-stream"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "writeViaStream",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.writeViaStream(BigInt.asUintN(64, BigInt(arg1))))
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg2 + 0, 0, true);
      if (!(e instanceof OutputStream2)) {
        throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
      }
      var handle4 = e[symbolRscHandle];
      if (!handle4) {
        const rep3 = e[symbolRscRep] || ++captureCnt1;
        captureTable1.set(rep3, e);
        handle4 = rscTableCreateOwn(handleTable1, rep3);
      }
      dataView(memory0).setInt32(arg2 + 4, handle4, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg2 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView(memory0).setInt8(arg2 + 4, enum5, true);
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.write-via-stream"][Instruction::Return]', {
    funcName: "[method]descriptor.write-via-stream",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline22.fnName = "wasi:filesystem/types@0.2.12#writeViaStream";
var _trampoline23 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable5[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable5.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.stat"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "stat",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.stat())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant13 = ret;
  switch (variant13.tag) {
    case "ok": {
      const e = variant13.val;
      dataView(memory0).setInt8(arg1 + 0, 0, true);
      var { type: v4_0, linkCount: v4_1, size: v4_2, dataAccessTimestamp: v4_3, dataModificationTimestamp: v4_4, statusChangeTimestamp: v4_5 } = e;
      var val5 = v4_0;
      let enum5;
      switch (val5) {
        case "unknown": {
          enum5 = 0;
          break;
        }
        case "block-device": {
          enum5 = 1;
          break;
        }
        case "character-device": {
          enum5 = 2;
          break;
        }
        case "directory": {
          enum5 = 3;
          break;
        }
        case "fifo": {
          enum5 = 4;
          break;
        }
        case "symbolic-link": {
          enum5 = 5;
          break;
        }
        case "regular-file": {
          enum5 = 6;
          break;
        }
        case "socket": {
          enum5 = 7;
          break;
        }
        default: {
          if (v4_0 instanceof Error) {
            console.error(v4_0);
          }
          throw new TypeError(`"${val5}" is not one of the cases of descriptor-type`);
        }
      }
      dataView(memory0).setInt8(arg1 + 8, enum5, true);
      dataView(memory0).setBigInt64(arg1 + 16, toUint64(v4_1), true);
      dataView(memory0).setBigInt64(arg1 + 24, toUint64(v4_2), true);
      var variant7 = v4_3;
      if (variant7 === null || variant7 === void 0) {
        dataView(memory0).setInt8(arg1 + 32, 0, true);
      } else {
        const e2 = variant7;
        dataView(memory0).setInt8(arg1 + 32, 1, true);
        var { seconds: v6_0, nanoseconds: v6_1 } = e2;
        dataView(memory0).setBigInt64(arg1 + 40, toUint64(v6_0), true);
        dataView(memory0).setInt32(arg1 + 48, toUint32(v6_1), true);
      }
      var variant9 = v4_4;
      if (variant9 === null || variant9 === void 0) {
        dataView(memory0).setInt8(arg1 + 56, 0, true);
      } else {
        const e2 = variant9;
        dataView(memory0).setInt8(arg1 + 56, 1, true);
        var { seconds: v8_0, nanoseconds: v8_1 } = e2;
        dataView(memory0).setBigInt64(arg1 + 64, toUint64(v8_0), true);
        dataView(memory0).setInt32(arg1 + 72, toUint32(v8_1), true);
      }
      var variant11 = v4_5;
      if (variant11 === null || variant11 === void 0) {
        dataView(memory0).setInt8(arg1 + 80, 0, true);
      } else {
        const e2 = variant11;
        dataView(memory0).setInt8(arg1 + 80, 1, true);
        var { seconds: v10_0, nanoseconds: v10_1 } = e2;
        dataView(memory0).setBigInt64(arg1 + 88, toUint64(v10_0), true);
        dataView(memory0).setInt32(arg1 + 96, toUint32(v10_1), true);
      }
      break;
    }
    case "err": {
      const e = variant13.val;
      dataView(memory0).setInt8(arg1 + 0, 1, true);
      var val12 = e;
      let enum12;
      switch (val12) {
        case "access": {
          enum12 = 0;
          break;
        }
        case "would-block": {
          enum12 = 1;
          break;
        }
        case "already": {
          enum12 = 2;
          break;
        }
        case "bad-descriptor": {
          enum12 = 3;
          break;
        }
        case "busy": {
          enum12 = 4;
          break;
        }
        case "deadlock": {
          enum12 = 5;
          break;
        }
        case "quota": {
          enum12 = 6;
          break;
        }
        case "exist": {
          enum12 = 7;
          break;
        }
        case "file-too-large": {
          enum12 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum12 = 9;
          break;
        }
        case "in-progress": {
          enum12 = 10;
          break;
        }
        case "interrupted": {
          enum12 = 11;
          break;
        }
        case "invalid": {
          enum12 = 12;
          break;
        }
        case "io": {
          enum12 = 13;
          break;
        }
        case "is-directory": {
          enum12 = 14;
          break;
        }
        case "loop": {
          enum12 = 15;
          break;
        }
        case "too-many-links": {
          enum12 = 16;
          break;
        }
        case "message-size": {
          enum12 = 17;
          break;
        }
        case "name-too-long": {
          enum12 = 18;
          break;
        }
        case "no-device": {
          enum12 = 19;
          break;
        }
        case "no-entry": {
          enum12 = 20;
          break;
        }
        case "no-lock": {
          enum12 = 21;
          break;
        }
        case "insufficient-memory": {
          enum12 = 22;
          break;
        }
        case "insufficient-space": {
          enum12 = 23;
          break;
        }
        case "not-directory": {
          enum12 = 24;
          break;
        }
        case "not-empty": {
          enum12 = 25;
          break;
        }
        case "not-recoverable": {
          enum12 = 26;
          break;
        }
        case "unsupported": {
          enum12 = 27;
          break;
        }
        case "no-tty": {
          enum12 = 28;
          break;
        }
        case "no-such-device": {
          enum12 = 29;
          break;
        }
        case "overflow": {
          enum12 = 30;
          break;
        }
        case "not-permitted": {
          enum12 = 31;
          break;
        }
        case "pipe": {
          enum12 = 32;
          break;
        }
        case "read-only": {
          enum12 = 33;
          break;
        }
        case "invalid-seek": {
          enum12 = 34;
          break;
        }
        case "text-file-busy": {
          enum12 = 35;
          break;
        }
        case "cross-device": {
          enum12 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val12}" is not one of the cases of error-code`);
        }
      }
      dataView(memory0).setInt8(arg1 + 8, enum12, true);
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant13, valueType: typeof variant13 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.stat"][Instruction::Return]', {
    funcName: "[method]descriptor.stat",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline23.fnName = "wasi:filesystem/types@0.2.12#stat";
var _trampoline24 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable1[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable1.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(OutputStream2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.check-write"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "checkWrite",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.checkWrite())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 0, true);
      dataView(memory0).setBigInt64(arg1 + 8, toUint64(e), true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 1, true);
      var variant5 = e;
      switch (variant5.tag) {
        case "last-operation-failed": {
          const e2 = variant5.val;
          dataView(memory0).setInt8(arg1 + 8, 0, true);
          if (!(e2 instanceof Error$1)) {
            throw new TypeError('Resource error: Not a valid "Error" resource.');
          }
          var handle4 = e2[symbolRscHandle];
          if (!handle4) {
            const rep3 = e2[symbolRscRep] || ++captureCnt0;
            captureTable0.set(rep3, e2);
            handle4 = rscTableCreateOwn(handleTable0, rep3);
          }
          dataView(memory0).setInt32(arg1 + 12, handle4, true);
          break;
        }
        case "closed": {
          dataView(memory0).setInt8(arg1 + 8, 1, true);
          break;
        }
        default: {
          throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant5.tag)}\` (received \`${variant5}\`) specified for \`StreamError\``);
        }
      }
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.check-write"][Instruction::Return]', {
    funcName: "[method]output-stream.check-write",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline24.fnName = "wasi:io/streams@0.2.12#checkWrite";
var _trampoline25 = function(arg0, arg1, arg2, arg3) {
  var handle1 = arg0;
  var rep22 = handleTable1[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable1.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(OutputStream2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  var ptr3 = arg1;
  var len3 = arg2;
  if (ptr3 % 1 !== 0) throw new TypeError(`list pointer [${ptr3}] is not aligned to 1`);
  var result3 = new Uint8Array(memory0.buffer.slice(ptr3, ptr3 + len3 * 1));
  _debugLog('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.write"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "write",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet4 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.write(result3))
    });
    ret = hostRet4 !== null && typeof hostRet4 === "object" && (hostRet4.tag === "ok" || hostRet4.tag === "err") ? hostRet4 : { tag: "ok", val: hostRet4 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant7 = ret;
  switch (variant7.tag) {
    case "ok": {
      const e = variant7.val;
      dataView(memory0).setInt8(arg3 + 0, 0, true);
      break;
    }
    case "err": {
      const e = variant7.val;
      dataView(memory0).setInt8(arg3 + 0, 1, true);
      var variant6 = e;
      switch (variant6.tag) {
        case "last-operation-failed": {
          const e2 = variant6.val;
          dataView(memory0).setInt8(arg3 + 4, 0, true);
          if (!(e2 instanceof Error$1)) {
            throw new TypeError('Resource error: Not a valid "Error" resource.');
          }
          var handle5 = e2[symbolRscHandle];
          if (!handle5) {
            const rep3 = e2[symbolRscRep] || ++captureCnt0;
            captureTable0.set(rep3, e2);
            handle5 = rscTableCreateOwn(handleTable0, rep3);
          }
          dataView(memory0).setInt32(arg3 + 8, handle5, true);
          break;
        }
        case "closed": {
          dataView(memory0).setInt8(arg3 + 4, 1, true);
          break;
        }
        default: {
          throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant6.tag)}\` (received \`${variant6}\`) specified for \`StreamError\``);
        }
      }
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant7, valueType: typeof variant7 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.write"][Instruction::Return]', {
    funcName: "[method]output-stream.write",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline25.fnName = "wasi:io/streams@0.2.12#write";
var _trampoline26 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable1[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable1.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(OutputStream2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.blocking-flush"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "blockingFlush",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.blockingFlush())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 0, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView(memory0).setInt8(arg1 + 0, 1, true);
      var variant5 = e;
      switch (variant5.tag) {
        case "last-operation-failed": {
          const e2 = variant5.val;
          dataView(memory0).setInt8(arg1 + 4, 0, true);
          if (!(e2 instanceof Error$1)) {
            throw new TypeError('Resource error: Not a valid "Error" resource.');
          }
          var handle4 = e2[symbolRscHandle];
          if (!handle4) {
            const rep3 = e2[symbolRscRep] || ++captureCnt0;
            captureTable0.set(rep3, e2);
            handle4 = rscTableCreateOwn(handleTable0, rep3);
          }
          dataView(memory0).setInt32(arg1 + 8, handle4, true);
          break;
        }
        case "closed": {
          dataView(memory0).setInt8(arg1 + 4, 1, true);
          break;
        }
        default: {
          throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant5.tag)}\` (received \`${variant5}\`) specified for \`StreamError\``);
        }
      }
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.blocking-flush"][Instruction::Return]', {
    funcName: "[method]output-stream.blocking-flush",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline26.fnName = "wasi:io/streams@0.2.12#blockingFlush";
var _trampoline27 = function(arg0, arg1, arg2) {
  var handle1 = arg0;
  var rep22 = handleTable2[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable2.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(InputStream2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:io/streams@0.2.12", function="[method]input-stream.blocking-read"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "blockingRead",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.blockingRead(BigInt.asUintN(64, BigInt(arg1))))
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant7 = ret;
  switch (variant7.tag) {
    case "ok": {
      const e = variant7.val;
      dataView(memory0).setInt8(arg2 + 0, 0, true);
      var val4 = e;
      var len4 = Array.isArray(val4) ? val4.length : val4.byteLength;
      var ptr4 = realloc0(0, 0, 1, len4 * 1);
      let valData4;
      const valLenBytes4 = len4 * 1;
      if (Array.isArray(val4)) {
        let offset = 0;
        const dv4 = new DataView(memory0.buffer);
        for (const v of val4) {
          _requireValidNumericPrimitive.bind(null, "u8")(v);
          dv4.setUint8(ptr4 + offset, v, true);
          offset += 1;
        }
      } else {
        valData4 = new Uint8Array(val4.buffer || val4, val4.byteOffset, valLenBytes4);
        const out4 = new Uint8Array(memory0.buffer, ptr4, valLenBytes4);
        out4.set(valData4);
      }
      dataView(memory0).setUint32(arg2 + 8, len4, true);
      dataView(memory0).setUint32(arg2 + 4, ptr4, true);
      break;
    }
    case "err": {
      const e = variant7.val;
      dataView(memory0).setInt8(arg2 + 0, 1, true);
      var variant6 = e;
      switch (variant6.tag) {
        case "last-operation-failed": {
          const e2 = variant6.val;
          dataView(memory0).setInt8(arg2 + 4, 0, true);
          if (!(e2 instanceof Error$1)) {
            throw new TypeError('Resource error: Not a valid "Error" resource.');
          }
          var handle5 = e2[symbolRscHandle];
          if (!handle5) {
            const rep3 = e2[symbolRscRep] || ++captureCnt0;
            captureTable0.set(rep3, e2);
            handle5 = rscTableCreateOwn(handleTable0, rep3);
          }
          dataView(memory0).setInt32(arg2 + 8, handle5, true);
          break;
        }
        case "closed": {
          dataView(memory0).setInt8(arg2 + 4, 1, true);
          break;
        }
        default: {
          throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant6.tag)}\` (received \`${variant6}\`) specified for \`StreamError\``);
        }
      }
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant7, valueType: typeof variant7 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:io/streams@0.2.12", function="[method]input-stream.blocking-read"][Instruction::Return]', {
    funcName: "[method]input-stream.blocking-read",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline27.fnName = "wasi:io/streams@0.2.12#blockingRead";
var _trampoline28 = function(arg0, arg1, arg2) {
  var handle1 = arg0;
  var rep22 = handleTable2[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable2.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(InputStream2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  _debugLog('[iface="wasi:io/streams@0.2.12", function="[method]input-stream.read"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "read",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.read(BigInt.asUintN(64, BigInt(arg1))))
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant7 = ret;
  switch (variant7.tag) {
    case "ok": {
      const e = variant7.val;
      dataView(memory0).setInt8(arg2 + 0, 0, true);
      var val4 = e;
      var len4 = Array.isArray(val4) ? val4.length : val4.byteLength;
      var ptr4 = realloc0(0, 0, 1, len4 * 1);
      let valData4;
      const valLenBytes4 = len4 * 1;
      if (Array.isArray(val4)) {
        let offset = 0;
        const dv4 = new DataView(memory0.buffer);
        for (const v of val4) {
          _requireValidNumericPrimitive.bind(null, "u8")(v);
          dv4.setUint8(ptr4 + offset, v, true);
          offset += 1;
        }
      } else {
        valData4 = new Uint8Array(val4.buffer || val4, val4.byteOffset, valLenBytes4);
        const out4 = new Uint8Array(memory0.buffer, ptr4, valLenBytes4);
        out4.set(valData4);
      }
      dataView(memory0).setUint32(arg2 + 8, len4, true);
      dataView(memory0).setUint32(arg2 + 4, ptr4, true);
      break;
    }
    case "err": {
      const e = variant7.val;
      dataView(memory0).setInt8(arg2 + 0, 1, true);
      var variant6 = e;
      switch (variant6.tag) {
        case "last-operation-failed": {
          const e2 = variant6.val;
          dataView(memory0).setInt8(arg2 + 4, 0, true);
          if (!(e2 instanceof Error$1)) {
            throw new TypeError('Resource error: Not a valid "Error" resource.');
          }
          var handle5 = e2[symbolRscHandle];
          if (!handle5) {
            const rep3 = e2[symbolRscRep] || ++captureCnt0;
            captureTable0.set(rep3, e2);
            handle5 = rscTableCreateOwn(handleTable0, rep3);
          }
          dataView(memory0).setInt32(arg2 + 8, handle5, true);
          break;
        }
        case "closed": {
          dataView(memory0).setInt8(arg2 + 4, 1, true);
          break;
        }
        default: {
          throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant6.tag)}\` (received \`${variant6}\`) specified for \`StreamError\``);
        }
      }
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant7, valueType: typeof variant7 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:io/streams@0.2.12", function="[method]input-stream.read"][Instruction::Return]', {
    funcName: "[method]input-stream.read",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline28.fnName = "wasi:io/streams@0.2.12#read";
var _trampoline29 = function(arg0, arg1, arg2, arg3) {
  var handle1 = arg0;
  var rep22 = handleTable1[(handle1 << 1) + 1] & ~T_FLAG2;
  var rsc0 = captureTable1.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(OutputStream2.prototype);
    Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep, { writable: true, value: rep22 });
  }
  curResourceBorrows.push(rsc0);
  var ptr3 = arg1;
  var len3 = arg2;
  if (ptr3 % 1 !== 0) throw new TypeError(`list pointer [${ptr3}] is not aligned to 1`);
  var result3 = new Uint8Array(memory0.buffer.slice(ptr3, ptr3 + len3 * 1));
  _debugLog('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.blocking-write-and-flush"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "blockingWriteAndFlush",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet4 = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => rsc0.blockingWriteAndFlush(result3))
    });
    ret = hostRet4 !== null && typeof hostRet4 === "object" && (hostRet4.tag === "ok" || hostRet4.tag === "err") ? hostRet4 : { tag: "ok", val: hostRet4 };
  } catch (e) {
    if (getOrCreateAsyncState(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload(e) };
  }
  for (const entry of curResourceBorrows) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle]) {
        entry.drop(rsc[symbolRscHandle]);
      }
    }
    rsc[symbolRscHandle] = void 0;
  }
  curResourceBorrows = [];
  var variant7 = ret;
  switch (variant7.tag) {
    case "ok": {
      const e = variant7.val;
      dataView(memory0).setInt8(arg3 + 0, 0, true);
      break;
    }
    case "err": {
      const e = variant7.val;
      dataView(memory0).setInt8(arg3 + 0, 1, true);
      var variant6 = e;
      switch (variant6.tag) {
        case "last-operation-failed": {
          const e2 = variant6.val;
          dataView(memory0).setInt8(arg3 + 4, 0, true);
          if (!(e2 instanceof Error$1)) {
            throw new TypeError('Resource error: Not a valid "Error" resource.');
          }
          var handle5 = e2[symbolRscHandle];
          if (!handle5) {
            const rep3 = e2[symbolRscRep] || ++captureCnt0;
            captureTable0.set(rep3, e2);
            handle5 = rscTableCreateOwn(handleTable0, rep3);
          }
          dataView(memory0).setInt32(arg3 + 8, handle5, true);
          break;
        }
        case "closed": {
          dataView(memory0).setInt8(arg3 + 4, 1, true);
          break;
        }
        default: {
          throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant6.tag)}\` (received \`${variant6}\`) specified for \`StreamError\``);
        }
      }
      break;
    }
    default: {
      _debugLog("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant7, valueType: typeof variant7 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.blocking-write-and-flush"][Instruction::Return]', {
    funcName: "[method]output-stream.blocking-write-and-flush",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline29.fnName = "wasi:io/streams@0.2.12#blockingWriteAndFlush";
var _trampoline30 = function(arg0) {
  _debugLog('[iface="wasi:cli/environment@0.2.12", function="get-environment"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getEnvironment",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => getEnvironment())
    });
  } catch (err) {
    _debugLog("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  var vec3 = ret;
  var len3 = vec3.length;
  var result3 = realloc0(0, 0, 4, len3 * 16);
  for (let i = 0; i < vec3.length; i++) {
    const e = vec3[i];
    const base = result3 + i * 16;
    var [tuple0_0, tuple0_1] = e;
    var encodeRes = _utf8AllocateAndEncode(tuple0_0, realloc0, memory0);
    var ptr1 = encodeRes.ptr;
    var len1 = encodeRes.len;
    dataView(memory0).setUint32(base + 4, len1, true);
    dataView(memory0).setUint32(base + 0, ptr1, true);
    var encodeRes = _utf8AllocateAndEncode(tuple0_1, realloc0, memory0);
    var ptr2 = encodeRes.ptr;
    var len2 = encodeRes.len;
    dataView(memory0).setUint32(base + 12, len2, true);
    dataView(memory0).setUint32(base + 8, ptr2, true);
  }
  dataView(memory0).setUint32(arg0 + 4, len3, true);
  dataView(memory0).setUint32(arg0 + 0, result3, true);
  _debugLog('[iface="wasi:cli/environment@0.2.12", function="get-environment"][Instruction::Return]', {
    funcName: "get-environment",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline30.fnName = "wasi:cli/environment@0.2.12#getEnvironment";
var _trampoline31 = function(arg0) {
  _debugLog('[iface="wasi:filesystem/preopens@0.2.12", function="get-directories"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getDirectories",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => getDirectories())
    });
  } catch (err) {
    _debugLog("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  var vec3 = ret;
  var len3 = vec3.length;
  var result3 = realloc0(0, 0, 4, len3 * 12);
  for (let i = 0; i < vec3.length; i++) {
    const e = vec3[i];
    const base = result3 + i * 12;
    var [tuple0_0, tuple0_1] = e;
    if (!(tuple0_0 instanceof Descriptor2)) {
      throw new TypeError('Resource error: Not a valid "Descriptor" resource.');
    }
    var handle1 = tuple0_0[symbolRscHandle];
    if (!handle1) {
      const rep3 = tuple0_0[symbolRscRep] || ++captureCnt5;
      captureTable5.set(rep3, tuple0_0);
      handle1 = rscTableCreateOwn(handleTable5, rep3);
    }
    dataView(memory0).setInt32(base + 0, handle1, true);
    var encodeRes = _utf8AllocateAndEncode(tuple0_1, realloc0, memory0);
    var ptr2 = encodeRes.ptr;
    var len2 = encodeRes.len;
    dataView(memory0).setUint32(base + 8, len2, true);
    dataView(memory0).setUint32(base + 4, ptr2, true);
  }
  dataView(memory0).setUint32(arg0 + 4, len3, true);
  dataView(memory0).setUint32(arg0 + 0, result3, true);
  _debugLog('[iface="wasi:filesystem/preopens@0.2.12", function="get-directories"][Instruction::Return]', {
    funcName: "get-directories",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline31.fnName = "wasi:filesystem/preopens@0.2.12#getDirectories";
var _trampoline32 = function(arg0, arg1) {
  _debugLog('[iface="wasi:random/random@0.2.12", function="get-random-bytes"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getRandomBytes",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => getRandomBytes2(BigInt.asUintN(64, BigInt(arg0))))
    });
  } catch (err) {
    _debugLog("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  var val0 = ret;
  var len0 = Array.isArray(val0) ? val0.length : val0.byteLength;
  var ptr0 = realloc0(0, 0, 1, len0 * 1);
  let valData0;
  const valLenBytes0 = len0 * 1;
  if (Array.isArray(val0)) {
    let offset = 0;
    const dv0 = new DataView(memory0.buffer);
    for (const v of val0) {
      _requireValidNumericPrimitive.bind(null, "u8")(v);
      dv0.setUint8(ptr0 + offset, v, true);
      offset += 1;
    }
  } else {
    valData0 = new Uint8Array(val0.buffer || val0, val0.byteOffset, valLenBytes0);
    const out0 = new Uint8Array(memory0.buffer, ptr0, valLenBytes0);
    out0.set(valData0);
  }
  dataView(memory0).setUint32(arg1 + 4, len0, true);
  dataView(memory0).setUint32(arg1 + 0, ptr0, true);
  _debugLog('[iface="wasi:random/random@0.2.12", function="get-random-bytes"][Instruction::Return]', {
    funcName: "get-random-bytes",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline32.fnName = "wasi:random/random@0.2.12#getRandomBytes";
var handleTable3 = [T_FLAG2, 0];
handleTable3._createdReps = /* @__PURE__ */ new Set();
handleTable3._componentIdx = 0;
var captureTable3 = /* @__PURE__ */ new Map();
var captureCnt3 = 0;
HANDLE_TABLES[3] = handleTable3;
var _trampoline33 = function(arg0) {
  _debugLog('[iface="wasi:cli/terminal-stdin@0.2.12", function="get-terminal-stdin"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getTerminalStdin",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => getTerminalStdin())
    });
  } catch (err) {
    _debugLog("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  var variant1 = ret;
  if (variant1 === null || variant1 === void 0) {
    dataView(memory0).setInt8(arg0 + 0, 0, true);
  } else {
    const e = variant1;
    dataView(memory0).setInt8(arg0 + 0, 1, true);
    if (!(e instanceof TerminalInput2)) {
      throw new TypeError('Resource error: Not a valid "TerminalInput" resource.');
    }
    var handle0 = e[symbolRscHandle];
    if (!handle0) {
      const rep3 = e[symbolRscRep] || ++captureCnt3;
      captureTable3.set(rep3, e);
      handle0 = rscTableCreateOwn(handleTable3, rep3);
    }
    dataView(memory0).setInt32(arg0 + 4, handle0, true);
  }
  _debugLog('[iface="wasi:cli/terminal-stdin@0.2.12", function="get-terminal-stdin"][Instruction::Return]', {
    funcName: "get-terminal-stdin",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline33.fnName = "wasi:cli/terminal-stdin@0.2.12#getTerminalStdin";
var handleTable4 = [T_FLAG2, 0];
handleTable4._createdReps = /* @__PURE__ */ new Set();
handleTable4._componentIdx = 0;
var captureTable4 = /* @__PURE__ */ new Map();
var captureCnt4 = 0;
HANDLE_TABLES[4] = handleTable4;
var _trampoline34 = function(arg0) {
  _debugLog('[iface="wasi:cli/terminal-stdout@0.2.12", function="get-terminal-stdout"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getTerminalStdout",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => getTerminalStdout())
    });
  } catch (err) {
    _debugLog("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  var variant1 = ret;
  if (variant1 === null || variant1 === void 0) {
    dataView(memory0).setInt8(arg0 + 0, 0, true);
  } else {
    const e = variant1;
    dataView(memory0).setInt8(arg0 + 0, 1, true);
    if (!(e instanceof TerminalOutput2)) {
      throw new TypeError('Resource error: Not a valid "TerminalOutput" resource.');
    }
    var handle0 = e[symbolRscHandle];
    if (!handle0) {
      const rep3 = e[symbolRscRep] || ++captureCnt4;
      captureTable4.set(rep3, e);
      handle0 = rscTableCreateOwn(handleTable4, rep3);
    }
    dataView(memory0).setInt32(arg0 + 4, handle0, true);
  }
  _debugLog('[iface="wasi:cli/terminal-stdout@0.2.12", function="get-terminal-stdout"][Instruction::Return]', {
    funcName: "get-terminal-stdout",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline34.fnName = "wasi:cli/terminal-stdout@0.2.12#getTerminalStdout";
var _trampoline35 = function(arg0) {
  _debugLog('[iface="wasi:cli/terminal-stderr@0.2.12", function="get-terminal-stderr"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getTerminalStderr",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask(
      0,
      _getGlobalCurrentTaskMeta(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation(() => getTerminalStderr())
    });
  } catch (err) {
    _debugLog("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  var variant1 = ret;
  if (variant1 === null || variant1 === void 0) {
    dataView(memory0).setInt8(arg0 + 0, 0, true);
  } else {
    const e = variant1;
    dataView(memory0).setInt8(arg0 + 0, 1, true);
    if (!(e instanceof TerminalOutput2)) {
      throw new TypeError('Resource error: Not a valid "TerminalOutput" resource.');
    }
    var handle0 = e[symbolRscHandle];
    if (!handle0) {
      const rep3 = e[symbolRscRep] || ++captureCnt4;
      captureTable4.set(rep3, e);
      handle0 = rscTableCreateOwn(handleTable4, rep3);
    }
    dataView(memory0).setInt32(arg0 + 4, handle0, true);
  }
  _debugLog('[iface="wasi:cli/terminal-stderr@0.2.12", function="get-terminal-stderr"][Instruction::Return]', {
    funcName: "get-terminal-stderr",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline35.fnName = "wasi:cli/terminal-stderr@0.2.12#getTerminalStderr";
var exports3;
var realloc1;
var realloc1Async;
var postReturn0;
var postReturn0Async;
var postReturn1;
var postReturn1Async;
var postReturn2;
var postReturn2Async;
var exports1Generate;
function generate(arg0, arg1) {
  if (!_initialized) throwUninitialized();
  const hostProvided = false;
  getOrCreateAsyncState(0).throwIfTrapped();
  const [task, _wasm_call_currentTaskID] = createNewCurrentTask({
    componentIdx: 0,
    isAsync: false,
    isManualAsync: false,
    preserveFutureResult: false,
    entryFnName: "exports1Generate",
    getCallbackFn: () => null,
    callbackFnName: null,
    errHandling: "throw-result-err",
    callingWasmExport: true
  });
  task.setCalleeIsAsync(false);
  const started = task.enterSync();
  CURRENT_TASK_MAY_BLOCK.value = task.mayBlock() ? 1 : 0;
  if (true) {
    task.setReturnMemoryIdx(0);
    task.setReturnMemory(/* @__PURE__ */ (() => memory0)());
  }
  return _withGlobalCurrentTaskMeta({
    taskID: task.id(),
    componentIdx: task.componentIdx(),
    fn: () => {
      try {
        var ptr0 = realloc1(0, 0, 4, 100);
        var val1 = arg0;
        var len1 = Array.isArray(val1) ? val1.length : val1.byteLength;
        var ptr1 = realloc1(0, 0, 1, len1 * 1);
        let valData1;
        const valLenBytes1 = len1 * 1;
        if (Array.isArray(val1)) {
          let offset = 0;
          const dv1 = new DataView(memory0.buffer);
          for (const v of val1) {
            _requireValidNumericPrimitive.bind(null, "u8")(v);
            dv1.setUint8(ptr1 + offset, v, true);
            offset += 1;
          }
        } else {
          valData1 = new Uint8Array(val1.buffer || val1, val1.byteOffset, valLenBytes1);
          const out1 = new Uint8Array(memory0.buffer, ptr1, valLenBytes1);
          out1.set(valData1);
        }
        dataView(memory0).setUint32(ptr0 + 4, len1, true);
        dataView(memory0).setUint32(ptr0 + 0, ptr1, true);
        var { name: v2_0, noTypescript: v2_1, instantiation: v2_2, importBindings: v2_3, map: v2_4, compat: v2_5, noNodejsCompat: v2_6, base64Cutoff: v2_7, tlaCompat: v2_8, validLiftingOptimization: v2_9, tracing: v2_10, noComponentErrorWrapping: v2_11, noNamespacedExports: v2_12, guest: v2_13, multiMemory: v2_14, bindgenEnableWasmExnref: v2_15, asyncMode: v2_16, strict: v2_17, flagsAsBigint: v2_18, variantsInlineCases: v2_19, useNamespaceObjects: v2_20, enumValuesScreamingSnakeCase: v2_21, asmjs: v2_22 } = arg1;
        var encodeRes = _utf8AllocateAndEncode(v2_0, realloc1, memory0);
        var ptr3 = encodeRes.ptr;
        var len3 = encodeRes.len;
        dataView(memory0).setUint32(ptr0 + 12, len3, true);
        dataView(memory0).setUint32(ptr0 + 8, ptr3, true);
        var variant4 = v2_1;
        if (variant4 === null || variant4 === void 0) {
          dataView(memory0).setInt8(ptr0 + 16, 0, true);
        } else {
          const e = variant4;
          dataView(memory0).setInt8(ptr0 + 16, 1, true);
          dataView(memory0).setInt8(ptr0 + 17, e ? 1 : 0, true);
        }
        var variant6 = v2_2;
        if (variant6 === null || variant6 === void 0) {
          dataView(memory0).setInt8(ptr0 + 18, 0, true);
        } else {
          const e = variant6;
          dataView(memory0).setInt8(ptr0 + 18, 1, true);
          var variant5 = e;
          switch (variant5.tag) {
            case "async": {
              dataView(memory0).setInt8(ptr0 + 19, 0, true);
              break;
            }
            case "sync": {
              dataView(memory0).setInt8(ptr0 + 19, 1, true);
              break;
            }
            default: {
              throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant5.tag)}\` (received \`${variant5}\`) specified for \`InstantiationMode\``);
            }
          }
        }
        var variant8 = v2_3;
        if (variant8 === null || variant8 === void 0) {
          dataView(memory0).setInt8(ptr0 + 20, 0, true);
        } else {
          const e = variant8;
          dataView(memory0).setInt8(ptr0 + 20, 1, true);
          var variant7 = e;
          switch (variant7.tag) {
            case "js": {
              dataView(memory0).setInt8(ptr0 + 21, 0, true);
              break;
            }
            case "hybrid": {
              dataView(memory0).setInt8(ptr0 + 21, 1, true);
              break;
            }
            case "optimized": {
              dataView(memory0).setInt8(ptr0 + 21, 2, true);
              break;
            }
            case "direct-optimized": {
              dataView(memory0).setInt8(ptr0 + 21, 3, true);
              break;
            }
            default: {
              throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant7.tag)}\` (received \`${variant7}\`) specified for \`BindingsMode\``);
            }
          }
        }
        var variant13 = v2_4;
        if (variant13 === null || variant13 === void 0) {
          dataView(memory0).setInt8(ptr0 + 24, 0, true);
        } else {
          const e = variant13;
          dataView(memory0).setInt8(ptr0 + 24, 1, true);
          var vec12 = e;
          var len12 = vec12.length;
          var result12 = realloc1(0, 0, 4, len12 * 16);
          for (let i = 0; i < vec12.length; i++) {
            const e2 = vec12[i];
            const base = result12 + i * 16;
            var [tuple9_0, tuple9_1] = e2;
            var encodeRes = _utf8AllocateAndEncode(tuple9_0, realloc1, memory0);
            var ptr10 = encodeRes.ptr;
            var len10 = encodeRes.len;
            dataView(memory0).setUint32(base + 4, len10, true);
            dataView(memory0).setUint32(base + 0, ptr10, true);
            var encodeRes = _utf8AllocateAndEncode(tuple9_1, realloc1, memory0);
            var ptr11 = encodeRes.ptr;
            var len11 = encodeRes.len;
            dataView(memory0).setUint32(base + 12, len11, true);
            dataView(memory0).setUint32(base + 8, ptr11, true);
          }
          dataView(memory0).setUint32(ptr0 + 32, len12, true);
          dataView(memory0).setUint32(ptr0 + 28, result12, true);
        }
        var variant14 = v2_5;
        if (variant14 === null || variant14 === void 0) {
          dataView(memory0).setInt8(ptr0 + 36, 0, true);
        } else {
          const e = variant14;
          dataView(memory0).setInt8(ptr0 + 36, 1, true);
          dataView(memory0).setInt8(ptr0 + 37, e ? 1 : 0, true);
        }
        var variant15 = v2_6;
        if (variant15 === null || variant15 === void 0) {
          dataView(memory0).setInt8(ptr0 + 38, 0, true);
        } else {
          const e = variant15;
          dataView(memory0).setInt8(ptr0 + 38, 1, true);
          dataView(memory0).setInt8(ptr0 + 39, e ? 1 : 0, true);
        }
        var variant16 = v2_7;
        if (variant16 === null || variant16 === void 0) {
          dataView(memory0).setInt8(ptr0 + 40, 0, true);
        } else {
          const e = variant16;
          dataView(memory0).setInt8(ptr0 + 40, 1, true);
          dataView(memory0).setInt32(ptr0 + 44, toUint32(e), true);
        }
        var variant17 = v2_8;
        if (variant17 === null || variant17 === void 0) {
          dataView(memory0).setInt8(ptr0 + 48, 0, true);
        } else {
          const e = variant17;
          dataView(memory0).setInt8(ptr0 + 48, 1, true);
          dataView(memory0).setInt8(ptr0 + 49, e ? 1 : 0, true);
        }
        var variant18 = v2_9;
        if (variant18 === null || variant18 === void 0) {
          dataView(memory0).setInt8(ptr0 + 50, 0, true);
        } else {
          const e = variant18;
          dataView(memory0).setInt8(ptr0 + 50, 1, true);
          dataView(memory0).setInt8(ptr0 + 51, e ? 1 : 0, true);
        }
        var variant19 = v2_10;
        if (variant19 === null || variant19 === void 0) {
          dataView(memory0).setInt8(ptr0 + 52, 0, true);
        } else {
          const e = variant19;
          dataView(memory0).setInt8(ptr0 + 52, 1, true);
          dataView(memory0).setInt8(ptr0 + 53, e ? 1 : 0, true);
        }
        var variant20 = v2_11;
        if (variant20 === null || variant20 === void 0) {
          dataView(memory0).setInt8(ptr0 + 54, 0, true);
        } else {
          const e = variant20;
          dataView(memory0).setInt8(ptr0 + 54, 1, true);
          dataView(memory0).setInt8(ptr0 + 55, e ? 1 : 0, true);
        }
        var variant21 = v2_12;
        if (variant21 === null || variant21 === void 0) {
          dataView(memory0).setInt8(ptr0 + 56, 0, true);
        } else {
          const e = variant21;
          dataView(memory0).setInt8(ptr0 + 56, 1, true);
          dataView(memory0).setInt8(ptr0 + 57, e ? 1 : 0, true);
        }
        var variant22 = v2_13;
        if (variant22 === null || variant22 === void 0) {
          dataView(memory0).setInt8(ptr0 + 58, 0, true);
        } else {
          const e = variant22;
          dataView(memory0).setInt8(ptr0 + 58, 1, true);
          dataView(memory0).setInt8(ptr0 + 59, e ? 1 : 0, true);
        }
        var variant23 = v2_14;
        if (variant23 === null || variant23 === void 0) {
          dataView(memory0).setInt8(ptr0 + 60, 0, true);
        } else {
          const e = variant23;
          dataView(memory0).setInt8(ptr0 + 60, 1, true);
          dataView(memory0).setInt8(ptr0 + 61, e ? 1 : 0, true);
        }
        var variant24 = v2_15;
        if (variant24 === null || variant24 === void 0) {
          dataView(memory0).setInt8(ptr0 + 62, 0, true);
        } else {
          const e = variant24;
          dataView(memory0).setInt8(ptr0 + 62, 1, true);
          dataView(memory0).setInt8(ptr0 + 63, e ? 1 : 0, true);
        }
        var variant31 = v2_16;
        if (variant31 === null || variant31 === void 0) {
          dataView(memory0).setInt8(ptr0 + 64, 0, true);
        } else {
          const e = variant31;
          dataView(memory0).setInt8(ptr0 + 64, 1, true);
          var variant30 = e;
          switch (variant30.tag) {
            case "sync": {
              dataView(memory0).setInt8(ptr0 + 68, 0, true);
              break;
            }
            case "jspi": {
              const e2 = variant30.val;
              dataView(memory0).setInt8(ptr0 + 68, 1, true);
              var { imports: v25_0, exports: v25_1 } = e2;
              var vec27 = v25_0;
              var len27 = vec27.length;
              var result27 = realloc1(0, 0, 4, len27 * 8);
              for (let i = 0; i < vec27.length; i++) {
                const e3 = vec27[i];
                const base = result27 + i * 8;
                var encodeRes = _utf8AllocateAndEncode(e3, realloc1, memory0);
                var ptr26 = encodeRes.ptr;
                var len26 = encodeRes.len;
                dataView(memory0).setUint32(base + 4, len26, true);
                dataView(memory0).setUint32(base + 0, ptr26, true);
              }
              dataView(memory0).setUint32(ptr0 + 76, len27, true);
              dataView(memory0).setUint32(ptr0 + 72, result27, true);
              var vec29 = v25_1;
              var len29 = vec29.length;
              var result29 = realloc1(0, 0, 4, len29 * 8);
              for (let i = 0; i < vec29.length; i++) {
                const e3 = vec29[i];
                const base = result29 + i * 8;
                var encodeRes = _utf8AllocateAndEncode(e3, realloc1, memory0);
                var ptr28 = encodeRes.ptr;
                var len28 = encodeRes.len;
                dataView(memory0).setUint32(base + 4, len28, true);
                dataView(memory0).setUint32(base + 0, ptr28, true);
              }
              dataView(memory0).setUint32(ptr0 + 84, len29, true);
              dataView(memory0).setUint32(ptr0 + 80, result29, true);
              break;
            }
            default: {
              throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant30.tag)}\` (received \`${variant30}\`) specified for \`AsyncMode\``);
            }
          }
        }
        var variant32 = v2_17;
        if (variant32 === null || variant32 === void 0) {
          dataView(memory0).setInt8(ptr0 + 88, 0, true);
        } else {
          const e = variant32;
          dataView(memory0).setInt8(ptr0 + 88, 1, true);
          dataView(memory0).setInt8(ptr0 + 89, e ? 1 : 0, true);
        }
        var variant33 = v2_18;
        if (variant33 === null || variant33 === void 0) {
          dataView(memory0).setInt8(ptr0 + 90, 0, true);
        } else {
          const e = variant33;
          dataView(memory0).setInt8(ptr0 + 90, 1, true);
          dataView(memory0).setInt8(ptr0 + 91, e ? 1 : 0, true);
        }
        var variant34 = v2_19;
        if (variant34 === null || variant34 === void 0) {
          dataView(memory0).setInt8(ptr0 + 92, 0, true);
        } else {
          const e = variant34;
          dataView(memory0).setInt8(ptr0 + 92, 1, true);
          dataView(memory0).setInt8(ptr0 + 93, e ? 1 : 0, true);
        }
        var variant35 = v2_20;
        if (variant35 === null || variant35 === void 0) {
          dataView(memory0).setInt8(ptr0 + 94, 0, true);
        } else {
          const e = variant35;
          dataView(memory0).setInt8(ptr0 + 94, 1, true);
          dataView(memory0).setInt8(ptr0 + 95, e ? 1 : 0, true);
        }
        var variant36 = v2_21;
        if (variant36 === null || variant36 === void 0) {
          dataView(memory0).setInt8(ptr0 + 96, 0, true);
        } else {
          const e = variant36;
          dataView(memory0).setInt8(ptr0 + 96, 1, true);
          dataView(memory0).setInt8(ptr0 + 97, e ? 1 : 0, true);
        }
        var variant37 = v2_22;
        if (variant37 === null || variant37 === void 0) {
          dataView(memory0).setInt8(ptr0 + 98, 0, true);
        } else {
          const e = variant37;
          dataView(memory0).setInt8(ptr0 + 98, 1, true);
          dataView(memory0).setInt8(ptr0 + 99, e ? 1 : 0, true);
        }
        _debugLog('[iface="generate", function="generate"][Instruction::CallWasm] enter', {
          funcName: "generate",
          paramCount: 1,
          async: false,
          postReturn: true
        });
        let ret;
        try {
          ret = _withGlobalCurrentTaskMeta({
            taskID: task.id(),
            componentIdx: task.componentIdx(),
            fn: () => exports1Generate(ptr0)
          });
        } catch (err) {
          _debugLog("[Instruction::CallWasm] error during sync call", {
            taskID: task.id(),
            err
          });
          getOrCreateAsyncState(0).markTrapped(err);
          task.setErrored(err);
          task.reject(err);
          task.exit();
          throw err;
        }
        let variant47;
        switch (dataView(memory0).getUint8(ret + 0, true)) {
          case 0: {
            var len40 = dataView(memory0).getUint32(ret + 8, true);
            var base40 = dataView(memory0).getUint32(ret + 4, true);
            if (base40 % 4 !== 0) throw new TypeError(`list pointer [${base40}] is not aligned to 4`);
            var result40 = [];
            for (let i = 0; i < len40; i++) {
              const base = base40 + i * 16;
              var ptr38 = dataView(memory0).getUint32(base + 0, true);
              var len38 = dataView(memory0).getUint32(base + 4, true);
              var result38 = TEXT_DECODER_UTF8.decode(new Uint8Array(memory0.buffer, ptr38, len38));
              var ptr39 = dataView(memory0).getUint32(base + 8, true);
              var len39 = dataView(memory0).getUint32(base + 12, true);
              if (ptr39 % 1 !== 0) throw new TypeError(`list pointer [${ptr39}] is not aligned to 1`);
              var result39 = new Uint8Array(memory0.buffer.slice(ptr39, ptr39 + len39 * 1));
              result40.push([result38, result39]);
            }
            var len42 = dataView(memory0).getUint32(ret + 16, true);
            var base42 = dataView(memory0).getUint32(ret + 12, true);
            if (base42 % 4 !== 0) throw new TypeError(`list pointer [${base42}] is not aligned to 4`);
            var result42 = [];
            for (let i = 0; i < len42; i++) {
              const base = base42 + i * 8;
              var ptr41 = dataView(memory0).getUint32(base + 0, true);
              var len41 = dataView(memory0).getUint32(base + 4, true);
              var result41 = TEXT_DECODER_UTF8.decode(new Uint8Array(memory0.buffer, ptr41, len41));
              result42.push(result41);
            }
            var len45 = dataView(memory0).getUint32(ret + 24, true);
            var base45 = dataView(memory0).getUint32(ret + 20, true);
            if (base45 % 4 !== 0) throw new TypeError(`list pointer [${base45}] is not aligned to 4`);
            var result45 = [];
            for (let i = 0; i < len45; i++) {
              const base = base45 + i * 12;
              var ptr43 = dataView(memory0).getUint32(base + 0, true);
              var len43 = dataView(memory0).getUint32(base + 4, true);
              var result43 = TEXT_DECODER_UTF8.decode(new Uint8Array(memory0.buffer, ptr43, len43));
              let enum44;
              switch (dataView(memory0).getUint8(base + 8, true)) {
                case 0: {
                  enum44 = "function";
                  break;
                }
                case 1: {
                  enum44 = "instance";
                  break;
                }
                default: {
                  throw new TypeError("invalid discriminant specified for ExportType");
                }
              }
              result45.push([result43, enum44]);
            }
            variant47 = {
              tag: "ok",
              val: {
                files: result40,
                imports: result42,
                exports: result45
              }
            };
            break;
          }
          case 1: {
            var ptr46 = dataView(memory0).getUint32(ret + 4, true);
            var len46 = dataView(memory0).getUint32(ret + 8, true);
            var result46 = TEXT_DECODER_UTF8.decode(new Uint8Array(memory0.buffer, ptr46, len46));
            variant47 = {
              tag: "err",
              val: result46
            };
            break;
          }
          default: {
            throw new TypeError("invalid variant discriminant for expected");
          }
        }
        _debugLog('[iface="generate", function="generate"][Instruction::Return]', {
          funcName: "generate",
          paramCount: 1,
          async: false,
          postReturn: true
        });
        const retCopy = variant47;
        task.resolve([retCopy.val]);
        let cstate = getOrCreateAsyncState(0);
        cstate.mayLeave = false;
        postReturn0(ret);
        cstate.mayLeave = true;
        task.exit();
        if (typeof retCopy === "object" && retCopy.tag === "err") {
          throw new ComponentError(retCopy.val);
        }
        return retCopy.val;
      } catch (err) {
        if (!task.isResolvedState()) {
          task.setErrored(err);
          task.reject(err);
        }
        if (!task.isExited()) {
          task.exit({ skipExclusiveLockCheck: true });
        }
        throw err;
      }
    }
  });
}
var exports1GenerateTypes;
var exports1UnpackWit;
function trampoline0(handle2) {
  const handleEntry = rscTableRemove(handleTable0, handle2);
  if (handleEntry.own) {
    const rsc = captureTable0.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose3]) rsc[symbolDispose3]();
      captureTable0.delete(handleEntry.rep);
    } else if (Error$1[symbolCabiDispose]) {
      Error$1[symbolCabiDispose](handleEntry.rep);
    }
  }
}
function trampoline1(handle2) {
  const handleEntry = rscTableRemove(handleTable6, handle2);
  if (handleEntry.own) {
    const rsc = captureTable6.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose3]) rsc[symbolDispose3]();
      captureTable6.delete(handleEntry.rep);
    } else if (DirectoryEntryStream2[symbolCabiDispose]) {
      DirectoryEntryStream2[symbolCabiDispose](handleEntry.rep);
    }
  }
}
function trampoline2(handle2) {
  const handleEntry = rscTableRemove(handleTable5, handle2);
  if (handleEntry.own) {
    const rsc = captureTable5.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose3]) rsc[symbolDispose3]();
      captureTable5.delete(handleEntry.rep);
    } else if (Descriptor2[symbolCabiDispose]) {
      Descriptor2[symbolCabiDispose](handleEntry.rep);
    }
  }
}
function trampoline3(handle2) {
  const handleEntry = rscTableRemove(handleTable1, handle2);
  if (handleEntry.own) {
    const rsc = captureTable1.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose3]) rsc[symbolDispose3]();
      captureTable1.delete(handleEntry.rep);
    } else if (OutputStream2[symbolCabiDispose]) {
      OutputStream2[symbolCabiDispose](handleEntry.rep);
    }
  }
}
function trampoline4(handle2) {
  const handleEntry = rscTableRemove(handleTable2, handle2);
  if (handleEntry.own) {
    const rsc = captureTable2.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose3]) rsc[symbolDispose3]();
      captureTable2.delete(handleEntry.rep);
    } else if (InputStream2[symbolCabiDispose]) {
      InputStream2[symbolCabiDispose](handleEntry.rep);
    }
  }
}
var trampoline5 = _trampoline5.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 5,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline5.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatOwn({
      componentIdx: 0,
      tableIdx: 1,
      lowerFn: function lowerImportedOwnedHost_OutputStream(obj) {
        if (!(obj instanceof OutputStream2)) {
          throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
        }
        let handle2 = obj[symbolRscHandle];
        if (!handle2) {
          const rep3 = obj[symbolRscRep] || ++captureCnt1;
          captureTable1.set(rep3, obj);
          handle2 = rscTableCreateOwn(handleTable1, rep3);
        }
        return handle2;
      }
    })],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline5
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 5,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline5.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatOwn({
      componentIdx: 0,
      tableIdx: 1,
      lowerFn: function lowerImportedOwnedHost_OutputStream2(obj) {
        if (!(obj instanceof OutputStream2)) {
          throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
        }
        let handle2 = obj[symbolRscHandle];
        if (!handle2) {
          const rep3 = obj[symbolRscRep] || ++captureCnt1;
          captureTable1.set(rep3, obj);
          handle2 = rscTableCreateOwn(handleTable1, rep3);
        }
        return handle2;
      }
    })],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline5
  }
);
var trampoline6 = _trampoline6.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 6,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline6.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatOwn({
      componentIdx: 0,
      tableIdx: 2,
      lowerFn: function lowerImportedOwnedHost_InputStream(obj) {
        if (!(obj instanceof InputStream2)) {
          throw new TypeError('Resource error: Not a valid "InputStream" resource.');
        }
        let handle2 = obj[symbolRscHandle];
        if (!handle2) {
          const rep3 = obj[symbolRscRep] || ++captureCnt2;
          captureTable2.set(rep3, obj);
          handle2 = rscTableCreateOwn(handleTable2, rep3);
        }
        return handle2;
      }
    })],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline6
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 6,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline6.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatOwn({
      componentIdx: 0,
      tableIdx: 2,
      lowerFn: function lowerImportedOwnedHost_InputStream2(obj) {
        if (!(obj instanceof InputStream2)) {
          throw new TypeError('Resource error: Not a valid "InputStream" resource.');
        }
        let handle2 = obj[symbolRscHandle];
        if (!handle2) {
          const rep3 = obj[symbolRscRep] || ++captureCnt2;
          captureTable2.set(rep3, obj);
          handle2 = rscTableCreateOwn(handleTable2, rep3);
        }
        return handle2;
      }
    })],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline6
  }
);
var trampoline7 = _trampoline7.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 7,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline7.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatOwn({
      componentIdx: 0,
      tableIdx: 1,
      lowerFn: function lowerImportedOwnedHost_OutputStream3(obj) {
        if (!(obj instanceof OutputStream2)) {
          throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
        }
        let handle2 = obj[symbolRscHandle];
        if (!handle2) {
          const rep3 = obj[symbolRscRep] || ++captureCnt1;
          captureTable1.set(rep3, obj);
          handle2 = rscTableCreateOwn(handleTable1, rep3);
        }
        return handle2;
      }
    })],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline7
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 7,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline7.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatOwn({
      componentIdx: 0,
      tableIdx: 1,
      lowerFn: function lowerImportedOwnedHost_OutputStream4(obj) {
        if (!(obj instanceof OutputStream2)) {
          throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
        }
        let handle2 = obj[symbolRscHandle];
        if (!handle2) {
          const rep3 = obj[symbolRscRep] || ++captureCnt1;
          captureTable1.set(rep3, obj);
          handle2 = rscTableCreateOwn(handleTable1, rep3);
        }
        return handle2;
      }
    })],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline7
  }
);
function trampoline8(handle2) {
  const handleEntry = rscTableRemove(handleTable3, handle2);
  if (handleEntry.own) {
    const rsc = captureTable3.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose3]) rsc[symbolDispose3]();
      captureTable3.delete(handleEntry.rep);
    } else if (TerminalInput2[symbolCabiDispose]) {
      TerminalInput2[symbolCabiDispose](handleEntry.rep);
    }
  }
}
function trampoline9(handle2) {
  const handleEntry = rscTableRemove(handleTable4, handle2);
  if (handleEntry.own) {
    const rsc = captureTable4.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose3]) rsc[symbolDispose3]();
      captureTable4.delete(handleEntry.rep);
    } else if (TerminalOutput2[symbolCabiDispose]) {
      TerminalOutput2[symbolCabiDispose](handleEntry.rep);
    }
  }
}
var trampoline10 = _trampoline10.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 10,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline10.manuallyAsync,
    paramLiftFns: [
      _liftFlatResult({
        caseMetas: [["ok", null, 0, 0, 0, []], ["err", null, 0, 0, 0, []]],
        variantSize32: 1,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 1,
        variantPayloadFlatTypes: []
      })
    ],
    resultLowerFns: [],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline10
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 10,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline10.manuallyAsync,
    paramLiftFns: [
      _liftFlatResult({
        caseMetas: [["ok", null, 0, 0, 0, []], ["err", null, 0, 0, 0, []]],
        variantSize32: 1,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 1,
        variantPayloadFlatTypes: []
      })
    ],
    resultLowerFns: [],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline10
  }
);
var trampoline11 = _trampoline11.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 11,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline11.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 0)],
    resultLowerFns: [
      _lowerFlatOption({
        caseMetas: [
          ["none", null, 0, 0, 0],
          [
            "some",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            1,
            1,
            1
          ]
        ],
        variantSize32: 2,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline11
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 11,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline11.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 0)],
    resultLowerFns: [
      _lowerFlatOption({
        caseMetas: [
          ["none", null, 0, 0, 0],
          [
            "some",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            1,
            1,
            1
          ]
        ],
        variantSize32: 2,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline11
  }
);
var trampoline12 = _trampoline12.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 12,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline12.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatRecord({ fieldMetas: [["lower", _lowerFlatU64, 8, 8], ["upper", _lowerFlatU64, 8, 8]], size32: 16, align32: 8 }), 24, 8, 8],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            24,
            8,
            8
          ]
        ],
        variantSize32: 24,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline12
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 12,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline12.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatRecord({ fieldMetas: [["lower", _lowerFlatU64, 8, 8], ["upper", _lowerFlatU64, 8, 8]], size32: 16, align32: 8 }), 24, 8, 8],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            24,
            8,
            8
          ]
        ],
        variantSize32: 24,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline12
  }
);
var trampoline13 = _trampoline13.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 13,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline13.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 6)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          [
            "ok",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [[
                  "type",
                  _lowerFlatEnum({
                    caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
                    variantSize32: 1,
                    variantAlign32: 1,
                    variantPayloadOffset32: 1,
                    variantFlatCount: 1
                  }),
                  1,
                  1
                ], ["name", _lowerFlatStringAny, 8, 4]], size32: 12, align32: 4 }), 12, 4, 3]
              ],
              variantSize32: 16,
              variantAlign32: 4,
              variantPayloadOffset32: 4,
              variantFlatCount: 4,
              payloadMaybeNull: false
            }),
            20,
            4,
            4
          ],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            20,
            4,
            4
          ]
        ],
        variantSize32: 20,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 5
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: () => realloc0,
    importFn: _trampoline13
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 13,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline13.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 6)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          [
            "ok",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [[
                  "type",
                  _lowerFlatEnum({
                    caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
                    variantSize32: 1,
                    variantAlign32: 1,
                    variantPayloadOffset32: 1,
                    variantFlatCount: 1
                  }),
                  1,
                  1
                ], ["name", _lowerFlatStringAny, 8, 4]], size32: 12, align32: 4 }), 12, 4, 3]
              ],
              variantSize32: 16,
              variantAlign32: 4,
              variantPayloadOffset32: 4,
              variantFlatCount: 4,
              payloadMaybeNull: false
            }),
            20,
            4,
            4
          ],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            20,
            4,
            4
          ]
        ],
        variantSize32: 20,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 5
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: () => realloc0,
    importFn: _trampoline13
  }
);
var trampoline14 = _trampoline14.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 14,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline14.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5), _liftFlatFlags({ names: ["symlinkFollow"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatStringAny],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatRecord({ fieldMetas: [["lower", _lowerFlatU64, 8, 8], ["upper", _lowerFlatU64, 8, 8]], size32: 16, align32: 8 }), 24, 8, 8],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            24,
            8,
            8
          ]
        ],
        variantSize32: 24,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline14
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 14,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline14.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5), _liftFlatFlags({ names: ["symlinkFollow"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatStringAny],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatRecord({ fieldMetas: [["lower", _lowerFlatU64, 8, 8], ["upper", _lowerFlatU64, 8, 8]], size32: 16, align32: 8 }), 24, 8, 8],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            24,
            8,
            8
          ]
        ],
        variantSize32: 24,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline14
  }
);
var trampoline15 = _trampoline15.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 15,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline15.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatFlags({ names: ["read", "write", "fileIntegritySync", "dataIntegritySync", "requestedWriteSync", "mutateDirectory"], size32: 1, align32: 1, intSizeBytes: 1 }), 2, 1, 1],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            2,
            1,
            1
          ]
        ],
        variantSize32: 2,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline15
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 15,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline15.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatFlags({ names: ["read", "write", "fileIntegritySync", "dataIntegritySync", "requestedWriteSync", "mutateDirectory"], size32: 1, align32: 1, intSizeBytes: 1 }), 2, 1, 1],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            2,
            1,
            1
          ]
        ],
        variantSize32: 2,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline15
  }
);
var trampoline16 = _trampoline16.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 16,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline16.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          [
            "ok",
            _lowerFlatEnum({
              caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            2,
            1,
            1
          ],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            2,
            1,
            1
          ]
        ],
        variantSize32: 2,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline16
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 16,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline16.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          [
            "ok",
            _lowerFlatEnum({
              caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            2,
            1,
            1
          ],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            2,
            1,
            1
          ]
        ],
        variantSize32: 2,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline16
  }
);
var trampoline17 = _trampoline17.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 17,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline17.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 1,
            lowerFn: function lowerImportedOwnedHost_OutputStream5(obj) {
              if (!(obj instanceof OutputStream2)) {
                throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt1;
                captureTable1.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable1, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline17
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 17,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline17.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 1,
            lowerFn: function lowerImportedOwnedHost_OutputStream6(obj) {
              if (!(obj instanceof OutputStream2)) {
                throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt1;
                captureTable1.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable1, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline17
  }
);
var trampoline18 = _trampoline18.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 18,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline18.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 6,
            lowerFn: function lowerImportedOwnedHost_DirectoryEntryStream(obj) {
              if (!(obj instanceof DirectoryEntryStream2)) {
                throw new TypeError('Resource error: Not a valid "DirectoryEntryStream" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt6;
                captureTable6.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable6, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline18
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 18,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline18.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 6,
            lowerFn: function lowerImportedOwnedHost_DirectoryEntryStream2(obj) {
              if (!(obj instanceof DirectoryEntryStream2)) {
                throw new TypeError('Resource error: Not a valid "DirectoryEntryStream" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt6;
                captureTable6.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable6, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline18
  }
);
var trampoline19 = _trampoline19.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 19,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline19.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5), _liftFlatFlags({ names: ["symlinkFollow"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatStringAny],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatRecord({ fieldMetas: [[
            "type",
            _lowerFlatEnum({
              caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            1,
            1
          ], ["linkCount", _lowerFlatU64, 8, 8], ["size", _lowerFlatU64, 8, 8], [
            "dataAccessTimestamp",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [["seconds", _lowerFlatU64, 8, 8], ["nanoseconds", _lowerFlatU32, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "dataModificationTimestamp",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [["seconds", _lowerFlatU64, 8, 8], ["nanoseconds", _lowerFlatU32, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "statusChangeTimestamp",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [["seconds", _lowerFlatU64, 8, 8], ["nanoseconds", _lowerFlatU32, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ]], size32: 96, align32: 8 }), 104, 8, 8],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            104,
            8,
            8
          ]
        ],
        variantSize32: 104,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 13
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline19
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 19,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline19.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5), _liftFlatFlags({ names: ["symlinkFollow"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatStringAny],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatRecord({ fieldMetas: [[
            "type",
            _lowerFlatEnum({
              caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            1,
            1
          ], ["linkCount", _lowerFlatU64, 8, 8], ["size", _lowerFlatU64, 8, 8], [
            "dataAccessTimestamp",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [["seconds", _lowerFlatU64, 8, 8], ["nanoseconds", _lowerFlatU32, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "dataModificationTimestamp",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [["seconds", _lowerFlatU64, 8, 8], ["nanoseconds", _lowerFlatU32, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "statusChangeTimestamp",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [["seconds", _lowerFlatU64, 8, 8], ["nanoseconds", _lowerFlatU32, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ]], size32: 96, align32: 8 }), 104, 8, 8],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            104,
            8,
            8
          ]
        ],
        variantSize32: 104,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 13
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline19
  }
);
var trampoline20 = _trampoline20.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 20,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline20.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5), _liftFlatFlags({ names: ["symlinkFollow"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatStringAny, _liftFlatFlags({ names: ["create", "directory", "exclusive", "truncate"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatFlags({ names: ["read", "write", "fileIntegritySync", "dataIntegritySync", "requestedWriteSync", "mutateDirectory"], size32: 1, align32: 1, intSizeBytes: 1 })],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 5,
            lowerFn: function lowerImportedOwnedHost_Descriptor(obj) {
              if (!(obj instanceof Descriptor2)) {
                throw new TypeError('Resource error: Not a valid "Descriptor" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt5;
                captureTable5.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable5, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline20
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 20,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline20.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5), _liftFlatFlags({ names: ["symlinkFollow"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatStringAny, _liftFlatFlags({ names: ["create", "directory", "exclusive", "truncate"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatFlags({ names: ["read", "write", "fileIntegritySync", "dataIntegritySync", "requestedWriteSync", "mutateDirectory"], size32: 1, align32: 1, intSizeBytes: 1 })],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 5,
            lowerFn: function lowerImportedOwnedHost_Descriptor2(obj) {
              if (!(obj instanceof Descriptor2)) {
                throw new TypeError('Resource error: Not a valid "Descriptor" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt5;
                captureTable5.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable5, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline20
  }
);
var trampoline21 = _trampoline21.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 21,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline21.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5), _liftFlatU64],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 2,
            lowerFn: function lowerImportedOwnedHost_InputStream3(obj) {
              if (!(obj instanceof InputStream2)) {
                throw new TypeError('Resource error: Not a valid "InputStream" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt2;
                captureTable2.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable2, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline21
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 21,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline21.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5), _liftFlatU64],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 2,
            lowerFn: function lowerImportedOwnedHost_InputStream4(obj) {
              if (!(obj instanceof InputStream2)) {
                throw new TypeError('Resource error: Not a valid "InputStream" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt2;
                captureTable2.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable2, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline21
  }
);
var trampoline22 = _trampoline22.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 22,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline22.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5), _liftFlatU64],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 1,
            lowerFn: function lowerImportedOwnedHost_OutputStream7(obj) {
              if (!(obj instanceof OutputStream2)) {
                throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt1;
                captureTable1.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable1, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline22
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 22,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline22.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5), _liftFlatU64],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 1,
            lowerFn: function lowerImportedOwnedHost_OutputStream8(obj) {
              if (!(obj instanceof OutputStream2)) {
                throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt1;
                captureTable1.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable1, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline22
  }
);
var trampoline23 = _trampoline23.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 23,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline23.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatRecord({ fieldMetas: [[
            "type",
            _lowerFlatEnum({
              caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            1,
            1
          ], ["linkCount", _lowerFlatU64, 8, 8], ["size", _lowerFlatU64, 8, 8], [
            "dataAccessTimestamp",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [["seconds", _lowerFlatU64, 8, 8], ["nanoseconds", _lowerFlatU32, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "dataModificationTimestamp",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [["seconds", _lowerFlatU64, 8, 8], ["nanoseconds", _lowerFlatU32, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "statusChangeTimestamp",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [["seconds", _lowerFlatU64, 8, 8], ["nanoseconds", _lowerFlatU32, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ]], size32: 96, align32: 8 }), 104, 8, 8],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            104,
            8,
            8
          ]
        ],
        variantSize32: 104,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 13
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline23
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 23,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline23.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatRecord({ fieldMetas: [[
            "type",
            _lowerFlatEnum({
              caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            1,
            1
          ], ["linkCount", _lowerFlatU64, 8, 8], ["size", _lowerFlatU64, 8, 8], [
            "dataAccessTimestamp",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [["seconds", _lowerFlatU64, 8, 8], ["nanoseconds", _lowerFlatU32, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "dataModificationTimestamp",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [["seconds", _lowerFlatU64, 8, 8], ["nanoseconds", _lowerFlatU32, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "statusChangeTimestamp",
            _lowerFlatOption({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord({ fieldMetas: [["seconds", _lowerFlatU64, 8, 8], ["nanoseconds", _lowerFlatU32, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ]], size32: 96, align32: 8 }), 104, 8, 8],
          [
            "err",
            _lowerFlatEnum({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            104,
            8,
            8
          ]
        ],
        variantSize32: 104,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 13
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline23
  }
);
var trampoline24 = _trampoline24.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 24,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline24.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 1)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatU64, 16, 8, 8],
          ["err", _lowerFlatVariant({
            caseMetas: [["last-operation-failed", _lowerFlatOwn({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$1(obj) {
                if (!(obj instanceof Error$1)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep] || ++captureCnt0;
                  captureTable0.set(rep3, obj);
                  handle2 = rscTableCreateOwn(handleTable0, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 16, 8, 8]
        ],
        variantSize32: 16,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline24
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 24,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline24.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 1)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatU64, 16, 8, 8],
          ["err", _lowerFlatVariant({
            caseMetas: [["last-operation-failed", _lowerFlatOwn({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$12(obj) {
                if (!(obj instanceof Error$1)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep] || ++captureCnt0;
                  captureTable0.set(rep3, obj);
                  handle2 = rscTableCreateOwn(handleTable0, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 16, 8, 8]
        ],
        variantSize32: 16,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline24
  }
);
var trampoline25 = _trampoline25.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 25,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline25.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 1), _liftFlatList({
      elemLiftFn: _liftFlatU8,
      elemAlign32: 1,
      elemSize32: 1,
      typedArray: Uint8Array
    })],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", null, 12, 4, 4],
          ["err", _lowerFlatVariant({
            caseMetas: [["last-operation-failed", _lowerFlatOwn({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$13(obj) {
                if (!(obj instanceof Error$1)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep] || ++captureCnt0;
                  captureTable0.set(rep3, obj);
                  handle2 = rscTableCreateOwn(handleTable0, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline25
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 25,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline25.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 1), _liftFlatList({
      elemLiftFn: _liftFlatU8,
      elemAlign32: 1,
      elemSize32: 1,
      typedArray: Uint8Array
    })],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", null, 12, 4, 4],
          ["err", _lowerFlatVariant({
            caseMetas: [["last-operation-failed", _lowerFlatOwn({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$14(obj) {
                if (!(obj instanceof Error$1)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep] || ++captureCnt0;
                  captureTable0.set(rep3, obj);
                  handle2 = rscTableCreateOwn(handleTable0, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline25
  }
);
var trampoline26 = _trampoline26.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 26,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline26.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 1)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", null, 12, 4, 4],
          ["err", _lowerFlatVariant({
            caseMetas: [["last-operation-failed", _lowerFlatOwn({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$15(obj) {
                if (!(obj instanceof Error$1)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep] || ++captureCnt0;
                  captureTable0.set(rep3, obj);
                  handle2 = rscTableCreateOwn(handleTable0, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline26
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 26,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline26.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 1)],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", null, 12, 4, 4],
          ["err", _lowerFlatVariant({
            caseMetas: [["last-operation-failed", _lowerFlatOwn({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$16(obj) {
                if (!(obj instanceof Error$1)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep] || ++captureCnt0;
                  captureTable0.set(rep3, obj);
                  handle2 = rscTableCreateOwn(handleTable0, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline26
  }
);
var trampoline27 = _trampoline27.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 27,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline27.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 2), _liftFlatU64],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatList({
            elemLowerFn: _lowerFlatU8,
            elemSize32: 1,
            elemAlign32: 1
          }), 12, 4, 4],
          ["err", _lowerFlatVariant({
            caseMetas: [["last-operation-failed", _lowerFlatOwn({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$17(obj) {
                if (!(obj instanceof Error$1)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep] || ++captureCnt0;
                  captureTable0.set(rep3, obj);
                  handle2 = rscTableCreateOwn(handleTable0, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: () => realloc0,
    importFn: _trampoline27
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 27,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline27.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 2), _liftFlatU64],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatList({
            elemLowerFn: _lowerFlatU8,
            elemSize32: 1,
            elemAlign32: 1
          }), 12, 4, 4],
          ["err", _lowerFlatVariant({
            caseMetas: [["last-operation-failed", _lowerFlatOwn({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$18(obj) {
                if (!(obj instanceof Error$1)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep] || ++captureCnt0;
                  captureTable0.set(rep3, obj);
                  handle2 = rscTableCreateOwn(handleTable0, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: () => realloc0,
    importFn: _trampoline27
  }
);
var trampoline28 = _trampoline28.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 28,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline28.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 2), _liftFlatU64],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatList({
            elemLowerFn: _lowerFlatU8,
            elemSize32: 1,
            elemAlign32: 1
          }), 12, 4, 4],
          ["err", _lowerFlatVariant({
            caseMetas: [["last-operation-failed", _lowerFlatOwn({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$19(obj) {
                if (!(obj instanceof Error$1)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep] || ++captureCnt0;
                  captureTable0.set(rep3, obj);
                  handle2 = rscTableCreateOwn(handleTable0, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: () => realloc0,
    importFn: _trampoline28
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 28,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline28.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 2), _liftFlatU64],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", _lowerFlatList({
            elemLowerFn: _lowerFlatU8,
            elemSize32: 1,
            elemAlign32: 1
          }), 12, 4, 4],
          ["err", _lowerFlatVariant({
            caseMetas: [["last-operation-failed", _lowerFlatOwn({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$110(obj) {
                if (!(obj instanceof Error$1)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep] || ++captureCnt0;
                  captureTable0.set(rep3, obj);
                  handle2 = rscTableCreateOwn(handleTable0, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: () => realloc0,
    importFn: _trampoline28
  }
);
var trampoline29 = _trampoline29.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 29,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline29.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 1), _liftFlatList({
      elemLiftFn: _liftFlatU8,
      elemAlign32: 1,
      elemSize32: 1,
      typedArray: Uint8Array
    })],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", null, 12, 4, 4],
          ["err", _lowerFlatVariant({
            caseMetas: [["last-operation-failed", _lowerFlatOwn({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$111(obj) {
                if (!(obj instanceof Error$1)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep] || ++captureCnt0;
                  captureTable0.set(rep3, obj);
                  handle2 = rscTableCreateOwn(handleTable0, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline29
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 29,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline29.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow.bind(null, 1), _liftFlatList({
      elemLiftFn: _liftFlatU8,
      elemAlign32: 1,
      elemSize32: 1,
      typedArray: Uint8Array
    })],
    resultLowerFns: [
      _lowerFlatResult({
        caseMetas: [
          ["ok", null, 12, 4, 4],
          ["err", _lowerFlatVariant({
            caseMetas: [["last-operation-failed", _lowerFlatOwn({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$112(obj) {
                if (!(obj instanceof Error$1)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep] || ++captureCnt0;
                  captureTable0.set(rep3, obj);
                  handle2 = rscTableCreateOwn(handleTable0, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline29
  }
);
var trampoline30 = _trampoline30.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 30,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline30.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatList({
      elemLowerFn: _lowerFlatTuple({ elemLowerMetas: [[_lowerFlatStringAny, 8, 4], [_lowerFlatStringAny, 8, 4]], size32: 16, align32: 4 }),
      elemSize32: 16,
      elemAlign32: 4
    })],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: () => realloc0,
    importFn: _trampoline30
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 30,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline30.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatList({
      elemLowerFn: _lowerFlatTuple({ elemLowerMetas: [[_lowerFlatStringAny, 8, 4], [_lowerFlatStringAny, 8, 4]], size32: 16, align32: 4 }),
      elemSize32: 16,
      elemAlign32: 4
    })],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: () => realloc0,
    importFn: _trampoline30
  }
);
var trampoline31 = _trampoline31.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 31,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline31.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatList({
      elemLowerFn: _lowerFlatTuple({ elemLowerMetas: [[_lowerFlatOwn({
        componentIdx: 0,
        tableIdx: 5,
        lowerFn: function lowerImportedOwnedHost_Descriptor3(obj) {
          if (!(obj instanceof Descriptor2)) {
            throw new TypeError('Resource error: Not a valid "Descriptor" resource.');
          }
          let handle2 = obj[symbolRscHandle];
          if (!handle2) {
            const rep3 = obj[symbolRscRep] || ++captureCnt5;
            captureTable5.set(rep3, obj);
            handle2 = rscTableCreateOwn(handleTable5, rep3);
          }
          return handle2;
        }
      }), 4, 4], [_lowerFlatStringAny, 8, 4]], size32: 12, align32: 4 }),
      elemSize32: 12,
      elemAlign32: 4
    })],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: () => realloc0,
    importFn: _trampoline31
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 31,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline31.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatList({
      elemLowerFn: _lowerFlatTuple({ elemLowerMetas: [[_lowerFlatOwn({
        componentIdx: 0,
        tableIdx: 5,
        lowerFn: function lowerImportedOwnedHost_Descriptor4(obj) {
          if (!(obj instanceof Descriptor2)) {
            throw new TypeError('Resource error: Not a valid "Descriptor" resource.');
          }
          let handle2 = obj[symbolRscHandle];
          if (!handle2) {
            const rep3 = obj[symbolRscRep] || ++captureCnt5;
            captureTable5.set(rep3, obj);
            handle2 = rscTableCreateOwn(handleTable5, rep3);
          }
          return handle2;
        }
      }), 4, 4], [_lowerFlatStringAny, 8, 4]], size32: 12, align32: 4 }),
      elemSize32: 12,
      elemAlign32: 4
    })],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: () => realloc0,
    importFn: _trampoline31
  }
);
var trampoline32 = _trampoline32.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 32,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline32.manuallyAsync,
    paramLiftFns: [_liftFlatU64],
    resultLowerFns: [_lowerFlatList({
      elemLowerFn: _lowerFlatU8,
      elemSize32: 1,
      elemAlign32: 1
    })],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: () => realloc0,
    importFn: _trampoline32
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 32,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline32.manuallyAsync,
    paramLiftFns: [_liftFlatU64],
    resultLowerFns: [_lowerFlatList({
      elemLowerFn: _lowerFlatU8,
      elemSize32: 1,
      elemAlign32: 1
    })],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: () => realloc0,
    importFn: _trampoline32
  }
);
var trampoline33 = _trampoline33.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 33,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline33.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [
      _lowerFlatOption({
        caseMetas: [
          ["none", null, 0, 0, 0],
          ["some", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 3,
            lowerFn: function lowerImportedOwnedHost_TerminalInput(obj) {
              if (!(obj instanceof TerminalInput2)) {
                throw new TypeError('Resource error: Not a valid "TerminalInput" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt3;
                captureTable3.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable3, rep3);
              }
              return handle2;
            }
          }), 4, 4, 1]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline33
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 33,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline33.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [
      _lowerFlatOption({
        caseMetas: [
          ["none", null, 0, 0, 0],
          ["some", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 3,
            lowerFn: function lowerImportedOwnedHost_TerminalInput2(obj) {
              if (!(obj instanceof TerminalInput2)) {
                throw new TypeError('Resource error: Not a valid "TerminalInput" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt3;
                captureTable3.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable3, rep3);
              }
              return handle2;
            }
          }), 4, 4, 1]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline33
  }
);
var trampoline34 = _trampoline34.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 34,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline34.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [
      _lowerFlatOption({
        caseMetas: [
          ["none", null, 0, 0, 0],
          ["some", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 4,
            lowerFn: function lowerImportedOwnedHost_TerminalOutput(obj) {
              if (!(obj instanceof TerminalOutput2)) {
                throw new TypeError('Resource error: Not a valid "TerminalOutput" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt4;
                captureTable4.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable4, rep3);
              }
              return handle2;
            }
          }), 4, 4, 1]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline34
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 34,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline34.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [
      _lowerFlatOption({
        caseMetas: [
          ["none", null, 0, 0, 0],
          ["some", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 4,
            lowerFn: function lowerImportedOwnedHost_TerminalOutput2(obj) {
              if (!(obj instanceof TerminalOutput2)) {
                throw new TypeError('Resource error: Not a valid "TerminalOutput" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt4;
                captureTable4.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable4, rep3);
              }
              return handle2;
            }
          }), 4, 4, 1]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline34
  }
);
var trampoline35 = _trampoline35.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(0, _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 35,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline35.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [
      _lowerFlatOption({
        caseMetas: [
          ["none", null, 0, 0, 0],
          ["some", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 4,
            lowerFn: function lowerImportedOwnedHost_TerminalOutput3(obj) {
              if (!(obj instanceof TerminalOutput2)) {
                throw new TypeError('Resource error: Not a valid "TerminalOutput" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt4;
                captureTable4.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable4, rep3);
              }
              return handle2;
            }
          }), 4, 4, 1]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline35
  }
))) : _lowerImportBackwardsCompat.bind(
  null,
  {
    trampolineIdx: 35,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline35.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [
      _lowerFlatOption({
        caseMetas: [
          ["none", null, 0, 0, 0],
          ["some", _lowerFlatOwn({
            componentIdx: 0,
            tableIdx: 4,
            lowerFn: function lowerImportedOwnedHost_TerminalOutput4(obj) {
              if (!(obj instanceof TerminalOutput2)) {
                throw new TypeError('Resource error: Not a valid "TerminalOutput" resource.');
              }
              let handle2 = obj[symbolRscHandle];
              if (!handle2) {
                const rep3 = obj[symbolRscRep] || ++captureCnt4;
                captureTable4.set(rep3, obj);
                handle2 = rscTableCreateOwn(handleTable4, rep3);
              }
              return handle2;
            }
          }), 4, 4, 1]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory0,
    getReallocFn: void 0,
    importFn: _trampoline35
  }
);
var _initialized = false;
var $init = (() => {
  let gen = (function* _initGenerator() {
    const module0 = fetchCompile(new URL("./js-component-bindgen-component.core.wasm", import.meta.url));
    const module1 = fetchCompile(new URL("./js-component-bindgen-component.core2.wasm", import.meta.url));
    const module2 = base64Compile("AGFzbQEAAAABZw5gAn9/AGACf38Bf2ABfwBgA39+fwBgBH9/f38Bf2AFf39/f38AYAR/f39/AGABfwF/YAN/f38Bf2AFf39/fn8Bf2AFf39/f38Bf2AJf39/f39+fn9/AX9gB39/f39/f38AYAJ+fwADKCcBAQEHAQEBCAQJBAoLAgAAAAUAAAAABQwDAwAABgADAwYCAg0CAgIEBQFwAScnB8UBKAEwAAABMQABATIAAgEzAAMBNAAEATUABQE2AAYBNwAHATgACAE5AAkCMTAACgIxMQALAjEyAAwCMTMADQIxNAAOAjE1AA8CMTYAEAIxNwARAjE4ABICMTkAEwIyMAAUAjIxABUCMjIAFgIyMwAXAjI0ABgCMjUAGQIyNgAaAjI3ABsCMjgAHAIyOQAdAjMwAB4CMzEAHwIzMgAgAjMzACECMzQAIgIzNQAjAjM2ACQCMzcAJQIzOAAmCCRpbXBvcnRzAQAKkQQnCwAgACABQQARAQALCwAgACABQQERAQALCwAgACABQQIRAQALCQAgAEEDEQcACwsAIAAgAUEEEQEACwsAIAAgAUEFEQEACwsAIAAgAUEGEQEACw0AIAAgASACQQcRCAALDwAgACABIAIgA0EIEQQACxEAIAAgASACIAMgBEEJEQkACw8AIAAgASACIANBChEEAAsRACAAIAEgAiADIARBCxEKAAsZACAAIAEgAiADIAQgBSAGIAcgCEEMEQsACwkAIABBDRECAAsLACAAIAFBDhEAAAsLACAAIAFBDxEAAAsLACAAIAFBEBEAAAsRACAAIAEgAiADIARBEREFAAsLACAAIAFBEhEAAAsLACAAIAFBExEAAAsLACAAIAFBFBEAAAsLACAAIAFBFREAAAsRACAAIAEgAiADIARBFhEFAAsVACAAIAEgAiADIAQgBSAGQRcRDAALDQAgACABIAJBGBEDAAsNACAAIAEgAkEZEQMACwsAIAAgAUEaEQAACwsAIAAgAUEbEQAACw8AIAAgASACIANBHBEGAAsLACAAIAFBHREAAAsNACAAIAEgAkEeEQMACw0AIAAgASACQR8RAwALDwAgACABIAIgA0EgEQYACwkAIABBIRECAAsJACAAQSIRAgALCwAgACABQSMRDQALCQAgAEEkEQIACwkAIABBJRECAAsJACAAQSYRAgALAC8JcHJvZHVjZXJzAQxwcm9jZXNzZWQtYnkBDXdpdC1jb21wb25lbnQHMC4yNTkuMA");
    const module3 = base64Compile("AGFzbQEAAAABZw5gAn9/AGACf38Bf2ABfwBgA39+fwBgBH9/f38Bf2AFf39/f38AYAR/f39/AGABfwF/YAN/f38Bf2AFf39/fn8Bf2AFf39/f38Bf2AJf39/f39+fn9/AX9gB39/f39/f38AYAJ+fwAC3gMoBmFjdHVhbAEwAAEGYWN0dWFsATEAAQZhY3R1YWwBMgABBmFjdHVhbAEzAAcGYWN0dWFsATQAAQZhY3R1YWwBNQABBmFjdHVhbAE2AAEGYWN0dWFsATcACAZhY3R1YWwBOAAEBmFjdHVhbAE5AAkGYWN0dWFsAjEwAAQGYWN0dWFsAjExAAoGYWN0dWFsAjEyAAsGYWN0dWFsAjEzAAIGYWN0dWFsAjE0AAAGYWN0dWFsAjE1AAAGYWN0dWFsAjE2AAAGYWN0dWFsAjE3AAUGYWN0dWFsAjE4AAAGYWN0dWFsAjE5AAAGYWN0dWFsAjIwAAAGYWN0dWFsAjIxAAAGYWN0dWFsAjIyAAUGYWN0dWFsAjIzAAwGYWN0dWFsAjI0AAMGYWN0dWFsAjI1AAMGYWN0dWFsAjI2AAAGYWN0dWFsAjI3AAAGYWN0dWFsAjI4AAYGYWN0dWFsAjI5AAAGYWN0dWFsAjMwAAMGYWN0dWFsAjMxAAMGYWN0dWFsAjMyAAYGYWN0dWFsAjMzAAIGYWN0dWFsAjM0AAIGYWN0dWFsAjM1AA0GYWN0dWFsAjM2AAIGYWN0dWFsAjM3AAIGYWN0dWFsAjM4AAIEc2hpbQgkaW1wb3J0cwFwAScnCS0BAEEACycAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYALwlwcm9kdWNlcnMBDHByb2Nlc3NlZC1ieQENd2l0LWNvbXBvbmVudAcwLjI1OS4w");
    const instanceFlags0 = new WebAssembly.Global({ value: "i32", mutable: true }, 1);
    INSTANCE_FLAGS.set(0, instanceFlags0);
    ({ exports: exports0 } = yield instantiateCore(yield module2));
    ({ exports: exports1 } = yield instantiateCore(yield module0, {
      wasi_snapshot_preview1: {
        environ_get: Object.assign(exports0["1"], { _jcoMaySuspend: false }),
        environ_sizes_get: Object.assign(exports0["2"], { _jcoMaySuspend: false }),
        fd_close: Object.assign(exports0["3"], { _jcoMaySuspend: false }),
        fd_fdstat_get: Object.assign(exports0["4"], { _jcoMaySuspend: false }),
        fd_filestat_get: Object.assign(exports0["5"], { _jcoMaySuspend: false }),
        fd_prestat_dir_name: Object.assign(exports0["7"], { _jcoMaySuspend: false }),
        fd_prestat_get: Object.assign(exports0["6"], { _jcoMaySuspend: false }),
        fd_read: Object.assign(exports0["8"], { _jcoMaySuspend: false }),
        fd_readdir: Object.assign(exports0["9"], { _jcoMaySuspend: false }),
        fd_write: Object.assign(exports0["10"], { _jcoMaySuspend: false }),
        path_filestat_get: Object.assign(exports0["11"], { _jcoMaySuspend: false }),
        path_open: Object.assign(exports0["12"], { _jcoMaySuspend: false }),
        proc_exit: Object.assign(exports0["13"], { _jcoMaySuspend: false }),
        random_get: Object.assign(exports0["0"], { _jcoMaySuspend: false })
      }
    }));
    ({ exports: exports2 } = yield instantiateCore(yield module1, {
      __main_module__: {
        cabi_realloc: Object.assign(exports1.cabi_realloc, { _jcoMaySuspend: false })
      },
      env: {
        memory: exports1.memory
      },
      "wasi:cli/environment@0.2.12": {
        "get-environment": Object.assign(exports0["33"], { _jcoMaySuspend: false })
      },
      "wasi:cli/exit@0.2.12": {
        exit: Object.assign(trampoline10, { _jcoMaySuspend: false })
      },
      "wasi:cli/stderr@0.2.12": {
        "get-stderr": Object.assign(trampoline5, { _jcoMaySuspend: false })
      },
      "wasi:cli/stdin@0.2.12": {
        "get-stdin": Object.assign(trampoline6, { _jcoMaySuspend: false })
      },
      "wasi:cli/stdout@0.2.12": {
        "get-stdout": Object.assign(trampoline7, { _jcoMaySuspend: false })
      },
      "wasi:cli/terminal-input@0.2.12": {
        "[resource-drop]terminal-input": Object.assign(_guardMayLeave(0, trampoline8), { _jcoMaySuspend: false })
      },
      "wasi:cli/terminal-output@0.2.12": {
        "[resource-drop]terminal-output": Object.assign(_guardMayLeave(0, trampoline9), { _jcoMaySuspend: false })
      },
      "wasi:cli/terminal-stderr@0.2.12": {
        "get-terminal-stderr": Object.assign(exports0["38"], { _jcoMaySuspend: false })
      },
      "wasi:cli/terminal-stdin@0.2.12": {
        "get-terminal-stdin": Object.assign(exports0["36"], { _jcoMaySuspend: false })
      },
      "wasi:cli/terminal-stdout@0.2.12": {
        "get-terminal-stdout": Object.assign(exports0["37"], { _jcoMaySuspend: false })
      },
      "wasi:filesystem/preopens@0.2.6": {
        "get-directories": Object.assign(exports0["34"], { _jcoMaySuspend: false })
      },
      "wasi:filesystem/types@0.2.12": {
        "[method]descriptor.append-via-stream": Object.assign(exports0["20"], { _jcoMaySuspend: false }),
        "[method]descriptor.get-flags": Object.assign(exports0["18"], { _jcoMaySuspend: false }),
        "[method]descriptor.get-type": Object.assign(exports0["19"], { _jcoMaySuspend: false }),
        "[method]descriptor.metadata-hash": Object.assign(exports0["15"], { _jcoMaySuspend: false }),
        "[method]descriptor.metadata-hash-at": Object.assign(exports0["17"], { _jcoMaySuspend: false }),
        "[method]descriptor.open-at": Object.assign(exports0["23"], { _jcoMaySuspend: false }),
        "[method]descriptor.read-directory": Object.assign(exports0["21"], { _jcoMaySuspend: false }),
        "[method]descriptor.read-via-stream": Object.assign(exports0["24"], { _jcoMaySuspend: false }),
        "[method]descriptor.stat": Object.assign(exports0["26"], { _jcoMaySuspend: false }),
        "[method]descriptor.stat-at": Object.assign(exports0["22"], { _jcoMaySuspend: false }),
        "[method]descriptor.write-via-stream": Object.assign(exports0["25"], { _jcoMaySuspend: false }),
        "[method]directory-entry-stream.read-directory-entry": Object.assign(exports0["16"], { _jcoMaySuspend: false }),
        "[resource-drop]descriptor": Object.assign(_guardMayLeave(0, trampoline2), { _jcoMaySuspend: false }),
        "[resource-drop]directory-entry-stream": Object.assign(_guardMayLeave(0, trampoline1), { _jcoMaySuspend: false }),
        "filesystem-error-code": Object.assign(exports0["14"], { _jcoMaySuspend: false })
      },
      "wasi:io/error@0.2.12": {
        "[resource-drop]error": Object.assign(_guardMayLeave(0, trampoline0), { _jcoMaySuspend: false })
      },
      "wasi:io/streams@0.2.12": {
        "[method]input-stream.blocking-read": Object.assign(exports0["30"], { _jcoMaySuspend: false }),
        "[method]input-stream.read": Object.assign(exports0["31"], { _jcoMaySuspend: false }),
        "[method]output-stream.blocking-flush": Object.assign(exports0["29"], { _jcoMaySuspend: false }),
        "[method]output-stream.blocking-write-and-flush": Object.assign(exports0["32"], { _jcoMaySuspend: false }),
        "[method]output-stream.check-write": Object.assign(exports0["27"], { _jcoMaySuspend: false }),
        "[method]output-stream.write": Object.assign(exports0["28"], { _jcoMaySuspend: false }),
        "[resource-drop]input-stream": Object.assign(_guardMayLeave(0, trampoline4), { _jcoMaySuspend: false }),
        "[resource-drop]output-stream": Object.assign(_guardMayLeave(0, trampoline3), { _jcoMaySuspend: false })
      },
      "wasi:random/random@0.2.12": {
        "get-random-bytes": Object.assign(exports0["35"], { _jcoMaySuspend: false })
      }
    }));
    memory0 = exports1.memory;
    realloc0 = exports2.cabi_import_realloc;
    try {
      realloc0Async = WebAssembly.promising(exports2.cabi_import_realloc);
    } catch (err) {
      realloc0Async = exports2.cabi_import_realloc;
    }
    ({ exports: exports3 } = yield instantiateCore(yield module3, {
      actual: {
        "0": Object.assign(exports2.random_get, { _jcoMaySuspend: false }),
        "1": Object.assign(exports2.environ_get, { _jcoMaySuspend: false }),
        "10": Object.assign(exports2.fd_write, { _jcoMaySuspend: false }),
        "11": Object.assign(exports2.path_filestat_get, { _jcoMaySuspend: false }),
        "12": Object.assign(exports2.path_open, { _jcoMaySuspend: false }),
        "13": Object.assign(exports2.proc_exit, { _jcoMaySuspend: false }),
        "14": Object.assign(trampoline11, { _jcoMaySuspend: false }),
        "15": Object.assign(trampoline12, { _jcoMaySuspend: false }),
        "16": Object.assign(trampoline13, { _jcoMaySuspend: false }),
        "17": Object.assign(trampoline14, { _jcoMaySuspend: false }),
        "18": Object.assign(trampoline15, { _jcoMaySuspend: false }),
        "19": Object.assign(trampoline16, { _jcoMaySuspend: false }),
        "2": Object.assign(exports2.environ_sizes_get, { _jcoMaySuspend: false }),
        "20": Object.assign(trampoline17, { _jcoMaySuspend: false }),
        "21": Object.assign(trampoline18, { _jcoMaySuspend: false }),
        "22": Object.assign(trampoline19, { _jcoMaySuspend: false }),
        "23": Object.assign(trampoline20, { _jcoMaySuspend: false }),
        "24": Object.assign(trampoline21, { _jcoMaySuspend: false }),
        "25": Object.assign(trampoline22, { _jcoMaySuspend: false }),
        "26": Object.assign(trampoline23, { _jcoMaySuspend: false }),
        "27": Object.assign(trampoline24, { _jcoMaySuspend: false }),
        "28": Object.assign(trampoline25, { _jcoMaySuspend: false }),
        "29": Object.assign(trampoline26, { _jcoMaySuspend: false }),
        "3": Object.assign(exports2.fd_close, { _jcoMaySuspend: false }),
        "30": Object.assign(trampoline27, { _jcoMaySuspend: false }),
        "31": Object.assign(trampoline28, { _jcoMaySuspend: false }),
        "32": Object.assign(trampoline29, { _jcoMaySuspend: false }),
        "33": Object.assign(trampoline30, { _jcoMaySuspend: false }),
        "34": Object.assign(trampoline31, { _jcoMaySuspend: false }),
        "35": Object.assign(trampoline32, { _jcoMaySuspend: false }),
        "36": Object.assign(trampoline33, { _jcoMaySuspend: false }),
        "37": Object.assign(trampoline34, { _jcoMaySuspend: false }),
        "38": Object.assign(trampoline35, { _jcoMaySuspend: false }),
        "4": Object.assign(exports2.fd_fdstat_get, { _jcoMaySuspend: false }),
        "5": Object.assign(exports2.fd_filestat_get, { _jcoMaySuspend: false }),
        "6": Object.assign(exports2.fd_prestat_get, { _jcoMaySuspend: false }),
        "7": Object.assign(exports2.fd_prestat_dir_name, { _jcoMaySuspend: false }),
        "8": Object.assign(exports2.fd_read, { _jcoMaySuspend: false }),
        "9": Object.assign(exports2.fd_readdir, { _jcoMaySuspend: false })
      },
      shim: {
        $imports: exports0.$imports
      }
    }));
    realloc1 = exports1.cabi_realloc;
    try {
      realloc1Async = WebAssembly.promising(exports1.cabi_realloc);
    } catch (err) {
      realloc1Async = exports1.cabi_realloc;
    }
    postReturn0 = exports1.cabi_post_generate;
    try {
      postReturn0Async = WebAssembly.promising(exports1.cabi_post_generate);
    } catch (err) {
      postReturn0Async = exports1.cabi_post_generate;
    }
    postReturn1 = exports1["cabi_post_generate-types"];
    try {
      postReturn1Async = WebAssembly.promising(exports1["cabi_post_generate-types"]);
    } catch (err) {
      postReturn1Async = exports1["cabi_post_generate-types"];
    }
    postReturn2 = exports1["cabi_post_unpack-wit"];
    try {
      postReturn2Async = WebAssembly.promising(exports1["cabi_post_unpack-wit"]);
    } catch (err) {
      postReturn2Async = exports1["cabi_post_unpack-wit"];
    }
    _initialized = true;
    exports1Generate = exports1.generate;
    exports1GenerateTypes = exports1["generate-types"];
    exports1UnpackWit = exports1["unpack-wit"];
  })();
  let promise, resolve2, reject;
  function normalizeInstantiationError(e) {
    if (typeof WebAssembly.SuspendError === "function" && e instanceof WebAssembly.SuspendError) {
      return new WebAssembly.RuntimeError("cannot block a synchronous task before returning");
    }
    return e;
  }
  function runNext(value) {
    try {
      let done;
      do {
        ({ value, done } = gen.next(value));
      } while (!(value instanceof Promise) && !done);
      if (done) {
        if (resolve2) resolve2(value);
        else return value;
      }
      if (!promise) promise = new Promise((_resolve, _reject) => (resolve2 = _resolve, reject = _reject));
      value.then(runNext, (e) => reject(normalizeInstantiationError(e)));
    } catch (e) {
      e = normalizeInstantiationError(e);
      if (reject) reject(e);
      else throw e;
    }
  }
  const maybeSyncReturn = runNext(null);
  return promise || maybeSyncReturn;
})();

// node_modules/@bytecodealliance/jco-transpile/dist/common.js
import { join, normalize, resolve, sep, dirname } from "node:path";
import { tmpdir } from "node:os";
import { readFile as fsReadFile, writeFile, rm, mkdtemp, mkdir } from "node:fs/promises";
import { spawn } from "node:child_process";
import { platform as platform2, argv0 } from "node:process";
async function getTmpDir() {
  return await mkdtemp(normalize(tmpdir() + sep));
}
async function runWASMTransformProgram(cmd, input, args) {
  const tmpDir = await getTmpDir();
  try {
    const inFile = resolve(tmpDir, "in.wasm");
    const outFile = resolve(tmpDir, "out.wasm");
    await writeFile(inFile, input);
    const cp = spawn(argv0, [cmd, inFile, ...args, outFile], {
      stdio: "pipe"
    });
    let stderr3 = "";
    const p = new Promise((resolve2, reject) => {
      cp.stderr.on("data", (data) => stderr3 += data.toString());
      cp.on("error", (e) => {
        reject(e);
      });
      cp.on("exit", (code) => {
        if (code === 0) {
          resolve2(null);
        } else {
          reject(stderr3);
        }
      });
    });
    await p;
    const output = await fsReadFile(outFile);
    return output;
  } finally {
    await rm(tmpDir, { recursive: true });
  }
}
function byteLengthLEB128(val) {
  let len = 0;
  do {
    val >>>= 7;
    len++;
  } while (val !== 0);
  return len;
}

// node_modules/@bytecodealliance/jco-transpile/dist/transpile.js
import { Buffer as Buffer3 } from "node:buffer";

// no-native-minify:oxc-minify
function minify() {
  throw new Error("wasm-p2-check: JS minification is not bundled");
}

// node_modules/@bytecodealliance/jco-transpile/vendor/wasm-tools.js
var { getEnvironment: getEnvironment2 } = environment;
if (getEnvironment2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'getEnvironment', was 'getEnvironment' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { exit: exit4 } = exit2;
if (exit4 === void 0) {
  const err = new Error("unexpectedly undefined local import 'exit', was 'exit' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getStderr: getStderr2 } = stderr2;
if (getStderr2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'getStderr', was 'getStderr' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getStdin: getStdin2 } = stdin;
if (getStdin2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'getStdin', was 'getStdin' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getStdout: getStdout2 } = stdout2;
if (getStdout2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'getStdout', was 'getStdout' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { TerminalInput: TerminalInput3 } = terminalInput;
if (TerminalInput3 === void 0) {
  const err = new Error("unexpectedly undefined local import 'TerminalInput', was 'TerminalInput' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { TerminalOutput: TerminalOutput3 } = terminalOutput;
if (TerminalOutput3 === void 0) {
  const err = new Error("unexpectedly undefined local import 'TerminalOutput', was 'TerminalOutput' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getTerminalStderr: getTerminalStderr2 } = terminalStderr;
if (getTerminalStderr2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'getTerminalStderr', was 'getTerminalStderr' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getTerminalStdin: getTerminalStdin2 } = terminalStdin;
if (getTerminalStdin2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'getTerminalStdin', was 'getTerminalStdin' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getTerminalStdout: getTerminalStdout2 } = terminalStdout;
if (getTerminalStdout2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'getTerminalStdout', was 'getTerminalStdout' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getDirectories: getDirectories2 } = preopens;
if (getDirectories2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'getDirectories', was 'getDirectories' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var {
  Descriptor: Descriptor3,
  DirectoryEntryStream: DirectoryEntryStream3,
  filesystemErrorCode: filesystemErrorCode2
} = types;
if (Descriptor3 === void 0) {
  const err = new Error("unexpectedly undefined local import 'Descriptor', was 'Descriptor' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
if (DirectoryEntryStream3 === void 0) {
  const err = new Error("unexpectedly undefined local import 'DirectoryEntryStream', was 'DirectoryEntryStream' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
if (filesystemErrorCode2 === void 0) {
  const err = new Error("unexpectedly undefined local import 'filesystemErrorCode', was 'filesystemErrorCode' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { Error: Error$12 } = error;
if (Error$12 === void 0) {
  const err = new Error("unexpectedly undefined local import 'Error$1', was 'Error' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var {
  InputStream: InputStream3,
  OutputStream: OutputStream3
} = streams;
if (InputStream3 === void 0) {
  const err = new Error("unexpectedly undefined local import 'InputStream', was 'InputStream' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
if (OutputStream3 === void 0) {
  const err = new Error("unexpectedly undefined local import 'OutputStream', was 'OutputStream' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var { getRandomBytes: getRandomBytes3 } = random;
if (getRandomBytes3 === void 0) {
  const err = new Error("unexpectedly undefined local import 'getRandomBytes', was 'getRandomBytes' available at instantiation?");
  console.error("ERROR:", err.toString());
  throw err;
}
var dv2 = new DataView(new ArrayBuffer());
var dataView2 = (mem) => dv2.buffer === mem.buffer ? dv2 : dv2 = new DataView(mem.buffer);
function toUint642(val) {
  const converted = BigInt(val);
  return BigInt.asUintN(64, converted);
}
function toUint322(val) {
  return val >>> 0;
}
function _isValidNumericPrimitive2(ty, v) {
  if (v === void 0 || v === null) {
    return false;
  }
  switch (ty) {
    case "bool":
      return v === 0 || v === 1;
      break;
    case "u8":
      return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 255;
      break;
    case "s8":
      return typeof v === "number" && Number.isInteger(v) && v >= -128 && v <= 127;
      break;
    case "u16":
      return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 65535;
      break;
    case "s16":
      return typeof v === "number" && Number.isInteger(v) && v >= -32768 && v <= 32767;
    case "u32":
      return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 4294967295;
    case "s32":
      return typeof v === "number" && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;
    case "u64":
      return typeof v === "bigint" && v >= 0 && v <= 18446744073709551615n;
    case "s64":
      return typeof v === "bigint" && v >= -9223372036854775808n && v <= 9223372036854775807n;
      break;
    case "f32":
    case "f64":
      return typeof v === "number";
    default:
      return false;
  }
  return true;
}
function _requireValidNumericPrimitive2(ty, v) {
  if (v === void 0 || v === null || !_isValidNumericPrimitive2(ty, v)) {
    throw new TypeError(`invalid ${ty} value [${v}]`);
  }
  return true;
}
var utf16Decoder2 = new TextDecoder("utf-16");
var isLE2 = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
function _utf16AllocateAndEncode2(str, realloc, memory) {
  const len = str.length;
  const ptr = realloc(0, 0, 2, len * 2);
  const out = new Uint16Array(memory.buffer, ptr, len);
  let i = 0;
  if (isLE2) {
    while (i < len) {
      out[i] = str.charCodeAt(i++);
    }
  } else {
    while (i < len) {
      const ch = str.charCodeAt(i);
      out[i++] = (ch & 255) << 8 | ch >>> 8;
    }
  }
  return { ptr, len, codepoints: [...str].length };
}
var TEXT_DECODER_UTF82 = new TextDecoder();
var TEXT_ENCODER_UTF82 = new TextEncoder();
function _utf8AllocateAndEncode2(s, realloc, memory) {
  if (typeof s !== "string") {
    throw new TypeError("expected a string, received [" + typeof s + "]");
  }
  if (s.length === 0) {
    return { ptr: 1, len: 0 };
  }
  let len = 0;
  let codepoints = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    codepoints++;
    if (ch < 128) {
      len += 1;
    } else if (ch < 2048) {
      len += 2;
    } else if (ch >= 55296 && ch <= 56319 && i + 1 < s.length && (s.charCodeAt(i + 1) & 64512) === 56320) {
      len += 4;
      i++;
    } else {
      len += 3;
    }
  }
  const ptr = realloc(0, 0, 1, len);
  const { read, written } = TEXT_ENCODER_UTF82.encodeInto(
    s,
    new Uint8Array(memory.buffer, ptr, len)
  );
  if (read !== s.length || written !== len) {
    throw new Error("failed to encode whole string");
  }
  const res = { ptr, len, codepoints };
  return res;
}
var T_FLAG3 = 1 << 30;
function rscTableCreateOwn2(table, rep3) {
  const free = table[0] & ~T_FLAG3;
  table._createdReps.add(rep3);
  if (free === 0) {
    table.push(0);
    table.push(rep3 | T_FLAG3);
    return (table.length >> 1) - 1;
  }
  table[0] = table[free << 1];
  table[free << 1] = 0;
  table[(free << 1) + 1] = rep3 | T_FLAG3;
  return free;
}
var RESOURCE_SCOPE_TASKS2 = /* @__PURE__ */ new Map();
var WebAssemblyRuntimeError2 = WebAssembly.RuntimeError;
function rscTableRemove2(table, handle2) {
  const scope = table[handle2 << 1];
  const val = table[(handle2 << 1) + 1];
  const own = (val & T_FLAG3) !== 0;
  const rep3 = val & ~T_FLAG3;
  if (val === 0 || (scope & T_FLAG3) !== 0) {
    throw new WebAssemblyRuntimeError2(`unknown handle index ${(handle2 << 1) + 1}`);
  }
  if (own && scope !== 0) {
    throw new WebAssemblyRuntimeError2("cannot remove owned resource while borrowed");
  }
  const borrowTask = own ? void 0 : RESOURCE_SCOPE_TASKS2.get(scope);
  table[handle2 << 1] = table[0] | T_FLAG3;
  table[0] = handle2 | T_FLAG3;
  borrowTask?.removeBorrowedHandle();
  return { rep: rep3, scope, own };
}
var RESOURCE_SCOPE_ID2 = 0;
var curResourceBorrows2 = [];
var ASYNC_TASKS_BY_COMPONENT_IDX2 = /* @__PURE__ */ new Map();
var ASYNC_CURRENT_COMPONENT_IDXS2 = [];
function getCurrentTask2(componentIdx2, taskID) {
  let usedGlobal = false;
  if (componentIdx2 === void 0 || componentIdx2 === null) {
    throw new Error("missing component idx");
  }
  const taskMetas = ASYNC_TASKS_BY_COMPONENT_IDX2.get(componentIdx2);
  if (taskMetas === void 0 || taskMetas.length === 0) {
    return void 0;
  }
  if (taskID) {
    return taskMetas.find((meta) => meta.task.id() === taskID);
  }
  const taskMeta = taskMetas[taskMetas.length - 1];
  if (!taskMeta || !taskMeta.task) {
    return void 0;
  }
  return taskMeta;
}
var ASYNC_CURRENT_TASK_IDS2 = [];
var _debugLog2 = (...args) => {
  if (!globalThis?.process?.env?.JCO_DEBUG) {
    return;
  }
  console.debug(...args);
};
function clearCurrentTask2(componentIdx2, taskID) {
  _debugLog2("[clearCurrentTask()] args", { componentIdx: componentIdx2, taskID });
  if (componentIdx2 === void 0 || componentIdx2 === null) {
    throw new Error("missing/invalid component instance index while ending current task");
  }
  const tasks = ASYNC_TASKS_BY_COMPONENT_IDX2.get(componentIdx2);
  if (!tasks || !Array.isArray(tasks)) {
    throw new Error("missing/invalid tasks for component instance while ending task");
  }
  if (tasks.length == 0) {
    throw new Error(`no current tasks for component instance [${componentIdx2}] while ending task`);
  }
  if (taskID !== void 0) {
    const last = tasks[tasks.length - 1];
    if (last.id !== taskID) {
      return;
    }
  }
  ASYNC_CURRENT_TASK_IDS2.pop();
  ASYNC_CURRENT_COMPONENT_IDXS2.pop();
  const taskMeta = tasks.pop();
  return taskMeta.task;
}
var ASYNC_STATE2 = /* @__PURE__ */ new Map();
function promiseWithResolvers2() {
  if (Promise.withResolvers) {
    return Promise.withResolvers();
  } else {
    let resolve2;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve2 = res;
      reject = rej;
    });
    return { promise, resolve: resolve2, reject };
  }
}
var Waitable2 = class {
  #componentIdx;
  #pendingEventFn = null;
  #promise;
  #resolve;
  #reject;
  #waitableSet = null;
  #hasSyncWaiter = false;
  #idx = null;
  // to component-global waitables
  target;
  constructor(args) {
    const { componentIdx: componentIdx2, target } = args;
    this.#componentIdx = componentIdx2;
    this.target = args.target;
    this.#resetPromise();
  }
  componentIdx() {
    return this.#componentIdx;
  }
  isInSet() {
    return this.#waitableSet !== null;
  }
  idx() {
    return this.#idx;
  }
  setIdx(idx) {
    if (idx === 0) {
      throw new Error("waitable idx cannot be zero");
    }
    this.#idx = idx;
  }
  setTarget(tgt) {
    this.target = tgt;
  }
  #resetPromise() {
    const { promise, resolve: resolve2, reject } = promiseWithResolvers2();
    this.#promise = promise;
    this.#resolve = resolve2;
    this.#reject = reject;
  }
  resolve() {
    this.#resolve();
  }
  reject(err) {
    this.#reject(err);
  }
  promise() {
    return this.#promise;
  }
  hasPendingEvent() {
    return this.#pendingEventFn !== null;
  }
  setPendingEvent(fn) {
    _debugLog2("[Waitable#setPendingEvent()] args", {
      waitable: this,
      inSet: this.#waitableSet
    });
    this.#pendingEventFn = fn;
  }
  getPendingEvent() {
    _debugLog2("[Waitable#getPendingEvent()] args", {
      waitable: this,
      inSet: this.#waitableSet,
      hasPendingEvent: this.#pendingEventFn !== null
    });
    if (this.#pendingEventFn === null) {
      return null;
    }
    const eventFn = this.#pendingEventFn;
    this.#pendingEventFn = null;
    const e = eventFn();
    this.#resetPromise();
    return e;
  }
  join(waitableSet) {
    _debugLog2("[Waitable#join()] args", {
      waitable: this,
      waitableSet,
      isRemoval: waitableSet === null
    });
    if (this.#waitableSet === void 0) {
      throw new TypeError("waitable set must be not be undefined");
    }
    if (this.#waitableSet) {
      this.#waitableSet.removeWaitable(this);
    }
    this.#waitableSet = waitableSet;
    if (waitableSet) {
      this.#waitableSet.addWaitable(this);
    }
  }
  drop() {
    _debugLog2("[Waitable#drop()] args", {
      componentIdx: this.#componentIdx,
      waitable: this
    });
    if (this.hasPendingEvent()) {
      throw new Error("waitables with pending events cannot be dropped");
    }
    this.join(null);
  }
  async waitForPendingEvent(args) {
    const { cstate } = args;
    if (!cstate) {
      throw new TypeError("missing component state");
    }
    if (this.#waitableSet !== null || this.#hasSyncWaiter) {
      throw new Error("waitable is already in a set/has a sync waiter");
    }
    this.#hasSyncWaiter = true;
    await cstate.waitUntil({
      cancellable: false,
      readyFn: () => this.hasPendingEvent()
    });
    this.#hasSyncWaiter = false;
  }
};
var INSTANCE_FLAGS2 = /* @__PURE__ */ new Map();
var STORE_TRAP2 = { error: null };
var STORE_ASYNC_STATE2 = { deadlockCheck: null, pendingHostOperations: 0 };
function _checkForDeadlock2() {
  if (STORE_ASYNC_STATE2.deadlockCheck !== null || STORE_TRAP2.error !== null) {
    return;
  }
  STORE_ASYNC_STATE2.deadlockCheck = setTimeout(() => {
    STORE_ASYNC_STATE2.deadlockCheck = null;
    if (STORE_TRAP2.error !== null || STORE_ASYNC_STATE2.pendingHostOperations > 0) {
      return;
    }
    const suspendedTasks = /* @__PURE__ */ new Set();
    for (const state of ASYNC_STATE2.values()) {
      if (state.hasPendingSchedulerWork()) {
        state.runTickLoop();
        return;
      }
      for (const meta of state.suspendedTaskMetas()) {
        suspendedTasks.add(meta.task);
      }
    }
    const unresolvedRoots = /* @__PURE__ */ new Set();
    for (const task of suspendedTasks) {
      const root = task.getRootTask();
      if (!root.isResolvedState()) {
        unresolvedRoots.add(root);
      }
    }
    if (unresolvedRoots.size === 0) {
      return;
    }
    const err = new WebAssemblyRuntimeError2("wasm trap: deadlock detected: event loop cannot make further progress");
    err.deadlockDetail = {
      pendingHostOperations: STORE_ASYNC_STATE2.pendingHostOperations,
      suspendedTasks: [...suspendedTasks].map((task) => ({
        taskID: task.id(),
        componentIdx: task.componentIdx(),
        state: task.taskState(),
        rootTaskID: task.getRootTask().id()
      })),
      unresolvedRootTaskIDs: [...unresolvedRoots].map((root) => root.id())
    };
    STORE_TRAP2.error = err;
    for (const root of unresolvedRoots) {
      root.setErrored(err);
      root.reject(err);
    }
    for (const task of suspendedTasks) {
      if (!task.isResolvedState() && unresolvedRoots.has(task.getRootTask())) {
        task.setErrored(err);
        task.reject(err);
      }
    }
    for (const state of ASYNC_STATE2.values()) {
      state.runTickLoop();
    }
  }, 0);
}
var CORE_TRAP_MESSAGES2 = /* @__PURE__ */ new Map([
  ["unreachable", "wasm trap: wasm `unreachable` instruction executed"],
  ["memory access out of bounds", "wasm trap: out of bounds memory access"],
  ["divide by zero", "wasm trap: integer divide by zero"],
  ["remainder by zero", "wasm trap: integer divide by zero"],
  ["divide result unrepresentable", "wasm trap: integer overflow"],
  ["float unrepresentable in integer range", "wasm trap: invalid conversion to integer"],
  ["table index is out of bounds", "wasm trap: undefined element: out of bounds table access"],
  ["function signature mismatch", "wasm trap: indirect call type mismatch"],
  ["call stack exhausted", "wasm trap: call stack exhausted"]
]);
function _normalizeCoreTrap2(err) {
  if (!(err instanceof WebAssemblyRuntimeError2)) {
    return err;
  }
  const message = CORE_TRAP_MESSAGES2.get(err.message);
  if (message !== void 0) {
    err.message = message;
  }
  return err;
}
var RepTable2 = class _RepTable {
  // Sentinel marking a freed slot; the freelist link for a freed slot
  // lives in the odd cell. This keeps get()/contains()/remove() on freed
  // reps well-defined (previously they returned/corrupted freelist links).
  static FREE = /* @__PURE__ */ Symbol("RepTable.free");
  #data = [0, null];
  #size = 0;
  #target;
  constructor(args) {
    this.target = args?.target;
  }
  data() {
    return this.#data;
  }
  insert(val) {
    _debugLog2("[RepTable#insert()] args", { val, target: this.target });
    const freeIdx = this.#data[0];
    if (freeIdx === 0) {
      this.#data.push(val);
      this.#data.push(null);
      const rep3 = (this.#data.length >> 1) - 1;
      _debugLog2("[RepTable#insert()] inserted", { val, target: this.target, rep: rep3 });
      this.#size += 1;
      return rep3;
    }
    const placementIdx = freeIdx << 1;
    if (this.#data[placementIdx] !== _RepTable.FREE) {
      throw new Error("corrupt rep table freelist: head does not point at a freed slot");
    }
    this.#data[0] = this.#data[placementIdx + 1];
    this.#data[placementIdx] = val;
    this.#data[placementIdx + 1] = null;
    _debugLog2("[RepTable#insert()] inserted", { val, target: this.target, rep: freeIdx });
    this.#size += 1;
    return freeIdx;
  }
  get(rep3) {
    _debugLog2("[RepTable#get()] args", { rep: rep3, target: this.target });
    if (rep3 === 0) {
      throw new Error("invalid resource rep during get, (cannot be 0)");
    }
    const baseIdx = rep3 << 1;
    const val = this.#data[baseIdx];
    if (val === _RepTable.FREE) {
      return void 0;
    }
    return val;
  }
  contains(rep3) {
    _debugLog2("[RepTable#contains()] args", { rep: rep3, target: this.target });
    if (rep3 === 0) {
      throw new Error("invalid resource rep during contains, (cannot be 0)");
    }
    const baseIdx = rep3 << 1;
    const val = this.#data[baseIdx];
    return val !== _RepTable.FREE && !!val;
  }
  remove(rep3) {
    _debugLog2("[RepTable#remove()] args", { rep: rep3, target: this.target });
    if (rep3 === 0) {
      throw new Error("invalid resource rep during remove, (cannot be 0)");
    }
    if (this.#data.length === 2) {
      throw new Error("invalid");
    }
    const baseIdx = rep3 << 1;
    if (baseIdx >= this.#data.length) {
      throw new Error(`invalid rep [${rep3}] during remove, out of range`);
    }
    const val = this.#data[baseIdx];
    if (val === _RepTable.FREE) {
      throw new Error(`double removal of rep [${rep3}] (already freed)`);
    }
    this.#data[baseIdx] = _RepTable.FREE;
    this.#data[baseIdx + 1] = this.#data[0];
    this.#data[0] = rep3;
    this.#size -= 1;
    return val;
  }
  size() {
    return this.#size;
  }
  clear() {
    _debugLog2("[RepTable#clear()] args", { rep, target: this.target });
    this.#data = [0, null];
  }
};
var ComponentAsyncState2 = class _ComponentAsyncState {
  static EVENT_HANDLER_EVENTS = ["backpressure-change"];
  static TickResult = {
    // no suspended tasks remain
    DONE: "done",
    // a suspended task was resumed (more may be ready)
    RESUMED: "resumed",
    // suspended tasks remain but none were ready
    IDLE: "idle"
  };
  #componentIdx;
  #callingAsyncImport = false;
  #syncImportWait = promiseWithResolvers2();
  #lockHolderTaskID = null;
  #lockWaiters = [];
  #lockHandoffScheduled = false;
  #pendingTaskStarts = 0;
  #parkedTasks = /* @__PURE__ */ new Map();
  #suspendedTasksByTaskID = /* @__PURE__ */ new Map();
  #suspendedTaskIDs = [];
  #errored = null;
  #trapped = false;
  #backpressure = 0;
  #backpressureWaiters = 0n;
  #handlerMap = /* @__PURE__ */ new Map();
  #nextHandlerID = 0n;
  #tickLoop = null;
  #tickLoopInterval = null;
  #onExclusiveReleaseHandlers = [];
  #mayLeave = true;
  handles;
  subtasks;
  constructor(args) {
    this.#componentIdx = args.componentIdx;
    this.handles = new RepTable2({ target: `component [${this.#componentIdx}] handles (waitable objects)` });
    this.subtasks = new RepTable2({ target: `component [${this.#componentIdx}] subtasks` });
  }
  componentIdx() {
    return this.#componentIdx;
  }
  get mayLeave() {
    const flags = INSTANCE_FLAGS2.get(this.#componentIdx);
    return flags === void 0 ? this.#mayLeave : flags.value === 1;
  }
  set mayLeave(value) {
    if (typeof value !== "boolean") {
      throw new TypeError("mayLeave must be a boolean");
    }
    this.#mayLeave = value;
    const flags = INSTANCE_FLAGS2.get(this.#componentIdx);
    if (flags !== void 0) {
      flags.value = value ? 1 : 0;
    }
  }
  errored() {
    return this.#errored !== null;
  }
  setErrored(err) {
    _debugLog2("[ComponentAsyncState#setErrored()] component errored", { err, componentIdx: this.#componentIdx });
    if (this.#errored) {
      return;
    }
    if (!err) {
      err = new Error("error elswehere (see other component instance error)");
      err.componentIdx = this.#componentIdx;
    }
    this.#errored = err;
  }
  markTrapped(err) {
    if (!(err instanceof WebAssemblyRuntimeError2)) {
      return false;
    }
    err = _normalizeCoreTrap2(err);
    this.#trapped = true;
    _debugLog2("[ComponentAsyncState#markTrapped()] component trapped", { err, componentIdx: this.#componentIdx });
    if (STORE_TRAP2.error === null) {
      STORE_TRAP2.error = err;
    }
    return true;
  }
  throwIfTrapped() {
    if (this.#trapped) {
      throw new WebAssemblyRuntimeError2("wasm trap: cannot enter component instance");
    }
  }
  callingSyncImport(val) {
    if (val === void 0) {
      return this.#callingAsyncImport;
    }
    if (typeof val !== "boolean") {
      throw new TypeError("invalid setting for async import");
    }
    const prev = this.#callingAsyncImport;
    this.#callingAsyncImport = val;
    if (prev === true && this.#callingAsyncImport === false) {
      this.#notifySyncImportEnd();
    }
  }
  #notifySyncImportEnd() {
    const existing = this.#syncImportWait;
    this.#syncImportWait = promiseWithResolvers2();
    existing.resolve();
  }
  async waitForSyncImportCallEnd() {
    await this.#syncImportWait.promise;
  }
  setBackpressure(v) {
    this.#backpressure = v;
    return this.#backpressure;
  }
  getBackpressure() {
    return this.#backpressure;
  }
  incrementBackpressure() {
    const current = this.#backpressure;
    if (current < 0 || current > 2 ** 16) {
      throw new Error(`invalid current backpressure value [${current}]`);
    }
    const newValue = this.getBackpressure() + 1;
    if (newValue >= 2 ** 16) {
      throw new Error(`invalid new backpressure value [${newValue}], overflow`);
    }
    return this.setBackpressure(newValue);
  }
  decrementBackpressure() {
    const current = this.#backpressure;
    if (current < 0 || current > 2 ** 16) {
      throw new Error(`invalid current backpressure value [${current}]`);
    }
    const newValue = Math.max(0, current - 1);
    if (newValue < 0) {
      throw new Error(`invalid new backpressure value [${newValue}], underflow`);
    }
    return this.setBackpressure(newValue);
  }
  hasBackpressure() {
    return this.#backpressure > 0;
  }
  waitForBackpressure() {
    let backpressureCleared = false;
    const cstate = this;
    cstate.addBackpressureWaiter();
    const handlerID = this.registerHandler({
      event: "backpressure-change",
      fn: (bp) => {
        if (bp === 0) {
          cstate.removeHandler(handlerID);
          backpressureCleared = true;
        }
      }
    });
    return new Promise((resolve2) => {
      const interval = setInterval(() => {
        if (backpressureCleared) {
          return;
        }
        clearInterval(interval);
        cstate.removeBackpressureWaiter();
        resolve2(null);
      }, 0);
    });
  }
  registerHandler(args) {
    const { event, fn } = args;
    if (!event) {
      throw new Error("missing handler event");
    }
    if (!fn) {
      throw new Error("missing handler fn");
    }
    if (!_ComponentAsyncState.EVENT_HANDLER_EVENTS.includes(event)) {
      throw new Error(`unrecognized event handler [${event}]`);
    }
    const handlerID = this.#nextHandlerID++;
    let handlers = this.#handlerMap.get(event);
    if (!handlers) {
      handlers = [];
      this.#handlerMap.set(event, handlers);
    }
    handlers.push({ id: handlerID, fn, event });
    return handlerID;
  }
  removeHandler(args) {
    const { event, handlerID } = args;
    const registeredHandlers = this.#handlerMap.get(event);
    if (!registeredHandlers) {
      return;
    }
    const found = registeredHandlers.find((h) => h.id === handlerID);
    if (!found) {
      return;
    }
    this.#handlerMap.set(event, this.#handlerMap.get(event).filter((h) => h.id !== handlerID));
  }
  getBackpressureWaiters() {
    return this.#backpressureWaiters;
  }
  addBackpressureWaiter() {
    this.#backpressureWaiters++;
  }
  removeBackpressureWaiter() {
    this.#backpressureWaiters--;
    if (this.#backpressureWaiters < 0) {
      throw new Error("unexepctedly negative number of backpressure waiters");
    }
  }
  // The per-slice mutual-exclusion lock for guest execution in this
  // component instance. Guest slices (callback invocations and
  // sync-lifted bodies) must be atomic per component even across the
  // JSPI suspensions jco introduces for host imports: wit-bindgen's
  // executors publish per-task state in single linear-memory cells
  // (the wasip3-task pointer, context-local storage discipline) that
  // an interleaved slice of the same component corrupts
  //
  // The lock is *owned*: acquisition records the holder task and
  // release is a no-op for anyone else, so a task exiting can no
  // longer drop a hold it does not own (blind acquire/release-any
  // was the previous discipline). Contended acquisition queues
  // FIFO; release hands the lock to the next waiter directly.
  isExclusivelyLocked() {
    return this.#lockHolderTaskID !== null;
  }
  exclusivelyLockedBy(taskID) {
    return this.#lockHolderTaskID === taskID;
  }
  exclusiveLock(taskID) {
    _debugLog2("[ComponentAsyncState#exclusiveLock()]", {
      holder: this.#lockHolderTaskID,
      requester: taskID,
      componentIdx: this.#componentIdx
    });
    if (taskID === void 0 || taskID === null) {
      throw new Error("exclusive lock requires the acquiring task id");
    }
    if (this.#lockHolderTaskID !== null) {
      throw new Error(`component [${this.#componentIdx}] exclusive lock held by task [${this.#lockHolderTaskID}], requested by [${taskID}]`);
    }
    this.#lockHolderTaskID = taskID;
  }
  // Awaitable acquisition: takes the lock immediately when free,
  // otherwise queues FIFO behind the current holder and earlier
  // waiters. The resolved promise implies ownership.
  acquireExclusiveLock(taskID) {
    if (taskID === void 0 || taskID === null) {
      throw new Error("exclusive lock requires the acquiring task id");
    }
    if (this.#lockHolderTaskID === null) {
      this.#lockHolderTaskID = taskID;
      _debugLog2("[ComponentAsyncState#acquireExclusiveLock()] acquired", {
        holder: taskID,
        componentIdx: this.#componentIdx
      });
      return;
    }
    if (this.#lockHolderTaskID === taskID) {
      throw new Error(`task [${taskID}] already holds the lock for component [${this.#componentIdx}]`);
    }
    _debugLog2("[ComponentAsyncState#acquireExclusiveLock()] waiting", {
      holder: this.#lockHolderTaskID,
      requester: taskID,
      componentIdx: this.#componentIdx,
      queued: this.#lockWaiters.length
    });
    return new Promise((resolve2) => {
      this.#lockWaiters.push({ taskID, resolve: resolve2 });
    });
  }
  exclusiveRelease(taskID) {
    _debugLog2("[ComponentAsyncState#exclusiveRelease()] args", {
      holder: this.#lockHolderTaskID,
      releaser: taskID,
      componentIdx: this.#componentIdx
    });
    if (this.#lockHolderTaskID !== taskID) {
      _debugLog2("[ComponentAsyncState#exclusiveRelease()] ignoring foreign release", {
        holder: this.#lockHolderTaskID,
        releaser: taskID,
        componentIdx: this.#componentIdx
      });
      return false;
    }
    this.#lockHolderTaskID = null;
    this.#onExclusiveReleaseHandlers = this.#onExclusiveReleaseHandlers.filter((v) => !!v);
    for (const [idx, f] of this.#onExclusiveReleaseHandlers.entries()) {
      try {
        this.#onExclusiveReleaseHandlers[idx] = null;
        f();
      } catch (err) {
        _debugLog2("error while executing handler for next exclusive release", err);
        throw err;
      }
    }
    this.#scheduleLockHandoff();
    return true;
  }
  #scheduleLockHandoff() {
    if (this.#lockHandoffScheduled || this.#lockWaiters.length === 0) {
      return;
    }
    this.#lockHandoffScheduled = true;
    queueMicrotask(() => {
      this.#lockHandoffScheduled = false;
      if (this.#lockHolderTaskID !== null) {
        this.#scheduleLockHandoff();
        return;
      }
      const next = this.#lockWaiters.shift();
      if (!next) {
        return;
      }
      this.#lockHolderTaskID = next.taskID;
      next.resolve();
    });
  }
  onNextExclusiveRelease(fn) {
    _debugLog2("[ComponentAsyncState#()onNextExclusiveRelease] registering");
    this.#onExclusiveReleaseHandlers.push(fn);
  }
  async waitForExclusiveRelease() {
    while (this.isExclusivelyLocked()) {
      await new Promise((resolve2) => this.onNextExclusiveRelease(resolve2));
    }
  }
  #getSuspendedTaskMeta(taskID) {
    return this.#suspendedTasksByTaskID.get(taskID);
  }
  #removeSuspendedTaskMeta(taskID) {
    _debugLog2("[ComponentAsyncState#removeSuspendedTaskMeta()] removing suspended task", {
      taskID,
      componentIdx: this.#componentIdx
    });
    const idx = this.#suspendedTaskIDs.findIndex((t) => t === taskID);
    const meta = this.#suspendedTasksByTaskID.get(taskID);
    this.#suspendedTaskIDs[idx] = null;
    this.#suspendedTasksByTaskID.delete(taskID);
    return meta;
  }
  #addSuspendedTaskMeta(meta) {
    if (!meta) {
      throw new Error("missing task meta");
    }
    const taskID = meta.taskID;
    this.#suspendedTasksByTaskID.set(taskID, meta);
    this.#suspendedTaskIDs.push(taskID);
    if (this.#suspendedTasksByTaskID.size < this.#suspendedTaskIDs.length - 10) {
      this.#suspendedTaskIDs = this.#suspendedTaskIDs.filter((t) => t !== null);
    }
  }
  // TODO(threads): readyFn is normally on the thread
  suspendTask(args) {
    const { task, readyFn, cancellable, onResume } = args;
    const taskID = task.id();
    const componentIdx2 = task.componentIdx();
    _debugLog2("[ComponentAsyncState#suspendTask()]", {
      taskID,
      componentIdx: this.#componentIdx,
      taskEntryFnName: task.entryFnName(),
      subtask: task.getParentSubtask()
    });
    if (componentIdx2 !== this.#componentIdx) {
      throw new Error("assert: task component idx should match async state");
    }
    if (this.#getSuspendedTaskMeta(taskID)) {
      throw new Error(`task [${taskID}] already suspended`);
    }
    let promise;
    let resume;
    if (onResume) {
      resume = () => onResume(!task.isCancelled());
    } else {
      const resolvers = promiseWithResolvers2();
      promise = resolvers.promise;
      resume = () => resolvers.resolve(!task.isCancelled());
    }
    this.#addSuspendedTaskMeta({
      task,
      taskID,
      cancellable,
      readyFn,
      resume: () => {
        _debugLog2("[ComponentAsyncState] resuming suspended task", {
          taskID,
          componentIdx: this.#componentIdx
        });
        resume();
      }
    });
    task.notifyProgress();
    this.runTickLoop();
    _checkForDeadlock2();
    return promise;
  }
  resumeTaskByID(taskID) {
    const meta = this.#removeSuspendedTaskMeta(taskID);
    if (!meta) {
      return false;
    }
    if (meta.taskID !== taskID) {
      throw new Error("task ID does not match");
    }
    meta.resume();
    return true;
  }
  suspendedTaskReady(taskID) {
    const meta = this.#getSuspendedTaskMeta(taskID);
    if (!meta) {
      return false;
    }
    if (!meta.readyFn) {
      throw new Error(`suspended task [${taskID}] is missing a readiness function`);
    }
    return meta.task.isRejected() || meta.readyFn();
  }
  suspendedTaskCancellable(taskID) {
    return !!this.#getSuspendedTaskMeta(taskID)?.cancellable;
  }
  isTaskSuspended(taskID) {
    return this.#suspendedTasksByTaskID.has(taskID);
  }
  suspendedTaskMetas() {
    return this.#suspendedTasksByTaskID.values();
  }
  addPendingTaskStart() {
    this.#pendingTaskStarts++;
  }
  removePendingTaskStart() {
    this.#pendingTaskStarts--;
  }
  hasPendingSchedulerWork() {
    if (this.#pendingTaskStarts > 0) {
      return true;
    }
    if (this.#lockHandoffScheduled) {
      return true;
    }
    for (const meta of this.#suspendedTasksByTaskID.values()) {
      if (meta.task.isRejected() || meta.readyFn()) {
        return true;
      }
    }
    return false;
  }
  async runTickLoop() {
    if (this.#tickLoop !== null) {
      return;
    }
    this.#tickLoop = 1;
    setTimeout(async () => {
      let result = this.tick();
      while (result !== _ComponentAsyncState.TickResult.DONE) {
        if (result === _ComponentAsyncState.TickResult.IDLE) {
          _checkForDeadlock2();
        }
        const delay = result === _ComponentAsyncState.TickResult.RESUMED ? 0 : 10;
        await new Promise((resolve2) => setTimeout(resolve2, delay));
        result = this.tick();
      }
      this.#tickLoop = null;
    }, 10);
  }
  tick() {
    const resumableTasks = this.#suspendedTaskIDs.filter((t) => t !== null);
    for (const taskID of resumableTasks) {
      const meta = this.#suspendedTasksByTaskID.get(taskID);
      if (!meta || !meta.readyFn) {
        throw new Error(`missing/invalid task despite ID [${taskID}] being present`);
      }
      if (meta.task.isRejected()) {
        _debugLog2("[ComponentAsyncState#tick()] detected task rejection, leaving early", { meta });
        this.resumeTaskByID(taskID);
        return _ComponentAsyncState.TickResult.RESUMED;
      }
      const isReady = meta.readyFn();
      if (!isReady) {
        continue;
      }
      _debugLog2("[ComponentAsyncState#tick()] resuming task via tick", {
        taskID,
        componentIdx: this.#componentIdx
      });
      this.resumeTaskByID(taskID);
      return _ComponentAsyncState.TickResult.RESUMED;
    }
    const idle = this.#suspendedTaskIDs.filter((t) => t !== null).length > 0;
    return idle ? _ComponentAsyncState.TickResult.IDLE : _ComponentAsyncState.TickResult.DONE;
  }
  createWaitable(args) {
    return new Waitable2({ target: args?.target });
  }
};
function getOrCreateAsyncState2(componentIdx2, init) {
  if (!ASYNC_STATE2.has(componentIdx2)) {
    const newState = new ComponentAsyncState2({ componentIdx: componentIdx2 });
    ASYNC_STATE2.set(componentIdx2, newState);
  }
  return ASYNC_STATE2.get(componentIdx2);
}
var GLOBAL_COMPONENT_MEMORY_MAP2 = /* @__PURE__ */ new Map();
function lookupMemoriesForComponent2(args) {
  const { componentIdx: componentIdx2 } = args ?? {};
  if (args.componentIdx === void 0) {
    throw new TypeError("missing component idx");
  }
  const metas = GLOBAL_COMPONENT_MEMORY_MAP2.get(componentIdx2);
  if (!metas) {
    return [];
  }
  if (args.memoryIdx === void 0) {
    return Object.values(metas);
  }
  const meta = metas[args.memoryIdx];
  return meta?.memory;
}
var AsyncSubtask2 = class _AsyncSubtask {
  static _ID = 0n;
  static State = {
    STARTING: 0,
    STARTED: 1,
    RETURNED: 2,
    CANCELLED_BEFORE_STARTED: 3,
    CANCELLED_BEFORE_RETURNED: 4
  };
  #id;
  #state = _AsyncSubtask.State.STARTING;
  #componentIdx;
  #parentTask;
  #childTask = null;
  #dropped = false;
  #cancelRequested = false;
  #memoryIdx = null;
  #lenders = null;
  #waitable = null;
  #callbackFn = null;
  #callbackFnName = null;
  #postReturnFn = null;
  #onProgressFn = null;
  #pendingEventFn = null;
  #callMetadata = {};
  #resolved = false;
  #onResolveHandlers = [];
  #onStartHandlers = [];
  #result = null;
  #resultSet = false;
  fnName;
  target;
  isAsync;
  isManualAsync;
  // One execution slice awaited by the conditional cancel trampoline.
  cancelProgress = null;
  constructor(args) {
    if (typeof args.componentIdx !== "number") {
      throw new Error("invalid componentIdx for subtask creation");
    }
    this.#componentIdx = args.componentIdx;
    this.#id = ++_AsyncSubtask._ID;
    this.fnName = args.fnName;
    if (!args.parentTask) {
      throw new Error("missing parent task during subtask creation");
    }
    this.#parentTask = args.parentTask;
    if (args.childTask) {
      this.#childTask = args.childTask;
    }
    if (args.memoryIdx) {
      this.#memoryIdx = args.memoryIdx;
    }
    if (!args.waitable) {
      throw new Error("missing/invalid waitable");
    }
    this.#waitable = args.waitable;
    if (args.callMetadata) {
      this.#callMetadata = args.callMetadata;
    }
    this.#lenders = [];
    this.target = args.target;
    this.isAsync = args.isAsync;
    this.isManualAsync = args.isManualAsync;
  }
  id() {
    return this.#id;
  }
  parentTaskID() {
    return this.#parentTask?.id();
  }
  childTaskID() {
    return this.#childTask?.id();
  }
  state() {
    return this.#state;
  }
  waitable() {
    return this.#waitable;
  }
  waitableRep() {
    return this.#waitable.idx();
  }
  join() {
    return this.#waitable.join(...arguments);
  }
  getPendingEvent() {
    return this.#waitable.getPendingEvent(...arguments);
  }
  hasPendingEvent() {
    return this.#waitable.hasPendingEvent(...arguments);
  }
  setPendingEvent() {
    return this.#waitable.setPendingEvent(...arguments);
  }
  setTarget(tgt) {
    this.target = tgt;
  }
  getResult() {
    if (!this.#resultSet) {
      throw new Error("subtask result has not been set");
    }
    return this.#result;
  }
  setResult(v) {
    if (this.#resultSet) {
      throw new Error("subtask result has already been set");
    }
    this.#result = v;
    this.#resultSet = true;
  }
  componentIdx() {
    return this.#componentIdx;
  }
  setChildTask(t) {
    if (!t) {
      throw new Error("cannot set missing/invalid child task on subtask");
    }
    if (this.#childTask) {
      throw new Error("child task is already set on subtask");
    }
    if (this.#parentTask === t) {
      throw new Error("parent cannot be child");
    }
    this.#childTask = t;
  }
  getChildTask(t) {
    return this.#childTask;
  }
  getParentTask() {
    return this.#parentTask;
  }
  setCallbackFn(f, name) {
    if (!f) {
      return;
    }
    if (this.#callbackFn) {
      throw new Error("callback fn can only be set once");
    }
    this.#callbackFn = f;
    this.#callbackFnName = name;
  }
  getCallbackFnName() {
    if (!this.#callbackFn) {
      return void 0;
    }
    return this.#callbackFn.name;
  }
  setPostReturnFn(f) {
    if (!f) {
      return;
    }
    if (this.#postReturnFn) {
      throw new Error("postReturn fn can only be set once");
    }
    this.#postReturnFn = f;
  }
  setOnProgressFn(f) {
    if (this.#onProgressFn) {
      throw new Error("on progress fn can only be set once");
    }
    this.#onProgressFn = f;
  }
  isNotStarted() {
    return this.#state == _AsyncSubtask.State.STARTING;
  }
  cancellationRequested() {
    return this.#cancelRequested;
  }
  // Request cooperative cancellation of this subtask, on behalf of the
  // supertask (i.e. `canon subtask.cancel`).
  //
  // If the callee is another guest task, the request is delivered to it and
  // the callee confirms via `task.cancel` (or still resolves via `task.return`).
  //
  // If the callee is a host function there is (currently) no host-side
  // cancellation hook, so the pending call is treated as immediately
  // cancelled -- consistent with hosts being expected to resolve
  // cancellation promptly -- and any later host resolution is discarded
  // (see `AsyncTask#onResolve`).
  requestCancellation() {
    _debugLog2("[AsyncSubtask#requestCancellation()] args", {
      componentIdx: this.#componentIdx,
      subtaskID: this.#id,
      state: this.#state,
      childTaskID: this.childTaskID(),
      fnName: this.fnName
    });
    if (this.#cancelRequested) {
      throw new Error("cancellation has already been requested for this subtask");
    }
    this.#cancelRequested = true;
    if (this.#resolved) {
      return;
    }
    if (this.#childTask) {
      this.#childTask.requestCancellation();
      return;
    }
    this.onResolve(null);
  }
  registerOnStartHandler(f) {
    this.#onStartHandlers.push(f);
  }
  onStart(args) {
    _debugLog2("[AsyncSubtask#onStart()] args", {
      componentIdx: this.#componentIdx,
      subtaskID: this.#id,
      parentTaskID: this.parentTaskID(),
      fnName: this.fnName,
      args
    });
    if (this.#onProgressFn) {
      this.#onProgressFn();
    }
    this.#parentTask.notifyProgress();
    this.#state = _AsyncSubtask.State.STARTED;
    let result;
    if (this.#callMetadata.startFn) {
      result = this.#callMetadata.startFn.apply(null, args?.startFnParams ?? []);
    }
    return result;
  }
  registerOnResolveHandler(f) {
    this.#onResolveHandlers.push(f);
  }
  reject(subtaskErr) {
    if (this.#resolved) {
      return;
    }
    if (this.#onProgressFn) {
      this.#onProgressFn();
    }
    if (this.#state === _AsyncSubtask.State.STARTING) {
      this.#state = _AsyncSubtask.State.CANCELLED_BEFORE_STARTED;
    } else if (this.#state === _AsyncSubtask.State.STARTED) {
      this.#state = _AsyncSubtask.State.CANCELLED_BEFORE_RETURNED;
    } else {
      throw new Error("cannot reject a completed subtask");
    }
    this.#resolved = true;
    this.#parentTask.removeSubtask(this);
    this.#parentTask.reject(subtaskErr);
  }
  onResolve(subtaskValue) {
    _debugLog2("[AsyncSubtask#onResolve()] args", {
      componentIdx: this.#componentIdx,
      subtaskID: this.#id,
      isAsync: this.isAsync,
      childTaskID: this.childTaskID(),
      parentTaskID: this.parentTaskID(),
      parentTaskFnName: this.#parentTask?.entryFnName(),
      fnName: this.fnName
    });
    if (this.#resolved) {
      throw new Error("subtask has already been resolved");
    }
    if (this.#onProgressFn) {
      this.#onProgressFn();
    }
    if (subtaskValue === null && this.#cancelRequested) {
      if (this.#state === _AsyncSubtask.State.STARTING) {
        this.#state = _AsyncSubtask.State.CANCELLED_BEFORE_STARTED;
      } else {
        if (this.#state !== _AsyncSubtask.State.STARTED) {
          throw new Error("resolved subtask must have been started before cancellation");
        }
        this.#state = _AsyncSubtask.State.CANCELLED_BEFORE_RETURNED;
      }
    } else {
      if (this.#state !== _AsyncSubtask.State.STARTED) {
        throw new Error("resolved subtask must have been started before completion");
      }
      this.#state = _AsyncSubtask.State.RETURNED;
    }
    this.setResult(subtaskValue);
    for (const f of this.#onResolveHandlers) {
      try {
        f(subtaskValue);
      } catch (err) {
        console.error("error during subtask resolve handler", err);
        throw err;
      }
    }
    const callMetadata = this.getCallMetadata();
    const memory = callMetadata.memory ?? this.#parentTask?.getReturnMemory() ?? lookupMemoriesForComponent2({ componentIdx: this.#parentTask?.componentIdx() })[0];
    const returned = this.#state === _AsyncSubtask.State.RETURNED;
    if (returned && callMetadata && !callMetadata.returnFn && (this.isAsync || callMetadata.funcTypeIsAsync) && callMetadata.resultPtr && memory) {
      const { resultPtr, realloc } = callMetadata;
      const lowers = callMetadata.lowers;
      if (lowers && lowers.length > 0) {
        lowers[0]({
          componentIdx: this.#componentIdx,
          memory,
          realloc,
          vals: [subtaskValue],
          storagePtr: resultPtr,
          stringEncoding: callMetadata.stringEncoding
        });
      }
    }
    this.#resolved = true;
    this.#parentTask.removeSubtask(this);
    if (!this.isAsync) {
      this.deliverResolve();
      const rep3 = this.waitableRep();
      if (rep3) {
        try {
          const removed = this.#getComponentState().handles.remove(rep3);
          if (removed !== this) {
            throw new Error("unexpectedly received non-self Subtask from handle removal");
          }
          this.drop();
        } catch (err) {
          _debugLog2("[AsyncSubtask#onResolve()] failed to remove subtask after sync subtask completion", err);
        }
      }
    }
  }
  getStateNumber() {
    return this.#state;
  }
  isReturned() {
    return this.#state === _AsyncSubtask.State.RETURNED;
  }
  getCallMetadata() {
    return this.#callMetadata;
  }
  isResolved() {
    if (this.#state === _AsyncSubtask.State.STARTING || this.#state === _AsyncSubtask.State.STARTED) {
      return false;
    }
    if (this.#state === _AsyncSubtask.State.RETURNED || this.#state === _AsyncSubtask.State.CANCELLED_BEFORE_STARTED || this.#state === _AsyncSubtask.State.CANCELLED_BEFORE_RETURNED) {
      return true;
    }
    throw new Error("unrecognized internal Subtask state [" + this.#state + "]");
  }
  addLender(handle2) {
    _debugLog2("[AsyncSubtask#addLender()] args", { handle: handle2 });
    if (!Number.isNumber(handle2)) {
      throw new Error("missing/invalid lender handle [" + handle2 + "]");
    }
    if (this.#lenders.length === 0 || this.isResolved()) {
      throw new Error("subtask has no lendors or has already been resolved");
    }
    handle2.lends++;
    this.#lenders.push(handle2);
  }
  deliverResolve() {
    _debugLog2("[AsyncSubtask#deliverResolve()] args", {
      lenders: this.#lenders,
      parentTaskID: this.parentTaskID(),
      subtaskID: this.#id,
      childTaskID: this.childTaskID(),
      resolved: this.isResolved(),
      resolveDelivered: this.resolveDelivered()
    });
    const cannotDeliverResolve = this.resolveDelivered() || !this.isResolved();
    if (cannotDeliverResolve) {
      throw new Error("subtask cannot deliver resolution twice, and the subtask must be resolved");
    }
    for (const lender of this.#lenders) {
      lender.lends--;
    }
    this.#lenders = null;
  }
  resolveDelivered() {
    _debugLog2("[AsyncSubtask#resolveDelivered()] args", {});
    if (this.#lenders === null && !this.isResolved()) {
      throw new Error("invalid subtask state, lenders missing and subtask has not been resolved");
    }
    return this.#lenders === null;
  }
  drop() {
    _debugLog2("[AsyncSubtask#drop()] args", {
      componentIdx: this.#componentIdx,
      parentTaskID: this.#parentTask?.id(),
      parentTaskFnName: this.#parentTask?.entryFnName(),
      childTaskID: this.#childTask?.id(),
      childTaskFnName: this.#childTask?.entryFnName(),
      subtaskFnName: this.fnName
    });
    if (!this.#waitable) {
      throw new Error("missing/invalid inner waitable");
    }
    if (!this.resolveDelivered()) {
      throw new Error("cannot drop a subtask which has not yet resolved");
    }
    if (this.#waitable) {
      this.#waitable.drop();
    }
    this.#dropped = true;
  }
  #getComponentState() {
    const state = getOrCreateAsyncState2(this.#componentIdx);
    if (!state) {
      throw new Error("invalid/missing async state for component [" + componentIdx + "]");
    }
    return state;
  }
  getWaitableHandleIdx() {
    _debugLog2("[AsyncSubtask#getWaitableHandleIdx()] args", {});
    if (!this.#waitable) {
      throw new Error("missing/invalid waitable");
    }
    return this.waitableRep();
  }
};
var FutureValue2 = class _FutureValue {
  #start;
  #settled;
  #hideThen = 0;
  #thenFn;
  constructor(start) {
    if (typeof start !== "function") {
      throw new TypeError("future start operation must be a function");
    }
    this.#start = start;
    this.#thenFn = this.#then.bind(this);
  }
  get then() {
    return this.#hideThen === 0 ? this.#thenFn : void 0;
  }
  #read() {
    if (!this.#settled) {
      this.#settled = Promise.resolve().then(this.#start);
    }
    return this.#settled;
  }
  resolveAsValue(resolve2) {
    this.#hideThen++;
    try {
      resolve2(this);
    } finally {
      this.#hideThen--;
    }
  }
  #deliver(resolve2, value) {
    if (value instanceof _FutureValue) {
      value.resolveAsValue(resolve2);
      return;
    }
    resolve2(value);
  }
  #then(resolve2, reject) {
    return this.#read().then(
      (box) => this.#deliver(resolve2, box.value),
      reject
    );
  }
};
var ASYNC_DETERMINISM2 = "random";
var _coinFlip2 = () => {
  return Math.random() > 0.5;
};
var ASYNC_EVENT_CODE2 = {
  NONE: 0,
  SUBTASK: 1,
  STREAM_READ: 2,
  STREAM_WRITE: 3,
  FUTURE_READ: 4,
  FUTURE_WRITE: 5,
  TASK_CANCELLED: 6
};
var CURRENT_TASK_META2 = {};
function _withGlobalCurrentTaskMeta2(args) {
  _debugLog2("[_withGlobalCurrentTaskMeta()] args", args);
  if (!args) {
    throw new TypeError("args missing");
  }
  if (args.taskID === void 0) {
    throw new TypeError("missing task ID");
  }
  if (args.componentIdx === void 0) {
    throw new TypeError("missing component idx");
  }
  if (!args.fn) {
    throw new TypeError("missing fn");
  }
  const { taskID, componentIdx: componentIdx2, fn } = args;
  const previous = CURRENT_TASK_META2[componentIdx2] ?? null;
  const previousCurrent = CURRENT_TASK_META2.current ?? null;
  try {
    CURRENT_TASK_META2.current = CURRENT_TASK_META2[componentIdx2] = { taskID, componentIdx: componentIdx2 };
    return fn();
  } catch (err) {
    _debugLog2("error while executing sync callee/callback", {
      ...args,
      err
    });
    throw err;
  } finally {
    CURRENT_TASK_META2[componentIdx2] = previous;
    CURRENT_TASK_META2.current = previousCurrent;
  }
}
async function _withGlobalCurrentTaskMetaAsync2(args) {
  _debugLog2("[_withGlobalCurrentTaskMetaAsync()] args", args);
  if (!args) {
    throw new TypeError("args missing");
  }
  if (args.taskID === void 0) {
    throw new TypeError("missing task ID");
  }
  if (args.componentIdx === void 0) {
    throw new TypeError("missing component idx");
  }
  if (!args.fn) {
    throw new TypeError("missing fn");
  }
  const { taskID, componentIdx: componentIdx2, fn } = args;
  try {
    CURRENT_TASK_META2.current = CURRENT_TASK_META2[componentIdx2] = { taskID, componentIdx: componentIdx2 };
    return await fn();
  } catch (err) {
    _debugLog2("error while executing async callee/callback", {
      ...args,
      err
    });
    throw err;
  } finally {
    CURRENT_TASK_META2[componentIdx2] = null;
    if (CURRENT_TASK_META2.current?.taskID === taskID) {
      CURRENT_TASK_META2.current = null;
    }
  }
}
var AsyncTask2 = class _AsyncTask {
  static _ID = 0n;
  static State = {
    INITIAL: "initial",
    CANCELLED: "cancelled",
    CANCEL_PENDING: "cancel-pending",
    CANCEL_DELIVERED: "cancel-delivered",
    RESOLVED: "resolved"
  };
  static BlockResult = {
    CANCELLED: "block.cancelled",
    NOT_CANCELLED: "block.not-cancelled"
  };
  #id;
  #componentIdx;
  #state;
  #isAsync;
  #isManualAsync;
  #callingWasmExport = true;
  #lockFreeEntry = false;
  #preserveFutureResult;
  #entryFnName = null;
  #onResolveHandlers = [];
  #progressWaiters = [];
  #completionPromise = null;
  #completionValue;
  #completionReady = false;
  #settleCompletionPromise;
  #rejected = false;
  #exitPromise = null;
  #onExitHandlers = [];
  #memoryIdx = null;
  #memory = null;
  #callbackFn = null;
  #callbackFnName = null;
  #postReturnFn = null;
  #getCalleeParamsFn = null;
  #calleeIsAsync = null;
  #stringEncoding = null;
  #parentSubtask = null;
  #errHandling;
  #backpressurePromise;
  #backpressureWaiters = 0n;
  #returnLowerFns = null;
  #resourceScopeId;
  #resourceBorrowCount = 0;
  #resourceLenders = [];
  #resourceScopeExited = false;
  #subtasks = [];
  #entered = false;
  #exited = false;
  #errored = null;
  cancelled = false;
  cancelRequested = false;
  alwaysTaskReturn = false;
  returnCalls = 0;
  storage = [0, 0];
  tmpRetI64HighBits = 0 | 0;
  constructor(opts) {
    this.#id = ++_AsyncTask._ID;
    this.#resourceScopeId = ++RESOURCE_SCOPE_ID2;
    RESOURCE_SCOPE_TASKS2.set(this.#resourceScopeId, this);
    if (opts?.componentIdx === void 0) {
      throw new TypeError("missing component id during task creation");
    }
    this.#componentIdx = opts.componentIdx;
    this.#state = _AsyncTask.State.INITIAL;
    this.#isAsync = opts?.isAsync ?? false;
    this.#isManualAsync = opts?.isManualAsync ?? false;
    this.#preserveFutureResult = opts?.preserveFutureResult ?? false;
    this.#entryFnName = opts.entryFnName;
    this.#callingWasmExport = opts?.callingWasmExport !== false;
    const {
      promise: completionPromise,
      resolve: resolveCompletionPromise,
      reject: rejectCompletionPromise
    } = promiseWithResolvers2();
    this.#completionPromise = completionPromise;
    completionPromise.catch(() => {
    });
    let completionSettled = false;
    const settleCompletionPromise = () => {
      if (completionSettled || !this.#completionReady) {
        return;
      }
      completionSettled = true;
      if (this.#errored !== null) {
        rejectCompletionPromise(this.#errored);
      } else if (this.#rejected) {
        rejectCompletionPromise(this.#completionValue);
      } else if (this.#preserveFutureResult && this.#completionValue instanceof FutureValue2) {
        this.#completionValue.resolveAsValue(resolveCompletionPromise);
      } else {
        resolveCompletionPromise(this.#completionValue);
      }
    };
    this.#settleCompletionPromise = settleCompletionPromise;
    this.#onResolveHandlers.push((results) => {
      if (this.#parentSubtask !== null) {
        return;
      }
      if (!this.#isAsync && !this.#isManualAsync) {
        return;
      }
      this.#completionValue = results;
      this.#completionReady = true;
    });
    const {
      promise: exitPromise,
      resolve: resolveExitPromise,
      reject: rejectExitPromise
    } = promiseWithResolvers2();
    this.#exitPromise = exitPromise;
    this.#onExitHandlers.push(() => {
      if (this.#parentSubtask === null && (this.#isAsync || this.#isManualAsync)) {
        settleCompletionPromise();
      }
      resolveExitPromise();
    });
    if (opts.callbackFn) {
      this.#callbackFn = opts.callbackFn;
    }
    if (opts.callbackFnName) {
      this.#callbackFnName = opts.callbackFnName;
    }
    if (opts.getCalleeParamsFn) {
      this.#getCalleeParamsFn = opts.getCalleeParamsFn;
    }
    if (opts.stringEncoding) {
      this.#stringEncoding = opts.stringEncoding;
    }
    if (opts.parentSubtask) {
      this.#parentSubtask = opts.parentSubtask;
    }
    if (opts.errHandling) {
      this.#errHandling = opts.errHandling;
    }
  }
  taskState() {
    return this.#state;
  }
  id() {
    return this.#id;
  }
  componentIdx() {
    return this.#componentIdx;
  }
  entryFnName() {
    return this.#entryFnName;
  }
  resourceScopeId() {
    return this.#resourceScopeId;
  }
  addBorrowedHandle() {
    if (this.#resourceScopeExited) {
      throw new Error("cannot add a borrow to an exited resource scope");
    }
    this.#resourceBorrowCount++;
  }
  removeBorrowedHandle() {
    if (this.#resourceBorrowCount === 0) {
      throw new Error("resource borrow count underflow");
    }
    this.#resourceBorrowCount--;
  }
  addResourceLender(table, handle2) {
    if (this.#resourceScopeExited) {
      throw new Error("cannot add a lender to an exited resource scope");
    }
    this.#resourceLenders.push({ table, handle: handle2 });
  }
  validateResourceBorrowScope() {
    if (this.#resourceScopeExited) {
      return;
    }
    if (this.#resourceBorrowCount !== 0) {
      throw new WebAssemblyRuntimeError2("borrow handles still remain at the end of the call");
    }
    for (const { table, handle: handle2 } of this.#resourceLenders) {
      const idx = handle2 << 1;
      const lendCount = table[idx];
      if (!Number.isInteger(lendCount) || lendCount <= 0 || lendCount >= 2 ** 30) {
        throw new Error("invalid resource lender state at scope exit");
      }
      table[idx] = lendCount - 1;
    }
    this.#resourceLenders = [];
    this.#resourceScopeExited = true;
    RESOURCE_SCOPE_TASKS2.delete(this.#resourceScopeId);
  }
  completionPromise() {
    return this.#completionPromise;
  }
  settleCompletion() {
    this.#settleCompletionPromise();
  }
  exitPromise() {
    return this.#exitPromise;
  }
  waitForProgress() {
    const { promise, resolve: resolve2 } = promiseWithResolvers2();
    this.#progressWaiters.push(resolve2);
    return promise;
  }
  notifyProgress() {
    const waiters = this.#progressWaiters;
    this.#progressWaiters = [];
    for (const resolve2 of waiters) {
      resolve2();
    }
  }
  isAsync() {
    return this.#isAsync;
  }
  isManualAsync() {
    return this.#isManualAsync;
  }
  isSync() {
    return !this.isAsync();
  }
  getErrHandling() {
    return this.#errHandling;
  }
  hasCallback() {
    return this.#callbackFn !== null;
  }
  getReturnMemoryIdx() {
    return this.#memoryIdx;
  }
  setReturnMemoryIdx(idx) {
    if (idx === null) {
      return;
    }
    this.#memoryIdx = idx;
  }
  getReturnMemory() {
    return this.#memory;
  }
  setReturnMemory(m) {
    if (m === null) {
      return;
    }
    this.#memory = m;
  }
  setReturnLowerFns(fns) {
    this.#returnLowerFns = fns;
  }
  getReturnLowerFns() {
    return this.#returnLowerFns;
  }
  setCalleeIsAsync(value) {
    if (typeof value !== "boolean") {
      throw new TypeError("callee async state must be a boolean");
    }
    this.#calleeIsAsync = value;
  }
  setParentSubtask(subtask) {
    if (!subtask || !(subtask instanceof AsyncSubtask2)) {
      return;
    }
    if (this.#parentSubtask) {
      throw new Error("parent subtask can only be set once");
    }
    this.#parentSubtask = subtask;
  }
  getParentSubtask() {
    return this.#parentSubtask;
  }
  // TODO(threads): this is very inefficient, we can pass along a root task,
  // and ideally do not need this once thread support is in place
  getRootTask() {
    let currentSubtask = this.getParentSubtask();
    let task = this;
    while (currentSubtask) {
      task = currentSubtask.getParentTask();
      currentSubtask = task.getParentSubtask();
    }
    return task;
  }
  setPostReturnFn(f) {
    if (!f) {
      return;
    }
    if (this.#postReturnFn) {
      throw new Error("postReturn fn can only be set once");
    }
    this.#postReturnFn = f;
  }
  setCallbackFn(f, name) {
    if (!f) {
      return;
    }
    if (this.#callbackFn) {
      throw new Error("callback fn can only be set once");
    }
    this.#callbackFn = f;
    this.#callbackFnName = name;
  }
  getCallbackFnName() {
    if (!this.#callbackFnName) {
      return void 0;
    }
    return this.#callbackFnName;
  }
  runCallbackFn(...args) {
    if (!this.#callbackFn) {
      throw new Error("no callback function has been set for task");
    }
    if (this.#callbackFn._jcoMaySuspend === false) {
      return _withGlobalCurrentTaskMeta2({
        taskID: this.#id,
        componentIdx: this.#componentIdx,
        fn: () => this.#callbackFn.apply(null, args)
      });
    }
    return _withGlobalCurrentTaskMetaAsync2({
      taskID: this.#id,
      componentIdx: this.#componentIdx,
      fn: () => {
        return this.#callbackFn.apply(null, args);
      }
    });
  }
  getCalleeParams() {
    if (!this.#getCalleeParamsFn) {
      throw new Error("missing/invalid getCalleeParamsFn");
    }
    return this.#getCalleeParamsFn();
  }
  // Legacy manually-async exports are sync-typed in the component
  // but use JSPI precisely so their guest stack may suspend.
  mayBlock() {
    return this.isAsync() || this.isManualAsync() || this.isResolvedState();
  }
  mayEnter(task) {
    const cstate = getOrCreateAsyncState2(this.#componentIdx);
    if (cstate.hasBackpressure()) {
      _debugLog2("[AsyncTask#mayEnter()] disallowed due to backpressure", { taskID: this.#id });
      return false;
    }
    if (!cstate.callingSyncImport()) {
      _debugLog2("[AsyncTask#mayEnter()] disallowed due to sync import call", { taskID: this.#id });
      return false;
    }
    const callingSyncExportWithSyncPending = cstate.callingSyncExport && !task.isAsync;
    if (!callingSyncExportWithSyncPending) {
      _debugLog2("[AsyncTask#mayEnter()] disallowed due to sync export w/ sync pending", { taskID: this.#id });
      return false;
    }
    return true;
  }
  enterSync() {
    if (this.needsExclusiveLock()) {
      const cstate = getOrCreateAsyncState2(this.#componentIdx);
      if (!cstate.isExclusivelyLocked()) {
        cstate.exclusiveLock(this.#id);
      } else {
        this.#lockFreeEntry = true;
        _debugLog2("[AsyncTask#enterSync()] entering without exclusive lock", {
          taskID: this.#id,
          componentIdx: this.#componentIdx
        });
      }
    }
    return true;
  }
  tryEnter() {
    if (this.#entered) {
      throw new Error(`task with ID [${this.#id}] should not be entered twice`);
    }
    if (this.deliverPendingCancel({ cancellable: true })) {
      this.cancel();
      return false;
    }
    const cstate = getOrCreateAsyncState2(this.#componentIdx);
    if (this.isSync()) {
      this.#entered = true;
      return true;
    }
    if (cstate.hasBackpressure()) {
      return null;
    }
    if (this.needsExclusiveLock()) {
      if (cstate.isExclusivelyLocked()) {
        return null;
      }
      cstate.exclusiveLock(this.#id);
    }
    if (this.deliverPendingCancel({ cancellable: true })) {
      cstate.exclusiveRelease(this.#id);
      this.cancel();
      return false;
    }
    this.#entered = true;
    return true;
  }
  async enter(opts) {
    _debugLog2("[AsyncTask#enter()] args", {
      taskID: this.#id,
      componentIdx: this.#componentIdx,
      subtaskID: this.getParentSubtask()?.id(),
      args: opts,
      entryFnName: this.#entryFnName
    });
    if (this.#entered) {
      throw new Error(`task with ID [${this.#id}] should not be entered twice`);
    }
    if (this.deliverPendingCancel({ cancellable: true })) {
      this.cancel();
      return false;
    }
    const cstate = getOrCreateAsyncState2(this.#componentIdx);
    if (opts?.isHost) {
      this.#entered = true;
      const parentTask = this.#parentSubtask?.getParentTask();
      if (parentTask?.taskState() === _AsyncTask.State.CANCEL_DELIVERED || parentTask && !parentTask.hasCallback()) {
        parentTask.notifyProgress();
      }
      return this.#entered;
    }
    if (this.isSync()) {
      this.#entered = true;
      if (this.#isManualAsync) {
        if (this.needsExclusiveLock()) {
          await cstate.acquireExclusiveLock(this.#id);
        }
      }
      return this.#entered;
    }
    if (cstate.hasBackpressure()) {
      cstate.addBackpressureWaiter();
      const result = await this.waitUntil({
        readyFn: () => {
          return !cstate.hasBackpressure();
        },
        cancellable: true
      });
      cstate.removeBackpressureWaiter();
      if (!result || this.isCancelled()) {
        if (!this.isResolvedState()) {
          this.cancel();
        }
        return false;
      }
    }
    if (this.needsExclusiveLock()) {
      await cstate.acquireExclusiveLock(this.#id);
    }
    if (this.isResolvedState() || this.isCancelled()) {
      cstate.exclusiveRelease(this.#id);
      return false;
    }
    if (this.deliverPendingCancel({ cancellable: true })) {
      cstate.exclusiveRelease(this.#id);
      this.cancel();
      return false;
    }
    this.#entered = true;
    return this.#entered;
  }
  isRunningState() {
    return this.#state !== _AsyncTask.State.RESOLVED;
  }
  isResolvedState() {
    return this.#state === _AsyncTask.State.RESOLVED;
  }
  isResolved() {
    return this.#state === _AsyncTask.State.RESOLVED;
  }
  isExited() {
    return this.#exited;
  }
  async waitUntil(opts) {
    const { readyFn, cancellable } = opts;
    _debugLog2("[AsyncTask#waitUntil()] args", { taskID: this.#id, args: { cancellable } });
    const keepGoing = await this.suspendUntil({
      readyFn,
      cancellable
    });
    return keepGoing;
  }
  async yieldUntil(opts) {
    const { readyFn, cancellable } = opts;
    _debugLog2("[AsyncTask#yieldUntil()]", {
      taskID: this.#id,
      args: {
        cancellable
      },
      componentIdx: this.#componentIdx
    });
    const keepGoing = await this.immediateSuspend({ readyFn, cancellable });
    if (keepGoing) {
      return {
        code: ASYNC_EVENT_CODE2.NONE,
        payload0: 0,
        payload1: 0
      };
    }
    return {
      code: ASYNC_EVENT_CODE2.TASK_CANCELLED,
      payload0: 0,
      payload1: 0
    };
  }
  async suspendUntil(opts) {
    const { cancellable, readyFn } = opts;
    _debugLog2("[AsyncTask#suspendUntil()] args", {
      taskID: this.#id,
      args: {
        cancellable
      },
      componentIdx: this.#componentIdx
    });
    const pendingCancelled = this.deliverPendingCancel({ cancellable });
    if (pendingCancelled) {
      return false;
    }
    const completed = await this.immediateSuspendUntil({ readyFn, cancellable });
    return completed;
  }
  suspendUntilCallback(opts, onResume) {
    const { cancellable, readyFn } = opts;
    if (this.deliverPendingCancel({ cancellable })) {
      onResume(false);
      return;
    }
    const cstate = getOrCreateAsyncState2(this.#componentIdx);
    cstate.suspendTask({
      task: this,
      cancellable,
      readyFn: () => {
        if (cancellable && this.#state === _AsyncTask.State.CANCEL_PENDING) {
          return true;
        }
        return readyFn();
      },
      onResume: (keepGoing) => {
        if (keepGoing && this.deliverPendingCancel({ cancellable })) {
          keepGoing = false;
        }
        onResume(keepGoing);
      }
    });
  }
  // TODO(threads): equivalent to thread.suspend_until()
  async immediateSuspendUntil(opts) {
    const { cancellable, readyFn } = opts;
    _debugLog2("[AsyncTask#immediateSuspendUntil()] args", {
      args: {
        cancellable,
        readyFn
      },
      taskID: this.#id,
      componentIdx: this.#componentIdx
    });
    const ready = readyFn();
    if (ready && ASYNC_DETERMINISM2 === "random") {
      const coinFlip = _coinFlip2();
      if (coinFlip) {
        return true;
      }
    }
    const keepGoing = await this.immediateSuspend({ cancellable, readyFn });
    return keepGoing;
  }
  async immediateSuspend(opts) {
    const { cancellable, readyFn } = opts;
    _debugLog2("[AsyncTask#immediateSuspend()] args", { cancellable, readyFn });
    const pendingCancelled = this.deliverPendingCancel({ cancellable });
    if (pendingCancelled) {
      return false;
    }
    const cstate = getOrCreateAsyncState2(this.#componentIdx);
    const keepGoing = await cstate.suspendTask({
      task: this,
      cancellable,
      readyFn: () => {
        if (cancellable && this.#state === _AsyncTask.State.CANCEL_PENDING) {
          return true;
        }
        return readyFn();
      }
    });
    if (keepGoing && this.deliverPendingCancel({ cancellable })) {
      return false;
    }
    return keepGoing;
  }
  deliverPendingCancel(opts) {
    const { cancellable } = opts;
    _debugLog2("[AsyncTask#deliverPendingCancel()]", {
      args: { cancellable },
      taskID: this.#id,
      componentIdx: this.#componentIdx
    });
    if (cancellable && this.#state === _AsyncTask.State.CANCEL_PENDING) {
      this.#state = _AsyncTask.State.CANCEL_DELIVERED;
      return true;
    }
    return false;
  }
  isCancelled() {
    return this.cancelled;
  }
  cancellationRequested() {
    return this.cancelRequested;
  }
  // Request cooperative cancellation of this task, called on behalf of a
  // supertask performing `subtask.cancel` on the subtask this task backs.
  //
  // The request is delivered at this task's next cancellable wait
  // (see suspendUntil/immediateSuspend), at which point the task is
  // expected to acknowledge via `task.cancel` or still resolve via
  // `task.return`.
  requestCancellation() {
    _debugLog2("[AsyncTask#requestCancellation()] args", {
      taskID: this.#id,
      componentIdx: this.#componentIdx,
      state: this.#state
    });
    if (this.isResolvedState() || this.cancelRequested) {
      return;
    }
    this.cancelRequested = true;
    if (this.#state === _AsyncTask.State.INITIAL) {
      this.#state = _AsyncTask.State.CANCEL_PENDING;
    }
    getOrCreateAsyncState2(this.#componentIdx).runTickLoop();
  }
  cancel(args) {
    _debugLog2("[AsyncTask#cancel()] args", {});
    if (this.taskState() !== _AsyncTask.State.CANCEL_DELIVERED) {
      throw new Error(`(component [${this.#componentIdx}]) task [${this.#id}] invalid task state [${this.taskState()}] for cancellation`);
    }
    this.validateResourceBorrowScope();
    this.cancelled = true;
    this.onResolve(args?.error ?? null);
    this.#state = _AsyncTask.State.RESOLVED;
    if (!this.#entered) {
      this.notifyProgress();
    }
  }
  onResolve(taskValue) {
    const handlers = this.#onResolveHandlers;
    this.#onResolveHandlers = [];
    for (const f of handlers) {
      try {
        f(taskValue);
      } catch (err) {
        _debugLog2("[AsyncTask#onResolve] error during task resolve handler", err);
        throw err;
      }
    }
    if (this.#rejected) {
      this.#parentSubtask?.reject(taskValue);
      return;
    }
    const parentSubtaskPending = this.#parentSubtask && !this.#parentSubtask.isResolved();
    const taskReturned = !this.isCancelled();
    if (parentSubtaskPending && taskReturned) {
      const meta = this.#parentSubtask.getCallMetadata();
      if (meta.returnFn && !meta.returnFnCalled) {
        _debugLog2("[AsyncTask#onResolve()] running returnFn", {
          componentIdx: this.#componentIdx,
          taskID: this.#id,
          subtaskID: this.#parentSubtask.id()
        });
        const callerTask = this.#parentSubtask.getParentTask();
        _withGlobalCurrentTaskMeta2({
          taskID: callerTask.id(),
          componentIdx: callerTask.componentIdx(),
          fn: () => meta.returnFn.apply(null, [taskValue, meta.resultPtr])
        });
        meta.returnFnCalled = true;
      }
    }
    if (this.#postReturnFn && taskReturned) {
      _debugLog2("[AsyncTask#onResolve()] running post return ", {
        componentIdx: this.#componentIdx,
        taskID: this.#id
      });
      try {
        _withGlobalCurrentTaskMeta2({
          taskID: this.#id,
          componentIdx: this.#componentIdx,
          fn: () => this.#postReturnFn(taskValue)
        });
      } catch (err) {
        _debugLog2("[AsyncTask#onResolve] error during task resolve handler", err);
        throw err;
      }
    }
    if (parentSubtaskPending) {
      this.#parentSubtask.onResolve(taskValue);
    }
  }
  registerOnResolveHandler(f) {
    this.#onResolveHandlers.push(f);
  }
  isRejected() {
    return this.#rejected;
  }
  isErrored() {
    return this.#errored;
  }
  setErrored(err) {
    if (this.#errored === null) {
      this.#errored = err;
    }
  }
  reject(taskErr) {
    _debugLog2("[AsyncTask#reject()] args", {
      componentIdx: this.#componentIdx,
      taskID: this.#id,
      parentSubtask: this.#parentSubtask,
      parentSubtaskID: this.#parentSubtask?.id(),
      entryFnName: this.entryFnName(),
      callbackFnName: this.#callbackFnName,
      errMsg: taskErr.message
    });
    this.setErrored(taskErr);
    if (this.#rejected) {
      return;
    }
    if (this.isResolvedState()) {
      this.#rejected = true;
      this.#errored = taskErr;
      const parentTask = this.#parentSubtask?.getParentTask();
      if (parentTask) {
        parentTask.reject(taskErr);
      }
      return;
    }
    this.#rejected = true;
    this.cancelRequested = true;
    this.#state = _AsyncTask.State.CANCEL_PENDING;
    const cancelled = this.deliverPendingCancel({ cancellable: true });
    this.cancel({ error: taskErr });
  }
  resolve(results) {
    _debugLog2("[AsyncTask#resolve()] args", {
      componentIdx: this.#componentIdx,
      taskID: this.#id,
      entryFnName: this.entryFnName(),
      callbackFnName: this.#callbackFnName
    });
    if (this.#state === _AsyncTask.State.RESOLVED) {
      throw new Error(`(component [${this.#componentIdx}]) task [${this.#id}]  is already resolved (did you forget to wait for an import?)`);
    }
    this.validateResourceBorrowScope();
    this.#state = _AsyncTask.State.RESOLVED;
    switch (results.length) {
      case 0:
        this.onResolve(void 0);
        break;
      case 1:
        this.onResolve(results[0]);
        break;
      default:
        _debugLog2("[AsyncTask#resolve()] unexpected number of results", {
          componentIdx: this.#componentIdx,
          results,
          taskID: this.#id,
          subtaskID: this.#parentSubtask?.id(),
          entryFnName: this.#entryFnName,
          callbackFnName: this.#callbackFnName
        });
        throw new Error("unexpected number of results");
    }
  }
  exit(args) {
    _debugLog2("[AsyncTask#exit()]", {
      componentIdx: this.#componentIdx,
      taskID: this.#id
    });
    if (this.#exited) {
      throw new Error("task has already exited");
    }
    if (this.#state !== _AsyncTask.State.RESOLVED) {
      throw new Error(`(component [${this.#componentIdx}]) task [${this.#id}] exited without resolution`);
    }
    this.validateResourceBorrowScope();
    const state = getOrCreateAsyncState2(this.#componentIdx);
    if (!state) {
      throw new Error("missing async state for component [" + this.#componentIdx + "]");
    }
    if (this.#componentIdx !== -1 && !args?.skipExclusiveLockCheck && !this.#lockFreeEntry) {
      if (this.needsExclusiveLock() && !state.exclusivelyLockedBy(this.#id)) {
        throw new Error(`task [${this.#id}] exit: component [${this.#componentIdx}] should have been exclusively locked by it`);
      }
    }
    state.exclusiveRelease(this.#id);
    this.notifyProgress();
    for (const f of this.#onExitHandlers) {
      try {
        f();
      } catch (err) {
        console.error("error during task exit handler", err);
        throw err;
      }
    }
    this.#exited = true;
    clearCurrentTask2(this.#componentIdx, this.id());
  }
  needsExclusiveLock() {
    if (this.#componentIdx === -1) {
      return false;
    }
    if (!this.#callingWasmExport) {
      return false;
    }
    return !this.#isAsync || this.hasCallback() || this.#calleeIsAsync === false;
  }
  createSubtask(args) {
    _debugLog2("[AsyncTask#createSubtask()] args", args);
    const { componentIdx: componentIdx2, childTask, callMetadata, fnName, isAsync, isManualAsync } = args;
    const cstate = getOrCreateAsyncState2(this.#componentIdx);
    if (!cstate) {
      throw new Error(`invalid/missing async state for component idx [${componentIdx2}]`);
    }
    const waitable = new Waitable2({
      componentIdx: this.#componentIdx,
      target: `subtask (internal ID [${this.#id}])`
    });
    const newSubtask = new AsyncSubtask2({
      componentIdx: componentIdx2,
      childTask,
      parentTask: this,
      callMetadata,
      isAsync,
      isManualAsync,
      fnName,
      waitable
    });
    this.#subtasks.push(newSubtask);
    newSubtask.setTarget(`subtask (internal ID [${newSubtask.id()}], waitable [${waitable.idx()}], component [${componentIdx2}])`);
    waitable.setIdx(cstate.handles.insert(newSubtask));
    waitable.setTarget(`waitable for subtask (waitable id [${waitable.idx()}], subtask internal ID [${newSubtask.id()}])`);
    return newSubtask;
  }
  getLatestSubtask() {
    return this.#subtasks.at(-1);
  }
  getSubtaskByWaitableRep(rep3) {
    if (rep3 === void 0) {
      throw new TypeError("missing rep");
    }
    return this.#subtasks.find((s) => s.waitableRep() === rep3);
  }
  currentSubtask() {
    _debugLog2("[AsyncTask#currentSubtask()]");
    if (this.#subtasks.length === 0) {
      return void 0;
    }
    return this.#subtasks.at(-1);
  }
  removeSubtask(subtask) {
    if (this.#subtasks.length === 0) {
      throw new Error("cannot end current subtask: no current subtask");
    }
    this.#subtasks = this.#subtasks.filter((t) => t !== subtask);
    return subtask;
  }
};
function createNewCurrentTask2(args) {
  _debugLog2("[createNewCurrentTask()] args", args);
  const {
    componentIdx: componentIdx2,
    isAsync,
    isManualAsync,
    preserveFutureResult,
    entryFnName,
    parentSubtaskID,
    callbackFnName,
    getCallbackFn,
    getParamsFn,
    stringEncoding,
    errHandling,
    getCalleeParamsFn,
    resultPtr,
    callingWasmExport
  } = args;
  if (componentIdx2 === void 0 || componentIdx2 === null) {
    throw new Error("missing/invalid component instance index while starting task");
  }
  let taskMetas = ASYNC_TASKS_BY_COMPONENT_IDX2.get(componentIdx2);
  const callbackFn = getCallbackFn ? getCallbackFn() : null;
  const newTask = new AsyncTask2({
    componentIdx: componentIdx2,
    isAsync,
    isManualAsync,
    preserveFutureResult,
    entryFnName,
    callbackFn,
    callbackFnName,
    stringEncoding,
    getCalleeParamsFn,
    resultPtr,
    errHandling,
    callingWasmExport
  });
  const newTaskID = newTask.id();
  const newTaskMeta = { id: newTaskID, componentIdx: componentIdx2, task: newTask };
  ASYNC_CURRENT_TASK_IDS2.push(newTaskID);
  ASYNC_CURRENT_COMPONENT_IDXS2.push(componentIdx2);
  if (!taskMetas) {
    taskMetas = [newTaskMeta];
    ASYNC_TASKS_BY_COMPONENT_IDX2.set(componentIdx2, [newTaskMeta]);
  } else {
    taskMetas.push(newTaskMeta);
  }
  return [newTask, newTaskID];
}
function _checkMayLeave2(componentIdx2) {
  if (INSTANCE_FLAGS2.get(componentIdx2)?.value !== 1) {
    throw new WebAssemblyRuntimeError2("cannot leave component instance");
  }
}
function _getGlobalCurrentTaskMeta2(componentIdx2) {
  const v = componentIdx2 === void 0 || componentIdx2 === null ? CURRENT_TASK_META2.current : CURRENT_TASK_META2[componentIdx2];
  if (v === void 0 || v === null) {
    return void 0;
  }
  return { ...v };
}
function _setGlobalCurrentTaskMeta2(args) {
  if (!args) {
    throw new TypeError("args missing");
  }
  if (args.taskID === void 0) {
    throw new TypeError("missing task ID");
  }
  if (args.componentIdx === void 0) {
    throw new TypeError("missing component idx");
  }
  const { taskID, componentIdx: componentIdx2 } = args;
  return CURRENT_TASK_META2.current = CURRENT_TASK_META2[componentIdx2] = { taskID, componentIdx: componentIdx2 };
}
async function _clearCurrentTask2(args) {
  _debugLog2("[_clearCurrentTask()] args", args);
  if (!args) {
    throw new TypeError("args missing");
  }
  if (args.taskID === void 0) {
    throw new TypeError("missing task ID");
  }
  if (args.componentIdx === void 0) {
    throw new TypeError("missing component idx");
  }
  const { taskID, componentIdx: componentIdx2 } = args;
  const meta = CURRENT_TASK_META2[componentIdx2];
  if (!meta) {
    throw new Error(`missing current task meta for component idx [${componentIdx2}]`);
  }
  if (meta.taskID !== taskID) {
    throw new Error(`task ID [${meta.taskID}] != requested ID [${taskID}]`);
  }
  if (meta.componentIdx !== componentIdx2) {
    throw new Error(`component idx [${meta.componentIdx}] != requested idx [${componentIdx2}]`);
  }
  CURRENT_TASK_META2[componentIdx2] = null;
  if (CURRENT_TASK_META2.current?.taskID === taskID) {
    CURRENT_TASK_META2.current = null;
  }
}
function _lowerImportBackwardsCompat2(args) {
  const params = [...arguments].slice(1);
  _debugLog2("[_lowerImportBackwardsCompat()] args", { args, params });
  const {
    functionIdx,
    componentIdx: componentIdx2,
    isAsync,
    isManualAsync,
    paramLiftFns,
    resultLowerFns,
    hasResultPointer,
    funcTypeIsAsync,
    metadata,
    memoryIdx,
    getMemoryFn,
    getReallocFn,
    importFn,
    stringEncoding
  } = args;
  _checkMayLeave2(componentIdx2);
  let meta = _getGlobalCurrentTaskMeta2(componentIdx2);
  let createdTask;
  if (!meta) {
    if (funcTypeIsAsync || isAsync && !isManualAsync) {
      throw new Error("p3 async wasm exports cannot use backwards compat auto-task init");
    }
    const [newTask, newTaskID] = createNewCurrentTask2({
      componentIdx: componentIdx2,
      isAsync,
      isManualAsync,
      callingWasmExport: false
    });
    createdTask = newTask;
    createdTask.registerOnResolveHandler(() => {
      _clearCurrentTask2({
        taskID: task.id(),
        componentIdx: task.componentIdx()
      });
    });
    _setGlobalCurrentTaskMeta2({
      componentIdx: componentIdx2,
      taskID: newTaskID
    });
    meta = _getGlobalCurrentTaskMeta2(componentIdx2);
  }
  const { taskID } = meta;
  const taskMeta = getCurrentTask2(componentIdx2, taskID);
  if (!taskMeta) {
    throw new Error("invalid/missing async task meta");
  }
  const task = taskMeta.task;
  if (!task) {
    throw new Error("invalid/missing async task");
  }
  const cstate = getOrCreateAsyncState2(componentIdx2);
  if (!task.mayBlock() && funcTypeIsAsync && !isAsync) {
    throw new Error("non async exports cannot synchronously call async functions");
  }
  const memory = getMemoryFn();
  const resultPtr = hasResultPointer ? params[params.length - 1] : void 0;
  const subtask = task.createSubtask({
    componentIdx: componentIdx2,
    parentTask: task,
    fnName: importFn.fnName,
    isAsync,
    isManualAsync,
    callMetadata: {
      memoryIdx,
      memory,
      realloc: getReallocFn?.(),
      getReallocFn,
      resultPtr,
      lowers: resultLowerFns,
      funcTypeIsAsync,
      stringEncoding
    }
  });
  task.setReturnMemoryIdx(memoryIdx);
  task.setReturnMemory(getMemoryFn());
  subtask.onStart();
  if (!isManualAsync && !isAsync && !funcTypeIsAsync) {
    if (createdTask) {
      createdTask.enterSync();
    }
    const res = importFn(...params);
    if (!funcTypeIsAsync && !subtask.isReturned()) {
      throw new Error("post-execution subtasks must either be async or returned");
    }
    const syncRes = subtask.getResult();
    if (createdTask) {
      createdTask.resolve([syncRes]);
    }
    return syncRes;
  }
  if (!isManualAsync && !isAsync && funcTypeIsAsync) {
    const { promise, resolve: resolve2, reject } = promiseWithResolvers2();
    queueMicrotask(async () => {
      try {
        await importFn(...params);
        if (!subtask.isResolved()) {
          await task.suspendUntil({ readyFn: () => subtask.isResolved() });
        }
        resolve2(subtask.getResult());
      } catch (err) {
        reject(err);
      }
    });
    return promise;
  }
  const subtaskState = subtask.getStateNumber();
  if (subtaskState < 0 || subtaskState >= 2 ** 4) {
    throw new Error("invalid subtask state, out of valid range");
  }
  subtask.setOnProgressFn(() => {
    subtask.setPendingEvent(() => {
      if (subtask.isResolved()) {
        subtask.deliverResolve();
      }
      const event = {
        code: ASYNC_EVENT_CODE2.SUBTASK,
        payload0: subtask.waitableRep(),
        payload1: subtask.getStateNumber()
      };
      return event;
    });
  });
  const requiresManualAsyncResult = !isAsync && !funcTypeIsAsync && isManualAsync;
  let manualAsyncResult;
  if (requiresManualAsyncResult) {
    manualAsyncResult = promiseWithResolvers2();
  }
  queueMicrotask(async () => {
    try {
      _debugLog2("[_lowerImportBackwardsCompat()] calling lowered import", { importFn, params });
      if (createdTask) {
        await createdTask.enter();
      }
      const asyncRes = await importFn(...params);
      if (requiresManualAsyncResult) {
        manualAsyncResult.resolve(subtask.getResult());
      }
      if (createdTask) {
        createdTask.resolve([asyncRes]);
      }
    } catch (err) {
      _debugLog2("[_lowerImportBackwardsCompat()] import fn error:", err);
      if (requiresManualAsyncResult) {
        manualAsyncResult.reject(err);
        return;
      }
      task.setErrored(err);
      task.reject(err);
    }
  });
  if (requiresManualAsyncResult) {
    return manualAsyncResult.promise;
  }
  _debugLog2("[_lowerImportBackwardsCompat()] async-lowered import return", {
    fnName: importFn.fnName,
    componentIdx: componentIdx2,
    subtaskID: subtask.id(),
    waitableRep: subtask.waitableRep(),
    subtaskState,
    packedResult: Number(subtask.waitableRep()) << 4 | subtaskState
  });
  return Number(subtask.waitableRep()) << 4 | subtaskState;
}
var CURRENT_TASK_MAY_BLOCK2 = globalThis.WebAssembly ? new globalThis.WebAssembly.Global({ value: "i32", mutable: true }, 0) : false;
function _liftFlatU82(ctx) {
  _debugLog2("[_liftFlatU8()] args", { ctx });
  let val;
  if (ctx.useDirectParams) {
    if (ctx.params.length === 0) {
      throw new Error("expected at least a single i32 argument");
    }
    val = ctx.params[0];
    ctx.params = ctx.params.slice(1);
    return [val, ctx];
  }
  if (ctx.storageLen !== void 0 && ctx.storageLen < 1) {
    throw new Error(`insufficient storage ([${ctx.storageLen}] bytes) for lift (u8 requires 1 byte)`);
  }
  val = new DataView(ctx.memory.buffer).getUint8(ctx.storagePtr, true);
  ctx.storagePtr += 1;
  if (ctx.storageLen !== void 0) {
    ctx.storageLen -= 1;
  }
  return [val, ctx];
}
function _liftFlatU162(ctx) {
  _debugLog2("[_liftFlatU16()] args", { ctx });
  let val;
  if (ctx.useDirectParams) {
    if (ctx.params.length === 0) {
      throw new Error("expected at least a single i32 argument");
    }
    val = ctx.params[0];
    ctx.params = ctx.params.slice(1);
    return [val, ctx];
  }
  if (ctx.storageLen !== void 0 && ctx.storageLen < 2) {
    throw new Error(`insufficient storage ([${ctx.storageLen}] bytes) for lift (u16 requires 2 bytes)`);
  }
  val = new DataView(ctx.memory.buffer).getUint16(ctx.storagePtr, true);
  ctx.storagePtr += 2;
  if (ctx.storageLen !== void 0) {
    ctx.storageLen -= 2;
  }
  const rem = ctx.storagePtr % 2;
  if (rem !== 0) {
    ctx.storagePtr += 2 - rem;
  }
  return [val, ctx];
}
function _liftFlatU322(ctx) {
  _debugLog2("[_liftFlatU32()] args", { ctx });
  let val;
  if (ctx.useDirectParams) {
    if (ctx.params.length === 0) {
      throw new Error("expected at least a single i34 argument");
    }
    val = ctx.params[0] >>> 0;
    ctx.params = ctx.params.slice(1);
    return [val, ctx];
  }
  if (ctx.storageLen !== void 0 && ctx.storageLen < 4) {
    throw new Error(`insufficient storage ([${ctx.storageLen}] bytes) for lift (u32 requires 4 bytes)`);
  }
  val = new DataView(ctx.memory.buffer).getUint32(ctx.storagePtr, true);
  ctx.storagePtr += 4;
  if (ctx.storageLen !== void 0) {
    ctx.storageLen -= 4;
  }
  return [val, ctx];
}
function _liftFlatU642(ctx) {
  _debugLog2("[_liftFlatU64()] args", { ctx });
  let val;
  if (ctx.useDirectParams) {
    if (ctx.params.length === 0) {
      throw new Error("expected at least one single i64 argument");
    }
    if (typeof ctx.params[0] !== "bigint") {
      throw new Error("expected bigint");
    }
    val = BigInt.asUintN(64, ctx.params[0]);
    ctx.params = ctx.params.slice(1);
    return [val, ctx];
  }
  if (ctx.storageLen !== void 0 && ctx.storageLen < 8) {
    throw new Error(`insufficient storage ([${ctx.storageLen}] bytes) for lift (u64 requires 8 bytes)`);
  }
  val = new DataView(ctx.memory.buffer).getBigUint64(ctx.storagePtr, true);
  ctx.storagePtr += 8;
  if (ctx.storageLen !== void 0) {
    ctx.storageLen -= 8;
  }
  return [val, ctx];
}
function _liftFlatStringUTF82(ctx) {
  _debugLog2("[_liftFlatStringUTF8()] args", { ctx });
  let val;
  if (ctx.useDirectParams) {
    if (ctx.params.length < 2) {
      throw new Error("expected at least two u32 arguments");
    }
    let offset = ctx.params[0];
    if (typeof offset === "bigint") {
      offset = Number(offset);
    }
    if (!Number.isSafeInteger(offset)) {
      throw new Error("invalid offset");
    }
    const len = ctx.params[1];
    if (!Number.isSafeInteger(len)) {
      throw new Error("invalid len");
    }
    val = TEXT_DECODER_UTF82.decode(new DataView(ctx.memory.buffer, offset, len));
    ctx.params = ctx.params.slice(2);
    return [val, ctx];
  }
  const rem = ctx.storagePtr % 4;
  if (rem !== 0) {
    ctx.storagePtr += 4 - rem;
  }
  const dv3 = new DataView(ctx.memory.buffer);
  const start = dv3.getUint32(ctx.storagePtr, true);
  const codeUnits = dv3.getUint32(ctx.storagePtr + 4, true);
  val = TEXT_DECODER_UTF82.decode(new Uint8Array(ctx.memory.buffer, start, codeUnits));
  ctx.storagePtr += 8;
  if (ctx.storageLen !== void 0) {
    ctx.storagelen -= 8;
  }
  return [val, ctx];
}
function _liftFlatStringUTF162(ctx) {
  _debugLog2("[_liftFlatStringUTF16()] args", { ctx });
  let val;
  if (ctx.useDirectParams) {
    if (ctx.params.length < 2) {
      throw new Error("expected at least two u32 arguments");
    }
    let offset = ctx.params[0];
    if (typeof offset === "bigint") {
      offset = Number(offset);
    }
    if (!Number.isSafeInteger(offset)) {
      throw new Error("invalid offset");
    }
    const len = ctx.params[1];
    if (!Number.isSafeInteger(len)) {
      throw new Error("invalid len");
    }
    val = utf16Decoder2.decode(new DataView(ctx.memory.buffer, offset, len));
    ctx.params = ctx.params.slice(2);
    return [val, ctx];
  }
  const data = new DataView(ctx.memory.buffer);
  const start = data.getUint32(ctx.storagePtr, vals[0], true);
  const codeUnits = data.getUint32(ctx.storagePtr, vals[0] + 4, true);
  val = utf16Decoder2.decode(new Uint16Array(ctx.memory.buffer, start, codeUnits));
  ctx.storagePtr = ctx.storagePtr + 2 * codeUnits;
  if (ctx.storageLen !== void 0) {
    ctx.storageLen = ctx.storageLen - 2 * codeUnits;
  }
  return [val, ctx];
}
function _liftFlatStringAny2(ctx) {
  switch (ctx.stringEncoding) {
    case "utf8":
      return _liftFlatStringUTF82(ctx);
    case "utf16":
      return _liftFlatStringUTF162(ctx);
    default:
      throw new Error(`missing/unrecognized/unsupported string encoding [${ctx.stringEncoding}]`);
  }
}
var _liftFlatVariantScratch2 = new DataView(new ArrayBuffer(8));
function _liftFlatVariant2(meta) {
  const {
    caseMetas,
    variantSize32,
    variantAlign32,
    variantPayloadOffset32,
    variantFlatCount,
    variantPayloadFlatTypes,
    isEnum
  } = meta;
  return function _liftFlatVariantInner(ctx) {
    _debugLog2("[_liftFlatVariant()] args", { ctx });
    const origUseParams = ctx.useDirectParams;
    let caseIdx;
    let liftRes;
    const originalPtr = ctx.storagePtr;
    const numCases = caseMetas.length;
    if (caseMetas.length < 256) {
      liftRes = _liftFlatU82(ctx);
    } else if (numCases >= 256 && numCases < 65536) {
      liftRes = _liftFlatU162(ctx);
    } else if (numCases >= 65536 && numCases < 4294967296) {
      liftRes = _liftFlatU322(ctx);
    } else {
      throw new Error(`unsupported number of variant cases [${numCases}]`);
    }
    caseIdx = liftRes[0];
    ctx = liftRes[1];
    const [
      tag,
      liftFn,
      caseSize32,
      caseAlign32,
      caseFlatCount,
      caseFlatTypes
    ] = caseMetas[caseIdx];
    if (variantPayloadOffset32 === void 0) {
      throw new Error("unexpectedly missing payload offset");
    }
    if (originalPtr !== void 0) {
      ctx.storagePtr = originalPtr + variantPayloadOffset32;
    }
    let val;
    if (liftFn === null) {
      val = { tag };
      if (originalPtr !== void 0) {
        ctx.storagePtr = originalPtr + variantSize32;
      }
    } else {
      if (ctx.useDirectParams) {
        if (!variantPayloadFlatTypes || !caseFlatTypes) {
          throw new Error("missing variant flat type metadata during direct-param lift");
        }
        const scratch = _liftFlatVariantScratch2;
        for (let i = 0; i < caseFlatTypes.length; i++) {
          const have = variantPayloadFlatTypes[i];
          const want = caseFlatTypes[i];
          if (have === want) {
            continue;
          }
          const val2 = ctx.params[i];
          if (have === "i64" && want === "i32") {
            ctx.params[i] = Number(BigInt.asIntN(32, val2));
          } else if (have === "i64" && want === "f32") {
            scratch.setInt32(0, Number(BigInt.asIntN(32, val2)), true);
            ctx.params[i] = scratch.getFloat32(0, true);
          } else if (have === "i64" && want === "f64") {
            scratch.setBigInt64(0, val2, true);
            ctx.params[i] = scratch.getFloat64(0, true);
          } else if (have === "i32" && want === "f32") {
            scratch.setInt32(0, val2, true);
            ctx.params[i] = scratch.getFloat32(0, true);
          } else {
            throw new Error(`invalid variant payload coercion [${have}] -> [${want}]`);
          }
        }
      }
      const [newVal, newCtx] = liftFn(ctx);
      val = { tag, val: newVal };
      ctx = newCtx;
    }
    if (origUseParams) {
      if (variantFlatCount === void 0 || variantFlatCount === null) {
        _debugLog2("[_liftFlatVariant()] variant with unknown flat count", { ctx, meta });
        throw new Error("cannot lift variant with unknown flat count");
      }
      if (caseFlatCount === void 0 || caseFlatCount === null) {
        _debugLog2("[_liftFlatVariant()] case with unknown flat count", { ctx, meta, case: meta.caseMetas[caseIdx] });
        throw new Error("cannot lift case with unknown flat count");
      }
      const remainingPayloadParams = variantFlatCount - caseFlatCount - (isEnum ? 0 : 1);
      if (remainingPayloadParams < 0) {
        throw new Error(`invalid variant flat count metadata`);
      }
      if (ctx.params.length < remainingPayloadParams) {
        throw new Error(`expected at least [${remainingPayloadParams}] remaining variant payload params, but got [${ctx.params.length}]`);
      }
      ctx.params = ctx.params.slice(remainingPayloadParams);
    }
    if (ctx.storagePtr !== void 0) {
      const rem = ctx.storagePtr % variantAlign32;
      if (rem !== 0) {
        ctx.storagePtr += variantAlign32 - rem;
      }
    }
    return [val, ctx];
  };
}
function _liftFlatList2(meta) {
  const { elemLiftFn, elemSize32, elemAlign32, knownLen, typedArray } = meta;
  const listValue = typedArray === void 0 ? (values) => values : (values) => new typedArray(values);
  const readValuesAndReset = (ctx, originalPtr, originalLen, dataPtr, len) => {
    if (dataPtr % elemAlign32 !== 0) {
      throw new TypeError(`list pointer [${dataPtr}] is not aligned to ${elemAlign32}`);
    }
    ctx.storagePtr = dataPtr;
    const val = [];
    for (var i = 0; i < len; i++) {
      const elemPtr = dataPtr + i * elemSize32;
      ctx.storagePtr = elemPtr;
      const [res, nextCtx] = elemLiftFn(ctx);
      val.push(res);
      ctx = nextCtx;
      ctx.storagePtr = Math.max(ctx.storagePtr, elemPtr + elemSize32);
    }
    if (originalPtr !== null) {
      ctx.storagePtr = originalPtr;
    }
    if (originalLen !== null) {
      ctx.storageLen = originalLen;
    }
    return [listValue(val), ctx];
  };
  return function _liftFlatListInner(ctx) {
    _debugLog2("[_liftFlatList()] args", { ctx });
    let liftResults;
    if (knownLen !== void 0) {
      if (ctx.useDirectParams) {
        _debugLog2("memory unexpectedly missing while lifting unknown length list", { ctx });
        liftResults = [listValue(ctx.params.slice(0, knownLen)), ctx];
        ctx.params = ctx.params.slice(knownLen);
      } else {
        if (ctx.memory === null) {
          _debugLog2("memory unexpectedly missing while lifting known length list", { knownLen, ctx });
          throw new Error(`memory missing while lifting known length (${knownLen}) list`);
        }
        const originalLen = ctx.storageLen;
        const originalPtr = ctx.storagePtr;
        ctx.storageLen = knownLen * elemSize32;
        liftResults = readValuesAndReset(ctx, null, originalLen, ctx.storagePtr, knownLen);
      }
    } else {
      if (ctx.useDirectParams) {
        const dataPtr = ctx.params[0];
        const len = ctx.params[1];
        ctx.params = ctx.params.slice(2);
        ctx.useDirectParams = false;
        const originalPtr = ctx.storagePtr;
        const originalLen = ctx.storageLen;
        ctx.storageLen = len * elemSize32;
        liftResults = readValuesAndReset(ctx, originalPtr, originalLen, dataPtr, len);
        ctx.useDirectParams = true;
      } else {
        const originalLen = ctx.storageLen;
        ctx.storageLen = 8;
        const dataPtrLiftRes = _liftFlatU322(ctx);
        const dataPtr = dataPtrLiftRes[0];
        ctx = dataPtrLiftRes[1];
        const lenLiftRes = _liftFlatU322(ctx);
        const len = lenLiftRes[0];
        ctx = lenLiftRes[1];
        const originalPtr = ctx.storagePtr;
        ctx.storagePtr = dataPtr;
        ctx.storageLen = len * elemSize32;
        liftResults = readValuesAndReset(ctx, originalPtr, originalLen, dataPtr, len);
      }
    }
    return liftResults;
  };
}
function _liftFlatFlags2(meta) {
  const { names, size32, align32, intSizeBytes } = meta;
  return function _liftFlatFlagsInner(ctx) {
    _debugLog2("[_liftFlatFlags()] args", { ctx });
    let val = {};
    let liftRes;
    let align;
    switch (intSizeBytes) {
      case 1:
        liftRes = _liftFlatU82(ctx);
        break;
      case 2:
        liftRes = _liftFlatU162(ctx);
        break;
      case 4:
        liftRes = _liftFlatU322(ctx);
        break;
      default:
        throw new Error("invalid flags size");
    }
    let bits = liftRes[0];
    ctx = liftRes[1];
    for (const name of names) {
      val[name] = (bits & 1) === 1;
      bits >>>= 1;
    }
    const rem = ctx.storagePtr % align32;
    if (rem !== 0) {
      ctx.storagePtr += align32 - rem;
    }
    return [val, ctx];
  };
}
function _liftFlatResult2(meta) {
  const f = _liftFlatVariant2(meta);
  return function _liftFlatResultInner(ctx) {
    _debugLog2("[_liftFlatResult()] args", { ctx });
    const res = f(ctx);
    if (!("val" in res[0])) {
      res[0].val = void 0;
    }
    return res;
  };
}
function _liftFlatBorrow2(componentTableIdx, size, memory, vals2, storagePtr, storageLen) {
  _debugLog2("[_liftFlatBorrow()] args", { size, memory, vals: vals2, storagePtr, storageLen });
  throw new Error("flat lift for borrowed resources is not supported!");
}
function _lowerFlatU82(ctx) {
  _debugLog2("[_lowerFlatU8()] args", ctx);
  if (ctx.vals.length !== 1) {
    throw new Error(`unexpected number [${ctx.vals.length}] of vals (expected 1)`);
  }
  _requireValidNumericPrimitive2.bind("u8", ctx.vals[0]);
  if (!ctx.memory) {
    throw new Error("missing memory for lower");
  }
  new DataView(ctx.memory.buffer).setUint8(ctx.storagePtr, ctx.vals[0]);
  ctx.storagePtr += 1;
}
function _lowerFlatU162(ctx) {
  _debugLog2("[_lowerFlatU16()] args", { ctx });
  if (!ctx.memory) {
    throw new Error("missing memory for lower");
  }
  if (ctx.vals.length !== 1) {
    throw new Error(`unexpected number [${ctx.vals.length}] of vals (expected 1)`);
  }
  const rem = ctx.storagePtr % 2;
  if (rem !== 0) {
    ctx.storagePtr += 2 - rem;
  }
  _requireValidNumericPrimitive2.bind("u16", ctx.vals[0]);
  new DataView(ctx.memory.buffer).setUint16(ctx.storagePtr, ctx.vals[0], true);
  ctx.storagePtr += 2;
}
function _lowerFlatU322(ctx) {
  _debugLog2("[_lowerFlatU32()] args", { ctx });
  if (ctx.vals.length !== 1) {
    throw new Error(`expected single value to lower, got [${ctx.vals.length}]`);
  }
  const rem = ctx.storagePtr % 4;
  if (rem !== 0) {
    ctx.storagePtr += 4 - rem;
  }
  _requireValidNumericPrimitive2.bind("u32", ctx.vals[0]);
  new DataView(ctx.memory.buffer).setUint32(ctx.storagePtr, ctx.vals[0], true);
  ctx.storagePtr += 4;
}
function _lowerFlatU642(ctx) {
  _debugLog2("[_lowerFlatU64()] args", { ctx });
  if (ctx.vals.length !== 1) {
    throw new Error("unexpected number of vals");
  }
  const rem = ctx.storagePtr % 8;
  if (rem !== 0) {
    ctx.storagePtr += 8 - rem;
  }
  _requireValidNumericPrimitive2.bind("u64", ctx.vals[0]);
  new DataView(ctx.memory.buffer).setBigUint64(ctx.storagePtr, ctx.vals[0], true);
  ctx.storagePtr += 8;
}
function _lowerFlatStringUTF82(ctx) {
  _debugLog2("[_lowerFlatStringUTF8()] args", ctx);
  if (!ctx.realloc) {
    throw new Error("missing realloc during flat string lower");
  }
  const { ptr, len } = _utf8AllocateAndEncode2(ctx.vals[0], ctx.realloc, ctx.memory);
  const view = new DataView(ctx.memory.buffer);
  view.setUint32(ctx.storagePtr, ptr, true);
  view.setUint32(ctx.storagePtr + 4, len, true);
  ctx.storagePtr += 8;
}
function _lowerFlatStringUTF162(ctx) {
  _debugLog2("[_lowerFlatStringUTF16()] args", { ctx });
  if (!ctx.realloc) {
    throw new Error("missing realloc during flat string lower");
  }
  const { ptr, len } = _utf16AllocateAndEncode2(ctx.vals[0], ctx.realloc, ctx.memory);
  const view = new DataView(ctx.memory.buffer);
  view.setUint32(ctx.storagePtr, ptr, true);
  view.setUint32(ctx.storagePtr + 4, len, true);
  ctx.storagePtr += 8;
}
function _lowerFlatStringAny2(ctx) {
  switch (ctx.stringEncoding) {
    case "utf8":
      return _lowerFlatStringUTF82(ctx);
    case "utf16":
      return _lowerFlatStringUTF162(ctx);
    default:
      throw new Error(`missing/unrecognized/unsupported string encoding [${ctx.stringEncoding}]`);
  }
}
function _lowerFlatRecord2(meta) {
  const { fieldMetas, size32: recordSize32, align32: recordAlign32 } = meta;
  return function _lowerFlatRecordInner(ctx) {
    _debugLog2("[_lowerFlatRecord()] args", { ctx });
    const originalPtr = ctx.storagePtr;
    const r = ctx.vals[0];
    for (const [tag, lowerFn, size32, align32] of fieldMetas) {
      const rem2 = ctx.storagePtr % align32;
      if (rem2 !== 0) {
        ctx.storagePtr += align32 - rem2;
      }
      const fieldPtr = ctx.storagePtr;
      ctx.vals = [r[tag]];
      lowerFn(ctx);
      ctx.storagePtr = Math.max(ctx.storagePtr, fieldPtr + size32);
    }
    ctx.storagePtr = Math.max(ctx.storagePtr, originalPtr + recordSize32);
    const rem = ctx.storagePtr % recordAlign32;
    if (rem !== 0) {
      ctx.storagePtr += recordAlign32 - rem;
    }
  };
}
function _lowerFlatVariant2(meta) {
  const { variantSize32, variantAlign32, variantPayloadOffset32, caseMetas } = meta;
  let caseLookup = {};
  for (const [idx, meta2] of caseMetas.entries()) {
    let tag = meta2[0];
    caseLookup[tag] = { discriminant: idx, meta: meta2 };
  }
  return function _lowerFlatVariantInner(ctx) {
    _debugLog2("[_lowerFlatVariant()] args", { ctx });
    const { tag, val } = ctx.vals[0];
    const variantCase = caseLookup[tag];
    if (!variantCase) {
      throw new Error(`missing tag [${tag}] (valid tags: ${Object.keys(caseLookup)})`);
    }
    const [_tag, lowerFn, caseSize32, caseAlign32, caseFlatCount] = variantCase.meta;
    const originalPtr = ctx.storagePtr;
    ctx.vals = [variantCase.discriminant];
    let discLowerRes;
    if (caseMetas.length < 256) {
      discLowerRes = _lowerFlatU82(ctx);
    } else if (caseMetas.length >= 256 && caseMetas.length < 65536) {
      discLowerRes = _lowerFlatU162(ctx);
    } else if (caseMetas.length >= 65536 && caseMetas.length < 4294967296) {
      discLowerRes = _lowerFlatU322(ctx);
    } else {
      throw new Error(`unsupported number of cases [${caseMetas.length}]`);
    }
    const payloadOffsetPtr = originalPtr + variantPayloadOffset32;
    ctx.storagePtr = payloadOffsetPtr;
    ctx.vals = [val];
    if (lowerFn) {
      lowerFn(ctx);
    }
    ctx.storagePtr = Math.max(ctx.storagePtr, originalPtr + variantSize32);
    const rem = ctx.storagePtr % variantAlign32;
    if (rem !== 0) {
      ctx.storagePtr += variantAlign32 - rem;
    }
  };
}
function _lowerFlatList2(meta) {
  const {
    elemLowerFn,
    knownLen,
    size32,
    align32,
    elemSize32,
    elemAlign32
  } = meta;
  if (!elemLowerFn) {
    throw new TypeError("missing/invalid element lower fn for list");
  }
  return function _lowerFlatListInner(ctx) {
    _debugLog2("[_lowerFlatList()] args", { ctx });
    if (ctx.useDirectParams) {
      if (ctx.params.length < 2) {
        throw new Error("insufficient params left to lower list");
      }
      const storagePtr = ctx.params[0];
      const elemCount = ctx.params[1];
      ctx.params = ctx.params.slice(2);
      const list = ctx.vals[0];
      if (!list) {
        throw new Error("missing direct param value");
      }
      const lowerCtx = {
        storagePtr,
        memory: ctx.memory,
        stringEncoding: ctx.stringEncoding
      };
      for (let idx = 0; idx < list.length; idx++) {
        const elemPtr = storagePtr + idx * elemSize32;
        lowerCtx.storagePtr = elemPtr;
        lowerCtx.vals = list.slice(idx, idx + 1);
        elemLowerFn(lowerCtx);
        lowerCtx.storagePtr = Math.max(lowerCtx.storagePtr, elemPtr + elemSize32);
      }
      ctx.storagePtr = lowerCtx.storagePtr;
      return;
    }
    const elems = ctx.vals[0];
    if (knownLen === void 0) {
      if (!ctx.realloc) {
        throw new Error("missing realloc during flat string lower");
      }
      const dataPtr = ctx.realloc(0, 0, elemAlign32, elemSize32 * elems.length);
      ctx.vals[0] = dataPtr;
      _lowerFlatU322(ctx);
      ctx.vals[0] = elems.length;
      _lowerFlatU322(ctx);
      const origPtr = ctx.storagePtr;
      ctx.storagePtr = dataPtr;
      for (const [idx, elem] of elems.entries()) {
        const elemPtr = dataPtr + idx * elemSize32;
        ctx.storagePtr = elemPtr;
        ctx.vals = [elem];
        elemLowerFn(ctx);
        ctx.storagePtr = Math.max(ctx.storagePtr, elemPtr + elemSize32);
      }
      ctx.storagePtr = origPtr;
    } else {
      if (elems.length !== knownLen) {
        throw new TypeError(`invalid list input of length [${elems.length}], must be length [${knownLen}]`);
      }
      const originalPtr = ctx.storagePtr;
      for (const [idx, elem] of elems.entries()) {
        const elemPtr = originalPtr + idx * elemSize32;
        ctx.storagePtr = elemPtr;
        ctx.vals = [elem];
        elemLowerFn(ctx);
        ctx.storagePtr = Math.max(ctx.storagePtr, elemPtr + elemSize32);
      }
    }
    const totalSizeBytes = elems.length * size32;
    if (ctx.storageLen !== void 0 && totalSizeBytes > ctx.storageLen) {
      throw new Error("not enough storage remaining for list flat lower");
    }
  };
}
function _lowerFlatTuple2(meta) {
  const { elemLowerMetas, size32: tupleSize32, align32: tupleAlign32 } = meta;
  return function _lowerFlatTupleInner(ctx) {
    _debugLog2("[_lowerFlatTuple()] args", { ctx });
    const originalPtr = ctx.storagePtr;
    const tuple = ctx.vals[0];
    for (const [idx, [lowerFn, size32, align32]] of elemLowerMetas.entries()) {
      const rem2 = ctx.storagePtr % align32;
      if (rem2 !== 0) {
        ctx.storagePtr += align32 - rem2;
      }
      const elemPtr = ctx.storagePtr;
      ctx.vals = [tuple[idx]];
      lowerFn(ctx);
      ctx.storagePtr = Math.max(ctx.storagePtr, elemPtr + size32);
    }
    ctx.storagePtr = Math.max(ctx.storagePtr, originalPtr + tupleSize32);
    const rem = ctx.storagePtr % tupleAlign32;
    if (rem !== 0) {
      ctx.storagePtr += tupleAlign32 - rem;
    }
  };
}
function _lowerFlatFlags2(meta) {
  const { names, size32, align32, intSizeBytes } = meta;
  return function _lowerFlatFlagsInner(ctx) {
    _debugLog2("[_lowerFlatFlags()] args", { ctx });
    if (ctx.vals.length !== 1) {
      throw new Error("unexpected number of vals");
    }
    const flagObj = ctx.vals[0];
    let flagValue = 0;
    if (typeof flagObj === "object" && flagObj !== null) {
      for (const [idx, name] of names.entries()) {
        if (flagObj[name] === true) {
          flagValue |= 1 << idx;
        }
      }
    } else if (flagObj !== null && flagObj !== void 0) {
      throw new TypeError("only an object, undefined or null can be converted to flags");
    }
    const rem = ctx.storagePtr % align32;
    if (rem !== 0) {
      ctx.storagePtr += align32 - rem;
    }
    const dv3 = new DataView(ctx.memory.buffer);
    if (intSizeBytes === 1) {
      dv3.setUint8(ctx.storagePtr, flagValue);
    } else if (intSizeBytes === 2) {
      dv3.setUint16(ctx.storagePtr, flagValue, true);
    } else if (intSizeBytes === 4) {
      dv3.setUint32(ctx.storagePtr, flagValue, true);
    } else {
      throw new Error(`unrecognized flag size [${intSizeBytes} bytes]`);
    }
    ctx.storagePtr += intSizeBytes;
  };
}
function _lowerFlatEnum2(meta) {
  const f = _lowerFlatVariant2(meta);
  return function _lowerFlatEnumInner(ctx) {
    _debugLog2("[_lowerFlatEnum()] args", { ctx });
    const v = ctx.vals[0];
    const isNotEnumObject = typeof v !== "object" || Object.keys(v).length !== 2 || !("tag" in v);
    if (isNotEnumObject) {
      ctx.vals[0] = { tag: v };
    }
    f(ctx);
  };
}
function _lowerFlatOption2(meta) {
  const { payloadMaybeNull } = meta;
  const f = _lowerFlatVariant2(meta);
  return function _lowerFlatOptionInner(ctx) {
    _debugLog2("[_lowerFlatOption()] args", { ctx });
    const v = ctx.vals[0];
    if (v === null || v === void 0) {
      ctx.vals[0] = { tag: "none" };
    } else if (payloadMaybeNull) {
      const isNotOptionObject = typeof v !== "object" || Object.keys(v).length !== 2 || !("tag" in v) || !(v.tag === "some" || v.tag === "none") || !("val" in v);
      if (isNotOptionObject) {
        ctx.vals[0] = { tag: "some", val: v };
      }
    } else {
      ctx.vals[0] = { tag: "some", val: v };
    }
    f(ctx);
  };
}
function _lowerFlatResult2(meta) {
  const f = _lowerFlatVariant2(meta);
  return function _lowerFlatResultInner(ctx) {
    _debugLog2("[_lowerFlatResult()] args", { ctx });
    const v = ctx.vals[0];
    const isNotResultObject = typeof v !== "object" || Object.keys(v).length !== 2 || !("tag" in v) || !("ok" === v.tag || "err" === v.tag) || !("val" in v);
    if (isNotResultObject) {
      ctx.vals[0] = { tag: "ok", val: v };
    }
    f(ctx);
  };
}
function _lowerFlatOwn2(meta) {
  const { lowerFn, componentIdx: componentIdx2, tableIdx } = meta;
  return function _lowerFlatOwnInner(ctx) {
    _debugLog2("[_lowerFlatOwn()] args", { ctx });
    const { createFn } = ctx;
    if (ctx.componentIdx !== componentIdx2) {
      throw new Error(`component index mismatch (expected [${componentIdx2}], lift called from [${ctx.componentIdx}])`);
    }
    const obj = ctx.vals[0];
    if (obj === void 0 || obj === null) {
      throw new Error("missing resource");
    }
    const handle2 = ctx.lowerResource ? ctx.lowerResource(obj, tableIdx) : lowerFn(obj);
    ctx.vals[0] = handle2;
    _lowerFlatU322(ctx);
  };
}
function _trackHostOperation2(operation) {
  const result = operation();
  if (result === null || typeof result !== "object" && typeof result !== "function" || typeof result.then !== "function") {
    return result;
  }
  STORE_ASYNC_STATE2.pendingHostOperations++;
  return Promise.resolve(result).finally(() => {
    STORE_ASYNC_STATE2.pendingHostOperations--;
    if (STORE_ASYNC_STATE2.pendingHostOperations < 0) {
      throw new Error("negative pending host operation count");
    }
    for (const state of ASYNC_STATE2.values()) {
      state.runTickLoop();
    }
    _checkForDeadlock2();
  });
}
function _guardMayLeave2(componentIdx2, fn) {
  return function(...args) {
    _checkMayLeave2(componentIdx2);
    return fn.apply(this, args);
  };
}
var base64Compile2 = (str) => WebAssembly.compile(
  typeof Buffer !== "undefined" ? Buffer.from(str, "base64") : Uint8Array.from(atob(str), (b) => b.charCodeAt(0))
);
var isNode2 = typeof process !== "undefined" && process.versions && process.versions.node;
var _fs2;
async function fetchCompile2(url) {
  if (isNode2) {
    _fs2 = _fs2 || await import("node:fs/promises");
    return WebAssembly.compile(await _fs2.readFile(url));
  }
  return fetch(url).then(WebAssembly.compileStreaming);
}
var symbolCabiDispose2 = /* @__PURE__ */ Symbol.for("cabiDispose");
var symbolRscHandle2 = /* @__PURE__ */ Symbol("handle");
var symbolRscRep2 = /* @__PURE__ */ Symbol.for("cabiRep");
var symbolDispose4 = Symbol.dispose || /* @__PURE__ */ Symbol.for("dispose");
var HANDLE_TABLES2 = [];
var ComponentError2 = class extends Error {
  constructor(value) {
    const enumerable = typeof value !== "string";
    super(enumerable ? `${String(value)} (see error.payload)` : value);
    Object.defineProperty(this, "payload", { value, enumerable });
  }
};
var hasOwnProperty2 = Object.prototype.hasOwnProperty;
function getErrorPayload2(e) {
  if (e && hasOwnProperty2.call(e, "payload")) return e.payload;
  if (e instanceof Error) throw e;
  return e;
}
function throwUninitialized2() {
  throw new TypeError("Wasm uninitialized use `await $init` first");
}
var instantiateCore2 = WebAssembly.instantiate;
function _suspendingImport2(componentIdx2, fn, syncOnly = false, switchesTask = false) {
  return function(...args) {
    _checkMayLeave2(componentIdx2);
    const saved = CURRENT_TASK_META2[componentIdx2] ?? null;
    const savedTask = saved ? getCurrentTask2(saved.componentIdx, saved.taskID)?.task : null;
    const mayBlock = savedTask ? savedTask?.mayBlock() ?? CURRENT_TASK_MAY_BLOCK2.value !== 0 : false;
    if (!saved && !mayBlock) {
      throw new WebAssemblyRuntimeError2("cannot block a synchronous task before returning");
    }
    if (syncOnly || !mayBlock) {
      let result;
      try {
        result = fn.apply(null, args);
      } catch (err) {
        CURRENT_TASK_META2[componentIdx2] = saved;
        if (!switchesTask) {
          CURRENT_TASK_META2.current = saved;
        }
        throw err;
      }
      CURRENT_TASK_META2[componentIdx2] = saved;
      if (!switchesTask) {
        CURRENT_TASK_META2.current = saved;
      }
      if (result !== null && (typeof result === "object" || typeof result === "function") && typeof result.then === "function") {
        Promise.resolve(result).catch(() => {
        });
        throw new WebAssemblyRuntimeError2("cannot block a synchronous task before returning");
      }
      return result;
    }
    return (async () => {
      try {
        return await fn.apply(null, args);
      } finally {
        CURRENT_TASK_META2[componentIdx2] = saved;
        if (!switchesTask) {
          CURRENT_TASK_META2.current = saved;
        }
      }
    })();
  };
}
var exports02;
var exports12;
var handleTable12 = [T_FLAG3, 0];
handleTable12._createdReps = /* @__PURE__ */ new Set();
handleTable12._componentIdx = 0;
var captureTable12 = /* @__PURE__ */ new Map();
var captureCnt12 = 0;
HANDLE_TABLES2[1] = handleTable12;
var _trampoline52 = function() {
  _debugLog2('[iface="wasi:cli/stderr@0.2.12", function="get-stderr"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getStderr",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => getStderr2())
    });
  } catch (err) {
    _debugLog2("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState2(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  if (!(ret instanceof OutputStream3)) {
    throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
  }
  var handle0 = ret[symbolRscHandle2];
  if (!handle0) {
    const rep3 = ret[symbolRscRep2] || ++captureCnt12;
    captureTable12.set(rep3, ret);
    handle0 = rscTableCreateOwn2(handleTable12, rep3);
  }
  _debugLog2('[iface="wasi:cli/stderr@0.2.12", function="get-stderr"][Instruction::Return]', {
    funcName: "get-stderr",
    paramCount: 1,
    async: false,
    postReturn: false
  });
  task.resolve([handle0]);
  task.exit();
  return handle0;
};
_trampoline52.fnName = "wasi:cli/stderr@0.2.12#getStderr";
var handleTable22 = [T_FLAG3, 0];
handleTable22._createdReps = /* @__PURE__ */ new Set();
handleTable22._componentIdx = 0;
var captureTable22 = /* @__PURE__ */ new Map();
var captureCnt22 = 0;
HANDLE_TABLES2[2] = handleTable22;
var _trampoline62 = function() {
  _debugLog2('[iface="wasi:cli/stdin@0.2.12", function="get-stdin"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getStdin",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => getStdin2())
    });
  } catch (err) {
    _debugLog2("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState2(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  if (!(ret instanceof InputStream3)) {
    throw new TypeError('Resource error: Not a valid "InputStream" resource.');
  }
  var handle0 = ret[symbolRscHandle2];
  if (!handle0) {
    const rep3 = ret[symbolRscRep2] || ++captureCnt22;
    captureTable22.set(rep3, ret);
    handle0 = rscTableCreateOwn2(handleTable22, rep3);
  }
  _debugLog2('[iface="wasi:cli/stdin@0.2.12", function="get-stdin"][Instruction::Return]', {
    funcName: "get-stdin",
    paramCount: 1,
    async: false,
    postReturn: false
  });
  task.resolve([handle0]);
  task.exit();
  return handle0;
};
_trampoline62.fnName = "wasi:cli/stdin@0.2.12#getStdin";
var _trampoline72 = function() {
  _debugLog2('[iface="wasi:cli/stdout@0.2.12", function="get-stdout"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getStdout",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => getStdout2())
    });
  } catch (err) {
    _debugLog2("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState2(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  if (!(ret instanceof OutputStream3)) {
    throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
  }
  var handle0 = ret[symbolRscHandle2];
  if (!handle0) {
    const rep3 = ret[symbolRscRep2] || ++captureCnt12;
    captureTable12.set(rep3, ret);
    handle0 = rscTableCreateOwn2(handleTable12, rep3);
  }
  _debugLog2('[iface="wasi:cli/stdout@0.2.12", function="get-stdout"][Instruction::Return]', {
    funcName: "get-stdout",
    paramCount: 1,
    async: false,
    postReturn: false
  });
  task.resolve([handle0]);
  task.exit();
  return handle0;
};
_trampoline72.fnName = "wasi:cli/stdout@0.2.12#getStdout";
var _trampoline102 = function(arg0) {
  let variant0;
  switch (arg0) {
    case 0: {
      variant0 = {
        tag: "ok",
        val: void 0
      };
      break;
    }
    case 1: {
      variant0 = {
        tag: "err",
        val: void 0
      };
      break;
    }
    default: {
      throw new TypeError("invalid variant discriminant for expected");
    }
  }
  _debugLog2('[iface="wasi:cli/exit@0.2.12", function="exit"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "exit",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => exit4(variant0))
    });
  } catch (err) {
    _debugLog2("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState2(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  _debugLog2('[iface="wasi:cli/exit@0.2.12", function="exit"][Instruction::Return]', {
    funcName: "exit",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline102.fnName = "wasi:cli/exit@0.2.12#exit";
var exports22;
var memory02;
var realloc02;
var realloc0Async2;
var handleTable02 = [T_FLAG3, 0];
handleTable02._createdReps = /* @__PURE__ */ new Set();
handleTable02._componentIdx = 0;
var captureTable02 = /* @__PURE__ */ new Map();
var captureCnt02 = 0;
HANDLE_TABLES2[0] = handleTable02;
var _trampoline112 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable02[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable02.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Error$12.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="filesystem-error-code"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "filesystemErrorCode",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => filesystemErrorCode2(rsc0))
    });
  } catch (err) {
    _debugLog2("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState2(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant4 = ret;
  if (variant4 === null || variant4 === void 0) {
    dataView2(memory02).setInt8(arg1 + 0, 0, true);
  } else {
    const e = variant4;
    dataView2(memory02).setInt8(arg1 + 0, 1, true);
    var val3 = e;
    let enum3;
    switch (val3) {
      case "access": {
        enum3 = 0;
        break;
      }
      case "would-block": {
        enum3 = 1;
        break;
      }
      case "already": {
        enum3 = 2;
        break;
      }
      case "bad-descriptor": {
        enum3 = 3;
        break;
      }
      case "busy": {
        enum3 = 4;
        break;
      }
      case "deadlock": {
        enum3 = 5;
        break;
      }
      case "quota": {
        enum3 = 6;
        break;
      }
      case "exist": {
        enum3 = 7;
        break;
      }
      case "file-too-large": {
        enum3 = 8;
        break;
      }
      case "illegal-byte-sequence": {
        enum3 = 9;
        break;
      }
      case "in-progress": {
        enum3 = 10;
        break;
      }
      case "interrupted": {
        enum3 = 11;
        break;
      }
      case "invalid": {
        enum3 = 12;
        break;
      }
      case "io": {
        enum3 = 13;
        break;
      }
      case "is-directory": {
        enum3 = 14;
        break;
      }
      case "loop": {
        enum3 = 15;
        break;
      }
      case "too-many-links": {
        enum3 = 16;
        break;
      }
      case "message-size": {
        enum3 = 17;
        break;
      }
      case "name-too-long": {
        enum3 = 18;
        break;
      }
      case "no-device": {
        enum3 = 19;
        break;
      }
      case "no-entry": {
        enum3 = 20;
        break;
      }
      case "no-lock": {
        enum3 = 21;
        break;
      }
      case "insufficient-memory": {
        enum3 = 22;
        break;
      }
      case "insufficient-space": {
        enum3 = 23;
        break;
      }
      case "not-directory": {
        enum3 = 24;
        break;
      }
      case "not-empty": {
        enum3 = 25;
        break;
      }
      case "not-recoverable": {
        enum3 = 26;
        break;
      }
      case "unsupported": {
        enum3 = 27;
        break;
      }
      case "no-tty": {
        enum3 = 28;
        break;
      }
      case "no-such-device": {
        enum3 = 29;
        break;
      }
      case "overflow": {
        enum3 = 30;
        break;
      }
      case "not-permitted": {
        enum3 = 31;
        break;
      }
      case "pipe": {
        enum3 = 32;
        break;
      }
      case "read-only": {
        enum3 = 33;
        break;
      }
      case "invalid-seek": {
        enum3 = 34;
        break;
      }
      case "text-file-busy": {
        enum3 = 35;
        break;
      }
      case "cross-device": {
        enum3 = 36;
        break;
      }
      default: {
        if (e instanceof Error) {
          console.error(e);
        }
        throw new TypeError(`"${val3}" is not one of the cases of error-code`);
      }
    }
    dataView2(memory02).setInt8(arg1 + 1, enum3, true);
  }
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="filesystem-error-code"][Instruction::Return]', {
    funcName: "filesystem-error-code",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline112.fnName = "wasi:filesystem/types@0.2.12#filesystemErrorCode";
var handleTable52 = [T_FLAG3, 0];
handleTable52._createdReps = /* @__PURE__ */ new Set();
handleTable52._componentIdx = 0;
var captureTable52 = /* @__PURE__ */ new Map();
var captureCnt52 = 0;
HANDLE_TABLES2[5] = handleTable52;
var _trampoline122 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable52[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable52.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.metadata-hash"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "metadataHash",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.metadataHash())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 0, true);
      var { lower: v4_0, upper: v4_1 } = e;
      dataView2(memory02).setBigInt64(arg1 + 8, toUint642(v4_0), true);
      dataView2(memory02).setBigInt64(arg1 + 16, toUint642(v4_1), true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView2(memory02).setInt8(arg1 + 8, enum5, true);
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.metadata-hash"][Instruction::Return]', {
    funcName: "[method]descriptor.metadata-hash",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline122.fnName = "wasi:filesystem/types@0.2.12#metadataHash";
var handleTable62 = [T_FLAG3, 0];
handleTable62._createdReps = /* @__PURE__ */ new Set();
handleTable62._componentIdx = 0;
var captureTable62 = /* @__PURE__ */ new Map();
var captureCnt62 = 0;
HANDLE_TABLES2[6] = handleTable62;
var _trampoline132 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable62[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable62.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(DirectoryEntryStream3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]directory-entry-stream.read-directory-entry"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "readDirectoryEntry",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.readDirectoryEntry())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant9 = ret;
  switch (variant9.tag) {
    case "ok": {
      const e = variant9.val;
      dataView2(memory02).setInt8(arg1 + 0, 0, true);
      var variant7 = e;
      if (variant7 === null || variant7 === void 0) {
        dataView2(memory02).setInt8(arg1 + 4, 0, true);
      } else {
        const e2 = variant7;
        dataView2(memory02).setInt8(arg1 + 4, 1, true);
        var { type: v4_0, name: v4_1 } = e2;
        var val5 = v4_0;
        let enum5;
        switch (val5) {
          case "unknown": {
            enum5 = 0;
            break;
          }
          case "block-device": {
            enum5 = 1;
            break;
          }
          case "character-device": {
            enum5 = 2;
            break;
          }
          case "directory": {
            enum5 = 3;
            break;
          }
          case "fifo": {
            enum5 = 4;
            break;
          }
          case "symbolic-link": {
            enum5 = 5;
            break;
          }
          case "regular-file": {
            enum5 = 6;
            break;
          }
          case "socket": {
            enum5 = 7;
            break;
          }
          default: {
            if (v4_0 instanceof Error) {
              console.error(v4_0);
            }
            throw new TypeError(`"${val5}" is not one of the cases of descriptor-type`);
          }
        }
        dataView2(memory02).setInt8(arg1 + 8, enum5, true);
        var encodeRes = _utf8AllocateAndEncode2(v4_1, realloc02, memory02);
        var ptr6 = encodeRes.ptr;
        var len6 = encodeRes.len;
        dataView2(memory02).setUint32(arg1 + 16, len6, true);
        dataView2(memory02).setUint32(arg1 + 12, ptr6, true);
      }
      break;
    }
    case "err": {
      const e = variant9.val;
      dataView2(memory02).setInt8(arg1 + 0, 1, true);
      var val8 = e;
      let enum8;
      switch (val8) {
        case "access": {
          enum8 = 0;
          break;
        }
        case "would-block": {
          enum8 = 1;
          break;
        }
        case "already": {
          enum8 = 2;
          break;
        }
        case "bad-descriptor": {
          enum8 = 3;
          break;
        }
        case "busy": {
          enum8 = 4;
          break;
        }
        case "deadlock": {
          enum8 = 5;
          break;
        }
        case "quota": {
          enum8 = 6;
          break;
        }
        case "exist": {
          enum8 = 7;
          break;
        }
        case "file-too-large": {
          enum8 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum8 = 9;
          break;
        }
        case "in-progress": {
          enum8 = 10;
          break;
        }
        case "interrupted": {
          enum8 = 11;
          break;
        }
        case "invalid": {
          enum8 = 12;
          break;
        }
        case "io": {
          enum8 = 13;
          break;
        }
        case "is-directory": {
          enum8 = 14;
          break;
        }
        case "loop": {
          enum8 = 15;
          break;
        }
        case "too-many-links": {
          enum8 = 16;
          break;
        }
        case "message-size": {
          enum8 = 17;
          break;
        }
        case "name-too-long": {
          enum8 = 18;
          break;
        }
        case "no-device": {
          enum8 = 19;
          break;
        }
        case "no-entry": {
          enum8 = 20;
          break;
        }
        case "no-lock": {
          enum8 = 21;
          break;
        }
        case "insufficient-memory": {
          enum8 = 22;
          break;
        }
        case "insufficient-space": {
          enum8 = 23;
          break;
        }
        case "not-directory": {
          enum8 = 24;
          break;
        }
        case "not-empty": {
          enum8 = 25;
          break;
        }
        case "not-recoverable": {
          enum8 = 26;
          break;
        }
        case "unsupported": {
          enum8 = 27;
          break;
        }
        case "no-tty": {
          enum8 = 28;
          break;
        }
        case "no-such-device": {
          enum8 = 29;
          break;
        }
        case "overflow": {
          enum8 = 30;
          break;
        }
        case "not-permitted": {
          enum8 = 31;
          break;
        }
        case "pipe": {
          enum8 = 32;
          break;
        }
        case "read-only": {
          enum8 = 33;
          break;
        }
        case "invalid-seek": {
          enum8 = 34;
          break;
        }
        case "text-file-busy": {
          enum8 = 35;
          break;
        }
        case "cross-device": {
          enum8 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val8}" is not one of the cases of error-code`);
        }
      }
      dataView2(memory02).setInt8(arg1 + 4, enum8, true);
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant9, valueType: typeof variant9 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]directory-entry-stream.read-directory-entry"][Instruction::Return]', {
    funcName: "[method]directory-entry-stream.read-directory-entry",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline132.fnName = "wasi:filesystem/types@0.2.12#readDirectoryEntry";
var _trampoline142 = function(arg0, arg1, arg2, arg3, arg4) {
  var handle1 = arg0;
  var rep22 = handleTable52[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable52.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  if ((arg1 & 4294967294) !== 0) {
    throw new TypeError("flags have extraneous bits set");
  }
  var flags3 = {
    symlinkFollow: Boolean(arg1 & 1)
  };
  var ptr4 = arg2;
  var len4 = arg3;
  var result4 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr4, len4));
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.metadata-hash-at"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "metadataHashAt",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet5 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.metadataHashAt(flags3, result4))
    });
    ret = hostRet5 !== null && typeof hostRet5 === "object" && (hostRet5.tag === "ok" || hostRet5.tag === "err") ? hostRet5 : { tag: "ok", val: hostRet5 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant8 = ret;
  switch (variant8.tag) {
    case "ok": {
      const e = variant8.val;
      dataView2(memory02).setInt8(arg4 + 0, 0, true);
      var { lower: v6_0, upper: v6_1 } = e;
      dataView2(memory02).setBigInt64(arg4 + 8, toUint642(v6_0), true);
      dataView2(memory02).setBigInt64(arg4 + 16, toUint642(v6_1), true);
      break;
    }
    case "err": {
      const e = variant8.val;
      dataView2(memory02).setInt8(arg4 + 0, 1, true);
      var val7 = e;
      let enum7;
      switch (val7) {
        case "access": {
          enum7 = 0;
          break;
        }
        case "would-block": {
          enum7 = 1;
          break;
        }
        case "already": {
          enum7 = 2;
          break;
        }
        case "bad-descriptor": {
          enum7 = 3;
          break;
        }
        case "busy": {
          enum7 = 4;
          break;
        }
        case "deadlock": {
          enum7 = 5;
          break;
        }
        case "quota": {
          enum7 = 6;
          break;
        }
        case "exist": {
          enum7 = 7;
          break;
        }
        case "file-too-large": {
          enum7 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum7 = 9;
          break;
        }
        case "in-progress": {
          enum7 = 10;
          break;
        }
        case "interrupted": {
          enum7 = 11;
          break;
        }
        case "invalid": {
          enum7 = 12;
          break;
        }
        case "io": {
          enum7 = 13;
          break;
        }
        case "is-directory": {
          enum7 = 14;
          break;
        }
        case "loop": {
          enum7 = 15;
          break;
        }
        case "too-many-links": {
          enum7 = 16;
          break;
        }
        case "message-size": {
          enum7 = 17;
          break;
        }
        case "name-too-long": {
          enum7 = 18;
          break;
        }
        case "no-device": {
          enum7 = 19;
          break;
        }
        case "no-entry": {
          enum7 = 20;
          break;
        }
        case "no-lock": {
          enum7 = 21;
          break;
        }
        case "insufficient-memory": {
          enum7 = 22;
          break;
        }
        case "insufficient-space": {
          enum7 = 23;
          break;
        }
        case "not-directory": {
          enum7 = 24;
          break;
        }
        case "not-empty": {
          enum7 = 25;
          break;
        }
        case "not-recoverable": {
          enum7 = 26;
          break;
        }
        case "unsupported": {
          enum7 = 27;
          break;
        }
        case "no-tty": {
          enum7 = 28;
          break;
        }
        case "no-such-device": {
          enum7 = 29;
          break;
        }
        case "overflow": {
          enum7 = 30;
          break;
        }
        case "not-permitted": {
          enum7 = 31;
          break;
        }
        case "pipe": {
          enum7 = 32;
          break;
        }
        case "read-only": {
          enum7 = 33;
          break;
        }
        case "invalid-seek": {
          enum7 = 34;
          break;
        }
        case "text-file-busy": {
          enum7 = 35;
          break;
        }
        case "cross-device": {
          enum7 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val7}" is not one of the cases of error-code`);
        }
      }
      dataView2(memory02).setInt8(arg4 + 8, enum7, true);
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant8, valueType: typeof variant8 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.metadata-hash-at"][Instruction::Return]', {
    funcName: "[method]descriptor.metadata-hash-at",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline142.fnName = "wasi:filesystem/types@0.2.12#metadataHashAt";
var _trampoline152 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable52[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable52.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.get-flags"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getFlags",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.getFlags())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 0, true);
      let flags4 = 0;
      if (typeof e === "object" && e !== null) {
        flags4 = Boolean(e.read) << 0 | Boolean(e.write) << 1 | Boolean(e.fileIntegritySync) << 2 | Boolean(e.dataIntegritySync) << 3 | Boolean(e.requestedWriteSync) << 4 | Boolean(e.mutateDirectory) << 5;
      } else if (e !== null && e !== void 0) {
        throw new TypeError("only an object, undefined or null can be converted to flags");
      }
      dataView2(memory02).setInt8(arg1 + 1, flags4, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView2(memory02).setInt8(arg1 + 1, enum5, true);
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.get-flags"][Instruction::Return]', {
    funcName: "[method]descriptor.get-flags",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline152.fnName = "wasi:filesystem/types@0.2.12#getFlags";
var _trampoline162 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable52[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable52.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.get-type"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getType",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.getType())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 0, true);
      var val4 = e;
      let enum4;
      switch (val4) {
        case "unknown": {
          enum4 = 0;
          break;
        }
        case "block-device": {
          enum4 = 1;
          break;
        }
        case "character-device": {
          enum4 = 2;
          break;
        }
        case "directory": {
          enum4 = 3;
          break;
        }
        case "fifo": {
          enum4 = 4;
          break;
        }
        case "symbolic-link": {
          enum4 = 5;
          break;
        }
        case "regular-file": {
          enum4 = 6;
          break;
        }
        case "socket": {
          enum4 = 7;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val4}" is not one of the cases of descriptor-type`);
        }
      }
      dataView2(memory02).setInt8(arg1 + 1, enum4, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView2(memory02).setInt8(arg1 + 1, enum5, true);
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.get-type"][Instruction::Return]', {
    funcName: "[method]descriptor.get-type",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline162.fnName = "wasi:filesystem/types@0.2.12#getType";
var _trampoline172 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable52[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable52.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.append-via-stream"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "appendViaStream",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.appendViaStream())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 0, true);
      if (!(e instanceof OutputStream3)) {
        throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
      }
      var handle4 = e[symbolRscHandle2];
      if (!handle4) {
        const rep3 = e[symbolRscRep2] || ++captureCnt12;
        captureTable12.set(rep3, e);
        handle4 = rscTableCreateOwn2(handleTable12, rep3);
      }
      dataView2(memory02).setInt32(arg1 + 4, handle4, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView2(memory02).setInt8(arg1 + 4, enum5, true);
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.append-via-stream"][Instruction::Return]', {
    funcName: "[method]descriptor.append-via-stream",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline172.fnName = "wasi:filesystem/types@0.2.12#appendViaStream";
var _trampoline182 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable52[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable52.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.read-directory"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "readDirectory",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.readDirectory())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 0, true);
      if (!(e instanceof DirectoryEntryStream3)) {
        throw new TypeError('Resource error: Not a valid "DirectoryEntryStream" resource.');
      }
      var handle4 = e[symbolRscHandle2];
      if (!handle4) {
        const rep3 = e[symbolRscRep2] || ++captureCnt62;
        captureTable62.set(rep3, e);
        handle4 = rscTableCreateOwn2(handleTable62, rep3);
      }
      dataView2(memory02).setInt32(arg1 + 4, handle4, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView2(memory02).setInt8(arg1 + 4, enum5, true);
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.read-directory"][Instruction::Return]', {
    funcName: "[method]descriptor.read-directory",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline182.fnName = "wasi:filesystem/types@0.2.12#readDirectory";
var _trampoline192 = function(arg0, arg1, arg2, arg3, arg4) {
  var handle1 = arg0;
  var rep22 = handleTable52[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable52.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  if ((arg1 & 4294967294) !== 0) {
    throw new TypeError("flags have extraneous bits set");
  }
  var flags3 = {
    symlinkFollow: Boolean(arg1 & 1)
  };
  var ptr4 = arg2;
  var len4 = arg3;
  var result4 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr4, len4));
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.stat-at"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "statAt",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet5 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.statAt(flags3, result4))
    });
    ret = hostRet5 !== null && typeof hostRet5 === "object" && (hostRet5.tag === "ok" || hostRet5.tag === "err") ? hostRet5 : { tag: "ok", val: hostRet5 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant15 = ret;
  switch (variant15.tag) {
    case "ok": {
      const e = variant15.val;
      dataView2(memory02).setInt8(arg4 + 0, 0, true);
      var { type: v6_0, linkCount: v6_1, size: v6_2, dataAccessTimestamp: v6_3, dataModificationTimestamp: v6_4, statusChangeTimestamp: v6_5 } = e;
      var val7 = v6_0;
      let enum7;
      switch (val7) {
        case "unknown": {
          enum7 = 0;
          break;
        }
        case "block-device": {
          enum7 = 1;
          break;
        }
        case "character-device": {
          enum7 = 2;
          break;
        }
        case "directory": {
          enum7 = 3;
          break;
        }
        case "fifo": {
          enum7 = 4;
          break;
        }
        case "symbolic-link": {
          enum7 = 5;
          break;
        }
        case "regular-file": {
          enum7 = 6;
          break;
        }
        case "socket": {
          enum7 = 7;
          break;
        }
        default: {
          if (v6_0 instanceof Error) {
            console.error(v6_0);
          }
          throw new TypeError(`"${val7}" is not one of the cases of descriptor-type`);
        }
      }
      dataView2(memory02).setInt8(arg4 + 8, enum7, true);
      dataView2(memory02).setBigInt64(arg4 + 16, toUint642(v6_1), true);
      dataView2(memory02).setBigInt64(arg4 + 24, toUint642(v6_2), true);
      var variant9 = v6_3;
      if (variant9 === null || variant9 === void 0) {
        dataView2(memory02).setInt8(arg4 + 32, 0, true);
      } else {
        const e2 = variant9;
        dataView2(memory02).setInt8(arg4 + 32, 1, true);
        var { seconds: v8_0, nanoseconds: v8_1 } = e2;
        dataView2(memory02).setBigInt64(arg4 + 40, toUint642(v8_0), true);
        dataView2(memory02).setInt32(arg4 + 48, toUint322(v8_1), true);
      }
      var variant11 = v6_4;
      if (variant11 === null || variant11 === void 0) {
        dataView2(memory02).setInt8(arg4 + 56, 0, true);
      } else {
        const e2 = variant11;
        dataView2(memory02).setInt8(arg4 + 56, 1, true);
        var { seconds: v10_0, nanoseconds: v10_1 } = e2;
        dataView2(memory02).setBigInt64(arg4 + 64, toUint642(v10_0), true);
        dataView2(memory02).setInt32(arg4 + 72, toUint322(v10_1), true);
      }
      var variant13 = v6_5;
      if (variant13 === null || variant13 === void 0) {
        dataView2(memory02).setInt8(arg4 + 80, 0, true);
      } else {
        const e2 = variant13;
        dataView2(memory02).setInt8(arg4 + 80, 1, true);
        var { seconds: v12_0, nanoseconds: v12_1 } = e2;
        dataView2(memory02).setBigInt64(arg4 + 88, toUint642(v12_0), true);
        dataView2(memory02).setInt32(arg4 + 96, toUint322(v12_1), true);
      }
      break;
    }
    case "err": {
      const e = variant15.val;
      dataView2(memory02).setInt8(arg4 + 0, 1, true);
      var val14 = e;
      let enum14;
      switch (val14) {
        case "access": {
          enum14 = 0;
          break;
        }
        case "would-block": {
          enum14 = 1;
          break;
        }
        case "already": {
          enum14 = 2;
          break;
        }
        case "bad-descriptor": {
          enum14 = 3;
          break;
        }
        case "busy": {
          enum14 = 4;
          break;
        }
        case "deadlock": {
          enum14 = 5;
          break;
        }
        case "quota": {
          enum14 = 6;
          break;
        }
        case "exist": {
          enum14 = 7;
          break;
        }
        case "file-too-large": {
          enum14 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum14 = 9;
          break;
        }
        case "in-progress": {
          enum14 = 10;
          break;
        }
        case "interrupted": {
          enum14 = 11;
          break;
        }
        case "invalid": {
          enum14 = 12;
          break;
        }
        case "io": {
          enum14 = 13;
          break;
        }
        case "is-directory": {
          enum14 = 14;
          break;
        }
        case "loop": {
          enum14 = 15;
          break;
        }
        case "too-many-links": {
          enum14 = 16;
          break;
        }
        case "message-size": {
          enum14 = 17;
          break;
        }
        case "name-too-long": {
          enum14 = 18;
          break;
        }
        case "no-device": {
          enum14 = 19;
          break;
        }
        case "no-entry": {
          enum14 = 20;
          break;
        }
        case "no-lock": {
          enum14 = 21;
          break;
        }
        case "insufficient-memory": {
          enum14 = 22;
          break;
        }
        case "insufficient-space": {
          enum14 = 23;
          break;
        }
        case "not-directory": {
          enum14 = 24;
          break;
        }
        case "not-empty": {
          enum14 = 25;
          break;
        }
        case "not-recoverable": {
          enum14 = 26;
          break;
        }
        case "unsupported": {
          enum14 = 27;
          break;
        }
        case "no-tty": {
          enum14 = 28;
          break;
        }
        case "no-such-device": {
          enum14 = 29;
          break;
        }
        case "overflow": {
          enum14 = 30;
          break;
        }
        case "not-permitted": {
          enum14 = 31;
          break;
        }
        case "pipe": {
          enum14 = 32;
          break;
        }
        case "read-only": {
          enum14 = 33;
          break;
        }
        case "invalid-seek": {
          enum14 = 34;
          break;
        }
        case "text-file-busy": {
          enum14 = 35;
          break;
        }
        case "cross-device": {
          enum14 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val14}" is not one of the cases of error-code`);
        }
      }
      dataView2(memory02).setInt8(arg4 + 8, enum14, true);
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant15, valueType: typeof variant15 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.stat-at"][Instruction::Return]', {
    funcName: "[method]descriptor.stat-at",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline192.fnName = "wasi:filesystem/types@0.2.12#statAt";
var _trampoline202 = function(arg0, arg1, arg2, arg3, arg4, arg5, arg6) {
  var handle1 = arg0;
  var rep22 = handleTable52[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable52.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  if ((arg1 & 4294967294) !== 0) {
    throw new TypeError("flags have extraneous bits set");
  }
  var flags3 = {
    symlinkFollow: Boolean(arg1 & 1)
  };
  var ptr4 = arg2;
  var len4 = arg3;
  var result4 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr4, len4));
  if ((arg4 & 4294967280) !== 0) {
    throw new TypeError("flags have extraneous bits set");
  }
  var flags5 = {
    create: Boolean(arg4 & 1),
    directory: Boolean(arg4 & 2),
    exclusive: Boolean(arg4 & 4),
    truncate: Boolean(arg4 & 8)
  };
  if ((arg5 & 4294967232) !== 0) {
    throw new TypeError("flags have extraneous bits set");
  }
  var flags6 = {
    read: Boolean(arg5 & 1),
    write: Boolean(arg5 & 2),
    fileIntegritySync: Boolean(arg5 & 4),
    dataIntegritySync: Boolean(arg5 & 8),
    requestedWriteSync: Boolean(arg5 & 16),
    mutateDirectory: Boolean(arg5 & 32)
  };
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.open-at"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "openAt",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet7 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.openAt(flags3, result4, flags5, flags6))
    });
    ret = hostRet7 !== null && typeof hostRet7 === "object" && (hostRet7.tag === "ok" || hostRet7.tag === "err") ? hostRet7 : { tag: "ok", val: hostRet7 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant10 = ret;
  switch (variant10.tag) {
    case "ok": {
      const e = variant10.val;
      dataView2(memory02).setInt8(arg6 + 0, 0, true);
      if (!(e instanceof Descriptor3)) {
        throw new TypeError('Resource error: Not a valid "Descriptor" resource.');
      }
      var handle8 = e[symbolRscHandle2];
      if (!handle8) {
        const rep3 = e[symbolRscRep2] || ++captureCnt52;
        captureTable52.set(rep3, e);
        handle8 = rscTableCreateOwn2(handleTable52, rep3);
      }
      dataView2(memory02).setInt32(arg6 + 4, handle8, true);
      break;
    }
    case "err": {
      const e = variant10.val;
      dataView2(memory02).setInt8(arg6 + 0, 1, true);
      var val9 = e;
      let enum9;
      switch (val9) {
        case "access": {
          enum9 = 0;
          break;
        }
        case "would-block": {
          enum9 = 1;
          break;
        }
        case "already": {
          enum9 = 2;
          break;
        }
        case "bad-descriptor": {
          enum9 = 3;
          break;
        }
        case "busy": {
          enum9 = 4;
          break;
        }
        case "deadlock": {
          enum9 = 5;
          break;
        }
        case "quota": {
          enum9 = 6;
          break;
        }
        case "exist": {
          enum9 = 7;
          break;
        }
        case "file-too-large": {
          enum9 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum9 = 9;
          break;
        }
        case "in-progress": {
          enum9 = 10;
          break;
        }
        case "interrupted": {
          enum9 = 11;
          break;
        }
        case "invalid": {
          enum9 = 12;
          break;
        }
        case "io": {
          enum9 = 13;
          break;
        }
        case "is-directory": {
          enum9 = 14;
          break;
        }
        case "loop": {
          enum9 = 15;
          break;
        }
        case "too-many-links": {
          enum9 = 16;
          break;
        }
        case "message-size": {
          enum9 = 17;
          break;
        }
        case "name-too-long": {
          enum9 = 18;
          break;
        }
        case "no-device": {
          enum9 = 19;
          break;
        }
        case "no-entry": {
          enum9 = 20;
          break;
        }
        case "no-lock": {
          enum9 = 21;
          break;
        }
        case "insufficient-memory": {
          enum9 = 22;
          break;
        }
        case "insufficient-space": {
          enum9 = 23;
          break;
        }
        case "not-directory": {
          enum9 = 24;
          break;
        }
        case "not-empty": {
          enum9 = 25;
          break;
        }
        case "not-recoverable": {
          enum9 = 26;
          break;
        }
        case "unsupported": {
          enum9 = 27;
          break;
        }
        case "no-tty": {
          enum9 = 28;
          break;
        }
        case "no-such-device": {
          enum9 = 29;
          break;
        }
        case "overflow": {
          enum9 = 30;
          break;
        }
        case "not-permitted": {
          enum9 = 31;
          break;
        }
        case "pipe": {
          enum9 = 32;
          break;
        }
        case "read-only": {
          enum9 = 33;
          break;
        }
        case "invalid-seek": {
          enum9 = 34;
          break;
        }
        case "text-file-busy": {
          enum9 = 35;
          break;
        }
        case "cross-device": {
          enum9 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val9}" is not one of the cases of error-code`);
        }
      }
      dataView2(memory02).setInt8(arg6 + 4, enum9, true);
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant10, valueType: typeof variant10 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.open-at"][Instruction::Return]', {
    funcName: "[method]descriptor.open-at",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline202.fnName = "wasi:filesystem/types@0.2.12#openAt";
var _trampoline212 = function(arg0, arg1, arg2) {
  var handle1 = arg0;
  var rep22 = handleTable52[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable52.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.read-via-stream"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "readViaStream",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.readViaStream(BigInt.asUintN(64, BigInt(arg1))))
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg2 + 0, 0, true);
      if (!(e instanceof InputStream3)) {
        throw new TypeError('Resource error: Not a valid "InputStream" resource.');
      }
      var handle4 = e[symbolRscHandle2];
      if (!handle4) {
        const rep3 = e[symbolRscRep2] || ++captureCnt22;
        captureTable22.set(rep3, e);
        handle4 = rscTableCreateOwn2(handleTable22, rep3);
      }
      dataView2(memory02).setInt32(arg2 + 4, handle4, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg2 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView2(memory02).setInt8(arg2 + 4, enum5, true);
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.read-via-stream"][Instruction::Return]', {
    funcName: "[method]descriptor.read-via-stream",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline212.fnName = "wasi:filesystem/types@0.2.12#readViaStream";
var _trampoline222 = function(arg0, arg1, arg2) {
  var handle1 = arg0;
  var rep22 = handleTable52[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable52.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.write-via-stream"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "writeViaStream",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.writeViaStream(BigInt.asUintN(64, BigInt(arg1))))
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg2 + 0, 0, true);
      if (!(e instanceof OutputStream3)) {
        throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
      }
      var handle4 = e[symbolRscHandle2];
      if (!handle4) {
        const rep3 = e[symbolRscRep2] || ++captureCnt12;
        captureTable12.set(rep3, e);
        handle4 = rscTableCreateOwn2(handleTable12, rep3);
      }
      dataView2(memory02).setInt32(arg2 + 4, handle4, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg2 + 0, 1, true);
      var val5 = e;
      let enum5;
      switch (val5) {
        case "access": {
          enum5 = 0;
          break;
        }
        case "would-block": {
          enum5 = 1;
          break;
        }
        case "already": {
          enum5 = 2;
          break;
        }
        case "bad-descriptor": {
          enum5 = 3;
          break;
        }
        case "busy": {
          enum5 = 4;
          break;
        }
        case "deadlock": {
          enum5 = 5;
          break;
        }
        case "quota": {
          enum5 = 6;
          break;
        }
        case "exist": {
          enum5 = 7;
          break;
        }
        case "file-too-large": {
          enum5 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum5 = 9;
          break;
        }
        case "in-progress": {
          enum5 = 10;
          break;
        }
        case "interrupted": {
          enum5 = 11;
          break;
        }
        case "invalid": {
          enum5 = 12;
          break;
        }
        case "io": {
          enum5 = 13;
          break;
        }
        case "is-directory": {
          enum5 = 14;
          break;
        }
        case "loop": {
          enum5 = 15;
          break;
        }
        case "too-many-links": {
          enum5 = 16;
          break;
        }
        case "message-size": {
          enum5 = 17;
          break;
        }
        case "name-too-long": {
          enum5 = 18;
          break;
        }
        case "no-device": {
          enum5 = 19;
          break;
        }
        case "no-entry": {
          enum5 = 20;
          break;
        }
        case "no-lock": {
          enum5 = 21;
          break;
        }
        case "insufficient-memory": {
          enum5 = 22;
          break;
        }
        case "insufficient-space": {
          enum5 = 23;
          break;
        }
        case "not-directory": {
          enum5 = 24;
          break;
        }
        case "not-empty": {
          enum5 = 25;
          break;
        }
        case "not-recoverable": {
          enum5 = 26;
          break;
        }
        case "unsupported": {
          enum5 = 27;
          break;
        }
        case "no-tty": {
          enum5 = 28;
          break;
        }
        case "no-such-device": {
          enum5 = 29;
          break;
        }
        case "overflow": {
          enum5 = 30;
          break;
        }
        case "not-permitted": {
          enum5 = 31;
          break;
        }
        case "pipe": {
          enum5 = 32;
          break;
        }
        case "read-only": {
          enum5 = 33;
          break;
        }
        case "invalid-seek": {
          enum5 = 34;
          break;
        }
        case "text-file-busy": {
          enum5 = 35;
          break;
        }
        case "cross-device": {
          enum5 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val5}" is not one of the cases of error-code`);
        }
      }
      dataView2(memory02).setInt8(arg2 + 4, enum5, true);
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.write-via-stream"][Instruction::Return]', {
    funcName: "[method]descriptor.write-via-stream",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline222.fnName = "wasi:filesystem/types@0.2.12#writeViaStream";
var _trampoline232 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable52[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable52.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(Descriptor3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.stat"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "stat",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.stat())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant13 = ret;
  switch (variant13.tag) {
    case "ok": {
      const e = variant13.val;
      dataView2(memory02).setInt8(arg1 + 0, 0, true);
      var { type: v4_0, linkCount: v4_1, size: v4_2, dataAccessTimestamp: v4_3, dataModificationTimestamp: v4_4, statusChangeTimestamp: v4_5 } = e;
      var val5 = v4_0;
      let enum5;
      switch (val5) {
        case "unknown": {
          enum5 = 0;
          break;
        }
        case "block-device": {
          enum5 = 1;
          break;
        }
        case "character-device": {
          enum5 = 2;
          break;
        }
        case "directory": {
          enum5 = 3;
          break;
        }
        case "fifo": {
          enum5 = 4;
          break;
        }
        case "symbolic-link": {
          enum5 = 5;
          break;
        }
        case "regular-file": {
          enum5 = 6;
          break;
        }
        case "socket": {
          enum5 = 7;
          break;
        }
        default: {
          if (v4_0 instanceof Error) {
            console.error(v4_0);
          }
          throw new TypeError(`"${val5}" is not one of the cases of descriptor-type`);
        }
      }
      dataView2(memory02).setInt8(arg1 + 8, enum5, true);
      dataView2(memory02).setBigInt64(arg1 + 16, toUint642(v4_1), true);
      dataView2(memory02).setBigInt64(arg1 + 24, toUint642(v4_2), true);
      var variant7 = v4_3;
      if (variant7 === null || variant7 === void 0) {
        dataView2(memory02).setInt8(arg1 + 32, 0, true);
      } else {
        const e2 = variant7;
        dataView2(memory02).setInt8(arg1 + 32, 1, true);
        var { seconds: v6_0, nanoseconds: v6_1 } = e2;
        dataView2(memory02).setBigInt64(arg1 + 40, toUint642(v6_0), true);
        dataView2(memory02).setInt32(arg1 + 48, toUint322(v6_1), true);
      }
      var variant9 = v4_4;
      if (variant9 === null || variant9 === void 0) {
        dataView2(memory02).setInt8(arg1 + 56, 0, true);
      } else {
        const e2 = variant9;
        dataView2(memory02).setInt8(arg1 + 56, 1, true);
        var { seconds: v8_0, nanoseconds: v8_1 } = e2;
        dataView2(memory02).setBigInt64(arg1 + 64, toUint642(v8_0), true);
        dataView2(memory02).setInt32(arg1 + 72, toUint322(v8_1), true);
      }
      var variant11 = v4_5;
      if (variant11 === null || variant11 === void 0) {
        dataView2(memory02).setInt8(arg1 + 80, 0, true);
      } else {
        const e2 = variant11;
        dataView2(memory02).setInt8(arg1 + 80, 1, true);
        var { seconds: v10_0, nanoseconds: v10_1 } = e2;
        dataView2(memory02).setBigInt64(arg1 + 88, toUint642(v10_0), true);
        dataView2(memory02).setInt32(arg1 + 96, toUint322(v10_1), true);
      }
      break;
    }
    case "err": {
      const e = variant13.val;
      dataView2(memory02).setInt8(arg1 + 0, 1, true);
      var val12 = e;
      let enum12;
      switch (val12) {
        case "access": {
          enum12 = 0;
          break;
        }
        case "would-block": {
          enum12 = 1;
          break;
        }
        case "already": {
          enum12 = 2;
          break;
        }
        case "bad-descriptor": {
          enum12 = 3;
          break;
        }
        case "busy": {
          enum12 = 4;
          break;
        }
        case "deadlock": {
          enum12 = 5;
          break;
        }
        case "quota": {
          enum12 = 6;
          break;
        }
        case "exist": {
          enum12 = 7;
          break;
        }
        case "file-too-large": {
          enum12 = 8;
          break;
        }
        case "illegal-byte-sequence": {
          enum12 = 9;
          break;
        }
        case "in-progress": {
          enum12 = 10;
          break;
        }
        case "interrupted": {
          enum12 = 11;
          break;
        }
        case "invalid": {
          enum12 = 12;
          break;
        }
        case "io": {
          enum12 = 13;
          break;
        }
        case "is-directory": {
          enum12 = 14;
          break;
        }
        case "loop": {
          enum12 = 15;
          break;
        }
        case "too-many-links": {
          enum12 = 16;
          break;
        }
        case "message-size": {
          enum12 = 17;
          break;
        }
        case "name-too-long": {
          enum12 = 18;
          break;
        }
        case "no-device": {
          enum12 = 19;
          break;
        }
        case "no-entry": {
          enum12 = 20;
          break;
        }
        case "no-lock": {
          enum12 = 21;
          break;
        }
        case "insufficient-memory": {
          enum12 = 22;
          break;
        }
        case "insufficient-space": {
          enum12 = 23;
          break;
        }
        case "not-directory": {
          enum12 = 24;
          break;
        }
        case "not-empty": {
          enum12 = 25;
          break;
        }
        case "not-recoverable": {
          enum12 = 26;
          break;
        }
        case "unsupported": {
          enum12 = 27;
          break;
        }
        case "no-tty": {
          enum12 = 28;
          break;
        }
        case "no-such-device": {
          enum12 = 29;
          break;
        }
        case "overflow": {
          enum12 = 30;
          break;
        }
        case "not-permitted": {
          enum12 = 31;
          break;
        }
        case "pipe": {
          enum12 = 32;
          break;
        }
        case "read-only": {
          enum12 = 33;
          break;
        }
        case "invalid-seek": {
          enum12 = 34;
          break;
        }
        case "text-file-busy": {
          enum12 = 35;
          break;
        }
        case "cross-device": {
          enum12 = 36;
          break;
        }
        default: {
          if (e instanceof Error) {
            console.error(e);
          }
          throw new TypeError(`"${val12}" is not one of the cases of error-code`);
        }
      }
      dataView2(memory02).setInt8(arg1 + 8, enum12, true);
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant13, valueType: typeof variant13 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:filesystem/types@0.2.12", function="[method]descriptor.stat"][Instruction::Return]', {
    funcName: "[method]descriptor.stat",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline232.fnName = "wasi:filesystem/types@0.2.12#stat";
var _trampoline242 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable12[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable12.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(OutputStream3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.check-write"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "checkWrite",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.checkWrite())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 0, true);
      dataView2(memory02).setBigInt64(arg1 + 8, toUint642(e), true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 1, true);
      var variant5 = e;
      switch (variant5.tag) {
        case "last-operation-failed": {
          const e2 = variant5.val;
          dataView2(memory02).setInt8(arg1 + 8, 0, true);
          if (!(e2 instanceof Error$12)) {
            throw new TypeError('Resource error: Not a valid "Error" resource.');
          }
          var handle4 = e2[symbolRscHandle2];
          if (!handle4) {
            const rep3 = e2[symbolRscRep2] || ++captureCnt02;
            captureTable02.set(rep3, e2);
            handle4 = rscTableCreateOwn2(handleTable02, rep3);
          }
          dataView2(memory02).setInt32(arg1 + 12, handle4, true);
          break;
        }
        case "closed": {
          dataView2(memory02).setInt8(arg1 + 8, 1, true);
          break;
        }
        default: {
          throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant5.tag)}\` (received \`${variant5}\`) specified for \`StreamError\``);
        }
      }
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.check-write"][Instruction::Return]', {
    funcName: "[method]output-stream.check-write",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline242.fnName = "wasi:io/streams@0.2.12#checkWrite";
var _trampoline252 = function(arg0, arg1, arg2, arg3) {
  var handle1 = arg0;
  var rep22 = handleTable12[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable12.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(OutputStream3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  var ptr3 = arg1;
  var len3 = arg2;
  if (ptr3 % 1 !== 0) throw new TypeError(`list pointer [${ptr3}] is not aligned to 1`);
  var result3 = new Uint8Array(memory02.buffer.slice(ptr3, ptr3 + len3 * 1));
  _debugLog2('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.write"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "write",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet4 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.write(result3))
    });
    ret = hostRet4 !== null && typeof hostRet4 === "object" && (hostRet4.tag === "ok" || hostRet4.tag === "err") ? hostRet4 : { tag: "ok", val: hostRet4 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant7 = ret;
  switch (variant7.tag) {
    case "ok": {
      const e = variant7.val;
      dataView2(memory02).setInt8(arg3 + 0, 0, true);
      break;
    }
    case "err": {
      const e = variant7.val;
      dataView2(memory02).setInt8(arg3 + 0, 1, true);
      var variant6 = e;
      switch (variant6.tag) {
        case "last-operation-failed": {
          const e2 = variant6.val;
          dataView2(memory02).setInt8(arg3 + 4, 0, true);
          if (!(e2 instanceof Error$12)) {
            throw new TypeError('Resource error: Not a valid "Error" resource.');
          }
          var handle5 = e2[symbolRscHandle2];
          if (!handle5) {
            const rep3 = e2[symbolRscRep2] || ++captureCnt02;
            captureTable02.set(rep3, e2);
            handle5 = rscTableCreateOwn2(handleTable02, rep3);
          }
          dataView2(memory02).setInt32(arg3 + 8, handle5, true);
          break;
        }
        case "closed": {
          dataView2(memory02).setInt8(arg3 + 4, 1, true);
          break;
        }
        default: {
          throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant6.tag)}\` (received \`${variant6}\`) specified for \`StreamError\``);
        }
      }
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant7, valueType: typeof variant7 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.write"][Instruction::Return]', {
    funcName: "[method]output-stream.write",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline252.fnName = "wasi:io/streams@0.2.12#write";
var _trampoline262 = function(arg0, arg1) {
  var handle1 = arg0;
  var rep22 = handleTable12[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable12.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(OutputStream3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.blocking-flush"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "blockingFlush",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.blockingFlush())
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant6 = ret;
  switch (variant6.tag) {
    case "ok": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 0, true);
      break;
    }
    case "err": {
      const e = variant6.val;
      dataView2(memory02).setInt8(arg1 + 0, 1, true);
      var variant5 = e;
      switch (variant5.tag) {
        case "last-operation-failed": {
          const e2 = variant5.val;
          dataView2(memory02).setInt8(arg1 + 4, 0, true);
          if (!(e2 instanceof Error$12)) {
            throw new TypeError('Resource error: Not a valid "Error" resource.');
          }
          var handle4 = e2[symbolRscHandle2];
          if (!handle4) {
            const rep3 = e2[symbolRscRep2] || ++captureCnt02;
            captureTable02.set(rep3, e2);
            handle4 = rscTableCreateOwn2(handleTable02, rep3);
          }
          dataView2(memory02).setInt32(arg1 + 8, handle4, true);
          break;
        }
        case "closed": {
          dataView2(memory02).setInt8(arg1 + 4, 1, true);
          break;
        }
        default: {
          throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant5.tag)}\` (received \`${variant5}\`) specified for \`StreamError\``);
        }
      }
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant6, valueType: typeof variant6 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.blocking-flush"][Instruction::Return]', {
    funcName: "[method]output-stream.blocking-flush",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline262.fnName = "wasi:io/streams@0.2.12#blockingFlush";
var _trampoline272 = function(arg0, arg1, arg2) {
  var handle1 = arg0;
  var rep22 = handleTable22[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable22.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(InputStream3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:io/streams@0.2.12", function="[method]input-stream.blocking-read"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "blockingRead",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.blockingRead(BigInt.asUintN(64, BigInt(arg1))))
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant7 = ret;
  switch (variant7.tag) {
    case "ok": {
      const e = variant7.val;
      dataView2(memory02).setInt8(arg2 + 0, 0, true);
      var val4 = e;
      var len4 = Array.isArray(val4) ? val4.length : val4.byteLength;
      var ptr4 = realloc02(0, 0, 1, len4 * 1);
      let valData4;
      const valLenBytes4 = len4 * 1;
      if (Array.isArray(val4)) {
        let offset = 0;
        const dv4 = new DataView(memory02.buffer);
        for (const v of val4) {
          _requireValidNumericPrimitive2.bind(null, "u8")(v);
          dv4.setUint8(ptr4 + offset, v, true);
          offset += 1;
        }
      } else {
        valData4 = new Uint8Array(val4.buffer || val4, val4.byteOffset, valLenBytes4);
        const out4 = new Uint8Array(memory02.buffer, ptr4, valLenBytes4);
        out4.set(valData4);
      }
      dataView2(memory02).setUint32(arg2 + 8, len4, true);
      dataView2(memory02).setUint32(arg2 + 4, ptr4, true);
      break;
    }
    case "err": {
      const e = variant7.val;
      dataView2(memory02).setInt8(arg2 + 0, 1, true);
      var variant6 = e;
      switch (variant6.tag) {
        case "last-operation-failed": {
          const e2 = variant6.val;
          dataView2(memory02).setInt8(arg2 + 4, 0, true);
          if (!(e2 instanceof Error$12)) {
            throw new TypeError('Resource error: Not a valid "Error" resource.');
          }
          var handle5 = e2[symbolRscHandle2];
          if (!handle5) {
            const rep3 = e2[symbolRscRep2] || ++captureCnt02;
            captureTable02.set(rep3, e2);
            handle5 = rscTableCreateOwn2(handleTable02, rep3);
          }
          dataView2(memory02).setInt32(arg2 + 8, handle5, true);
          break;
        }
        case "closed": {
          dataView2(memory02).setInt8(arg2 + 4, 1, true);
          break;
        }
        default: {
          throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant6.tag)}\` (received \`${variant6}\`) specified for \`StreamError\``);
        }
      }
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant7, valueType: typeof variant7 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:io/streams@0.2.12", function="[method]input-stream.blocking-read"][Instruction::Return]', {
    funcName: "[method]input-stream.blocking-read",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline272.fnName = "wasi:io/streams@0.2.12#blockingRead";
var _trampoline282 = function(arg0, arg1, arg2) {
  var handle1 = arg0;
  var rep22 = handleTable22[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable22.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(InputStream3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  _debugLog2('[iface="wasi:io/streams@0.2.12", function="[method]input-stream.read"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "read",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet3 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.read(BigInt.asUintN(64, BigInt(arg1))))
    });
    ret = hostRet3 !== null && typeof hostRet3 === "object" && (hostRet3.tag === "ok" || hostRet3.tag === "err") ? hostRet3 : { tag: "ok", val: hostRet3 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant7 = ret;
  switch (variant7.tag) {
    case "ok": {
      const e = variant7.val;
      dataView2(memory02).setInt8(arg2 + 0, 0, true);
      var val4 = e;
      var len4 = Array.isArray(val4) ? val4.length : val4.byteLength;
      var ptr4 = realloc02(0, 0, 1, len4 * 1);
      let valData4;
      const valLenBytes4 = len4 * 1;
      if (Array.isArray(val4)) {
        let offset = 0;
        const dv4 = new DataView(memory02.buffer);
        for (const v of val4) {
          _requireValidNumericPrimitive2.bind(null, "u8")(v);
          dv4.setUint8(ptr4 + offset, v, true);
          offset += 1;
        }
      } else {
        valData4 = new Uint8Array(val4.buffer || val4, val4.byteOffset, valLenBytes4);
        const out4 = new Uint8Array(memory02.buffer, ptr4, valLenBytes4);
        out4.set(valData4);
      }
      dataView2(memory02).setUint32(arg2 + 8, len4, true);
      dataView2(memory02).setUint32(arg2 + 4, ptr4, true);
      break;
    }
    case "err": {
      const e = variant7.val;
      dataView2(memory02).setInt8(arg2 + 0, 1, true);
      var variant6 = e;
      switch (variant6.tag) {
        case "last-operation-failed": {
          const e2 = variant6.val;
          dataView2(memory02).setInt8(arg2 + 4, 0, true);
          if (!(e2 instanceof Error$12)) {
            throw new TypeError('Resource error: Not a valid "Error" resource.');
          }
          var handle5 = e2[symbolRscHandle2];
          if (!handle5) {
            const rep3 = e2[symbolRscRep2] || ++captureCnt02;
            captureTable02.set(rep3, e2);
            handle5 = rscTableCreateOwn2(handleTable02, rep3);
          }
          dataView2(memory02).setInt32(arg2 + 8, handle5, true);
          break;
        }
        case "closed": {
          dataView2(memory02).setInt8(arg2 + 4, 1, true);
          break;
        }
        default: {
          throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant6.tag)}\` (received \`${variant6}\`) specified for \`StreamError\``);
        }
      }
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant7, valueType: typeof variant7 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:io/streams@0.2.12", function="[method]input-stream.read"][Instruction::Return]', {
    funcName: "[method]input-stream.read",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline282.fnName = "wasi:io/streams@0.2.12#read";
var _trampoline292 = function(arg0, arg1, arg2, arg3) {
  var handle1 = arg0;
  var rep22 = handleTable12[(handle1 << 1) + 1] & ~T_FLAG3;
  var rsc0 = captureTable12.get(rep22);
  if (!rsc0) {
    rsc0 = Object.create(OutputStream3.prototype);
    Object.defineProperty(rsc0, symbolRscHandle2, { writable: true, value: handle1 });
    Object.defineProperty(rsc0, symbolRscRep2, { writable: true, value: rep22 });
  }
  curResourceBorrows2.push(rsc0);
  var ptr3 = arg1;
  var len3 = arg2;
  if (ptr3 % 1 !== 0) throw new TypeError(`list pointer [${ptr3}] is not aligned to 1`);
  var result3 = new Uint8Array(memory02.buffer.slice(ptr3, ptr3 + len3 * 1));
  _debugLog2('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.blocking-write-and-flush"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "blockingWriteAndFlush",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "result-catch-handler",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    const hostRet4 = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => rsc0.blockingWriteAndFlush(result3))
    });
    ret = hostRet4 !== null && typeof hostRet4 === "object" && (hostRet4.tag === "ok" || hostRet4.tag === "err") ? hostRet4 : { tag: "ok", val: hostRet4 };
  } catch (e) {
    if (getOrCreateAsyncState2(0).markTrapped(e)) {
      throw e;
    }
    ret = { tag: "err", val: getErrorPayload2(e) };
  }
  for (const entry of curResourceBorrows2) {
    const rsc = entry.rsc ?? entry;
    if (entry.drop) {
      if (rsc[symbolRscHandle2]) {
        entry.drop(rsc[symbolRscHandle2]);
      }
    }
    rsc[symbolRscHandle2] = void 0;
  }
  curResourceBorrows2 = [];
  var variant7 = ret;
  switch (variant7.tag) {
    case "ok": {
      const e = variant7.val;
      dataView2(memory02).setInt8(arg3 + 0, 0, true);
      break;
    }
    case "err": {
      const e = variant7.val;
      dataView2(memory02).setInt8(arg3 + 0, 1, true);
      var variant6 = e;
      switch (variant6.tag) {
        case "last-operation-failed": {
          const e2 = variant6.val;
          dataView2(memory02).setInt8(arg3 + 4, 0, true);
          if (!(e2 instanceof Error$12)) {
            throw new TypeError('Resource error: Not a valid "Error" resource.');
          }
          var handle5 = e2[symbolRscHandle2];
          if (!handle5) {
            const rep3 = e2[symbolRscRep2] || ++captureCnt02;
            captureTable02.set(rep3, e2);
            handle5 = rscTableCreateOwn2(handleTable02, rep3);
          }
          dataView2(memory02).setInt32(arg3 + 8, handle5, true);
          break;
        }
        case "closed": {
          dataView2(memory02).setInt8(arg3 + 4, 1, true);
          break;
        }
        default: {
          throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant6.tag)}\` (received \`${variant6}\`) specified for \`StreamError\``);
        }
      }
      break;
    }
    default: {
      _debugLog2("ERROR: invalid value (expected result as object with 'tag' member)", { value: variant7, valueType: typeof variant7 });
      throw new TypeError("invalid variant specified for result");
    }
  }
  _debugLog2('[iface="wasi:io/streams@0.2.12", function="[method]output-stream.blocking-write-and-flush"][Instruction::Return]', {
    funcName: "[method]output-stream.blocking-write-and-flush",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline292.fnName = "wasi:io/streams@0.2.12#blockingWriteAndFlush";
var _trampoline302 = function(arg0) {
  _debugLog2('[iface="wasi:cli/environment@0.2.12", function="get-environment"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getEnvironment",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => getEnvironment2())
    });
  } catch (err) {
    _debugLog2("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState2(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  var vec3 = ret;
  var len3 = vec3.length;
  var result3 = realloc02(0, 0, 4, len3 * 16);
  for (let i = 0; i < vec3.length; i++) {
    const e = vec3[i];
    const base = result3 + i * 16;
    var [tuple0_0, tuple0_1] = e;
    var encodeRes = _utf8AllocateAndEncode2(tuple0_0, realloc02, memory02);
    var ptr1 = encodeRes.ptr;
    var len1 = encodeRes.len;
    dataView2(memory02).setUint32(base + 4, len1, true);
    dataView2(memory02).setUint32(base + 0, ptr1, true);
    var encodeRes = _utf8AllocateAndEncode2(tuple0_1, realloc02, memory02);
    var ptr2 = encodeRes.ptr;
    var len2 = encodeRes.len;
    dataView2(memory02).setUint32(base + 12, len2, true);
    dataView2(memory02).setUint32(base + 8, ptr2, true);
  }
  dataView2(memory02).setUint32(arg0 + 4, len3, true);
  dataView2(memory02).setUint32(arg0 + 0, result3, true);
  _debugLog2('[iface="wasi:cli/environment@0.2.12", function="get-environment"][Instruction::Return]', {
    funcName: "get-environment",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline302.fnName = "wasi:cli/environment@0.2.12#getEnvironment";
var _trampoline312 = function(arg0) {
  _debugLog2('[iface="wasi:filesystem/preopens@0.2.12", function="get-directories"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getDirectories",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => getDirectories2())
    });
  } catch (err) {
    _debugLog2("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState2(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  var vec3 = ret;
  var len3 = vec3.length;
  var result3 = realloc02(0, 0, 4, len3 * 12);
  for (let i = 0; i < vec3.length; i++) {
    const e = vec3[i];
    const base = result3 + i * 12;
    var [tuple0_0, tuple0_1] = e;
    if (!(tuple0_0 instanceof Descriptor3)) {
      throw new TypeError('Resource error: Not a valid "Descriptor" resource.');
    }
    var handle1 = tuple0_0[symbolRscHandle2];
    if (!handle1) {
      const rep3 = tuple0_0[symbolRscRep2] || ++captureCnt52;
      captureTable52.set(rep3, tuple0_0);
      handle1 = rscTableCreateOwn2(handleTable52, rep3);
    }
    dataView2(memory02).setInt32(base + 0, handle1, true);
    var encodeRes = _utf8AllocateAndEncode2(tuple0_1, realloc02, memory02);
    var ptr2 = encodeRes.ptr;
    var len2 = encodeRes.len;
    dataView2(memory02).setUint32(base + 8, len2, true);
    dataView2(memory02).setUint32(base + 4, ptr2, true);
  }
  dataView2(memory02).setUint32(arg0 + 4, len3, true);
  dataView2(memory02).setUint32(arg0 + 0, result3, true);
  _debugLog2('[iface="wasi:filesystem/preopens@0.2.12", function="get-directories"][Instruction::Return]', {
    funcName: "get-directories",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline312.fnName = "wasi:filesystem/preopens@0.2.12#getDirectories";
var _trampoline322 = function(arg0, arg1) {
  _debugLog2('[iface="wasi:random/random@0.2.12", function="get-random-bytes"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getRandomBytes",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => getRandomBytes3(BigInt.asUintN(64, BigInt(arg0))))
    });
  } catch (err) {
    _debugLog2("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState2(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  var val0 = ret;
  var len0 = Array.isArray(val0) ? val0.length : val0.byteLength;
  var ptr0 = realloc02(0, 0, 1, len0 * 1);
  let valData0;
  const valLenBytes0 = len0 * 1;
  if (Array.isArray(val0)) {
    let offset = 0;
    const dv0 = new DataView(memory02.buffer);
    for (const v of val0) {
      _requireValidNumericPrimitive2.bind(null, "u8")(v);
      dv0.setUint8(ptr0 + offset, v, true);
      offset += 1;
    }
  } else {
    valData0 = new Uint8Array(val0.buffer || val0, val0.byteOffset, valLenBytes0);
    const out0 = new Uint8Array(memory02.buffer, ptr0, valLenBytes0);
    out0.set(valData0);
  }
  dataView2(memory02).setUint32(arg1 + 4, len0, true);
  dataView2(memory02).setUint32(arg1 + 0, ptr0, true);
  _debugLog2('[iface="wasi:random/random@0.2.12", function="get-random-bytes"][Instruction::Return]', {
    funcName: "get-random-bytes",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline322.fnName = "wasi:random/random@0.2.12#getRandomBytes";
var handleTable32 = [T_FLAG3, 0];
handleTable32._createdReps = /* @__PURE__ */ new Set();
handleTable32._componentIdx = 0;
var captureTable32 = /* @__PURE__ */ new Map();
var captureCnt32 = 0;
HANDLE_TABLES2[3] = handleTable32;
var _trampoline332 = function(arg0) {
  _debugLog2('[iface="wasi:cli/terminal-stdin@0.2.12", function="get-terminal-stdin"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getTerminalStdin",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => getTerminalStdin2())
    });
  } catch (err) {
    _debugLog2("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState2(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  var variant1 = ret;
  if (variant1 === null || variant1 === void 0) {
    dataView2(memory02).setInt8(arg0 + 0, 0, true);
  } else {
    const e = variant1;
    dataView2(memory02).setInt8(arg0 + 0, 1, true);
    if (!(e instanceof TerminalInput3)) {
      throw new TypeError('Resource error: Not a valid "TerminalInput" resource.');
    }
    var handle0 = e[symbolRscHandle2];
    if (!handle0) {
      const rep3 = e[symbolRscRep2] || ++captureCnt32;
      captureTable32.set(rep3, e);
      handle0 = rscTableCreateOwn2(handleTable32, rep3);
    }
    dataView2(memory02).setInt32(arg0 + 4, handle0, true);
  }
  _debugLog2('[iface="wasi:cli/terminal-stdin@0.2.12", function="get-terminal-stdin"][Instruction::Return]', {
    funcName: "get-terminal-stdin",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline332.fnName = "wasi:cli/terminal-stdin@0.2.12#getTerminalStdin";
var handleTable42 = [T_FLAG3, 0];
handleTable42._createdReps = /* @__PURE__ */ new Set();
handleTable42._componentIdx = 0;
var captureTable42 = /* @__PURE__ */ new Map();
var captureCnt42 = 0;
HANDLE_TABLES2[4] = handleTable42;
var _trampoline342 = function(arg0) {
  _debugLog2('[iface="wasi:cli/terminal-stdout@0.2.12", function="get-terminal-stdout"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getTerminalStdout",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => getTerminalStdout2())
    });
  } catch (err) {
    _debugLog2("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState2(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  var variant1 = ret;
  if (variant1 === null || variant1 === void 0) {
    dataView2(memory02).setInt8(arg0 + 0, 0, true);
  } else {
    const e = variant1;
    dataView2(memory02).setInt8(arg0 + 0, 1, true);
    if (!(e instanceof TerminalOutput3)) {
      throw new TypeError('Resource error: Not a valid "TerminalOutput" resource.');
    }
    var handle0 = e[symbolRscHandle2];
    if (!handle0) {
      const rep3 = e[symbolRscRep2] || ++captureCnt42;
      captureTable42.set(rep3, e);
      handle0 = rscTableCreateOwn2(handleTable42, rep3);
    }
    dataView2(memory02).setInt32(arg0 + 4, handle0, true);
  }
  _debugLog2('[iface="wasi:cli/terminal-stdout@0.2.12", function="get-terminal-stdout"][Instruction::Return]', {
    funcName: "get-terminal-stdout",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline342.fnName = "wasi:cli/terminal-stdout@0.2.12#getTerminalStdout";
var _trampoline352 = function(arg0) {
  _debugLog2('[iface="wasi:cli/terminal-stderr@0.2.12", function="get-terminal-stderr"] [Instruction::CallInterface] (sync, @ enter)');
  const hostProvided = true;
  let parentTask;
  let task;
  let subtask;
  const createTask = () => {
    const results = createNewCurrentTask2({
      componentIdx: -1,
      isAsync: false,
      entryFnName: "getTerminalStderr",
      getCallbackFn: () => null,
      callbackFnName: null,
      errHandling: "none",
      callingWasmExport: false
    });
    task = results[0];
  };
  taskCreation: {
    parentTask = getCurrentTask2(
      0,
      _getGlobalCurrentTaskMeta2(0)?.taskID
    )?.task;
    if (!parentTask) {
      createTask();
      break taskCreation;
    }
    createTask();
    if (hostProvided) {
      subtask = parentTask.getLatestSubtask();
      if (!subtask) {
        throw new Error(`Missing subtask (in parent task [${parentTask.id()}]) for host import, has the import been lowered? (ensure asyncImports are set properly)`);
      }
      task.setParentSubtask(subtask);
    }
  }
  const started = task.enterSync();
  let ret;
  try {
    ret = _withGlobalCurrentTaskMeta2({
      componentIdx: task.componentIdx(),
      taskID: task.id(),
      fn: () => _trackHostOperation2(() => getTerminalStderr2())
    });
  } catch (err) {
    _debugLog2("[Instruction::CallInterface] error during sync call", {
      taskID: task.id(),
      subtaskID: task.getParentSubtask()?.id(),
      err
    });
    getOrCreateAsyncState2(0).markTrapped(err);
    task.setErrored(err);
    task.reject(err);
    task.exit();
    throw err;
  }
  var variant1 = ret;
  if (variant1 === null || variant1 === void 0) {
    dataView2(memory02).setInt8(arg0 + 0, 0, true);
  } else {
    const e = variant1;
    dataView2(memory02).setInt8(arg0 + 0, 1, true);
    if (!(e instanceof TerminalOutput3)) {
      throw new TypeError('Resource error: Not a valid "TerminalOutput" resource.');
    }
    var handle0 = e[symbolRscHandle2];
    if (!handle0) {
      const rep3 = e[symbolRscRep2] || ++captureCnt42;
      captureTable42.set(rep3, e);
      handle0 = rscTableCreateOwn2(handleTable42, rep3);
    }
    dataView2(memory02).setInt32(arg0 + 4, handle0, true);
  }
  _debugLog2('[iface="wasi:cli/terminal-stderr@0.2.12", function="get-terminal-stderr"][Instruction::Return]', {
    funcName: "get-terminal-stderr",
    paramCount: 0,
    async: false,
    postReturn: false
  });
  task.resolve([ret]);
  task.exit();
};
_trampoline352.fnName = "wasi:cli/terminal-stderr@0.2.12#getTerminalStderr";
var exports32;
var realloc12;
var realloc1Async2;
var postReturn02;
var postReturn0Async2;
var postReturn12;
var postReturn1Async2;
var postReturn22;
var postReturn2Async2;
var toolsParse;
function parse(arg0) {
  if (!_initialized2) throwUninitialized2();
  const hostProvided = false;
  getOrCreateAsyncState2(0).throwIfTrapped();
  const [task, _wasm_call_currentTaskID] = createNewCurrentTask2({
    componentIdx: 0,
    isAsync: false,
    isManualAsync: false,
    preserveFutureResult: false,
    entryFnName: "toolsParse",
    getCallbackFn: () => null,
    callbackFnName: null,
    errHandling: "throw-result-err",
    callingWasmExport: true
  });
  task.setCalleeIsAsync(false);
  const started = task.enterSync();
  CURRENT_TASK_MAY_BLOCK2.value = task.mayBlock() ? 1 : 0;
  if (true) {
    task.setReturnMemoryIdx(0);
    task.setReturnMemory(/* @__PURE__ */ (() => memory02)());
  }
  return _withGlobalCurrentTaskMeta2({
    taskID: task.id(),
    componentIdx: task.componentIdx(),
    fn: () => {
      try {
        var encodeRes = _utf8AllocateAndEncode2(arg0, realloc12, memory02);
        var ptr0 = encodeRes.ptr;
        var len0 = encodeRes.len;
        _debugLog2('[iface="local:wasm-tools/tools", function="parse"][Instruction::CallWasm] enter', {
          funcName: "parse",
          paramCount: 2,
          async: false,
          postReturn: true
        });
        let ret;
        try {
          ret = _withGlobalCurrentTaskMeta2({
            taskID: task.id(),
            componentIdx: task.componentIdx(),
            fn: () => toolsParse(ptr0, len0)
          });
        } catch (err) {
          _debugLog2("[Instruction::CallWasm] error during sync call", {
            taskID: task.id(),
            err
          });
          getOrCreateAsyncState2(0).markTrapped(err);
          task.setErrored(err);
          task.reject(err);
          task.exit();
          throw err;
        }
        let variant3;
        switch (dataView2(memory02).getUint8(ret + 0, true)) {
          case 0: {
            var ptr1 = dataView2(memory02).getUint32(ret + 4, true);
            var len1 = dataView2(memory02).getUint32(ret + 8, true);
            if (ptr1 % 1 !== 0) throw new TypeError(`list pointer [${ptr1}] is not aligned to 1`);
            var result1 = new Uint8Array(memory02.buffer.slice(ptr1, ptr1 + len1 * 1));
            variant3 = {
              tag: "ok",
              val: result1
            };
            break;
          }
          case 1: {
            var ptr2 = dataView2(memory02).getUint32(ret + 4, true);
            var len2 = dataView2(memory02).getUint32(ret + 8, true);
            var result2 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr2, len2));
            variant3 = {
              tag: "err",
              val: result2
            };
            break;
          }
          default: {
            throw new TypeError("invalid variant discriminant for expected");
          }
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="parse"][Instruction::Return]', {
          funcName: "parse",
          paramCount: 1,
          async: false,
          postReturn: true
        });
        const retCopy = variant3;
        task.resolve([retCopy.val]);
        let cstate = getOrCreateAsyncState2(0);
        cstate.mayLeave = false;
        postReturn02(ret);
        cstate.mayLeave = true;
        task.exit();
        if (typeof retCopy === "object" && retCopy.tag === "err") {
          throw new ComponentError2(retCopy.val);
        }
        return retCopy.val;
      } catch (err) {
        if (!task.isResolvedState()) {
          task.setErrored(err);
          task.reject(err);
        }
        if (!task.isExited()) {
          task.exit({ skipExclusiveLockCheck: true });
        }
        throw err;
      }
    }
  });
}
var toolsPrint;
function print(arg0) {
  if (!_initialized2) throwUninitialized2();
  const hostProvided = false;
  getOrCreateAsyncState2(0).throwIfTrapped();
  const [task, _wasm_call_currentTaskID] = createNewCurrentTask2({
    componentIdx: 0,
    isAsync: false,
    isManualAsync: false,
    preserveFutureResult: false,
    entryFnName: "toolsPrint",
    getCallbackFn: () => null,
    callbackFnName: null,
    errHandling: "throw-result-err",
    callingWasmExport: true
  });
  task.setCalleeIsAsync(false);
  const started = task.enterSync();
  CURRENT_TASK_MAY_BLOCK2.value = task.mayBlock() ? 1 : 0;
  if (true) {
    task.setReturnMemoryIdx(0);
    task.setReturnMemory(/* @__PURE__ */ (() => memory02)());
  }
  return _withGlobalCurrentTaskMeta2({
    taskID: task.id(),
    componentIdx: task.componentIdx(),
    fn: () => {
      try {
        var val0 = arg0;
        var len0 = Array.isArray(val0) ? val0.length : val0.byteLength;
        var ptr0 = realloc12(0, 0, 1, len0 * 1);
        let valData0;
        const valLenBytes0 = len0 * 1;
        if (Array.isArray(val0)) {
          let offset = 0;
          const dv0 = new DataView(memory02.buffer);
          for (const v of val0) {
            _requireValidNumericPrimitive2.bind(null, "u8")(v);
            dv0.setUint8(ptr0 + offset, v, true);
            offset += 1;
          }
        } else {
          valData0 = new Uint8Array(val0.buffer || val0, val0.byteOffset, valLenBytes0);
          const out0 = new Uint8Array(memory02.buffer, ptr0, valLenBytes0);
          out0.set(valData0);
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="print"][Instruction::CallWasm] enter', {
          funcName: "print",
          paramCount: 2,
          async: false,
          postReturn: true
        });
        let ret;
        try {
          ret = _withGlobalCurrentTaskMeta2({
            taskID: task.id(),
            componentIdx: task.componentIdx(),
            fn: () => toolsPrint(ptr0, len0)
          });
        } catch (err) {
          _debugLog2("[Instruction::CallWasm] error during sync call", {
            taskID: task.id(),
            err
          });
          getOrCreateAsyncState2(0).markTrapped(err);
          task.setErrored(err);
          task.reject(err);
          task.exit();
          throw err;
        }
        let variant3;
        switch (dataView2(memory02).getUint8(ret + 0, true)) {
          case 0: {
            var ptr1 = dataView2(memory02).getUint32(ret + 4, true);
            var len1 = dataView2(memory02).getUint32(ret + 8, true);
            var result1 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr1, len1));
            variant3 = {
              tag: "ok",
              val: result1
            };
            break;
          }
          case 1: {
            var ptr2 = dataView2(memory02).getUint32(ret + 4, true);
            var len2 = dataView2(memory02).getUint32(ret + 8, true);
            var result2 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr2, len2));
            variant3 = {
              tag: "err",
              val: result2
            };
            break;
          }
          default: {
            throw new TypeError("invalid variant discriminant for expected");
          }
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="print"][Instruction::Return]', {
          funcName: "print",
          paramCount: 1,
          async: false,
          postReturn: true
        });
        const retCopy = variant3;
        task.resolve([retCopy.val]);
        let cstate = getOrCreateAsyncState2(0);
        cstate.mayLeave = false;
        postReturn02(ret);
        cstate.mayLeave = true;
        task.exit();
        if (typeof retCopy === "object" && retCopy.tag === "err") {
          throw new ComponentError2(retCopy.val);
        }
        return retCopy.val;
      } catch (err) {
        if (!task.isResolvedState()) {
          task.setErrored(err);
          task.reject(err);
        }
        if (!task.isExited()) {
          task.exit({ skipExclusiveLockCheck: true });
        }
        throw err;
      }
    }
  });
}
var toolsComponentNew;
function componentNew(arg0, arg1) {
  if (!_initialized2) throwUninitialized2();
  const hostProvided = false;
  getOrCreateAsyncState2(0).throwIfTrapped();
  const [task, _wasm_call_currentTaskID] = createNewCurrentTask2({
    componentIdx: 0,
    isAsync: false,
    isManualAsync: false,
    preserveFutureResult: false,
    entryFnName: "toolsComponentNew",
    getCallbackFn: () => null,
    callbackFnName: null,
    errHandling: "throw-result-err",
    callingWasmExport: true
  });
  task.setCalleeIsAsync(false);
  const started = task.enterSync();
  CURRENT_TASK_MAY_BLOCK2.value = task.mayBlock() ? 1 : 0;
  if (true) {
    task.setReturnMemoryIdx(0);
    task.setReturnMemory(/* @__PURE__ */ (() => memory02)());
  }
  return _withGlobalCurrentTaskMeta2({
    taskID: task.id(),
    componentIdx: task.componentIdx(),
    fn: () => {
      try {
        var val0 = arg0;
        var len0 = Array.isArray(val0) ? val0.length : val0.byteLength;
        var ptr0 = realloc12(0, 0, 1, len0 * 1);
        let valData0;
        const valLenBytes0 = len0 * 1;
        if (Array.isArray(val0)) {
          let offset = 0;
          const dv0 = new DataView(memory02.buffer);
          for (const v of val0) {
            _requireValidNumericPrimitive2.bind(null, "u8")(v);
            dv0.setUint8(ptr0 + offset, v, true);
            offset += 1;
          }
        } else {
          valData0 = new Uint8Array(val0.buffer || val0, val0.byteOffset, valLenBytes0);
          const out0 = new Uint8Array(memory02.buffer, ptr0, valLenBytes0);
          out0.set(valData0);
        }
        var variant5 = arg1;
        let variant5_0;
        let variant5_1;
        let variant5_2;
        if (variant5 === null || variant5 === void 0) {
          variant5_0 = 0;
          variant5_1 = 0;
          variant5_2 = 0;
        } else {
          const e = variant5;
          var vec4 = e;
          var len4 = vec4.length;
          var result4 = realloc12(0, 0, 4, len4 * 16);
          for (let i = 0; i < vec4.length; i++) {
            const e2 = vec4[i];
            const base = result4 + i * 16;
            var [tuple1_0, tuple1_1] = e2;
            var encodeRes = _utf8AllocateAndEncode2(tuple1_0, realloc12, memory02);
            var ptr2 = encodeRes.ptr;
            var len2 = encodeRes.len;
            dataView2(memory02).setUint32(base + 4, len2, true);
            dataView2(memory02).setUint32(base + 0, ptr2, true);
            var val3 = tuple1_1;
            var len3 = Array.isArray(val3) ? val3.length : val3.byteLength;
            var ptr3 = realloc12(0, 0, 1, len3 * 1);
            let valData3;
            const valLenBytes3 = len3 * 1;
            if (Array.isArray(val3)) {
              let offset = 0;
              const dv3 = new DataView(memory02.buffer);
              for (const v of val3) {
                _requireValidNumericPrimitive2.bind(null, "u8")(v);
                dv3.setUint8(ptr3 + offset, v, true);
                offset += 1;
              }
            } else {
              valData3 = new Uint8Array(val3.buffer || val3, val3.byteOffset, valLenBytes3);
              const out3 = new Uint8Array(memory02.buffer, ptr3, valLenBytes3);
              out3.set(valData3);
            }
            dataView2(memory02).setUint32(base + 12, len3, true);
            dataView2(memory02).setUint32(base + 8, ptr3, true);
          }
          variant5_0 = 1;
          variant5_1 = result4;
          variant5_2 = len4;
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="component-new"][Instruction::CallWasm] enter', {
          funcName: "component-new",
          paramCount: 5,
          async: false,
          postReturn: true
        });
        let ret;
        try {
          ret = _withGlobalCurrentTaskMeta2({
            taskID: task.id(),
            componentIdx: task.componentIdx(),
            fn: () => toolsComponentNew(ptr0, len0, variant5_0, variant5_1, variant5_2)
          });
        } catch (err) {
          _debugLog2("[Instruction::CallWasm] error during sync call", {
            taskID: task.id(),
            err
          });
          getOrCreateAsyncState2(0).markTrapped(err);
          task.setErrored(err);
          task.reject(err);
          task.exit();
          throw err;
        }
        let variant8;
        switch (dataView2(memory02).getUint8(ret + 0, true)) {
          case 0: {
            var ptr6 = dataView2(memory02).getUint32(ret + 4, true);
            var len6 = dataView2(memory02).getUint32(ret + 8, true);
            if (ptr6 % 1 !== 0) throw new TypeError(`list pointer [${ptr6}] is not aligned to 1`);
            var result6 = new Uint8Array(memory02.buffer.slice(ptr6, ptr6 + len6 * 1));
            variant8 = {
              tag: "ok",
              val: result6
            };
            break;
          }
          case 1: {
            var ptr7 = dataView2(memory02).getUint32(ret + 4, true);
            var len7 = dataView2(memory02).getUint32(ret + 8, true);
            var result7 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr7, len7));
            variant8 = {
              tag: "err",
              val: result7
            };
            break;
          }
          default: {
            throw new TypeError("invalid variant discriminant for expected");
          }
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="component-new"][Instruction::Return]', {
          funcName: "component-new",
          paramCount: 1,
          async: false,
          postReturn: true
        });
        const retCopy = variant8;
        task.resolve([retCopy.val]);
        let cstate = getOrCreateAsyncState2(0);
        cstate.mayLeave = false;
        postReturn02(ret);
        cstate.mayLeave = true;
        task.exit();
        if (typeof retCopy === "object" && retCopy.tag === "err") {
          throw new ComponentError2(retCopy.val);
        }
        return retCopy.val;
      } catch (err) {
        if (!task.isResolvedState()) {
          task.setErrored(err);
          task.reject(err);
        }
        if (!task.isExited()) {
          task.exit({ skipExclusiveLockCheck: true });
        }
        throw err;
      }
    }
  });
}
var toolsComponentWit;
function componentWit(arg0) {
  if (!_initialized2) throwUninitialized2();
  const hostProvided = false;
  getOrCreateAsyncState2(0).throwIfTrapped();
  const [task, _wasm_call_currentTaskID] = createNewCurrentTask2({
    componentIdx: 0,
    isAsync: false,
    isManualAsync: false,
    preserveFutureResult: false,
    entryFnName: "toolsComponentWit",
    getCallbackFn: () => null,
    callbackFnName: null,
    errHandling: "throw-result-err",
    callingWasmExport: true
  });
  task.setCalleeIsAsync(false);
  const started = task.enterSync();
  CURRENT_TASK_MAY_BLOCK2.value = task.mayBlock() ? 1 : 0;
  if (true) {
    task.setReturnMemoryIdx(0);
    task.setReturnMemory(/* @__PURE__ */ (() => memory02)());
  }
  return _withGlobalCurrentTaskMeta2({
    taskID: task.id(),
    componentIdx: task.componentIdx(),
    fn: () => {
      try {
        var val0 = arg0;
        var len0 = Array.isArray(val0) ? val0.length : val0.byteLength;
        var ptr0 = realloc12(0, 0, 1, len0 * 1);
        let valData0;
        const valLenBytes0 = len0 * 1;
        if (Array.isArray(val0)) {
          let offset = 0;
          const dv0 = new DataView(memory02.buffer);
          for (const v of val0) {
            _requireValidNumericPrimitive2.bind(null, "u8")(v);
            dv0.setUint8(ptr0 + offset, v, true);
            offset += 1;
          }
        } else {
          valData0 = new Uint8Array(val0.buffer || val0, val0.byteOffset, valLenBytes0);
          const out0 = new Uint8Array(memory02.buffer, ptr0, valLenBytes0);
          out0.set(valData0);
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="component-wit"][Instruction::CallWasm] enter', {
          funcName: "component-wit",
          paramCount: 2,
          async: false,
          postReturn: true
        });
        let ret;
        try {
          ret = _withGlobalCurrentTaskMeta2({
            taskID: task.id(),
            componentIdx: task.componentIdx(),
            fn: () => toolsComponentWit(ptr0, len0)
          });
        } catch (err) {
          _debugLog2("[Instruction::CallWasm] error during sync call", {
            taskID: task.id(),
            err
          });
          getOrCreateAsyncState2(0).markTrapped(err);
          task.setErrored(err);
          task.reject(err);
          task.exit();
          throw err;
        }
        let variant3;
        switch (dataView2(memory02).getUint8(ret + 0, true)) {
          case 0: {
            var ptr1 = dataView2(memory02).getUint32(ret + 4, true);
            var len1 = dataView2(memory02).getUint32(ret + 8, true);
            var result1 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr1, len1));
            variant3 = {
              tag: "ok",
              val: result1
            };
            break;
          }
          case 1: {
            var ptr2 = dataView2(memory02).getUint32(ret + 4, true);
            var len2 = dataView2(memory02).getUint32(ret + 8, true);
            var result2 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr2, len2));
            variant3 = {
              tag: "err",
              val: result2
            };
            break;
          }
          default: {
            throw new TypeError("invalid variant discriminant for expected");
          }
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="component-wit"][Instruction::Return]', {
          funcName: "component-wit",
          paramCount: 1,
          async: false,
          postReturn: true
        });
        const retCopy = variant3;
        task.resolve([retCopy.val]);
        let cstate = getOrCreateAsyncState2(0);
        cstate.mayLeave = false;
        postReturn02(ret);
        cstate.mayLeave = true;
        task.exit();
        if (typeof retCopy === "object" && retCopy.tag === "err") {
          throw new ComponentError2(retCopy.val);
        }
        return retCopy.val;
      } catch (err) {
        if (!task.isResolvedState()) {
          task.setErrored(err);
          task.reject(err);
        }
        if (!task.isExited()) {
          task.exit({ skipExclusiveLockCheck: true });
        }
        throw err;
      }
    }
  });
}
var toolsComponentWitMetadataForWorld;
function componentWitMetadataForWorld(arg0, arg1) {
  if (!_initialized2) throwUninitialized2();
  const hostProvided = false;
  getOrCreateAsyncState2(0).throwIfTrapped();
  const [task, _wasm_call_currentTaskID] = createNewCurrentTask2({
    componentIdx: 0,
    isAsync: false,
    isManualAsync: false,
    preserveFutureResult: false,
    entryFnName: "toolsComponentWitMetadataForWorld",
    getCallbackFn: () => null,
    callbackFnName: null,
    errHandling: "throw-result-err",
    callingWasmExport: true
  });
  task.setCalleeIsAsync(false);
  const started = task.enterSync();
  CURRENT_TASK_MAY_BLOCK2.value = task.mayBlock() ? 1 : 0;
  if (true) {
    task.setReturnMemoryIdx(0);
    task.setReturnMemory(/* @__PURE__ */ (() => memory02)());
  }
  return _withGlobalCurrentTaskMeta2({
    taskID: task.id(),
    componentIdx: task.componentIdx(),
    fn: () => {
      try {
        var variant2 = arg0;
        let variant2_0;
        let variant2_1;
        let variant2_2;
        switch (variant2.tag) {
          case "source": {
            const e = variant2.val;
            var encodeRes = _utf8AllocateAndEncode2(e, realloc12, memory02);
            var ptr0 = encodeRes.ptr;
            var len0 = encodeRes.len;
            variant2_0 = 0;
            variant2_1 = ptr0;
            variant2_2 = len0;
            break;
          }
          case "path": {
            const e = variant2.val;
            var encodeRes = _utf8AllocateAndEncode2(e, realloc12, memory02);
            var ptr1 = encodeRes.ptr;
            var len1 = encodeRes.len;
            variant2_0 = 1;
            variant2_1 = ptr1;
            variant2_2 = len1;
            break;
          }
          default: {
            throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant2.tag)}\` (received \`${variant2}\`) specified for \`WitSpecifier\``);
          }
        }
        var variant4 = arg1;
        let variant4_0;
        let variant4_1;
        let variant4_2;
        if (variant4 === null || variant4 === void 0) {
          variant4_0 = 0;
          variant4_1 = 0;
          variant4_2 = 0;
        } else {
          const e = variant4;
          var encodeRes = _utf8AllocateAndEncode2(e, realloc12, memory02);
          var ptr3 = encodeRes.ptr;
          var len3 = encodeRes.len;
          variant4_0 = 1;
          variant4_1 = ptr3;
          variant4_2 = len3;
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="component-wit-metadata-for-world"][Instruction::CallWasm] enter', {
          funcName: "component-wit-metadata-for-world",
          paramCount: 6,
          async: false,
          postReturn: true
        });
        let ret;
        try {
          ret = _withGlobalCurrentTaskMeta2({
            taskID: task.id(),
            componentIdx: task.componentIdx(),
            fn: () => toolsComponentWitMetadataForWorld(variant2_0, variant2_1, variant2_2, variant4_0, variant4_1, variant4_2)
          });
        } catch (err) {
          _debugLog2("[Instruction::CallWasm] error during sync call", {
            taskID: task.id(),
            err
          });
          getOrCreateAsyncState2(0).markTrapped(err);
          task.setErrored(err);
          task.reject(err);
          task.exit();
          throw err;
        }
        let variant24;
        switch (dataView2(memory02).getUint8(ret + 0, true)) {
          case 0: {
            var len13 = dataView2(memory02).getUint32(ret + 8, true);
            var base13 = dataView2(memory02).getUint32(ret + 4, true);
            if (base13 % 8 !== 0) throw new TypeError(`list pointer [${base13}] is not aligned to 8`);
            var result13 = [];
            for (let i = 0; i < len13; i++) {
              const base = base13 + i * 80;
              var ptr5 = dataView2(memory02).getUint32(base + 0, true);
              var len5 = dataView2(memory02).getUint32(base + 4, true);
              var result5 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr5, len5));
              var ptr6 = dataView2(memory02).getUint32(base + 8, true);
              var len6 = dataView2(memory02).getUint32(base + 12, true);
              var result6 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr6, len6));
              var ptr7 = dataView2(memory02).getUint32(base + 16, true);
              var len7 = dataView2(memory02).getUint32(base + 20, true);
              var result7 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr7, len7));
              let variant12;
              switch (dataView2(memory02).getUint8(base + 24, true)) {
                case 0: {
                  variant12 = void 0;
                  break;
                }
                case 1: {
                  let variant9;
                  switch (dataView2(memory02).getUint8(base + 56, true)) {
                    case 0: {
                      variant9 = void 0;
                      break;
                    }
                    case 1: {
                      var ptr8 = dataView2(memory02).getUint32(base + 60, true);
                      var len8 = dataView2(memory02).getUint32(base + 64, true);
                      var result8 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr8, len8));
                      variant9 = result8;
                      break;
                    }
                    default: {
                      throw new TypeError("invalid variant discriminant for option");
                    }
                  }
                  let variant11;
                  switch (dataView2(memory02).getUint8(base + 68, true)) {
                    case 0: {
                      variant11 = void 0;
                      break;
                    }
                    case 1: {
                      var ptr10 = dataView2(memory02).getUint32(base + 72, true);
                      var len10 = dataView2(memory02).getUint32(base + 76, true);
                      var result10 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr10, len10));
                      variant11 = result10;
                      break;
                    }
                    default: {
                      throw new TypeError("invalid variant discriminant for option");
                    }
                  }
                  variant12 = {
                    major: BigInt.asUintN(64, BigInt(dataView2(memory02).getBigInt64(base + 32, true))),
                    minor: BigInt.asUintN(64, BigInt(dataView2(memory02).getBigInt64(base + 40, true))),
                    patch: BigInt.asUintN(64, BigInt(dataView2(memory02).getBigInt64(base + 48, true))),
                    pre: variant9,
                    build: variant11
                  };
                  break;
                }
                default: {
                  throw new TypeError("invalid variant discriminant for option");
                }
              }
              result13.push({
                namespace: result5,
                package: result6,
                interface: result7,
                version: variant12
              });
            }
            var len22 = dataView2(memory02).getUint32(ret + 16, true);
            var base22 = dataView2(memory02).getUint32(ret + 12, true);
            if (base22 % 8 !== 0) throw new TypeError(`list pointer [${base22}] is not aligned to 8`);
            var result22 = [];
            for (let i = 0; i < len22; i++) {
              const base = base22 + i * 80;
              var ptr14 = dataView2(memory02).getUint32(base + 0, true);
              var len14 = dataView2(memory02).getUint32(base + 4, true);
              var result14 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr14, len14));
              var ptr15 = dataView2(memory02).getUint32(base + 8, true);
              var len15 = dataView2(memory02).getUint32(base + 12, true);
              var result15 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr15, len15));
              var ptr16 = dataView2(memory02).getUint32(base + 16, true);
              var len16 = dataView2(memory02).getUint32(base + 20, true);
              var result16 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr16, len16));
              let variant21;
              switch (dataView2(memory02).getUint8(base + 24, true)) {
                case 0: {
                  variant21 = void 0;
                  break;
                }
                case 1: {
                  let variant18;
                  switch (dataView2(memory02).getUint8(base + 56, true)) {
                    case 0: {
                      variant18 = void 0;
                      break;
                    }
                    case 1: {
                      var ptr17 = dataView2(memory02).getUint32(base + 60, true);
                      var len17 = dataView2(memory02).getUint32(base + 64, true);
                      var result17 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr17, len17));
                      variant18 = result17;
                      break;
                    }
                    default: {
                      throw new TypeError("invalid variant discriminant for option");
                    }
                  }
                  let variant20;
                  switch (dataView2(memory02).getUint8(base + 68, true)) {
                    case 0: {
                      variant20 = void 0;
                      break;
                    }
                    case 1: {
                      var ptr19 = dataView2(memory02).getUint32(base + 72, true);
                      var len19 = dataView2(memory02).getUint32(base + 76, true);
                      var result19 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr19, len19));
                      variant20 = result19;
                      break;
                    }
                    default: {
                      throw new TypeError("invalid variant discriminant for option");
                    }
                  }
                  variant21 = {
                    major: BigInt.asUintN(64, BigInt(dataView2(memory02).getBigInt64(base + 32, true))),
                    minor: BigInt.asUintN(64, BigInt(dataView2(memory02).getBigInt64(base + 40, true))),
                    patch: BigInt.asUintN(64, BigInt(dataView2(memory02).getBigInt64(base + 48, true))),
                    pre: variant18,
                    build: variant20
                  };
                  break;
                }
                default: {
                  throw new TypeError("invalid variant discriminant for option");
                }
              }
              result22.push({
                namespace: result14,
                package: result15,
                interface: result16,
                version: variant21
              });
            }
            variant24 = {
              tag: "ok",
              val: {
                imports: result13,
                exports: result22
              }
            };
            break;
          }
          case 1: {
            var ptr23 = dataView2(memory02).getUint32(ret + 4, true);
            var len23 = dataView2(memory02).getUint32(ret + 8, true);
            var result23 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr23, len23));
            variant24 = {
              tag: "err",
              val: result23
            };
            break;
          }
          default: {
            throw new TypeError("invalid variant discriminant for expected");
          }
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="component-wit-metadata-for-world"][Instruction::Return]', {
          funcName: "component-wit-metadata-for-world",
          paramCount: 1,
          async: false,
          postReturn: true
        });
        const retCopy = variant24;
        task.resolve([retCopy.val]);
        let cstate = getOrCreateAsyncState2(0);
        cstate.mayLeave = false;
        postReturn12(ret);
        cstate.mayLeave = true;
        task.exit();
        if (typeof retCopy === "object" && retCopy.tag === "err") {
          throw new ComponentError2(retCopy.val);
        }
        return retCopy.val;
      } catch (err) {
        if (!task.isResolvedState()) {
          task.setErrored(err);
          task.reject(err);
        }
        if (!task.isExited()) {
          task.exit({ skipExclusiveLockCheck: true });
        }
        throw err;
      }
    }
  });
}
var toolsComponentEmbed;
function componentEmbed(arg0) {
  if (!_initialized2) throwUninitialized2();
  const hostProvided = false;
  getOrCreateAsyncState2(0).throwIfTrapped();
  const [task, _wasm_call_currentTaskID] = createNewCurrentTask2({
    componentIdx: 0,
    isAsync: false,
    isManualAsync: false,
    preserveFutureResult: false,
    entryFnName: "toolsComponentEmbed",
    getCallbackFn: () => null,
    callbackFnName: null,
    errHandling: "throw-result-err",
    callingWasmExport: true
  });
  task.setCalleeIsAsync(false);
  const started = task.enterSync();
  CURRENT_TASK_MAY_BLOCK2.value = task.mayBlock() ? 1 : 0;
  if (true) {
    task.setReturnMemoryIdx(0);
    task.setReturnMemory(/* @__PURE__ */ (() => memory02)());
  }
  return _withGlobalCurrentTaskMeta2({
    taskID: task.id(),
    componentIdx: task.componentIdx(),
    fn: () => {
      try {
        var ptr0 = realloc12(0, 0, 4, 80);
        var { binary: v1_0, witSource: v1_1, witPath: v1_2, stringEncoding: v1_3, dummy: v1_4, world: v1_5, metadata: v1_6, features: v1_7 } = arg0;
        var variant3 = v1_0;
        if (variant3 === null || variant3 === void 0) {
          dataView2(memory02).setInt8(ptr0 + 0, 0, true);
        } else {
          const e = variant3;
          dataView2(memory02).setInt8(ptr0 + 0, 1, true);
          var val2 = e;
          var len2 = Array.isArray(val2) ? val2.length : val2.byteLength;
          var ptr2 = realloc12(0, 0, 1, len2 * 1);
          let valData2;
          const valLenBytes2 = len2 * 1;
          if (Array.isArray(val2)) {
            let offset = 0;
            const dv22 = new DataView(memory02.buffer);
            for (const v of val2) {
              _requireValidNumericPrimitive2.bind(null, "u8")(v);
              dv22.setUint8(ptr2 + offset, v, true);
              offset += 1;
            }
          } else {
            valData2 = new Uint8Array(val2.buffer || val2, val2.byteOffset, valLenBytes2);
            const out2 = new Uint8Array(memory02.buffer, ptr2, valLenBytes2);
            out2.set(valData2);
          }
          dataView2(memory02).setUint32(ptr0 + 8, len2, true);
          dataView2(memory02).setUint32(ptr0 + 4, ptr2, true);
        }
        var variant5 = v1_1;
        if (variant5 === null || variant5 === void 0) {
          dataView2(memory02).setInt8(ptr0 + 12, 0, true);
        } else {
          const e = variant5;
          dataView2(memory02).setInt8(ptr0 + 12, 1, true);
          var encodeRes = _utf8AllocateAndEncode2(e, realloc12, memory02);
          var ptr4 = encodeRes.ptr;
          var len4 = encodeRes.len;
          dataView2(memory02).setUint32(ptr0 + 20, len4, true);
          dataView2(memory02).setUint32(ptr0 + 16, ptr4, true);
        }
        var variant7 = v1_2;
        if (variant7 === null || variant7 === void 0) {
          dataView2(memory02).setInt8(ptr0 + 24, 0, true);
        } else {
          const e = variant7;
          dataView2(memory02).setInt8(ptr0 + 24, 1, true);
          var encodeRes = _utf8AllocateAndEncode2(e, realloc12, memory02);
          var ptr6 = encodeRes.ptr;
          var len6 = encodeRes.len;
          dataView2(memory02).setUint32(ptr0 + 32, len6, true);
          dataView2(memory02).setUint32(ptr0 + 28, ptr6, true);
        }
        var variant9 = v1_3;
        if (variant9 === null || variant9 === void 0) {
          dataView2(memory02).setInt8(ptr0 + 36, 0, true);
        } else {
          const e = variant9;
          dataView2(memory02).setInt8(ptr0 + 36, 1, true);
          var val8 = e;
          let enum8;
          switch (val8) {
            case "utf8": {
              enum8 = 0;
              break;
            }
            case "utf16": {
              enum8 = 1;
              break;
            }
            case "compact-utf16": {
              enum8 = 2;
              break;
            }
            default: {
              if (e instanceof Error) {
                console.error(e);
              }
              throw new TypeError(`"${val8}" is not one of the cases of string-encoding`);
            }
          }
          dataView2(memory02).setInt8(ptr0 + 37, enum8, true);
        }
        var variant10 = v1_4;
        if (variant10 === null || variant10 === void 0) {
          dataView2(memory02).setInt8(ptr0 + 38, 0, true);
        } else {
          const e = variant10;
          dataView2(memory02).setInt8(ptr0 + 38, 1, true);
          dataView2(memory02).setInt8(ptr0 + 39, e ? 1 : 0, true);
        }
        var variant12 = v1_5;
        if (variant12 === null || variant12 === void 0) {
          dataView2(memory02).setInt8(ptr0 + 40, 0, true);
        } else {
          const e = variant12;
          dataView2(memory02).setInt8(ptr0 + 40, 1, true);
          var encodeRes = _utf8AllocateAndEncode2(e, realloc12, memory02);
          var ptr11 = encodeRes.ptr;
          var len11 = encodeRes.len;
          dataView2(memory02).setUint32(ptr0 + 48, len11, true);
          dataView2(memory02).setUint32(ptr0 + 44, ptr11, true);
        }
        var variant20 = v1_6;
        if (variant20 === null || variant20 === void 0) {
          dataView2(memory02).setInt8(ptr0 + 52, 0, true);
        } else {
          const e = variant20;
          dataView2(memory02).setInt8(ptr0 + 52, 1, true);
          var vec19 = e;
          var len19 = vec19.length;
          var result19 = realloc12(0, 0, 4, len19 * 16);
          for (let i = 0; i < vec19.length; i++) {
            const e2 = vec19[i];
            const base = result19 + i * 16;
            var [tuple13_0, tuple13_1] = e2;
            var encodeRes = _utf8AllocateAndEncode2(tuple13_0, realloc12, memory02);
            var ptr14 = encodeRes.ptr;
            var len14 = encodeRes.len;
            dataView2(memory02).setUint32(base + 4, len14, true);
            dataView2(memory02).setUint32(base + 0, ptr14, true);
            var vec18 = tuple13_1;
            var len18 = vec18.length;
            var result18 = realloc12(0, 0, 4, len18 * 16);
            for (let i2 = 0; i2 < vec18.length; i2++) {
              const e3 = vec18[i2];
              const base2 = result18 + i2 * 16;
              var [tuple15_0, tuple15_1] = e3;
              var encodeRes = _utf8AllocateAndEncode2(tuple15_0, realloc12, memory02);
              var ptr16 = encodeRes.ptr;
              var len16 = encodeRes.len;
              dataView2(memory02).setUint32(base2 + 4, len16, true);
              dataView2(memory02).setUint32(base2 + 0, ptr16, true);
              var encodeRes = _utf8AllocateAndEncode2(tuple15_1, realloc12, memory02);
              var ptr17 = encodeRes.ptr;
              var len17 = encodeRes.len;
              dataView2(memory02).setUint32(base2 + 12, len17, true);
              dataView2(memory02).setUint32(base2 + 8, ptr17, true);
            }
            dataView2(memory02).setUint32(base + 12, len18, true);
            dataView2(memory02).setUint32(base + 8, result18, true);
          }
          dataView2(memory02).setUint32(ptr0 + 60, len19, true);
          dataView2(memory02).setUint32(ptr0 + 56, result19, true);
        }
        var variant24 = v1_7;
        if (variant24 === null || variant24 === void 0) {
          dataView2(memory02).setInt8(ptr0 + 64, 0, true);
        } else {
          const e = variant24;
          dataView2(memory02).setInt8(ptr0 + 64, 1, true);
          var variant23 = e;
          switch (variant23.tag) {
            case "list": {
              const e2 = variant23.val;
              dataView2(memory02).setInt8(ptr0 + 68, 0, true);
              var vec22 = e2;
              var len22 = vec22.length;
              var result22 = realloc12(0, 0, 4, len22 * 8);
              for (let i = 0; i < vec22.length; i++) {
                const e3 = vec22[i];
                const base = result22 + i * 8;
                var encodeRes = _utf8AllocateAndEncode2(e3, realloc12, memory02);
                var ptr21 = encodeRes.ptr;
                var len21 = encodeRes.len;
                dataView2(memory02).setUint32(base + 4, len21, true);
                dataView2(memory02).setUint32(base + 0, ptr21, true);
              }
              dataView2(memory02).setUint32(ptr0 + 76, len22, true);
              dataView2(memory02).setUint32(ptr0 + 72, result22, true);
              break;
            }
            case "all": {
              dataView2(memory02).setInt8(ptr0 + 68, 1, true);
              break;
            }
            default: {
              throw new TypeError(`invalid variant tag value \`${JSON.stringify(variant23.tag)}\` (received \`${variant23}\`) specified for \`EnabledFeatureSet\``);
            }
          }
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="component-embed"][Instruction::CallWasm] enter', {
          funcName: "component-embed",
          paramCount: 1,
          async: false,
          postReturn: true
        });
        let ret;
        try {
          ret = _withGlobalCurrentTaskMeta2({
            taskID: task.id(),
            componentIdx: task.componentIdx(),
            fn: () => toolsComponentEmbed(ptr0)
          });
        } catch (err) {
          _debugLog2("[Instruction::CallWasm] error during sync call", {
            taskID: task.id(),
            err
          });
          getOrCreateAsyncState2(0).markTrapped(err);
          task.setErrored(err);
          task.reject(err);
          task.exit();
          throw err;
        }
        let variant27;
        switch (dataView2(memory02).getUint8(ret + 0, true)) {
          case 0: {
            var ptr25 = dataView2(memory02).getUint32(ret + 4, true);
            var len25 = dataView2(memory02).getUint32(ret + 8, true);
            if (ptr25 % 1 !== 0) throw new TypeError(`list pointer [${ptr25}] is not aligned to 1`);
            var result25 = new Uint8Array(memory02.buffer.slice(ptr25, ptr25 + len25 * 1));
            variant27 = {
              tag: "ok",
              val: result25
            };
            break;
          }
          case 1: {
            var ptr26 = dataView2(memory02).getUint32(ret + 4, true);
            var len26 = dataView2(memory02).getUint32(ret + 8, true);
            var result26 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr26, len26));
            variant27 = {
              tag: "err",
              val: result26
            };
            break;
          }
          default: {
            throw new TypeError("invalid variant discriminant for expected");
          }
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="component-embed"][Instruction::Return]', {
          funcName: "component-embed",
          paramCount: 1,
          async: false,
          postReturn: true
        });
        const retCopy = variant27;
        task.resolve([retCopy.val]);
        let cstate = getOrCreateAsyncState2(0);
        cstate.mayLeave = false;
        postReturn02(ret);
        cstate.mayLeave = true;
        task.exit();
        if (typeof retCopy === "object" && retCopy.tag === "err") {
          throw new ComponentError2(retCopy.val);
        }
        return retCopy.val;
      } catch (err) {
        if (!task.isResolvedState()) {
          task.setErrored(err);
          task.reject(err);
        }
        if (!task.isExited()) {
          task.exit({ skipExclusiveLockCheck: true });
        }
        throw err;
      }
    }
  });
}
var toolsMetadataShow;
function metadataShow(arg0) {
  if (!_initialized2) throwUninitialized2();
  const hostProvided = false;
  getOrCreateAsyncState2(0).throwIfTrapped();
  const [task, _wasm_call_currentTaskID] = createNewCurrentTask2({
    componentIdx: 0,
    isAsync: false,
    isManualAsync: false,
    preserveFutureResult: false,
    entryFnName: "toolsMetadataShow",
    getCallbackFn: () => null,
    callbackFnName: null,
    errHandling: "throw-result-err",
    callingWasmExport: true
  });
  task.setCalleeIsAsync(false);
  const started = task.enterSync();
  CURRENT_TASK_MAY_BLOCK2.value = task.mayBlock() ? 1 : 0;
  if (true) {
    task.setReturnMemoryIdx(0);
    task.setReturnMemory(/* @__PURE__ */ (() => memory02)());
  }
  return _withGlobalCurrentTaskMeta2({
    taskID: task.id(),
    componentIdx: task.componentIdx(),
    fn: () => {
      try {
        var val0 = arg0;
        var len0 = Array.isArray(val0) ? val0.length : val0.byteLength;
        var ptr0 = realloc12(0, 0, 1, len0 * 1);
        let valData0;
        const valLenBytes0 = len0 * 1;
        if (Array.isArray(val0)) {
          let offset = 0;
          const dv0 = new DataView(memory02.buffer);
          for (const v of val0) {
            _requireValidNumericPrimitive2.bind(null, "u8")(v);
            dv0.setUint8(ptr0 + offset, v, true);
            offset += 1;
          }
        } else {
          valData0 = new Uint8Array(val0.buffer || val0, val0.byteOffset, valLenBytes0);
          const out0 = new Uint8Array(memory02.buffer, ptr0, valLenBytes0);
          out0.set(valData0);
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="metadata-show"][Instruction::CallWasm] enter', {
          funcName: "metadata-show",
          paramCount: 2,
          async: false,
          postReturn: true
        });
        let ret;
        try {
          ret = _withGlobalCurrentTaskMeta2({
            taskID: task.id(),
            componentIdx: task.componentIdx(),
            fn: () => toolsMetadataShow(ptr0, len0)
          });
        } catch (err) {
          _debugLog2("[Instruction::CallWasm] error during sync call", {
            taskID: task.id(),
            err
          });
          getOrCreateAsyncState2(0).markTrapped(err);
          task.setErrored(err);
          task.reject(err);
          task.exit();
          throw err;
        }
        let variant12;
        switch (dataView2(memory02).getUint8(ret + 0, true)) {
          case 0: {
            var len10 = dataView2(memory02).getUint32(ret + 8, true);
            var base10 = dataView2(memory02).getUint32(ret + 4, true);
            if (base10 % 4 !== 0) throw new TypeError(`list pointer [${base10}] is not aligned to 4`);
            var result10 = [];
            for (let i = 0; i < len10; i++) {
              const base = base10 + i * 44;
              let variant1;
              switch (dataView2(memory02).getUint8(base + 0, true)) {
                case 0: {
                  variant1 = void 0;
                  break;
                }
                case 1: {
                  variant1 = dataView2(memory02).getInt32(base + 4, true) >>> 0;
                  break;
                }
                default: {
                  throw new TypeError("invalid variant discriminant for option");
                }
              }
              let variant3;
              switch (dataView2(memory02).getUint8(base + 8, true)) {
                case 0: {
                  variant3 = void 0;
                  break;
                }
                case 1: {
                  var ptr2 = dataView2(memory02).getUint32(base + 12, true);
                  var len2 = dataView2(memory02).getUint32(base + 16, true);
                  var result2 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr2, len2));
                  variant3 = result2;
                  break;
                }
                default: {
                  throw new TypeError("invalid variant discriminant for option");
                }
              }
              let variant4;
              switch (dataView2(memory02).getUint8(base + 20, true)) {
                case 0: {
                  variant4 = {
                    tag: "module"
                  };
                  break;
                }
                case 1: {
                  variant4 = {
                    tag: "component",
                    val: dataView2(memory02).getInt32(base + 24, true) >>> 0
                  };
                  break;
                }
                default: {
                  throw new TypeError("invalid variant discriminant for ModuleMetaType");
                }
              }
              var len9 = dataView2(memory02).getUint32(base + 40, true);
              var base9 = dataView2(memory02).getUint32(base + 36, true);
              if (base9 % 4 !== 0) throw new TypeError(`list pointer [${base9}] is not aligned to 4`);
              var result9 = [];
              for (let i2 = 0; i2 < len9; i2++) {
                const base2 = base9 + i2 * 16;
                var ptr5 = dataView2(memory02).getUint32(base2 + 0, true);
                var len5 = dataView2(memory02).getUint32(base2 + 4, true);
                var result5 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr5, len5));
                var len8 = dataView2(memory02).getUint32(base2 + 12, true);
                var base8 = dataView2(memory02).getUint32(base2 + 8, true);
                if (base8 % 4 !== 0) throw new TypeError(`list pointer [${base8}] is not aligned to 4`);
                var result8 = [];
                for (let i3 = 0; i3 < len8; i3++) {
                  const base3 = base8 + i3 * 16;
                  var ptr6 = dataView2(memory02).getUint32(base3 + 0, true);
                  var len6 = dataView2(memory02).getUint32(base3 + 4, true);
                  var result6 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr6, len6));
                  var ptr7 = dataView2(memory02).getUint32(base3 + 8, true);
                  var len7 = dataView2(memory02).getUint32(base3 + 12, true);
                  var result7 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr7, len7));
                  result8.push([result6, result7]);
                }
                result9.push([result5, result8]);
              }
              result10.push({
                parentIndex: variant1,
                name: variant3,
                metaType: variant4,
                range: [dataView2(memory02).getInt32(base + 28, true) >>> 0, dataView2(memory02).getInt32(base + 32, true) >>> 0],
                producers: result9
              });
            }
            variant12 = {
              tag: "ok",
              val: result10
            };
            break;
          }
          case 1: {
            var ptr11 = dataView2(memory02).getUint32(ret + 4, true);
            var len11 = dataView2(memory02).getUint32(ret + 8, true);
            var result11 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr11, len11));
            variant12 = {
              tag: "err",
              val: result11
            };
            break;
          }
          default: {
            throw new TypeError("invalid variant discriminant for expected");
          }
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="metadata-show"][Instruction::Return]', {
          funcName: "metadata-show",
          paramCount: 1,
          async: false,
          postReturn: true
        });
        const retCopy = variant12;
        task.resolve([retCopy.val]);
        let cstate = getOrCreateAsyncState2(0);
        cstate.mayLeave = false;
        postReturn22(ret);
        cstate.mayLeave = true;
        task.exit();
        if (typeof retCopy === "object" && retCopy.tag === "err") {
          throw new ComponentError2(retCopy.val);
        }
        return retCopy.val;
      } catch (err) {
        if (!task.isResolvedState()) {
          task.setErrored(err);
          task.reject(err);
        }
        if (!task.isExited()) {
          task.exit({ skipExclusiveLockCheck: true });
        }
        throw err;
      }
    }
  });
}
var toolsMetadataAdd;
function metadataAdd(arg0, arg1) {
  if (!_initialized2) throwUninitialized2();
  const hostProvided = false;
  getOrCreateAsyncState2(0).throwIfTrapped();
  const [task, _wasm_call_currentTaskID] = createNewCurrentTask2({
    componentIdx: 0,
    isAsync: false,
    isManualAsync: false,
    preserveFutureResult: false,
    entryFnName: "toolsMetadataAdd",
    getCallbackFn: () => null,
    callbackFnName: null,
    errHandling: "throw-result-err",
    callingWasmExport: true
  });
  task.setCalleeIsAsync(false);
  const started = task.enterSync();
  CURRENT_TASK_MAY_BLOCK2.value = task.mayBlock() ? 1 : 0;
  if (true) {
    task.setReturnMemoryIdx(0);
    task.setReturnMemory(/* @__PURE__ */ (() => memory02)());
  }
  return _withGlobalCurrentTaskMeta2({
    taskID: task.id(),
    componentIdx: task.componentIdx(),
    fn: () => {
      try {
        var val0 = arg0;
        var len0 = Array.isArray(val0) ? val0.length : val0.byteLength;
        var ptr0 = realloc12(0, 0, 1, len0 * 1);
        let valData0;
        const valLenBytes0 = len0 * 1;
        if (Array.isArray(val0)) {
          let offset = 0;
          const dv0 = new DataView(memory02.buffer);
          for (const v of val0) {
            _requireValidNumericPrimitive2.bind(null, "u8")(v);
            dv0.setUint8(ptr0 + offset, v, true);
            offset += 1;
          }
        } else {
          valData0 = new Uint8Array(val0.buffer || val0, val0.byteOffset, valLenBytes0);
          const out0 = new Uint8Array(memory02.buffer, ptr0, valLenBytes0);
          out0.set(valData0);
        }
        var vec7 = arg1;
        var len7 = vec7.length;
        var result7 = realloc12(0, 0, 4, len7 * 16);
        for (let i = 0; i < vec7.length; i++) {
          const e = vec7[i];
          const base = result7 + i * 16;
          var [tuple1_0, tuple1_1] = e;
          var encodeRes = _utf8AllocateAndEncode2(tuple1_0, realloc12, memory02);
          var ptr2 = encodeRes.ptr;
          var len2 = encodeRes.len;
          dataView2(memory02).setUint32(base + 4, len2, true);
          dataView2(memory02).setUint32(base + 0, ptr2, true);
          var vec6 = tuple1_1;
          var len6 = vec6.length;
          var result6 = realloc12(0, 0, 4, len6 * 16);
          for (let i2 = 0; i2 < vec6.length; i2++) {
            const e2 = vec6[i2];
            const base2 = result6 + i2 * 16;
            var [tuple3_0, tuple3_1] = e2;
            var encodeRes = _utf8AllocateAndEncode2(tuple3_0, realloc12, memory02);
            var ptr4 = encodeRes.ptr;
            var len4 = encodeRes.len;
            dataView2(memory02).setUint32(base2 + 4, len4, true);
            dataView2(memory02).setUint32(base2 + 0, ptr4, true);
            var encodeRes = _utf8AllocateAndEncode2(tuple3_1, realloc12, memory02);
            var ptr5 = encodeRes.ptr;
            var len5 = encodeRes.len;
            dataView2(memory02).setUint32(base2 + 12, len5, true);
            dataView2(memory02).setUint32(base2 + 8, ptr5, true);
          }
          dataView2(memory02).setUint32(base + 12, len6, true);
          dataView2(memory02).setUint32(base + 8, result6, true);
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="metadata-add"][Instruction::CallWasm] enter', {
          funcName: "metadata-add",
          paramCount: 4,
          async: false,
          postReturn: true
        });
        let ret;
        try {
          ret = _withGlobalCurrentTaskMeta2({
            taskID: task.id(),
            componentIdx: task.componentIdx(),
            fn: () => toolsMetadataAdd(ptr0, len0, result7, len7)
          });
        } catch (err) {
          _debugLog2("[Instruction::CallWasm] error during sync call", {
            taskID: task.id(),
            err
          });
          getOrCreateAsyncState2(0).markTrapped(err);
          task.setErrored(err);
          task.reject(err);
          task.exit();
          throw err;
        }
        let variant10;
        switch (dataView2(memory02).getUint8(ret + 0, true)) {
          case 0: {
            var ptr8 = dataView2(memory02).getUint32(ret + 4, true);
            var len8 = dataView2(memory02).getUint32(ret + 8, true);
            if (ptr8 % 1 !== 0) throw new TypeError(`list pointer [${ptr8}] is not aligned to 1`);
            var result8 = new Uint8Array(memory02.buffer.slice(ptr8, ptr8 + len8 * 1));
            variant10 = {
              tag: "ok",
              val: result8
            };
            break;
          }
          case 1: {
            var ptr9 = dataView2(memory02).getUint32(ret + 4, true);
            var len9 = dataView2(memory02).getUint32(ret + 8, true);
            var result9 = TEXT_DECODER_UTF82.decode(new Uint8Array(memory02.buffer, ptr9, len9));
            variant10 = {
              tag: "err",
              val: result9
            };
            break;
          }
          default: {
            throw new TypeError("invalid variant discriminant for expected");
          }
        }
        _debugLog2('[iface="local:wasm-tools/tools", function="metadata-add"][Instruction::Return]', {
          funcName: "metadata-add",
          paramCount: 1,
          async: false,
          postReturn: true
        });
        const retCopy = variant10;
        task.resolve([retCopy.val]);
        let cstate = getOrCreateAsyncState2(0);
        cstate.mayLeave = false;
        postReturn02(ret);
        cstate.mayLeave = true;
        task.exit();
        if (typeof retCopy === "object" && retCopy.tag === "err") {
          throw new ComponentError2(retCopy.val);
        }
        return retCopy.val;
      } catch (err) {
        if (!task.isResolvedState()) {
          task.setErrored(err);
          task.reject(err);
        }
        if (!task.isExited()) {
          task.exit({ skipExclusiveLockCheck: true });
        }
        throw err;
      }
    }
  });
}
function trampoline02(handle2) {
  const handleEntry = rscTableRemove2(handleTable02, handle2);
  if (handleEntry.own) {
    const rsc = captureTable02.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose4]) rsc[symbolDispose4]();
      captureTable02.delete(handleEntry.rep);
    } else if (Error$12[symbolCabiDispose2]) {
      Error$12[symbolCabiDispose2](handleEntry.rep);
    }
  }
}
function trampoline110(handle2) {
  const handleEntry = rscTableRemove2(handleTable62, handle2);
  if (handleEntry.own) {
    const rsc = captureTable62.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose4]) rsc[symbolDispose4]();
      captureTable62.delete(handleEntry.rep);
    } else if (DirectoryEntryStream3[symbolCabiDispose2]) {
      DirectoryEntryStream3[symbolCabiDispose2](handleEntry.rep);
    }
  }
}
function trampoline210(handle2) {
  const handleEntry = rscTableRemove2(handleTable52, handle2);
  if (handleEntry.own) {
    const rsc = captureTable52.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose4]) rsc[symbolDispose4]();
      captureTable52.delete(handleEntry.rep);
    } else if (Descriptor3[symbolCabiDispose2]) {
      Descriptor3[symbolCabiDispose2](handleEntry.rep);
    }
  }
}
function trampoline36(handle2) {
  const handleEntry = rscTableRemove2(handleTable12, handle2);
  if (handleEntry.own) {
    const rsc = captureTable12.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose4]) rsc[symbolDispose4]();
      captureTable12.delete(handleEntry.rep);
    } else if (OutputStream3[symbolCabiDispose2]) {
      OutputStream3[symbolCabiDispose2](handleEntry.rep);
    }
  }
}
function trampoline42(handle2) {
  const handleEntry = rscTableRemove2(handleTable22, handle2);
  if (handleEntry.own) {
    const rsc = captureTable22.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose4]) rsc[symbolDispose4]();
      captureTable22.delete(handleEntry.rep);
    } else if (InputStream3[symbolCabiDispose2]) {
      InputStream3[symbolCabiDispose2](handleEntry.rep);
    }
  }
}
var trampoline52 = _trampoline52.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 5,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline52.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatOwn2({
      componentIdx: 0,
      tableIdx: 1,
      lowerFn: function lowerImportedOwnedHost_OutputStream9(obj) {
        if (!(obj instanceof OutputStream3)) {
          throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
        }
        let handle2 = obj[symbolRscHandle2];
        if (!handle2) {
          const rep3 = obj[symbolRscRep2] || ++captureCnt12;
          captureTable12.set(rep3, obj);
          handle2 = rscTableCreateOwn2(handleTable12, rep3);
        }
        return handle2;
      }
    })],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline52
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 5,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline52.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatOwn2({
      componentIdx: 0,
      tableIdx: 1,
      lowerFn: function lowerImportedOwnedHost_OutputStream10(obj) {
        if (!(obj instanceof OutputStream3)) {
          throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
        }
        let handle2 = obj[symbolRscHandle2];
        if (!handle2) {
          const rep3 = obj[symbolRscRep2] || ++captureCnt12;
          captureTable12.set(rep3, obj);
          handle2 = rscTableCreateOwn2(handleTable12, rep3);
        }
        return handle2;
      }
    })],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline52
  }
);
var trampoline62 = _trampoline62.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 6,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline62.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatOwn2({
      componentIdx: 0,
      tableIdx: 2,
      lowerFn: function lowerImportedOwnedHost_InputStream5(obj) {
        if (!(obj instanceof InputStream3)) {
          throw new TypeError('Resource error: Not a valid "InputStream" resource.');
        }
        let handle2 = obj[symbolRscHandle2];
        if (!handle2) {
          const rep3 = obj[symbolRscRep2] || ++captureCnt22;
          captureTable22.set(rep3, obj);
          handle2 = rscTableCreateOwn2(handleTable22, rep3);
        }
        return handle2;
      }
    })],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline62
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 6,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline62.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatOwn2({
      componentIdx: 0,
      tableIdx: 2,
      lowerFn: function lowerImportedOwnedHost_InputStream6(obj) {
        if (!(obj instanceof InputStream3)) {
          throw new TypeError('Resource error: Not a valid "InputStream" resource.');
        }
        let handle2 = obj[symbolRscHandle2];
        if (!handle2) {
          const rep3 = obj[symbolRscRep2] || ++captureCnt22;
          captureTable22.set(rep3, obj);
          handle2 = rscTableCreateOwn2(handleTable22, rep3);
        }
        return handle2;
      }
    })],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline62
  }
);
var trampoline72 = _trampoline72.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 7,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline72.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatOwn2({
      componentIdx: 0,
      tableIdx: 1,
      lowerFn: function lowerImportedOwnedHost_OutputStream11(obj) {
        if (!(obj instanceof OutputStream3)) {
          throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
        }
        let handle2 = obj[symbolRscHandle2];
        if (!handle2) {
          const rep3 = obj[symbolRscRep2] || ++captureCnt12;
          captureTable12.set(rep3, obj);
          handle2 = rscTableCreateOwn2(handleTable12, rep3);
        }
        return handle2;
      }
    })],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline72
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 7,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline72.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatOwn2({
      componentIdx: 0,
      tableIdx: 1,
      lowerFn: function lowerImportedOwnedHost_OutputStream12(obj) {
        if (!(obj instanceof OutputStream3)) {
          throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
        }
        let handle2 = obj[symbolRscHandle2];
        if (!handle2) {
          const rep3 = obj[symbolRscRep2] || ++captureCnt12;
          captureTable12.set(rep3, obj);
          handle2 = rscTableCreateOwn2(handleTable12, rep3);
        }
        return handle2;
      }
    })],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline72
  }
);
function trampoline82(handle2) {
  const handleEntry = rscTableRemove2(handleTable32, handle2);
  if (handleEntry.own) {
    const rsc = captureTable32.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose4]) rsc[symbolDispose4]();
      captureTable32.delete(handleEntry.rep);
    } else if (TerminalInput3[symbolCabiDispose2]) {
      TerminalInput3[symbolCabiDispose2](handleEntry.rep);
    }
  }
}
function trampoline92(handle2) {
  const handleEntry = rscTableRemove2(handleTable42, handle2);
  if (handleEntry.own) {
    const rsc = captureTable42.get(handleEntry.rep);
    if (rsc) {
      if (rsc[symbolDispose4]) rsc[symbolDispose4]();
      captureTable42.delete(handleEntry.rep);
    } else if (TerminalOutput3[symbolCabiDispose2]) {
      TerminalOutput3[symbolCabiDispose2](handleEntry.rep);
    }
  }
}
var trampoline102 = _trampoline102.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 10,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline102.manuallyAsync,
    paramLiftFns: [
      _liftFlatResult2({
        caseMetas: [["ok", null, 0, 0, 0, []], ["err", null, 0, 0, 0, []]],
        variantSize32: 1,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 1,
        variantPayloadFlatTypes: []
      })
    ],
    resultLowerFns: [],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline102
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 10,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline102.manuallyAsync,
    paramLiftFns: [
      _liftFlatResult2({
        caseMetas: [["ok", null, 0, 0, 0, []], ["err", null, 0, 0, 0, []]],
        variantSize32: 1,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 1,
        variantPayloadFlatTypes: []
      })
    ],
    resultLowerFns: [],
    hasResultPointer: false,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: null,
    stringEncoding: "utf8",
    getMemoryFn: () => null,
    getReallocFn: void 0,
    importFn: _trampoline102
  }
);
var trampoline112 = _trampoline112.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 11,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline112.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 0)],
    resultLowerFns: [
      _lowerFlatOption2({
        caseMetas: [
          ["none", null, 0, 0, 0],
          [
            "some",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            1,
            1,
            1
          ]
        ],
        variantSize32: 2,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline112
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 11,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline112.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 0)],
    resultLowerFns: [
      _lowerFlatOption2({
        caseMetas: [
          ["none", null, 0, 0, 0],
          [
            "some",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            1,
            1,
            1
          ]
        ],
        variantSize32: 2,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline112
  }
);
var trampoline122 = _trampoline122.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 12,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline122.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatRecord2({ fieldMetas: [["lower", _lowerFlatU642, 8, 8], ["upper", _lowerFlatU642, 8, 8]], size32: 16, align32: 8 }), 24, 8, 8],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            24,
            8,
            8
          ]
        ],
        variantSize32: 24,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline122
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 12,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline122.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatRecord2({ fieldMetas: [["lower", _lowerFlatU642, 8, 8], ["upper", _lowerFlatU642, 8, 8]], size32: 16, align32: 8 }), 24, 8, 8],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            24,
            8,
            8
          ]
        ],
        variantSize32: 24,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline122
  }
);
var trampoline132 = _trampoline132.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 13,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline132.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 6)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          [
            "ok",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [[
                  "type",
                  _lowerFlatEnum2({
                    caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
                    variantSize32: 1,
                    variantAlign32: 1,
                    variantPayloadOffset32: 1,
                    variantFlatCount: 1
                  }),
                  1,
                  1
                ], ["name", _lowerFlatStringAny2, 8, 4]], size32: 12, align32: 4 }), 12, 4, 3]
              ],
              variantSize32: 16,
              variantAlign32: 4,
              variantPayloadOffset32: 4,
              variantFlatCount: 4,
              payloadMaybeNull: false
            }),
            20,
            4,
            4
          ],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            20,
            4,
            4
          ]
        ],
        variantSize32: 20,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 5
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: () => realloc02,
    importFn: _trampoline132
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 13,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline132.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 6)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          [
            "ok",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [[
                  "type",
                  _lowerFlatEnum2({
                    caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
                    variantSize32: 1,
                    variantAlign32: 1,
                    variantPayloadOffset32: 1,
                    variantFlatCount: 1
                  }),
                  1,
                  1
                ], ["name", _lowerFlatStringAny2, 8, 4]], size32: 12, align32: 4 }), 12, 4, 3]
              ],
              variantSize32: 16,
              variantAlign32: 4,
              variantPayloadOffset32: 4,
              variantFlatCount: 4,
              payloadMaybeNull: false
            }),
            20,
            4,
            4
          ],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            20,
            4,
            4
          ]
        ],
        variantSize32: 20,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 5
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: () => realloc02,
    importFn: _trampoline132
  }
);
var trampoline142 = _trampoline142.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 14,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline142.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5), _liftFlatFlags2({ names: ["symlinkFollow"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatStringAny2],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatRecord2({ fieldMetas: [["lower", _lowerFlatU642, 8, 8], ["upper", _lowerFlatU642, 8, 8]], size32: 16, align32: 8 }), 24, 8, 8],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            24,
            8,
            8
          ]
        ],
        variantSize32: 24,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline142
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 14,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline142.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5), _liftFlatFlags2({ names: ["symlinkFollow"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatStringAny2],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatRecord2({ fieldMetas: [["lower", _lowerFlatU642, 8, 8], ["upper", _lowerFlatU642, 8, 8]], size32: 16, align32: 8 }), 24, 8, 8],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            24,
            8,
            8
          ]
        ],
        variantSize32: 24,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline142
  }
);
var trampoline152 = _trampoline152.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 15,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline152.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatFlags2({ names: ["read", "write", "fileIntegritySync", "dataIntegritySync", "requestedWriteSync", "mutateDirectory"], size32: 1, align32: 1, intSizeBytes: 1 }), 2, 1, 1],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            2,
            1,
            1
          ]
        ],
        variantSize32: 2,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline152
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 15,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline152.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatFlags2({ names: ["read", "write", "fileIntegritySync", "dataIntegritySync", "requestedWriteSync", "mutateDirectory"], size32: 1, align32: 1, intSizeBytes: 1 }), 2, 1, 1],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            2,
            1,
            1
          ]
        ],
        variantSize32: 2,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline152
  }
);
var trampoline162 = _trampoline162.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 16,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline162.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          [
            "ok",
            _lowerFlatEnum2({
              caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            2,
            1,
            1
          ],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            2,
            1,
            1
          ]
        ],
        variantSize32: 2,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline162
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 16,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline162.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          [
            "ok",
            _lowerFlatEnum2({
              caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            2,
            1,
            1
          ],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            2,
            1,
            1
          ]
        ],
        variantSize32: 2,
        variantAlign32: 1,
        variantPayloadOffset32: 1,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline162
  }
);
var trampoline172 = _trampoline172.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 17,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline172.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 1,
            lowerFn: function lowerImportedOwnedHost_OutputStream13(obj) {
              if (!(obj instanceof OutputStream3)) {
                throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt12;
                captureTable12.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable12, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline172
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 17,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline172.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 1,
            lowerFn: function lowerImportedOwnedHost_OutputStream14(obj) {
              if (!(obj instanceof OutputStream3)) {
                throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt12;
                captureTable12.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable12, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline172
  }
);
var trampoline182 = _trampoline182.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 18,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline182.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 6,
            lowerFn: function lowerImportedOwnedHost_DirectoryEntryStream3(obj) {
              if (!(obj instanceof DirectoryEntryStream3)) {
                throw new TypeError('Resource error: Not a valid "DirectoryEntryStream" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt62;
                captureTable62.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable62, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline182
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 18,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline182.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 6,
            lowerFn: function lowerImportedOwnedHost_DirectoryEntryStream4(obj) {
              if (!(obj instanceof DirectoryEntryStream3)) {
                throw new TypeError('Resource error: Not a valid "DirectoryEntryStream" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt62;
                captureTable62.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable62, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline182
  }
);
var trampoline192 = _trampoline192.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 19,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline192.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5), _liftFlatFlags2({ names: ["symlinkFollow"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatStringAny2],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatRecord2({ fieldMetas: [[
            "type",
            _lowerFlatEnum2({
              caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            1,
            1
          ], ["linkCount", _lowerFlatU642, 8, 8], ["size", _lowerFlatU642, 8, 8], [
            "dataAccessTimestamp",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [["seconds", _lowerFlatU642, 8, 8], ["nanoseconds", _lowerFlatU322, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "dataModificationTimestamp",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [["seconds", _lowerFlatU642, 8, 8], ["nanoseconds", _lowerFlatU322, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "statusChangeTimestamp",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [["seconds", _lowerFlatU642, 8, 8], ["nanoseconds", _lowerFlatU322, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ]], size32: 96, align32: 8 }), 104, 8, 8],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            104,
            8,
            8
          ]
        ],
        variantSize32: 104,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 13
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline192
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 19,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline192.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5), _liftFlatFlags2({ names: ["symlinkFollow"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatStringAny2],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatRecord2({ fieldMetas: [[
            "type",
            _lowerFlatEnum2({
              caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            1,
            1
          ], ["linkCount", _lowerFlatU642, 8, 8], ["size", _lowerFlatU642, 8, 8], [
            "dataAccessTimestamp",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [["seconds", _lowerFlatU642, 8, 8], ["nanoseconds", _lowerFlatU322, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "dataModificationTimestamp",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [["seconds", _lowerFlatU642, 8, 8], ["nanoseconds", _lowerFlatU322, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "statusChangeTimestamp",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [["seconds", _lowerFlatU642, 8, 8], ["nanoseconds", _lowerFlatU322, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ]], size32: 96, align32: 8 }), 104, 8, 8],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            104,
            8,
            8
          ]
        ],
        variantSize32: 104,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 13
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline192
  }
);
var trampoline202 = _trampoline202.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 20,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline202.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5), _liftFlatFlags2({ names: ["symlinkFollow"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatStringAny2, _liftFlatFlags2({ names: ["create", "directory", "exclusive", "truncate"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatFlags2({ names: ["read", "write", "fileIntegritySync", "dataIntegritySync", "requestedWriteSync", "mutateDirectory"], size32: 1, align32: 1, intSizeBytes: 1 })],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 5,
            lowerFn: function lowerImportedOwnedHost_Descriptor5(obj) {
              if (!(obj instanceof Descriptor3)) {
                throw new TypeError('Resource error: Not a valid "Descriptor" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt52;
                captureTable52.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable52, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline202
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 20,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline202.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5), _liftFlatFlags2({ names: ["symlinkFollow"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatStringAny2, _liftFlatFlags2({ names: ["create", "directory", "exclusive", "truncate"], size32: 1, align32: 1, intSizeBytes: 1 }), _liftFlatFlags2({ names: ["read", "write", "fileIntegritySync", "dataIntegritySync", "requestedWriteSync", "mutateDirectory"], size32: 1, align32: 1, intSizeBytes: 1 })],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 5,
            lowerFn: function lowerImportedOwnedHost_Descriptor6(obj) {
              if (!(obj instanceof Descriptor3)) {
                throw new TypeError('Resource error: Not a valid "Descriptor" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt52;
                captureTable52.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable52, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline202
  }
);
var trampoline212 = _trampoline212.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 21,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline212.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5), _liftFlatU642],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 2,
            lowerFn: function lowerImportedOwnedHost_InputStream7(obj) {
              if (!(obj instanceof InputStream3)) {
                throw new TypeError('Resource error: Not a valid "InputStream" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt22;
                captureTable22.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable22, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline212
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 21,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline212.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5), _liftFlatU642],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 2,
            lowerFn: function lowerImportedOwnedHost_InputStream8(obj) {
              if (!(obj instanceof InputStream3)) {
                throw new TypeError('Resource error: Not a valid "InputStream" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt22;
                captureTable22.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable22, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline212
  }
);
var trampoline222 = _trampoline222.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 22,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline222.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5), _liftFlatU642],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 1,
            lowerFn: function lowerImportedOwnedHost_OutputStream15(obj) {
              if (!(obj instanceof OutputStream3)) {
                throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt12;
                captureTable12.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable12, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline222
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 22,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline222.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5), _liftFlatU642],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 1,
            lowerFn: function lowerImportedOwnedHost_OutputStream16(obj) {
              if (!(obj instanceof OutputStream3)) {
                throw new TypeError('Resource error: Not a valid "OutputStream" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt12;
                captureTable12.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable12, rep3);
              }
              return handle2;
            }
          }), 8, 4, 4],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            8,
            4,
            4
          ]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline222
  }
);
var trampoline232 = _trampoline232.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 23,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline232.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatRecord2({ fieldMetas: [[
            "type",
            _lowerFlatEnum2({
              caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            1,
            1
          ], ["linkCount", _lowerFlatU642, 8, 8], ["size", _lowerFlatU642, 8, 8], [
            "dataAccessTimestamp",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [["seconds", _lowerFlatU642, 8, 8], ["nanoseconds", _lowerFlatU322, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "dataModificationTimestamp",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [["seconds", _lowerFlatU642, 8, 8], ["nanoseconds", _lowerFlatU322, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "statusChangeTimestamp",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [["seconds", _lowerFlatU642, 8, 8], ["nanoseconds", _lowerFlatU322, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ]], size32: 96, align32: 8 }), 104, 8, 8],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            104,
            8,
            8
          ]
        ],
        variantSize32: 104,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 13
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline232
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 23,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline232.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 5)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatRecord2({ fieldMetas: [[
            "type",
            _lowerFlatEnum2({
              caseMetas: [["unknown", null, 1, 1, 1], ["block-device", null, 1, 1, 1], ["character-device", null, 1, 1, 1], ["directory", null, 1, 1, 1], ["fifo", null, 1, 1, 1], ["symbolic-link", null, 1, 1, 1], ["regular-file", null, 1, 1, 1], ["socket", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            1,
            1
          ], ["linkCount", _lowerFlatU642, 8, 8], ["size", _lowerFlatU642, 8, 8], [
            "dataAccessTimestamp",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [["seconds", _lowerFlatU642, 8, 8], ["nanoseconds", _lowerFlatU322, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "dataModificationTimestamp",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [["seconds", _lowerFlatU642, 8, 8], ["nanoseconds", _lowerFlatU322, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ], [
            "statusChangeTimestamp",
            _lowerFlatOption2({
              caseMetas: [
                ["none", null, 0, 0, 0],
                ["some", _lowerFlatRecord2({ fieldMetas: [["seconds", _lowerFlatU642, 8, 8], ["nanoseconds", _lowerFlatU322, 4, 4]], size32: 16, align32: 8 }), 16, 8, 2]
              ],
              variantSize32: 24,
              variantAlign32: 8,
              variantPayloadOffset32: 8,
              variantFlatCount: 3,
              payloadMaybeNull: false
            }),
            24,
            8
          ]], size32: 96, align32: 8 }), 104, 8, 8],
          [
            "err",
            _lowerFlatEnum2({
              caseMetas: [["access", null, 1, 1, 1], ["would-block", null, 1, 1, 1], ["already", null, 1, 1, 1], ["bad-descriptor", null, 1, 1, 1], ["busy", null, 1, 1, 1], ["deadlock", null, 1, 1, 1], ["quota", null, 1, 1, 1], ["exist", null, 1, 1, 1], ["file-too-large", null, 1, 1, 1], ["illegal-byte-sequence", null, 1, 1, 1], ["in-progress", null, 1, 1, 1], ["interrupted", null, 1, 1, 1], ["invalid", null, 1, 1, 1], ["io", null, 1, 1, 1], ["is-directory", null, 1, 1, 1], ["loop", null, 1, 1, 1], ["too-many-links", null, 1, 1, 1], ["message-size", null, 1, 1, 1], ["name-too-long", null, 1, 1, 1], ["no-device", null, 1, 1, 1], ["no-entry", null, 1, 1, 1], ["no-lock", null, 1, 1, 1], ["insufficient-memory", null, 1, 1, 1], ["insufficient-space", null, 1, 1, 1], ["not-directory", null, 1, 1, 1], ["not-empty", null, 1, 1, 1], ["not-recoverable", null, 1, 1, 1], ["unsupported", null, 1, 1, 1], ["no-tty", null, 1, 1, 1], ["no-such-device", null, 1, 1, 1], ["overflow", null, 1, 1, 1], ["not-permitted", null, 1, 1, 1], ["pipe", null, 1, 1, 1], ["read-only", null, 1, 1, 1], ["invalid-seek", null, 1, 1, 1], ["text-file-busy", null, 1, 1, 1], ["cross-device", null, 1, 1, 1]],
              variantSize32: 1,
              variantAlign32: 1,
              variantPayloadOffset32: 1,
              variantFlatCount: 1
            }),
            104,
            8,
            8
          ]
        ],
        variantSize32: 104,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 13
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline232
  }
);
var trampoline242 = _trampoline242.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 24,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline242.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 1)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatU642, 16, 8, 8],
          ["err", _lowerFlatVariant2({
            caseMetas: [["last-operation-failed", _lowerFlatOwn2({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$113(obj) {
                if (!(obj instanceof Error$12)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle2];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep2] || ++captureCnt02;
                  captureTable02.set(rep3, obj);
                  handle2 = rscTableCreateOwn2(handleTable02, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 16, 8, 8]
        ],
        variantSize32: 16,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline242
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 24,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline242.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 1)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatU642, 16, 8, 8],
          ["err", _lowerFlatVariant2({
            caseMetas: [["last-operation-failed", _lowerFlatOwn2({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$114(obj) {
                if (!(obj instanceof Error$12)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle2];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep2] || ++captureCnt02;
                  captureTable02.set(rep3, obj);
                  handle2 = rscTableCreateOwn2(handleTable02, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 16, 8, 8]
        ],
        variantSize32: 16,
        variantAlign32: 8,
        variantPayloadOffset32: 8,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline242
  }
);
var trampoline252 = _trampoline252.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 25,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline252.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 1), _liftFlatList2({
      elemLiftFn: _liftFlatU82,
      elemAlign32: 1,
      elemSize32: 1,
      typedArray: Uint8Array
    })],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", null, 12, 4, 4],
          ["err", _lowerFlatVariant2({
            caseMetas: [["last-operation-failed", _lowerFlatOwn2({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$115(obj) {
                if (!(obj instanceof Error$12)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle2];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep2] || ++captureCnt02;
                  captureTable02.set(rep3, obj);
                  handle2 = rscTableCreateOwn2(handleTable02, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline252
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 25,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline252.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 1), _liftFlatList2({
      elemLiftFn: _liftFlatU82,
      elemAlign32: 1,
      elemSize32: 1,
      typedArray: Uint8Array
    })],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", null, 12, 4, 4],
          ["err", _lowerFlatVariant2({
            caseMetas: [["last-operation-failed", _lowerFlatOwn2({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$116(obj) {
                if (!(obj instanceof Error$12)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle2];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep2] || ++captureCnt02;
                  captureTable02.set(rep3, obj);
                  handle2 = rscTableCreateOwn2(handleTable02, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline252
  }
);
var trampoline262 = _trampoline262.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 26,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline262.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 1)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", null, 12, 4, 4],
          ["err", _lowerFlatVariant2({
            caseMetas: [["last-operation-failed", _lowerFlatOwn2({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$117(obj) {
                if (!(obj instanceof Error$12)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle2];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep2] || ++captureCnt02;
                  captureTable02.set(rep3, obj);
                  handle2 = rscTableCreateOwn2(handleTable02, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline262
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 26,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline262.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 1)],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", null, 12, 4, 4],
          ["err", _lowerFlatVariant2({
            caseMetas: [["last-operation-failed", _lowerFlatOwn2({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$118(obj) {
                if (!(obj instanceof Error$12)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle2];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep2] || ++captureCnt02;
                  captureTable02.set(rep3, obj);
                  handle2 = rscTableCreateOwn2(handleTable02, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline262
  }
);
var trampoline272 = _trampoline272.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 27,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline272.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 2), _liftFlatU642],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatList2({
            elemLowerFn: _lowerFlatU82,
            elemSize32: 1,
            elemAlign32: 1
          }), 12, 4, 4],
          ["err", _lowerFlatVariant2({
            caseMetas: [["last-operation-failed", _lowerFlatOwn2({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$119(obj) {
                if (!(obj instanceof Error$12)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle2];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep2] || ++captureCnt02;
                  captureTable02.set(rep3, obj);
                  handle2 = rscTableCreateOwn2(handleTable02, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: () => realloc02,
    importFn: _trampoline272
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 27,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline272.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 2), _liftFlatU642],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatList2({
            elemLowerFn: _lowerFlatU82,
            elemSize32: 1,
            elemAlign32: 1
          }), 12, 4, 4],
          ["err", _lowerFlatVariant2({
            caseMetas: [["last-operation-failed", _lowerFlatOwn2({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$120(obj) {
                if (!(obj instanceof Error$12)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle2];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep2] || ++captureCnt02;
                  captureTable02.set(rep3, obj);
                  handle2 = rscTableCreateOwn2(handleTable02, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: () => realloc02,
    importFn: _trampoline272
  }
);
var trampoline282 = _trampoline282.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 28,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline282.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 2), _liftFlatU642],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatList2({
            elemLowerFn: _lowerFlatU82,
            elemSize32: 1,
            elemAlign32: 1
          }), 12, 4, 4],
          ["err", _lowerFlatVariant2({
            caseMetas: [["last-operation-failed", _lowerFlatOwn2({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$121(obj) {
                if (!(obj instanceof Error$12)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle2];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep2] || ++captureCnt02;
                  captureTable02.set(rep3, obj);
                  handle2 = rscTableCreateOwn2(handleTable02, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: () => realloc02,
    importFn: _trampoline282
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 28,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline282.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 2), _liftFlatU642],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", _lowerFlatList2({
            elemLowerFn: _lowerFlatU82,
            elemSize32: 1,
            elemAlign32: 1
          }), 12, 4, 4],
          ["err", _lowerFlatVariant2({
            caseMetas: [["last-operation-failed", _lowerFlatOwn2({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$122(obj) {
                if (!(obj instanceof Error$12)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle2];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep2] || ++captureCnt02;
                  captureTable02.set(rep3, obj);
                  handle2 = rscTableCreateOwn2(handleTable02, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: () => realloc02,
    importFn: _trampoline282
  }
);
var trampoline292 = _trampoline292.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 29,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline292.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 1), _liftFlatList2({
      elemLiftFn: _liftFlatU82,
      elemAlign32: 1,
      elemSize32: 1,
      typedArray: Uint8Array
    })],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", null, 12, 4, 4],
          ["err", _lowerFlatVariant2({
            caseMetas: [["last-operation-failed", _lowerFlatOwn2({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$123(obj) {
                if (!(obj instanceof Error$12)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle2];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep2] || ++captureCnt02;
                  captureTable02.set(rep3, obj);
                  handle2 = rscTableCreateOwn2(handleTable02, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline292
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 29,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline292.manuallyAsync,
    paramLiftFns: [_liftFlatBorrow2.bind(null, 1), _liftFlatList2({
      elemLiftFn: _liftFlatU82,
      elemAlign32: 1,
      elemSize32: 1,
      typedArray: Uint8Array
    })],
    resultLowerFns: [
      _lowerFlatResult2({
        caseMetas: [
          ["ok", null, 12, 4, 4],
          ["err", _lowerFlatVariant2({
            caseMetas: [["last-operation-failed", _lowerFlatOwn2({
              componentIdx: 0,
              tableIdx: 0,
              lowerFn: function lowerImportedOwnedHost_Error$124(obj) {
                if (!(obj instanceof Error$12)) {
                  throw new TypeError('Resource error: Not a valid "Error$1" resource.');
                }
                let handle2 = obj[symbolRscHandle2];
                if (!handle2) {
                  const rep3 = obj[symbolRscRep2] || ++captureCnt02;
                  captureTable02.set(rep3, obj);
                  handle2 = rscTableCreateOwn2(handleTable02, rep3);
                }
                return handle2;
              }
            }), 4, 4, 1], ["closed", null, 0, 0, 0]],
            variantSize32: 8,
            variantAlign32: 4,
            variantPayloadOffset32: 4,
            variantFlatCount: 2
          }), 12, 4, 4]
        ],
        variantSize32: 12,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 3
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline292
  }
);
var trampoline302 = _trampoline302.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 30,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline302.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatList2({
      elemLowerFn: _lowerFlatTuple2({ elemLowerMetas: [[_lowerFlatStringAny2, 8, 4], [_lowerFlatStringAny2, 8, 4]], size32: 16, align32: 4 }),
      elemSize32: 16,
      elemAlign32: 4
    })],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: () => realloc02,
    importFn: _trampoline302
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 30,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline302.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatList2({
      elemLowerFn: _lowerFlatTuple2({ elemLowerMetas: [[_lowerFlatStringAny2, 8, 4], [_lowerFlatStringAny2, 8, 4]], size32: 16, align32: 4 }),
      elemSize32: 16,
      elemAlign32: 4
    })],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: () => realloc02,
    importFn: _trampoline302
  }
);
var trampoline312 = _trampoline312.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 31,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline312.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatList2({
      elemLowerFn: _lowerFlatTuple2({ elemLowerMetas: [[_lowerFlatOwn2({
        componentIdx: 0,
        tableIdx: 5,
        lowerFn: function lowerImportedOwnedHost_Descriptor7(obj) {
          if (!(obj instanceof Descriptor3)) {
            throw new TypeError('Resource error: Not a valid "Descriptor" resource.');
          }
          let handle2 = obj[symbolRscHandle2];
          if (!handle2) {
            const rep3 = obj[symbolRscRep2] || ++captureCnt52;
            captureTable52.set(rep3, obj);
            handle2 = rscTableCreateOwn2(handleTable52, rep3);
          }
          return handle2;
        }
      }), 4, 4], [_lowerFlatStringAny2, 8, 4]], size32: 12, align32: 4 }),
      elemSize32: 12,
      elemAlign32: 4
    })],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: () => realloc02,
    importFn: _trampoline312
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 31,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline312.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [_lowerFlatList2({
      elemLowerFn: _lowerFlatTuple2({ elemLowerMetas: [[_lowerFlatOwn2({
        componentIdx: 0,
        tableIdx: 5,
        lowerFn: function lowerImportedOwnedHost_Descriptor8(obj) {
          if (!(obj instanceof Descriptor3)) {
            throw new TypeError('Resource error: Not a valid "Descriptor" resource.');
          }
          let handle2 = obj[symbolRscHandle2];
          if (!handle2) {
            const rep3 = obj[symbolRscRep2] || ++captureCnt52;
            captureTable52.set(rep3, obj);
            handle2 = rscTableCreateOwn2(handleTable52, rep3);
          }
          return handle2;
        }
      }), 4, 4], [_lowerFlatStringAny2, 8, 4]], size32: 12, align32: 4 }),
      elemSize32: 12,
      elemAlign32: 4
    })],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: () => realloc02,
    importFn: _trampoline312
  }
);
var trampoline322 = _trampoline322.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 32,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline322.manuallyAsync,
    paramLiftFns: [_liftFlatU642],
    resultLowerFns: [_lowerFlatList2({
      elemLowerFn: _lowerFlatU82,
      elemSize32: 1,
      elemAlign32: 1
    })],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: () => realloc02,
    importFn: _trampoline322
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 32,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline322.manuallyAsync,
    paramLiftFns: [_liftFlatU642],
    resultLowerFns: [_lowerFlatList2({
      elemLowerFn: _lowerFlatU82,
      elemSize32: 1,
      elemAlign32: 1
    })],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: () => realloc02,
    importFn: _trampoline322
  }
);
var trampoline332 = _trampoline332.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 33,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline332.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [
      _lowerFlatOption2({
        caseMetas: [
          ["none", null, 0, 0, 0],
          ["some", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 3,
            lowerFn: function lowerImportedOwnedHost_TerminalInput3(obj) {
              if (!(obj instanceof TerminalInput3)) {
                throw new TypeError('Resource error: Not a valid "TerminalInput" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt32;
                captureTable32.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable32, rep3);
              }
              return handle2;
            }
          }), 4, 4, 1]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline332
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 33,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline332.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [
      _lowerFlatOption2({
        caseMetas: [
          ["none", null, 0, 0, 0],
          ["some", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 3,
            lowerFn: function lowerImportedOwnedHost_TerminalInput4(obj) {
              if (!(obj instanceof TerminalInput3)) {
                throw new TypeError('Resource error: Not a valid "TerminalInput" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt32;
                captureTable32.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable32, rep3);
              }
              return handle2;
            }
          }), 4, 4, 1]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline332
  }
);
var trampoline342 = _trampoline342.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 34,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline342.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [
      _lowerFlatOption2({
        caseMetas: [
          ["none", null, 0, 0, 0],
          ["some", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 4,
            lowerFn: function lowerImportedOwnedHost_TerminalOutput5(obj) {
              if (!(obj instanceof TerminalOutput3)) {
                throw new TypeError('Resource error: Not a valid "TerminalOutput" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt42;
                captureTable42.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable42, rep3);
              }
              return handle2;
            }
          }), 4, 4, 1]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline342
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 34,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline342.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [
      _lowerFlatOption2({
        caseMetas: [
          ["none", null, 0, 0, 0],
          ["some", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 4,
            lowerFn: function lowerImportedOwnedHost_TerminalOutput6(obj) {
              if (!(obj instanceof TerminalOutput3)) {
                throw new TypeError('Resource error: Not a valid "TerminalOutput" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt42;
                captureTable42.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable42, rep3);
              }
              return handle2;
            }
          }), 4, 4, 1]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline342
  }
);
var trampoline352 = _trampoline352.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport2(0, _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 35,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline352.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [
      _lowerFlatOption2({
        caseMetas: [
          ["none", null, 0, 0, 0],
          ["some", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 4,
            lowerFn: function lowerImportedOwnedHost_TerminalOutput7(obj) {
              if (!(obj instanceof TerminalOutput3)) {
                throw new TypeError('Resource error: Not a valid "TerminalOutput" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt42;
                captureTable42.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable42, rep3);
              }
              return handle2;
            }
          }), 4, 4, 1]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline352
  }
))) : _lowerImportBackwardsCompat2.bind(
  null,
  {
    trampolineIdx: 35,
    componentIdx: 0,
    isAsync: false,
    isManualAsync: _trampoline352.manuallyAsync,
    paramLiftFns: [],
    resultLowerFns: [
      _lowerFlatOption2({
        caseMetas: [
          ["none", null, 0, 0, 0],
          ["some", _lowerFlatOwn2({
            componentIdx: 0,
            tableIdx: 4,
            lowerFn: function lowerImportedOwnedHost_TerminalOutput8(obj) {
              if (!(obj instanceof TerminalOutput3)) {
                throw new TypeError('Resource error: Not a valid "TerminalOutput" resource.');
              }
              let handle2 = obj[symbolRscHandle2];
              if (!handle2) {
                const rep3 = obj[symbolRscRep2] || ++captureCnt42;
                captureTable42.set(rep3, obj);
                handle2 = rscTableCreateOwn2(handleTable42, rep3);
              }
              return handle2;
            }
          }), 4, 4, 1]
        ],
        variantSize32: 8,
        variantAlign32: 4,
        variantPayloadOffset32: 4,
        variantFlatCount: 2,
        payloadMaybeNull: false
      })
    ],
    hasResultPointer: true,
    funcTypeIsAsync: false,
    getCallbackFn: () => null,
    getPostReturnFn: () => null,
    isCancellable: false,
    memoryIdx: 0,
    stringEncoding: "utf8",
    getMemoryFn: () => memory02,
    getReallocFn: void 0,
    importFn: _trampoline352
  }
);
var _initialized2 = false;
var $init2 = (() => {
  let gen = (function* _initGenerator() {
    const module0 = fetchCompile2(new URL("./wasm-tools.core.wasm", import.meta.url));
    const module1 = fetchCompile2(new URL("./wasm-tools.core2.wasm", import.meta.url));
    const module2 = base64Compile2("AGFzbQEAAAABZw5gAn9/AGACf38Bf2ABfwBgA39+fwBgBH9/f38Bf2AFf39/f38AYAR/f39/AGABfwF/YAN/f38Bf2AFf39/fn8Bf2AFf39/f38Bf2AJf39/f39+fn9/AX9gB39/f39/f38AYAJ+fwADKCcBAQEHAQEBCAQJBAoLAgAAAAUAAAAABQwDAwAABgADAwYCAg0CAgIEBQFwAScnB8UBKAEwAAABMQABATIAAgEzAAMBNAAEATUABQE2AAYBNwAHATgACAE5AAkCMTAACgIxMQALAjEyAAwCMTMADQIxNAAOAjE1AA8CMTYAEAIxNwARAjE4ABICMTkAEwIyMAAUAjIxABUCMjIAFgIyMwAXAjI0ABgCMjUAGQIyNgAaAjI3ABsCMjgAHAIyOQAdAjMwAB4CMzEAHwIzMgAgAjMzACECMzQAIgIzNQAjAjM2ACQCMzcAJQIzOAAmCCRpbXBvcnRzAQAKkQQnCwAgACABQQARAQALCwAgACABQQERAQALCwAgACABQQIRAQALCQAgAEEDEQcACwsAIAAgAUEEEQEACwsAIAAgAUEFEQEACwsAIAAgAUEGEQEACw0AIAAgASACQQcRCAALDwAgACABIAIgA0EIEQQACxEAIAAgASACIAMgBEEJEQkACw8AIAAgASACIANBChEEAAsRACAAIAEgAiADIARBCxEKAAsZACAAIAEgAiADIAQgBSAGIAcgCEEMEQsACwkAIABBDRECAAsLACAAIAFBDhEAAAsLACAAIAFBDxEAAAsLACAAIAFBEBEAAAsRACAAIAEgAiADIARBEREFAAsLACAAIAFBEhEAAAsLACAAIAFBExEAAAsLACAAIAFBFBEAAAsLACAAIAFBFREAAAsRACAAIAEgAiADIARBFhEFAAsVACAAIAEgAiADIAQgBSAGQRcRDAALDQAgACABIAJBGBEDAAsNACAAIAEgAkEZEQMACwsAIAAgAUEaEQAACwsAIAAgAUEbEQAACw8AIAAgASACIANBHBEGAAsLACAAIAFBHREAAAsNACAAIAEgAkEeEQMACw0AIAAgASACQR8RAwALDwAgACABIAIgA0EgEQYACwkAIABBIRECAAsJACAAQSIRAgALCwAgACABQSMRDQALCQAgAEEkEQIACwkAIABBJRECAAsJACAAQSYRAgALAC8JcHJvZHVjZXJzAQxwcm9jZXNzZWQtYnkBDXdpdC1jb21wb25lbnQHMC4yNTkuMA");
    const module3 = base64Compile2("AGFzbQEAAAABZw5gAn9/AGACf38Bf2ABfwBgA39+fwBgBH9/f38Bf2AFf39/f38AYAR/f39/AGABfwF/YAN/f38Bf2AFf39/fn8Bf2AFf39/f38Bf2AJf39/f39+fn9/AX9gB39/f39/f38AYAJ+fwAC3gMoBmFjdHVhbAEwAAEGYWN0dWFsATEAAQZhY3R1YWwBMgABBmFjdHVhbAEzAAcGYWN0dWFsATQAAQZhY3R1YWwBNQABBmFjdHVhbAE2AAEGYWN0dWFsATcACAZhY3R1YWwBOAAEBmFjdHVhbAE5AAkGYWN0dWFsAjEwAAQGYWN0dWFsAjExAAoGYWN0dWFsAjEyAAsGYWN0dWFsAjEzAAIGYWN0dWFsAjE0AAAGYWN0dWFsAjE1AAAGYWN0dWFsAjE2AAAGYWN0dWFsAjE3AAUGYWN0dWFsAjE4AAAGYWN0dWFsAjE5AAAGYWN0dWFsAjIwAAAGYWN0dWFsAjIxAAAGYWN0dWFsAjIyAAUGYWN0dWFsAjIzAAwGYWN0dWFsAjI0AAMGYWN0dWFsAjI1AAMGYWN0dWFsAjI2AAAGYWN0dWFsAjI3AAAGYWN0dWFsAjI4AAYGYWN0dWFsAjI5AAAGYWN0dWFsAjMwAAMGYWN0dWFsAjMxAAMGYWN0dWFsAjMyAAYGYWN0dWFsAjMzAAIGYWN0dWFsAjM0AAIGYWN0dWFsAjM1AA0GYWN0dWFsAjM2AAIGYWN0dWFsAjM3AAIGYWN0dWFsAjM4AAIEc2hpbQgkaW1wb3J0cwFwAScnCS0BAEEACycAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYALwlwcm9kdWNlcnMBDHByb2Nlc3NlZC1ieQENd2l0LWNvbXBvbmVudAcwLjI1OS4w");
    const instanceFlags0 = new WebAssembly.Global({ value: "i32", mutable: true }, 1);
    INSTANCE_FLAGS2.set(0, instanceFlags0);
    ({ exports: exports02 } = yield instantiateCore2(yield module2));
    ({ exports: exports12 } = yield instantiateCore2(yield module0, {
      wasi_snapshot_preview1: {
        environ_get: Object.assign(exports02["1"], { _jcoMaySuspend: false }),
        environ_sizes_get: Object.assign(exports02["2"], { _jcoMaySuspend: false }),
        fd_close: Object.assign(exports02["3"], { _jcoMaySuspend: false }),
        fd_fdstat_get: Object.assign(exports02["4"], { _jcoMaySuspend: false }),
        fd_filestat_get: Object.assign(exports02["5"], { _jcoMaySuspend: false }),
        fd_prestat_dir_name: Object.assign(exports02["7"], { _jcoMaySuspend: false }),
        fd_prestat_get: Object.assign(exports02["6"], { _jcoMaySuspend: false }),
        fd_read: Object.assign(exports02["8"], { _jcoMaySuspend: false }),
        fd_readdir: Object.assign(exports02["9"], { _jcoMaySuspend: false }),
        fd_write: Object.assign(exports02["10"], { _jcoMaySuspend: false }),
        path_filestat_get: Object.assign(exports02["11"], { _jcoMaySuspend: false }),
        path_open: Object.assign(exports02["12"], { _jcoMaySuspend: false }),
        proc_exit: Object.assign(exports02["13"], { _jcoMaySuspend: false }),
        random_get: Object.assign(exports02["0"], { _jcoMaySuspend: false })
      }
    }));
    ({ exports: exports22 } = yield instantiateCore2(yield module1, {
      __main_module__: {
        cabi_realloc: Object.assign(exports12.cabi_realloc, { _jcoMaySuspend: false })
      },
      env: {
        memory: exports12.memory
      },
      "wasi:cli/environment@0.2.12": {
        "get-environment": Object.assign(exports02["33"], { _jcoMaySuspend: false })
      },
      "wasi:cli/exit@0.2.12": {
        exit: Object.assign(trampoline102, { _jcoMaySuspend: false })
      },
      "wasi:cli/stderr@0.2.12": {
        "get-stderr": Object.assign(trampoline52, { _jcoMaySuspend: false })
      },
      "wasi:cli/stdin@0.2.12": {
        "get-stdin": Object.assign(trampoline62, { _jcoMaySuspend: false })
      },
      "wasi:cli/stdout@0.2.12": {
        "get-stdout": Object.assign(trampoline72, { _jcoMaySuspend: false })
      },
      "wasi:cli/terminal-input@0.2.12": {
        "[resource-drop]terminal-input": Object.assign(_guardMayLeave2(0, trampoline82), { _jcoMaySuspend: false })
      },
      "wasi:cli/terminal-output@0.2.12": {
        "[resource-drop]terminal-output": Object.assign(_guardMayLeave2(0, trampoline92), { _jcoMaySuspend: false })
      },
      "wasi:cli/terminal-stderr@0.2.12": {
        "get-terminal-stderr": Object.assign(exports02["38"], { _jcoMaySuspend: false })
      },
      "wasi:cli/terminal-stdin@0.2.12": {
        "get-terminal-stdin": Object.assign(exports02["36"], { _jcoMaySuspend: false })
      },
      "wasi:cli/terminal-stdout@0.2.12": {
        "get-terminal-stdout": Object.assign(exports02["37"], { _jcoMaySuspend: false })
      },
      "wasi:filesystem/preopens@0.2.6": {
        "get-directories": Object.assign(exports02["34"], { _jcoMaySuspend: false })
      },
      "wasi:filesystem/types@0.2.12": {
        "[method]descriptor.append-via-stream": Object.assign(exports02["20"], { _jcoMaySuspend: false }),
        "[method]descriptor.get-flags": Object.assign(exports02["18"], { _jcoMaySuspend: false }),
        "[method]descriptor.get-type": Object.assign(exports02["19"], { _jcoMaySuspend: false }),
        "[method]descriptor.metadata-hash": Object.assign(exports02["15"], { _jcoMaySuspend: false }),
        "[method]descriptor.metadata-hash-at": Object.assign(exports02["17"], { _jcoMaySuspend: false }),
        "[method]descriptor.open-at": Object.assign(exports02["23"], { _jcoMaySuspend: false }),
        "[method]descriptor.read-directory": Object.assign(exports02["21"], { _jcoMaySuspend: false }),
        "[method]descriptor.read-via-stream": Object.assign(exports02["24"], { _jcoMaySuspend: false }),
        "[method]descriptor.stat": Object.assign(exports02["26"], { _jcoMaySuspend: false }),
        "[method]descriptor.stat-at": Object.assign(exports02["22"], { _jcoMaySuspend: false }),
        "[method]descriptor.write-via-stream": Object.assign(exports02["25"], { _jcoMaySuspend: false }),
        "[method]directory-entry-stream.read-directory-entry": Object.assign(exports02["16"], { _jcoMaySuspend: false }),
        "[resource-drop]descriptor": Object.assign(_guardMayLeave2(0, trampoline210), { _jcoMaySuspend: false }),
        "[resource-drop]directory-entry-stream": Object.assign(_guardMayLeave2(0, trampoline110), { _jcoMaySuspend: false }),
        "filesystem-error-code": Object.assign(exports02["14"], { _jcoMaySuspend: false })
      },
      "wasi:io/error@0.2.12": {
        "[resource-drop]error": Object.assign(_guardMayLeave2(0, trampoline02), { _jcoMaySuspend: false })
      },
      "wasi:io/streams@0.2.12": {
        "[method]input-stream.blocking-read": Object.assign(exports02["30"], { _jcoMaySuspend: false }),
        "[method]input-stream.read": Object.assign(exports02["31"], { _jcoMaySuspend: false }),
        "[method]output-stream.blocking-flush": Object.assign(exports02["29"], { _jcoMaySuspend: false }),
        "[method]output-stream.blocking-write-and-flush": Object.assign(exports02["32"], { _jcoMaySuspend: false }),
        "[method]output-stream.check-write": Object.assign(exports02["27"], { _jcoMaySuspend: false }),
        "[method]output-stream.write": Object.assign(exports02["28"], { _jcoMaySuspend: false }),
        "[resource-drop]input-stream": Object.assign(_guardMayLeave2(0, trampoline42), { _jcoMaySuspend: false }),
        "[resource-drop]output-stream": Object.assign(_guardMayLeave2(0, trampoline36), { _jcoMaySuspend: false })
      },
      "wasi:random/random@0.2.12": {
        "get-random-bytes": Object.assign(exports02["35"], { _jcoMaySuspend: false })
      }
    }));
    memory02 = exports12.memory;
    realloc02 = exports22.cabi_import_realloc;
    try {
      realloc0Async2 = WebAssembly.promising(exports22.cabi_import_realloc);
    } catch (err) {
      realloc0Async2 = exports22.cabi_import_realloc;
    }
    ({ exports: exports32 } = yield instantiateCore2(yield module3, {
      actual: {
        "0": Object.assign(exports22.random_get, { _jcoMaySuspend: false }),
        "1": Object.assign(exports22.environ_get, { _jcoMaySuspend: false }),
        "10": Object.assign(exports22.fd_write, { _jcoMaySuspend: false }),
        "11": Object.assign(exports22.path_filestat_get, { _jcoMaySuspend: false }),
        "12": Object.assign(exports22.path_open, { _jcoMaySuspend: false }),
        "13": Object.assign(exports22.proc_exit, { _jcoMaySuspend: false }),
        "14": Object.assign(trampoline112, { _jcoMaySuspend: false }),
        "15": Object.assign(trampoline122, { _jcoMaySuspend: false }),
        "16": Object.assign(trampoline132, { _jcoMaySuspend: false }),
        "17": Object.assign(trampoline142, { _jcoMaySuspend: false }),
        "18": Object.assign(trampoline152, { _jcoMaySuspend: false }),
        "19": Object.assign(trampoline162, { _jcoMaySuspend: false }),
        "2": Object.assign(exports22.environ_sizes_get, { _jcoMaySuspend: false }),
        "20": Object.assign(trampoline172, { _jcoMaySuspend: false }),
        "21": Object.assign(trampoline182, { _jcoMaySuspend: false }),
        "22": Object.assign(trampoline192, { _jcoMaySuspend: false }),
        "23": Object.assign(trampoline202, { _jcoMaySuspend: false }),
        "24": Object.assign(trampoline212, { _jcoMaySuspend: false }),
        "25": Object.assign(trampoline222, { _jcoMaySuspend: false }),
        "26": Object.assign(trampoline232, { _jcoMaySuspend: false }),
        "27": Object.assign(trampoline242, { _jcoMaySuspend: false }),
        "28": Object.assign(trampoline252, { _jcoMaySuspend: false }),
        "29": Object.assign(trampoline262, { _jcoMaySuspend: false }),
        "3": Object.assign(exports22.fd_close, { _jcoMaySuspend: false }),
        "30": Object.assign(trampoline272, { _jcoMaySuspend: false }),
        "31": Object.assign(trampoline282, { _jcoMaySuspend: false }),
        "32": Object.assign(trampoline292, { _jcoMaySuspend: false }),
        "33": Object.assign(trampoline302, { _jcoMaySuspend: false }),
        "34": Object.assign(trampoline312, { _jcoMaySuspend: false }),
        "35": Object.assign(trampoline322, { _jcoMaySuspend: false }),
        "36": Object.assign(trampoline332, { _jcoMaySuspend: false }),
        "37": Object.assign(trampoline342, { _jcoMaySuspend: false }),
        "38": Object.assign(trampoline352, { _jcoMaySuspend: false }),
        "4": Object.assign(exports22.fd_fdstat_get, { _jcoMaySuspend: false }),
        "5": Object.assign(exports22.fd_filestat_get, { _jcoMaySuspend: false }),
        "6": Object.assign(exports22.fd_prestat_get, { _jcoMaySuspend: false }),
        "7": Object.assign(exports22.fd_prestat_dir_name, { _jcoMaySuspend: false }),
        "8": Object.assign(exports22.fd_read, { _jcoMaySuspend: false }),
        "9": Object.assign(exports22.fd_readdir, { _jcoMaySuspend: false })
      },
      shim: {
        $imports: exports02.$imports
      }
    }));
    realloc12 = exports12.cabi_realloc;
    try {
      realloc1Async2 = WebAssembly.promising(exports12.cabi_realloc);
    } catch (err) {
      realloc1Async2 = exports12.cabi_realloc;
    }
    postReturn02 = exports12["cabi_post_local:wasm-tools/tools#component-embed"];
    try {
      postReturn0Async2 = WebAssembly.promising(exports12["cabi_post_local:wasm-tools/tools#component-embed"]);
    } catch (err) {
      postReturn0Async2 = exports12["cabi_post_local:wasm-tools/tools#component-embed"];
    }
    postReturn12 = exports12["cabi_post_local:wasm-tools/tools#component-wit-metadata-for-world"];
    try {
      postReturn1Async2 = WebAssembly.promising(exports12["cabi_post_local:wasm-tools/tools#component-wit-metadata-for-world"]);
    } catch (err) {
      postReturn1Async2 = exports12["cabi_post_local:wasm-tools/tools#component-wit-metadata-for-world"];
    }
    postReturn22 = exports12["cabi_post_local:wasm-tools/tools#metadata-show"];
    try {
      postReturn2Async2 = WebAssembly.promising(exports12["cabi_post_local:wasm-tools/tools#metadata-show"]);
    } catch (err) {
      postReturn2Async2 = exports12["cabi_post_local:wasm-tools/tools#metadata-show"];
    }
    _initialized2 = true;
    toolsParse = exports12["local:wasm-tools/tools#parse"];
    toolsPrint = exports12["local:wasm-tools/tools#print"];
    toolsComponentNew = exports12["local:wasm-tools/tools#component-new"];
    toolsComponentWit = exports12["local:wasm-tools/tools#component-wit"];
    toolsComponentWitMetadataForWorld = exports12["local:wasm-tools/tools#component-wit-metadata-for-world"];
    toolsComponentEmbed = exports12["local:wasm-tools/tools#component-embed"];
    toolsMetadataShow = exports12["local:wasm-tools/tools#metadata-show"];
    toolsMetadataAdd = exports12["local:wasm-tools/tools#metadata-add"];
  })();
  let promise, resolve2, reject;
  function normalizeInstantiationError(e) {
    if (typeof WebAssembly.SuspendError === "function" && e instanceof WebAssembly.SuspendError) {
      return new WebAssembly.RuntimeError("cannot block a synchronous task before returning");
    }
    return e;
  }
  function runNext(value) {
    try {
      let done;
      do {
        ({ value, done } = gen.next(value));
      } while (!(value instanceof Promise) && !done);
      if (done) {
        if (resolve2) resolve2(value);
        else return value;
      }
      if (!promise) promise = new Promise((_resolve, _reject) => (resolve2 = _resolve, reject = _reject));
      value.then(runNext, (e) => reject(normalizeInstantiationError(e)));
    } catch (e) {
      e = normalizeInstantiationError(e);
      if (reject) reject(e);
      else throw e;
    }
  }
  const maybeSyncReturn = runNext(null);
  return promise || maybeSyncReturn;
})();
var tools = {
  componentEmbed,
  componentNew,
  componentWit,
  componentWitMetadataForWorld,
  metadataAdd,
  metadataShow,
  parse,
  print
};

// node_modules/@bytecodealliance/jco-transpile/dist/opt.js
import { fileURLToPath } from "node:url";

// node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js
async function metadataShow2(bytes) {
  await $init2;
  return tools.metadataShow(bytes);
}
async function print2(bytes) {
  await $init2;
  return tools.print(bytes);
}
async function componentNew2(bytes, adapters) {
  await $init2;
  return tools.componentNew(bytes, adapters);
}

// node_modules/@bytecodealliance/jco-transpile/dist/opt.js
async function runOptimizeComponent(componentBytes, opts) {
  const componentMetadata = await metadataShow2(componentBytes);
  componentMetadata.forEach((metadata, index) => {
    metadata.index = index;
    const size = metadata.range[1] - metadata.range[0];
    metadata.prevLEBLen = byteLengthLEB128(size);
  });
  const coreModules = componentMetadata.filter(({ metaType }) => metaType.tag === "module");
  const args = opts?.optArgs ? [...opts.optArgs] : ["-Oz", "--low-memory-unused", "--enable-bulk-memory", "--strip-debug"];
  if (opts?.asyncify) {
    args.push("--asyncify");
  }
  await Promise.all(coreModules.map(async (metadata) => {
    if (metadata.metaType.tag === "module") {
      const optimized = await runWasmOptCLI(componentBytes.subarray(metadata.range[0], metadata.range[1]), args, opts);
      if (optimized === null) {
        throw new Error("failed to optimize binary with wasm-opt");
      }
      const prevModuleSize = metadata.range[1] - metadata.range[0];
      const newModuleSize = optimized.byteLength;
      metadata.newLEBLen = byteLengthLEB128(newModuleSize);
      metadata.sizeChange = newModuleSize - prevModuleSize;
      metadata.optimized = optimized;
    }
  }));
  const nodes = componentMetadata.slice(1);
  const getChildren = (parentIndex) => {
    const children = [];
    for (let i = 0; i < nodes.length; i++) {
      const metadata = nodes[i];
      if (metadata.parentIndex === parentIndex) {
        nodes.splice(i, 1);
        i--;
        const idx = metadata.index;
        if (idx === void 0) {
          throw new Error("unexpectedly missing index on module metadata");
        }
        metadata.children = getChildren(idx);
        metadata.sizeChange = (metadata.children ?? []).reduce((total, childMetadata) => {
          const { prevLEBLen, newLEBLen, sizeChange: sizeChange2 } = childMetadata;
          if (newLEBLen === void 0) {
            throw new Error("unexpectedly undefined new LEB len");
          }
          if (prevLEBLen === void 0) {
            throw new Error("unexpectedly undefined new LEB len");
          }
          return sizeChange2 ? total + sizeChange2 + newLEBLen - prevLEBLen : total;
        }, metadata.sizeChange || 0);
        const prevSize = metadata.range[1] - metadata.range[0];
        metadata.newLEBLen = byteLengthLEB128(prevSize + (metadata.sizeChange ?? 0));
        children.push(metadata);
      }
    }
    return children;
  };
  const componentTree = getChildren(0);
  const sizeChange = componentTree.reduce((total, metadata) => {
    const { prevLEBLen, newLEBLen, sizeChange: sizeChange2 } = metadata;
    if (newLEBLen === void 0) {
      throw new Error("unexpectedly undefined new LEB len");
    }
    if (prevLEBLen === void 0) {
      throw new Error("unexpectedly undefined new LEB len");
    }
    return total + (sizeChange2 || 0) + newLEBLen - prevLEBLen;
  }, 0);
  const outComponentBytes = new Uint8Array(componentBytes.byteLength + sizeChange);
  let nextReadPos = 0, nextWritePos = 0;
  const write = (metadata) => {
    const { prevLEBLen, range, optimized, children, sizeChange: sizeChange2 } = metadata;
    if (prevLEBLen === void 0) {
      throw new Error("unexpectedly undefined prev LEB len");
    }
    if (sizeChange2 === void 0) {
      throw new Error("unexpectedly undefined sizeChange");
    }
    outComponentBytes.set(componentBytes.subarray(nextReadPos, range[0] - prevLEBLen), nextWritePos);
    nextWritePos += range[0] - prevLEBLen - nextReadPos;
    let val = range[1] - range[0] + sizeChange2;
    do {
      const byte = val & 127;
      val >>>= 7;
      outComponentBytes[nextWritePos++] = val === 0 ? byte : byte | 128;
    } while (val !== 0);
    if (optimized) {
      outComponentBytes.set(optimized, nextWritePos);
      nextReadPos = range[1];
      nextWritePos += optimized.byteLength;
    } else if (children && children.length > 0) {
      nextReadPos = range[0];
      children.forEach(write);
    } else {
      outComponentBytes.set(componentBytes.subarray(range[0], range[1]), nextWritePos);
      nextReadPos = range[1];
      nextWritePos += range[1] - range[0];
    }
  };
  componentTree.forEach((metadata) => write(metadata));
  outComponentBytes.set(componentBytes.subarray(nextReadPos), nextWritePos);
  if (!opts?.noVerify) {
    try {
      await print2(outComponentBytes);
    } catch (e) {
      throw new Error(`Internal error performing optimization.
${e instanceof Error ? e.message : ""}`);
    }
  }
  return {
    component: outComponentBytes,
    compressionInfo: coreModules.map((metadata) => {
      const optimized = metadata.optimized;
      if (!optimized) {
        throw new Error("unexpectedly missing optimized chunk");
      }
      return {
        beforeBytes: metadata.range[1] - metadata.range[0],
        afterBytes: optimized.byteLength
      };
    })
  };
}
async function runWasmOptCLI(source, args, opts) {
  const wasmOptBin = opts?.wasmOptBin ?? fileURLToPath(import.meta.resolve("binaryen/bin/wasm-opt"));
  try {
    return await runWASMTransformProgram(wasmOptBin, source, [...args, "-o"]);
  } catch (e) {
    if ((typeof e === "string" || e instanceof Error) && e.toString().includes("BasicBlock requested")) {
      return runWasmOptCLI(source, args, opts);
    }
    throw e;
  }
}

// node_modules/@bytecodealliance/jco-transpile/dist/asm.js
import { fileURLToPath as fileURLToPath2 } from "node:url";
import { Buffer as Buffer2 } from "node:buffer";
import { basename } from "node:path";
async function generateASMJS(args) {
  const { opts, inputJS, instantiation, imports, exports } = args;
  const withInstantiation = opts.instantiation !== void 0;
  const async_ = instantiation.tag == "async" ? "async " : "";
  const await_ = instantiation.tag == "async" ? "await " : "";
  const source = Buffer2.from(inputJS).toString("utf8").replace(/exports(\d+)\['([^']+)']/g, (_, i, s) => `exports${i}['${asmMangle(s)}']`).replace(/export (async )?function instantiate/, "$1function _instantiate");
  const wasmFiles = args.files.filter(([name]) => name.endsWith(".wasm"));
  const asmFiles = await Promise.all(wasmFiles.map(async ([, source2]) => {
    const bytes = await wasm2Js(source2);
    if (!bytes) {
      throw new Error("failed to convert wasm to asm.js");
    }
    return bytes.toString();
  }));
  const asms = asmFiles.map((asm, nth) => `function asm${nth}(imports) {
  ${// strip and replace the asm instantiation wrapper
  asm.replace(/import \* as [^ ]+ from '[^']*';/g, "").replace("function asmFunc(imports) {", "").replace(/export var ([^ ]+) = ([^. ]+)\.([^ ]+);/g, "").replace(/var retasmFunc = [\s\S]*$/, "").replace(/var memasmFunc = new ArrayBuffer\(0\);/g, "").replace("memory.grow = __wasm_memory_grow;", "").trim()}`).join(",\n");
  const instantiateFunction = `${withInstantiation ? "export " : ""}${async_}function instantiate(imports) {
  const wasm_file_to_asm_index = {
    ${wasmFiles.map(([path2], nth) => `'${basename(path2)}': ${nth}`).join(",\n    ")}
  };

  return ${await_}_instantiate(
      module_name => wasm_file_to_asm_index[module_name],
      imports,
      (module_index, imports) => ({ exports: asmInit[module_index](imports) })
  );
}`;
  let importDirectives = "";
  let exportDirectives = "";
  let exportTrampolines = "";
  let autoInstantiate = "";
  if (!withInstantiation) {
    importDirectives = imports.map((import_file, nth) => `import * as import${nth} from '${import_file}';`).join("\n");
    if (exports.length > 0 || opts.tlaCompat) {
      exportDirectives = `export {
${// Exporting `$init` must come first to not break the transpiling tests.
      opts.tlaCompat ? "  $init,\n" : ""}${exports.map(([name]) => {
        if (name === asmMangle(name)) {
          return `  ${name},`;
        } else {
          return `  ${asmMangle(name)} as '${name}',`;
        }
      }).join("\n")}
}`;
    }
    exportTrampolines = `let ${exports.filter(([, ty]) => ty === "function").map(([name]) => `_${asmMangle(name)}`).join(", ")};
${exports.map(([name, ty]) => {
      if (ty === "function") {
        return `
function ${asmMangle(name)} () {
  return _${asmMangle(name)}.apply(this, arguments);
}`;
      } else {
        return `
let ${asmMangle(name)};`;
      }
    }).join("\n")}`;
    autoInstantiate = `${async_}function $init() {
  ( {
${exports.map(([name, ty]) => {
      if (ty === "function") {
        return `    '${name}': _${asmMangle(name)},`;
      } else if (asmMangle(name) === name) {
        return `    ${name},`;
      } else {
        return `    '${name}': ${asmMangle(name)},`;
      }
    }).join("\n")}
  } = ${await_}instantiate(
    {
${imports.map((import_file, nth) => `      '${import_file}': import${nth},`).join("\n")}
    }
  ) )
}

${opts.tlaCompat ? "" : `${await_}$init();`}`;
  }
  const outSource = `${importDirectives}

${source}

const asmInit = [${asms}];

${exportTrampolines}

${instantiateFunction}

${exportDirectives}

${autoInstantiate}`;
  return outSource;
}
function asmMangle(name) {
  if (name === "") {
    return "$";
  }
  let mightBeKeyword = true;
  let i = 1;
  switch (name[0]) {
    case "0":
    case "1":
    case "2":
    case "3":
    case "4":
    case "5":
    case "6":
    case "7":
    case "8":
    case "9": {
      name = "$" + name;
      i = 2;
    }
    case "$":
    case "_": {
      mightBeKeyword = false;
      break;
    }
    default: {
      const chNum = name.charCodeAt(0);
      if (!(chNum >= 97 && chNum <= 122) && !(chNum >= 65 && chNum <= 90)) {
        name = "$" + name.substr(1);
        mightBeKeyword = false;
      }
    }
  }
  const len = name.length;
  for (; i < len; ++i) {
    switch (name[i]) {
      case "0":
      case "1":
      case "2":
      case "3":
      case "4":
      case "5":
      case "6":
      case "7":
      case "8":
      case "9":
      case "$":
      case "_": {
        mightBeKeyword = false;
        break;
      }
      default: {
        const chNum = name.charCodeAt(i);
        if (!(chNum >= 97 && chNum <= 122) && !(chNum >= 65 && chNum <= 90)) {
          name = name.substr(0, i) + "_" + name.substr(i + 1);
          mightBeKeyword = false;
        }
      }
    }
  }
  if (mightBeKeyword && len >= 2 && len <= 10) {
    switch (name[0]) {
      case "a": {
        if (name == "arguments") {
          return name + "_";
        }
        break;
      }
      case "b": {
        if (name == "break") {
          return name + "_";
        }
        break;
      }
      case "c": {
        if (name == "case" || name == "continue" || name == "catch" || name == "const" || name == "class") {
          return name + "_";
        }
        break;
      }
      case "d": {
        if (name == "do" || name == "default" || name == "debugger") {
          return name + "_";
        }
        break;
      }
      case "e": {
        if (name == "else" || name == "enum" || name == "eval" || // to be sure
        name == "export" || name == "extends") {
          return name + "_";
        }
        break;
      }
      case "f": {
        if (name == "for" || name == "false" || name == "finally" || name == "function") {
          return name + "_";
        }
        break;
      }
      case "i": {
        if (name == "if" || name == "in" || name == "import" || name == "interface" || name == "implements" || name == "instanceof") {
          return name + "_";
        }
        break;
      }
      case "l": {
        if (name == "let") {
          return name + "_";
        }
        break;
      }
      case "n": {
        if (name == "new" || name == "null") {
          return name + "_";
        }
        break;
      }
      case "p": {
        if (name == "public" || name == "package" || name == "private" || name == "protected") {
          return name + "_";
        }
        break;
      }
      case "r": {
        if (name == "return") {
          return name + "_";
        }
        break;
      }
      case "s": {
        if (name == "super" || name == "static" || name == "switch") {
          return name + "_";
        }
        break;
      }
      case "t": {
        if (name == "try" || name == "this" || name == "true" || name == "throw" || name == "typeof") {
          return name + "_";
        }
        break;
      }
      case "v": {
        if (name == "var" || name == "void") {
          return name + "_";
        }
        break;
      }
      case "w": {
        if (name == "with" || name == "while") {
          return name + "_";
        }
        break;
      }
      case "y": {
        if (name == "yield") {
          return name + "_";
        }
        break;
      }
    }
  }
  return name;
}
async function wasm2Js(source, opts) {
  const wasm2JsBin = opts?.wasm2JsBinPath ?? fileURLToPath2(import.meta.resolve("binaryen/bin/wasm2js"));
  try {
    return await runWASMTransformProgram(wasm2JsBin, source, ["-Oz", "-o"]);
  } catch (e) {
    if ((typeof e === "string" || e instanceof Error) && e.toString().includes("BasicBlock requested")) {
      return wasm2Js(source, opts);
    }
    throw e;
  }
}

// node_modules/@bytecodealliance/jco-transpile/dist/transpile.js
var { componentEmbed: componentEmbed2, componentNew: componentNew3 } = tools;
var SUPPORTED_P3_VERSIONS = ["0.3.0-rc-2026-03-15", "0.3.0"];
async function transpileBytes(component, opts = {}) {
  await $init;
  if (opts.instantiation) {
    opts.wasiShim = false;
  }
  if (opts.optimize) {
    const optResult = await runOptimizeComponent(component, opts.optimizeOptions);
    component = optResult.component;
  }
  if (opts.wasiShim !== false) {
    const shims = {
      "wasi:cli/*": "@bytecodealliance/preview2-shim/cli#*",
      "wasi:clocks/*": "@bytecodealliance/preview2-shim/clocks#*",
      "wasi:filesystem/*": "@bytecodealliance/preview2-shim/filesystem#*",
      "wasi:http/*": "@bytecodealliance/preview2-shim/http#*",
      "wasi:io/*": "@bytecodealliance/preview2-shim/io#*",
      "wasi:random/*": "@bytecodealliance/preview2-shim/random#*",
      "wasi:sockets/*": "@bytecodealliance/preview2-shim/sockets#*"
    };
    for (const version of SUPPORTED_P3_VERSIONS) {
      Object.assign(shims, {
        [`wasi:cli/*@${version}`]: "@bytecodealliance/preview3-shim/cli#*",
        [`wasi:clocks/*@${version}`]: "@bytecodealliance/preview3-shim/clocks#*",
        [`wasi:filesystem/*@${version}`]: "@bytecodealliance/preview3-shim/filesystem#*",
        [`wasi:http/*@${version}`]: "@bytecodealliance/preview3-shim/http#*",
        [`wasi:random/*@${version}`]: "@bytecodealliance/preview3-shim/random#*",
        [`wasi:sockets/*@${version}`]: "@bytecodealliance/preview3-shim/sockets#*"
      });
    }
    opts.map = Object.assign(shims, opts.map || {});
  }
  let instantiation = void 0;
  if (opts.instantiation) {
    if (typeof opts.instantiation === "string") {
      if (opts.instantiation !== "sync" && opts.instantiation !== "async") {
        throw new Error(`invalid/unrecognized instantiation mode [${opts.instantiation}]`);
      }
      instantiation = { tag: opts.instantiation };
    } else if (typeof opts.instantiation === "object") {
      instantiation = opts.instantiation;
    } else {
      throw new Error("invalid instantiation configuration value");
    }
  } else if (opts.js) {
    instantiation = { tag: "async" };
  }
  let asyncMode = void 0;
  if (opts.asyncMode === "jspi") {
    asyncMode = {
      tag: "jspi",
      val: {
        imports: opts.asyncImports || [],
        exports: opts.asyncExports || []
      }
    };
  }
  const generateOpts = {
    name: opts.name ?? "component",
    map: Object.entries(opts.map ?? {}),
    instantiation,
    asyncMode,
    importBindings: opts.importBindings ? { tag: opts.importBindings } : void 0,
    validLiftingOptimization: opts.validLiftingOptimization ?? false,
    tracing: opts.tracing ?? false,
    noComponentErrorWrapping: opts.noComponentErrorWrapping ?? true,
    noNodejsCompat: opts.nodejsCompat === false,
    noTypescript: opts.emitTypescriptDeclarations === false,
    tlaCompat: opts.tlaCompat ?? false,
    base64Cutoff: opts.js ? 0 : opts.base64Cutoff ?? 5e3,
    noNamespacedExports: opts.namespacedExports === false,
    multiMemory: opts.multiMemory === true,
    bindgenEnableWasmExnref: opts.bindgenEnableWasmExnref === true,
    strict: opts.strict === true,
    flagsAsBigint: opts.flagsAsBigInt === true,
    variantsInlineCases: opts.variantsInlineCases === true,
    useNamespaceObjects: opts.useNamespaceObjects === true,
    enumValuesScreamingSnakeCase: opts.enumValuesScreamingSnakeCase === true,
    idlImports: opts.experimentalIdlImports === true,
    asmjs: opts.js === true
  };
  const generated = generate(component, generateOpts);
  const imports = generated.imports;
  const exports = generated.exports;
  let outDir = (opts.outDir ?? "").replace(/\\/g, "/");
  if (!outDir.endsWith("/") && outDir !== "") {
    outDir += "/";
  }
  const files = generated.files.map(([name, source]) => [`${outDir}${name}`, source]);
  const jsFile = files.find(([name]) => {
    if (typeof name !== "string") {
      throw new Error("unexpected name value");
    }
    return name.endsWith(".js");
  });
  if (!jsFile) {
    throw new Error("failed to find generated JS module");
  }
  if (opts.js && jsFile) {
    if (!instantiation) {
      throw new Error("missing required instantiation for jS");
    }
    jsFile[1] = Buffer3.from(await generateASMJS({
      opts,
      inputJS: jsFile[1],
      files,
      instantiation,
      imports,
      exports
    }));
  }
  if (opts.minify && jsFile) {
    const minified = await minify("component.js", Buffer3.from(jsFile[1]).toString("utf8"), {
      module: true,
      compress: {
        target: "es2019"
      },
      mangle: {
        keepNames: true
      }
    });
    jsFile[1] = new TextEncoder().encode(minified.code);
  }
  return { files: Object.fromEntries(files), imports, exports };
}

// src/convert/jco-server.ts
import { createHash } from "node:crypto";
import { mkdir as mkdir2, writeFile as writeFile2 } from "node:fs/promises";
import path from "node:path";
async function handle(request) {
  try {
    if (request.op === "componentNew") {
      const component = await componentNew2(request.module, request.adapters);
      if (request.outPath === void 0) return { id: request.id, ok: true, component };
      await writeFile2(request.outPath, component);
      return { id: request.id, ok: true, written: component.length };
    }
    const result = await transpileBytes(request.component, request.options);
    if (request.outDir === void 0) return { id: request.id, ok: true, files: result.files, exports: result.exports };
    const written = [];
    for (const [name, content] of Object.entries(result.files)) {
      if (name.endsWith(".d.ts")) continue;
      if (path.isAbsolute(name) || name.split(/[\\/]/).includes("..")) throw new Error(`jco named a file outside the folder: ${name}`);
      const file = path.join(request.outDir, name);
      await mkdir2(path.dirname(file), { recursive: true });
      await writeFile2(file, content);
      written.push([name, createHash("sha256").update(content).digest("hex")]);
    }
    return { id: request.id, ok: true, wroteFiles: written, js: result.files["component.js"], exports: result.exports };
  } catch (e) {
    return { id: request.id, ok: false, error: e instanceof Error ? { message: e.message } : String(e) };
  }
}
var queue = Promise.resolve();
process.on("message", (request) => {
  queue = queue.then(async () => {
    process.send?.({ id: request.id, started: true });
    process.send?.(await handle(request));
  });
});
process.on("disconnect", () => process.exit(0));
