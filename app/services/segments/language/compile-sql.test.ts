import { describe, expect, it } from "vitest";
import type { SegmentExpression } from "./ast";
import { SegmentError, SegmentTypeError, compileSegment, parseSegment } from "./index";

function compileText(text: string, firstParamIndex = 2) {
  return compileSegment(parseSegment(text).ast, { firstParamIndex });
}

describe("compileSegment", () => {
  it("numbers placeholders from the caller's index and casts them to the column type", () => {
    expect(compileText("days_since_last_order > 90 AND rfm_segment = 'at_risk'", 5)).toEqual({
      sql: "((m.days_since_last_order IS NOT NULL AND m.days_since_last_order > $5::bigint) AND (m.rfm_segment IS NOT NULL AND m.rfm_segment = $6::text))",
      params: ["90", "at_risk"],
    });
  });

  it("defaults to $2, leaving $1 for shop_id", () => {
    expect(compileSegment(parseSegment("predicted_clv >= 200").ast).sql).toContain("$2::numeric");
  });

  it("guards nullable columns so a missing value is false, and NOT is its complement", () => {
    expect(compileText("NOT country_code != 'US'").sql).toBe(
      "(NOT (c.country_code IS NOT NULL AND c.country_code != $2::text))",
    );
    // Non-null columns need no guard.
    expect(compileText("verified_email = true")).toEqual({
      sql: "(c.verified_email = $2::boolean)",
      params: [true],
    });
  });

  it("lists IN values one placeholder each", () => {
    expect(compileText("lifecycle_stage NOT IN ('lapsing', 'lost')")).toEqual({
      sql: "(m.lifecycle_stage IS NOT NULL AND m.lifecycle_stage NOT IN ($2::text, $3::text))",
      params: ["lapsing", "lost"],
    });
  });

  it("treats dates as whole UTC days", () => {
    expect(compileText("first_order_at BETWEEN '2025-01-01' AND '2025-06-30'")).toEqual({
      sql: "(m.first_order_at IS NOT NULL AND m.first_order_at >= $2::timestamp AND m.first_order_at < $3::timestamp)",
      params: ["2025-01-01 00:00:00.000", "2025-07-01 00:00:00.000"],
    });
    expect(compileText("created_at > '2024-12-31'")).toEqual({
      sql: "(c.created_at >= $2::timestamp)",
      params: ["2025-01-01 00:00:00.000"],
    });
    expect(compileText("created_at = '2024-02-29'").params).toEqual([
      "2024-02-29 00:00:00.000",
      "2024-03-01 00:00:00.000",
    ]);
  });

  it("matches tags by array containment", () => {
    expect(compileText("tags CONTAINS 'vip' AND tags NOT CONTAINS 'wholesale'")).toEqual({
      sql: "((c.tags @> ARRAY[$2::text]) AND (NOT (c.tags @> ARRAY[$3::text])))",
      params: ["vip", "wholesale"],
    });
  });

  it("compiles has_purchased_product to an EXISTS over non-cancelled orders of the shop", () => {
    const { sql, params } = compileText(
      "has_purchased_product(123456789012345678, within_days: 180)",
    );
    expect(params).toEqual(["123456789012345678", "180"]);
    expect(sql).toBe(
      `(EXISTS (SELECT 1 FROM order_line ol JOIN "order" o ON o.shop_id = ol.shop_id AND o.id = ol.order_id ` +
        `WHERE o.shop_id = c.shop_id AND o.customer_id = c.id AND o.cancelled_at IS NULL AND ol.product_id = $2::bigint ` +
        `AND o.processed_at >= (now() AT TIME ZONE 'UTC') - make_interval(days => $3::integer)))`,
    );
    expect(compileText("has_purchased_product(7)").sql).not.toContain("processed_at");
  });

  it("rejects a bad parameter index", () => {
    expect(() => compileSegment(parseSegment("email IS NULL").ast, { firstParamIndex: 0 })).toThrow(
      RangeError,
    );
  });
});

describe("SQL injection", () => {
  const VALUE_ATTACKS = [
    "email = 'x'' OR 1=1 --'",
    "tags CONTAINS 'a''); DROP TABLE x;--'",
    "city IN ('a'') OR true; --', 'b')",
    "first_name = '$1'",
    "last_name = '\\'' OR 1=1'",
  ];

  it.each(VALUE_ATTACKS)("keeps %s only in params", (text) => {
    const { sql, params } = compileText(text);
    for (const param of params) {
      expect(typeof param).toBe("string");
      expect(sql).not.toContain(param as string);
    }
    expect(sql).not.toMatch(/DROP|1=1|--|;|'a|'x/);
  });

  it.each([
    "tags CONTAINS 'a'); DROP TABLE x;--'",
    "email = 'x' OR 1=1 --",
    "\"email\" = 'x'",
    "email; DROP TABLE customer = 'x'",
    "c.email = 'x'",
    "email/**/= 'x'",
    "m.orders_count > 1",
  ])("rejects %s", (text) => {
    let rejection: unknown;
    try {
      compileText(text);
    } catch (error) {
      rejection = error;
    }
    expect(rejection).toBeInstanceOf(SegmentError);
  });

  it("never takes a column name from a built tree", () => {
    const attacks: unknown[] = [
      {
        kind: "compare",
        field: "email = email OR true --",
        operator: "=",
        value: { kind: "string", value: "x" },
      },
      { kind: "compare", field: "__proto__", operator: "=", value: { kind: "string", value: "x" } },
      {
        kind: "compare",
        field: "email",
        operator: "= 'x' OR 1=1 --",
        value: { kind: "string", value: "x" },
      },
      {
        kind: "compare",
        field: "orders_count",
        operator: ">",
        value: { kind: "number", value: "1 OR 1=1" },
      },
      { kind: "in", field: "email", negated: false, values: [] },
      { kind: "and", operands: [{ kind: "is_null", field: "email", negated: false }] },
      { kind: "raw", sql: "true" },
      { kind: "function", name: "pg_sleep", args: [], namedArgs: [] },
      { kind: "not", operand: null },
      { kind: "contains", field: "tags", negated: false, value: { kind: "string", value: "a\0b" } },
    ];
    for (const ast of attacks) {
      expect(() => compileSegment(ast as SegmentExpression)).toThrow(SegmentTypeError);
    }
  });

  it("holds built trees to the length limit", () => {
    const ast: SegmentExpression = {
      kind: "compare",
      field: "email",
      operator: "=",
      value: { kind: "string", value: "x".repeat(4000) },
    };
    expect(() => compileSegment(ast)).toThrow(/at most 4000/);
  });
});
