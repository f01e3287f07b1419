import type {
  Condition,
  FunctionCondition,
  Literal,
  PositionTable,
  SegmentExpression,
} from "./ast";
import { COMPARISON_OPERATORS, isGroup } from "./ast";
import { parseCalendarDay } from "./dates";
import { SegmentTypeError, positionAt, type SegmentErrorCode } from "./errors";
import {
  SEGMENT_FIELDS,
  SEGMENT_FUNCTIONS,
  findField,
  findFunction,
  type ArgumentType,
  type FieldDefinition,
  type FieldType,
} from "./fields";
import { SEGMENT_LIMITS } from "./limits";
import {
  CANONICAL_DECIMAL_PATTERN,
  fractionDigitCount,
  isWholeNumber,
  significantDigitCount,
} from "./numbers";
import { printLiteral, printSegment } from "./print";
import { nearestName } from "./suggest";

/** The text a tree was parsed from, so errors can point into it. */
export interface CheckSource {
  text: string;
  positions: PositionTable;
}

/**
 * Checks a tree against the field catalog and the size limits; throws SegmentTypeError.
 * Trees built by the UI arrive as untyped JSON, so the shape is verified too.
 */
export function checkSegment(expression: SegmentExpression, source?: CheckSource): void {
  const checker = new Checker(source);
  checker.visit(expression, 0, false);
  if (!source) {
    // Parsed text was already held to the length limit; built trees are held to it here.
    const length = printSegment(expression).length;
    if (length > SEGMENT_LIMITS.maxLength) {
      throw new SegmentTypeError(
        "too_long",
        `The segment expression is ${length} characters long; at most ${SEGMENT_LIMITS.maxLength} are allowed`,
        `at most ${SEGMENT_LIMITS.maxLength} characters`,
        undefined,
      );
    }
  }
}

const MONEY_FRACTION_DIGITS = 4;
const MAX_SIGNIFICANT_DIGITS = 15;
const MAX_BIGINT = 9223372036854775807n;
const COMPARISON_SET: ReadonlySet<string> = new Set(COMPARISON_OPERATORS);
const CONDITION_KINDS: ReadonlySet<string> = new Set<Condition["kind"]>([
  "compare",
  "in",
  "between",
  "is_null",
  "contains",
  "function",
]);

/** Which conditions each field type supports: ordering only where order means something. */
const ALLOWED_CONDITIONS: Record<FieldType, ReadonlySet<string>> = {
  number: new Set([...COMPARISON_OPERATORS, "IN", "NOT IN", "BETWEEN", "IS NULL"]),
  money: new Set([...COMPARISON_OPERATORS, "IN", "NOT IN", "BETWEEN", "IS NULL"]),
  date: new Set([...COMPARISON_OPERATORS, "BETWEEN", "IS NULL"]),
  string: new Set(["=", "!=", "IN", "NOT IN", "IS NULL"]),
  enum: new Set(["=", "!=", "IN", "NOT IN", "IS NULL"]),
  boolean: new Set(["=", "!=", "IS NULL"]),
  string_list: new Set(["CONTAINS", "NOT CONTAINS", "IS NULL"]),
};

const TYPE_NAMES: Record<FieldType, string> = {
  number: "a number",
  money: "an amount",
  date: "a date",
  string: "text",
  enum: "one of a fixed set of values",
  boolean: "true or false",
  string_list: "a list of text values",
};

class Checker {
  private conditionCount = 0;

  constructor(private readonly source: CheckSource | undefined) {}

  /** `depth` counts the parentheses and NOTs around the node's canonical text. */
  visit(node: SegmentExpression, depth: number, parenthesized: boolean): void {
    if (!isRecord(node))
      this.fail("invalid_tree", "A segment node must be an object", "a node", node);
    if (isGroup(node)) {
      const inner = parenthesized ? depth + 1 : depth;
      this.checkDepth(inner, node);
      if (!Array.isArray(node.operands) || node.operands.length < 2) {
        this.fail(
          "invalid_tree",
          `An ${node.kind} group needs at least two operands`,
          "two or more operands",
          node,
        );
      }
      for (const operand of node.operands) this.visit(operand, inner, true);
    } else if (node.kind === "not") {
      this.checkDepth(depth + 1, node);
      this.visit(node.operand, depth + 1, true);
    } else {
      this.conditionCount++;
      if (this.conditionCount > SEGMENT_LIMITS.maxConditions) {
        this.fail(
          "too_many_conditions",
          `A segment can have at most ${SEGMENT_LIMITS.maxConditions} conditions`,
          `at most ${SEGMENT_LIMITS.maxConditions} conditions`,
          node,
        );
      }
      this.checkCondition(node);
    }
  }

  private checkDepth(depth: number, node: object): void {
    if (depth > SEGMENT_LIMITS.maxDepth) {
      this.fail(
        "too_deep",
        `Parentheses and NOT can be nested at most ${SEGMENT_LIMITS.maxDepth} levels deep`,
        `at most ${SEGMENT_LIMITS.maxDepth} levels of nesting`,
        node,
      );
    }
  }

  private checkCondition(condition: Condition): void {
    if (!CONDITION_KINDS.has(condition.kind)) {
      this.fail(
        "invalid_tree",
        `Unknown kind of node '${String(condition.kind)}'`,
        "a condition",
        condition,
      );
    }
    if (condition.kind === "function") {
      this.checkFunction(condition);
      return;
    }
    const field = this.resolveField(condition);
    switch (condition.kind) {
      case "compare":
        if (!COMPARISON_SET.has(condition.operator)) {
          this.fail(
            "invalid_tree",
            "Unknown comparison operator",
            "=, !=, <, <=, >, >=",
            condition,
          );
        }
        this.requireOperator(field, condition.operator, condition);
        this.checkValue(field, condition.value);
        return;
      case "in":
        this.requireOperator(field, condition.negated ? "NOT IN" : "IN", condition);
        if (!Array.isArray(condition.values) || condition.values.length === 0) {
          this.fail("invalid_tree", "An IN list needs at least one value", "a value", condition);
        }
        for (const value of condition.values) this.checkValue(field, value);
        return;
      case "between":
        this.requireOperator(field, "BETWEEN", condition);
        this.checkValue(field, condition.low);
        this.checkValue(field, condition.high);
        this.checkBoundsOrder(field, condition.low, condition.high);
        return;
      case "is_null":
        this.requireOperator(field, condition.negated ? "IS NOT NULL" : "IS NULL", condition);
        return;
      case "contains":
        this.requireOperator(field, condition.negated ? "NOT CONTAINS" : "CONTAINS", condition);
        this.checkValue(field, condition.value);
        return;
    }
  }

  private resolveField(condition: Exclude<Condition, FunctionCondition>): FieldDefinition {
    const name: unknown = condition.field;
    const field = typeof name === "string" ? findField(name) : undefined;
    if (field) return field;
    const text = String(name);
    const suggestion = nearestName(
      text,
      SEGMENT_FIELDS.map((candidate) => candidate.name),
    );
    const isFunction = findFunction(text) !== undefined;
    this.fail(
      "unknown_field",
      isFunction
        ? `${text} is a function; call it like ${text}(...)`
        : `Unknown field '${text}'${suggestion ? `; did you mean '${suggestion}'?` : ""}`,
      "a field name",
      condition,
      suggestion,
    );
  }

  private requireOperator(field: FieldDefinition, operator: string, node: object): void {
    // IS NOT NULL is allowed wherever IS NULL is.
    const key = operator === "IS NOT NULL" ? "IS NULL" : operator;
    const allowed = ALLOWED_CONDITIONS[field.type];
    if (allowed.has(key)) return;
    const hint =
      field.type === "string_list"
        ? "; use CONTAINS or NOT CONTAINS"
        : operator.endsWith("CONTAINS")
          ? "; CONTAINS only works on list fields such as tags"
          : "";
    this.fail(
      "operator_not_allowed",
      `${operator} cannot be used with ${field.name}, which is ${TYPE_NAMES[field.type]}${hint}`,
      `one of ${[...allowed].join(", ")}`,
      node,
    );
  }

  private checkValue(field: FieldDefinition, literal: Literal): void {
    this.checkLiteralShape(literal);
    switch (field.type) {
      case "number":
      case "money":
        this.requireKind(literal, "number", `a number for ${field.name}`);
        this.checkNumber(field.name, literal.value, {
          integer: field.integer,
          fractionDigits: field.type === "money" ? MONEY_FRACTION_DIGITS : undefined,
          range: field.range,
          literal,
        });
        return;
      case "enum":
        this.requireKind(literal, "string", `a value of ${field.name}`);
        if (!field.values.includes(literal.value)) {
          const suggestion = nearestName(literal.value, field.values);
          const allowed = field.values.map((value) => `'${value}'`).join(", ");
          this.fail(
            "value_not_allowed",
            `${printLiteral(literal)} is not a value of ${field.name}${suggestion ? ` (did you mean '${suggestion}'?)` : ""}; allowed values are ${allowed}`,
            `one of ${allowed}`,
            literal,
            suggestion,
          );
        }
        return;
      case "date":
        this.requireKind(literal, "string", `a date such as '2025-01-31' for ${field.name}`);
        if (parseCalendarDay(literal.value) === undefined) {
          this.fail(
            "invalid_date",
            `${printLiteral(literal)} is not a date; write dates as 'YYYY-MM-DD'`,
            "a date written 'YYYY-MM-DD'",
            literal,
          );
        }
        return;
      case "boolean":
        this.requireKind(literal, "boolean", `true or false for ${field.name}`);
        return;
      case "string":
      case "string_list":
        this.requireKind(literal, "string", `a text value in single quotes for ${field.name}`);
        return;
    }
  }

  private checkNumber(
    subject: string,
    value: string,
    rules: {
      integer: boolean;
      fractionDigits: number | undefined;
      range: { min: number; max: number } | undefined;
      literal: Literal;
    },
  ): void {
    const { literal } = rules;
    if (rules.integer && !isWholeNumber(value)) {
      this.fail(
        "wrong_value_type",
        `${subject} is a whole number; ${value} has decimals`,
        "a whole number",
        literal,
      );
    }
    if (rules.fractionDigits !== undefined && fractionDigitCount(value) > rules.fractionDigits) {
      this.fail(
        "wrong_value_type",
        `Amounts have at most ${rules.fractionDigits} decimal places; ${value} has more`,
        `a number with at most ${rules.fractionDigits} decimal places`,
        literal,
      );
    }
    if (significantDigitCount(value) > MAX_SIGNIFICANT_DIGITS) {
      this.fail(
        "value_out_of_range",
        `${value} has more than ${MAX_SIGNIFICANT_DIGITS} significant digits`,
        `a number with at most ${MAX_SIGNIFICANT_DIGITS} significant digits`,
        literal,
      );
    }
    const number = Number(value);
    if (rules.range && (number < rules.range.min || number > rules.range.max)) {
      this.fail(
        "value_out_of_range",
        `${subject} is between ${rules.range.min} and ${rules.range.max}; ${value} is outside that range`,
        `a number from ${rules.range.min} to ${rules.range.max}`,
        literal,
      );
    }
  }

  private checkBoundsOrder(field: FieldDefinition, low: Literal, high: Literal): void {
    const reversed =
      field.type === "date"
        ? (parseCalendarDay(String(low.value)) ?? 0) > (parseCalendarDay(String(high.value)) ?? 0)
        : Number(low.value) > Number(high.value);
    if (reversed) {
      this.fail(
        "value_out_of_range",
        `The BETWEEN bounds are reversed: ${printLiteral(low)} is greater than ${printLiteral(high)}`,
        `a value no greater than ${printLiteral(high)}`,
        low,
      );
    }
  }

  private checkFunction(condition: FunctionCondition): void {
    const definition =
      typeof condition.name === "string" ? findFunction(condition.name) : undefined;
    if (!definition) {
      const text = String(condition.name);
      const suggestion = nearestName(
        text,
        SEGMENT_FUNCTIONS.map((candidate) => candidate.name),
      );
      this.fail(
        "unknown_function",
        `Unknown function '${text}'${suggestion ? `; did you mean '${suggestion}'?` : ""}`,
        `one of ${SEGMENT_FUNCTIONS.map((candidate) => candidate.name).join(", ")}`,
        condition,
        suggestion,
      );
    }
    if (!Array.isArray(condition.args) || !Array.isArray(condition.namedArgs)) {
      this.fail(
        "invalid_tree",
        "A function call needs argument lists",
        "args and namedArgs",
        condition,
      );
    }
    const signature = `${definition.name}(${definition.parameters.map((parameter) => parameter.name).join(", ")}${definition.options.map((option) => `, ${option.name}: ...`).join("")})`;
    if (condition.args.length !== definition.parameters.length) {
      const extra = condition.args[definition.parameters.length];
      this.fail(
        "invalid_argument",
        `${definition.name} takes ${plural(definition.parameters.length, "argument")} but was given ${condition.args.length}; write ${signature}`,
        signature,
        extra ?? condition,
      );
    }
    definition.parameters.forEach((parameter, index) => {
      const literal = condition.args[index];
      if (literal) this.checkArgument(definition.name, parameter.name, parameter.type, literal);
    });
    const seen = new Set<string>();
    for (const argument of condition.namedArgs) {
      if (!isRecord(argument))
        this.fail(
          "invalid_tree",
          "A named argument must be an object",
          "a named argument",
          condition,
        );
      const option = definition.options.find((candidate) => candidate.name === argument.name);
      if (!option || seen.has(option.name)) {
        const names = definition.options.map((candidate) => candidate.name).join(", ");
        this.fail(
          "invalid_argument",
          option
            ? `${option.name} is given twice`
            : `${definition.name} has no option '${String(argument.name)}'; it accepts ${names}`,
          option ? `${option.name} at most once` : `one of ${names}`,
          argument,
        );
      }
      seen.add(option.name);
      this.checkArgument(definition.name, option.name, option.type, argument.value);
    }
  }

  private checkArgument(
    functionName: string,
    name: string,
    type: ArgumentType,
    literal: Literal,
  ): void {
    this.checkLiteralShape(literal);
    if (type.kind === "id") {
      this.requireKind(literal, "number", `a ${name.replace("_", " ")} for ${functionName}`);
      const valid = /^[1-9]\d{0,18}$/.test(literal.value) && BigInt(literal.value) <= MAX_BIGINT;
      if (!valid) {
        this.fail(
          "value_out_of_range",
          `${literal.value} is not a valid ${name}; ids are positive whole numbers`,
          "a positive whole number id",
          literal,
        );
      }
      return;
    }
    this.requireKind(literal, "number", `a whole number for ${name}`);
    this.checkNumber(name, literal.value, {
      integer: true,
      fractionDigits: undefined,
      range: { min: type.min, max: type.max },
      literal,
    });
  }

  private requireKind<K extends Literal["kind"]>(
    literal: Literal,
    kind: K,
    expected: string,
  ): asserts literal is Extract<Literal, { kind: K }> {
    if (literal.kind !== kind) {
      this.fail(
        "wrong_value_type",
        `Expected ${expected} but found ${describeLiteral(literal)}`,
        expected,
        literal,
      );
    }
  }

  /** Built trees may carry anything; parsed ones always pass. */
  private checkLiteralShape(literal: Literal): void {
    if (!isRecord(literal))
      this.fail("invalid_tree", "A value must be an object", "a value", literal);
    const { kind, value } = literal as { kind: unknown; value: unknown };
    const wellFormed =
      (kind === "number" && typeof value === "string" && CANONICAL_DECIMAL_PATTERN.test(value)) ||
      (kind === "string" && typeof value === "string") ||
      (kind === "boolean" && typeof value === "boolean");
    if (!wellFormed) {
      this.fail("invalid_tree", "Malformed value", "a number, text or boolean value", literal);
    }
    if (
      kind === "string" &&
      typeof value === "string" &&
      (!value.isWellFormed() || value.includes("\0"))
    ) {
      this.fail(
        "wrong_value_type",
        "Text values cannot contain NUL characters or unpaired surrogates",
        "printable text",
        literal,
      );
    }
  }

  private fail(
    code: SegmentErrorCode,
    description: string,
    expected: string,
    node: unknown,
    suggestion?: string,
  ): never {
    const offset = isRecord(node) ? this.source?.positions.get(node) : undefined;
    const position =
      this.source && offset !== undefined ? positionAt(this.source.text, offset) : undefined;
    throw new SegmentTypeError(code, description, expected, position, suggestion);
  }
}

function describeLiteral(literal: Literal): string {
  switch (literal.kind) {
    case "number":
      return `the number ${literal.value}`;
    case "string":
      return `the text ${printLiteral(literal)}`;
    case "boolean":
      return `the value ${printLiteral(literal)}`;
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function isRecord(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}
