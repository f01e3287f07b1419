import { describe, expect, it } from "vitest";
import { recommendBlended } from "./blended";
import { buildItemToItemModel } from "./item-to-item";
import { buildPopularityPrior } from "./popularity-prior";
import { basket, onDay } from "./test-purchases";

// 10 orders: POP in 6, A in 3, B in 2 (both with A), C in 1.
const purchases = [
  ...["g1", "g2", "g3", "g4", "g5", "g6"].flatMap((id) => basket(null, id, 0, ["POP"])),
  ...basket(null, "g7", 0, ["A", "B"]),
  ...basket(null, "g8", 0, ["A", "B"]),
  ...basket(null, "g9", 0, ["A"]),
  ...basket(null, "g10", 0, ["C"]),
];
const model = buildItemToItemModel(purchases, {
  halfLifeDays: Infinity,
  sequenceWeight: 0,
  shrinkage: 0,
  cosineAlpha: 0,
});
const prior = buildPopularityPrior(purchases);
const asOf = onDay(10);
const ids = (list: { productId: string }[]) => list.map((p) => p.productId);

describe("recommendBlended", () => {
  it("is exactly popularity for a customer with no history", () => {
    const list = recommendBlended(model, prior, [], { asOf, limit: 10 });
    expect(list.map((p) => [p.productId, p.score])).toEqual([
      ["POP", 0.6],
      ["A", 0.3],
      ["B", 0.2],
      ["C", 0.1],
    ]);
  });

  it("lifts a bought product's prior by 1 + β per earlier order", () => {
    const history = [
      { productId: "C", at: onDay(0) },
      { productId: "C", at: onDay(5) },
    ];
    const options = { asOf, neighbourWeight: 0, historyHalfLifeDays: Infinity };
    const c = (ownBoost: number) =>
      recommendBlended(model, prior, history, { ...options, ownBoost }).find(
        (p) => p.productId === "C",
      );
    expect(c(1)).toEqual({ productId: "C", score: 0.1 * 3, source: "repurchase" });
    // β = 2.5 lifts C (0.1 × 6 = 0.6) level with POP; the tie goes to the smaller id.
    expect(ids(recommendBlended(model, prior, history, { ...options, ownBoost: 2.5 }))[0]).toBe(
      "C",
    );
  });

  it("adds w × the recency-weighted mean similarity of the customer's products", () => {
    // sim(A → B) with α = 0 is co/nA = 2/3; C has no neighbours. Mean over {A, C}: (2/3) / 2.
    const history = [
      { productId: "A", at: onDay(10) },
      { productId: "C", at: onDay(10) },
    ];
    const list = recommendBlended(model, prior, history, {
      asOf,
      ownBoost: 0,
      neighbourWeight: 3,
    });
    const b = list.find((p) => p.productId === "B");
    expect(b?.score).toBeCloseTo(0.2 + 3 * (2 / 3 / 2), 12);
    expect(b?.source).toBe("neighbours");
    expect(ids(list)[0]).toBe("B");
  });

  it("leaves out excluded and, when asked, previously bought products", () => {
    const history = [{ productId: "A", at: onDay(0) }];
    const list = recommendBlended(model, prior, history, {
      asOf,
      allowPreviouslyBought: false,
      exclude: new Set(["POP"]),
    });
    expect(ids(list)).toEqual(["B", "C"]);
  });

  it("fills unscored slots from the prior, up to the limit", () => {
    const history = [{ productId: "C", at: onDay(0) }];
    const list = recommendBlended(model, prior, history, { asOf, limit: 3, ownBoost: 0 });
    expect(ids(list)).toEqual(["POP", "A", "B"]);
    expect(list[0]?.source).toBe("popular");
  });
});
