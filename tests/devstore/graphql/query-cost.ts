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
 * Shopify's documented requested-cost rules: scalars and enums are free, an object costs 1, a
 * connection costs 2 plus its page size times the cost of one node, a mutation costs 10.
 */
export const MAX_SINGLE_QUERY_COST = 1000;

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
          const size = pageSize(node, variables);
          if (size !== undefined) total += 2 * multiplier;
          else if (type && isCompositeType(getNamedType(type))) total += multiplier;
          multipliers.push(multiplier * (size ?? 1));
        },
        leave() {
          multipliers.pop();
        },
      },
    }),
  );
  return total;
}

/** The page size of a connection field (`first`/`last`), undefined for other fields. */
function pageSize(field: FieldNode, variables: Record<string, unknown>): number | undefined {
  const argument = field.arguments?.find((candidate) =>
    ["first", "last"].includes(candidate.name.value),
  );
  if (!argument) return undefined;
  const value = argument.value;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) return Number(variables[value.name.value] ?? 1);
  return 1;
}
