import { describe, expect, it } from "vitest";
import { recommendForYou } from "./for-you";
import { buildItemToItemModel } from "./item-to-item";
import { basket, onDay } from "./test-purchases";

// A co-occurs with B (twice) and C (once); D co-occurs with E.
const model = buildItemToItemModel(
  [
    ...basket("x1", "o1", 0, ["A", "B"]),
    ...basket("x2", "o2", 0, ["A", "B", "C"]),
    ...basket("x3", "o3", 0, ["D", "E"]),
  ],
  { halfLifeDays: Infinity, sequenceWeight: 0, shrinkage: 0 },
);
const ids = (list: { productId: string }[]) => list.map((p) => p.productId);

describe("recommendForYou", () => {
  it("recommends the neighbours of what the customer bought, best first", () => {
    const history = [{ productId: "A", at: onDay(0) }];
    const list = recommendForYou(model, history, { asOf: onDay(100) });
    expect(ids(list)).toEqual(["B", "C"]);
    expect(list[0]?.score).toBeGreaterThan(list[1]?.score ?? Infinity);
  });

  it("weighs each bought product's vote by its recency", () => {
    // D bought at asOf, A one half-life earlier: E's vote (weight 1) beats B's (weight 1/2).
    const history = [
      { productId: "A", at: onDay(0) },
      { productId: "D", at: onDay(90) },
    ];
    const list = recommendForYou(model, history, { asOf: onDay(90), historyHalfLifeDays: 90 });
    expect(ids(list)[0]).toBe("E");
    const e = list.find((p) => p.productId === "E")?.score ?? 0;
    const b = list.find((p) => p.productId === "B")?.score ?? 0;
    expect(e / b).toBeCloseTo(1 / (0.5 * (2 / 2)), 6);
  });

  it("leaves out recently bought products unless customers commonly rebuy them", () => {
    const history = [
      { productId: "A", at: onDay(0) },
      { productId: "B", at: onDay(95) },
    ];
    const asOf = onDay(100);
    expect(ids(recommendForYou(model, history, { asOf }))).not.toContain("B");
    const rates = new Map([["B", 0.5]]);
    expect(ids(recommendForYou(model, history, { asOf, repurchaseRates: rates }))).toContain("B");
  });

  it("adds the repurchase score to bought products and can list nobody's neighbours", () => {
    const history = [{ productId: "LONELY", at: onDay(0) }];
    const rates = new Map([["LONELY", 0.5]]);
    const asOf = onDay(0);
    expect(recommendForYou(model, history, { asOf, repurchaseRates: rates })).toEqual([]);
    const list = recommendForYou(model, history, {
      asOf,
      repurchaseRates: rates,
      repurchaseWeight: 2,
    });
    expect(list).toEqual([{ productId: "LONELY", score: 1, source: "repurchase" }]);
  });

  it("never lists bought products when allowPreviouslyBought is false", () => {
    const history = [
      { productId: "A", at: onDay(0) },
      { productId: "B", at: onDay(0) },
    ];
    const list = recommendForYou(model, history, {
      asOf: onDay(100),
      allowPreviouslyBought: false,
    });
    expect(ids(list)).toEqual(["C"]);
  });

  it("cuts at the limit and returns nothing for an empty history", () => {
    const history = [{ productId: "A", at: onDay(0) }];
    expect(recommendForYou(model, history, { asOf: onDay(1), limit: 1 })).toHaveLength(1);
    expect(recommendForYou(model, [], { asOf: onDay(1) })).toEqual([]);
  });
});
