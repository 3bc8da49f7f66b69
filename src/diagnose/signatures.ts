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
import { placeholderProblems } from './placeholders.js';
import { patternProblem } from './pattern.js';
import { signatureSchema, type Signature } from './signature-schema.js';

// The signature types are the schema's; they live beside it (signature-schema.ts) so that placeholders.ts, which this
// module calls at load time, can name them without importing this module back.
export type {
  ConversionPattern,
  FactsPattern,
  FramePattern,
  ImportPattern,
  MatcherKey,
  Matchers,
  RunPattern,
  Signature,
  TextPattern,
} from './signature-schema.js';

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

/**
 * Where the built-in signatures are. Bundled (`dist/cli.js` etc.), the build copies them to `dist/signatures/`
 * beside the bundle; from source they sit beside this file in `src/diagnose/signatures/`.
 * @param base URL of the calling module (for tests of the bundled layout); defaults to this module's.
 */
export function builtinSignatureDir(base: string | URL = import.meta.url): string {
  const dir = path.dirname(fileURLToPath(base));
  const candidates = [
    path.join(dir, 'signatures'),
    path.resolve(dir, '..', 'diagnose', 'signatures'),
    path.resolve(dir, '..', 'src', 'diagnose', 'signatures'),
  ];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`wasm-p2-check installation is incomplete: built-in signatures not found (looked in ${candidates.join(', ')})`);
}

/** The JSON schema file: beside the signatures directory in both layouts. */
export function signatureSchemaPath(base: string | URL = import.meta.url): string {
  return path.join(path.dirname(builtinSignatureDir(base)), 'signature.schema.json');
}

let validate: ((data: unknown) => ErrorObject[] | undefined) | undefined;

/**
 * Ajv with the schema's two own keywords: `re2` (the string compiles as an RE2 regex: linear-time matching on
 * untrusted text) and `semverRange` (the string is a semver range). A typo fails at load time, naming the path.
 */
function validator(): (data: unknown) => ErrorObject[] | undefined {
  if (!validate) {
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    const keyword = (name: string, problem: (s: string) => string | undefined) => {
      const check = (schema: boolean, data: unknown): boolean => {
        const why = schema && typeof data === 'string' ? problem(data) : undefined;
        check.errors = why ? [{ keyword: name, message: why, params: {} }] : [];
        return why === undefined;
      };
      check.errors = [] as Partial<ErrorObject>[];
      ajv.addKeyword({ keyword: name, type: 'string', schemaType: 'boolean', errors: true, validate: check });
    };
    keyword('re2', (s) => {
      const why = patternProblem(s);
      return (
        why && `invalid regex ${JSON.stringify(s)} (${why}; signature regexes are RE2: no lookaround or backreferences — use 'unless')`
      );
    });
    keyword('semverRange', (s) => (semver.validRange(s) === null ? `invalid semver range ${JSON.stringify(s)}` : undefined));
    const compiled = ajv.compile(signatureSchema);
    validate = (data: unknown) => (compiled(data) ? undefined : (compiled.errors ?? []));
  }
  return validate;
}

function formatAjvError(e: ErrorObject): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties')
    return `${where}: unknown property '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  if (e.keyword === 'enum') return `${where}: ${e.message} (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`;
  return `${where}: ${e.message}`;
}

/**
 * Parse and validate one signature file's text.
 * @param schemaChecked the text is a built-in file the tests already validated against the schema (test/signatures.test.ts
 *   runs every built-in file through this function with the schema): skip compiling the schema with ajv, which is most of
 *   a warm (fully cached) run's start-up, and the placeholder check (it compiles every regex). User files (`--signatures`)
 *   always get both checks.
 * @throws SignatureError naming the file and the JSON path of the first problems.
 */
export async function parseSignature(text: string, file: string, origin = 'builtin', schemaChecked = false): Promise<LoadedSignature> {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new SignatureError(file, `not valid YAML: ${(e as Error).message}`);
  }
  const errors = schemaChecked ? undefined : validator()(data);
  if (errors) throw new SignatureError(file, `does not match signature.schema.json:\n  ${errors.map(formatAjvError).join('\n  ')}`);
  const sig = data as Signature;
  const problems = schemaChecked ? [] : placeholderProblems(sig);
  if (problems.length > 0) throw new SignatureError(file, problems.join('\n  '));
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  if (expected !== sig.id) throw new SignatureError(file, `/id: '${sig.id}' does not match the file name (expected '${expected}')`);
  return { ...sig, file, origin };
}

async function loadDir(dir: string, origin: string, schemaChecked: boolean): Promise<LoadedSignature[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (e) {
    throw new Error(`signature directory ${dir}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const out: LoadedSignature[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    out.push(await parseSignature(await readFile(file, 'utf8'), file, origin, schemaChecked));
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
  // Built-in files ship with the package; the tests run each through the schema and placeholder checks.
  for (const sig of await loadDir(builtinDir, 'builtin', true)) byId.set(sig.id, sig);
  for (const dir of extraDirs) {
    const seen = new Set<string>();
    for (const sig of await loadDir(dir, dir, false)) {
      if (seen.has(sig.id)) throw new SignatureError(sig.file, `/id: duplicate id '${sig.id}' in ${dir}`);
      seen.add(sig.id);
      byId.set(sig.id, sig);
    }
  }
  return { signatures: [...byId.values()], dirs: [builtinDir, ...extraDirs] };
}
