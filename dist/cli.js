#!/usr/bin/env node
import { createRequire as __wpc_createRequire } from 'node:module';
import { fileURLToPath as __wpc_fileURLToPath } from 'node:url';
import { dirname as __wpc_dirname } from 'node:path';
var require = __wpc_createRequire(import.meta.url);
var __filename = __wpc_fileURLToPath(import.meta.url);
var __dirname = __wpc_dirname(__filename);
import {
  REPORT_FORMATS,
  VERDICTS,
  VERDICT_TABLE,
  VERSION,
  adapterLabel,
  baseName,
  baselineLine,
  baselineReport,
  buildCheckOptions,
  cacheLine,
  changeGroups,
  changeHeadline,
  check,
  cliOptions,
  compareWithBaseline,
  countsLine,
  directoryStore,
  explain,
  failOnNotice,
  guestStreams,
  loadSignatures,
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
  readSavedReport,
  rederiveReport,
  renderExplainFindings,
  renderExplanationJson,
  renderVersionsJson,
  renderVersionsMarkdown,
  renderVersionsTerminal,
  reportFails,
  reportToStdout,
  require_semver,
  runVersions,
  runtimeLabel,
  sanitizeGuestText,
  shortSha,
  splitDiagnoses,
  statusSentence,
  toolchainLabel,
  unknownSummary,
  userCacheDir,
  versionsBreak,
  wasOnBaseline
} from "./chunk-SQSK4GBO.js";
import "./chunk-3A37YRZA.js";
import {
  prettyMilliseconds
} from "./chunk-DN4BZCH7.js";
import {
  __toESM
} from "./chunk-XTXLJBGL.js";

// src/cli/index.ts
import { createReadStream, existsSync as existsSync2 } from "node:fs";
import { writeFile } from "node:fs/promises";
import path2 from "node:path";

// src/cli/args.ts
var import_semver = __toESM(require_semver(), 1);
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
var UsageError = class extends Error {
};
var GROUP_TITLES = {
  Runtime: "Runtime",
  "Guest sandbox": "Guest sandbox (the same for the P1 and the P2 run; nothing else is inherited)",
  "Diagnosis and output": "Diagnosis and output",
  "Speed and matrix jobs": "Speed and matrix jobs",
  "Release matrix": "Release matrix (wasm-p2-check versions: every option above applies to each release's check)"
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
       wasm-p2-check diff <base.json> <report.json> [--json FILE] [--markdown FILE] [--fail-on WHAT]
       wasm-p2-check versions --releases V,V\u2026 [--bisect] [options] <artifact globs\u2026>

Checks that WASI Preview 1 wasm modules still work once converted to WASI Preview 2
components, and explains failures. Exit status: 0 nothing fails, 1 an artifact fails
(see --fail-on), 2 usage error (bad option, unknown command, a path that does not exist,
a glob that matches nothing, both reports to stdout, a runtime, wasmtime or adapter
that cannot be had).

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
function closest(word, known) {
  let best;
  for (const name of known) {
    const d = distance(word.slice(0, 40), name);
    if (d <= 2 && d < word.length && (!best || d < best.d)) best = { name, d };
  }
  if (best) return best.name;
  const prefixed = word.length >= 3 ? known.filter((k) => k.startsWith(word)) : [];
  return prefixed.length === 1 ? prefixed[0] : void 0;
}
function parseStrict(argv, options, guestArgs = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const { code, message } = e;
    const named = /^(?:Unknown option|Option) '(?:-\w, )?(-{1,2}[^' <=,]+)/.exec(message)?.[1];
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && named) {
      const flags = Object.keys(options ?? {});
      const near = named.startsWith("--") ? closest(named.slice(2), flags) : void 0;
      const hint = near ? ` \u2014 did you mean --${near}?` : guestArgs ? ` (an argument for the guest that starts with '-' is given as --arg=${named})` : "";
      throw new UsageError(`unknown option ${named}${hint}`);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && named) {
      throw new UsageError(/does not take an argument/.test(message) ? `${named} takes no value` : `${named} needs a value`);
    }
    throw new UsageError(message);
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
var MERGE_OPTIONS = ["json", "markdown", "output", "fail-on", "color", "no-color"];
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
    outputs: readOutputs(read, cwd),
    failOn: read("fail-on"),
    color: read("no-color") ? false : read("color") ? true : void 0
  };
}
function parseDiff(argv, cwd) {
  const spec = Object.fromEntries(
    Object.entries(checkSpec).filter(([flag]) => MERGE_OPTIONS.includes(flag) || flag === "help")
  );
  const { values, positionals } = parseStrict(argv, spec);
  if (values.help) return { kind: "help" };
  const read = (name, given = values[name]) => readOption(name, given, { cwd }, (text, expected) => new UsageError(`--${name} '${text}': ${expected}`));
  if (positionals.length !== 2) throw new UsageError("diff takes two JSON reports: the baseline, then the report to compare with it");
  return {
    kind: "diff",
    baseline: positionals[0],
    report: positionals[1],
    outputs: readOutputs((name) => read(name), cwd),
    failOn: read("fail-on", values["fail-on"] ?? "new"),
    color: read("no-color") ? false : read("color") ? true : void 0
  };
}
var COMMANDS = ["explain", "merge", "diff", "versions"];
var VERSIONS_ONLY = ["releases", "bisect-releases", "release-data"];
function distance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}
function notACommand(first, cwd, exists) {
  if (first === void 0 || !/^[a-z][a-z0-9-]{0,31}$/i.test(first) || exists(path.resolve(cwd, first))) return void 0;
  const near = closest(first.toLowerCase(), COMMANDS);
  return new UsageError(
    `'${first}' is not a command or a file${near ? ` \u2014 did you mean '${near}'?` : ""} (commands: ${COMMANDS.join(", ")}; anything else is an artifact path or glob)`
  );
}
function readOutputs(read, cwd) {
  const outputs2 = [];
  for (const format of ["json", "markdown"]) {
    const file = read(format);
    if (file) outputs2.push({ format, path: file, given: `--${format}` });
  }
  for (const o of read("output")) {
    outputs2.push({ ...o, given: `--output ${o.format}=\u2026` });
  }
  const artifactLike = outputs2.find((o) => /\.wasm$/i.test(o.path));
  if (artifactLike) {
    throw new UsageError(
      `${artifactLike.given} '${artifactLike.path}': a .wasm file would be overwritten by the report (name a report file)`
    );
  }
  const where = (o) => o.path === "-" ? "-" : path.resolve(cwd, o.path);
  for (const [i, a] of outputs2.entries()) {
    const b = outputs2.slice(i + 1).find((o) => where(o) === where(a));
    if (b) {
      throw new UsageError(
        `${a.given} and ${b.given} both write to ${a.path === "-" ? "stdout" : `'${a.path}'`}: give each its own file (at most one '-')`
      );
    }
  }
  return outputs2;
}
var pathOf = (outputs2, format) => outputs2.find((o) => o.format === format)?.path;
function parseCli(argv, cwd = process.cwd(), exists = existsSync) {
  if (argv[0] === "explain") return parseExplain(argv.slice(1));
  if (argv[0] === "merge") return parseMerge(argv.slice(1), cwd);
  if (argv[0] === "diff") return parseDiff(argv.slice(1), cwd);
  if (argv[0] === "versions") return parseVersions(argv.slice(1), cwd, exists);
  const parsed = parseCheckArgs(argv, cwd, exists);
  if (parsed.kind !== "check") return parsed;
  const given = VERSIONS_ONLY.find((name) => parsed.given(name));
  if (given)
    throw new UsageError(`${flagOf(given)} is an option of 'wasm-p2-check versions' (e.g. wasm-p2-check versions ${flagOf(given)} \u2026)`);
  return parsed.command;
}
function parseVersions(argv, cwd, exists) {
  const parsed = parseCheckArgs(argv, cwd, exists, "versions");
  if (parsed.kind !== "check") return parsed;
  const { command, read } = parsed;
  const releases = read("releases");
  if (releases.length === 0)
    throw new UsageError("versions needs --releases (e.g. wasm-p2-check versions --releases 33.0.0,47.0.0 build/*.wasm)");
  if (command.baseline) throw new UsageError("versions: --baseline belongs to a plain check (compare one run with a saved report)");
  if (command.options.adapter && command.options.adapter.kind !== "auto") {
    throw new UsageError("versions: --adapter is chosen per release (each release's adapter); leave it out");
  }
  const { failOn: _failOn, kind: _kind, ...rest } = command;
  return { ...rest, kind: "versions", releases, bisect: read("bisect-releases"), releaseData: read("release-data") };
}
function parseCheckArgs(argv, cwd, exists, sub) {
  const { values, positionals } = parseStrict(argv, checkSpec, true);
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const flagOf2 = new Map(cliOptions().map((o) => [o.name, o.cli.flag]));
  const read = (name) => readOption(
    name,
    values[flagOf2.get(name) ?? ""],
    { cwd },
    (text, expected) => new UsageError(`--${flagOf2.get(name)} '${text}': ${expected}`)
  );
  if (positionals.length === 0) throw new UsageError(`no artifacts given (e.g. wasm-p2-check ${sub ? `${sub} \u2026 ` : ""}build/*.wasm)`);
  const misuse = sub ? void 0 : notACommand(argv[0] === positionals[0] ? positionals[0] : void 0, cwd, exists);
  if (misuse) throw misuse;
  const late = sub ? void 0 : COMMANDS.find((c) => c === positionals[0]);
  if (late && !exists(path.resolve(cwd, late))) {
    throw new UsageError(`'${late}' is a command: give it first, then its options (wasm-p2-check ${late} \u2026)`);
  }
  const outputs2 = readOutputs(read, cwd);
  const { cwd: _cwd, ...options } = buildCheckOptions(read, positionals, cwd);
  const label = read("label");
  const cacheDir = read("cache-dir");
  const baseline = read("baseline");
  if (baseline?.kind === "auto") {
    throw new UsageError("--baseline 'auto' is the Action's (it restores the base branch's report): give a JSON report file");
  }
  return {
    kind: "check",
    read,
    given: (name) => values[flagOf2.get(name) ?? ""] !== void 0,
    command: {
      kind: "check",
      options: { ...options, keepWorkDir: read("keep-work-dir"), ...label ? { label } : {} },
      cache: !read("no-cache"),
      ...cacheDir ? { cacheDir } : {},
      ...baseline?.kind === "file" ? { baseline: baseline.path } : {},
      outputs: outputs2,
      json: pathOf(outputs2, "json"),
      markdown: pathOf(outputs2, "markdown"),
      failOn: read("fail-on"),
      color: read("no-color") ? false : read("color") ? true : void 0,
      quiet: read("quiet")
    }
  };
}
function flagOf(option) {
  const o = cliOptions().find((c) => c.name === option);
  return o ? `--${o.cli.flag}` : option;
}

// src/cli/color.ts
function useColor(flag, env, isTTY) {
  if (flag !== void 0) return flag;
  const force = env.FORCE_COLOR;
  if (force !== void 0) return !/^(0|false)$/i.test(force.trim());
  if (env.NO_COLOR !== void 0 && env.NO_COLOR !== "") return false;
  return isTTY && env.TERM !== "dumb";
}

// src/cli/progress.ts
var CLEAR_LINE = "\r\x1B[2K";
var duration = (ms) => {
  const whole = Math.round(Math.max(0, ms) / 1e3) * 1e3;
  return whole === 0 ? "0s" : prettyMilliseconds(whole);
};
function progressPrinter(out, now = Date.now, tick = 1e3) {
  const started = now();
  const stamp = () => `[${((now() - started) / 1e3).toFixed(1).padStart(5)}s]`;
  if (!out.isTTY) {
    return {
      onEvent(event) {
        if (!event.artifact) {
          if (event.message) out.write(`${stamp()} ${logSafeLine(event.message)}
`);
        } else if (event.stage === "done")
          out.write(`${stamp()} ${logSafeLine(event.artifact)}: ${logSafeLine(event.message ?? "done")}
`);
      },
      end() {
      }
    };
  }
  let total;
  let done = 0;
  const running = /* @__PURE__ */ new Map();
  let shown = false;
  const status = () => {
    const elapsed = now() - started;
    const parts = [total === void 0 ? `${done} done` : `${done}/${total} done`, `${duration(elapsed)} elapsed`];
    if (total !== void 0 && done > 0 && done < total) parts.push(`ETA ${duration(elapsed / done * (total - done))}`);
    const current = [...running].at(-1);
    if (current) parts.push(`${logSafeLine(current[0])}: ${current[1]}`);
    const line = parts.join(" \xB7 ");
    const width = Math.max(20, (out.columns || 80) - 1);
    return line.length > width ? `${line.slice(0, width - 1)}\u2026` : line;
  };
  const draw = () => {
    out.write(`${CLEAR_LINE}${status()}`);
    shown = true;
  };
  const clock = tick > 0 ? setInterval(draw, tick) : void 0;
  clock?.unref();
  return {
    onEvent(event) {
      if (event.total !== void 0) total = event.total;
      if (!event.artifact) {
        if (event.message) out.write(`${CLEAR_LINE}${stamp()} ${logSafeLine(event.message)}
`);
      } else if (event.stage === "done") {
        done++;
        running.delete(event.artifact);
      } else {
        running.set(event.artifact, event.stage);
      }
      draw();
    },
    end() {
      if (clock) clearInterval(clock);
      if (shown) out.write(CLEAR_LINE);
    }
  };
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
var SEVERITY_STYLE = { ok: "green", fail: "red", warn: "yellow", info: "cyan" };
var VERDICT_STYLE = Object.fromEntries(
  VERDICTS.map((v) => [v, { mark: VERDICT_TABLE[v].mark, style: SEVERITY_STYLE[VERDICT_TABLE[v].severity] }])
);
var HEAD_LINES = 5;
var TAIL_LINES = 20;
var GUEST_CHARS = 4e3;
function renderTerminal(report, opts) {
  const c = (style, text) => opts.color ? `${ANSI[style]}${text}${ANSI.reset}` : text;
  const out = [];
  const rt = report.runtime;
  const change = report.baseline ? changeGroups(report) : void 0;
  if (report.baseline) {
    const colour2 = change.newFailures.length ? "red" : "green";
    out.push(
      `${c("bold", "Change:")} ${c(colour2, changeHeadline(report))}${report.commit ? ` \xB7 ${shortSha(report.commit)}` : ""} \xB7 ${oneLine(baselineLine(report))}`
    );
    for (const d of report.baseline.differences) out.push(c("dim", `baseline differs: ${oneLine(d)}`));
  }
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
  const ordered = change ? [...change.newFailures, ...change.changed, ...change.fixed, ...change.passing, ...change.stillFailing] : report.results;
  for (const r of ordered) {
    const v = VERDICT_STYLE[r.verdict];
    const path3 = oneLine(r.artifact.path);
    const tc = toolchainLabel(r);
    const from = provenanceLabel(r);
    const tag = change ? changeTag(r, report) : void 0;
    out.push(
      `${c(v.style, `${v.mark} ${r.verdict.padEnd(13)}`)} ${c("bold", path3)}${" ".repeat(Math.max(1, width - path3.length + 2))}${c("dim", oneLine(tc))}` + (from ? ` ${c("dim", `[${oneLine(from)}]`)}` : "") + (tag ? ` ${c(tag.style, `[${oneLine(tag.text)}]`)}` : "")
    );
    if (r.change?.class === "still-failing") continue;
    if (r.verdict === "PASS") {
      for (const n of r.notes) out.push(`    ${c("dim", "note:")} ${oneLine(n.message)}`);
      for (const d of splitDiagnoses(r).notes) out.push(`    ${c("dim", "note:")} ${noteDiagnosis(d)}`);
      continue;
    }
    out.push(...details(r, report, c).map((l) => l ? `    ${l}` : l), "");
  }
  if (out[out.length - 1] !== "") out.push("");
  if (change?.removed.length) {
    for (const b of change.removed)
      out.push(`${c("dim", "- removed")}       ${oneLine(b.path)} ${c("dim", `[was ${oneLine(b.verdict)}]`)}`);
    out.push("");
  }
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
function changeTag(r, report) {
  const ch = r.change;
  if (!ch) return void 0;
  const renamed = ch.matchedBy === "sha256" && ch.base ? `renamed from ${ch.base.path}; ` : "";
  switch (ch.class) {
    case "new-failure":
      return { text: `${renamed}new failure: passes on ${baseName(report)}`, style: "red" };
    case "new-artifact":
      return r.verdict === "PASS" ? { text: "new artifact", style: "dim" } : { text: "new artifact", style: "red" };
    case "changed":
      return { text: `${renamed}${ch.worse ? "worse" : "changed"}: was ${wasOnBaseline(r)}`, style: ch.worse ? "red" : "yellow" };
    case "fixed":
      return { text: `${renamed}fixed: was ${wasOnBaseline(r)}`, style: "green" };
    case "still-failing":
      return { text: `${renamed}fails the same way on ${baseName(report)}: not caused by this change`, style: "dim" };
    default:
      return renamed ? { text: renamed.replace(/; $/, ""), style: "dim" } : void 0;
  }
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
      if (isSavedReport(logText)) {
        throw new UsageError(
          `explain: ${command.log} is a wasm-p2-check JSON report, not an error log: each of its results already has its diagnosis (show them with: wasm-p2-check merge ${command.log})`
        );
      }
      const result = await explain({
        logText,
        modulePath: command.module,
        signatureDirs: command.signatureDirs,
        adapterVersion: command.adapterVersion
      });
      if (command.format === "json") process.stdout.write(reportToStdout(renderExplanationJson(result), "json"));
      else if (command.format === "markdown")
        process.stdout.write(
          reportToStdout(
            `${renderExplainFindings([{ block: 0, result }], true) || "Nothing to diagnose: the log shows no failure."}
`,
            "markdown"
          )
        );
      else
        process.stdout.write(
          neutralizeCommands(renderExplanation(result, { color: useColor(command.color, process.env, process.stdout.isTTY === true) }))
        );
      return 0;
    }
    case "check": {
      outputFoldersExist(command.outputs);
      const progress = command.quiet ? void 0 : progressPrinter(process.stderr);
      const baseline = command.baseline ? await readBaseline(command.baseline, "--baseline", await loadSignatures(command.options.signatureDirs ?? [])) : void 0;
      const report = await check(checkOptions(command, progress?.onEvent)).finally(() => progress?.end());
      return emit(baseline ? compareWithBaseline(report, baseline, { source: `file ${command.baseline}` }) : report, command);
    }
    case "versions": {
      const outputs2 = versionsOutputs(command);
      outputFoldersExist(outputs2);
      const progress = command.quiet ? void 0 : progressPrinter(process.stderr);
      const { versions: report } = await runVersions(checkOptions(command, progress?.onEvent), {
        releases: command.releases,
        bisect: command.bisect,
        releaseData: command.releaseData
      }).finally(() => progress?.end());
      for (const o of outputs2) await output(o, o.format === "json" ? renderVersionsJson(report) : renderVersionsMarkdown(report));
      if (report.configurationError) {
        throw new UsageError(`${flagOf(report.configurationError.option)}: ${report.configurationError.message}`);
      }
      if (command.json !== "-" && command.markdown !== "-") process.stdout.write(neutralizeCommands(renderVersionsTerminal(report)));
      return versionsBreak(report) ? 1 : 0;
    }
    case "diff": {
      const db = await loadSignatures();
      const baseline = await readBaseline(command.baseline, "diff", db);
      const report = await readBaseline(command.report, "diff", db);
      return emit(compareWithBaseline(report, baseline, { source: `file ${command.baseline}` }), command);
    }
    case "merge": {
      const inputs = [];
      const db = await loadSignatures();
      for (const file of command.reports) {
        const text = await readSavedReport(file).catch((e) => {
          throw new UsageError(`merge: cannot read ${file}: ${e.message}`);
        });
        try {
          inputs.push({ source: path2.basename(file).replace(/\.json$/, ""), report: rederiveReport(parseReport(text), db) });
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
function isSavedReport(text) {
  if (!text.trimStart().startsWith("{")) return false;
  try {
    const value = JSON.parse(text);
    return value?.tool?.name === "wasm-p2-check" && Array.isArray(value.results);
  } catch {
    return false;
  }
}
function checkOptions(command, onProgress) {
  const cacheRoot = command.cacheDir ?? userCacheDir(process.env);
  const cache = command.cache ? directoryStore(path2.join(cacheRoot, "results")) : void 0;
  const wasmtime = command.cache ? { ...command.options.wasmtime, compileCacheDir: path2.join(cacheRoot, "compiled") } : command.options.wasmtime;
  return { ...command.options, ...wasmtime ? { wasmtime } : {}, cwd: process.cwd(), onProgress, cache };
}
async function readBaseline(file, what, db) {
  const text = await readSavedReport(file).catch((e) => {
    throw new UsageError(`${what}: cannot read ${file}: ${e.message}`);
  });
  try {
    return baselineReport(text, db);
  } catch (e) {
    throw new UsageError(`${what}: ${file} cannot be used as a baseline: ${e.message}`);
  }
}
async function emit(report, command) {
  for (const o of command.outputs) await output(o, REPORT_FORMATS[o.format].render(report));
  if (report.configurationError) {
    throw new UsageError(`${flagOf(report.configurationError.option)}: ${report.configurationError.message}`);
  }
  const notice = failOnNotice(report, command.failOn);
  if (notice) process.stderr.write(`wasm-p2-check: ${notice}
`);
  if (!command.outputs.some((o) => o.path === "-")) {
    process.stdout.write(
      neutralizeCommands(renderTerminal(report, { color: useColor(command.color, process.env, process.stdout.isTTY === true) }))
    );
  }
  return reportFails(report, command.failOn) ? 1 : 0;
}
async function output(o, text) {
  if (o.path === "-") process.stdout.write(reportToStdout(text.endsWith("\n") ? text : `${text}
`, o.format));
  else
    await writeFile(o.path, text).catch((e) => {
      throw new UsageError(`${o.given} '${o.path}': cannot write it (${e.message})`);
    });
}
function versionsOutputs(command) {
  return [
    ...command.json ? [{ format: "json", path: command.json, given: "--json" }] : [],
    ...command.markdown ? [{ format: "markdown", path: command.markdown, given: "--markdown" }] : []
  ];
}
function outputFoldersExist(outputs2) {
  for (const o of outputs2) {
    const dir = path2.dirname(path2.resolve(o.path));
    if (o.path !== "-" && !existsSync2(dir)) throw new UsageError(`${o.given} '${o.path}': no folder ${dir} (nothing was checked)`);
  }
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
