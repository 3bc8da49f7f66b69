import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  details,
  escapeHtml,
  escapeInline,
  fence,
  inlineMarkdown,
  link,
  sanitizeGuestText,
  table,
  truncateMarkdown,
} from '../src/report/markdown-utils.js';
import { checkMarkdown } from './report-markdown-check.js';

describe('fence', () => {
  it.each(Array.from({ length: 18 }, (_, i) => i + 3))('a run of %i backticks cannot close it', (n) => {
    const text = `before\n${'`'.repeat(n)}\n<img src=x onerror=alert(1)>\n${'`'.repeat(n)}js\nafter`;
    const md = fence(text);
    const opener = md.split('\n')[0]!;
    expect(opener).toBe('`'.repeat(n + 1));
    const check = checkMarkdown(`${md}\n\nnext paragraph`);
    expect(check.fencedText).toBe(text);
    expect(check.outsideText).toBe('\nnext paragraph');
    expect(check.problems).toEqual([]);
  });

  it('uses three backticks when possible, adds the final newline, keeps an info string clean', () => {
    expect(fence('a')).toBe('```\na\n```');
    expect(fence('a\n', 'text')).toBe('```text\na\n```');
    expect(fence('', 'x`y ')).toBe('```xy\n```');
    expect(fence('a\r\nb')).toBe('```\na\nb\n```');
  });

  it('the checker does see HTML outside fences', () => {
    expect(checkMarkdown(`${fence('a')}\n<b>x`).problems).toEqual(['line 4: raw HTML "<b>x"']);
  });

  it('tilde fences inside are inert', () => {
    const md = fence('~~~\n</details>\n~~~~');
    expect(checkMarkdown(md).problems).toEqual([]);
  });
});

describe('sanitizeGuestText', () => {
  it('strips ANSI colour, cursor and OSC sequences', () => {
    expect(
      sanitizeGuestText('\x1b[31merror\x1b[0m \x1b[1;32mok\x1b[m\x1b[2K\x1b]0;title\x07\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\', 100),
    ).toBe('error oklink');
  });

  it('strips control characters but keeps newlines and tabs; CRLF and CR become LF', () => {
    expect(sanitizeGuestText('a\x00b\x07c\td\r\ne\rf\x7f\u0085g\u202eh', 100)).toBe('abc\td\ne\nfgh');
  });

  it('caps length, keeping head and tail around a marker', () => {
    const text = `${'h'.repeat(500)}${'m'.repeat(10_000)}${'t'.repeat(500)}`;
    const out = sanitizeGuestText(text, 1000);
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(out.startsWith('h')).toBe(true);
    expect(out.endsWith('t')).toBe(true);
    const m = /\[([\d,]+) characters omitted\]/.exec(out)!;
    expect(Number(m[1]!.replace(/,/g, '')) + out.length - m[0].length - '\n…  …\n'.length).toBe(text.length);
  });

  it('does not split a surrogate pair', () => {
    const out = sanitizeGuestText('😀'.repeat(1000), 101);
    expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});

describe('escapeInline', () => {
  it('escapes HTML, table pipes, newlines', () => {
    expect(escapeInline('a|b\nc<img src=x onerror=alert(1)>&amp;')).toBe('a\\|b c&lt;img src=x onerror=alert(1)&gt;&amp;amp;');
  });

  it('neutralises mentions and issue references, not e-mail addresses or versions', () => {
    expect(escapeInline('@octocat hi @org/team')).toBe('@\u200boctocat hi @\u200borg/team');
    expect(escapeInline('(@octocat)')).toBe('(@\u200boctocat)');
    expect(escapeInline('a@b.c wasi:cli/run@0.2.3')).toBe('a@b.c wasi:cli/run@0.2.3');
    expect(escapeInline('fixes #123')).toBe('fixes #\u200b123');
  });

  it('prevents links, images, emphasis and code', () => {
    const out = escapeInline('[x](javascript:alert(1)) ![i](http://x/y.png) *b* _i_ `c` ~s~');
    expect(out).toBe('\\[x\\](javascript:alert(1)) !\\[i\\](http://x/y.png) \\*b\\* \\_i\\_ \\`c\\` \\~s\\~');
    expect(checkMarkdown(out).problems).toEqual([]);
  });

  it('block syntax at the start cannot make a list or heading', () => {
    expect(escapeInline('- item')).toBe('\\- item');
    expect(escapeInline('# title')).toBe('\\# title');
    expect(escapeInline('1. one')).toBe('1\\. one');
  });

  it('escapeHtml is for raw HTML context', () => {
    expect(escapeHtml('a "b" <c> & @octocat\nx')).toBe('a &quot;b&quot; &lt;c&gt; &amp; @\u200boctocat x');
  });
});

describe('inlineMarkdown', () => {
  it('keeps code spans and escapes the rest', () => {
    expect(inlineMarkdown('use `a|b` <here> @octocat')).toBe('use `a|b` &lt;here&gt; @\u200boctocat');
    expect(inlineMarkdown('use `a|b`', true)).toBe('use `a\\|b`');
    expect(inlineMarkdown('``a`b`` and `c`')).toBe('``a`b`` and `c`');
  });

  it('treats unmatched backticks as text', () => {
    expect(inlineMarkdown('a ` <b>')).toBe('a \\` &lt;b&gt;');
  });

  it('an injected closing backtick cannot free HTML', () => {
    const evil = 'trap `x` <img src=x onerror=alert(1)> `y` [a](javascript:b) @octocat';
    expect(checkMarkdown(inlineMarkdown(evil)).problems).toEqual([]);
  });

  it('is linear: a 1 MiB ladder of backtick runs, each unmatched (before: every run rescanned the rest, ~6 s)', () => {
    let ladder = '';
    for (let k = 1; ladder.length < 1024 * 1024; k++) ladder += `${'`'.repeat(k)}x`;
    const started = performance.now();
    const out = inlineMarkdown(ladder);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(out.length).toBe(2 * ladder.length - ladder.replaceAll('`', '').length);
  });

  it('spans exactly as the rescanning implementation did (fast-check)', () => {
    // The implementation before it was made linear, kept as the reference.
    const reference = (text: string, inTable: boolean): string => {
      const src = text.replace(/\r\n?|\n/g, ' ');
      let out = '';
      let i = 0;
      let textStart = 0;
      while (i < src.length) {
        if (src[i] !== '`') {
          i++;
          continue;
        }
        let n = 0;
        while (src[i + n] === '`') n++;
        let j = i + n;
        let close = -1;
        while (j < src.length) {
          if (src[j] === '`') {
            let m = 0;
            while (src[j + m] === '`') m++;
            if (m === n) {
              close = j;
              break;
            }
            j += m;
          } else j++;
        }
        if (close < 0) {
          i += n;
          continue;
        }
        out += escapeInline(src.slice(textStart, i));
        let code = src.slice(i, close + n);
        if (inTable) code = code.replace(/\|/g, '\\|');
        out += code;
        i = close + n;
        textStart = i;
      }
      return out + escapeInline(src.slice(textStart));
    };
    const text = fc.array(fc.constantFrom('`', '``', '```', 'a', ' ', '|', '<', '\n'), { maxLength: 40 }).map((t) => t.join(''));
    fc.assert(
      fc.property(text, fc.boolean(), (t, inTable) => {
        expect(inlineMarkdown(t, inTable)).toBe(reference(t, inTable));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('link and table', () => {
  it('links only http(s) and encodes characters that could end the link', () => {
    expect(link('t', 'javascript:alert(1)')).toBe('t');
    expect(link('a [b]', 'https://x.test/a(b)<c>')).toBe('[a \\[b\\]](https://x.test/a%28b%29%3Cc%3E)');
  });

  it('builds a GFM table', () => {
    expect(table(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });

  it('details escapes its summary for HTML', () => {
    expect(details('<x> (1)', 'body')).toBe('<details><summary>&lt;x&gt; (1)</summary>\n\nbody\n\n</details>');
  });
});

describe('truncateMarkdown', () => {
  it('returns small input unchanged', () => {
    expect(truncateMarkdown('abc', 10)).toBe('abc');
  });

  it('cuts inside a fence inside details, closes both, adds the pointer, stays under the limit', () => {
    const md = ['# T', '', details('out', fence('x\n'.repeat(5000), 'text')), '', 'after'].join('\n');
    const out = truncateMarkdown(md, 2000, 'https://example.test/summary');
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(2000);
    expect(checkMarkdown(out).problems).toEqual([]);
    expect(out).toMatch(
      /\*\*⚠️ This report was cut to fit GitHub's size limit: see \[the job summary\]\(https:\/\/example\.test\/summary\) for the full report\.\*\*\n$/,
    );
  });

  it('measures bytes, not characters', () => {
    const md = Array.from({ length: 2000 }, () => 'ééééé').join('\n');
    const out = truncateMarkdown(md, 1000);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(1000);
    expect(out).toContain('the job summary and the JSON report artifact');
  });

  it('does not leave a dangling table header', () => {
    const md = `intro\n\n| a | b |\n| --- | --- |\n${'| 1 | 2 |\n'.repeat(10)}`;
    const out = truncateMarkdown(md, Buffer.byteLength('intro\n\n| a | b |\n| --- | --- |\n') + 60);
    expect(out).not.toMatch(/\| --- \| --- \|\n*\*\*/);
  });
});
