/**
 * The diagnosis engine: matches what was observed (inspect facts, runs, conversion, a trap parsed from a log)
 * against the signature database. Pure: no I/O; all knowledge is in the signatures.
 *
 * Matching. Every condition a signature's `matchers` declare is evaluated to
 *  - hit     the data is there and the condition holds,
 *  - miss    the data is there and the condition does not hold → the signature does not match,
 *  - unknown the data is not there (e.g. `facts` when explaining a log without the module).
 * A signature matches when nothing misses and at least one observation (not only inspect facts) hits.
 * Its score is the sum of the weights of its hits (more specific conditions weigh more), and its confidence
 * is the signature's base confidence, lowered one step for each key condition that could not be checked and
 * for an adapter line whose meaning depends on an unknown adapter version. Ties at the top cap confidence at
 * medium: two equally specific explanations are never presented as a certain one.
 */
import semver from 'semver';
import type {
  AdapterLine,
  Artifact,
  Confidence,
  ConversionResult,
  Diagnosis,
  Frame,
  Prediction,
  RunResult,
  Toolchain,
  Trap,
  UnknownFailure,
  Verdict,
} from '../model.js';
import { toolchainFromEvidence } from '../inspect/producers.js';
import { type AdapterCheckCategory, formatVersionRange, lookupAdapterLine } from './adapter-lines/index.js';
import { unknownFailure } from './fingerprint.js';
import { linkerGap } from './host-world.js';
import { findMatch, type PatternMatch, testPattern } from './pattern.js';
import { PLACEHOLDER_RE, type ContextPlaceholder } from './placeholders.js';
import { boundText } from './text-bounds.js';
import type {
  ConversionPattern,
  FactsPattern,
  FramePattern,
  ImportPattern,
  LoadedSignature,
  MatcherKey,
  Matchers,
  RunPattern,
  SignatureDb,
  TextPattern,
} from './signatures.js';

export interface DiagnoseContext {
  artifact?: Artifact;
  verdict?: Verdict;
  p1?: RunResult;
  p2?: RunResult;
  conversion?: ConversionResult;
  /** explain mode: parsed from a log */
  trap?: Trap;
  /** raw log (explain mode) */
  text?: string;
  /** wasmtime release of the adapter, when known other than through `conversion.adapter.version` (explain --adapter-version). */
  adapterVersion?: string;
}

export interface DiagnoseResult {
  diagnoses: Diagnosis[];
  unknown?: UnknownFailure;
  /**
   * Signatures whose conditions held but that are not shown because the verdict is explained otherwise (NOT-WASI: the
   * conversion error is a symptom of what the module is). They still confirm predictions.
   */
  corroborated?: string[];
}

type Outcome = 'hit' | 'miss' | 'unknown';

interface Evaluation {
  key: MatcherKey;
  outcome: Outcome;
  weight: number;
  /** The hit depends on an assumption (e.g. the adapter line means this only in some releases). */
  ambiguous?: boolean;
}

/** Placeholder values for evidence templates. */
type Bag = Map<string, string>;

/** Weights: how much each satisfied condition says about the cause. */
const WEIGHT = {
  message: 3,
  trapKind: 1,
  frame: 2,
  frameAnywhere: 1,
  adapterLine: 4,
  adapterLineAmbiguous: 2,
  fact: 1,
  toolchain: 2,
  /** A specific non-WASI host named by inspect: says more than the conversion error it causes. */
  host: 4,
  /** The refused interface is outside the refusing host's world: says more than the link error's wording. */
  hostWorld: 4,
  conversionError: 3,
  conversionDetail: 1,
  verdict: 1,
  run: 1,
  diff: 1,
} as const;

const OBSERVATIONS: MatcherKey[] = [
  'message',
  'trapKind',
  'frames',
  'framesAnywhere',
  'adapterLine',
  'conversion',
  'verdict',
  'p1',
  'p2',
  'diff',
];
const DEFAULT_KEY_EVIDENCE: MatcherKey[] = ['message', 'trapKind', 'frames', 'framesAnywhere', 'adapterLine', 'facts', 'conversion'];
const CONFIDENCE_ORDER: Confidence[] = ['high', 'medium', 'low'];

function lower(c: Confidence, steps: number): Confidence {
  return CONFIDENCE_ORDER[Math.min(CONFIDENCE_ORDER.indexOf(c) + steps, CONFIDENCE_ORDER.length - 1)]!;
}

function loosen(version: string | undefined): string | undefined {
  if (!version) return undefined;
  return semver.valid(version) ?? semver.coerce(version)?.version ?? undefined;
}

/** The trap the diagnosis is about: the explicit one (explain), else the failing P2 run's, else P1's. */
function primaryTrap(ctx: DiagnoseContext): Trap | undefined {
  return ctx.trap ?? ctx.p2?.trap ?? ctx.p1?.trap;
}

/** Whether anything at all was observed at run time / in a log (so a missing trap is a fact, not a gap). */
function hasRunEvidence(ctx: DiagnoseContext): boolean {
  return ctx.trap !== undefined || ctx.text !== undefined || ctx.p1 !== undefined || ctx.p2 !== undefined;
}

/** Texts signature patterns read, each bounded (`boundText`): untrusted output never costs more than its bound. */
function messageSources(ctx: DiagnoseContext): string[] {
  const out: string[] = [];
  const trap = primaryTrap(ctx);
  if (trap) out.push(trap.message, ...trap.causes);
  for (const run of [ctx.p2, ctx.p1]) {
    if (!run) continue;
    if (run.trap && run.trap !== trap) out.push(run.trap.message, ...run.trap.causes);
    if (run.stderr.text) out.push(run.stderr.text);
    if (run.harnessError) out.push(run.harnessError);
  }
  if (ctx.text !== undefined) out.push(ctx.text);
  return out.map(boundText);
}

function firstMatch(patterns: readonly TextPattern[], sources: readonly string[]): PatternMatch | undefined {
  for (const p of patterns) {
    const [source, unless] = typeof p === 'string' ? [p, undefined] : [p.pattern, p.unless];
    for (const s of sources) {
      const m = findMatch(source, s, unless);
      if (m) return m;
    }
  }
  return undefined;
}

function lineOf(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end < 0 ? undefined : end).trim();
}

function recordMatch(bag: Bag, prefix: string, m: PatternMatch): void {
  bag.set(prefix, lineOf(m.input, m.index));
  for (const [k, v] of Object.entries(m.groups)) bag.set(`m.${k}`, v);
}

function frameMatches(f: Frame, p: FramePattern): boolean {
  if (!testPattern(p.name, f.name) && !testPattern(p.name, f.rawName)) return false;
  if (p.origin !== undefined) {
    const origins = Array.isArray(p.origin) ? p.origin : [p.origin];
    if (!origins.includes(f.origin)) return false;
  }
  if (p.module !== undefined && !testPattern(p.module, f.module ?? '')) return false;
  return true;
}

function describeFrame(f: Frame): string {
  const at = f.offset !== undefined ? ` @0x${f.offset.toString(16)}` : '';
  return `${f.name} (${f.origin}${at})`;
}

function recordFrame(bag: Bag, p: FramePattern, f: Frame): void {
  if (p.as !== undefined) bag.set(`frame.${p.as}`, describeFrame(f));
}

/* ───────────────────────────── adapter lines ───────────────────────────── */

/** One reading of an adapter line: what check sits there in some adapter release. */
export interface AdapterSiteReading {
  versions: string[];
  check: string;
  category: AdapterCheckCategory;
  fn?: string;
  kind?: string;
}

/**
 * The readings of an adapter line: exactly one when the adapter's release is known (and in the table),
 * the candidates across releases otherwise.
 */
export function adapterLineReadings(line: AdapterLine, version?: string): AdapterSiteReading[] {
  const result = lookupAdapterLine(line.line, version);
  const out: AdapterSiteReading[] = [];
  for (const site of result) {
    out.push({ versions: site.versions, check: site.check, category: site.category, fn: site.fn, kind: site.kind });
  }
  // Prefer readings whose kind agrees with what was printed (assertion vs unreachable).
  const sameKind = out.filter((r) => r.kind === undefined || r.kind === line.kind);
  return sameKind.length > 0 ? sameKind : out;
}

/* ───────────────────────────── conditions ───────────────────────────── */

function evalRun(key: 'p1' | 'p2', p: RunPattern, run: RunResult | undefined, bag: Bag): Evaluation {
  if (!run) return { key, outcome: 'unknown', weight: 0 };
  let weight = 0;
  const fail = { key, outcome: 'miss' as const, weight: 0 };
  if (p.exitCode !== undefined) {
    const code = run.exitCode;
    const ok =
      p.exitCode === 'zero'
        ? code === 0
        : p.exitCode === 'nonzero'
          ? code !== null && code !== 0
          : p.exitCode === 'none'
            ? code === null
            : Array.isArray(p.exitCode)
              ? code !== null && p.exitCode.includes(code)
              : code === p.exitCode;
    if (!ok) return fail;
    weight += WEIGHT.run;
  }
  if (p.trapped !== undefined) {
    if ((run.trap !== undefined && !run.timedOut) !== p.trapped) return fail;
    weight += WEIGHT.run;
  }
  if (p.timedOut !== undefined) {
    if (run.timedOut !== p.timedOut) return fail;
    weight += WEIGHT.run;
  }
  if (p.runtime !== undefined) {
    if (!testPattern(p.runtime, `${run.runtime.name} ${run.runtime.version}`)) return fail;
    weight += WEIGHT.run;
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    const pats = p[stream];
    if (!pats) continue;
    const m = firstMatch(pats, [boundText(run[stream].text)]);
    if (!m) return fail;
    recordMatch(bag, `${key}.${stream}.match`, m);
    weight += WEIGHT.run;
  }
  return { key, outcome: 'hit', weight };
}

function importMatches(imp: { module: string; name: string }, p: ImportPattern): boolean {
  return (p.module === undefined || testPattern(p.module, imp.module)) && (p.name === undefined || testPattern(p.name, imp.name));
}

/**
 * Without the module (a pasted log), the guest frames still show what runtime the program has (`runtime.goenvs` → Go,
 * `__main_void` → C/wasi-libc, `~lib/` → AssemblyScript, `std::` → Rust): enough to rule out a toolchain-specific
 * explanation, never enough to confirm one (versions are unknown).
 */
function toolchainFromFrames(trap: Trap | undefined): Toolchain | undefined {
  const names = (trap?.frames ?? []).filter((f) => f.origin === 'guest' || f.origin === 'unknown').map((f) => f.name);
  return names.length > 0 ? toolchainFromEvidence([], names, []) : undefined;
}

function evalFacts(p: FactsPattern, artifact: Artifact | undefined, bag: Bag, trap?: Trap): Evaluation {
  const key = 'facts';
  if (!artifact) {
    const seen = p.toolchain?.language !== undefined ? toolchainFromFrames(trap) : undefined;
    if (seen && !testPattern(`^(?:${p.toolchain!.language})$`, seen.language)) return { key, outcome: 'miss', weight: 0 };
    return { key, outcome: 'unknown', weight: 0 };
  }
  const m = artifact.module;
  if (!m) return { key, outcome: 'miss', weight: 0 };
  const miss: Evaluation = { key, outcome: 'miss', weight: 0 };
  let weight = 0;
  if (p.toolchain) {
    const tc = m.toolchain;
    if (!tc) return miss;
    if (p.toolchain.language !== undefined && !testPattern(`^(?:${p.toolchain.language})$`, tc.language)) return miss;
    if (p.toolchain.version !== undefined) {
      const v = loosen(tc.version);
      if (!v || !semver.satisfies(v, p.toolchain.version, { includePrerelease: true })) return miss;
    }
    weight += WEIGHT.toolchain;
  }
  if (p.imports) {
    const hits = m.imports.filter((i) => p.imports!.some((q) => importMatches(i, q)));
    if (hits.length === 0) return miss;
    bag.set(
      'imports.matched',
      hits
        .slice(0, 6)
        .map((i) => `${i.module}::${i.name}`)
        .join(', '),
    );
    weight += WEIGHT.fact;
  }
  if (p.noImports) {
    if (m.imports.some((i) => p.noImports!.some((q) => importMatches(i, q)))) return miss;
    weight += WEIGHT.fact;
  }
  if (p.exports) {
    const hits = m.exports.filter((e) => p.exports!.some((r) => testPattern(r, e.name)));
    if (hits.length === 0) return miss;
    bag.set('exports.matched', hits.map((e) => e.name).join(', '));
    weight += WEIGHT.fact;
  }
  if (p.noExports) {
    if (m.exports.some((e) => p.noExports!.some((r) => testPattern(r, e.name)))) return miss;
    weight += WEIGHT.fact;
  }
  const bools: [keyof FactsPattern, boolean][] = [
    ['hasCabiRealloc', m.hasCabiRealloc],
    ['reallocCallsImport', m.reallocCallsImport !== undefined],
    ['hasStart', m.hasStart],
    ['hasInitialize', m.hasInitialize],
    ['wasiUnstable', m.wasiUnstable],
    ['nonWasiImports', m.nonWasiImportModules.length > 0],
  ];
  for (const [k, actual] of bools) {
    if (p[k] === undefined) continue;
    if (p[k] !== actual) return miss;
    weight += WEIGHT.fact;
  }
  if (p.style !== undefined) {
    if (p.style !== m.style) return miss;
    weight += WEIGHT.fact;
  }
  if (p.nonWasiImportModule !== undefined) {
    const hits = m.nonWasiImportModules.filter((mod) => testPattern(p.nonWasiImportModule!, mod));
    if (hits.length === 0) return miss;
    weight += WEIGHT.fact;
  }
  if (p.host) {
    if (!m.host || !p.host.includes(m.host.kind)) return miss;
    weight += WEIGHT.host;
  }
  if (p.memory) {
    const mem = m.memory;
    const actual = { shared: mem.shared, memory64: mem.memory64, imported: mem.imported, exported: mem.exported, multiple: mem.count > 1 };
    for (const [k, want] of Object.entries(p.memory) as [keyof typeof actual, boolean][]) {
      if (actual[k] !== want) return miss;
      weight += WEIGHT.fact;
    }
  }
  if (p.features) {
    const hits = m.features.filter((f) => p.features!.includes(f));
    if (hits.length === 0) return miss;
    bag.set('features.matched', hits.join(', '));
    weight += WEIGHT.fact;
  }
  return { key, outcome: 'hit', weight };
}

function evalConversion(p: ConversionPattern, ctx: DiagnoseContext, bag: Bag): Evaluation {
  const key = 'conversion';
  const conv = ctx.conversion;
  const miss: Evaluation = { key, outcome: 'miss', weight: 0 };
  let weight = 0;
  let unknown = false;
  if (p.error) {
    const sources = conv
      ? conv.error !== undefined
        ? [boundText(conv.error)]
        : []
      : ctx.text !== undefined
        ? [boundText(ctx.text)]
        : undefined;
    if (sources === undefined) unknown = true;
    else {
      const m = firstMatch(p.error, sources);
      if (!m) return miss;
      recordMatch(bag, 'conversion.match', m);
      weight += WEIGHT.conversionError;
    }
  }
  const adapter = conv?.adapter;
  const details: [boolean, () => boolean][] = [
    [p.adapter !== undefined, () => (p.adapter === 'present') === (adapter !== undefined)],
    [p.adapterSha256 !== undefined, () => adapter !== undefined && p.adapterSha256!.includes(adapter.sha256)],
    [p.adapterKind !== undefined, () => adapter !== undefined && adapter.kind === p.adapterKind],
    [p.adapterName !== undefined, () => adapter !== undefined && testPattern(p.adapterName!, adapter.name)],
    [p.adapterNameNot !== undefined, () => adapter !== undefined && !testPattern(p.adapterNameNot!, adapter.name)],
    [p.adapterVersion !== undefined, () => inRange(adapter?.version ?? ctx.adapterVersion, p.adapterVersion!)],
    [p.adapterWasiVersion !== undefined, () => inRange(adapter?.wasiVersion, p.adapterWasiVersion!)],
  ];
  for (const [declared, holds] of details) {
    if (!declared) continue;
    // Adapter details are known only when a conversion was attempted (or the version was given).
    if (!conv && !(p.adapterVersion !== undefined && ctx.adapterVersion !== undefined)) {
      unknown = true;
      continue;
    }
    if (!holds()) return miss;
    weight += WEIGHT.conversionDetail;
  }
  if (weight === 0 && unknown) return { key, outcome: 'unknown', weight: 0 };
  return { key, outcome: 'hit', weight, ambiguous: unknown };
}

function inRange(version: string | undefined, range: string): boolean {
  const v = loosen(version);
  return v !== undefined && semver.satisfies(v, range, { includePrerelease: true });
}

function evalAdapterLine(p: NonNullable<Matchers['adapterLine']>, ctx: DiagnoseContext, trap: Trap | undefined, bag: Bag): Evaluation {
  const key = 'adapterLine';
  const line = trap?.adapterLine;
  if (!line) return { key, outcome: hasRunEvidence(ctx) ? 'miss' : 'unknown', weight: 0 };
  if (p.kind !== undefined && p.kind !== line.kind) return { key, outcome: 'miss', weight: 0 };
  const version = ctx.conversion?.adapter?.version ?? ctx.adapterVersion;
  const readings = adapterLineReadings(line, version);
  const categories = p.category === undefined ? undefined : Array.isArray(p.category) ? p.category : [p.category];
  const fits = (r: AdapterSiteReading) =>
    (categories === undefined || categories.includes(r.category)) &&
    (p.check === undefined || testPattern(p.check, r.check)) &&
    (p.fn === undefined || (r.fn !== undefined && testPattern(p.fn, r.fn)));
  const matching = readings.filter(fits);
  bag.set('trap.adapterLine.line', String(line.line));
  bag.set('trap.adapterLine.text', line.text);
  if (categories === undefined && p.check === undefined && p.fn === undefined) {
    // Only the kind was asked for: the printed line itself is the evidence.
    return { key, outcome: 'hit', weight: WEIGHT.adapterLineAmbiguous };
  }
  if (matching.length === 0) {
    // No table entry for this line (unknown release, or a line the table does not hold) is not a contradiction.
    return { key, outcome: readings.length === 0 ? 'unknown' : 'miss', weight: 0 };
  }
  const first = matching[0]!;
  bag.set('adapterLine.check', first.check);
  bag.set('adapterLine.category', first.category);
  if (first.fn) bag.set('adapterLine.fn', first.fn);
  if (version) bag.set('adapterLine.version', version);
  const ambiguous = matching.length < readings.length;
  bag.set('adapterLine.versions', summarizeVersions(matching.flatMap((r) => r.versions)));
  if (ambiguous) {
    bag.set('adapterLine.candidates', readings.map((r) => `${summarizeVersions(r.versions)}: ${r.check}`).join('; '));
  }
  return { key, outcome: 'hit', weight: ambiguous ? WEIGHT.adapterLineAmbiguous : WEIGHT.adapterLine, ambiguous };
}

function summarizeVersions(versions: string[]): string {
  const unique = [...new Set(versions)];
  return unique.length === 0 ? 'unknown release' : formatVersionRange(unique);
}

/**
 * `hostWorld`: a link error's interface against the world of the host that refused it (host-world.ts). No link error
 * at all satisfies `false` (nothing says it is the host's world) without weight.
 */
function evalHostWorld(want: boolean, ctx: DiagnoseContext, bag: Bag): Evaluation {
  const key = 'hostWorld';
  const gap = linkerGap(messageSources(ctx), ctx.p2?.command ?? ctx.p1?.command);
  if (!gap) return { key, outcome: want ? 'miss' : 'hit', weight: 0 };
  bag.set('linker.interface', gap.interface);
  bag.set('linker.wanted', gap.version ? `${gap.interface}@${gap.version}` : gap.interface);
  if (gap.host) bag.set('linker.host', `${gap.host.command}${gap.host.options.map((o) => ` -S ${o}`).join('')} (${gap.host.world})`);
  bag.set('linker.reason', gap.reason);
  if (gap.fix) bag.set('linker.fix', gap.fix);
  if (gap.cause === undefined) return { key, outcome: 'unknown', weight: 0 };
  const isWorld = gap.cause === 'host-world';
  return isWorld === want ? { key, outcome: 'hit', weight: want ? WEIGHT.hostWorld : WEIGHT.fact } : { key, outcome: 'miss', weight: 0 };
}

function evaluate(m: Matchers, appliesTo: Verdict[] | undefined, ctx: DiagnoseContext, bag: Bag): Evaluation[] {
  const trap = primaryTrap(ctx);
  const runSeen = hasRunEvidence(ctx);
  const out: Evaluation[] = [];

  if (m.message) {
    const sources = messageSources(ctx);
    if (sources.length === 0) out.push({ key: 'message', outcome: runSeen || ctx.conversion ? 'miss' : 'unknown', weight: 0 });
    else {
      const hit = firstMatch(m.message, sources);
      if (hit) recordMatch(bag, 'match.message', hit);
      out.push({ key: 'message', outcome: hit ? 'hit' : 'miss', weight: hit ? WEIGHT.message : 0 });
    }
  }
  if (m.trapKind) {
    if (!trap) out.push({ key: 'trapKind', outcome: runSeen ? 'miss' : 'unknown', weight: 0 });
    else out.push({ key: 'trapKind', outcome: m.trapKind.includes(trap.kind) ? 'hit' : 'miss', weight: WEIGHT.trapKind });
  }
  if (m.frames) {
    if (!trap) out.push({ key: 'frames', outcome: runSeen ? 'miss' : 'unknown', weight: 0 });
    else if (trap.frames.length === 0) out.push({ key: 'frames', outcome: 'unknown', weight: 0 });
    else {
      // Ordered subsequence, innermost first.
      let i = 0;
      let ok = true;
      for (const p of m.frames) {
        while (i < trap.frames.length && !frameMatches(trap.frames[i]!, p)) i++;
        if (i >= trap.frames.length) {
          ok = false;
          break;
        }
        recordFrame(bag, p, trap.frames[i]!);
        i++;
      }
      out.push({ key: 'frames', outcome: ok ? 'hit' : 'miss', weight: ok ? WEIGHT.frame * m.frames.length : 0 });
    }
  }
  if (m.framesAnywhere) {
    if (!trap) out.push({ key: 'framesAnywhere', outcome: runSeen ? 'miss' : 'unknown', weight: 0 });
    else if (trap.frames.length === 0) out.push({ key: 'framesAnywhere', outcome: 'unknown', weight: 0 });
    else {
      let ok = true;
      for (const p of m.framesAnywhere) {
        const f = trap.frames.find((fr) => frameMatches(fr, p));
        if (!f) {
          ok = false;
          break;
        }
        recordFrame(bag, p, f);
      }
      out.push({ key: 'framesAnywhere', outcome: ok ? 'hit' : 'miss', weight: ok ? WEIGHT.frameAnywhere * m.framesAnywhere.length : 0 });
    }
  }
  if (m.hostWorld !== undefined) out.push(evalHostWorld(m.hostWorld, ctx, bag));
  if (m.adapterLine) out.push(evalAdapterLine(m.adapterLine, ctx, trap, bag));
  if (m.facts) out.push(evalFacts(m.facts, ctx.artifact, bag, trap));
  if (m.conversion) out.push(evalConversion(m.conversion, ctx, bag));
  const verdicts = [...(m.verdict ?? []), ...(appliesTo ?? [])];
  if (verdicts.length > 0) {
    if (!ctx.verdict) out.push({ key: 'verdict', outcome: 'unknown', weight: 0 });
    else out.push({ key: 'verdict', outcome: verdicts.includes(ctx.verdict) ? 'hit' : 'miss', weight: WEIGHT.verdict });
  }
  if (m.p1) out.push(evalRun('p1', m.p1, ctx.p1, bag));
  if (m.p2) out.push(evalRun('p2', m.p2, ctx.p2, bag));
  if (m.diff) {
    if (!ctx.p1 || !ctx.p2) out.push({ key: 'diff', outcome: 'unknown', weight: 0 });
    else {
      let weight = 0;
      let ok = true;
      const differs = {
        exitCode: ctx.p1.exitCode !== ctx.p2.exitCode,
        stdout: ctx.p1.stdout.text !== ctx.p2.stdout.text,
        stderr: ctx.p1.stderr.text !== ctx.p2.stderr.text,
      };
      for (const [k, want] of Object.entries(m.diff) as [keyof typeof differs, boolean][]) {
        if (differs[k] !== want) ok = false;
        else weight += WEIGHT.diff;
      }
      out.push({ key: 'diff', outcome: ok ? 'hit' : 'miss', weight: ok ? weight : 0 });
    }
  }
  return out;
}

/* ───────────────────────────── evidence ───────────────────────────── */

function baseBag(ctx: DiagnoseContext): Bag {
  const bag: Bag = new Map();
  // Only placeholders the loader knows (placeholders.ts): a key set here but missing there would not type-check.
  const set = (k: ContextPlaceholder, v: string | number | undefined | null) => {
    if (v !== undefined && v !== null && v !== '') bag.set(k, String(v));
  };
  const a = ctx.artifact;
  set('artifact.path', a?.path);
  const m = a?.module;
  if (m) {
    set('toolchain.language', m.toolchain?.language);
    set('toolchain.compiler', m.toolchain?.compiler);
    set('toolchain.version', m.toolchain?.version);
    set('module.style', m.style);
    set('module.hasCabiRealloc', String(m.hasCabiRealloc));
    set('imports.nonWasi', m.nonWasiImportModules.join(', '));
    set('imports.modules', Object.keys(m.importsByModule).join(', '));
    set('features', m.features.join(', '));
    set('module.targetFeatures', m.targetFeatures?.join(' '));
    if (m.legacyExceptions) set('module.legacyExceptions', `\`${m.legacyExceptions.instruction}\` in ${m.legacyExceptions.function}`);
    set('memory.pages', m.memory.minPages);
    set('toolchain.evidence', m.toolchain?.evidence);
    set('realloc.import', m.reallocCallsImport?.import);
    set('realloc.path', m.reallocCallsImport?.path.join(' → '));
    set('host.name', m.host?.name);
    set('host.evidence', m.host?.evidence.join('; '));
  }
  const trap = primaryTrap(ctx);
  if (trap) {
    set('trap.kind', trap.kind);
    set('trap.message', trap.message);
    set('trap.format', trap.format);
    set('trap.adapterLine.line', trap.adapterLine?.line);
    set('trap.adapterLine.text', trap.adapterLine?.text);
  }
  const c = ctx.conversion;
  set(
    'conversion.error',
    c?.error
      ?.split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1),
  );
  set('adapter.name', c?.adapter?.name);
  set('adapter.version', c?.adapter?.version ?? ctx.adapterVersion);
  set('adapter.wasiVersion', c?.adapter?.wasiVersion);
  set('adapter.kind', c?.adapter?.kind);
  for (const phase of ['p1', 'p2'] as const) {
    const r = ctx[phase];
    if (!r) continue;
    set(`${phase}.exitCode`, r.exitCode === null ? 'none' : r.exitCode);
    set(`${phase}.runtime`, `${r.runtime.name} ${r.runtime.version}`);
    set(`${phase}.stdout`, r.stdout.text.split('\n')[0]?.slice(0, 200));
    set(`${phase}.timeoutMs`, r.durationMs !== undefined ? Math.round(r.durationMs) : undefined);
  }
  set('verdict', ctx.verdict);
  return bag;
}

/** Fill `{placeholders}`; a line with any unknown placeholder is dropped (returns undefined). */
export function renderTemplate(template: string, bag: ReadonlyMap<string, string>): string | undefined {
  let missing = false;
  const out = template.replace(PLACEHOLDER_RE, (_, key: string) => {
    const v = bag.get(key);
    if (v === undefined) {
      missing = true;
      return '';
    }
    return v;
  });
  return missing ? undefined : out;
}

/* ───────────────────────────── diagnose ───────────────────────────── */

interface Candidate {
  sig: LoadedSignature;
  score: number;
  confidence: Confidence;
  evidence: string[];
}

function isFailure(verdict: Verdict | undefined): boolean {
  return verdict !== undefined && verdict !== 'PASS' && verdict !== 'INVALID-INPUT';
}

function matchSignature(sig: LoadedSignature, ctx: DiagnoseContext): Candidate | undefined {
  // Without an explicit verdict list, a signature explains failures: a passing run matches nothing.
  const verdicts = [...(sig.matchers.verdict ?? []), ...(sig.verdicts ?? [])];
  if (ctx.verdict === 'PASS' && !verdicts.includes('PASS')) return undefined;
  // A module that is not a WASI program is explained by what it is; its conversion error is a symptom of that.
  if (ctx.verdict === 'NOT-WASI' && !verdicts.includes('NOT-WASI')) return undefined;
  const bag = baseBag(ctx);
  const evals = evaluate(sig.matchers, sig.verdicts, ctx, bag);
  if (evals.some((e) => e.outcome === 'miss')) return undefined;
  if (!evals.some((e) => e.outcome === 'hit' && OBSERVATIONS.includes(e.key) && e.key !== 'verdict')) {
    // Only a verdict (or only inspect facts) is never a diagnosis — except for signatures that are about the
    // verdict itself (e.g. a timeout) and have no other observation to check.
    const onlyVerdict = evals.every((e) => e.key === 'verdict' || e.outcome !== 'unknown');
    if (!(onlyVerdict && evals.some((e) => e.key === 'verdict' && e.outcome === 'hit'))) return undefined;
  }
  const keys = sig.keyEvidence ?? DEFAULT_KEY_EVIDENCE;
  let steps = 0;
  for (const e of evals) {
    if (keys.includes(e.key) && e.outcome === 'unknown') steps++;
    if (e.outcome === 'hit' && e.ambiguous) steps++;
  }
  let score = evals.reduce((s, e) => s + (e.outcome === 'hit' ? e.weight : 0), 0);
  if (sig.supporting) {
    // Supporting conditions never reject; each that holds adds to the score. When none holds, the
    // signature's strongest corroboration is missing: one step less confident.
    const support = evaluate(sig.supporting, undefined, ctx, bag).filter((e) => e.outcome === 'hit');
    score += support.reduce((s, e) => s + e.weight, 0);
    if (support.length === 0) steps++;
  }
  const evidence = sig.evidence.map((t) => renderTemplate(t, bag)).filter((l): l is string => l !== undefined);
  return { sig, score, confidence: lower(sig.confidence, steps), evidence };
}

/**
 * Match the observations against every signature.
 * @returns diagnoses ranked best first; `unknown` when the verdict (or a pasted log) shows a failure that no
 *   failure-level signature explains.
 */
export function diagnose(ctx: DiagnoseContext, db: SignatureDb): DiagnoseResult {
  const candidates = db.signatures
    .map((sig) => matchSignature(sig, ctx))
    .filter((c): c is Candidate => c !== undefined)
    .sort(
      (a, b) =>
        // A note (an expected difference) never outranks an explanation of a failure.
        Number(a.sig.severity === 'note') - Number(b.sig.severity === 'note') ||
        b.score - a.score ||
        CONFIDENCE_ORDER.indexOf(a.confidence) - CONFIDENCE_ORDER.indexOf(b.confidence) ||
        a.sig.id.localeCompare(b.sig.id),
    );
  // Equally specific explanations at the top: neither is certain.
  const failures = candidates.filter((c) => (c.sig.severity ?? 'failure') === 'failure');
  if (failures.length > 1 && failures[0]!.score === failures[1]!.score) {
    for (const c of failures) if (c.score === failures[0]!.score && c.confidence === 'high') c.confidence = 'medium';
  }
  const diagnoses: Diagnosis[] = candidates.map((c) => ({
    signatureId: c.sig.id,
    title: c.sig.title,
    confidence: c.confidence,
    score: c.score,
    cause: c.sig.cause.trim(),
    evidence: c.evidence,
    workarounds: c.sig.workarounds.map((w) => ({ text: w.text, safe: w.safe, why: w.why })),
    links: c.sig.links.map((l) => ({ title: l.title, url: l.url })),
    ...(c.sig.severity === 'note' ? { severity: 'note' as const } : {}),
  }));

  const corroborated =
    ctx.verdict === 'NOT-WASI'
      ? db.signatures
          .filter((sig) => !candidates.some((c) => c.sig === sig) && matchSignature(sig, { ...ctx, verdict: undefined }))
          .map((sig) => sig.id)
      : [];
  const failed =
    isFailure(ctx.verdict) || (ctx.verdict === undefined && (ctx.trap !== undefined || (ctx.text !== undefined && ctx.text.trim() !== '')));
  const extra = corroborated.length > 0 ? { corroborated } : {};
  if (failed && failures.length === 0) return { diagnoses, unknown: describeUnknown(ctx), ...extra };
  return { diagnoses, ...extra };
}

function describeUnknown(ctx: DiagnoseContext): UnknownFailure {
  const trap = primaryTrap(ctx);
  const failingRun = ctx.p2 && (ctx.p2.trap || ctx.p2.exitCode !== 0) ? ctx.p2 : ctx.p1;
  const message =
    trap?.message ??
    (ctx.conversion && !ctx.conversion.ok ? (ctx.conversion.error ?? ctx.conversion.checkerError) : undefined) ??
    failingRun?.stderr.text.split('\n').find((l) => l.trim()) ??
    ctx.text?.split('\n').find((l) => l.trim()) ??
    ctx.verdict ??
    'failure';
  const evidence: string[] = [];
  if (ctx.verdict) evidence.push(`verdict: ${ctx.verdict}`);
  if (ctx.p1)
    evidence.push(
      `P1 (${ctx.p1.runtime.name}): exit ${ctx.p1.exitCode ?? 'none'}${ctx.p1.trap ? `, ${ctx.p1.trap.kind}: ${ctx.p1.trap.message}` : ''}`,
    );
  if (ctx.conversion?.checkerError !== undefined)
    evidence.push(`conversion not carried out by the checker: ${ctx.conversion.checkerError}`);
  else if (ctx.conversion && !ctx.conversion.ok) evidence.push(`conversion failed: ${ctx.conversion.error ?? '(no message)'}`);
  if (ctx.p2)
    evidence.push(
      `P2 (${ctx.p2.runtime.name}): exit ${ctx.p2.exitCode ?? 'none'}${ctx.p2.trap ? `, ${ctx.p2.trap.kind}: ${ctx.p2.trap.message}` : ''}`,
    );
  if (!ctx.p1 && !ctx.p2 && trap) evidence.push(`trap (${trap.format}): ${trap.kind}: ${trap.message}`);
  if (trap?.adapterLine) evidence.push(`adapter: ${trap.adapterLine.text}`);
  const tc = ctx.artifact?.module?.toolchain;
  if (tc) evidence.push(`toolchain: ${tc.language}${tc.version ? ` ${tc.version}` : ''}`);
  return unknownFailure({ message, trap, evidence });
}

/* ───────────────────────────── predict ───────────────────────────── */

/**
 * Failures predictable from inspect alone: signatures with a `predict` message whose `facts` all hold.
 * @returns one prediction per such signature, 'not-reached' until the runs tell.
 */
export function predict(artifact: Artifact, db: SignatureDb): Prediction[] {
  const out: Prediction[] = [];
  for (const sig of db.signatures) {
    // Every fact the signature names, required or supporting, must hold: a prediction is made on facts alone.
    const facts = [sig.matchers.facts, sig.supporting?.facts].filter((f): f is FactsPattern => f !== undefined);
    if (!sig.predict || facts.length === 0) continue;
    const bag = baseBag({ artifact });
    if (!facts.every((f) => evalFacts(f, artifact, bag).outcome === 'hit')) continue;
    const stage = sig.matchers.conversion !== undefined ? 'convert' : 'run';
    out.push({
      signatureId: sig.id,
      title: sig.title,
      message: renderTemplate(sig.predict, bag) ?? sig.predict,
      confirmed: null,
      outcome: 'not-reached',
      stage,
    });
  }
  return out;
}

export interface PredictionEvidence {
  verdict?: Verdict;
  conversion?: ConversionResult;
  p2?: RunResult;
}

function lastLine(text: string | undefined): string {
  return (
    (text ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1)
      ?.slice(0, 160) ?? '(no message)'
  );
}

/**
 * Mark predictions against what happened: confirmed when a diagnosis with the same signature was made;
 * contradicted when the stage the prediction is about (conversion, or the P2 run) ran to its end without failing
 * that way; not reached otherwise (that stage did not run, or stopped earlier at another problem: a conversion that
 * failed on the first unresolvable import cannot tell whether a later one would have failed too).
 */
export function confirmPredictions(
  predictions: Prediction[],
  diagnoses: Diagnosis[],
  what: PredictionEvidence,
  corroborated: readonly string[] = [],
): Prediction[] {
  const seen = new Set([...diagnoses.map((d) => d.signatureId), ...corroborated]);
  const { verdict, conversion, p2 } = what;
  return predictions.map((p): Prediction => {
    const base = { signatureId: p.signatureId, title: p.title, message: p.message, stage: p.stage };
    if (seen.has(p.signatureId)) return { ...base, confirmed: true, outcome: 'confirmed' };
    const notReached = (reason: string): Prediction => ({ ...base, confirmed: null, outcome: 'not-reached', reason });
    const contradicted = (reason: string): Prediction => ({ ...base, confirmed: false, outcome: 'contradicted', reason });
    if (verdict === 'ERROR') return notReached('the checker could not carry out a run');
    if (p.stage === 'convert') {
      if (!conversion || conversion.skipped) return notReached('no conversion was needed or attempted');
      if (conversion.ok) return contradicted('the module converted');
      return notReached(`conversion stopped at an earlier problem: ${lastLine(conversion.error)}`);
    }
    if (conversion && !conversion.ok) return notReached('the module was not converted, so the P2 run did not happen');
    if (!p2) return notReached('the component was not run');
    if (p2.timedOut || p2.limit || p2.hostError) return notReached('the P2 run did not complete');
    return contradicted('the P2 run did not fail that way');
  });
}
