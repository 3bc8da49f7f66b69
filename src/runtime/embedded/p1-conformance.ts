/**
 * Where Node's `node:wasi` (uvwasi) departs from the WASI preview1 specification (`wasi_snapshot_preview1.witx`) in
 * ways a program can see, and the corrections the P1 host applies on top of it. Without them the P1 baseline would
 * be the host's behaviour, not the program's: a wasi-libc `clock_nanosleep(TIMER_ABSTIME)` (CPython's `time.sleep`)
 * would sleep for an hour, a `poll()` on stdio (files here) would fail, and a directory listing would differ from
 * the same program's under wasmtime or after adaptation (which both list `.` and `..`).
 *
 * Each entry of P1_HOST_DEVIATIONS says what uvwasi does, what the spec says, and whether the host corrects it; the
 * corrected functions wrap uvwasi's and reach the guest's memory only while the guest is blocked in the call.
 * Found by running the official conformance suite (WebAssembly/wasi-testsuite) and guests of our own under node:wasi.
 */

export interface P1HostDeviation {
  /** Stable id, used in notes. */
  id: string;
  /** The WASI function(s) concerned. */
  functions: string[];
  /** What node:wasi does. */
  host: string;
  /** What the specification (or every other preview1 host) does. */
  spec: string;
  /** Corrected by the P1 host's wrapper (true), or only known (false: a difference there may be the host's). */
  corrected: boolean;
}

export const P1_HOST_DEVIATIONS: readonly P1HostDeviation[] = [
  {
    id: 'poll-abstime-clock',
    functions: ['poll_oneoff'],
    host:
      'an absolute clock deadline (subscription_clock_abstime) is measured against the realtime clock whatever the ' +
      "subscription's clock, and a deadline already past wraps to a wait of hours",
    spec:
      "witx subscription_clock: with abstime, `timeout` is an absolute time of the subscription's clock `id`; a " +
      'deadline that has passed is ready at once',
    corrected: true,
  },
  {
    id: 'poll-timeout-precision',
    functions: ['poll_oneoff'],
    host: 'relative timeouts are cut to whole milliseconds, so a sub-millisecond sleep returns at once and others early',
    spec: 'witx subscription_clock: the event fires once `timeout` nanoseconds have passed',
    corrected: true,
  },
  {
    id: 'poll-files-not-pollable',
    functions: ['poll_oneoff'],
    host: 'an fd_read/fd_write subscription on a regular file or /dev/null fails the whole call with `perm` (epoll ' + 'refuses such fds)',
    spec: 'POSIX poll(): regular files are always ready; wasmtime reports them ready (official test poll_oneoff_stdio)',
    corrected: true,
  },
  {
    id: 'readdir-no-dot-entries',
    functions: ['fd_readdir'],
    host: 'lists no `.` and `..` entries, and gives every entry inode (d_ino) 0',
    spec: 'wasmtime and the P1 adapter list `.` and `..` first (official test fd_readdir expects them)',
    corrected: true,
  },
  {
    id: 'fdstat-host-flags',
    functions: ['fd_fdstat_get'],
    host: "`fs_flags` holds the host's raw fcntl(F_GETFL) bits (Linux O_APPEND 0x400, O_LARGEFILE 0x8000, …)",
    spec: 'witx fdflags: append=1, dsync=2, nonblock=4, rsync=8, sync=16 (official tests path_filestat, truncation_rights)',
    corrected: true,
  },
  {
    id: 'filestat-times-seconds',
    functions: ['fd_filestat_set_times', 'path_filestat_set_times'],
    host: 'sets file times to whole seconds (the nanoseconds are dropped)',
    spec: 'witx timestamp: nanoseconds (official test fd_filestat_set)',
    // node:wasi gives no way to set times with nanoseconds on its descriptors; signature p1-host-file-times-seconds
    // attributes a difference to the hosts when the module sets file times.
    corrected: false,
  },
];

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_INVAL = 28;
const ERRNO_PERM = 63;

const EVENTTYPE_CLOCK = 0;
const EVENTTYPE_FD_READ = 1;
const EVENTTYPE_FD_WRITE = 2;
const SUBSCRIPTION_SIZE = 48;
const EVENT_SIZE = 32;
const SUBSCRIPTION_CLOCK_ABSTIME = 1;

const FILETYPE_BLOCK_DEVICE = 1;
const FILETYPE_DIRECTORY = 3;
const FILETYPE_REGULAR_FILE = 4;

type WasiFunction = (...args: (number | bigint)[]) => number;
type P1Functions = Record<string, WasiFunction>;

/** A clock's current time in nanoseconds, as node:wasi's clock_time_get reads it (undefined: no such clock). */
function clockNow(id: number): bigint | undefined {
  switch (id) {
    case 0: // realtime: whole milliseconds, never ahead of the guest's reading, so a deadline is never met early
      return BigInt(Date.now()) * 1_000_000n;
    case 1: // monotonic: uv_hrtime, the same source as node:wasi's
      return process.hrtime.bigint();
    case 2: // process and thread CPU time (the guest has one thread)
    case 3: {
      const usage = process.cpuUsage();
      return BigInt(usage.user + usage.system) * 1000n;
    }
    default:
      return undefined;
  }
}

/** Blocks this thread for `ns` nanoseconds or more (the guest is synchronous: nothing else runs meanwhile). */
const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepUntil(deadline: bigint): void {
  for (let left = deadline - process.hrtime.bigint(); left > 0n; left = deadline - process.hrtime.bigint()) {
    Atomics.wait(sleeper, 0, 0, Number(left) / 1e6);
  }
}

interface Subscription {
  offset: number;
  userdata: bigint;
  type: number;
  /** Clock: the deadline on the monotonic clock, or an error for the event. */
  deadline?: bigint;
  error?: number;
  fd?: number;
}

interface Ready {
  sub: Subscription;
  error: number;
  nbytes?: bigint;
}

/**
 * The corrected functions, to spread over node:wasi's own. `memory` gives the guest's memory (set once the instance
 * exists; the functions are only called after that).
 */
export function conformingP1(p1: P1Functions, memory: () => WebAssembly.Memory | undefined): P1Functions {
  const mem = (): WebAssembly.Memory => memory()!;
  const view = (): DataView => new DataView(mem().buffer);

  /** Runs `fn` with `size` bytes of guest memory at `at` as scratch for a host call, then puts the bytes back. */
  function withScratch<T>(at: number, size: number, fn: (ptr: number) => T): T | undefined {
    const bytes = new Uint8Array(mem().buffer);
    if (at + size > bytes.length) return undefined;
    const saved = bytes.slice(at, at + size);
    try {
      return fn(at);
    } finally {
      new Uint8Array(mem().buffer).set(saved, at);
    }
  }

  /** The file type of `fd` (undefined: not an open fd). */
  function fileType(fd: number, scratch: number): number | undefined {
    return withScratch(scratch, 24, (ptr) => (p1.fd_fdstat_get!(fd, ptr) === ERRNO_SUCCESS ? view().getUint8(ptr) : undefined));
  }

  /** Bytes left to read in a regular file (its size less the position), as wasmtime reports for fd_read. */
  function bytesLeft(fd: number, scratch: number): bigint {
    const left = withScratch(scratch, 64, (ptr) => {
      if (p1.fd_filestat_get!(fd, ptr) !== ERRNO_SUCCESS) return 0n;
      const size = view().getBigUint64(ptr + 32, true);
      if (p1.fd_tell!(fd, ptr) !== ERRNO_SUCCESS) return 0n;
      const position = view().getBigUint64(ptr, true);
      return size > position ? size - position : 0n;
    });
    return left ?? 0n;
  }

  function writeEvents(out: number, ready: Ready[], nevents: number): number {
    const v = view();
    ready.forEach(({ sub, error, nbytes }, i) => {
      const at = out + i * EVENT_SIZE;
      for (let b = 0; b < EVENT_SIZE; b += 8) v.setBigUint64(at + b, 0n, true);
      v.setBigUint64(at, sub.userdata, true);
      v.setUint16(at + 8, error, true);
      v.setUint8(at + 10, sub.type);
      if (nbytes !== undefined) v.setBigUint64(at + 16, nbytes, true);
    });
    v.setUint32(nevents, ready.length, true);
    return ERRNO_SUCCESS;
  }

  function pollOneoff(inPtr: number, out: number, nsubscriptions: number, nevents: number): number {
    const original = (): number => p1.poll_oneoff!(inPtr, out, nsubscriptions, nevents);
    const size = mem().buffer.byteLength;
    if (
      nsubscriptions === 0 ||
      inPtr + nsubscriptions * SUBSCRIPTION_SIZE > size ||
      out + nsubscriptions * EVENT_SIZE > size ||
      nevents + 4 > size
    ) {
      return original();
    }
    const now = process.hrtime.bigint();
    const subs: Subscription[] = [];
    for (let i = 0; i < nsubscriptions; i++) {
      const offset = inPtr + i * SUBSCRIPTION_SIZE;
      const v = view();
      const sub: Subscription = { offset, userdata: v.getBigUint64(offset, true), type: v.getUint8(offset + 8) };
      if (sub.type === EVENTTYPE_CLOCK) {
        const id = v.getUint32(offset + 16, true);
        const timeout = v.getBigUint64(offset + 24, true);
        const absolute = (v.getUint16(offset + 40, true) & SUBSCRIPTION_CLOCK_ABSTIME) !== 0;
        const clock = clockNow(id);
        if (clock === undefined) sub.error = ERRNO_INVAL;
        else {
          const wait = absolute ? timeout - clock : timeout;
          sub.deadline = now + (wait > 0n ? wait : 0n);
        }
      } else if (sub.type === EVENTTYPE_FD_READ || sub.type === EVENTTYPE_FD_WRITE) {
        sub.fd = v.getUint32(offset + 16, true);
      } else {
        return original(); // an unknown event type: node:wasi answers `inval`
      }
      subs.push(sub);
    }
    // Ready at once: regular files, folders and block devices (always ready), fds that are not open (an event with
    // `badf`, as node:wasi gives), clocks of no known id (`inval`) and deadlines already past.
    const ready: Ready[] = [];
    const pending: Subscription[] = [];
    for (const sub of subs) {
      if (sub.fd !== undefined) {
        const type = fileType(sub.fd, out);
        if (type === undefined) ready.push({ sub, error: ERRNO_BADF });
        else if (type === FILETYPE_REGULAR_FILE || type === FILETYPE_DIRECTORY || type === FILETYPE_BLOCK_DEVICE) {
          const nbytes = sub.type === EVENTTYPE_FD_READ && type === FILETYPE_REGULAR_FILE ? bytesLeft(sub.fd, out) : 0n;
          ready.push({ sub, error: ERRNO_SUCCESS, nbytes });
        } else pending.push(sub);
      } else if (sub.error !== undefined) ready.push({ sub, error: sub.error });
      else if (sub.deadline! <= now) ready.push({ sub, error: ERRNO_SUCCESS });
    }
    const clocks = subs.filter((s) => s.deadline !== undefined);
    const earliest = clocks.reduce<bigint | undefined>((min, s) => (min === undefined || s.deadline! < min ? s.deadline : min), undefined);
    if (pending.length > 0) {
      // Streams (pipes, terminals, sockets, other devices): node:wasi polls them, without waiting when something is
      // ready already, else until the earliest deadline.
      const wait = ready.length > 0 ? 0n : earliest === undefined ? undefined : earliest > now ? earliest - now : 0n;
      const polled = pollStreams(pending, wait);
      if (typeof polled === 'number') return polled;
      ready.push(...polled);
    }
    if (ready.length === 0 && earliest !== undefined) {
      // Wait for the earliest deadline here, to the nanosecond, and report every clock that is due.
      sleepUntil(earliest);
      const after = process.hrtime.bigint();
      ready.push(...clocks.filter((s) => s.deadline! <= after).map((sub) => ({ sub, error: ERRNO_SUCCESS })));
    }
    return writeEvents(
      out,
      ready.sort((a, b) => a.sub.offset - b.sub.offset),
      nevents,
    );
  }

  /**
   * Polls stream subscriptions through node:wasi, with one relative clock of `wait` ns (rounded up to its unit, whole
   * milliseconds) when given: a copy of the subscriptions in scratch memory, each tagged with its index. A device
   * epoll refuses (node:wasi fails the call with `perm`: /dev/null) is, like a file, always ready.
   */
  function pollStreams(pending: Subscription[], wait: bigint | undefined): Ready[] | number {
    const count = pending.length + (wait === undefined ? 0 : 1);
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
      if (wait !== undefined) {
        const at = subsPtr + pending.length * SUBSCRIPTION_SIZE;
        bytes.fill(0, at, at + SUBSCRIPTION_SIZE);
        v.setBigUint64(at, BigInt(pending.length), true);
        v.setUint32(at + 16, 1, true); // monotonic
        v.setBigUint64(at + 24, ((wait + 999_999n) / 1_000_000n) * 1_000_000n, true);
      }
      const errno = p1.poll_oneoff!(subsPtr, outPtr, count, neventsPtr);
      if (errno === ERRNO_PERM) return pending.map((sub): Ready => ({ sub, error: ERRNO_SUCCESS, nbytes: 0n }));
      if (errno !== ERRNO_SUCCESS) return errno;
      const got: Ready[] = [];
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

  /** `.` and `..` first (both with the folder's inode, as wasmtime gives), then node:wasi's entries: cookies + 2. */
  function fdReaddir(fd: number, buf: number, bufLen: number, cookie: bigint, bufused: number): number {
    if (cookie >= 2n) {
      const errno = p1.fd_readdir!(fd, buf, bufLen, cookie - 2n, bufused);
      if (errno === ERRNO_SUCCESS) shiftCookies(fd, buf, view().getUint32(bufused, true));
      return errno;
    }
    const dots = ['.', '..'].slice(Number(cookie));
    const inode = withScratch(buf, 64, (ptr) =>
      p1.fd_filestat_get!(fd, ptr) === ERRNO_SUCCESS && view().getUint8(ptr + 16) === FILETYPE_DIRECTORY
        ? view().getBigUint64(ptr + 8, true)
        : undefined,
    );
    // Not a folder (node:wasi answers notdir/badf), or no room for the scratch: node:wasi's answer as it is.
    if (inode === undefined) return p1.fd_readdir!(fd, buf, bufLen, cookie, bufused);
    const head = new Uint8Array(dots.reduce((n, name) => n + 24 + name.length, 0));
    const hv = new DataView(head.buffer);
    let at = 0;
    for (const name of dots) {
      hv.setBigUint64(at, name === '.' ? 1n : 2n, true);
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
    const errno = p1.fd_readdir!(fd, buf + head.length, bufLen - head.length, 0n, bufused);
    if (errno !== ERRNO_SUCCESS) return errno;
    const used = view().getUint32(bufused, true);
    shiftCookies(fd, buf + head.length, used);
    new Uint8Array(mem().buffer).set(head, buf);
    view().setUint32(bufused, used + head.length, true);
    return ERRNO_SUCCESS;
  }

  /**
   * node:wasi's entries in `buf` (`used` bytes) get cookies 2 higher (`.` and `..` take 1 and 2) and their inode
   * (node:wasi leaves `d_ino` 0), looked up with path_filestat_get in scratch space at the end of memory.
   */
  function shiftCookies(fd: number, buf: number, used: number): void {
    for (let at = 0; at + 24 <= used; at += 24 + view().getUint32(buf + at + 16, true)) {
      const v = view();
      v.setBigUint64(buf + at, v.getBigUint64(buf + at, true) + 2n, true);
      const length = v.getUint32(buf + at + 16, true);
      if (v.getBigUint64(buf + at + 8, true) !== 0n || at + 24 + length > used) continue;
      const name = new Uint8Array(mem().buffer).slice(buf + at + 24, buf + at + 24 + length);
      // Not the very last bytes: node:wasi reads past a path that ends at the end of memory (a host crash).
      const scratch = mem().buffer.byteLength - 128 - length;
      const ino = withScratch(scratch, 128 + length, (ptr) => {
        new Uint8Array(mem().buffer).set(name, ptr + 64);
        return p1.path_filestat_get!(fd, 0, ptr + 64, length, ptr) === ERRNO_SUCCESS ? view().getBigUint64(ptr + 8, true) : 0n;
      });
      view().setBigUint64(buf + at + 8, ino ?? 0n, true);
    }
  }

  /** Linux fcntl bits (what node:wasi writes) → witx fdflags. */
  function fdstatGet(fd: number, stat: number): number {
    const errno = p1.fd_fdstat_get!(fd, stat);
    if (errno !== ERRNO_SUCCESS) return errno;
    const v = view();
    const host = v.getUint16(stat + 2, true);
    const flags = (host & 0x400 ? 1 : 0) | (host & 0x1000 ? 2 : 0) | (host & 0x800 ? 4 : 0);
    v.setUint16(stat + 2, flags, true);
    return ERRNO_SUCCESS;
  }

  // Before the instance exists (a wasm start function calling WASI) there is no memory to read: node:wasi's own.
  const corrected = { poll_oneoff: pollOneoff, fd_readdir: fdReaddir, fd_fdstat_get: fdstatGet } as Record<string, WasiFunction>;
  return Object.fromEntries(
    Object.entries(corrected).map(([name, fn]) => [name, (...args: (number | bigint)[]) => (memory() ? fn(...args) : p1[name]!(...args))]),
  );
}
