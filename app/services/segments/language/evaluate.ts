import type {
  ComparisonOperator,
  Condition,
  FunctionCondition,
  Literal,
  SegmentExpression,
} from "./ast";
import { daysToMs, nextDayStart, parseCalendarDay } from "./dates";
import { findField, type FieldDefinition } from "./fields";

export interface PurchasedProduct {
  /** Prefer text or bigint: Shopify ids exceed 2^53. */
  productId: string | bigint | number;
  processedAt: Date | string;
  /** Cancelled orders never count, as in the SQL. */
  cancelledAt?: Date | string | null;
  /** The collections the product is in now (the SQL reads today's membership too). */
  collectionIds?: ReadonlyArray<string | bigint | number>;
}

/** One customer as plain data: field name to value (null or absent when unknown). */
export interface CustomerRecord {
  [field: string]: unknown;
  purchasedProducts?: readonly PurchasedProduct[];
}

export interface EvaluateOptions {
  /** The moment `within_days` counts back from; the SQL uses the database's now(). */
  now?: Date;
}

/**
 * The reference semantics of a checked tree, in memory: same two-valued logic as the SQL
 * (a condition on a missing value is false, NOT is complement) and the same whole-day dates.
 * Tests compare it with the database to prove the compiled SQL selects the same customers.
 */
export function evaluateSegment(
  expression: SegmentExpression,
  customer: CustomerRecord,
  options: EvaluateOptions = {},
): boolean {
  const now = (options.now ?? new Date()).getTime();
  const evaluate = (node: SegmentExpression): boolean => {
    switch (node.kind) {
      case "and":
        return node.operands.every(evaluate);
      case "or":
        return node.operands.some(evaluate);
      case "not":
        return !evaluate(node.operand);
      case "function":
        return hasPurchased(node, customer, now);
      default:
        return evaluateCondition(node, customer);
    }
  };
  return evaluate(expression);
}

function evaluateCondition(
  condition: Exclude<Condition, FunctionCondition>,
  customer: CustomerRecord,
): boolean {
  const field = findField(condition.field);
  if (!field)
    throw new TypeError(`evaluateSegment needs a checked tree: unknown '${condition.field}'`);
  const value = Object.hasOwn(customer, field.name) ? customer[field.name] : undefined;
  const missing = value === null || value === undefined;
  if (condition.kind === "is_null") return condition.negated ? !missing : missing;
  if (missing) return false;

  switch (condition.kind) {
    case "compare":
      return compare(field, value, condition.operator, condition.value);
    case "in": {
      const found = condition.values.some((literal) => compare(field, value, "=", literal));
      return condition.negated ? !found : found;
    }
    case "between":
      return (
        compare(field, value, ">=", condition.low) && compare(field, value, "<=", condition.high)
      );
    case "contains": {
      const found = Array.isArray(value) && value.includes(condition.value.value);
      return condition.negated ? !found : found;
    }
  }
}

function compare(
  field: FieldDefinition,
  value: unknown,
  operator: ComparisonOperator,
  literal: Literal,
): boolean {
  switch (field.type) {
    case "number":
    case "money":
      return compareOrdered(Number(value), operator, Number(literal.value));
    case "date":
      return compareDate(toMs(value), operator, literal);
    default:
      // Text, enum and boolean fields only allow = and !=.
      return operator === "=" ? value === literal.value : value !== literal.value;
  }
}

/** A date literal is a whole UTC day, as in the SQL. */
function compareDate(ms: number, operator: ComparisonOperator, literal: Literal): boolean {
  const start = parseCalendarDay(String(literal.value));
  if (start === undefined) throw new TypeError("evaluateSegment needs a checked tree: bad date");
  const end = nextDayStart(start);
  switch (operator) {
    case "=":
      return ms >= start && ms < end;
    case "!=":
      return ms < start || ms >= end;
    case "<":
      return ms < start;
    case "<=":
      return ms < end;
    case ">":
      return ms >= end;
    case ">=":
      return ms >= start;
  }
}

function compareOrdered(left: number, operator: ComparisonOperator, right: number): boolean {
  switch (operator) {
    case "=":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    case ">":
      return left > right;
    case ">=":
      return left >= right;
  }
}

/** Whether a purchase is of the product, or from the collection, a function names. */
const PURCHASE_MATCHERS: Readonly<
  Record<string, (purchase: PurchasedProduct, id: bigint) => boolean>
> = {
  has_purchased_product: (purchase, id) => BigInt(purchase.productId) === id,
  has_purchased_from_collection: (purchase, id) =>
    (purchase.collectionIds ?? []).some((collectionId) => BigInt(collectionId) === id),
};

function hasPurchased(
  condition: FunctionCondition,
  customer: CustomerRecord,
  now: number,
): boolean {
  const matches = Object.hasOwn(PURCHASE_MATCHERS, condition.name)
    ? PURCHASE_MATCHERS[condition.name]
    : undefined;
  if (!matches) {
    throw new TypeError(`evaluateSegment needs a checked tree: unknown '${condition.name}'`);
  }
  const id = BigInt(String(condition.args[0]?.value));
  const withinDays = condition.namedArgs.find((argument) => argument.name === "within_days");
  const since = withinDays ? now - daysToMs(Number(withinDays.value.value)) : -Infinity;
  return (customer.purchasedProducts ?? []).some(
    (purchase) =>
      !purchase.cancelledAt && matches(purchase, id) && toMs(purchase.processedAt) >= since,
  );
}

function toMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return typeof value === "number" ? value : Date.parse(String(value));
}
