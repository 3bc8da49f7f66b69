/**
 * The output cap hit in one phase only. Inconclusive (ERROR) in general — except when P1's output was cut and P2
 * ended by itself with a failure before writing what P1 wrote past that point: then P2 stopped where P1 went on, a
 * REGRESSION whatever P1 did after the cap (src/compare/index.ts `p2StoppedFirst`). A real guest on both runtimes:
 * it prints a line (a WASI call: under P2 the adapter has grown memory for its state by then), then looks at
 * `memory.size` and either traps or writes 256 KiB, past the 16 KiB cap.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { CHECK_RUNTIMES, useGuests } from './check-runtimes.js';
import { makeSandbox } from './report-factory.js';

/** `trapIn`: the phase that traps after the first line; the other writes 256 KiB to stdout and exits 0. */
function splitWat(trapIn: 'p1' | 'p2'): string {
  // Under P2 the adapter's memory.grow makes memory.size > 1 after the first WASI call.
  const traps = trapIn === 'p2' ? '(i32.gt_u (memory.size) (i32.const 1))' : '(i32.eq (memory.size) (i32.const 1))';
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 200) "first line\\n")
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start") (local $i i32)
    (call $print (i32.const 200) (i32.const 11))
    (if ${traps} (then unreachable))
    (memory.fill (i32.const 1024) (i32.const 120) (i32.const 32768))
    (local.set $i (i32.const 8))
    (loop $more
      (call $print (i32.const 1024) (i32.const 32768))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $more (i32.gt_s (local.get $i) (i32.const 0))))))
`;
}

const guests = useGuests('p2c-capped-', { 'p2-traps.wasm': splitWat('p2'), 'p1-traps.wasm': splitWat('p1') });

for (const { name, options: runtime, skip } of CHECK_RUNTIMES) {
  describe.skipIf(skip !== undefined)(`${name}: output cut in one phase only`, () => {
    it('P2 traps before the output P1 wrote past the cap: REGRESSION; the mirror case stays ERROR', async () => {
      const report = await check({
        patterns: ['p2-traps.wasm', 'p1-traps.wasm'],
        cwd: guests.dir,
        ...runtime,
        sandbox: makeSandbox({ timeoutMs: 60_000, outputCapBytes: 16 * 1024 }),
        workDir: path.join(guests.dir, `check-${name}`),
      });
      const [p2Traps, p1Traps] = report.results;
      expect(p2Traps!.p1?.stdout).toMatchObject({ truncated: true, bytes: 11 + 8 * 32768 });
      expect(p2Traps!.p2?.trap).toBeDefined();
      expect(p2Traps!.verdict, JSON.stringify(p2Traps!.notes)).toBe('REGRESSION');
      expect(p2Traps!.differences).toEqual([
        { field: 'trap', p1: 'wrote on past that point (stdout cut at 16384 of 262155 bytes)', p2: expect.stringMatching(/^trap: /) },
      ]);
      expect(p2Traps!.notes.find((n) => n.code === 'p2-stopped-first')?.message).toMatch(
        /P2 ended \(trap: .*\) after writing 11 bytes of stdout, exactly as P1 wrote them, while P1 went on writing past that point/,
      );

      expect(p1Traps!.p2?.stdout.truncated).toBe(true);
      expect(p1Traps!.verdict).toBe('ERROR');
      expect(p1Traps!.notes.at(-1)!.message).toMatch(/Only the P2 run's output was cut at the output cap/);
    });
  });
}
