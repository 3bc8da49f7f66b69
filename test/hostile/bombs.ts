/**
 * Texts crafted to make the checker's own algorithms explode (issue 17 item 1), shared by the regression tests and
 * the fuzzer.
 */

const BASE62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A v0 back-reference target (`B<base-62>_`, the number being the position after `_R`, base-62 minus one). */
function base62(n: number): string {
  if (n === 0) return '_';
  let v = n - 1;
  let s = '';
  do {
    s = BASE62[v % 62]! + s;
    v = Math.floor(v / 62);
  } while (v > 0);
  return `${s}_`;
}

/**
 * A Rust v0 symbol `a::f::<T_n>` where `T_0 = ()` and `T_k = (T_{k-1}, T_{k-1})`, the second element a
 * back-reference to the first: its printed form has 2^levels parts (30 levels: 162 characters, 2^30 parts).
 */
export function v0BombSymbol(levels: number): string {
  const prefix = 'INvC1a1f';
  let s = `${prefix}${'T'.repeat(levels)}u`;
  // The innermost tuple's first element starts right after the last `T`.
  let target = prefix.length + levels;
  for (let k = 0; k < levels; k++) {
    s += `B${base62(target)}E`;
    target--;
  }
  return `_R${s}E`;
}
