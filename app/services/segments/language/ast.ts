/**
 * The typed syntax tree of a segment expression.
 *
 * The tree is plain JSON-compatible data (no positions, no classes) so the builder UI can
 * store and edit it, and so `parse(print(ast))` can deep-equal `ast`. Source positions for
 * error messages live beside the tree in a {@link PositionTable} filled by the parser.
 *
 * Truth of a condition is two-valued: a condition on a field that has no value (SQL NULL,
 * e.g. `days_since_last_order` of a customer who never ordered) is false, never "unknown".
 * `NOT x` is therefore exactly the complement of `x`: `NOT days_since_last_order > 90` also
 * matches customers without orders. Write `days_since_last_order <= 90` to leave them out.
 * `!=`, `NOT IN` and `NOT CONTAINS` are comparisons, so they are false on a missing value.
 */

export type Literal =
  /** Canonical decimal text (no leading zeros, no trailing fraction zeros), exact for ids. */
  | { kind: "number"; value: string }
  | { kind: "string"; value: string }
  | { kind: "boolean"; value: boolean };

export const COMPARISON_OPERATORS = ["=", "!=", "<", "<=", ">", ">="] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export interface ComparisonCondition {
  kind: "compare";
  field: string;
  operator: ComparisonOperator;
  value: Literal;
}

export interface InListCondition {
  kind: "in";
  field: string;
  /** `NOT IN` */
  negated: boolean;
  values: Literal[];
}

export interface BetweenCondition {
  kind: "between";
  field: string;
  /** Both bounds are inclusive. */
  low: Literal;
  high: Literal;
}

export interface IsNullCondition {
  kind: "is_null";
  field: string;
  /** `IS NOT NULL` */
  negated: boolean;
}

export interface ContainsCondition {
  kind: "contains";
  field: string;
  /** `NOT CONTAINS` */
  negated: boolean;
  value: Literal;
}

export interface NamedArgument {
  name: string;
  value: Literal;
}

export interface FunctionCondition {
  kind: "function";
  name: string;
  args: Literal[];
  namedArgs: NamedArgument[];
}

export type Condition =
  | ComparisonCondition
  | InListCondition
  | BetweenCondition
  | IsNullCondition
  | ContainsCondition
  | FunctionCondition;

/** `and` / `or` hold two or more operands; a parenthesized group stays its own node. */
export interface AndExpression {
  kind: "and";
  operands: SegmentExpression[];
}

export interface OrExpression {
  kind: "or";
  operands: SegmentExpression[];
}

export interface NotExpression {
  kind: "not";
  operand: SegmentExpression;
}

export type SegmentExpression = AndExpression | OrExpression | NotExpression | Condition;

/** Where each node, literal and named argument of a parsed tree started in the source. */
export type PositionTable = WeakMap<object, number>;

export function isGroup(expression: SegmentExpression): expression is AndExpression | OrExpression {
  return expression.kind === "and" || expression.kind === "or";
}
