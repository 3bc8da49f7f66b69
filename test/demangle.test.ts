import { describe, expect, it } from 'vitest';
import { demangle } from '../src/diagnose/demangle.js';

/*
 * Test vectors copied from rustc-demangle's own test modules
 * (https://github.com/rust-lang/rustc-demangle, commit ca5202ef83ebe8cac06fc9048adbe939c7364ae6,
 * src/legacy.rs and src/v0.rs `mod tests`). `full` = rustc-demangle's `{}` output
 * (our `{ verbose: true }`), `short` = its `{:#}` output (our default).
 */
const full = (s: string): string => demangle(s, { verbose: true });
const short = (s: string): string => demangle(s);

describe('legacy mangling (rustc-demangle src/legacy.rs vectors)', () => {
  it.each([
    ['_ZN4testE', 'test'],
    ['_ZN4test1a2bcE', 'test::a::bc'],
    ['_ZN4$RP$E', ')'],
    ['_ZN8$RF$testE', '&test'],
    ['_ZN8$BP$test4foobE', '*test::foob'],
    ['_ZN9$u20$test4foobE', ' test::foob'],
    ['_ZN35Bar$LT$$u5b$u32$u3b$$u20$4$u5d$$GT$E', 'Bar<[u32; 4]>'],
    ['_ZN13test$u20$test4foobE', 'test test::foob'],
    ['_ZN12test$BP$test4foobE', 'test*test::foob'],
    ['__ZN5alloc9allocator6Layout9for_value17h02a996811f781011E', 'alloc::allocator::Layout::for_value::h02a996811f781011'],
    [
      '__ZN38_$LT$core..option..Option$LT$T$GT$$GT$6unwrap18_MSG_FILE_LINE_COL17haf7cb8d5824ee659E',
      '<core::option::Option<T>>::unwrap::_MSG_FILE_LINE_COL::haf7cb8d5824ee659',
    ],
    [
      '__ZN4core5slice89_$LT$impl$u20$core..iter..traits..IntoIterator$u20$for$u20$$RF$$u27$a$u20$$u5b$T$u5d$$GT$9into_iter17h450e234d27262170E',
      "core::slice::<impl core::iter::traits::IntoIterator for &'a [T]>::into_iter::h450e234d27262170",
    ],
    ['ZN4testE', 'test'],
    ['ZN13test$u20$test4foobE', 'test test::foob'],
    ['ZN12test$RF$test4foobE', 'test&test::foob'],
    ['_ZN13_$LT$test$GT$E', '<test>'],
    ['_ZN28_$u7b$$u7b$closure$u7d$$u7d$E', '{{closure}}'],
    ['_ZN15__STATIC_FMTSTRE', '__STATIC_FMTSTR'],
    ['_ZN71_$LT$Test$u20$$u2b$$u20$$u27$static$u20$as$u20$foo..Bar$LT$Test$GT$$GT$3barE', "<Test + 'static as foo::Bar<Test>>::bar"],
    ['_ZN3foo17h05af221e174051e9E', 'foo::h05af221e174051e9'],
    ['_ZN3fooE.llvm.9D1C9369', 'foo'],
    ['_ZN3fooE.llvm.9D1C9369@@16', 'foo'],
    [
      '_ZN4core5slice77_$LT$impl$u20$core..ops..index..IndexMut$LT$I$GT$$u20$for$u20$$u5b$T$u5d$$GT$9index_mut17haf9727c2edfbc47bE.exit.i.i',
      'core::slice::<impl core::ops::index::IndexMut<I> for [T]>::index_mut::haf9727c2edfbc47b.exit.i.i',
    ],
    [
      '_ZN151_$LT$alloc..boxed..Box$LT$alloc..boxed..FnBox$LT$A$C$$u20$Output$u3d$R$GT$$u20$$u2b$$u20$$u27$a$GT$$u20$as$u20$core..ops..function..FnOnce$LT$A$GT$$GT$9call_once17h69e8f44b3723e1caE',
      "<alloc::boxed::Box<alloc::boxed::FnBox<A, Output=R> + 'a> as core::ops::function::FnOnce<A>>::call_once::h69e8f44b3723e1ca",
    ],
    [
      '_ZN88_$LT$core..result..Result$LT$$u21$$C$$u20$E$GT$$u20$as$u20$std..process..Termination$GT$6report17hfc41d0da4a40b3e8E',
      '<core::result::Result<!, E> as std::process::Termination>::report::hfc41d0da4a40b3e8',
    ],
  ])('%s (with hash)', (sym, expected) => {
    expect(full(sym)).toBe(expected);
  });

  it.each([
    ['_ZN3foo17h05af221e174051e9E', 'foo'],
    ['_ZN3fooE', 'foo'],
    ['_ZN3foo3barE', 'foo::bar'],
    ['_ZN3foo20h05af221e174051e9abcE', 'foo'],
    ['_ZN3foo5h05afE', 'foo'],
    ['_ZN17h05af221e174051e93fooE', 'h05af221e174051e9::foo'],
    ['_ZN3foo16ffaf221e174051e9E', 'foo::ffaf221e174051e9'],
    ['_ZN3foo17hg5af221e174051e9E', 'foo::hg5af221e174051e9'],
    ['_ZN9backtrace3foo17hbb467fcdaea5d79bE.llvm.A5310EB9', 'backtrace::foo'],
    [
      '_ZN4core5slice77_$LT$impl$u20$core..ops..index..IndexMut$LT$I$GT$$u20$for$u20$$u5b$T$u5d$$GT$9index_mut17haf9727c2edfbc47bE.exit.i.i',
      'core::slice::<impl core::ops::index::IndexMut<I> for [T]>::index_mut.exit.i.i',
    ],
    [
      '_ZN11utf8_idents157_$u10e1$$u10d0$$u10ed$$u10db$$u10d4$$u10da$$u10d0$$u10d3$_$u10d2$$u10d4$$u10db$$u10e0$$u10d8$$u10d4$$u10da$$u10d8$_$u10e1$$u10d0$$u10d3$$u10d8$$u10da$$u10d8$17h21634fd5714000aaE',
      'utf8_idents::საჭმელად_გემრიელი_სადილი',
    ],
    [
      '_ZN11issue_609253foo37Foo$LT$issue_60925..llv$u6d$..Foo$GT$3foo17h059a991a004536adE',
      'issue_60925::foo::Foo<issue_60925::llvm::Foo>::foo',
    ],
  ])('%s (without hash)', (sym, expected) => {
    expect(short(sym)).toBe(expected);
  });

  it.each(['test', '_ZN4test', '_ZN3fooE.llvm moocow', '_ZNfooE'])('%s is not a symbol: returned as is', (sym) => {
    expect(full(sym)).toBe(sym);
    expect(short(sym)).toBe(sym);
  });

  it('does not throw on garbage', () => {
    for (const s of [
      '_ZN2222222222222222222222EE',
      '_ZN5*70527e27.ll34csaғE',
      '_ZN5*70527a54.ll34_$b.1E',
      '_ZN5~saäb4e\n2734cOsbE\n5usage20h)3\0\0\0\0\0\0\x007e2734cOsbE',
    ]) {
      expect(() => short(s)).not.toThrow();
    }
  });
});

describe('v0 mangling (rustc-demangle src/v0.rs vectors)', () => {
  const type = (mangled: string): string => short(`_RMC0${mangled}`).replace(/^<(.*)>$/s, '$1');
  const konst = (mangled: string): string => short(`_RIC0K${mangled}E`).replace(/^::<(.*)>$/s, '$1');
  const konstFull = (mangled: string): string => full(`_RIC0K${mangled}E`).replace(/^::<(.*)>$/s, '$1');

  it('paths, closures, dyn, crate names', () => {
    expect(short('_RNvC6_123foo3bar')).toBe('123foo::bar');
    expect(full('_RC4f128')).toBe('f128');
    expect(short('_RC4f128')).toBe('f128');
    expect(short('_RNqCs4fqI2P2rA04_11utf8_identsu30____7hkackfecea1cbdathfdh9hlq6y')).toBe('utf8_idents::საჭმელად_გემრიელი_სადილი');
    expect(short('_RNCNCNgCs6DXkGYLi8lr_2cc5spawn00B5_')).toBe('cc::spawn::{closure#0}::{closure#0}');
    expect(
      short(
        '_RNCINkXs25_NgCsbmNqQUJIY6D_4core5sliceINyB9_4IterhENuNgNoBb_4iter8iterator8Iterator9rpositionNCNgNpB9_6memchr7memrchrs_0E0Bb_',
      ),
    ).toBe(
      '<core::slice::Iter<u8> as core::iter::iterator::Iterator>::rposition::<core::slice::memchr::memrchr::{closure#1}>::{closure#0}',
    );
    expect(short('_RINbNbCskIICzLVDPPb_5alloc5alloc8box_freeDINbNiB4_5boxed5FnBoxuEp6OutputuEL_ECs1iopQbuBiw2_3std')).toBe(
      'alloc::alloc::box_free::<dyn alloc::boxed::FnBox<(), Output = ()>>',
    );
    expect(type('DNtC5krate5Traitp1NKj0_EL_')).toBe('dyn krate::Trait<N = 0>');
  });

  it('pattern types', () => {
    expect(type('WmRm1_m9_')).toBe('u32 is 1..=9');
    expect(type('WmORm1_m2_Rm5_m6_E')).toBe('u32 is 1..=2 | 5..=6');
    expect(short('_RMC0WmORm1_m2_Rm5_m6_')).toBe('_RMC0WmORm1_m2_Rm5_m6_');
  });

  it('const generics', () => {
    expect(type('INtC8arrayvec8ArrayVechKj7b_E')).toBe('arrayvec::ArrayVec<u8, 123>');
    const suffixed: Array<[string, string, string]> = [
      ['j7b_', '123', 'usize'],
      ['hb_', '11', 'u8'],
      ['off00ff00ff00ff00ff_', '0xff00ff00ff00ff00ff', 'u128'],
      ['s98_', '152', 'i16'],
      ['anb_', '-11', 'i8'],
    ];
    for (const [m, v, ty] of suffixed) {
      expect(konst(m)).toBe(v);
      expect(konstFull(m)).toBe(v + ty);
    }
    const plain: Array<[string, string]> = [
      ['p', '_'],
      ['b0_', 'false'],
      ['b1_', 'true'],
      ['c76_', "'v'"],
      ['c22_', `'"'`],
      ['ca_', "'\\n'"],
      ['c2202_', "'∂'"],
      ['e616263_', '{*"abc"}'],
      ['e27_', `{*"'"}`],
      ['e090a_', '{*"\\t\\n"}'],
      ['ee28882c3bc_', '{*"∂ü"}'],
      [
        'ee183a1e18390e183ade1839be18394e1839ae18390e183935fe18392e18394e1839be183a0e18398e18394e1839ae183985fe183a1e18390e18393e18398e1839ae18398_',
        '{*"საჭმელად_გემრიელი_სადილი"}',
      ],
      [
        'ef09f908af09fa688f09fa686f09f90ae20c2a720f09f90b6f09f9192e29895f09f94a520c2a720f09fa7a1f09f929bf09f929af09f9299f09f929c_',
        '{*"🐊🦈🦆🐮 § 🐶👒☕🔥 § 🧡💛💚💙💜"}',
      ],
      ['Re616263_', '"abc"'],
      ['Re27_', `"'"`],
      ['Re090a_', '"\\t\\n"'],
      ['Ree28882c3bc_', '"∂ü"'],
      ['Rp', '{&_}'],
      ['Rh7b_', '{&123}'],
      ['Rb0_', '{&false}'],
      ['Rc58_', "{&'X'}"],
      ['RRRh0_', '{&&&0}'],
      ['RRRe_', '{&&""}'],
      ['QAE', '{&mut []}'],
      ['AE', '{[]}'],
      ['Aj0_E', '{[0]}'],
      ['Ah1_h2_h3_E', '{[1, 2, 3]}'],
      ['ARe61_Re62_Re63_E', '{["a", "b", "c"]}'],
      ['AAh1_h2_EAh3_h4_EE', '{[[1, 2], [3, 4]]}'],
      ['TE', '{()}'],
      ['Tj0_E', '{(0,)}'],
      ['Th1_b0_E', '{(1, false)}'],
      ['TRe616263_c78_RAh1_h2_h3_EE', `{("abc", 'x', &[1, 2, 3])}`],
      ['VNvINtNtC4core6option6OptionjE4NoneU', '{core::option::Option::<usize>::None}'],
      ['VNvINtNtC4core6option6OptionjE4SomeTj0_E', '{core::option::Option::<usize>::Some(0)}'],
      ['VNtC3foo3BarS1sRe616263_2chc78_5sliceRAh1_h2_h3_EE', `{foo::Bar { s: "abc", ch: 'x', slice: &[1, 2, 3] }}`],
    ];
    for (const [m, v] of plain) expect(konst(m), m).toBe(v);
  });

  it('back-references expand (exponential explosion vector)', () => {
    expect(type('TTTTTTpB8_EB7_EB6_EB5_EB4_EB3_E')).toBe(
      '((((((_, _), (_, _)), ((_, _), (_, _))), (((_, _), (_, _)), ((_, _), (_, _)))), ' +
        '((((_, _), (_, _)), ((_, _), (_, _))), (((_, _), (_, _)), ((_, _), (_, _))))), ' +
        '(((((_, _), (_, _)), ((_, _), (_, _))), (((_, _), (_, _)), ((_, _), (_, _)))), ' +
        '((((_, _), (_, _)), ((_, _), (_, _))), (((_, _), (_, _)), ((_, _), (_, _))))))',
    );
  });

  it('suffixes', () => {
    expect(short('_RC3foo.llvm.9D1C9369')).toBe('foo');
    expect(short('_RC3foo.llvm.9D1C9369@@16')).toBe('foo');
    expect(short('_RNvC9backtrace3foo.llvm.A5310EB9')).toBe('backtrace::foo');
    expect(short('_RNvNtNtNtNtCs92dm3009vxr_4rand4rngs7adapter9reseeding4fork23FORK_HANDLER_REGISTERED.0.0')).toBe(
      'rand::rngs::adapter::reseeding::fork::FORK_HANDLER_REGISTERED.0.0',
    );
  });

  it('recursion limit', () => {
    expect(
      short(
        'RIC20tRYIMYNRYFG05_EB5_B_B6_RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRB_E',
      ),
    ).toContain('{recursion limit reached}');
    for (const [leaf, shown] of [
      ['p', '_'],
      ['Rp', '&_'],
      ['C1x', 'x'],
    ] as const) {
      const n = 1000;
      expect(short(`_RIC0p${leaf.repeat(n)}E`)).toBe(`::<_${`, ${shown}`.repeat(n)}>`);
    }
    const depth = 100_000;
    let sym = `_RIC${depth}`;
    const backrefStart = sym.length - 2;
    sym += `${'R'.repeat(depth)}B${(backrefStart - 1).toString(36)}_E`;
    expect(short(sym)).toContain('{recursion limit reached}');
  });
});

describe('names seen in WASI adapter backtraces', () => {
  // Function names from the name section of the adapter bundled in @bytecodealliance/jco@1.35.0
  // (lib/wasi_snapshot_preview1.command.wasm); V8 prints these in stack traces.
  it.each([
    ['_RNvNtCs1wwIxjb0Jwr_22wasi_snapshot_preview16macros11assert_fail', 'wasi_snapshot_preview1::macros::assert_fail'],
    ['_RNvNtCs1wwIxjb0Jwr_22wasi_snapshot_preview16macros11unreachable', 'wasi_snapshot_preview1::macros::unreachable'],
    ['_RNvNtCs1wwIxjb0Jwr_22wasi_snapshot_preview16macros18eprint_unreachable', 'wasi_snapshot_preview1::macros::eprint_unreachable'],
  ])('v0 adapter name %s', (sym, expected) => {
    expect(short(sym)).toBe(expected);
    expect(full(sym)).toMatch(/^wasi_snapshot_preview1\[[0-9a-f]+\]::macros::/);
  });

  it('already demangled names lose their hash and crate disambiguators', () => {
    expect(short('wasi_snapshot_preview1::macros::assert_fail::hd05a95cf55b1a3a2')).toBe('wasi_snapshot_preview1::macros::assert_fail');
    expect(short('wasi_snapshot_preview1[a2b94cd3e3c1ab03]::macros::assert_fail')).toBe('wasi_snapshot_preview1::macros::assert_fail');
  });

  it.each([
    'runtime.args_sizes_get',
    'args_sizes_get',
    '_start',
    '__main_void',
    '<wasm function 12>',
    'wasi:cli/run@0.2.3#run',
    'adapt-wasi_snapshot_preview1-args_sizes_get',
    'Rust',
  ])('%s is returned as is', (s) => {
    expect(short(s)).toBe(s);
  });
});
