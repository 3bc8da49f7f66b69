/**
 * GitHub's GraphQL API for the emulator: queries are parsed, validated and executed by graphql-js against GitHub's
 * published schema (`@octokit/graphql-schema`, the introspection result GitHub serves), so a field, argument or
 * enum value GitHub would refuse is refused here, with GitHub's answer shape (HTTP 200, `errors[]` with `type` for
 * execution errors). Data exists only for what the Action uses; asking for anything else is a recorded violation.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildClientSchema,
  defaultFieldResolver,
  execute,
  type GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';

type Json = Record<string, unknown>;

export interface MinimizeCommentInput {
  subjectId: string;
  classifier: string;
  clientMutationId?: string;
}

/** An execution error as GitHub reports it: `type` (FORBIDDEN, NOT_FOUND, …) and a message. */
export interface GraphqlFailure {
  error: { type: string; message: string };
}

export interface GraphqlData {
  nodes(ids: string[]): (Json | null)[];
  minimizeComment(input: MinimizeCommentInput): { value: Json } | GraphqlFailure;
}

export interface GraphqlResult {
  body: { data?: unknown; errors?: Json[] };
  /** Why the request was refused before execution (syntax or schema validation), for the request log. */
  invalid?: string;
  violations: string[];
}

let schema: GraphQLSchema | undefined;
function githubSchema(): GraphQLSchema {
  if (!schema) {
    const file = path.join(path.dirname(fileURLToPath(import.meta.resolve('@octokit/graphql-schema'))), 'schema.json');
    schema = buildClientSchema(JSON.parse(readFileSync(file, 'utf8')) as IntrospectionQuery);
  }
  return schema;
}

class TypedError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function format(e: GraphQLError): Json {
  const typed = e.originalError instanceof TypedError ? { type: e.originalError.type } : {};
  return { ...typed, path: e.path, locations: e.locations, message: e.message };
}

export async function executeGraphql(
  query: string,
  variables: Record<string, unknown> | undefined,
  data: GraphqlData,
): Promise<GraphqlResult> {
  const s = githubSchema();
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (e) {
    const err = e as GraphQLError;
    return { body: { errors: [{ message: err.message, locations: err.locations }] }, invalid: err.message, violations: [] };
  }
  const errors = validate(s, document);
  if (errors.length) return { body: { errors: errors.map(format) }, invalid: errors.map((e) => e.message).join('; '), violations: [] };

  const violations: string[] = [];
  const root = {
    nodes: ({ ids }: { ids: string[] }) => data.nodes(ids),
    minimizeComment: ({ input }: { input: MinimizeCommentInput }) => {
      const r = data.minimizeComment(input);
      if ('error' in r) throw new TypedError(r.error.type, r.error.message);
      return r.value;
    },
  };
  // Every field asked for must have data behind it: a field the emulator does not model is a gap to fill, not null.
  const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
    if (source && typeof source === 'object' && !(info.fieldName in source)) {
      violations.push(`graphql: ${info.parentType.name}.${info.fieldName} is not modelled by the emulator`);
    }
    return defaultFieldResolver(source, args, context, info);
  };
  const result = await execute({ schema: s, document, rootValue: root, variableValues: variables, fieldResolver });
  return { body: { data: result.data ?? null, ...(result.errors ? { errors: result.errors.map(format) } : {}) }, violations };
}
