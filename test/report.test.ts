import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Marked, type Token } from 'marked';
import { REPORT_SCHEMA_VERSION, type ArtifactResult, type Report } from '../src/model.js';
import { parseReport, renderJson, reportSchema } from '../src/report/json.js';
import { renderMarkdown, renderMarkdownAt } from '../src/report/markdown.js';
import { summarize } from '../src/report/summary.js';
import { renderTerminal } from '../src/report/terminal.js';
import { checkMarkdown } from './report-markdown-check.js';
import {
  BUNDLED_ADAPTER,
  convertFail,
  exitCollapsePass,
  goRegression,
  invalidInput,
  makeArtifact,
  makeReport,
  makeResult,
  makeRun,
  mixedReport,
  passResult,
  preExisting,
  timeout,
  unknownRegression,
} from './report-factory.js';

const ESC = '\x1b';

/* ───────────── adversarial input ───────────── */

const EVIL_NAME = 'evil|name<img src=x onerror=alert(1)>@octocat[x](javascript:alert(1))\n## heading`.wasm';
const backtickRuns = Array.from({ length: 18 }, (_, i) => '`'.repeat(i + 3)).join('\n');
const EVIL_OUTPUT = [
  backtickRuns,
  '</details>',
  '</summary></details><details open>',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  'hey @octocat and @github/security, see #1',
  '[click](javascript:alert(1)) ![img](https://evil.test/x.png)',
  `${ESC}[31mred${ESC}[0m ${ESC}]0;title\x07 ${ESC}[2J`,
  'nul\x00bell\x07backspace\x08 formfeed\x0c del\x7f',
  'crlf line\r\nnext\rcarriage',
  '::error::fake workflow command',
  '| a | b |',
  '```',
].join('\n');

function adversarialResult(): ArtifactResult {
  const big = `${EVIL_OUTPUT}\n${'x'.repeat(1024 * 1024)}\n${EVIL_OUTPUT}`;
  return makeResult(EVIL_NAME, 'REGRESSION', {
    artifact: makeArtifact(EVIL_NAME),
    p1: makeRun('p1', { stdout: { text: EVIL_OUTPUT, bytes: EVIL_OUTPUT.length, truncated: false } }),
    p2: makeRun('p2', {
      exitCode: null,
      stdout: { text: big, bytes: big.length, truncated: true },
      stderr: { text: EVIL_OUTPUT, bytes: EVIL_OUTPUT.length, truncated: false },
      trap: {
        kind: 'other',
        message: `boom </details> \`\`\` <img src=x onerror=alert(1)> @octocat ${ESC}[31m`,
        causes: [EVIL_OUTPUT],
        frames: [{ index: 0, origin: 'guest', rawName: '</details>```', name: '</details>```@octocat' }],
        format: 'text',
      },
      harnessError: 'host said <b>@octocat</b>',
    }),
    conversion: {
      ok: false,
      skipped: false,
      adapter: { ...BUNDLED_ADAPTER, name: 'adapter<b>@octocat</b>|.wasm' },
      error: EVIL_OUTPUT,
      durationMs: 1,
    },
    differences: [
      { field: 'stdout', p1: 'a|b\n<img src=x>', p2: '@octocat\r\n```' },
      { field: 'stderr', p1: '', p2: EVIL_OUTPUT },
    ],
    notes: [{ code: 'x|y`z', message: 'note @octocat <b>bold</b> | pipe' }],
    predictions: [
      {
        signatureId: 's',
        title: 'p <i>',
        message: 'm @octocat `ok` [x](javascript:y)',
        confirmed: false,
        outcome: 'contradicted',
        stage: 'run',
      },
    ],
    diagnoses: [
      {
        signatureId: 'evil',
        title: 'Title with `code` and <b>html</b> @octocat',
        confidence: 'medium',
        score: 1,
        cause: 'cause with trap `boom` </details> `y` [a](javascript:b)',
        evidence: [`trap message: \`${'boom ` <img src=x onerror=alert(1)> `'}\``, 'frame `</details>```@octocat`'],
        workarounds: [
          { text: 'unsafe <b>thing</b>', safe: false, why: 'because @octocat' },
          { text: 'safe `thing`', safe: true },
        ],
        links: [
          { title: 'bad', url: 'javascript:alert(1)' },
          { title: 'ok)](javascript:x)', url: 'https://example.test/a)b' },
        ],
      },
    ],
    unknown: {
      fingerprint: 'abc`|<b>',
      summary: '<b>x</b> @octocat',
      evidence: ['</details>'],
      proposeUrl: 'https://example.test/new?x=<b>',
    },
  });
}

function adversarialReport(): Report {
  return makeReport([adversarialResult(), passResult(`ok@octocat|<b>.wasm`)]);
}

/* ───────────── summary ───────────── */

describe('summarize', () => {
  it('counts every verdict, regressions and failures', () => {
    const s = summarize(mixedReport().results);
    expect(s).toEqual({
      total: 8,
      counts: {
        PASS: 2,
        REGRESSION: 2,
        'CONVERT-FAIL': 1,
        'PRE-EXISTING': 1,
        TIMEOUT: 1,
        'INVALID-INPUT': 1,
        'NOT-WASI': 0,
        ERROR: 0,
        'P2-FAIL': 0,
      },
      regressions: 3,
      failures: 6,
    });
  });

  it('is all zeros for no results', () => {
    expect(summarize([])).toEqual({
      total: 0,
      counts: {
        PASS: 0,
        REGRESSION: 0,
        'CONVERT-FAIL': 0,
        'PRE-EXISTING': 0,
        TIMEOUT: 0,
        'INVALID-INPUT': 0,
        'NOT-WASI': 0,
        ERROR: 0,
        'P2-FAIL': 0,
      },
      regressions: 0,
      failures: 0,
    });
  });
});

/* ───────────── JSON ───────────── */

/** A report that uses every optional field of the model. */
function maximalReport(): Report {
  const component: ArtifactResult = {
    artifact: {
      path: 'already.component.wasm',
      size: 10,
      sha256: 'c'.repeat(64),
      kind: 'component',
      component: { imports: ['wasi:cli/stdout@0.2.3'], exports: ['wasi:cli/run@0.2.3'], wasiVersion: '0.2.3' },
    },
    predictions: [],
    conversion: { ok: true, skipped: true, durationMs: 0 },
    p2: makeRun('p2', { command: ['wasmtime', 'run', 'x.wasm'] }),
    verdict: 'PASS',
    differences: [],
    notes: [],
    diagnoses: [],
  };
  const go = goRegression();
  go.artifact.module!.memory.maxPages = 65536;
  go.conversion!.adapter = { ...BUNDLED_ADAPTER, path: '/x/adapter.wasm' };
  go.p2!.trap!.frames[0] = { ...go.p2!.trap!.frames[0]!, offset: 0x1a2b, module: 'wit-component:adapter:wasi_snapshot_preview1' };
  go.p1 = makeRun('p1', { harnessError: 'could not start', command: ['node', 'run.mjs'] });
  return makeReport([component, go, unknownRegression(), convertFail(), preExisting(), timeout(), invalidInput(), exitCollapsePass()], {
    sandbox: {
      args: ['prog', 'a'],
      envKeys: ['FOO'],
      dirs: [{ host: '/tmp/d', guest: '/d' }],
      stdin: true,
      timeoutMs: 1000,
      outputCapBytes: 100,
    },
    adapter: { requested: 'auto', command: BUNDLED_ADAPTER, reactor: { ...BUNDLED_ADAPTER, kind: 'reactor' } },
    warnings: [
      {
        code: 'adapter-fallback',
        message: 'The adapter of wasmtime 49.0.4 could not be had (ENOTFOUND): converted with the bundled adapter instead.',
      },
    ],
    configurationError: { option: 'adapter', message: 'adapter /x/nope.wasm: cannot read it' },
  });
}

/** The schema with `additionalProperties: false` on every object: proves it documents every field we emit. */
function strictSchema(): object {
  const clone = structuredClone(reportSchema) as Record<string, unknown>;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (obj.properties && obj.additionalProperties === undefined) obj.additionalProperties = false;
    for (const v of Object.values(obj)) visit(v);
  };
  visit(clone);
  delete clone.$id;
  return clone;
}

describe('renderJson / parseReport', () => {
  it('round-trips and validates a report that uses every field', () => {
    const report = maximalReport();
    const text = renderJson(report);
    expect(parseReport(text)).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('the schema documents every field (strict validation of the maximal and adversarial reports)', () => {
    const validate = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(strictSchema());
    for (const report of [maximalReport(), adversarialReport(), mixedReport()]) {
      const ok = validate(JSON.parse(renderJson(report)));
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('uses a stable key order: schemaVersion first, then sorted; 2-space indent; trailing newline', () => {
    const a = mixedReport();
    const b = JSON.parse(JSON.stringify(a), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as object).reverse()) : v,
    ) as Report;
    expect(renderJson(b)).toBe(renderJson(a));
    const text = renderJson(a);
    expect(text.split('\n').slice(0, 3)).toEqual(['{', '  "schemaVersion": 1,', '  "tool": {']);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n      "artifact": {');
  });

  it('omits undefined fields', () => {
    const parsed = JSON.parse(renderJson(makeReport([invalidInput()]))) as { results: object[] };
    expect(Object.keys(parsed.results[0]!)).toEqual(['artifact', 'diagnoses', 'differences', 'notes', 'predictions', 'verdict']);
  });

  it('rejects a report of another schema version with a clear message', () => {
    const text = renderJson(mixedReport()).replace('"schemaVersion": 1', '"schemaVersion": 2');
    expect(() => parseReport(text)).toThrow(
      `unsupported report schema version 2: this wasm-p2-check reads version ${REPORT_SCHEMA_VERSION}; post the report with the same wasm-p2-check version that wrote it`,
    );
  });

  it('rejects broken files and says where', () => {
    expect(() => parseReport('{"schemaVersion": 1,')).toThrow(/^not a wasm-p2-check report: invalid JSON/);
    expect(() => parseReport('[]')).toThrow('not a wasm-p2-check report: expected a JSON object');
    expect(() => parseReport('{"results": []}')).toThrow('not a wasm-p2-check report: it has no schemaVersion');
    const report = JSON.parse(renderJson(mixedReport())) as Record<string, unknown> & { results: Record<string, unknown>[] };
    report.results[2]!.verdict = 'BROKEN';
    delete report.results[0]!.artifact;
    expect(() => parseReport(JSON.stringify(report))).toThrow(
      /^invalid wasm-p2-check report \(schema version 1\): .*\/results\/0: missing required property 'artifact'.*\/results\/2\/verdict: must be one of "PASS", "REGRESSION"/,
    );
  });

  it('accepts a byte-order mark and unknown extra fields (added optional fields do not change the version)', () => {
    const report = JSON.parse(renderJson(mixedReport())) as Record<string, unknown>;
    report.futureField = { x: 1 };
    expect(parseReport(`\uFEFF${JSON.stringify(report)}`).results).toHaveLength(8);
  });
});

/* ───────────── terminal ───────────── */

describe('renderTerminal', () => {
  it('has a line per artifact with the verdict, and details under failures', () => {
    const out = renderTerminal(mixedReport(), { color: false });
    expect(out).not.toContain(ESC);
    const lines = out.split('\n');
    const rows: [string, string, string][] = [
      ['✔', 'PASS', 'c-hello.wasm'],
      ['✖', 'REGRESSION', 'go124-hello.wasm'],
      ['✖', 'CONVERT-FAIL', 'as-env.wasm'],
      ['!', 'PRE-EXISTING', 'c-oob-trap.wasm'],
      ['⧗', 'TIMEOUT', 'c-loop.wasm'],
      ['!', 'INVALID-INPUT', 'truncated.wasm'],
    ];
    for (const [mark, verdict, file] of rows) {
      expect(lines.some((l) => l.startsWith(`${mark} ${verdict.padEnd(13)} ${file}`))).toBe(true);
    }
    expect(out).toContain('    diagnosis: Go ≥ 1.24 heap overwrites the adapter state (high confidence, go-heap-clobbers-adapter-state)');
    expect(out).toContain('    cause: Go 1.24');
    // Safe workarounds first, the unsafe one flagged with its reason.
    expect(out).toContain('      3. Pin Go ≤ 1.23 for the wasip1 build. (until the toolchain and the adapter cooperate)');
    expect(out).toContain(
      '      4. UNSAFE: Replace `random_get` with a fake generator. (hides the symptom, makes randomness predictable: insecure)',
    );
    expect(out).toContain(
      '    predicted: Go ≥ 1.24 heap overwrites the adapter state: Go 1.24.4 without `cabi_realloc`: expected to trap at the first adapter call (confirmed by the run)',
    );
    expect(out).toContain('    note: Exit code collapses to 1: WASI 0.2');
    expect(out).toContain('      exitCode  P1: "0"  P2: "trap"');
    expect(out).toContain('      │ assertion failed at adapter line 2786');
    expect(out).toContain(
      '    runtimes: P1 node:wasi 20.20.2 · P2 preview2-shim 0.26.1 · adapter wasi_snapshot_preview1.command.wasm 33.0.0 (bundled, WASI 0.2.3), sha256 2a652d711c1f',
    );
    expect(out).toContain('diagnosis: no known signature (fingerprint f00dfeed1234)');
    expect(out).toContain('propose a signature: https://github.com/wasm-p2-check/wasm-p2-check/issues/new?');
    expect(out).toContain('    error: truncated: section 10 (code) declares 3536 bytes but only 1551 remain');
    expect(lines.at(-2)).toBe(
      'Result: 2 PASS, 2 REGRESSION, 1 CONVERT-FAIL, 1 PRE-EXISTING, 1 TIMEOUT, 1 INVALID-INPUT. 3 of 8 artifacts break as WASI P2 components.',
    );
  });

  it('colours only when asked', () => {
    const out = renderTerminal(mixedReport(), { color: true });
    expect(out).toContain(`${ESC}[32m✔ PASS`);
    expect(out).toContain(`${ESC}[31m✖ REGRESSION`);
    expect(out).toContain(`${ESC}[31mUNSAFE:${ESC}[0m`);
  });

  it('says so when everything passed', () => {
    const out = renderTerminal(makeReport([passResult(), exitCollapsePass()]), { color: false });
    expect(out.trimEnd().split('\n').at(-1)).toBe('Result: 2 PASS. All 2 artifacts work as WASI P2 components.');
  });

  it('keeps guest text from faking colours, clearing the screen or issuing workflow commands, and trims it', () => {
    const out = renderTerminal(adversarialReport(), { color: false });
    expect(out).not.toContain(ESC);
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    for (const line of out.split('\n')) expect(line.trimStart().startsWith('::')).toBe(false);
    expect(out).toContain('  │ ::error::fake workflow command');
    expect(out).toMatch(/lines omitted/);
    expect(out.length).toBeLessThan(60_000);
  });
});

/* ───────────── Markdown ───────────── */

function expectSafe(md: string): void {
  const { problems, outsideText } = checkMarkdown(md);
  expect(problems).toEqual([]);
  // The raw attack strings only ever appear inside fences.
  for (const bad of ['<img', '<script', '</summary></details>', ESC]) {
    expect(outsideText, bad).not.toContain(bad);
  }
  expect(outsideText).not.toMatch(/(?<!\\)\]\(javascript:/);
}

describe('renderMarkdown', () => {
  it('renders the mixed report: verdict heading, a section per cause with its fix first, details folded', async () => {
    const md = renderMarkdown(mixedReport());
    await expect(md).toMatchFileSnapshot('__outputs__/mixed.md');
    expectSafe(md);
    const lines = md.split('\n');
    expect(lines[0]).toBe('## ❌ wasm-p2-check: 3 of 8 artifacts break as WASI P2 components');
    // One section per distinct cause, worst verdict first, numbered; each opens with who, how, and the fix.
    expect(lines.filter((l) => l.startsWith('### '))).toEqual([
      '### ❌ 1. Go ≥ 1.24 heap overwrites the adapter state',
      '### ❌ 2. No known signature: P2 exited 134 with no trap',
      '### ❌ 3. Module imports something other than WASI',
      '### ⚠️ 4. The guest traps as P1 too',
      '### ⏱️ 5. Did not finish within the time limit',
      '### 🚫 6. Not a usable WebAssembly file: truncated: section 10 (code) declares 3536 bytes but only 1551 remain',
    ]);
    expect(md).toContain(
      '### ❌ 1. Go ≥ 1.24 heap overwrites the adapter state\n\n**go124-hello.wasm** (Go 1.24.4): REGRESSION, high confidence, predicted before running. ' +
        'P1 exited 0; P2 trapped: assertion failed at adapter line 2786; stdout differs.\n\n**Fix:** Build a component directly: TinyGo with `-target=wasip2`.',
    );
    expect(lines.filter((l) => l.startsWith('**Fix:**'))).toEqual([
      '**Fix:** Build a component directly: TinyGo with `-target=wasip2`.',
      '**Fix:** none known yet: [propose a signature](https://github.com/wasm-p2-check/wasm-p2-check/issues/new?template=signature.yml&fingerprint=f00dfeed1234)',
      '**Fix:** Provide `abort` yourself (AssemblyScript: `--use abort=`).',
      '**Fix:** fix it as a P1 module first: this is not a conversion problem',
      '**Fix:** raise `timeout` if the program needs longer; a P2-only hang is a regression',
      '**Fix:** point `artifacts` at WebAssembly modules only',
    ]);
    // The table of every artifact is folded, and names each failure's cause by number (said once, above).
    expect(md).toContain('<details><summary>All 8 artifacts (2 passing)</summary>\n\n| Artifact | Toolchain | Verdict | Cause |');
    expect(md).toContain('| go124-hello.wasm | Go 1.24.4 | ❌ REGRESSION | cause 1 |');
    expect(md).toContain('| mystery.wasm | clang 14.0.6 (C) | ❌ REGRESSION | cause 2 |');
    // The fix is not repeated; the other safe ways follow it; the unsafe one is folded, with why.
    expect(md.match(/Build a component directly/g)).toHaveLength(1);
    expect(md).toContain('**Other ways:**\n\n- Run the P1 module on a P1 host (wasmtime runs wasip1 modules natively).');
    expect(md).toContain(
      '<details><summary>⚠️ An unsafe workaround: not recommended, and why</summary>\n\n' +
        '- Replace `random_get` with a fake generator. — hides the symptom, makes randomness predictable: insecure',
    );
    expect(md.indexOf('**Fix:** Build a component directly')).toBeLessThan(md.indexOf('Replace `random_get`'));
    // Cause, evidence and links folded; the confirmed prediction is not a second copy of the diagnosis.
    expect(md).toContain('<details><summary>Why: cause and evidence (high confidence, go-heap-clobbers-adapter-state)</summary>');
    expect(md).toContain('[golang/go#\u200b72123](https://github.com/golang/go/issues/72123)');
    expect(md).not.toContain('Predicted before running');
    expect(md).not.toContain('expected to trap at the first adapter call');
    // The trap appears once in the open (the line above) and once in the backtrace block, not in the differences.
    expect(md.match(/assertion failed at adapter line 2786/g)!.length).toBe(3); // line, evidence (folded), stderr (folded)
    expect(md).not.toMatch(/^\| trap \|/m);
    // The hosts and adapter every result shares are said once, in the footer.
    expect(md.split('\n').at(-1)).toContain(
      'P2 preview2-shim 0.26.1 · adapter wasi\\_snapshot\\_preview1.command.wasm 33.0.0 (bundled, WASI 0.2.3), sha256 2a652d711c1f</sub>',
    );
    expect(md).not.toContain('**Hosts:** P1 node:wasi 20.20.2 · P2 preview2-shim 0.26.1 · adapter');
    expect(md).toContain('<details><summary>P2 stderr (38 bytes)</summary>');
    expect(md).toContain('Fingerprint: `f00dfeed1234`');
    expect(md).toContain('<details><summary>Conversion error</summary>');
    // No timestamp: the same report renders the same bytes whenever it is rendered.
    expect(md).not.toContain(mixedReport().createdAt);
    expect(renderMarkdown({ ...mixedReport(), createdAt: '2030-01-01T00:00:00.000Z' })).toBe(md);
  });

  it('an unconfirmed or other prediction is still shown, folded', () => {
    const r = goRegression();
    r.predictions = [
      {
        ...r.predictions[0]!,
        signatureId: 'other-thing',
        title: 'Something else',
        confirmed: false,
        outcome: 'contradicted',
        reason: 'the P2 run did not fail that way',
      },
    ];
    const md = renderMarkdown(makeReport([r]));
    expect(md).toContain(
      '**Predicted before running**\n\n- Something else: Go 1.24.4 without `cabi_realloc`: expected to trap at the first adapter call (contradicted: the P2 run did not fail that way)',
    );
    // A prediction whose stage never ran is "not reached", with the reason.
    r.predictions = [
      {
        ...r.predictions[0]!,
        confirmed: null,
        outcome: 'not-reached',
        stage: 'convert',
        reason: 'conversion stopped at an earlier problem: module requires an import interface named `env`',
      },
    ];
    expect(renderMarkdown(makeReport([r]))).toContain(
      '(not reached: conversion stopped at an earlier problem: module requires an import interface named `env`)',
    );
    expect(md).not.toContain('predicted before running)');
  });

  it('groups identical failures: "12 artifacts, same cause", the list folded, details once', () => {
    const results = Array.from({ length: 12 }, (_, i) => ({
      ...goRegression(),
      artifact: { ...goRegression().artifact, path: `go-${i}.wasm` },
    }));
    const md = renderMarkdown(makeReport([...results, passResult()]));
    expectSafe(md);
    expect(md.split('\n')[0]).toBe('## ❌ wasm-p2-check: 12 of 13 artifacts break as WASI P2 components');
    // A few names in the open, then a count; the whole list folded.
    expect(md).toContain(
      '**go-0.wasm** (Go 1.24.4), **go-1.wasm**, **go-2.wasm** and 9 more — 12 artifacts, same cause: REGRESSION, high confidence, ' +
        'predicted before running. Shown for go-0.wasm: P1 exited 0;',
    );
    expect(md).toContain('<details><summary>The 12 artifacts</summary>\n\n- go-0.wasm (Go 1.24.4)\n- go-1.wasm (Go 1.24.4)');
    expect(md.match(/^### /gm)).toHaveLength(1);
    expect(md.match(/<summary>P2 error chain and backtrace<\/summary>/g)).toHaveLength(1);
    // 200 of them: the folded list stops at 100 and says how many more.
    const many = makeReport(
      Array.from({ length: 200 }, (_, i) => ({ ...goRegression(), artifact: { ...goRegression().artifact, path: `go-${i}.wasm` } })),
    );
    const big = renderMarkdown(many);
    expect(big).toContain('- … and 100 more (all of them are in the JSON report)');
    expect(big.match(/^### /gm)).toHaveLength(1);
  });

  it("strips the checker's scratch paths from output and traps", () => {
    const r = goRegression();
    const stack =
      'RuntimeError: boom\n    at fn (file:///tmp/wasm-p2-check-IfuMH0/runs/transpiled-BGz68a/component.js:8516:25)\n    at file:///home/u/.npm/_npx/x/node_modules/wasm-p2-check/dist/embedded-p2-host.js:3026:9\n';
    r.p2!.stderr = { text: stack, bytes: stack.length, truncated: false };
    r.p2!.trap!.causes = [
      'at /var/folders/ab/T/wasm-p2-check-Zz9Yy8/work/component.wasm',
      'at file:///tmp/wasm-p2-check-dadbdf7b-1aaf-49fa-a899-0ab0af430f23/runs/transpiled-1waE5K/component.js:8516:25',
      'at file:///tmp/wasm-p2-check-10247.211548-9457d51a-b2c2-4065-aea5-911f9e351464/runs/transpiled-ii2Dos/component.js:1:2',
    ];
    const md = renderMarkdown(makeReport([r]));
    expect(md).toContain('    at fn (component.js:8516:25)\n    at embedded-p2-host.js:3026:9');
    expect(md).toContain('Caused by: at component.wasm');
    expect(md).not.toMatch(/wasm-p2-check-[A-Za-z0-9]{6}/);
    expect(md).not.toContain('dadbdf7b');
    expect(md).not.toContain('9457d51a'); // owner-tagged (runtime/stale.ts)
    expect(md).not.toContain('/home/u');
  });

  it('says "1 of 1 artifact breaks", "the artifact works", "1 of 2 artifacts needs": number agrees everywhere', () => {
    expect(renderMarkdown(makeReport([goRegression()])).split('\n')[0]).toBe(
      '## ❌ wasm-p2-check: 1 of 1 artifact breaks as a WASI P2 component',
    );
    const one = renderMarkdown(makeReport([passResult()]));
    expect(one.split('\n')[0]).toBe('## ✅ wasm-p2-check: the artifact works as a WASI P2 component');
    expect(one).toContain('It behaves the same as a WASI Preview 1 module and as a Preview 2 component.');
    expect(one).toContain('<summary>1 artifact checked</summary>');
    expect(one).not.toMatch(/\ball 1\b|\b1 artifacts\b|\b1 of 1 artifacts\b/i);
    expect(renderMarkdown(makeReport([passResult(), preExisting()])).split('\n')[0]).toBe(
      '## ⚠️ wasm-p2-check: no regressions; 1 of 2 artifacts needs attention',
    );
    expect(renderMarkdown(makeReport([preExisting(), { ...preExisting(), artifact: makeArtifact('b.wasm') }])).split('\n')[0]).toBe(
      '## ⚠️ wasm-p2-check: no regressions; 2 of 2 artifacts need attention',
    );
    const oneByte = goRegression();
    oneByte.p2!.stderr = { text: 'x', bytes: 1, truncated: false };
    expect(renderMarkdown(makeReport([oneByte]))).toContain('<summary>P2 stderr (1 byte)</summary>');
    expect(
      renderTerminal(makeReport([goRegression()]), { color: false })
        .trimEnd()
        .split('\n')
        .at(-1),
    ).toBe('Result: 1 REGRESSION. 1 of 1 artifact breaks as a WASI P2 component.');
  });

  it('renders NOT-WASI and ERROR: what happened, why, and the safe next step', () => {
    const notWasi = makeResult('napi-addon.wasm', 'NOT-WASI', {
      p1: undefined,
      p2: undefined,
      diagnoses: [
        {
          signatureId: 'emnapi-node-api',
          title: 'Node-API addon built with emnapi: needs a Node.js host',
          confidence: 'high',
          score: 90,
          cause: 'The module imports `napi_*` functions from `env`, which only a Node.js host with emnapi provides.',
          evidence: ['imports from `env`: `napi_create_function`, `napi_get_cb_info`'],
          workarounds: [{ text: 'Load it with emnapi in Node.js; it is not meant to run under WASI.', safe: true }],
          links: [],
        },
      ],
    });
    const hostDied = makeResult('c-hello.wasm', 'ERROR', {
      p2: makeRun('p2', { exitCode: null, hostError: 'embedded P2 host exited with signal SIGKILL before the guest started' }),
    });
    const outOfMemory = makeResult('big.wasm', 'ERROR', {
      p2: makeRun('p2', { exitCode: null, limit: { kind: 'memory', value: 1 << 30, message: 'guest memory limit 1 GiB reached' } }),
    });
    const md = renderMarkdown(makeReport([passResult('ok.wasm'), notWasi, hostDied, outOfMemory]));
    expectSafe(md);
    expect(md.split('\n')[0]).toBe('## 🛑 wasm-p2-check: no regressions found, but 2 of 4 artifacts could not be checked');
    expect(md).toContain(
      '### 🛑 1. The checker could not run it: embedded P2 host exited with signal SIGKILL before the guest started\n\n' +
        '**c-hello.wasm** (clang 14.0.6 (C)): ERROR. P1 exited 0; P2 could not be run by the checker.\n\n' +
        '**Fix:** re-run; if it persists, report it with the job log',
    );
    expect(md).toContain(
      '**big.wasm** (clang 14.0.6 (C)): ERROR. P1 exited 0; P2 hit the memory limit.\n\n**Fix:** raise the memory limit, or check why the run needs more',
    );
    expect(md).toContain(
      '### 🔌 3. Node-API addon built with emnapi: needs a Node.js host\n\n**napi-addon.wasm** (clang 14.0.6 (C)): NOT-WASI, high confidence.\n\n' +
        '**Fix:** Load it with emnapi in Node.js; it is not meant to run under WASI.',
    );
    expect(md).toContain("**P2 host error** (not the guest's fault): embedded P2 host exited with signal SIGKILL before the guest started");
    expect(md).toContain('**P2 limit:** guest memory limit 1 GiB reached');
    // ERROR ranks above NOT-WASI; nothing calls them regressions.
    expect(md.indexOf(': ERROR.')).toBeLessThan(md.indexOf(': NOT-WASI'));
    expect(md).not.toContain('REGRESSION');
  });

  it('note-level diagnoses are notes: never the explanation of a failure, never said twice', () => {
    const md = renderMarkdown(mixedReport());
    // mystery.wasm: a note-level match ranked first does not hide the unknown failure.
    expect(md).toContain('| mystery.wasm | clang 14.0.6 (C) | ❌ REGRESSION | cause 2 |');
    expect(md).toContain('### ❌ 2. No known signature: P2 exited 134 with no trap');
    // The note is said once, for both artifacts it applies to; c-exit3.wasm by the signature (compare/ adds none).
    expect(md).toContain('- c-exit3.wasm, mystery.wasm: **Exit code collapses to 1**: WASI 0.2');
    expect(md.match(/Exit code collapses to 1\*\*/g)).toHaveLength(1);
    const pass = exitCollapsePass();
    expect(pass.notes).toEqual([]);
    const md2 = renderMarkdown(makeReport([pass, passResult()]));
    expect(md2).toContain('| c-exit3.wasm | clang 14.0.6 (C) | ✅ PASS | note: `exit-code-collapse` |');
    expect(md2).toContain('- c-exit3.wasm: **Exit code collapses to 1**: WASI 0.2');
    expect(renderTerminal(makeReport([pass]), { color: false })).toContain('    note: Exit code collapses to 1: WASI 0.2');
  });

  it('all passing: a short success message', async () => {
    const md = renderMarkdown(makeReport([passResult(), exitCollapsePass(), passResult('rust-hello.wasm')]));
    await expect(md).toMatchFileSnapshot('__outputs__/all-pass.md');
    expectSafe(md);
    expect(md.split('\n')[0]).toBe('## ✅ wasm-p2-check: all 3 artifacts work as WASI P2 components');
    expect(md).toContain('All 3 artifacts behave the same as WASI Preview 1 modules and as Preview 2 components.');
    expect(md).not.toContain('###');
    expect(md.length).toBeLessThan(2000);
  });

  it('no regressions but failures: a warning heading; custom heading is escaped', () => {
    const md = renderMarkdown(makeReport([passResult(), preExisting()]), { heading: 'Wasm <check> @team' });
    expect(md.split('\n')[0]).toBe('## ⚠️ Wasm &lt;check&gt; @\u200bteam: no regressions; 1 of 2 artifacts needs attention');
    expect(renderMarkdown(makeReport([])).split('\n')[0]).toBe('## ⚪ wasm-p2-check: no artifacts were checked');
  });

  it('contains hostile guest output, file names, trap text and signature text', async () => {
    const report = adversarialReport();
    const md = renderMarkdown(report);
    await expect(md).toMatchFileSnapshot('__outputs__/adversarial.md');
    expectSafe(md);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(65_000);
    // The 1 MiB stdout was cut with a marker, in a fence longer than any run of backticks in it.
    expect(md).toMatch(/characters omitted/);
    expect(md).toContain('`'.repeat(21));
    // The table still has 4 columns on the hostile row.
    const row = md.split('\n').find((l) => l.startsWith('| evil'))!;
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(5);
    for (const level of ['full', 'compact', 'table'] as const) expectSafe(renderMarkdownAt(report, level));
  });

  it.each([3000, 8000, 20_000, 65_000])('stays under maxBytes=%i and valid, with less detail first', (maxBytes) => {
    const many = makeReport(
      Array.from({ length: 60 }, (_, i) =>
        i % 3 === 0 ? adversarialResult() : { ...goRegression(), artifact: makeArtifact(`go-${i}.wasm`) },
      ),
    );
    const md = renderMarkdown(many, { maxBytes, detailsUrl: 'https://github.com/o/r/actions/runs/1#summary' });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(maxBytes);
    expectSafe(md);
    expect(md.split('\n')[0]).toMatch(/^## ❌ wasm-p2-check: 60 of 60 artifacts break/);
    // Grouped by cause, 60 failures of two kinds fit whole in a comment; smaller budgets point to the job summary.
    if (Buffer.byteLength(renderMarkdownAt(many, 'full')) > maxBytes)
      expect(md).toMatch(/\[the job summary\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1#summary\)/);
    else expect(md).toBe(renderMarkdownAt(many, 'full'));
  });

  it('the job summary never tells its reader to see the job summary', () => {
    const many = makeReport(
      Array.from({ length: 60 }, (_, i) =>
        i % 3 === 0 ? adversarialResult() : { ...goRegression(), artifact: makeArtifact(`go-${i}.wasm`) },
      ),
    );
    for (const maxBytes of [1500, 3000, 8000]) {
      const md = renderMarkdown(many, { maxBytes, detailsUrl: 'https://github.com/o/r/actions/runs/1#summary', surface: 'job-summary' });
      expect(Buffer.byteLength(md)).toBeLessThanOrEqual(maxBytes);
      expect(md).not.toMatch(/job summary/);
      expect(md).toMatch(/the JSON report/);
      expectSafe(md);
    }
  });

  it('falls back full → compact → table → cut table', async () => {
    const results = Array.from({ length: 40 }, (_, i) => {
      const r = goRegression();
      return { ...r, artifact: { ...r.artifact, path: `go-${i}.wasm` } };
    });
    const report = makeReport(results);
    const full = renderMarkdownAt(report, 'full');
    const compact = renderMarkdownAt(report, 'compact');
    const tableOnly = renderMarkdownAt(report, 'table');
    expect(Buffer.byteLength(full)).toBeGreaterThan(Buffer.byteLength(compact));
    expect(Buffer.byteLength(compact)).toBeGreaterThan(Buffer.byteLength(tableOnly));

    expect(renderMarkdown(report, { maxBytes: Buffer.byteLength(full) })).toBe(full);
    const c = renderMarkdown(report, { maxBytes: Buffer.byteLength(full) - 1 });
    expect(c).toBe(compact);
    expect(c).not.toContain('error chain and backtrace');
    expect(c).toContain('_Guest output and backtraces are left out to fit');
    const t = renderMarkdown(report, { maxBytes: Buffer.byteLength(compact) - 1 });
    expect(t).toBe(tableOnly);
    expect(t).not.toContain('<summary>Why');
    expect(t).toContain('— 40 artifacts, same cause: REGRESSION');
    expect(t).toContain('**Fix:** Build a component directly');
    const cut = renderMarkdown(report, { maxBytes: 1500, detailsUrl: 'https://example.test/s' });
    await expect(cut).toMatchFileSnapshot('__outputs__/truncated.md');
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(1500);
    expect(cut).toMatch(
      /\*\*⚠️ This report was cut to fit GitHub's size limit: see \[the job summary\]\(https:\/\/example\.test\/s\) for the full report\.\*\*\n$/,
    );
    expectSafe(cut);
  });

  it('writes the terminal rendering next to the Markdown examples', async () => {
    await expect(renderTerminal(mixedReport(), { color: false })).toMatchFileSnapshot('__outputs__/mixed.terminal.txt');
  });
});

/* ───────────── As GitHub renders it (GFM, with the `marked` renderer) ───────────── */

describe('the Markdown, parsed as GitHub-Flavoured Markdown', () => {
  interface Parsed {
    headings: { depth: number; text: string }[];
    tables: { header: number; rows: number[] }[];
    html: string[];
    links: string[];
    htmlOut: string;
  }

  function parse(md: string): Parsed {
    const lexer = new Marked({ gfm: true });
    const tokens = lexer.lexer(md);
    const out: Parsed = { headings: [], tables: [], html: [], links: [], htmlOut: lexer.parser(tokens) };
    lexer.walkTokens(tokens, (t: Token) => {
      if (t.type === 'heading') out.headings.push({ depth: t.depth as number, text: t.text as string });
      if (t.type === 'table')
        out.tables.push({ header: (t.header as unknown[]).length, rows: (t.rows as unknown[][]).map((r) => r.length) });
      if (t.type === 'html') out.html.push((t.raw as string).trim());
      if (t.type === 'link' || t.type === 'image') out.links.push(t.href as string);
    });
    return out;
  }

  /** Our own tags only, one `<details>` per `<summary>`, every `<details>` closed, in order. */
  function expectOwnHtmlOnly(p: Parsed): void {
    let open = 0;
    for (const h of p.html) {
      if (/^<details><summary>[^<>]*<\/summary>$/.test(h)) open++;
      else if (h === '</details>') {
        open--;
        expect(open, 'a </details> without its <details>').toBeGreaterThanOrEqual(0);
      } else expect(['<sub>', '</sub>'], `raw HTML: ${h}`).toContain(h);
    }
    expect(open, 'unclosed <details>').toBe(0);
    // What a reader's browser gets: no element a guest wrote.
    expect(p.htmlOut).not.toMatch(/<(img|script|b|i|a\s+href="javascript)[\s>]/i);
    expect(p.htmlOut).not.toMatch(/<details open/);
    for (const href of p.links) expect(href).toMatch(/^https?:\/\//);
  }

  it('the mixed report: one h2 verdict, an h3 per cause, 4-column tables, closed <details>', () => {
    const p = parse(renderMarkdown(mixedReport()));
    expect(p.headings[0]).toEqual({ depth: 2, text: '❌ wasm-p2-check: 3 of 8 artifacts break as WASI P2 components' });
    expect(p.headings.filter((h) => h.depth === 2)).toHaveLength(1);
    expect(p.headings.filter((h) => h.depth === 3)).toHaveLength(6);
    expect(p.tables.at(-1)).toEqual({ header: 4, rows: Array(8).fill(4) });
    for (const t of p.tables.slice(0, -1)) expect(t.rows.every((n) => n === 3) && t.header === 3).toBe(true);
    expectOwnHtmlOnly(p);
    expect(p.html).toContain('<sub>');
    expect(p.html.filter((h) => h.startsWith('<details>')).length).toBeGreaterThan(10);
    // The cause lines come before any folded detail.
    const md = renderMarkdown(mixedReport());
    expect(md.indexOf('**Fix:**')).toBeLessThan(md.indexOf('<details>'));
  });

  it('hostile names, output, traps and signature text: no raw HTML, no broken table, nothing left open', () => {
    for (const level of ['full', 'compact', 'table'] as const) {
      const p = parse(renderMarkdownAt(adversarialReport(), level));
      expectOwnHtmlOnly(p);
      expect(p.headings.filter((h) => h.depth <= 2)).toHaveLength(1);
      for (const t of p.tables) expect(t.rows.every((n) => n === t.header)).toBe(true);
    }
  });

  it('grouped, cut and ERROR/NOT-WASI reports stay well formed', () => {
    const results = Array.from({ length: 200 }, (_, i) =>
      i % 7 === 0 ? adversarialResult() : { ...goRegression(), artifact: makeArtifact(`go-${i}.wasm`) },
    );
    const hostileUnknown = {
      ...unknownRegression(),
      unknown: { ...unknownRegression().unknown!, fingerprint: '</summary><img src=x onerror=alert(1)>' },
    };
    const report = makeReport([
      ...results,
      passResult(),
      hostileUnknown,
      makeResult('x.wasm', 'ERROR', { p2: makeRun('p2', { exitCode: null, hostError: 'host <b>crashed</b>' }) }),
    ]);
    for (const maxBytes of [1500, 8000, 65_000]) {
      for (const surface of ['comment', 'job-summary'] as const) {
        const md = renderMarkdown(report, { maxBytes, surface, detailsUrl: 'https://github.com/o/r/actions/runs/1' });
        expect(Buffer.byteLength(md)).toBeLessThanOrEqual(maxBytes);
        const p = parse(md);
        expectOwnHtmlOnly(p);
        expect(p.headings[0]!.depth).toBe(2);
      }
    }
  });
});
