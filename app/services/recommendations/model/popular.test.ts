import { describe, expect, it } from "vitest";
import { newArrivals, popularProducts, trendingProducts } from "./popular";
import { basket, onDay } from "./test-purchases";
import type { CatalogueProduct } from "./types";

describe("popularProducts", () => {
  const purchases = [
    ...basket("c1", "o1", 0, ["A", "B"]),
    ...basket("c2", "o2", 0, ["A", "A"]),
    ...basket("c3", "o3", 30, ["B"]),
    ...basket("c4", "o4", 30, ["C"]),
  ];

  it("counts each order once per product and ranks ties by id", () => {
    const popular = popularProducts(purchases, { halfLifeDays: Infinity });
    expect(popular.map((p) => [p.productId, p.score])).toEqual([
      ["A", 2],
      ["B", 2],
      ["C", 1],
    ]);
  });

  it("halves older orders at the half-life and ignores orders after asOf", () => {
    const decayed = popularProducts(purchases, { halfLifeDays: 30, asOf: onDay(30) });
    expect(decayed.map((p) => [p.productId, p.score])).toEqual([
      ["B", 1.5],
      ["A", 1],
      ["C", 1],
    ]);
    const early = popularProducts(purchases, { halfLifeDays: Infinity, asOf: onDay(10) });
    expect(early.map((p) => p.productId)).toEqual(["A", "B"]);
  });

  it("cuts at the limit", () => {
    expect(popularProducts(purchases, { halfLifeDays: Infinity, limit: 1 })).toHaveLength(1);
  });
});

describe("trendingProducts", () => {
  it("scores growth of the recent window over the previous one, growers only", () => {
    const orders = (product: string, day: number, count: number) =>
      Array.from({ length: count }, (_, n) =>
        basket(`${product}${day}-${n}`, `${product}${day}-${n}`, day, [product]),
      ).flat();
    const purchases = [
      ...orders("RISING", 1, 1),
      ...orders("RISING", 10, 4),
      ...orders("FLAT", 1, 4),
      ...orders("FLAT", 10, 4),
      ...orders("FEW", 10, 2),
    ];
    const trending = trendingProducts(purchases, {
      asOf: onDay(14),
      windowDays: 7,
      smoothing: 1,
      minRecentOrders: 3,
    });
    // RISING: (4 + 1) / (1 + 1) − 1 = 1.5; FLAT has no growth; FEW has too few recent orders.
    expect(trending).toEqual([{ productId: "RISING", score: 1.5, source: "trending" }]);
  });
});

describe("newArrivals", () => {
  const product = (id: string, createdDay: number): CatalogueProduct => ({
    id,
    status: "active",
    giftCard: false,
    inStock: true,
    tags: [],
    collectionIds: [],
    createdAt: onDay(createdDay),
  });

  it("lists products created within maxAgeDays, newest first", () => {
    const catalogue = [
      product("OLD", 0),
      product("NEW", 59),
      product("MID", 40),
      product("FUT", 61),
    ];
    const arrivals = newArrivals(catalogue, { asOf: onDay(60), maxAgeDays: 30 });
    expect(arrivals.map((p) => p.productId)).toEqual(["NEW", "MID"]);
    expect(arrivals[0]?.score).toBeCloseTo(1 / 2, 12);
  });
});
