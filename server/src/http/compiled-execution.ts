import { GraphQLError, getVariableValues, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import type { GatewayInterface } from "@apollo/server-gateway-interface";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";

/** Compiled operations kept per document: enough for every operation a client sends in one document. */
const OPERATIONS_PER_DOCUMENT = 16;

/**
 * Apollo Server with graphql-jit instead of graphql-js's `execute`: each operation is compiled to a function
 * once, then every request runs that function (graphql-js re-walks the document and re-collects fields per
 * object per request; on a 50-track page that is most of the API's own CPU time). Apollo Server has no
 * executor option for a plain schema, so the schema comes through its gateway interface, whose `executor`
 * replaces `execute`; everything before it (parsing, validation and its document cache, the plugins and their
 * limits, error formatting, HTTP status) is Apollo's as before. Apollo's document cache hands back the same
 * DocumentNode for a repeated query string, so the compiled operation is kept per document in a WeakMap: it
 * goes when the cache drops the document.
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>();
  const compile = (document: DocumentNode, operationName: string | undefined): CompiledQuery | ExecutionResult => {
    let byOperation = compiled.get(document);
    if (!byOperation) compiled.set(document, (byOperation = new Map()));
    const key = operationName ?? "";
    let query = byOperation.get(key);
    if (!query) {
      if (byOperation.size >= OPERATIONS_PER_DOCUMENT) byOperation.clear();
      byOperation.set(key, (query = compileQuery(schema, document, operationName)));
    }
    return query;
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => undefined;
    },
    async load() {
      return {
        async executor({ document, operation, request, context }) {
          // Variables are checked by graphql-js first: its errors carry the variable's node, from which Apollo
          // makes them BAD_USER_INPUT with status 400, word for word as without compilation.
          const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {});
          if (coerced.errors) return { errors: coerced.errors };
          const query = compile(document, request.operationName ?? undefined);
          // graphql-js's coerced values go on: graphql-jit's own coercion does not fill an input object's field
          // defaults inside a variable (a path without `audioMode` failed with "was not provided").
          const result = isCompiledQuery(query) ? await query.query(undefined, context, coerced.coerced) : query;
          return result.errors ? { ...result, errors: result.errors.map(upstreamError) } : result;
        },
      };
    },
    async stop() {},
  };
}

/**
 * graphql-jit's errors are its own class, without `extensions` when the thrown error had none, which Apollo's error
 * formatting reads: each becomes graphql-js's GraphQLError with the same message, path, locations and cause.
 */
function upstreamError(error: GraphQLError): GraphQLError {
  const { message, path, originalError, extensions, locations } = error;
  const upstream = new GraphQLError(message, { ...(path ? { path } : {}), ...(originalError ? { originalError } : {}), ...(extensions ? { extensions } : {}) });
  // graphql-jit keeps locations but not the nodes graphql-js would compute them from.
  if (locations) Object.assign(upstream, { locations });
  return upstream;
}
