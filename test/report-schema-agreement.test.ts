/**
 * The report's shape is written in two places: the TypeScript types (src/model/<stage>.ts, re-exported by
 * src/model.ts) and the JSON Schema readers validate against (docs/report-schema.json). This test holds them in agreement
 * field by field, from the types themselves (the TypeScript checker) rather than from sample reports: every object
 * has the same property names on both sides, required exactly where the type's property is not optional, and the same
 * values where the schema lists them (`enum`, `const`), followed through arrays, records and `$ref`s from `Report`
 * down, every `$defs` entry reached. A field added to one side only fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
}

/**
 * Fields every report written today has, but version-1 reports written before them lack (saved baselines, cached
 * results): required in the type, optional in the schema so those still read. Nothing else may differ.
 */
const OPTIONAL_FOR_OLDER_REPORTS = new Set(['$defs/Prediction.outcome', '$defs/Prediction.stage', '$defs/ReportSummary.counts.P2-FAIL']);

const schema = JSON.parse(readFileSync(path.join(root, 'docs', 'report-schema.json'), 'utf8')) as SchemaNode & {
  $defs: Record<string, SchemaNode>;
};

function program(): { checker: ts.TypeChecker; exports: Map<string, ts.Symbol> } {
  const file = path.join(root, 'src', 'model.ts');
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    noEmit: true,
    types: [],
  };
  const p = ts.createProgram([file], options);
  const checker = p.getTypeChecker();
  const source = p.getSourceFile(file);
  if (!source) throw new Error('src/model.ts not found');
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error('src/model.ts has no exports');
  const exports = new Map<string, ts.Symbol>();
  for (const s of checker.getExportsOfModule(moduleSymbol))
    exports.set(s.name, s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  return { checker, exports };
}

/** Every disagreement between a TypeScript type and a schema node, as `path: what`. */
function disagreements(checker: ts.TypeChecker, rootType: ts.Type, rootNode: SchemaNode): string[] {
  const problems: string[] = [];
  const seenDefs = new Set<string>();
  const defs = (rootNode as { $defs?: Record<string, SchemaNode> }).$defs;
  const literalValues = (t: ts.Type): unknown[] | undefined => {
    const parts = t.isUnion() ? t.types : [t];
    if (!parts.every((p) => p.isStringLiteral() || p.isNumberLiteral())) return undefined;
    return parts.map((p) => (p as ts.LiteralType).value);
  };
  const walk = (type: ts.Type, node: SchemaNode, at: string): void => {
    if (node.$ref) {
      const name = node.$ref.replace(/^#\/\$defs\//, '');
      const def = (defs ?? schema.$defs)[name];
      if (!def) {
        problems.push(`${at}: $ref ${node.$ref} has no definition`);
        return;
      }
      if (seenDefs.has(name)) return;
      seenDefs.add(name);
      walk(type, def, `$defs/${name}`);
      return;
    }
    type = checker.getNonNullableType(type);
    if (node.const !== undefined) {
      const values = literalValues(type);
      if (values?.length !== 1 || values[0] !== node.const)
        problems.push(`${at}: schema const ${JSON.stringify(node.const)}, type ${checker.typeToString(type)}`);
      return;
    }
    if (node.enum) {
      const values = literalValues(type);
      const want = [...node.enum].map(String).sort();
      const got = values?.map(String).sort();
      if (JSON.stringify(want) !== JSON.stringify(got))
        problems.push(`${at}: schema enum ${want.join('|')}, type ${checker.typeToString(type)}`);
      return;
    }
    if (node.type === 'array' && node.items) {
      if (!checker.isArrayType(type) && !checker.isTupleType(type)) {
        problems.push(`${at}: schema array, type ${checker.typeToString(type)}`);
        return;
      }
      const element = checker.getTypeArguments(type as ts.TypeReference)[0];
      if (element) walk(element, node.items, `${at}[]`);
      return;
    }
    if (node.type === 'object') {
      if (typeof node.additionalProperties === 'object') {
        const index = type.getStringIndexType() ?? checker.getIndexInfosOfType(type)[0]?.type;
        const values = index ? [index] : checker.getPropertiesOfType(type).map((s) => checker.getTypeOfSymbol(s));
        if (values.length === 0) problems.push(`${at}: schema record, type ${checker.typeToString(type)}`);
        for (const v of values.slice(0, 1)) walk(v, node.additionalProperties, `${at}{}`);
      }
      if (!node.properties) return;
      const typeProps = new Map(checker.getPropertiesOfType(type).map((s) => [s.name, s]));
      const schemaProps = Object.keys(node.properties);
      for (const name of schemaProps) if (!typeProps.has(name)) problems.push(`${at}.${name}: in the schema, not in the type`);
      for (const name of typeProps.keys()) if (!(name in node.properties)) problems.push(`${at}.${name}: in the type, not in the schema`);
      const required = new Set(node.required ?? []);
      for (const [name, symbol] of typeProps) {
        const sub = node.properties[name];
        if (!sub) continue;
        const optional = (symbol.flags & ts.SymbolFlags.Optional) !== 0;
        if (optional === required.has(name) && !(!optional && OPTIONAL_FOR_OLDER_REPORTS.has(`${at}.${name}`)))
          problems.push(`${at}.${name}: ${optional ? 'optional in the type, required' : 'required in the type, optional'} in the schema`);
        walk(checker.getTypeOfSymbol(symbol), sub, `${at}.${name}`);
      }
      return;
    }
    const kinds = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
    const flags = (type.isUnion() ? type.types : [type]).reduce((f, t) => f | t.flags, 0);
    const fits = (kind: string): boolean =>
      kind === 'string'
        ? (flags & ts.TypeFlags.StringLike) !== 0
        : kind === 'integer' || kind === 'number'
          ? (flags & ts.TypeFlags.NumberLike) !== 0
          : kind === 'boolean'
            ? (flags & ts.TypeFlags.BooleanLike) !== 0
            : true;
    if (kinds.length > 0 && !kinds.some(fits)) problems.push(`${at}: schema ${kinds.join('|')}, type ${checker.typeToString(type)}`);
  };
  walk(rootType, rootNode, 'Report');
  if (defs) for (const name of Object.keys(defs)) if (!seenDefs.has(name)) problems.push(`$defs/${name}: not reached from Report`);
  return problems;
}

describe('report schema and types', () => {
  const { checker, exports } = program();
  const typeOf = (name: string): ts.Type => {
    const symbol = exports.get(name);
    if (!symbol) throw new Error(`src/model.ts exports no ${name}`);
    return checker.getDeclaredTypeOfSymbol(symbol);
  };

  it('Report and docs/report-schema.json agree field by field', () => {
    const problems: string[] = [];
    for (const p of disagreements(checker, typeOf('Report'), schema)) {
      // A definition no field refers to (e.g. ChangeClass, documenting the values) is checked against its namesake type.
      const name = /^\$defs\/(\w+): not reached from Report$/.exec(p)?.[1];
      const def = name ? schema.$defs[name] : undefined;
      if (name && def && exports.has(name)) problems.push(...disagreements(checker, typeOf(name), def));
      else problems.push(p);
    }
    expect(problems).toEqual([]);
  });

  it('reports a field added to one side only, or a definition nothing uses (the check is not vacuous)', () => {
    const artifactResult = schema.$defs.ArtifactResult as SchemaNode;
    const extra: SchemaNode = {
      ...artifactResult,
      properties: { ...artifactResult.properties, addedInSchemaOnly: { type: 'string' } },
      required: (artifactResult.required ?? []).filter((n) => n !== 'verdict'),
    };
    const problems = disagreements(checker, typeOf('ArtifactResult'), extra);
    expect(problems).toContain('Report.addedInSchemaOnly: in the schema, not in the type');
    expect(problems).toContain('Report.verdict: required in the type, optional in the schema');
    const fewer: SchemaNode = { ...artifactResult, properties: { ...artifactResult.properties } };
    delete fewer.properties?.cached;
    expect(disagreements(checker, typeOf('ArtifactResult'), fewer)).toContain('Report.cached: in the type, not in the schema');
    const unused = { ...schema, $defs: { ...schema.$defs, Unused: { type: 'string' } } };
    expect(disagreements(checker, typeOf('Report'), unused)).toContain('$defs/Unused: not reached from Report');
  });
});
