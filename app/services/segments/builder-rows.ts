/**
 * The builder's condition rows and the segment tree they stand for. Rows cover what most
 * rules are: conditions on one field each, all of which must hold. A tree with OR, NOT,
 * BETWEEN or functions has no row form; the builder then shows the text view only, and the
 * tree is never rewritten behind the merchant's back.
 */
import type { Condition, Literal, SegmentExpression } from "./language";
import { findField, SEGMENT_FIELDS } from "./language/fields";

export const ROW_OPERATORS = ["=", "!=", ">", ">=", "<", "<=", "in", "contains"] as const;
export type RowOperator = (typeof ROW_OPERATORS)[number];

export interface ConditionRow {
  field: string;
  operator: RowOperator;
  /** As typed: one value, or comma-separated values for `in`. */
  value: string;
}

const NUMERIC = new Set(["number", "money"]);

function literalText(literal: Literal): string {
  return String(literal.value);
}

function rowFromCondition(condition: Condition): ConditionRow | null {
  switch (condition.kind) {
    case "compare":
      return {
        field: condition.field,
        operator: condition.operator,
        value: literalText(condition.value),
      };
    case "in":
      return condition.negated
        ? null
        : {
            field: condition.field,
            operator: "in",
            value: condition.values.map(literalText).join(", "),
          };
    case "contains":
      return condition.negated
        ? null
        : { field: condition.field, operator: "contains", value: literalText(condition.value) };
    default:
      return null;
  }
}

/** Rows for a tree that has a row form, else null. */
export function rowsFromAst(ast: SegmentExpression): ConditionRow[] | null {
  const conditions = ast.kind === "and" ? ast.operands : [ast];
  const rows: ConditionRow[] = [];
  for (const node of conditions) {
    if (node.kind === "and" || node.kind === "or" || node.kind === "not") return null;
    const row = rowFromCondition(node);
    if (row === null) return null;
    rows.push(row);
  }
  return rows;
}

function literal(field: string, text: string): Literal {
  const definition = findField(field);
  const trimmed = text.trim();
  if (definition && NUMERIC.has(definition.type)) return { kind: "number", value: trimmed };
  if (definition?.type === "boolean") return { kind: "boolean", value: trimmed === "true" };
  return { kind: "string", value: trimmed };
}

/**
 * The tree for the rows (checked later by the same parser path as typed text, so a row with a
 * bad value reports the same error a typed rule would).
 */
export function astFromRows(rows: readonly ConditionRow[]): SegmentExpression | null {
  const conditions: Condition[] = rows.map((row) => {
    if (row.operator === "in") {
      return {
        kind: "in",
        field: row.field,
        negated: false,
        values: row.value
          .split(",")
          .filter((part) => part.trim() !== "")
          .map((part) => literal(row.field, part)),
      };
    }
    if (row.operator === "contains") {
      return {
        kind: "contains",
        field: row.field,
        negated: false,
        value: literal(row.field, row.value),
      };
    }
    return {
      kind: "compare",
      field: row.field,
      operator: row.operator,
      value: literal(row.field, row.value),
    };
  });
  if (conditions.length === 0) return null;
  return conditions.length === 1 ? (conditions[0] ?? null) : { kind: "and", operands: conditions };
}

/** Fields a row can pick, with the operators that make sense for each type. */
export const BUILDER_FIELDS = SEGMENT_FIELDS.map((field) => ({
  name: field.name,
  label: field.label,
  operators: ((): readonly RowOperator[] => {
    switch (field.type) {
      case "number":
      case "money":
      case "date":
        return ["=", "!=", ">", ">=", "<", "<="];
      case "enum":
        return ["=", "!=", "in"];
      case "string_list":
        return ["contains"];
      default:
        return ["=", "!="];
    }
  })(),
  values: field.type === "enum" ? field.values : undefined,
}));
