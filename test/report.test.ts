import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
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
    conversion: { ok: false, skipped: false, adapter: { ...BUNDLED_ADAPTER, name: 'adapter<b>@octocat</b>|.wasm' }, error: EVIL_OUTPUT, durationMs: 1 },
    differences: [
      { field: 'stdout', p1: 'a|b\n<img src=x>', p2: '@octocat\r\n```' },
      { field: 'stderr', p1: '', p2: EVIL_OUTPUT },
    ],
    notes: [{ code: 'x|y`z', message: 'note @octocat <b>bold</b> | pipe' }],
    predictions: [{ signatureId: 's', title: 'p <i>', message: 'm @octocat `ok` [x](javascript:y)', confirmed: false }],
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
    unknown: { fingerprint: 'abc`|<b>', summary: '<b>x</b> @octocat', evidence: ['</details>'], proposeUrl: 'https://example.test/new?x=<b>' },
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
      counts: { PASS: 2, REGRESSION: 2, 'CONVERT-FAIL': 1, 'PRE-EXISTING': 1, TIMEOUT: 1, 'INVALID-INPUT': 1 },
      regressions: 3,
      failures: 6,
    });
  });

  it('is all zeros for no results', () => {
    expect(summarize([])).toEqual({
      total: 0,
      counts: { PASS: 0, REGRESSION: 0, 'CONVERT-FAIL': 0, 'PRE-EXISTING': 0, TIMEOUT: 0, 'INVALID-INPUT': 0 },
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
    sandbox: { args: ['prog', 'a'], envKeys: ['FOO'], dirs: [{ host: '/tmp/d', guest: '/d' }], stdin: true, timeoutMs: 1000, outputCapBytes: 100 },
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
    expect(out).toContain('      4. UNSAFE: Replace `random_get` with a fake generator. (hides the symptom, makes randomness predictable: insecure)');
    expect(out).toContain('    predicted: Go ≥ 1.24 heap overwrites the adapter state: Go 1.24.4 without `cabi_realloc`: expected to trap at the first adapter call (confirmed by the run)');
    expect(out).toContain('    note: P1 exited 3, P2 exited 1');
    expect(out).toContain('      exitCode  P1: "0"  P2: "trap"');
    expect(out).toContain('      │ assertion failed at adapter line 2786');
    expect(out).toContain(
      '    runtimes: P1 node:wasi 20.20.2 · P2 preview2-shim 0.26.1 · adapter wasi_snapshot_preview1.command.wasm 33.0.0 (bundled, WASI 0.2.3), sha256 2a652d711c1f',
    );
    expect(out).toContain('diagnosis: no known signature (fingerprint f00dfeed1234)');
    expect(out).toContain('propose a signature: https://github.com/wasm-p2-check/wasm-p2-check/issues/new?');
    expect(out).toContain('    error: truncated: section 10 (code) declares 3536 bytes but only 1551 remain');
    expect(lines.at(-2)).toBe('Result: 2 PASS, 2 REGRESSION, 1 CONVERT-FAIL, 1 PRE-EXISTING, 1 TIMEOUT, 1 INVALID-INPUT. 3 of 8 break as WASI P2 components.');
  });

  it('colours only when asked', () => {
    const out = renderTerminal(mixedReport(), { color: true });
    expect(out).toContain(`${ESC}[32m✔ PASS`);
    expect(out).toContain(`${ESC}[31m✖ REGRESSION`);
    expect(out).toContain(`${ESC}[31mUNSAFE:${ESC}[0m`);
  });

  it('says so when everything passed', () => {
    const out = renderTerminal(makeReport([passResult(), exitCollapsePass()]), { color: false });
    expect(out.trimEnd().split('\n').at(-1)).toBe('Result: 2 PASS. All 2 work as WASI P2 components.');
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
  it('renders the mixed report: heading, table, a section per non-PASS artifact', async () => {
    const md = renderMarkdown(mixedReport());
    await expect(md).toMatchFileSnapshot('__outputs__/mixed.md');
    expectSafe(md);
    expect(md.split('\n')[0]).toBe('## ❌ wasm-p2-check: 3 of 8 artifacts break as WASI P2 components');
    expect(md).toContain('| Artifact | Toolchain | Verdict | Diagnosis |');
    expect(md).toContain('| go124-hello.wasm | Go 1.24.4 | ❌ REGRESSION | Go ≥ 1.24 heap overwrites the adapter state (high) |');
    expect(md).toContain('| c-hello.wasm | clang 14.0.6 (C) | ✅ PASS | — |');
    expect(md).toContain('| mystery.wasm | clang 14.0.6 (C) | ❌ REGRESSION | no known signature (`f00dfeed1234`) |');
    for (const v of ['REGRESSION', 'CONVERT-FAIL', 'PRE-EXISTING', 'TIMEOUT', 'INVALID-INPUT']) expect(md).toMatch(new RegExp(`^### .* ${v}$`, 'm'));
    expect(md).not.toMatch(/^### .*PASS$/m);
    // Diagnosis, workarounds (safe first; the unsafe one flagged with its reason), links, predictions, notes, hosts.
    expect(md).toContain('**Go ≥ 1.24 heap overwrites the adapter state** · high confidence · `go-heap-clobbers-adapter-state`');
    expect(md).toContain('4. ⚠️ **Unsafe:** Replace `random_get` with a fake generator. (hides the symptom, makes randomness predictable: insecure)');
    expect(md.indexOf('1. Build a component directly')).toBeLessThan(md.indexOf('**Unsafe:**'));
    expect(md).toContain('[golang/go#\u200b72123](https://github.com/golang/go/issues/72123)');
    expect(md).toContain('(confirmed by the run)');
    expect(md).toContain('- c-exit3.wasm: P1 exited 3, P2 exited 1');
    expect(md).toContain('**Hosts:** P1 node:wasi 20.20.2 · P2 preview2-shim 0.26.1 · adapter wasi\\_snapshot\\_preview1.command.wasm 33.0.0 (bundled, WASI 0.2.3), sha256 2a652d711c1f');
    expect(md).toContain('<details><summary>P2 stderr (38 bytes)</summary>');
    // Unknown failure: no known signature, fingerprint, evidence, the propose link.
    expect(md).toContain('**No known signature matched.** P2 exited 134 with no trap');
    expect(md).toContain('Fingerprint: `f00dfeed1234`');
    expect(md).toContain('[Propose a signature for this failure](https://github.com/wasm-p2-check/wasm-p2-check/issues/new?template=signature.yml&fingerprint=f00dfeed1234)');
    expect(md).toContain('**Conversion error**');
    expect(md).toContain('**Why:** truncated: section 10 (code) declares 3536 bytes but only 1551 remain');
  });

  it('note-level diagnoses are notes: never the explanation of a failure, never said twice', () => {
    const md = renderMarkdown(mixedReport());
    // mystery.wasm: a note-level match ranked first does not hide the unknown failure.
    expect(md).toContain('| mystery.wasm | clang 14.0.6 (C) | ❌ REGRESSION | no known signature (`f00dfeed1234`) |');
    expect(md).toContain('- **Exit code collapses to 1**: WASI 0.2');
    // c-exit3.wasm: compare/ already noted it with the same code, so it appears once.
    expect(md.match(/c-exit3\.wasm: /g)).toHaveLength(1);
    const pass = exitCollapsePass();
    pass.notes = [];
    const md2 = renderMarkdown(makeReport([pass]));
    expect(md2).toContain('| c-exit3.wasm | clang 14.0.6 (C) | ✅ PASS | note: Exit code collapses to 1 |');
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
    expect(md.split('\n')[0]).toBe('## ⚠️ Wasm &lt;check&gt; @\u200bteam: no regressions; 1 of 2 artifacts need attention');
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
    const many = makeReport(Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? adversarialResult() : { ...goRegression(), artifact: makeArtifact(`go-${i}.wasm`) })));
    const md = renderMarkdown(many, { maxBytes, detailsUrl: 'https://github.com/o/r/actions/runs/1#summary' });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(maxBytes);
    expectSafe(md);
    expect(md.split('\n')[0]).toMatch(/^## ❌ wasm-p2-check: 60 of 60 artifacts break/);
    expect(md).toMatch(/\[the job summary\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1#summary\)/);
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
    expect(c).not.toContain('<details>');
    expect(c).toContain('_Guest output and backtraces are left out to fit');
    const t = renderMarkdown(report, { maxBytes: Buffer.byteLength(compact) - 1 });
    expect(t).toBe(tableOnly);
    expect(t).not.toContain('###');
    const cut = renderMarkdown(report, { maxBytes: 1500, detailsUrl: 'https://example.test/s' });
    await expect(cut).toMatchFileSnapshot('__outputs__/truncated.md');
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(1500);
    expect(cut).toMatch(/\*\*⚠️ This report was cut to fit GitHub's size limit: see \[the job summary\]\(https:\/\/example\.test\/s\) for the full report\.\*\*\n$/);
    expectSafe(cut);
  });

  it('writes the terminal rendering next to the Markdown examples', async () => {
    await expect(renderTerminal(mixedReport(), { color: false })).toMatchFileSnapshot('__outputs__/mixed.terminal.txt');
  });
});
