import { describe, expect, it } from "vitest";
import { indexPurchases } from "./purchase-index";
import { dayOf, recentBestsellersByDay } from "./recent-bestsellers";
import { basket, onDay } from "./test-purchases";

const index = indexPurchases([
  ...basket("c1", "o1", 0, ["A", "B"]),
  ...basket("c2", "o2", 30, ["B"]),
  ...basket("c3", "o3", 60, ["C"]),
]);

describe("recentBestsellersByDay", () => {
  it("counts only orders placed before the day", () => {
    // On day 30, o2 (day 30) has not happened yet from the day's start.
    const lists = recentBestsellersByDay(index, [dayOf(onDay(30))], Infinity);
    expect(lists.get(dayOf(onDay(30)))?.map((p) => [p.productId, p.score])).toEqual([
      ["A", 1],
      ["B", 1],
    ]);
  });

  it("halves an order's weight per half-life, the same in one sweep as asked one by one", () => {
    const days = [dayOf(onDay(31)), dayOf(onDay(61))];
    const swept = recentBestsellersByDay(index, days, 30);
    const alone = recentBestsellersByDay(index, [dayOf(onDay(61))], 30);
    // Day 61: o1 is 61 days old (weight 2^-61/30), o2 31, o3 1; B is in o1 and o2.
    const w = (age: number) => Math.pow(0.5, age / 30);
    const total = w(61) + w(31) + w(1);
    const day61 = swept.get(dayOf(onDay(61)));
    expect(day61?.map((p) => p.productId)).toEqual(["C", "B", "A"]);
    expect(day61?.[1]?.score).toBeCloseTo((w(61) + w(31)) / total, 12);
    alone.get(dayOf(onDay(61)))?.forEach((product, k) => {
      expect(day61?.[k]?.productId).toBe(product.productId);
      expect(day61?.[k]?.score).toBeCloseTo(product.score, 12);
    });
  });
});
