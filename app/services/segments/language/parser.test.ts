import { describe, expect, it } from "vitest";
import type { SegmentExpression } from "./ast";
import { parseSegment, printSegment } from "./index";

const EXAMPLES = [
  "days_since_last_order > 90 AND orders_count >= 2 AND rfm_segment = 'at_risk'",
  "predicted_clv >= 200",
  "lifecycle_stage IN ('lapsing', 'lost')",
  "lifecycle_stage NOT IN ('prospect')",
  "tags CONTAINS 'vip'",
  "NOT tags CONTAINS 'wholesale'",
  "tags NOT CONTAINS 'wholesale'",
  "email_marketing = 'subscribed'",
  "has_purchased_product(123456789012345678)",
  "has_purchased_product(123, within_days: 180)",
  "(rfm_segment = 'lost' OR rfm_segment = 'hibernating') AND NOT tags CONTAINS 'vip'",
  "first_order_at BETWEEN '2025-01-01' AND '2025-06-30'",
  "email IS NULL",
  "email IS NOT NULL",
  "country_code != 'US'",
  "verified_email = true AND prob_alive < 0.25",
  "net_revenue > -10.5",
  "first_name = 'O''Hara'",
  "orders_count = 1 OR orders_count = 2 AND r_score = 5",
  "NOT NOT orders_count > 1",
  "NOT (orders_count > 1 OR aov < 20)",
  "(orders_count > 1 AND aov < 20) AND (r_score = 5 OR f_score = 5)",
  "has_purchased_product(9223372036854775807, within_days: 1) OR city IN ('Paris', 'Zürich 🏔')",
];

describe("parseSegment", () => {
  it.each(EXAMPLES)("round-trips %s", (text) => {
    const { ast } = parseSegment(text);
    const printed = printSegment(ast);
    expect(parseSegment(printed).ast).toEqual(ast);
    // Canonical text is a fixed point.
    expect(printSegment(parseSegment(printed).ast)).toBe(printed);
  });

  it("gives NOT precedence over AND, and AND over OR", () => {
    const { ast } = parseSegment("NOT email IS NULL OR orders_count = 1 AND aov > 2");
    expect(ast).toEqual({
      kind: "or",
      operands: [
        { kind: "not", operand: { kind: "is_null", field: "email", negated: false } },
        {
          kind: "and",
          operands: [
            {
              kind: "compare",
              field: "orders_count",
              operator: "=",
              value: { kind: "number", value: "1" },
            },
            { kind: "compare", field: "aov", operator: ">", value: { kind: "number", value: "2" } },
          ],
        },
      ],
    } satisfies SegmentExpression);
  });

  it("keeps a parenthesized group as its own node", () => {
    const flat = parseSegment("orders_count = 1 AND aov = 2 AND r_score = 3").ast;
    const grouped = parseSegment("(orders_count = 1 AND aov = 2) AND r_score = 3").ast;
    expect(flat.kind === "and" && flat.operands).toHaveLength(3);
    expect(grouped.kind === "and" && grouped.operands).toHaveLength(2);
    expect(printSegment(grouped)).toBe("(orders_count = 1 AND aov = 2) AND r_score = 3");
  });

  it("ignores the case of keywords and names; prints them canonically, grouping AND inside OR", () => {
    const { ast } = parseSegment(
      "Tags contains 'VIP' and not Lifecycle_Stage in ('lost') or EMAIL is not null",
    );
    expect(printSegment(ast)).toBe(
      "(tags CONTAINS 'VIP' AND NOT lifecycle_stage IN ('lost')) OR email IS NOT NULL",
    );
  });

  it("reads quotes, whitespace and newlines inside text values", () => {
    const { ast } = parseSegment("city = 'It''s\n  here'\n\tAND province = ''''");
    expect(ast).toMatchObject({
      operands: [{ value: { value: "It's\n  here" } }, { value: { value: "'" } }],
    });
  });

  it("keeps product ids beyond 2^53 exact", () => {
    const { ast } = parseSegment("has_purchased_product(9007199254740993)");
    expect(ast).toMatchObject({ args: [{ kind: "number", value: "9007199254740993" }] });
  });

  it("stores numbers canonically and accepts <> for !=", () => {
    const { ast } = parseSegment("aov <> 007.50");
    expect(ast).toEqual({
      kind: "compare",
      field: "aov",
      operator: "!=",
      value: { kind: "number", value: "7.5" },
    });
    expect(printSegment(ast)).toBe("aov != 7.5");
  });

  it("reads booleans and negative numbers", () => {
    expect(parseSegment("verified_email = FALSE").ast).toMatchObject({
      value: { kind: "boolean", value: false },
    });
    expect(parseSegment("net_revenue<-0.0").ast).toMatchObject({
      value: { kind: "number", value: "0" },
    });
  });
});
