import { describe, expect, it } from "vitest";
import { buildPopularityPrior } from "./popularity-prior";
import { basket, onDay } from "./test-purchases";

const purchases = [
  ...basket("c1", "o1", 0, ["A", "B"]),
  ...basket("c2", "o2", 30, ["B"]),
  ...basket("c3", "o3", 60, ["C", "C"]),
];

describe("buildPopularityPrior", () => {
  it("is the share of orders containing each product, ranked", () => {
    const prior = buildPopularityPrior(purchases);
    expect(prior.ranked.map((p) => [p.productId, p.score])).toEqual([
      ["B", 2 / 3],
      ["A", 1 / 3],
      ["C", 1 / 3],
    ]);
    expect(prior.share.get("C")).toBeCloseTo(1 / 3, 12);
  });

  it("decays both the product counts and the order total", () => {
    // Weights at day 60 with a 30-day half-life: o1 1/4, o2 1/2, o3 1.
    const prior = buildPopularityPrior(purchases, { halfLifeDays: 30, asOf: onDay(60) });
    expect(prior.share.get("B")).toBeCloseTo(0.75 / 1.75, 12);
    expect(prior.share.get("C")).toBeCloseTo(1 / 1.75, 12);
  });
});
