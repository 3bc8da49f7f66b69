/**
 * GitHub's official REST description (`@octokit/openapi`, api.github.com, OpenAPI 3.0) made usable for validation:
 * a router from method + path to the operation, ajv validators for parameters, request bodies and responses
 * (`$ref`s resolved, OpenAPI's `nullable` turned into JSON Schema), and a sampler that builds a minimal valid
 * instance of any schema, which the emulator and the tests fill in with their own values.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;

export interface Operation {
  operationId: string;
  method: string;
  template: string;
  parameters: Parameter[];
  requestSchema?: Json;
  responses: Record<string, Json>;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Json;
}

interface Route {
  template: string;
  regex: RegExp;
  names: string[];
  /** Literal segments first: `/issues/comments/{id}` beats `/issues/{number}/comments`. */
  specificity: number[];
  methods: Map<string, Operation>;
}

const SCHEMA_ID = 'https://api.github.com/openapi/components';
const COMPONENT_REF = '#/components/schemas/';

/** OpenAPI 3.0 schema → JSON Schema for ajv. Walks schema positions only, so a property named `example` survives. */
function convertSchema(node: unknown, external: boolean): unknown {
  if (Array.isArray(node) || node === null || typeof node !== 'object') return node;
  const s = node as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (
      k === 'example' ||
      k === 'examples' ||
      k === 'discriminator' ||
      k === 'xml' ||
      k === 'externalDocs' ||
      k === 'nullable' ||
      k.startsWith('x-')
    )
      continue;
    if (k === '$ref' && typeof v === 'string') {
      out.$ref = external && v.startsWith(COMPONENT_REF) ? `${SCHEMA_ID}${v}` : v;
    } else if (k === 'properties' || k === 'patternProperties') {
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([name, sub]) => [name, convertSchema(sub, external)]));
    } else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && typeof v === 'object') {
      out[k] = convertSchema(v, external);
    } else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) {
      out[k] = v.map((sub) => convertSchema(sub, external));
    } else {
      out[k] = v;
    }
  }
  if (s.nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [{ type: 'null' }, out] };
}

export class GitHubOpenApi {
  readonly doc: Json;
  readonly ajv: Ajv;
  private readonly routes: Route[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(file = GitHubOpenApi.descriptionPath()) {
    this.doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, logger: false });
    this.ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) });
    this.ajv.addFormat('uri-template', { type: 'string', validate: () => true });
    this.ajv.addFormat('date-time', {
      type: 'string',
      validate: (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)),
    });
    this.ajv.addFormat('date', { type: 'string', validate: (s: string) => /^\d{4}-\d\d-\d\d$/.test(s) });
    this.ajv.addFormat('email', { type: 'string', validate: (s: string) => /^[^\s@]+@[^\s@]+$/.test(s) });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
    const components = this.doc.components as Json;
    const schemas = Object.fromEntries(Object.entries(components.schemas as Json).map(([k, v]) => [k, convertSchema(v, false)]));
    this.ajv.addSchema({ $id: SCHEMA_ID, components: { schemas } });
    this.buildRoutes();
  }

  /** The api.github.com description inside `@octokit/openapi` (not the `.deref` variant: `$ref`s keep it small). */
  static descriptionPath(): string {
    const require = createRequire(import.meta.url);
    return path.join(path.dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json');
  }

  /** Resolves a local `$ref` (`#/components/...`). */
  resolve<T = Json>(node: unknown): T {
    let cur = node as Json;
    for (let i = 0; i < 10 && cur && typeof cur.$ref === 'string' && !(cur.$ref as string).startsWith(COMPONENT_REF); i++) {
      cur = (cur.$ref as string)
        .slice(2)
        .split('/')
        .reduce<unknown>((o, k) => (o as Json)[k], this.doc) as Json;
    }
    return cur as T;
  }

  private buildRoutes(): void {
    for (const [template, item] of Object.entries(this.doc.paths as Json)) {
      const names: string[] = [];
      const segments = template.split('/').filter(Boolean);
      const regex = new RegExp(
        `^/${segments
          .map((seg) =>
            seg.replace(/\{([^}]+)\}|[^{}]+/g, (m, name?: string) => {
              if (name) {
                names.push(name);
                return '([^/]+)';
              }
              return m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            }),
          )
          .join('/')}$`,
      );
      const specificity = segments.map((seg) => (seg.includes('{') ? 0 : 1));
      const methods = new Map<string, Operation>();
      const shared = ((item as Json).parameters as unknown[] | undefined) ?? [];
      for (const [method, opRaw] of Object.entries(item as Json)) {
        if (!['get', 'post', 'put', 'patch', 'delete', 'head'].includes(method)) continue;
        const op = opRaw as Json;
        const parameters = [...shared, ...((op.parameters as unknown[] | undefined) ?? [])].map((p) => this.resolve<Parameter>(p));
        const body = op.requestBody ? this.resolve<Json>(op.requestBody) : undefined;
        const requestSchema = ((body?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined;
        methods.set(method.toUpperCase(), {
          operationId: op.operationId as string,
          method: method.toUpperCase(),
          template,
          parameters,
          requestSchema,
          responses: Object.fromEntries(Object.entries(op.responses as Json).map(([status, r]) => [status, this.resolve<Json>(r)])),
        });
      }
      this.routes.push({ template, regex, names, specificity, methods });
    }
    // Most literal segments first, earlier literals breaking ties.
    this.routes.sort((a, b) => {
      for (let i = 0; i < Math.max(a.specificity.length, b.specificity.length); i++) {
        const d = (b.specificity[i] ?? -1) - (a.specificity[i] ?? -1);
        if (d !== 0) return d;
      }
      return 0;
    });
  }

  /**
   * @returns the operation for a method and path (without the API prefix), `route-only` when the path exists but
   *   not for that method, or undefined for an unknown path.
   */
  match(method: string, pathname: string): { op: Operation; params: Record<string, string> } | 'method-not-allowed' | undefined {
    let pathFound = false;
    for (const r of this.routes) {
      const m = r.regex.exec(pathname);
      if (!m) continue;
      pathFound = true;
      const op = r.methods.get(method);
      if (!op) continue;
      const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      return { op, params };
    }
    return pathFound ? 'method-not-allowed' : undefined;
  }

  /** A cached validator for a schema from the description (inline or `$ref`). */
  validator(key: string, schema: Json): ValidateFunction {
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(convertSchema(schema, true) as Json);
      this.validators.set(key, v);
    }
    return v;
  }

  componentSchema(name: string): Json {
    const s = (((this.doc.components as Json).schemas as Json)[name] as Json | undefined) ?? undefined;
    if (!s) throw new Error(`no schema components/schemas/${name}`);
    return s;
  }

  /** Validates `value` against `#/components/schemas/<name>`; returns ajv's errors (empty when valid). */
  validateComponent(name: string, value: unknown): ErrorObject[] {
    const v = this.validator(`component:${name}`, { $ref: `${COMPONENT_REF}${name}` });
    return v(value) ? [] : (v.errors ?? []);
  }

  /**
   * A minimal instance of a schema: required properties only, the first of `enum`/`anyOf`/`oneOf`, `null` for a
   * nullable value, plausible strings per `format`. Then `overrides` (deep-merged) supply the values that matter.
   */
  sample(schema: Json, overrides?: unknown, depth = 0): unknown {
    const base = this.sampleBase(schema, depth);
    return overrides === undefined ? base : deepMerge(base, overrides);
  }

  private sampleBase(schemaIn: Json, depth: number): unknown {
    if (depth > 40) throw new Error('schema sampling too deep');
    let schema = schemaIn;
    if (typeof schema.$ref === 'string') {
      const ref = schema.$ref;
      schema = ref.startsWith(COMPONENT_REF) ? this.componentSchema(ref.slice(COMPONENT_REF.length)) : this.resolve(schema);
    }
    if (schema.nullable === true) return null;
    if (Array.isArray(schema.allOf)) {
      return (schema.allOf as Json[]).reduce<unknown>((acc, sub) => deepMerge(acc, this.sampleBase(sub, depth + 1)), {});
    }
    for (const k of ['oneOf', 'anyOf'] as const) {
      if (Array.isArray(schema[k])) return this.sampleBase((schema[k] as Json[])[0]!, depth + 1);
    }
    if (Array.isArray(schema.enum)) return schema.enum[0];
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'object':
      case undefined: {
        if (!schema.properties && type === undefined) return {};
        const out: Json = {};
        const props = (schema.properties as Json | undefined) ?? {};
        for (const name of (schema.required as string[] | undefined) ?? []) {
          out[name] = props[name] ? this.sampleBase(props[name] as Json, depth + 1) : {};
        }
        return out;
      }
      case 'array':
        return [];
      case 'integer':
      case 'number':
        return typeof schema.minimum === 'number' ? schema.minimum : 1;
      case 'boolean':
        return false;
      case 'null':
        return null;
      case 'string':
        switch (schema.format) {
          case 'uri':
            return 'https://api.github.com/';
          case 'uri-template':
            return 'https://api.github.com/{path}';
          case 'date-time':
            return '2025-01-01T00:00:00Z';
          case 'date':
            return '2025-01-01';
          case 'email':
            return 'octocat@github.com';
          default:
            return typeof schema.minLength === 'number' && schema.minLength > 0 ? 'x'.repeat(schema.minLength) : 'x';
        }
      default:
        return null;
    }
  }
}

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `b` over `a`; objects merge key by key, everything else (arrays included) is replaced. */
export function deepMerge(a: unknown, b: unknown): unknown {
  if (!isPlainObject(a) || !isPlainObject(b)) return b;
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = deepMerge(a[k], v);
  return out;
}

export function formatErrors(errors: ErrorObject[]): string {
  return errors
    .slice(0, 8)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('; ');
}

let shared: GitHubOpenApi | undefined;
/** One parsed description per process: it is 13 MB of JSON. */
export function githubOpenApi(): GitHubOpenApi {
  shared ??= new GitHubOpenApi();
  return shared;
}
