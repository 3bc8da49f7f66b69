/**
 * A WASI command whose output varies from run to run, as real programs' does (yosys without -q prints its CPU
 * time): written in WAT, assembled at test time with the npm `wabt` package (test/hostile/guest.ts `assemble`).
 *
 * It prints `start`, then `time: <ns> ns (<ns % 1000> us)` from `clock_time_get` (realtime: different every run),
 * then a last line: `done` — or, with `regress`, `pages: <memory.size>` after its WASI calls, which the adapter's own
 * `memory.grow` for its state changes under P2: a real, deterministic P2 difference beside the nondeterministic line.
 */
export function clockWat(o: { regress: boolean; clockLines?: number }): string {
  const clockLines = o.clockLines ?? 1;
  const last = o.regress
    ? '(call $print (i32.const 300) (i32.const 7)) (call $num (i64.extend_i32_u (memory.size))) (call $nl)'
    : '(call $print (i32.const 320) (i32.const 4)) (call $nl)';
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 200) "start\\n")
  (data (i32.const 220) "time: ")
  (data (i32.const 240) " ns (")
  (data (i32.const 260) " us)")
  (data (i32.const 300) "pages: ")
  (data (i32.const 320) "done")
  (data (i32.const 330) "\\n")
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $nl (call $print (i32.const 330) (i32.const 1)))
  ;; Decimal digits of $v, written backwards from 190.
  (func $num (param $v i64) (local $p i32)
    (local.set $p (i32.const 190))
    (loop $more
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $more (i64.ne (local.get $v) (i64.const 0))))
    (call $print (local.get $p) (i32.sub (i32.const 190) (local.get $p))))
  (func $clock (local $t i64)
    (drop (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 16)))
    (local.set $t (i64.load (i32.const 16)))
    (call $print (i32.const 220) (i32.const 6))
    (call $num (local.get $t))
    (call $print (i32.const 240) (i32.const 5))
    (call $num (i64.rem_u (i64.div_u (local.get $t) (i64.const 1000)) (i64.const 1000)))
    (call $print (i32.const 260) (i32.const 4))
    (call $nl))
  (func (export "_start") (local $i i32)
    (call $print (i32.const 200) (i32.const 6))
    (local.set $i (i32.const ${clockLines}))
    (loop $more
      (call $clock)
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $more (i32.gt_s (local.get $i) (i32.const 0))))
    ${last}))
`;
}
