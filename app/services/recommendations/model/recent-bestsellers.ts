/**
 * "What sells now" as of given days: each product's share of orders placed before the day, each
 * order weighing 0.5^(age / halfLife). One sweep over the orders in time order serves every day
 * asked for (the decayed sums carry from one day to the next), so training can ask for the
 * list as of each validation order's day without a pass over all orders per day.
 */
import { compareScoredDescending } from "./product-order";
import { orderProducts, type PurchaseIndex } from "./purchase-index";
import type { ScoredProduct } from "./types";
import { MS_PER_DAY } from "./types";

/** Products kept per day: the signals read no further than their candidate pool. */
const KEPT = 100;

export const dayOf = (at: Date): number => Math.floor(at.getTime() / MS_PER_DAY);

export function recentBestsellersByDay(
  index: PurchaseIndex,
  days: Iterable<number>,
  halfLifeDays: number,
): Map<number, ScoredProduct[]> {
  const wanted = [...new Set(days)].sort((a, b) => a - b);
  const orders = [...index.orderTimeMs.keys()].sort(
    (a, b) => (index.orderTimeMs[a] ?? 0) - (index.orderTimeMs[b] ?? 0),
  );
  const sums = new Float64Array(index.productIds.length);
  let total = 0;
  let referenceMs = -Infinity;
  const decayTo = (ms: number) => {
    if (Number.isFinite(referenceMs)) {
      const factor = Math.pow(0.5, (ms - referenceMs) / MS_PER_DAY / halfLifeDays);
      for (let p = 0; p < sums.length; p++) sums[p] = (sums[p] ?? 0) * factor;
      total *= factor;
    }
    referenceMs = ms;
  };

  const byDay = new Map<number, ScoredProduct[]>();
  let next = 0;
  for (const day of wanted) {
    const dayStartMs = day * MS_PER_DAY;
    decayTo(dayStartMs);
    for (; next < orders.length; next++) {
      const o = orders[next] ?? 0;
      const atMs = index.orderTimeMs[o] ?? 0;
      if (atMs >= dayStartMs) break;
      const weight = Math.pow(0.5, (dayStartMs - atMs) / MS_PER_DAY / halfLifeDays);
      total += weight;
      for (const p of orderProducts(index, o)) sums[p] = (sums[p] ?? 0) + weight;
    }
    byDay.set(day, topShares(index, sums, total));
  }
  return byDay;
}

function topShares(index: PurchaseIndex, sums: Float64Array, total: number): ScoredProduct[] {
  const ranked: ScoredProduct[] = [];
  sums.forEach((sum, p) => {
    if (sum > 0) {
      ranked.push({ productId: index.productIds[p] ?? "", score: sum / total, source: "trending" });
    }
  });
  return ranked.sort(compareScoredDescending).slice(0, KEPT);
}
