/**
 * The JSON report: a stable serialisation of `Report`, and the loader that `post-from-report` uses.
 * The format is documented by docs/report-schema.json (JSON Schema draft 2020-12).
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import schema from '../../docs/report-schema.json' with { type: 'json' };
import { validate as validateArtifactResult } from './artifact-result-validator.generated.js';
import { REPORT_SCHEMA_VERSION, type ExplainResult, type Report } from '../model.js';
import { summarize } from './summary.js';

export { schema as reportSchema };

/** Top-level keys in reading order; everything below is sorted by name. */
const ROOT_ORDER = ['schemaVersion', 'tool', 'createdAt', 'runtime', 'sandbox', 'summary', 'results'];

function sortKeys(value: unknown, order?: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v));
  if (value === null || typeof value !== 'object') return value;
  const rank = (k: string): number => {
    const i = order?.indexOf(k) ?? -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}

/**
 * Serialises a report: 2-space indent, keys in a stable order (schemaVersion first, the rest sorted),
 * undefined fields omitted, trailing newline.
 */
export function renderJson(report: Report): string {
  return `${JSON.stringify(sortKeys(report, ROOT_ORDER), null, 2)}\n`;
}

/** `explain --json`: the explanation with `schemaVersion` first, the rest sorted like a report's. */
export function renderExplanationJson(result: ExplainResult): string {
  return `${JSON.stringify(sortKeys(result, ['schemaVersion', 'trap', 'artifact', 'diagnoses', 'unknown']), null, 2)}\n`;
}

/** Thrown by `parseReport`; the message says what is wrong and where. */
export class ReportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportFormatError';
  }
}

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

/** Validates against the whole report schema, or (`def`) one of its `$defs`. */
function validate(data: unknown, def?: string): ErrorObject[] {
  let fn = validators.get(def ?? '');
  if (!fn) {
    if (!ajv) {
      ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strict: true });
      ajv.addSchema(schema);
    }
    fn = ajv.getSchema(def ? `${schema.$id}#/$defs/${def}` : schema.$id)!;
    validators.set(def ?? '', fn);
  }
  return fn(data) ? [] : (fn.errors ?? []);
}

/**
 * Checks that untrusted data (e.g. a result-cache entry) is one `ArtifactResult` of this schema version.
 * @returns the problems, empty when valid.
 */
export function artifactResultProblems(data: unknown): string[] {
  // ajv's standalone code for $defs/ArtifactResult, generated from the schema (scripts/gen-report-validator.mjs; a test
  // keeps it current): a warm run validates every cache entry without compiling the schema first.
  const valid = validateArtifactResult as ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
  return valid(data) ? [] : (valid.errors ?? []).slice(0, 5).map(describeError);
}

function describeError(e: ErrorObject): string {
  const where = e.instancePath || '(root)';
  if (e.keyword === 'enum')
    return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'required') return `${where}: missing required property '${(e.params as { missingProperty: string }).missingProperty}'`;
  return `${where}: ${e.message ?? e.keyword}`;
}

/**
 * Loads a saved JSON report and validates it against docs/report-schema.json.
 * @throws ReportFormatError on invalid JSON, a report of another schema version, or a schema violation.
 */
export function parseReport(text: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ReportFormatError(`not a wasm-p2-check report: invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ReportFormatError('not a wasm-p2-check report: expected a JSON object');
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version === undefined) {
    throw new ReportFormatError('not a wasm-p2-check report: it has no schemaVersion');
  }
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new ReportFormatError(
      `unsupported report schema version ${JSON.stringify(version)}: this wasm-p2-check reads version ${REPORT_SCHEMA_VERSION}; ` +
        'post the report with the same wasm-p2-check version that wrote it',
    );
  }
  const errors = validate(data);
  if (errors.length) {
    const shown = errors.slice(0, 5).map(describeError);
    const more = errors.length > 5 ? ` (and ${errors.length - 5} more)` : '';
    throw new ReportFormatError(`invalid wasm-p2-check report (schema version ${REPORT_SCHEMA_VERSION}): ${shown.join('; ')}${more}`);
  }
  return data as Report;
}

/**
 * Loads a baseline report (untrusted: another run's output, a shared cache entry). Like `parseReport`, but a report of
 * another schema version is still used when it validates against this version's schema (it keeps its own
 * `schemaVersion`, so the comparison names the difference). Its summary is never believed: recomputed from its results.
 * @throws ReportFormatError naming what is wrong
 */
export function parseBaseline(text: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ReportFormatError(`not a wasm-p2-check report: invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const isObject = data !== null && typeof data === 'object' && !Array.isArray(data);
  const version = isObject ? (data as { schemaVersion?: unknown }).schemaVersion : undefined;
  let report: Report;
  if (!Number.isSafeInteger(version) || version === REPORT_SCHEMA_VERSION) report = parseReport(text);
  else {
    try {
      report = parseReport(JSON.stringify({ ...(data as object), schemaVersion: REPORT_SCHEMA_VERSION }));
    } catch (e) {
      throw new ReportFormatError(
        `a report of schema version ${String(version)}, which this wasm-p2-check (schema version ${REPORT_SCHEMA_VERSION}) cannot ` +
          `read: ${(e as Error).message.replace(/^invalid wasm-p2-check report \(schema version \d+\): /, '')}`,
      );
    }
    report = { ...report, schemaVersion: version as typeof REPORT_SCHEMA_VERSION };
  }
  return { ...report, summary: summarize(report.results) };
}
