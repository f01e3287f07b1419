import { describe, expect, it } from "vitest";
import { evaluateRecommendations, type EvaluationOptions } from "./evaluate";
import { basket } from "./test-purchases";

// Guests make POP the most popular product. c1 rebuys X; c2 bought A, and A's only co-buyer is
// B, which c2 buys next. Held out: c1's o2 and c2's o4.
const purchases = [
  ...["g1", "g2", "g3", "g4", "g5"].flatMap((id) => basket(null, id, 0, ["POP"])),
  ...basket(null, "g6", 0, ["A", "B"]),
  ...basket("c1", "o1", 1, ["X"]),
  ...basket("c1", "o2", 10, ["X"]),
  ...basket("c2", "o3", 1, ["A"]),
  ...basket("c2", "o4", 10, ["B"]),
];

// k = 1 and strong personal weights, so the expected lists can be worked out by hand:
// training shares POP 5/8, A 2/8, X 1/8, B 1/8.
const OPTIONS: Partial<EvaluationOptions> = {
  k: 1,
  itemToItem: { halfLifeDays: Infinity, sequenceWeight: 0, shrinkage: 0, cosineAlpha: 0.5 },
  blended: { ownBoost: 10, neighbourWeight: 10, historyHalfLifeDays: Infinity },
};

describe("evaluateRecommendations", () => {
  it("scores ours and popularity on each customer's held-out last order", () => {
    const report = evaluateRecommendations(purchases, OPTIONS);
    // Held-out orders are not trained on.
    expect(report.trainingOrders).toBe(8);
    // c1: X = 1/8 × (1 + 10) beats POP 5/8. c2: B = 1/8 + 10 × (1/√2) beats A = 2/8 × 11.
    // Popularity says POP to both and misses.
    expect(report.allItems).toEqual({
      customers: 2,
      ours: { hitRate: 1, ndcg: 1 },
      popularity: { hitRate: 0, ndcg: 0 },
      priorOnly: { hitRate: 0, ndcg: 0 },
      // Every customer a hit for ours and a miss for popularity: a gain of 1, no spread.
      hitGain: { mean: 1, low: 1, high: 1 },
    });
    // Only c2's target is new to them; both lists leave A out, popularity still says POP.
    expect(report.newItemsOnly).toEqual({
      customers: 1,
      ours: { hitRate: 1, ndcg: 1 },
      popularity: { hitRate: 0, ndcg: 0 },
      priorOnly: { hitRate: 0, ndcg: 0 },
      // Every customer a hit for ours and a miss for popularity: a gain of 1, no spread.
      hitGain: { mean: 1, low: 1, high: 1 },
    });
  });

  it("falls back to popularity when the personal terms are off", () => {
    const report = evaluateRecommendations(purchases, {
      ...OPTIONS,
      blended: { ownBoost: 0, neighbourWeight: 0 },
    });
    expect(report.allItems.ours).toEqual(report.allItems.popularity);
  });

  it("validation holds out second-to-last orders and trains without the last two", () => {
    const withThird = [...purchases, ...basket("c1", "o5", 20, ["POP"])];
    const report = evaluateRecommendations(withThird, { ...OPTIONS, split: "validation" });
    // Only c1 has three orders; its target is o2 (X), and o2 and o5 are both out of training;
    // c2's last order stays out too, since it is a test order.
    expect(report.allItems.customers).toBe(1);
    expect(report.trainingOrders).toBe(8);
    expect(report.allItems.ours.hitRate).toBe(1);
  });

  it("counts hits at k over the whole target basket", () => {
    const report = evaluateRecommendations(purchases, { ...OPTIONS, k: 10 });
    // With k = 10 popularity lists every product, so it finds both targets too.
    expect(report.allItems.popularity.hitRate).toBe(1);
    expect(report.allItems.ours.hitRate).toBe(1);
  });
});
