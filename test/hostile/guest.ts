/**
 * Hostile WASI guests, written in WAT and assembled at test time with the npm `wabt` package (no toolchain needed).
 *
 * `attackGuest(ops)` builds a WASI preview1 command that carries out each operation against its first preopen
 * (fd 3) and prints one line per step to stdout, e.g. `symlink mylink -> /etc errno 0`, `read mylink/passwd errno 0:
 * <first bytes>`, `list: a.txt b.txt`. The same module is the P1 guest and, after conversion with the adapter, the P2
 * guest, so one list of attacks runs on every runtime and in both phases.
 */
import wabtInit from 'wabt';

export type AttackOp =
  /** path_open (following links) + fd_read of up to 256 bytes; prints what was read. */
  | { op: 'read'; path: string }
  /** path_open with O_CREAT|O_TRUNC + fd_write of `data`. */
  | { op: 'write'; path: string; data: string }
  /** path_symlink(target, fd 3, path). */
  | { op: 'symlink'; target: string; path: string }
  /** path_link(fd 3, follow, oldPath, fd 3, newPath). */
  | { op: 'link'; oldPath: string; newPath: string }
  /** path_create_directory. */
  | { op: 'mkdir'; path: string }
  /** fd_readdir on the preopen (or a path opened under it, when given). */
  | { op: 'list'; path?: string };

/** A WAT string literal for `text`. */
function watString(bytes: Uint8Array): string {
  return [...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
}

export function attackWat(ops: AttackOp[]): string {
  const enc = new TextEncoder();
  const data: string[] = [];
  let next = 8192;
  const str = (text: string): { ptr: number; len: number } => {
    const bytes = enc.encode(text);
    const at = { ptr: next, len: bytes.length };
    data.push(`(data (i32.const ${next}) "${watString(bytes)}")`);
    next += bytes.length + 1;
    return at;
  };
  const print = (text: string): string => {
    const s = str(text);
    return `(call $print (i32.const ${s.ptr}) (i32.const ${s.len}))`;
  };
  const body: string[] = [];
  for (const op of ops) {
    switch (op.op) {
      case 'read': {
        const p = str(op.path);
        body.push(
          print(`read ${op.path} errno `),
          `(local.set $e (call $path_open (i32.const 3) (i32.const 1) (i32.const ${p.ptr}) (i32.const ${p.len}) (i32.const 0) (i64.load (i32.const 528)) (i64.load (i32.const 528)) (i32.const 0) (i32.const 20)))`,
          `(if (i32.eqz (local.get $e)) (then
             (local.set $e (call $read_fd (i32.load (i32.const 20))))
             (call $print_num (local.get $e))
             ${print(': ')}
             (call $print (i32.const 1024) (i32.load (i32.const 24)))
             (drop (call $fd_close (i32.load (i32.const 20)))))
           (else (call $print_num (local.get $e))))`,
          print('\n'),
        );
        break;
      }
      case 'write': {
        const p = str(op.path);
        const d = str(op.data);
        body.push(
          print(`write ${op.path} errno `),
          // oflags: CREAT (1) | TRUNC (8)
          `(local.set $e (call $path_open (i32.const 3) (i32.const 1) (i32.const ${p.ptr}) (i32.const ${p.len}) (i32.const 9) (i64.load (i32.const 528)) (i64.load (i32.const 528)) (i32.const 0) (i32.const 20)))`,
          `(if (i32.eqz (local.get $e)) (then
             (i32.store (i32.const 0) (i32.const ${d.ptr}))
             (i32.store (i32.const 4) (i32.const ${d.len}))
             (local.set $e (call $fd_write (i32.load (i32.const 20)) (i32.const 0) (i32.const 1) (i32.const 16)))
             (drop (call $fd_close (i32.load (i32.const 20))))))`,
          `(call $print_num (local.get $e))`,
          print('\n'),
        );
        break;
      }
      case 'symlink': {
        const t = str(op.target);
        const p = str(op.path);
        body.push(
          print(`symlink ${op.path} -> ${op.target} errno `),
          `(call $print_num (call $path_symlink (i32.const ${t.ptr}) (i32.const ${t.len}) (i32.const 3) (i32.const ${p.ptr}) (i32.const ${p.len})))`,
          print('\n'),
        );
        break;
      }
      case 'link': {
        const o = str(op.oldPath);
        const n = str(op.newPath);
        body.push(
          print(`link ${op.newPath} -> ${op.oldPath} errno `),
          `(call $print_num (call $path_link (i32.const 3) (i32.const 1) (i32.const ${o.ptr}) (i32.const ${o.len}) (i32.const 3) (i32.const ${n.ptr}) (i32.const ${n.len})))`,
          print('\n'),
        );
        break;
      }
      case 'mkdir': {
        const p = str(op.path);
        body.push(
          print(`mkdir ${op.path} errno `),
          `(call $print_num (call $path_create_directory (i32.const 3) (i32.const ${p.ptr}) (i32.const ${p.len})))`,
          print('\n'),
        );
        break;
      }
      case 'list': {
        body.push(print(`list ${op.path ?? '.'} errno `));
        if (op.path === undefined) {
          body.push(`(i32.store (i32.const 20) (i32.const 3)) (local.set $e (i32.const 0))`);
        } else {
          const p = str(op.path);
          // oflags DIRECTORY (2)
          body.push(
            `(local.set $e (call $path_open (i32.const 3) (i32.const 1) (i32.const ${p.ptr}) (i32.const ${p.len}) (i32.const 2) (i64.load (i32.const 528)) (i64.load (i32.const 528)) (i32.const 0) (i32.const 20)))`,
          );
        }
        body.push(
          `(if (i32.eqz (local.get $e)) (then (local.set $e (call $list_fd (i32.load (i32.const 20))))))`,
          `(call $print_num (local.get $e))`,
          print('\n'),
        );
        break;
      }
    }
  }
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink" (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory" (func $path_create_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_link" (func $path_link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  ${data.join('\n  ')}
  ;; 0: iovec, 16: nwritten, 20: opened fd, 24: bytes read, 32..63: number text, 1024: read buffer, 2048: dirents
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 8) (local.get $ptr))
    (i32.store (i32.const 12) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16))))
  (func $print_num (param $n i32) (local $p i32)
    (local.set $p (i32.const 63))
    (loop $digits
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (br_if $digits (i32.ne (local.get $n) (i32.const 0))))
    (call $print (i32.add (local.get $p) (i32.const 1)) (i32.sub (i32.const 63) (local.get $p))))
  ;; reads up to 256 bytes of fd into 1024; the count at 24; returns errno
  (func $read_fd (param $fd i32) (result i32)
    (i32.store (i32.const 24) (i32.const 0))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 256))
    (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 24)))
  ;; prints the names of one fd_readdir buffer; returns errno
  (func $list_fd (param $fd i32) (result i32) (local $e i32) (local $used i32) (local $pos i32) (local $len i32)
    (local.set $e (call $fd_readdir (local.get $fd) (i32.const 2048) (i32.const 4096) (i64.const 0) (i32.const 28)))
    (if (i32.ne (local.get $e) (i32.const 0)) (then (return (local.get $e))))
    (local.set $used (i32.load (i32.const 28)))
    (call $print (i32.const 64) (i32.const 1))
    (block $done (loop $each
      (br_if $done (i32.gt_u (i32.add (local.get $pos) (i32.const 24)) (local.get $used)))
      (local.set $len (i32.load (i32.add (i32.const 2064) (local.get $pos))))
      (if (i32.gt_u (i32.add (i32.add (local.get $pos) (i32.const 24)) (local.get $len)) (local.get $used))
        (then (local.set $len (i32.sub (local.get $used) (i32.add (local.get $pos) (i32.const 24))))))
      (call $print (i32.add (i32.const 2072) (local.get $pos)) (local.get $len))
      (call $print (i32.const 64) (i32.const 1))
      (local.set $pos (i32.add (local.get $pos) (i32.add (i32.const 24) (local.get $len))))
      (br $each)))
    (i32.const 0))
  (data (i32.const 64) "|")
  (func (export "_start") (local $e i32)
    ;; the preopen's inheritable rights (fdstat at 512; fs_rights_inheriting at 528) are what its files may get
    (drop (call $fd_fdstat_get (i32.const 3) (i32.const 512)))
    ${body.join('\n    ')}))
`;
}

let wabt: Awaited<ReturnType<typeof wabtInit>> | undefined;

/** Assembles WAT text to a binary module; `names`: with a name section holding the `$…` names (what a trap's stack shows). */
export async function assemble(wat: string, name = 'guest.wat', names = false): Promise<Uint8Array> {
  wabt ??= await wabtInit();
  const parsed = wabt.parseWat(name, wat);
  try {
    parsed.resolveNames();
    parsed.validate();
    return new Uint8Array(parsed.toBinary({ write_debug_names: names }).buffer);
  } finally {
    parsed.destroy();
  }
}

export async function attackGuest(ops: AttackOp[]): Promise<Uint8Array> {
  return assemble(attackWat(ops));
}

/**
 * Resource bombs. `output`: writes `bytes` to stdout in 64 KiB writes, then exits 0. `disk`: writes `bytes` into
 * `bomb.bin` in its first preopen, then exits 0. `memory`: grows its memory by `step` pages until memory.grow fails,
 * prints the page count it reached, then traps (`unreachable`), as an allocator's abort would.
 */
export function bombWat(
  kind: 'output' | 'disk' | 'memory',
  amount: number,
  step = 16,
  fileName: Uint8Array = new TextEncoder().encode('bomb.bin'),
): string {
  const imports = `
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 100) "${watString(fileName)}")`;
  // 64 KiB of 'x' at 65536 (the second page), the iovec at 0.
  const writeLoop = (fd: string) => `
    (memory.fill (i32.const 65536) (i32.const 120) (i32.const 65536))
    (i32.store (i32.const 0) (i32.const 65536))
    (i32.store (i32.const 4) (i32.const 65536))
    (block $done (loop $more
      (br_if $done (i32.ge_u (local.get $written) (i32.const ${amount})))
      (drop (call $fd_write ${fd} (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $written (i32.add (local.get $written) (i32.const 65536)))
      (br $more)))`;
  let body: string;
  if (kind === 'output') {
    body = writeLoop('(i32.const 1)');
  } else if (kind === 'disk') {
    body = `
    (drop (call $fd_fdstat_get (i32.const 3) (i32.const 512)))
    (if (call $path_open (i32.const 3) (i32.const 1) (i32.const 100) (i32.const ${fileName.length}) (i32.const 9)
        (i64.load (i32.const 528)) (i64.load (i32.const 528)) (i32.const 0) (i32.const 20))
      (then unreachable))
    ${writeLoop('(i32.load (i32.const 20))')}`;
  } else {
    body = `
    (block $full (loop $grow
      (br_if $full (i32.eq (memory.grow (i32.const ${step})) (i32.const -1)))
      (br $grow)))
    ;; print "pages N\\n"
    (local.set $written (memory.size))
    (i32.store (i32.const 0) (i32.const 200))
    (i32.store (i32.const 4) (call $digits (local.get $written)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    unreachable`;
  }
  return `(module ${imports}
  ${DIGITS}
  (func (export "_start") (local $written i32)
    ${body}))
`;
}

/** WAT: `$digits(n)` writes the decimal digits of n at 200 and returns their count. */
const DIGITS = `
  (func $digits (param $n i32) (result i32) (local $len i32) (local $i i32) (local $t i32)
    (local.set $t (local.get $n))
    (loop $count
      (local.set $len (i32.add (local.get $len) (i32.const 1)))
      (local.set $t (i32.div_u (local.get $t) (i32.const 10)))
      (br_if $count (i32.ne (local.get $t) (i32.const 0))))
    (local.set $i (local.get $len))
    (loop $put
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (i32.store8 (i32.add (i32.const 200) (local.get $i)) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $put (i32.ne (local.get $i) (i32.const 0))))
    (local.get $len))`;

/**
 * Digs down: creates a folder named `nameLength` × 'a' in its first preopen, opens it, and again inside it, `levels`
 * times (each step relative to the folder opened last, so the host path may grow past PATH_MAX); prints
 * `depth N` (how far it got), then writes `bytes` into `bomb.bin` at the bottom, in 64 KiB writes, and exits 0.
 */
export function deepWat(levels: number, nameLength: number, bytes: number): string {
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory" (func $mkdir (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 100) "bomb.bin")
  (data (i32.const 194) "depth ")
  (data (i32.const 1024) "${'a'.repeat(nameLength)}")
  ${DIGITS}
  (func (export "_start") (local $fd i32) (local $depth i32) (local $written i32) (local $len i32)
    (drop (call $fd_fdstat_get (i32.const 3) (i32.const 512)))
    (local.set $fd (i32.const 3))
    (block $stop (loop $down
      (br_if $stop (i32.ge_u (local.get $depth) (i32.const ${levels})))
      (drop (call $mkdir (local.get $fd) (i32.const 1024) (i32.const ${nameLength})))
      ;; a folder is opened with the preopen's own (folder) rights: file rights there would be EISDIR
      (br_if $stop (call $path_open (local.get $fd) (i32.const 0) (i32.const 1024) (i32.const ${nameLength}) (i32.const 2)
        (i64.load (i32.const 520)) (i64.load (i32.const 528)) (i32.const 0) (i32.const 20)))
      (local.set $fd (i32.load (i32.const 20)))
      (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
      (br $down)))
    ;; prints "depth N" and a newline, from 194
    (local.set $len (call $digits (local.get $depth)))
    (i32.store8 (i32.add (i32.const 200) (local.get $len)) (i32.const 10))
    (i32.store (i32.const 0) (i32.const 194))
    (i32.store (i32.const 4) (i32.add (local.get $len) (i32.const 7)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (if (call $path_open (local.get $fd) (i32.const 1) (i32.const 100) (i32.const 8) (i32.const 9)
        (i64.load (i32.const 528)) (i64.load (i32.const 528)) (i32.const 0) (i32.const 20))
      (then unreachable))
    (local.set $fd (i32.load (i32.const 20)))
    (memory.fill (i32.const 65536) (i32.const 120) (i32.const 65536))
    (i32.store (i32.const 0) (i32.const 65536))
    (i32.store (i32.const 4) (i32.const 65536))
    (block $done (loop $more
      (br_if $done (i32.ge_u (local.get $written) (i32.const ${bytes})))
      (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $written (i32.add (local.get $written) (i32.const 65536)))
      (br $more)))))
`;
}

/**
 * A module that takes long to compile and no time to run: `functions` functions of `size` arithmetic steps each,
 * none called; `_start` returns at once.
 */
export function slowToCompileWat(functions: number, size: number): string {
  const fn = (i: number) => {
    const steps = Array.from(
      { length: size },
      (_, k) => `(local.set $a (i32.add (i32.mul (local.get $a) (i32.const ${k + i + 3})) (local.get $b)))`,
    ).join(' ');
    return `(func $f${i} (param $a i32) (param $b i32) (result i32) ${steps} (local.get $a))`;
  };
  return `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  ${Array.from({ length: functions }, (_, i) => fn(i)).join('\n  ')}
  (table ${functions} funcref)
  (elem (i32.const 0) ${Array.from({ length: functions }, (_, i) => `$f${i}`).join(' ')})
  (func (export "_start")))
`;
}
