/**
 * The signature database: one YAML file per known failure, validated against `signature.schema.json`
 * when loaded. Knowledge lives in those files; this module only reads and checks them.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv/dist/2020.js';
import semver from 'semver';
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
async function validator(): Promise<(data: unknown) => ErrorObject[] | undefined> {
  if (!validate) {
    // Loaded here, not with this module: only user signature files are checked against the schema.
    const { default: Ajv2020 } = await import('ajv/dist/2020.js');
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
    // Loaded at the first parse, not with this module: a run whose results all come from the cache parses none.
    // (`default`: yaml is CommonJS, whose module object is the default export both in Node and in the bundle's chunk.)
    const { default: yaml } = await import('yaml');
    data = yaml.parse(text, { prettyErrors: true });
  } catch (e) {
    throw new SignatureError(file, `not valid YAML: ${(e as Error).message}`);
  }
  const errors = schemaChecked ? undefined : (await validator())(data);
  if (errors) throw new SignatureError(file, `does not match signature.schema.json:\n  ${errors.map(formatAjvError).join('\n  ')}`);
  const sig = data as Signature;
  const problems = schemaChecked ? [] : placeholderProblems(sig);
  if (problems.length > 0) throw new SignatureError(file, problems.join('\n  '));
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  if (expected !== sig.id) throw new SignatureError(file, `/id: '${sig.id}' does not match the file name (expected '${expected}')`);
  return { ...sig, file, origin };
}

/** The signature files of a folder (`*.yaml`, `*.yml`), sorted by name, with their text. */
async function readDir(dir: string): Promise<{ file: string; text: string }[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (e) {
    throw new Error(`signature directory ${dir}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return Promise.all(names.map(async (name) => ({ file: path.join(dir, name), text: await readFile(path.join(dir, name), 'utf8') })));
}

async function parseDir(files: { file: string; text: string }[], origin: string, schemaChecked: boolean): Promise<LoadedSignature[]> {
  const out: LoadedSignature[] = [];
  for (const { file, text } of files) out.push(await parseSignature(text, file, origin, schemaChecked));
  return out;
}

/**
 * A signature database whose built-in part is parsed only when a diagnosis first needs it: a run whose results all
 * come from the cache never does (parsing the built-in YAML was the largest part of such a run after Node's own start).
 */
export interface PreparedSignatures {
  /** The content of every signature file read (names and bytes, built-in and user): part of the result-cache key. */
  readonly version: string;
  /** The database (loaded once). */
  load(): Promise<SignatureDb>;
  /** Whether load() was called. */
  readonly loaded: boolean;
}

/**
 * Reads the signature files and checks the user's now (`extraDirs`, `--signatures DIR`): a file that is not valid YAML
 * or not schema-valid is a configuration error before anything runs. A user signature with the id of a built-in one
 * replaces it (so users can tune a built-in signature without forking).
 * @throws SignatureError naming the file and the JSON path of the first problems.
 */
export async function prepareSignatures(extraDirs: string[] = []): Promise<PreparedSignatures> {
  const builtinDir = builtinSignatureDir();
  const builtinFiles = await readDir(builtinDir);
  const hash = createHash('sha256');
  const userSigs: LoadedSignature[] = [];
  for (const dir of extraDirs) {
    const files = await readDir(dir);
    const seen = new Set<string>();
    for (const sig of await parseDir(files, dir, false)) {
      if (seen.has(sig.id)) throw new SignatureError(sig.file, `/id: duplicate id '${sig.id}' in ${dir}`);
      seen.add(sig.id);
      userSigs.push(sig);
    }
    hash.update(`d\0${files.length}\0`);
    for (const { file, text } of files) hash.update(`${path.basename(file)}\0${text.length}\0${text}\0`);
  }
  hash.update(`builtin\0${builtinFiles.length}\0`);
  for (const { file, text } of builtinFiles) hash.update(`${path.basename(file)}\0${text.length}\0${text}\0`);
  let db: Promise<SignatureDb> | undefined;
  return {
    version: hash.digest('hex'),
    get loaded() {
      return db !== undefined;
    },
    load: () => {
      db ??= parseDir(builtinFiles, 'builtin', true).then((builtin) => {
        const byId = new Map<string, LoadedSignature>();
        // Built-in files ship with the package; the tests run each through the schema and placeholder checks.
        for (const sig of [...builtin, ...userSigs]) byId.set(sig.id, sig);
        return { signatures: [...byId.values()], dirs: [builtinDir, ...extraDirs] };
      });
      return db;
    },
  };
}

/**
 * Load the built-in signatures and those in `extraDirs` (`--signatures DIR`); see prepareSignatures().
 * @throws SignatureError when a file is not valid YAML or not schema-valid (message names file and JSON path).
 */
export async function loadSignatures(extraDirs: string[] = []): Promise<SignatureDb> {
  return (await prepareSignatures(extraDirs)).load();
}
