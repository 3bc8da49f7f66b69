#!/usr/bin/env node
import { createRequire as __wpc_createRequire } from 'node:module';
import { fileURLToPath as __wpc_fileURLToPath } from 'node:url';
import { dirname as __wpc_dirname } from 'node:path';
var require = __wpc_createRequire(import.meta.url);
var __filename = __wpc_fileURLToPath(import.meta.url);
var __dirname = __wpc_dirname(__filename);
import {
  VERDICTS,
  VERSION,
  __toESM,
  adapterLabel,
  buildCheckOptions,
  cacheLine,
  check,
  cliOptions,
  countsLine,
  directoryStore,
  explain,
  guestStreams,
  logSafe,
  logSafeLine,
  mergeReports,
  mergedLine,
  neutralizeCommands,
  orderWorkarounds,
  parseReport,
  predictionStatus,
  provenanceLabel,
  readBoundedLog,
  readOption,
  renderExplainFindings,
  renderExplanationJson,
  renderJson,
  renderMarkdown,
  reportFails,
  require_semver,
  runtimeLabel,
  sanitizeGuestText,
  splitDiagnoses,
  statusSentence,
  toolchainLabel,
  unknownSummary,
  userCacheDir
} from "./chunk-CMP6XZIR.js";

// src/cli/index.ts
import { createReadStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

// src/cli/args.ts
var import_semver = __toESM(require_semver(), 1);
import { parseArgs } from "node:util";
var UsageError = class extends Error {
};
var GROUP_TITLES = {
  Runtime: "Runtime",
  "Guest sandbox": "Guest sandbox (the same for the P1 and the P2 run; nothing else is inherited)",
  "Diagnosis and output": "Diagnosis and output",
  "Speed and matrix jobs": "Speed and matrix jobs"
};
function helpText() {
  const sections = [];
  for (const [group, title] of Object.entries(GROUP_TITLES)) {
    const rows = cliOptions().filter((o) => o.cli.group === group).map(({ cli }) => {
      const label = `${cli.short ? `-${cli.short}, ` : ""}--${cli.flag}${cli.value ? ` ${cli.value}` : ""}`;
      const [first, ...rest] = cli.help.split("\n");
      return [`  ${label.padEnd(22)} ${first}`, ...rest.map((l) => `${" ".repeat(25)}${l}`)].join("\n");
    });
    sections.push(`${title}
${rows.join("\n")}`);
  }
  return `Usage: wasm-p2-check [options] <artifact globs\u2026>
       wasm-p2-check explain <log file | -> [--module FILE] [--adapter-version V] [--json | --markdown]
       wasm-p2-check merge <report.json\u2026> [--json FILE] [--markdown FILE] [--fail-on WHAT]

Checks that WASI Preview 1 wasm modules still work once converted to WASI Preview 2
components, and explains failures. Exit status: 0 nothing fails, 1 an artifact fails
(see --fail-on), 2 usage error (bad option, nothing matched, a runtime, wasmtime or
adapter that cannot be had).

${sections.join("\n")}
  -h, --help             this text
  -v, --version          print the version
`;
}
var HELP = helpText();
var checkSpec = {
  ...Object.fromEntries(
    cliOptions().map(({ kind, cli }) => [
      cli.flag,
      { type: kind === "flag" ? "boolean" : "string", multiple: kind === "list", ...cli.short ? { short: cli.short } : {} }
    ])
  ),
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" }
};
var explainSpec = {
  module: { type: "string" },
  signatures: { type: "string", multiple: true },
  /** wasmtime release of the adapter that produced the log: pins what `adapter line N` means. */
  "adapter-version": { type: "string" },
  json: { type: "boolean" },
  markdown: { type: "boolean" },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" }
};
function parseStrict(argv, options) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(e.message);
  }
}
function parseExplain(argv) {
  const { values: v, positionals } = parseStrict(argv, explainSpec);
  if (v.help) return { kind: "help" };
  const log = positionals[0];
  if (!log || positionals.length > 1) throw new UsageError("explain takes one log file (or - for stdin)");
  const color = v["no-color"] ? false : v.color ? true : void 0;
  if (v.json && v.markdown) throw new UsageError("explain: --json and --markdown exclude each other");
  const adapterVersion = v["adapter-version"];
  if (adapterVersion !== void 0 && import_semver.default.valid(import_semver.default.coerce(adapterVersion)) === null) {
    throw new UsageError(`explain: --adapter-version '${adapterVersion}': expected a wasmtime release such as 33.0.0`);
  }
  const format = v.json ? "json" : v.markdown ? "markdown" : "terminal";
  return { kind: "explain", log, module: v.module, signatureDirs: v.signatures ?? [], adapterVersion, format, color };
}
var MERGE_OPTIONS = ["json", "markdown", "fail-on", "color", "no-color"];
function parseMerge(argv, cwd) {
  const spec = Object.fromEntries(
    Object.entries(checkSpec).filter(([flag]) => MERGE_OPTIONS.includes(flag) || flag === "help")
  );
  const { values, positionals } = parseStrict(argv, spec);
  if (values.help) return { kind: "help" };
  const read = (name) => readOption(name, values[name], { cwd }, (text, expected) => new UsageError(`--${name} '${text}': ${expected}`));
  if (positionals.length === 0) throw new UsageError("merge takes the JSON reports to merge (e.g. wasm-p2-check merge reports/*.json)");
  return {
    kind: "merge",
    reports: positionals,
    json: read("json") || void 0,
    markdown: read("markdown") || void 0,
    failOn: read("fail-on"),
    color: read("no-color") ? false : read("color") ? true : void 0
  };
}
function parseCli(argv, cwd = process.cwd()) {
  if (argv[0] === "explain") return parseExplain(argv.slice(1));
  if (argv[0] === "merge") return parseMerge(argv.slice(1), cwd);
  const { values, positionals } = parseStrict(argv, checkSpec);
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const flagOf2 = new Map(cliOptions().map((o) => [o.name, o.cli.flag]));
  const read = (name) => readOption(
    name,
    values[flagOf2.get(name) ?? ""],
    { cwd },
    (text, expected) => new UsageError(`--${flagOf2.get(name)} '${text}': ${expected}`)
  );
  if (positionals.length === 0) throw new UsageError("no artifacts given (e.g. wasm-p2-check build/*.wasm)");
  const { cwd: _cwd, ...options } = buildCheckOptions(read, positionals, cwd);
  const label = read("label");
  const cacheDir = read("cache-dir");
  return {
    kind: "check",
    options: { ...options, keepWorkDir: read("keep-work-dir"), ...label ? { label } : {} },
    cache: !read("no-cache"),
    ...cacheDir ? { cacheDir } : {},
    json: read("json") || void 0,
    markdown: read("markdown") || void 0,
    failOn: read("fail-on"),
    color: read("no-color") ? false : read("color") ? true : void 0,
    quiet: read("quiet")
  };
}
function flagOf(option) {
  const o = cliOptions().find((c) => c.name === option);
  return o ? `--${o.cli.flag}` : option;
}

// src/report/terminal.ts
var ANSI = {
  reset: "\x1B[0m",
  bold: "\x1B[1m",
  dim: "\x1B[2m",
  red: "\x1B[31m",
  green: "\x1B[32m",
  yellow: "\x1B[33m",
  cyan: "\x1B[36m"
};
var VERDICT_STYLE = {
  PASS: { mark: "\u2714", style: "green" },
  REGRESSION: { mark: "\u2716", style: "red" },
  "CONVERT-FAIL": { mark: "\u2716", style: "red" },
  "PRE-EXISTING": { mark: "!", style: "yellow" },
  TIMEOUT: { mark: "\u29D7", style: "yellow" },
  "INVALID-INPUT": { mark: "!", style: "yellow" },
  "NOT-WASI": { mark: "-", style: "cyan" },
  ERROR: { mark: "\u2716", style: "red" }
};
var HEAD_LINES = 5;
var TAIL_LINES = 20;
var GUEST_CHARS = 4e3;
function renderTerminal(report, opts) {
  const c = (style, text) => opts.color ? `${ANSI[style]}${text}${ANSI.reset}` : text;
  const out = [];
  const rt = report.runtime;
  out.push(
    `${c("bold", `${report.tool.name} ${report.tool.version}`)}: ${report.summary.total} artifact${report.summary.total === 1 ? "" : "s"} \xB7 runtime ${oneLine(rt.requested)} (P1 ${oneLine(runtimeLabel(rt.p1))}, P2 ${oneLine(runtimeLabel(rt.p2))})`
  );
  const merged = mergedLine(report);
  if (merged) out.push(c("dim", oneLine(merged)));
  if (report.shard) out.push(c("dim", `shard ${report.shard.index}/${report.shard.count}`));
  out.push("");
  if (report.configurationError) {
    out.push(
      `${c("red", "configuration error:")} ${oneLine(report.configurationError.option)}: ${oneLine(report.configurationError.message)}`,
      ""
    );
  }
  for (const w of report.warnings ?? []) out.push(`${c("yellow", "warning:")} ${oneLine(w.message)}`);
  if (report.warnings?.length) out.push("");
  const width = Math.min(40, Math.max(0, ...report.results.map((r) => oneLine(r.artifact.path).length)));
  for (const r of report.results) {
    const v = VERDICT_STYLE[r.verdict];
    const path2 = oneLine(r.artifact.path);
    const tc = toolchainLabel(r);
    const from = provenanceLabel(r);
    out.push(
      `${c(v.style, `${v.mark} ${r.verdict.padEnd(13)}`)} ${c("bold", path2)}${" ".repeat(Math.max(1, width - path2.length + 2))}${c("dim", oneLine(tc))}` + (from ? ` ${c("dim", `[${oneLine(from)}]`)}` : "")
    );
    if (r.verdict === "PASS") {
      for (const n of r.notes) out.push(`    ${c("dim", "note:")} ${oneLine(n.message)}`);
      for (const d of splitDiagnoses(r).notes) out.push(`    ${c("dim", "note:")} ${noteDiagnosis(d)}`);
      continue;
    }
    out.push(...details(r, report, c).map((l) => l ? `    ${l}` : l), "");
  }
  if (out[out.length - 1] !== "") out.push("");
  const s = report.summary;
  const counts = countsLine(s.counts, VERDICTS) || "nothing checked";
  const sentence = statusSentence(s);
  const colour = s.total === 0 || s.regressions === 0 && s.failures > 0 ? "yellow" : s.regressions > 0 ? "red" : "green";
  const status = c(colour, `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`);
  const cache = cacheLine(report);
  if (cache) out.push(c("dim", cache));
  out.push(`${c("bold", "Result:")} ${counts}. ${status}`);
  return `${out.join("\n")}
`;
}
function details(r, report, c) {
  const out = [];
  if (r.verdict === "INVALID-INPUT" && r.artifact.error) out.push(`${c("yellow", "error:")} ${oneLine(r.artifact.error)}`);
  if (r.conversion && !r.conversion.ok && r.conversion.error) {
    out.push(`${c("red", "conversion failed:")}`, ...guestBlock(r.conversion.error));
  }
  const { failures, notes: noteDiagnoses } = splitDiagnoses(r);
  const [top, ...others] = failures;
  if (top) out.push(...diagnosis(top, c));
  else if (r.unknown) {
    out.push(
      `${c("bold", "diagnosis:")} no known signature (fingerprint ${oneLine(r.unknown.fingerprint)}): ${oneLine(unknownSummary(r.unknown.summary))}`
    );
    for (const e of r.unknown.evidence) out.push(`  - ${oneLine(e)}`);
    out.push(`  propose a signature: ${oneLine(r.unknown.proposeUrl, 1e5)}`);
  }
  if (others.length) out.push(`${c("dim", "other candidates:")} ${others.map((d) => `${oneLine(d.title)} (${d.confidence})`).join("; ")}`);
  for (const p of r.predictions) out.push(`${c("cyan", "predicted:")} ${oneLine(p.title)}: ${oneLine(p.message)} (${predictionStatus(p)})`);
  for (const n of r.notes) out.push(`${c("cyan", "note:")} ${oneLine(n.message)}`);
  for (const d of noteDiagnoses) out.push(`${c("cyan", "note:")} ${noteDiagnosis(d)}`);
  if (r.differences.length) {
    out.push(c("bold", "differences:"));
    const w = Math.max(...r.differences.map((d) => d.field.length));
    for (const d of r.differences) out.push(`  ${d.field.padEnd(w)}  P1: ${quote(d.p1)}  P2: ${quote(d.p2)}`);
  }
  const trap = r.p2?.trap ?? r.p1?.trap;
  if (trap) {
    out.push(`${c("red", `${r.p2?.trap ? "P2" : "P1"} trap (${trap.kind}):`)} ${oneLine(trap.message)}`);
    if (trap.adapterLine) out.push(`  ${oneLine(trap.adapterLine.text)}`);
    for (const f of trap.frames.slice(0, 8)) out.push(`  ${c("dim", `#${f.index}`)} ${oneLine(f.name)} ${c("dim", `[${f.origin}]`)}`);
    if (trap.frames.length > 8) out.push(`  \u2026 ${trap.frames.length - 8} more frames`);
  }
  for (const run of [r.p1, r.p2]) {
    if (run?.harnessError) out.push(`${c("yellow", `${run.phase.toUpperCase()} harness error:`)} ${oneLine(run.harnessError)}`);
  }
  out.push(...outputs(r, c));
  if (!r.p1 && !r.p2 && !r.conversion) return out;
  const hosts = [
    `P1 ${oneLine(runtimeLabel(r.p1?.runtime ?? report.runtime.p1))}`,
    `P2 ${oneLine(runtimeLabel(r.p2?.runtime ?? report.runtime.p2))}`
  ];
  if (r.conversion?.adapter) hosts.push(`adapter ${oneLine(adapterLabel(r.conversion.adapter))}`);
  out.push(`${c("dim", "runtimes:")} ${hosts.join(" \xB7 ")}`);
  return out;
}
function diagnosis(d, c) {
  const out = [
    `${c("bold", "diagnosis:")} ${c("bold", oneLine(d.title))} (${d.confidence} confidence, ${oneLine(d.signatureId)})`,
    `cause: ${oneLine(d.cause)}`
  ];
  if (d.workarounds.length) {
    out.push("workarounds (best first):");
    orderWorkarounds(d.workarounds).forEach((w, i) => {
      const why = w.why ? ` (${oneLine(w.why)})` : "";
      out.push(w.safe ? `  ${i + 1}. ${oneLine(w.text)}${why}` : `  ${i + 1}. ${c("red", "UNSAFE:")} ${oneLine(w.text)}${why}`);
    });
  }
  if (d.evidence.length) {
    out.push("evidence:");
    for (const e of d.evidence) out.push(`  - ${oneLine(e)}`);
  }
  for (const l of d.links) out.push(`${c("dim", "see:")} ${oneLine(l.title)} ${oneLine(l.url, 1e5)}`);
  return out;
}
function renderExplanation(result, opts) {
  const c = (style, text) => opts.color ? `${ANSI[style]}${text}${ANSI.reset}` : text;
  const out = [];
  const trap = result.trap;
  if (trap) {
    out.push(`${c("bold", "trap:")} ${oneLine(trap.kind)} \u2014 ${oneLine(trap.message)} ${c("dim", `(${oneLine(trap.format)})`)}`);
    if (trap.adapterLine) out.push(`  adapter: ${oneLine(trap.adapterLine.text)}`);
    const frames = trap.frames.slice(0, 8);
    for (const f of frames) out.push(c("dim", `  #${f.index} ${oneLine(f.name)} [${f.origin}]`));
    if (trap.frames.length > frames.length) out.push(c("dim", `  \u2026 ${trap.frames.length - frames.length} more frames`));
  } else out.push(`${c("bold", "trap:")} none recognised in the log`);
  if (result.artifact) {
    const tc = result.artifact.module?.toolchain;
    out.push(
      `${c("bold", "module:")} ${oneLine(result.artifact.path)}${tc ? ` \u2014 ${oneLine(`${tc.language}${tc.version ? ` ${tc.version}` : ""}`)}` : ""}`
    );
  }
  out.push("");
  const failures = result.diagnoses.filter((d) => d.severity !== "note");
  const notes = result.diagnoses.filter((d) => d.severity === "note");
  const [best, ...rest] = [...failures, ...notes];
  if (best) out.push(...best.severity === "note" ? [`${c("dim", "note:")} ${noteDiagnosis(best)}`] : diagnosis(best, c));
  if (rest.length) {
    out.push("", c("bold", "also matching (less specific):"));
    for (const d of rest) out.push(`  - ${oneLine(d.title)} (${d.confidence} confidence, score ${d.score}, ${oneLine(d.signatureId)})`);
  }
  if (result.unknown) {
    const u = result.unknown;
    out.push(`${c("bold", "no known signature")} ${c("dim", `(fingerprint ${u.fingerprint})`)}: ${oneLine(unknownSummary(u.summary))}`);
    for (const e of u.evidence) out.push(`  - ${oneLine(e)}`);
    out.push(`propose a signature: ${oneLine(u.proposeUrl, 1e5)}`);
  }
  if (!best && !result.unknown) out.push("Nothing to diagnose: the log shows no failure.");
  return `${out.join("\n")}
`;
}
function noteDiagnosis(d) {
  const w = orderWorkarounds(d.workarounds)[0];
  return `${oneLine(d.title)}: ${oneLine(d.cause)}${w ? ` ${oneLine(w.text)}` : ""} (${oneLine(d.signatureId)})`;
}
function outputs(r, c) {
  return guestStreams(r).flatMap(({ label, output: output2 }) => [
    c("dim", `${label} (${output2.bytes} bytes${output2.truncated ? ", truncated" : ""}):`),
    ...guestBlock(output2.text)
  ]);
}
function guestBlock(text) {
  let lines = sanitizeGuestText(text, GUEST_CHARS).replace(/\n$/, "").split("\n");
  if (lines.length > HEAD_LINES + TAIL_LINES + 1) {
    lines = [...lines.slice(0, HEAD_LINES), `\u2026 ${lines.length - HEAD_LINES - TAIL_LINES} lines omitted \u2026`, ...lines.slice(-TAIL_LINES)];
  }
  return lines.map((l) => `  \u2502 ${l}`);
}
function oneLine(text, max = 2e3) {
  return sanitizeGuestText(text, max).replace(/\n/g, "\u23CE").replace(/\t/g, " ");
}
function quote(value) {
  return JSON.stringify(oneLine(value, 120).replace(/⏎/g, "\n")).replace(/\\u001b/g, "");
}

// src/cli/index.ts
async function main(argv) {
  const command = parseCli(argv);
  switch (command.kind) {
    case "help":
      process.stdout.write(HELP);
      return 0;
    case "version":
      process.stdout.write(`wasm-p2-check ${VERSION}
`);
      return 0;
    case "explain": {
      const logText = await readBoundedLog(command.log === "-" ? process.stdin : createReadStream(command.log)).catch((e) => {
        throw new UsageError(`explain: cannot read ${command.log}: ${e.message}`);
      });
      const result = await explain({
        logText,
        modulePath: command.module,
        signatureDirs: command.signatureDirs,
        adapterVersion: command.adapterVersion
      });
      if (command.format === "json") process.stdout.write(renderExplanationJson(result));
      else if (command.format === "markdown")
        process.stdout.write(
          `${renderExplainFindings([{ block: 0, result }], true) || "Nothing to diagnose: the log shows no failure."}
`
        );
      else process.stdout.write(neutralizeCommands(renderExplanation(result, { color: command.color ?? process.stdout.isTTY === true })));
      return 0;
    }
    case "check": {
      const onProgress = command.quiet ? void 0 : progressPrinter();
      const cacheRoot = command.cacheDir ?? userCacheDir(process.env);
      const cache = command.cache ? directoryStore(path.join(cacheRoot, "results")) : void 0;
      const wasmtime = command.cache ? { ...command.options.wasmtime, compileCacheDir: path.join(cacheRoot, "compiled") } : command.options.wasmtime;
      const report = await check({ ...command.options, ...wasmtime ? { wasmtime } : {}, cwd: process.cwd(), onProgress, cache });
      return emit(report, command);
    }
    case "merge": {
      const inputs = [];
      for (const file of command.reports) {
        const text = await readFile(file, "utf8").catch((e) => {
          throw new UsageError(`merge: cannot read ${file}: ${e.message}`);
        });
        try {
          inputs.push({ source: path.basename(file).replace(/\.json$/, ""), report: parseReport(text) });
        } catch (e) {
          throw new UsageError(`merge: ${file}: ${e.message}`);
        }
      }
      let report;
      try {
        report = mergeReports(inputs);
      } catch (e) {
        throw new UsageError(`merge: ${e.message}`);
      }
      return emit(report, command);
    }
  }
}
async function emit(report, command) {
  if (command.json) await output(command.json, renderJson(report));
  if (command.markdown) await output(command.markdown, renderMarkdown(report, {}));
  if (report.configurationError) {
    throw new UsageError(`${flagOf(report.configurationError.option)}: ${report.configurationError.message}`);
  }
  if (command.json !== "-" && command.markdown !== "-") {
    process.stdout.write(neutralizeCommands(renderTerminal(report, { color: command.color ?? process.stdout.isTTY === true })));
  }
  return reportFails(report, command.failOn) ? 1 : 0;
}
function progressPrinter() {
  const started = Date.now();
  return (event) => {
    const t = ((Date.now() - started) / 1e3).toFixed(1).padStart(5);
    if (!event.artifact) {
      if (event.message) process.stderr.write(`[${t}s] ${logSafeLine(event.message)}
`);
      return;
    }
    const name = logSafeLine(event.artifact);
    if (event.stage === "done") process.stderr.write(`[${t}s] ${name}: ${logSafeLine(event.message ?? "done")}
`);
    else if (process.stderr.isTTY) process.stderr.write(`[${t}s] ${name}: ${event.stage}\u2026
`);
  };
}
async function output(target, text) {
  if (target === "-") process.stdout.write(text.endsWith("\n") ? text : `${text}
`);
  else await writeFile(target, text);
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    if (e instanceof UsageError) {
      process.stderr.write(`wasm-p2-check: ${logSafe(e.message)}
(see wasm-p2-check --help)
`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`wasm-p2-check: ${logSafe(e instanceof Error ? e.message : String(e))}
`);
      process.exitCode = 2;
    }
  }
);
