import { describe, expect, it } from 'vitest';
import {
  adapterLineVersions,
  adapterSourceRef,
  formatVersionRange,
  lookupAdapterLine,
  resolveAdapterVersion,
} from '../src/diagnose/adapter-lines/index.js';

describe('adapter line table coverage', () => {
  it('covers v10 (the first wasmtime release to publish the adapter) through v49, every major between', () => {
    const versions = adapterLineVersions();
    for (let major = 10; major <= 49; major++)
      expect(
        versions.some((v) => v.startsWith(`${major}.`)),
        `v${major}`,
      ).toBe(true);
    for (const v of [
      '10.0.0',
      '16.0.0',
      '49.0.0',
      '17.0.0',
      '22.0.1',
      '23.0.0',
      '29.0.0',
      '29.0.1',
      '30.0.0',
      '33.0.0',
      '33.0.1',
      '33.0.2',
      '38.0.4',
      '46.0.0',
      '47.0.4',
      '48.0.0',
    ])
      expect(versions).toContain(v);
    for (let major = 30; major <= 48; major++)
      expect(
        versions.some((v) => v.startsWith(`${major}.`)),
        `v${major}`,
      ).toBe(true);
  });

  it('resolves version strings', () => {
    expect(resolveAdapterVersion('v33.0.1')).toEqual(['33.0.1']);
    expect(resolveAdapterVersion('wasmtime 33.0.2')).toEqual(['33.0.2']);
    expect(resolveAdapterVersion('33')).toEqual(['33.0.0', '33.0.1', '33.0.2']);
    expect(resolveAdapterVersion('jco@1.35.0')).toEqual(['47.0.0']);
    expect(resolveAdapterVersion('@bytecodealliance/jco@1.35.0')).toEqual(['47.0.0']);
    expect(resolveAdapterVersion('1.0.0')).toEqual([]);
    expect(adapterSourceRef('33.0.0')).toMatchObject({ tag: 'v33.0.0', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
  });
});

describe('facts from field-notes.md', () => {
  it('v33: 2786 is the State magic1 check', () => {
    const [m, ...rest] = lookupAdapterLine(2786, '33.0.0');
    expect(rest).toHaveLength(0);
    expect(m).toMatchObject({
      check: 'State::with magic1 canary',
      category: 'state-canary',
      file: 'lib.rs',
      fn: 'State::with',
      kind: 'assertion',
    });
    expect(m!.code).toBe('assert_eq!(state_ref.magic1, MAGIC);');
    expect(lookupAdapterLine(2787, '33.0.2')[0]?.check).toBe('State::with magic2 canary');
  });

  it('without a version, 2786 is magic1 only in v33.0.0–v33.0.2', () => {
    const canary = lookupAdapterLine(2786).filter((m) => m.category === 'state-canary');
    expect(canary).toHaveLength(1);
    expect(canary[0]).toMatchObject({
      check: 'State::with magic1 canary',
      versions: ['33.0.0', '33.0.1', '33.0.2'],
      versionRange: 'v33.0.0–v33.0.2',
    });
  });

  it('jco 1.35 bundled adapter: magic1/magic2 = 2857/2858, same as v46–v48', () => {
    expect(lookupAdapterLine(2857, 'jco@1.35.0')[0]?.check).toBe('State::with magic1 canary');
    expect(lookupAdapterLine(2858, 'jco@1.35.0')[0]?.check).toBe('State::with magic2 canary');
    const magic1 = lookupAdapterLine(2857).find((m) => m.category === 'state-canary')!;
    expect(magic1.versionRange).toBe('v46.0.0–v49.0.0');
  });

  it('2745 is magic1 in v29.0.1–v32 (v30–v32) but magic2 in v28–v29.0.0', () => {
    for (const v of ['30.0.0', '30.0.2', '31.0.0', '32.0.0', '32.0.1'])
      expect(lookupAdapterLine(2745, v)[0]?.check, v).toBe('State::with magic1 canary');
    for (const v of ['28.0.0', '28.0.1', '29.0.0']) expect(lookupAdapterLine(2745, v)[0]?.check, v).toBe('State::with magic2 canary');
    const all = lookupAdapterLine(2745).filter((m) => m.category === 'state-canary');
    expect(all.map((m) => [m.check, m.versionRange])).toEqual([
      ['State::with magic1 canary', 'v29.0.1–v32.0.1'],
      ['State::with magic2 canary', 'v28.0.0–v29.0.0'],
    ]);
  });

  it('the oldest published adapters (v10–v16, pre-v23 message format) and wasmtime 49 are covered', () => {
    expect(lookupAdapterLine(2228, '10.0.0').map((m) => m.check)).toEqual(['State::with magic1 canary']);
    expect(lookupAdapterLine(2553, '16.0.0')[0]?.check).toBe('State::with magic2 canary');
    expect(lookupAdapterLine(2858, '49.0.0')[0]?.check).toBe('State::with magic2 canary');
    // 49's entry says where its source was read.
    expect(adapterSourceRef('49.0.0')?.commit).toMatch(/^e6b33de5/);
  });

  it('older releases (pre-v23 message format) are covered', () => {
    expect(lookupAdapterLine(2552, '17.0.0')[0]?.check).toBe('State::with magic1 canary');
    expect(lookupAdapterLine(2662, '22.0.0')[0]?.check).toBe('State::with magic1 canary');
  });

  it('allocator, descriptor, unsupported and trapping_unwrap sites are labelled', () => {
    const v33 = (line: number) => lookupAdapterLine(line, '33.0.0')[0];
    expect(v33(419)).toMatchObject({
      category: 'allocator',
      check: 'ImportAlloc::alloc: import allocator: unreachable: no allocator configured',
    });
    expect(v33(441)).toMatchObject({
      category: 'allocator',
      check: 'BumpAlloc::alloc: BumpAlloc: unreachable: allocation size is too large',
    });
    expect(v33(2927)).toMatchObject({ category: 'allocator' });
    expect(v33(2876)).toMatchObject({ category: 'descriptor' });
    expect(v33(2329)).toMatchObject({ category: 'unsupported', check: 'proc_raise: not implemented by the adapter (traps)' });
    expect(v33(149)?.check).toMatch(/^trapping_unwrap on None/);
  });

  it('a line that is no check gives nothing', () => {
    expect(lookupAdapterLine(1, '33.0.0')).toEqual([]);
    expect(lookupAdapterLine(2786, '1.0.0')).toEqual([]);
  });

  it('formats version ranges over the release list', () => {
    expect(formatVersionRange(['28.0.0', '28.0.1', '29.0.0'])).toBe('v28.0.0–v29.0.0');
    expect(formatVersionRange(['17.0.0', '33.0.0'])).toBe('v17.0.0, v33.0.0');
  });
});
