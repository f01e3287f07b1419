import type { Condition, Literal, SegmentExpression } from "./ast";
import { isGroup } from "./ast";

/**
 * Canonical text for a tree: upper-case keywords, single spaces, lower-case names, and
 * parentheses around every group inside another group or a NOT, so that parsing the text
 * gives back an equal tree (the builder UI's text view relies on that round trip).
 */
export function printSegment(expression: SegmentExpression): string {
  switch (expression.kind) {
    case "and":
    case "or":
      return expression.operands
        .map(printOperand)
        .join(expression.kind === "and" ? " AND " : " OR ");
    case "not":
      return `NOT ${printOperand(expression.operand)}`;
    default:
      return printCondition(expression);
  }
}

function printOperand(expression: SegmentExpression): string {
  return isGroup(expression) ? `(${printSegment(expression)})` : printSegment(expression);
}

function printCondition(condition: Condition): string {
  switch (condition.kind) {
    case "compare":
      return `${condition.field} ${condition.operator} ${printLiteral(condition.value)}`;
    case "in":
      return `${condition.field} ${condition.negated ? "NOT IN" : "IN"} (${condition.values.map(printLiteral).join(", ")})`;
    case "between":
      return `${condition.field} BETWEEN ${printLiteral(condition.low)} AND ${printLiteral(condition.high)}`;
    case "is_null":
      return `${condition.field} IS ${condition.negated ? "NOT NULL" : "NULL"}`;
    case "contains":
      return `${condition.field} ${condition.negated ? "NOT CONTAINS" : "CONTAINS"} ${printLiteral(condition.value)}`;
    case "function": {
      const args = [
        ...condition.args.map(printLiteral),
        ...condition.namedArgs.map(
          (argument) => `${argument.name}: ${printLiteral(argument.value)}`,
        ),
      ];
      return `${condition.name}(${args.join(", ")})`;
    }
  }
}

export function printLiteral(literal: Literal): string {
  switch (literal.kind) {
    case "string":
      return `'${literal.value.replaceAll("'", "''")}'`;
    case "number":
      return literal.value;
    case "boolean":
      return literal.value ? "true" : "false";
  }
}
