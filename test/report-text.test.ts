import { describe, expect, it } from 'vitest';
import { ellipsize } from '../src/report/text.js';

describe('ellipsize (the one text-shortening rule)', () => {
  it('keeps a text that fits, and cuts a longer one to exactly max characters ending in …', () => {
    expect(ellipsize('abc', 3)).toBe('abc');
    expect(ellipsize('abcd', 3)).toBe('ab…');
    expect(ellipsize('x'.repeat(500), 200)).toHaveLength(200);
    expect(ellipsize('x'.repeat(500), 200).endsWith('…')).toBe(true);
  });

  it('never leaves half of a surrogate pair before the …', () => {
    const cut = ellipsize(`ab😀cd`, 4); // 'ab' + the emoji's two code units would cut between them
    expect(cut).toBe('ab…');
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(cut)).toBe(false);
  });
});
