import { execute, parse, validate, type GraphQLSchema } from "graphql";
import type { ResolveContext } from "./connections";

type Json = Record<string, unknown>;

const isConnection = (value: unknown): value is { edges: Array<{ node: Json }> } =>
  typeof value === "object" && value !== null && Array.isArray((value as Json).edges);

/**
 * Runs a bulk query over the whole store and writes the result the way Shopify does: one JSON
 * object per line, nested connection nodes as their own lines after their parent, carrying
 * `__parentId`; other nested objects and lists stay inline.
 */
export async function runBulkQuery(
  schema: GraphQLSchema,
  query: string,
  rootValue: unknown,
  fieldResolver: Parameters<typeof execute>[0]["fieldResolver"],
  typeResolver: Parameters<typeof execute>[0]["typeResolver"],
  scopes: readonly string[],
): Promise<{ lines: string[]; rootObjectCount: number }> {
  const document = parse(query);
  const errors = validate(schema, document);
  if (errors.length > 0) throw new Error(errors.map((error) => error.message).join("; "));
  const context: ResolveContext = { bulk: true, scopes };
  const result = await execute({
    schema,
    document,
    rootValue,
    contextValue: context,
    fieldResolver,
    typeResolver,
  });
  if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join("; "));
  const lines: string[] = [];
  let rootObjectCount = 0;
  for (const root of Object.values(result.data ?? {})) {
    if (!isConnection(root)) throw new Error("a bulk query must select a connection at its root");
    for (const edge of root.edges) {
      rootObjectCount += 1;
      flatten(edge.node, undefined, lines);
    }
  }
  return { lines, rootObjectCount };
}

function flatten(node: Json, parentId: string | undefined, lines: string[]) {
  const own: Json = {};
  const children: Array<{ edges: Array<{ node: Json }> }> = [];
  for (const [key, value] of Object.entries(node)) {
    if (isConnection(value)) children.push(value);
    else own[key] = value;
  }
  if (parentId) own.__parentId = parentId;
  lines.push(JSON.stringify(own));
  const id = typeof node.id === "string" ? node.id : undefined;
  for (const child of children) {
    for (const edge of child.edges) flatten(edge.node, id, lines);
  }
}
