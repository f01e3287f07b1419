import {
  getNamedType,
  isCompositeType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
} from "graphql";

/**
 * A query-cost model in the spirit of Shopify's: each object costs 1, a connection's children
 * are multiplied by its page size, scalars are free, a mutation costs 10. It only has to be
 * close enough that big pages cost more than small ones and throttling is reachable.
 */
export function requestedQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): number {
  const typeInfo = new TypeInfo(schema);
  const multipliers: number[] = [1];
  let total = 0;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        if (node.operation === "mutation") total += 10;
      },
      Field: {
        enter(node) {
          const type = typeInfo.getType();
          const multiplier = multipliers.at(-1) ?? 1;
          if (type && isCompositeType(getNamedType(type))) total += multiplier;
          multipliers.push(multiplier * pageSize(node, variables));
        },
        leave() {
          multipliers.pop();
        },
      },
    }),
  );
  return total;
}

function pageSize(field: FieldNode, variables: Record<string, unknown>): number {
  const argument = field.arguments?.find((candidate) =>
    ["first", "last"].includes(candidate.name.value),
  );
  if (!argument) return 1;
  const value = argument.value;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) return Number(variables[value.name.value] ?? 1);
  return 1;
}
