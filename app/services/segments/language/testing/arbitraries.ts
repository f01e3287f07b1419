/**
 * fast-check generators of valid segment trees (every tree passes checkSegment), shared by
 * the round-trip fuzz tests and the PostgreSQL agreement test.
 */
import fc from "fast-check";
import type { Condition, Literal, SegmentExpression } from "../ast";
import { COMPARISON_OPERATORS } from "../ast";
import { SEGMENT_FIELDS, type FieldDefinition } from "../fields";
import { canonicalDecimal } from "../numbers";

/** Where text, tags and product ids come from; the database test narrows them to its data. */
export interface LiteralPools {
  text: fc.Arbitrary<string>;
  tag: fc.Arbitrary<string>;
  productId: fc.Arbitrary<string>;
  collectionId: fc.Arbitrary<string>;
  /** First and last day (UTC ms) date literals fall between. */
  days: { from: number; to: number };
  /** If set, numeric literals come from these values (those fitting the field), so they hit data. */
  numbers?: readonly number[];
}

const wellFormedText = fc
  .string({ unit: "grapheme", maxLength: 12 })
  .filter((text) => !text.includes("\0"));

export const DEFAULT_POOLS: LiteralPools = {
  text: fc.oneof(wellFormedText, fc.constantFrom("x' OR 1=1 --", "''", "a'); DROP TABLE x;--")),
  tag: fc.oneof(wellFormedText, fc.constantFrom("vip", "wholesale")),
  productId: fc.oneof(
    fc.bigInt({ min: 1n, max: 9223372036854775807n }).map(String),
    fc.constantFrom("9007199254740993", "1"),
  ),
  collectionId: fc.oneof(
    fc.bigInt({ min: 1n, max: 9223372036854775807n }).map(String),
    fc.constantFrom("9007199254740995", "2"),
  ),
  days: { from: Date.UTC(1990, 0, 1), to: Date.UTC(2040, 11, 31) },
};

export function segmentExpression(
  pools: LiteralPools = DEFAULT_POOLS,
  maxDepth = 3,
): fc.Arbitrary<SegmentExpression> {
  const build = (depth: number): fc.Arbitrary<SegmentExpression> => {
    const leaf = condition(pools);
    if (depth === 0) return leaf;
    const child = build(depth - 1);
    return fc.oneof(
      { arbitrary: leaf, weight: 3 },
      {
        arbitrary: fc.record({
          kind: fc.constantFrom("and" as const, "or" as const),
          operands: fc.array(child, { minLength: 2, maxLength: 3 }),
        }),
        weight: 2,
      },
      {
        arbitrary: child.map((operand): SegmentExpression => ({ kind: "not", operand })),
        weight: 1,
      },
    );
  };
  return build(maxDepth);
}

export function condition(pools: LiteralPools): fc.Arbitrary<Condition> {
  return fc.oneof(
    {
      arbitrary: fc.constantFrom(...SEGMENT_FIELDS).chain((field) => fieldCondition(field, pools)),
      weight: 6,
    },
    { arbitrary: purchaseCondition(pools), weight: 1 },
  );
}

function purchaseCondition(pools: LiteralPools): fc.Arbitrary<Condition> {
  const picked = fc.oneof(
    pools.productId.map((id) => ({ name: "has_purchased_product", id })),
    pools.collectionId.map((id) => ({ name: "has_purchased_from_collection", id })),
  );
  return fc
    .record({ picked, withinDays: fc.option(fc.integer({ min: 1, max: 800 })) })
    .map(({ picked: { name, id }, withinDays }) => ({
      kind: "function",
      name,
      args: [{ kind: "number", value: id }],
      namedArgs:
        withinDays === null
          ? []
          : [{ name: "within_days", value: { kind: "number", value: String(withinDays) } }],
    }));
}

function fieldCondition(field: FieldDefinition, pools: LiteralPools): fc.Arbitrary<Condition> {
  const value = literalFor(field, pools);
  const name = field.name;
  const isNull = fc
    .boolean()
    .map((negated): Condition => ({ kind: "is_null", field: name, negated }));
  const equality = fc.constantFrom("=" as const, "!=" as const);
  const list = fc.record({
    negated: fc.boolean(),
    values: fc.array(value, { minLength: 1, maxLength: 4 }),
  });
  switch (field.type) {
    case "string_list":
      return fc.oneof(
        fc.record({ negated: fc.boolean(), value }).map(({ negated, value: tag }): Condition => ({
          kind: "contains",
          field: name,
          negated,
          value: tag,
        })),
        isNull,
      );
    case "boolean":
      return fc.oneof(
        fc.record({ operator: equality, value }).map(({ operator, value: flag }): Condition => ({
          kind: "compare",
          field: name,
          operator,
          value: flag,
        })),
        isNull,
      );
    case "string":
    case "enum":
      return fc.oneof(
        fc.record({ operator: equality, value }).map(({ operator, value: text }): Condition => ({
          kind: "compare",
          field: name,
          operator,
          value: text,
        })),
        list.map(({ negated, values }): Condition => ({
          kind: "in",
          field: name,
          negated,
          values,
        })),
        isNull,
      );
    case "number":
    case "money":
    case "date": {
      const ordered = fc
        .record({ operator: fc.constantFrom(...COMPARISON_OPERATORS), value })
        .map(({ operator, value: bound }): Condition => ({
          kind: "compare",
          field: name,
          operator,
          value: bound,
        }));
      const between = fc.tuple(value, value).map(([a, b]): Condition => {
        const [low, high] = literalOrder(a, b) <= 0 ? [a, b] : [b, a];
        return { kind: "between", field: name, low, high };
      });
      const options = [ordered, between, isNull];
      if (field.type !== "date") {
        options.push(
          list.map(({ negated, values }): Condition => ({
            kind: "in",
            field: name,
            negated,
            values,
          })),
        );
      }
      return fc.oneof(...options);
    }
  }
}

function literalFor(field: FieldDefinition, pools: LiteralPools): fc.Arbitrary<Literal> {
  switch (field.type) {
    case "number":
    case "money": {
      const min = field.range ? field.range.min : -50;
      const max = field.range ? field.range.max : 2500;
      const scale = field.integer ? 1 : 100;
      const grid = (pools.numbers ?? []).filter(
        (value) => value >= min && value <= max && (!field.integer || Number.isInteger(value)),
      );
      if (grid.length > 0) {
        return fc
          .constantFrom(...grid)
          .map((value) => ({ kind: "number", value: canonicalDecimal(String(value)) }));
      }
      return fc.integer({ min: min * scale, max: max * scale }).map((scaled) => ({
        kind: "number",
        value: canonicalDecimal((scaled / scale).toFixed(field.integer ? 0 : 2)),
      }));
    }
    case "enum":
      return fc.constantFrom(...field.values).map((value) => ({ kind: "string", value }));
    case "date":
      return fc
        .integer({ min: pools.days.from / 86_400_000, max: pools.days.to / 86_400_000 })
        .map((day) => ({
          kind: "string",
          value: new Date(day * 86_400_000).toISOString().slice(0, 10),
        }));
    case "boolean":
      return fc.boolean().map((value) => ({ kind: "boolean", value }));
    case "string":
      return pools.text.map((value) => ({ kind: "string", value }));
    case "string_list":
      return pools.tag.map((value) => ({ kind: "string", value }));
  }
}

function literalOrder(a: Literal, b: Literal): number {
  if (a.kind === "number" && b.kind === "number") return Number(a.value) - Number(b.value);
  // Dates are 'YYYY-MM-DD', so text order is date order.
  return String(a.value) < String(b.value) ? -1 : String(a.value) > String(b.value) ? 1 : 0;
}
