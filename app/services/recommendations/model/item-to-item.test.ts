import { describe, expect, it } from "vitest";
import { neighboursOf } from "./item-graph";
import { buildItemToItemModel, type ItemToItemOptions } from "./item-to-item";
import { basket } from "./test-purchases";

// Basket-only, undecayed settings so the expected similarities can be computed by hand.
const PLAIN: Partial<ItemToItemOptions> = {
  halfLifeDays: Infinity,
  sequenceWeight: 0,
  shrinkage: 0,
};

// Four single-order customers: A is in 3 orders, B in 2, C in 2, D in 1.
// co(A,B) = 2, co(A,C) = 1, co(B,C) = 0, co(A,D) = 1.
const BASKETS = [
  ...basket("c1", "o1", 0, ["A", "B"]),
  ...basket("c2", "o2", 0, ["A", "B", "C"]),
  ...basket("c3", "o3", 0, ["A", "D"]),
  ...basket("c4", "o4", 0, ["C"]),
];

const scoresOf = (model: ReturnType<typeof buildItemToItemModel>, id: string) =>
  Object.fromEntries(neighboursOf(model, id).map((n) => [n.productId, n.score]));

describe("buildItemToItemModel", () => {
  it("computes cosine co / sqrt(nA nB) on same-basket co-purchases", () => {
    const model = buildItemToItemModel(BASKETS, PLAIN);
    const a = scoresOf(model, "A");
    expect(a.B).toBeCloseTo(2 / Math.sqrt(3 * 2), 12);
    expect(a.C).toBeCloseTo(1 / Math.sqrt(3 * 2), 12);
    expect(a.D).toBeCloseTo(1 / Math.sqrt(3 * 1), 12);
    // Never bought together: no similarity at all, not a zero entry.
    expect(scoresOf(model, "B")).not.toHaveProperty("D");
  });

  it("shrinks by co / (co + shrinkage) so one co-purchase cannot outrank several", () => {
    const model = buildItemToItemModel(BASKETS, { ...PLAIN, shrinkage: 2 });
    const a = scoresOf(model, "A");
    expect(a.B).toBeCloseTo((2 / Math.sqrt(6)) * (2 / 4), 12);
    expect(a.D).toBeCloseTo((1 / Math.sqrt(3)) * (1 / 3), 12);
  });

  it("lets a pair seen twice outrank a niche pair seen once only with shrinkage", () => {
    // B also sells alone three times (nB = 5), so unshrunk the one-off niche D wins:
    // B = 2/√15 ≈ 0.516 < D = 1/√3 ≈ 0.577. Shrunk by 2: B ≈ 0.258 > D ≈ 0.192.
    const purchases = [
      ...BASKETS,
      ...["o5", "o6", "o7"].flatMap((id) => basket(`solo-${id}`, id, 0, ["B"])),
    ];
    const top = (shrinkage: number) =>
      neighboursOf(buildItemToItemModel(purchases, { ...PLAIN, shrinkage }), "A")[0]?.productId;
    expect(top(0)).toBe("D");
    expect(top(2)).toBe("B");
  });

  it("computes lift co · N / (nA nB) with shrinkage", () => {
    const model = buildItemToItemModel(BASKETS, { ...PLAIN, similarity: "lift", shrinkage: 1 });
    const a = scoresOf(model, "A");
    // N = 4 orders.
    expect(a.B).toBeCloseTo(((2 * 4) / (3 * 2)) * (2 / 3), 12);
    expect(a.C).toBeCloseTo(((1 * 4) / (3 * 2)) * (1 / 2), 12);
  });

  it("asymmetric cosine with α = 0 is the conditional share co / nA", () => {
    const model = buildItemToItemModel(BASKETS, { ...PLAIN, cosineAlpha: 0 });
    expect(scoresOf(model, "A").B).toBeCloseTo(2 / 3, 12);
    expect(scoresOf(model, "B").A).toBeCloseTo(2 / 2, 12);
  });

  it("halves an order's weight at the half-life", () => {
    // Same pair bought in an order 30 days before asOf and one at asOf; half-life 30 days.
    const purchases = [
      ...basket("c1", "old", 0, ["A", "B"]),
      ...basket("c2", "new", 30, ["A", "B"]),
      ...basket("c3", "solo", 30, ["B"]),
    ];
    const model = buildItemToItemModel(purchases, { ...PLAIN, halfLifeDays: 30 });
    // co = 0.5 + 1, nA = 1.5, nB = 0.5 + 1 + 1.
    expect(scoresOf(model, "A").B).toBeCloseTo(1.5 / Math.sqrt(1.5 * 2.5), 12);
    const undecayed = buildItemToItemModel(purchases, PLAIN);
    expect(scoresOf(undecayed, "A").B).toBeCloseTo(2 / Math.sqrt(2 * 3), 12);
  });

  it("keeps only the top K neighbours, best first", () => {
    const model = buildItemToItemModel(BASKETS, { ...PLAIN, shrinkage: 2, neighbours: 2 });
    expect(neighboursOf(model, "A").map((n) => n.productId)).toEqual(["B", "D"]);
    expect(neighboursOf(model, "A", 1).map((n) => n.productId)).toEqual(["B"]);
  });

  it("breaks ties by product id whatever the input order", () => {
    const purchases = [...basket("c1", "o1", 0, ["Z", "Y", "X"]), ...basket("c2", "o2", 0, ["X"])];
    const forward = buildItemToItemModel(purchases, PLAIN);
    const backward = buildItemToItemModel([...purchases].reverse(), PLAIN);
    expect(neighboursOf(forward, "X").map((n) => n.productId)).toEqual(["Y", "Z"]);
    expect(neighboursOf(backward, "X")).toEqual(neighboursOf(forward, "X"));
  });

  it("returns no neighbours for an unknown product", () => {
    expect(neighboursOf(buildItemToItemModel(BASKETS, PLAIN), "nope")).toEqual([]);
  });

  it("links products one customer bought in different orders, once per customer", () => {
    const purchases = [
      ...basket("c1", "o1", 0, ["A"]),
      ...basket("c1", "o2", 10, ["B"]),
      ...basket("c1", "o3", 20, ["B"]),
    ];
    const model = buildItemToItemModel(purchases, {
      ...PLAIN,
      sequenceWeight: 0.5,
      sequenceGapHalfLifeDays: 10,
    });
    // Best pair is o1–o2, 10 days apart: 0.5 × 2^(−1). Counted once, although B is in two orders.
    // cosine = 0.25 / sqrt(nA = 1 × nB = 2).
    expect(scoresOf(model, "A").B).toBeCloseTo(0.25 / Math.sqrt(2), 12);
    expect(scoresOf(buildItemToItemModel(purchases, PLAIN), "A")).toEqual({});
  });

  it("ignores refund lines with non-positive quantities", () => {
    const purchases = [
      ...basket("c1", "o1", 0, ["A"]),
      { customerId: "c1", orderId: "o1", productId: "B", at: new Date(0), quantity: -1 },
    ];
    expect(neighboursOf(buildItemToItemModel(purchases, PLAIN), "A")).toEqual([]);
  });
});
