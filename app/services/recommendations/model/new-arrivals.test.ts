import { describe, expect, it } from "vitest";
import { newArrivals } from "./new-arrivals";
import { onDay } from "./test-purchases";
import type { CatalogueProduct } from "./types";

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
