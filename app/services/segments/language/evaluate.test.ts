import { describe, expect, it } from "vitest";
import { evaluateSegment, parseSegment, type CustomerRecord } from "./index";

const NOW = new Date("2026-03-01T12:00:00Z");

function matches(text: string, customer: CustomerRecord): boolean {
  return evaluateSegment(parseSegment(text).ast, customer, { now: NOW });
}

describe("evaluateSegment", () => {
  const lapsed: CustomerRecord = {
    days_since_last_order: 120,
    orders_count: 3,
    rfm_segment: "at_risk",
    tags: ["vip"],
    country_code: null,
    first_order_at: new Date("2025-06-30T23:59:59.999Z"),
    purchasedProducts: [
      { productId: "9007199254740993", processedAt: new Date("2026-01-01T00:00:00Z") },
      { productId: 5n, processedAt: "2025-01-01T00:00:00Z", cancelledAt: "2025-01-02T00:00:00Z" },
    ],
  };

  it("evaluates the brief's examples", () => {
    expect(
      matches(
        "days_since_last_order > 90 AND orders_count >= 2 AND rfm_segment = 'at_risk'",
        lapsed,
      ),
    ).toBe(true);
    expect(matches("tags CONTAINS 'vip' AND NOT tags CONTAINS 'wholesale'", lapsed)).toBe(true);
    expect(matches("first_order_at BETWEEN '2025-01-01' AND '2025-06-30'", lapsed)).toBe(true);
    expect(matches("first_order_at > '2025-06-30'", lapsed)).toBe(false);
  });

  it("treats a condition on a missing value as false and NOT as its complement", () => {
    expect(matches("country_code != 'US'", lapsed)).toBe(false);
    expect(matches("NOT country_code = 'US'", lapsed)).toBe(true);
    expect(matches("country_code IS NULL", lapsed)).toBe(true);
    expect(matches("predicted_clv < 10 OR predicted_clv >= 10", lapsed)).toBe(false);
    expect(matches("lifecycle_stage NOT IN ('lost')", lapsed)).toBe(false);
  });

  it("matches exact product ids, ignores cancelled orders and honours within_days", () => {
    expect(matches("has_purchased_product(9007199254740993)", lapsed)).toBe(true);
    expect(matches("has_purchased_product(9007199254740992)", lapsed)).toBe(false);
    expect(matches("has_purchased_product(5)", lapsed)).toBe(false);
    expect(matches("has_purchased_product(9007199254740993, within_days: 60)", lapsed)).toBe(true);
    expect(matches("has_purchased_product(9007199254740993, within_days: 59)", lapsed)).toBe(false);
  });
});
