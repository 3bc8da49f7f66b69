/**
 * The signature database: one YAML file per known failure, validated against `signature.schema.json`
 * when loaded. Knowledge lives in those files; this module only reads and checks them.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020.js';
import semver from 'semver';
import { parse as parseYaml } from 'yaml';
import type { Confidence, FrameOrigin, Verdict } from '../model.js';

export type MatcherKey =
  | 'message'
  | 'trapKind'
  | 'frames'
  | 'framesAnywhere'
  | 'adapterLine'
  | 'facts'
  | 'conversion'
  | 'verdict'
  | 'p1'
  | 'p2'
  | 'diff';

export interface FramePattern {
  /** Regex over the demangled frame name. */
  name: string;
  origin?: FrameOrigin | FrameOrigin[];
  /** Regex over the frame's module part as printed. */
  module?: string;
}

export interface ImportPattern {
  module?: string;
  name?: string;
}

export interface RunPattern {
  exitCode?: number | number[] | 'zero' | 'nonzero' | 'none';
  trapped?: boolean;
  timedOut?: boolean;
  stdout?: string[];
  stderr?: string[];
}

export interface FactsPattern {
  toolchain?: { language?: string; version?: string };
  imports?: ImportPattern[];
  noImports?: ImportPattern[];
  exports?: string[];
  noExports?: string[];
  hasCabiRealloc?: boolean;
  hasStart?: boolean;
  hasInitialize?: boolean;
  style?: 'command' | 'reactor';
  wasiUnstable?: boolean;
  nonWasiImports?: boolean;
  nonWasiImportModule?: string;
  memory?: { shared?: boolean; memory64?: boolean; imported?: boolean; exported?: boolean; multiple?: boolean };
  features?: string[];
}

export interface ConversionPattern {
  error?: string[];
  adapter?: 'present' | 'absent';
  adapterKind?: 'command' | 'reactor';
  /** sha256 of adapter files known to have the problem (released adapters whose version convert cannot name). */
  adapterSha256?: string[];
  adapterName?: string;
  adapterNameNot?: string;
  adapterVersion?: string;
  adapterWasiVersion?: string;
}

export interface Matchers {
  message?: string[];
  trapKind?: string[];
  frames?: FramePattern[];
  framesAnywhere?: FramePattern[];
  adapterLine?: { category?: string | string[]; check?: string; fn?: string; kind?: 'assertion' | 'unreachable' };
  facts?: FactsPattern;
  conversion?: ConversionPattern;
  verdict?: Verdict[];
  p1?: RunPattern;
  p2?: RunPattern;
  diff?: { exitCode?: boolean; stdout?: boolean; stderr?: boolean };
}

/** One signature as written in its YAML file. */
export interface Signature {
  id: string;
  title: string;
  cause: string;
  severity?: 'failure' | 'note';
  confidence: Confidence;
  verdicts?: Verdict[];
  keyEvidence?: MatcherKey[];
  matchers: Matchers;
  /** Conditions that add to the score when they hold and never reject; none holding lowers confidence a step. */
  supporting?: Matchers;
  evidence: string[];
  affected?: { toolchain?: Record<string, string>; adapter?: string; runtime?: Record<string, string> };
  workarounds: { text: string; safe: boolean; why: string }[];
  links: { title: string; url: string }[];
  fixtures: string[];
  predict?: string;
  notes?: string;
}

export interface LoadedSignature extends Signature {
  /** File it was loaded from. */
  file: string;
  /** 'builtin' or the user directory it came from. */
  origin: string;
}

export interface SignatureDb {
  signatures: LoadedSignature[];
  /** Directories read, built-in first. */
  dirs: string[];
}

export class SignatureError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'SignatureError';
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Where the built-in signatures are. Bundled (`dist/cli.js` etc.), the build copies them to `dist/signatures/`
 * beside the bundle; from source they sit beside this file in `src/diagnose/signatures/`.
 * @param base URL of the calling module (for tests of the bundled layout); defaults to this module's.
 */
export function builtinSignatureDir(base: string | URL = import.meta.url): string {
  const dir = path.dirname(fileURLToPath(base));
  const candidates = [path.join(dir, 'signatures'), path.resolve(dir, '..', 'diagnose', 'signatures'), path.resolve(dir, '..', 'src', 'diagnose', 'signatures')];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`wasm-p2-check installation is incomplete: built-in signatures not found (looked in ${candidates.join(', ')})`);
}

/** The JSON schema file: beside the signatures directory in both layouts. */
export function signatureSchemaPath(base: string | URL = import.meta.url): string {
  return path.join(path.dirname(builtinSignatureDir(base)), 'signature.schema.json');
}

let validatorPromise: Promise<(data: unknown) => ErrorObject[] | undefined> | undefined;

async function validator(): Promise<(data: unknown) => ErrorObject[] | undefined> {
  validatorPromise ??= (async () => {
    const schemaFile = existsSync(signatureSchemaPath()) ? signatureSchemaPath() : path.join(here, 'signature.schema.json');
    const schema = JSON.parse(await readFile(schemaFile, 'utf8')) as object;
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    const validate = ajv.compile(schema);
    return (data: unknown) => (validate(data) ? undefined : (validate.errors ?? []));
  })();
  return validatorPromise;
}

function formatAjvError(e: ErrorObject): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${where}: unknown property '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  if (e.keyword === 'enum') return `${where}: ${e.message} (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`;
  return `${where}: ${e.message}`;
}

/** Every regex and semver range in a signature must compile: a typo should fail at load time, not match nothing. */
function checkPatterns(sig: Signature): string[] {
  const problems = checkMatchers(sig.matchers, '/matchers');
  if (sig.supporting) problems.push(...checkMatchers(sig.supporting, '/supporting'));
  if (sig.affected) {
    for (const [k, r] of Object.entries(sig.affected.toolchain ?? {})) checkRange(problems, `/affected/toolchain/${k}`, r);
    for (const [k, r] of Object.entries(sig.affected.runtime ?? {})) checkRange(problems, `/affected/runtime/${k}`, r);
    checkRange(problems, '/affected/adapter', sig.affected.adapter);
  }
  return problems;
}

function checkRange(problems: string[], at: string, r: string | undefined): void {
  if (r !== undefined && semver.validRange(r) === null) problems.push(`${at}: invalid semver range ${JSON.stringify(r)}`);
}

function checkMatchers(m: Matchers, base: string): string[] {
  const problems: string[] = [];
  const re = (at: string, source: string | undefined) => {
    if (source === undefined) return;
    try {
      new RegExp(source, 'im');
    } catch (e) {
      problems.push(`${at}: invalid regex ${JSON.stringify(source)} (${(e as Error).message})`);
    }
  };
  const range = (at: string, r: string | undefined) => checkRange(problems, at, r);
  m.message?.forEach((s, i) => re(`${base}/message/${i}`, s));
  for (const key of ['frames', 'framesAnywhere'] as const) {
    m[key]?.forEach((f, i) => {
      re(`${base}/${key}/${i}/name`, f.name);
      re(`${base}/${key}/${i}/module`, f.module);
    });
  }
  re(`${base}/adapterLine/check`, m.adapterLine?.check);
  re(`${base}/adapterLine/fn`, m.adapterLine?.fn);
  const f = m.facts;
  if (f) {
    re(`${base}/facts/toolchain/language`, f.toolchain?.language);
    range(`${base}/facts/toolchain/version`, f.toolchain?.version);
    for (const key of ['imports', 'noImports'] as const) {
      f[key]?.forEach((p, i) => {
        re(`${base}/facts/${key}/${i}/module`, p.module);
        re(`${base}/facts/${key}/${i}/name`, p.name);
      });
    }
    f.exports?.forEach((s, i) => re(`${base}/facts/exports/${i}`, s));
    f.noExports?.forEach((s, i) => re(`${base}/facts/noExports/${i}`, s));
    re(`${base}/facts/nonWasiImportModule`, f.nonWasiImportModule);
  }
  const c = m.conversion;
  if (c) {
    c.error?.forEach((s, i) => re(`${base}/conversion/error/${i}`, s));
    re(`${base}/conversion/adapterName`, c.adapterName);
    re(`${base}/conversion/adapterNameNot`, c.adapterNameNot);
    range(`${base}/conversion/adapterVersion`, c.adapterVersion);
    range(`${base}/conversion/adapterWasiVersion`, c.adapterWasiVersion);
  }
  for (const phase of ['p1', 'p2'] as const) {
    m[phase]?.stdout?.forEach((s, i) => re(`${base}/${phase}/stdout/${i}`, s));
    m[phase]?.stderr?.forEach((s, i) => re(`${base}/${phase}/stderr/${i}`, s));
  }
  return problems;
}

/**
 * Parse and validate one signature file's text.
 * @throws SignatureError naming the file and the JSON path of the first problems.
 */
export async function parseSignature(text: string, file: string, origin = 'builtin'): Promise<LoadedSignature> {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new SignatureError(file, `not valid YAML: ${(e as Error).message}`);
  }
  const errors = (await validator())(data);
  if (errors) throw new SignatureError(file, `does not match signature.schema.json:\n  ${errors.map(formatAjvError).join('\n  ')}`);
  const sig = data as Signature;
  const problems = checkPatterns(sig);
  if (problems.length > 0) throw new SignatureError(file, problems.join('\n  '));
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  if (expected !== sig.id) throw new SignatureError(file, `/id: '${sig.id}' does not match the file name (expected '${expected}')`);
  return { ...sig, file, origin };
}

async function loadDir(dir: string, origin: string): Promise<LoadedSignature[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (e) {
    throw new Error(`signature directory ${dir}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const out: LoadedSignature[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    out.push(await parseSignature(await readFile(file, 'utf8'), file, origin));
  }
  return out;
}

/**
 * Load the built-in signatures and those in `extraDirs` (`--signatures DIR`). A user signature with the id of a
 * built-in one replaces it (so users can tune a built-in signature without forking).
 * @throws SignatureError when a file is not valid YAML or not schema-valid (message names file and JSON path).
 */
export async function loadSignatures(extraDirs: string[] = []): Promise<SignatureDb> {
  const builtinDir = builtinSignatureDir();
  const byId = new Map<string, LoadedSignature>();
  for (const sig of await loadDir(builtinDir, 'builtin')) byId.set(sig.id, sig);
  for (const dir of extraDirs) {
    const seen = new Set<string>();
    for (const sig of await loadDir(dir, dir)) {
      if (seen.has(sig.id)) throw new SignatureError(sig.file, `/id: duplicate id '${sig.id}' in ${dir}`);
      seen.add(sig.id);
      byId.set(sig.id, sig);
    }
  }
  return { signatures: [...byId.values()], dirs: [builtinDir, ...extraDirs] };
}
