import type { ComparisonOperator, Condition, Literal, SegmentExpression } from "./ast";
import { formatUtcTimestamp, nextDayStart, parseCalendarDay } from "./dates";
import { findField, findFunction, type FieldDefinition, type SqlType } from "./fields";

export interface CompileOptions {
  /** The first free `$n`; the caller's own parameters (e.g. `$1` for shop_id) come before it. */
  firstParamIndex: number;
}

export interface CompiledSegment {
  /** A boolean WHERE fragment over the aliases `c` (customer) and `m` (customer_metrics). */
  sql: string;
  params: unknown[];
}

/**
 * Turns a checked tree into SQL. Column names come only from the field catalog and every
 * value travels as a parameter, so no merchant text is ever spliced into the SQL.
 *
 * Every condition compiles to an expression that is never NULL: a comparison on a NULL
 * column is guarded with `col IS NOT NULL AND ...`, so it is false rather than unknown.
 * Hence `NOT` is plain complement (see ast.ts) and matches `evaluateSegment` exactly.
 *
 * Date values are whole UTC days: `= '2025-01-31'` means any time that day, `<=` includes
 * that day and `>` starts the day after, BETWEEN includes both end days.
 */
export function compileSegmentSql(
  expression: SegmentExpression,
  options: CompileOptions,
): CompiledSegment {
  if (!Number.isInteger(options.firstParamIndex) || options.firstParamIndex < 1) {
    throw new RangeError(
      `firstParamIndex must be a positive integer, not ${options.firstParamIndex}`,
    );
  }
  const params = new ParameterList(options.firstParamIndex);
  return { sql: compileExpression(expression, params), params: params.values };
}

class ParameterList {
  readonly values: unknown[] = [];

  constructor(private readonly firstIndex: number) {}

  /** Adds a value and returns its typed placeholder, e.g. `$3::numeric`. */
  add(value: unknown, sqlType: string): string {
    this.values.push(value);
    return `$${this.firstIndex + this.values.length - 1}::${sqlType}`;
  }
}

function compileExpression(expression: SegmentExpression, params: ParameterList): string {
  switch (expression.kind) {
    case "and":
    case "or": {
      const joiner = expression.kind === "and" ? " AND " : " OR ";
      return `(${expression.operands.map((operand) => compileExpression(operand, params)).join(joiner)})`;
    }
    case "not":
      return `(NOT ${compileExpression(expression.operand, params)})`;
    default:
      return compileCondition(expression, params);
  }
}

function compileCondition(condition: Condition, params: ParameterList): string {
  if (condition.kind === "function") {
    const definition = requireDefinition(findFunction(condition.name), condition.name);
    const placeholders: Record<string, string> = {};
    definition.parameters.forEach((parameter, index) => {
      const literal = condition.args[index];
      if (literal) placeholders[parameter.name] = params.add(literal.value, parameter.type.sqlType);
    });
    for (const argument of condition.namedArgs) {
      const option = definition.options.find((candidate) => candidate.name === argument.name);
      if (option) placeholders[option.name] = params.add(argument.value.value, option.type.sqlType);
    }
    return `(${definition.sql(placeholders)})`;
  }

  const field = requireDefinition(findField(condition.field), condition.field);
  const column = field.sql;
  switch (condition.kind) {
    case "is_null":
      return `(${column} ${condition.negated ? "IS NOT NULL" : "IS NULL"})`;
    case "compare":
      return guardNull(field, compareSql(field, condition.operator, condition.value, params));
    case "in": {
      const list = condition.values.map((value) => params.add(value.value, castType(field)));
      return guardNull(
        field,
        `${column} ${condition.negated ? "NOT IN" : "IN"} (${list.join(", ")})`,
      );
    }
    case "between":
      if (field.type === "date") {
        const from = params.add(dayStart(condition.low), field.sqlType);
        const until = params.add(dayEnd(condition.high), field.sqlType);
        return guardNull(field, `${column} >= ${from} AND ${column} < ${until}`);
      }
      return guardNull(
        field,
        `${column} BETWEEN ${params.add(condition.low.value, castType(field))} AND ${params.add(condition.high.value, castType(field))}`,
      );
    case "contains": {
      // @> is false, never NULL, even if the array holds NULL elements.
      const containment = `${column} @> ARRAY[${params.add(condition.value.value, "text")}]`;
      return guardNull(field, condition.negated ? `NOT (${containment})` : containment);
    }
  }
}

function compareSql(
  field: FieldDefinition,
  operator: ComparisonOperator,
  literal: Literal,
  params: ParameterList,
): string {
  const column = field.sql;
  if (field.type !== "date") {
    return `${column} ${operator} ${params.add(literal.value, castType(field))}`;
  }
  // A date names a whole day: [start of the day, start of the next day).
  const start = () => params.add(dayStart(literal), field.sqlType);
  const end = () => params.add(dayEnd(literal), field.sqlType);
  switch (operator) {
    case "=":
      return `${column} >= ${start()} AND ${column} < ${end()}`;
    case "!=":
      return `(${column} < ${start()} OR ${column} >= ${end()})`;
    case "<":
      return `${column} < ${start()}`;
    case "<=":
      return `${column} < ${end()}`;
    case ">":
      return `${column} >= ${end()}`;
    case ">=":
      return `${column} >= ${start()}`;
  }
}

/** Nullable columns get an explicit guard so the condition is false, not NULL, on no value. */
function guardNull(field: FieldDefinition, condition: string): string {
  return field.nullable ? `(${field.sql} IS NOT NULL AND ${condition})` : `(${condition})`;
}

/** Integer columns compare against bigint so a large literal cannot overflow the cast. */
function castType(field: FieldDefinition): Exclude<SqlType, "integer"> | "bigint" {
  return field.sqlType === "integer" ? "bigint" : field.sqlType;
}

function dayStart(literal: Literal): string {
  return formatUtcTimestamp(calendarDay(literal));
}

function dayEnd(literal: Literal): string {
  return formatUtcTimestamp(nextDayStart(calendarDay(literal)));
}

function calendarDay(literal: Literal): number {
  const day = literal.kind === "string" ? parseCalendarDay(literal.value) : undefined;
  if (day === undefined) throw new TypeError("compileSegmentSql needs a checked tree: bad date");
  return day;
}

function requireDefinition<T>(definition: T | undefined, name: string): T {
  if (!definition) throw new TypeError(`compileSegmentSql needs a checked tree: unknown '${name}'`);
  return definition;
}
