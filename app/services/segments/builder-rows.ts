/**
 * The builder's condition groups and the segment tree they stand for. A rule in group form is
 * groups of conditions, each condition on one field; the conditions of a group are joined by
 * the group's match (all / any), and the groups by the rule's match. That covers what most
 * rules are, Klaviyo- and Shopify-style. A tree with NOT, BETWEEN, IS NULL, functions or deeper
 * nesting has no group form; the builder then shows the text view only, and the tree is never
 * rewritten behind the merchant's back.
 */
import type { ComparisonOperator, Condition, Literal, SegmentExpression } from "./language";
import { findField, SEGMENT_FIELDS, type FieldDefinition, type FieldType } from "./language/fields";

/**
 * The purchase rows: `has_purchased_product(id)` and `has_purchased_from_collection(id)`, "has
 * bought" (eq) or "hasn't bought" (ne, the NOT of it) a product, or from a collection, the
 * merchant picks, at any time or within a number of days (`within_days:`).
 */
export const PURCHASED_PRODUCT = "purchased_product";
export const PURCHASED_COLLECTION = "purchased_collection";
const PURCHASE_FUNCTIONS: Readonly<Record<string, string>> = {
  [PURCHASED_PRODUCT]: "has_purchased_product",
  [PURCHASED_COLLECTION]: "has_purchased_from_collection",
};
const PURCHASE_WINDOW = "within_days";

/** The purchase row field whose function is `name`, if any. */
const purchaseRowField = (name: string) =>
  Object.keys(PURCHASE_FUNCTIONS).find((field) => PURCHASE_FUNCTIONS[field] === name);

/** Operators a row offers, by name (the page labels them in words, never as symbols). */
export const ROW_OPERATORS = [
  "eq",
  "ne",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "not_in",
  "contains",
  "not_contains",
] as const;
export type RowOperator = (typeof ROW_OPERATORS)[number];

const COMPARISONS: Record<ComparisonOperator, RowOperator> = {
  "=": "eq",
  "!=": "ne",
  ">": "gt",
  ">=": "gte",
  "<": "lt",
  "<=": "lte",
};
const SYMBOLS = Object.fromEntries(
  Object.entries(COMPARISONS).map(([symbol, name]) => [name, symbol]),
) as Partial<Record<RowOperator, ComparisonOperator>>;

export type Match = "and" | "or";

export interface ConditionRow {
  field: string;
  operator: RowOperator;
  /** As typed: one value, or comma-separated values for `in` / `not_in`. */
  value: string;
  /** A purchase row's window in days, as typed; absent or empty for any time. */
  withinDays?: string;
}

export interface ConditionGroup {
  match: Match;
  rows: ConditionRow[];
}

export interface BuilderGroups {
  /** How the groups combine. */
  match: Match;
  groups: ConditionGroup[];
}

const NUMERIC = new Set(["number", "money"]);

/** The product or collection and window of a purchase function call, else null. */
function purchase(node: SegmentExpression, operator: RowOperator): ConditionRow | null {
  if (node.kind !== "function") return null;
  const field = purchaseRowField(node.name);
  const [picked] = node.args;
  const [window, ...others] = node.namedArgs;
  if (!field || node.args.length !== 1 || !picked || others.length > 0) return null;
  const row: ConditionRow = { field, operator, value: String(picked.value) };
  if (!window) return row;
  return window.name === PURCHASE_WINDOW
    ? { ...row, withinDays: String(window.value.value) }
    : null;
}

function rowFromCondition(condition: SegmentExpression): ConditionRow | null {
  const text = (literal: Literal) => String(literal.value);
  switch (condition.kind) {
    case "function":
      return purchase(condition, "eq");
    case "not":
      return purchase(condition.operand, "ne");
    case "compare":
      return {
        field: condition.field,
        operator: COMPARISONS[condition.operator],
        value: text(condition.value),
      };
    case "in":
      return {
        field: condition.field,
        operator: condition.negated ? "not_in" : "in",
        value: condition.values.map(text).join(", "),
      };
    case "contains":
      return {
        field: condition.field,
        operator: condition.negated ? "not_contains" : "contains",
        value: text(condition.value),
      };
    default:
      return null;
  }
}

/** The rows of a flat group (`a AND b AND c`, or one condition), else null. */
function groupFrom(node: SegmentExpression, fallback: Match): ConditionGroup | null {
  const single = rowFromCondition(node);
  if (single) return { match: fallback, rows: [single] };
  if (node.kind !== "and" && node.kind !== "or") return null;
  const rows = node.operands.map(rowFromCondition);
  return rows.every((row) => row !== null) ? { match: node.kind, rows } : null;
}

/** The group form of a tree that has one, else null. */
export function groupsFromAst(ast: SegmentExpression): BuilderGroups | null {
  const flat = groupFrom(ast, "and");
  if (flat) return { match: "and", groups: [flat] };
  if (ast.kind !== "and" && ast.kind !== "or") return null;
  const inner: Match = ast.kind === "and" ? "or" : "and";
  const groups = ast.operands.map((operand) => groupFrom(operand, inner));
  return groups.every((group) => group !== null) ? { match: ast.kind, groups } : null;
}

function literal(field: string, text: string): Literal {
  const definition = findField(field);
  const trimmed = text.trim();
  if (definition && NUMERIC.has(definition.type)) return { kind: "number", value: trimmed };
  if (definition?.type === "boolean") return { kind: "boolean", value: trimmed === "true" };
  return { kind: "string", value: trimmed };
}

/** The condition one row stands for (checked later like typed text). */
export function conditionFromRow(row: ConditionRow): SegmentExpression {
  const purchaseFunction = Object.hasOwn(PURCHASE_FUNCTIONS, row.field)
    ? PURCHASE_FUNCTIONS[row.field]
    : undefined;
  if (purchaseFunction) {
    const days = row.withinDays?.trim() ?? "";
    const bought: Condition = {
      kind: "function",
      name: purchaseFunction,
      args: [{ kind: "number", value: row.value.trim() }],
      namedArgs: days ? [{ name: PURCHASE_WINDOW, value: { kind: "number", value: days } }] : [],
    };
    return row.operator === "ne" ? { kind: "not", operand: bought } : bought;
  }
  switch (row.operator) {
    case "in":
    case "not_in":
      return {
        kind: "in",
        field: row.field,
        negated: row.operator === "not_in",
        values: row.value
          .split(",")
          .filter((part) => part.trim() !== "")
          .map((part) => literal(row.field, part)),
      };
    case "contains":
    case "not_contains":
      return {
        kind: "contains",
        field: row.field,
        negated: row.operator === "not_contains",
        value: literal(row.field, row.value),
      };
    default:
      return {
        kind: "compare",
        field: row.field,
        operator: SYMBOLS[row.operator] ?? "=",
        value: literal(row.field, row.value),
      };
  }
}

const joined = (match: Match, nodes: SegmentExpression[]): SegmentExpression | null =>
  nodes.length === 0
    ? null
    : nodes.length === 1
      ? (nodes[0] ?? null)
      : { kind: match, operands: nodes };

/**
 * The tree for the groups (checked later by the same path as typed text, so a row with a bad
 * value reports the same error a typed rule would). Empty groups are left out.
 */
export function astFromGroups(form: BuilderGroups): SegmentExpression | null {
  const nodes = form.groups
    .map((group) => joined(group.match, group.rows.map(conditionFromRow)))
    .filter((node) => node !== null);
  return joined(form.match, nodes);
}

/** Operators that make sense for a field's type. */
function operatorsFor(field: FieldDefinition): readonly RowOperator[] {
  switch (field.type) {
    case "number":
    case "money":
    case "date":
      return ["eq", "ne", "gt", "gte", "lt", "lte"];
    case "enum":
    case "string":
      return ["eq", "ne", "in", "not_in"];
    case "string_list":
      return ["contains", "not_contains"];
    default:
      return ["eq", "ne"];
  }
}

/** The headings the field picker groups fields under, in the order it shows them. */
export const FIELD_CATEGORIES = [
  "customer",
  "marketing",
  "orders",
  "scores",
  "predictions",
] as const;
export type FieldCategory = (typeof FIELD_CATEGORIES)[number];

const CATEGORY_OF: Record<string, FieldCategory> = {
  email_marketing: "marketing",
  sms_marketing: "marketing",
  orders_count: "orders",
  net_revenue: "orders",
  aov: "orders",
  first_order_at: "orders",
  last_order_at: "orders",
  days_since_last_order: "orders",
  avg_days_between_orders: "orders",
  r_score: "scores",
  f_score: "scores",
  m_score: "scores",
  rfm_segment: "scores",
  lifecycle_stage: "scores",
  prob_alive: "predictions",
  predicted_clv: "predictions",
  expected_orders_90d: "predictions",
  predicted_next_order_at: "predictions",
};

export interface BuilderField {
  name: string;
  type: FieldType | "product" | "collection";
  category: FieldCategory;
  operators: readonly RowOperator[];
  /** The fixed values of an enum field. */
  values: readonly string[] | undefined;
}

/** Fields a row can pick, with the operators that make sense for each and the fixed values. */
export const BUILDER_FIELDS: readonly BuilderField[] = [
  ...SEGMENT_FIELDS.map((field) => ({
    name: field.name,
    type: field.type,
    /** Fields read from the customer record itself are "customer". */
    category: CATEGORY_OF[field.name] ?? ("customer" as FieldCategory),
    operators: operatorsFor(field),
    values: field.type === "enum" ? field.values : undefined,
  })),
  {
    name: PURCHASED_PRODUCT,
    type: "product",
    category: "orders",
    operators: ["eq", "ne"],
    values: undefined,
  },
  {
    name: PURCHASED_COLLECTION,
    type: "collection",
    category: "orders",
    operators: ["eq", "ne"],
    values: undefined,
  },
];

/** The product ids the rows pick, for the page to show their titles. */
export function productIdsOf(form: BuilderGroups | null): string[] {
  const rows = form?.groups.flatMap((group) => group.rows) ?? [];
  return [
    ...new Set(rows.filter((row) => row.field === PURCHASED_PRODUCT).map((row) => row.value)),
  ];
}

export function builderField(name: string): BuilderField {
  return BUILDER_FIELDS.find((field) => field.name === name) ?? (BUILDER_FIELDS[0] as BuilderField);
}

/** A fresh row for `field`: its first operator and first fixed value (or the given value). */
export function rowForField(name: string, previous?: ConditionRow): ConditionRow {
  const field = builderField(name);
  const operator =
    previous && field.operators.includes(previous.operator)
      ? previous.operator
      : (field.operators[0] ?? "eq");
  const value = field.values?.[0] ?? (field.name === previous?.field ? previous.value : "");
  return { field: field.name, operator, value };
}
