/** A customer's purchase history summarised per product, for the personal recommenders. */
import { decayWeight } from "./time-decay";
import type { HistoryEntry } from "./types";

export interface ProductHistory {
  productId: string;
  /** Σ over distinct purchase times of the decay weight: recent, frequent purchases count most. */
  recency: number;
  /** Distinct purchase times, i.e. orders when each order has one time. */
  purchases: number;
  firstAtMs: number;
  lastAtMs: number;
}

export function summariseHistory(
  history: readonly HistoryEntry[],
  asOfMs: number,
  halfLifeDays: number,
): Map<string, ProductHistory> {
  const seen = new Set<string>();
  const summary = new Map<string, ProductHistory>();
  for (const entry of history) {
    const atMs = entry.at.getTime();
    // Several lines of one order (same product, same time) are one purchase.
    const key = `${entry.productId}\u0000${atMs}`;
    if (seen.has(key) || !Number.isFinite(atMs)) continue;
    seen.add(key);
    const weight = decayWeight(atMs, asOfMs, halfLifeDays);
    const product = summary.get(entry.productId);
    if (product) {
      product.recency += weight;
      product.purchases += 1;
      product.firstAtMs = Math.min(product.firstAtMs, atMs);
      product.lastAtMs = Math.max(product.lastAtMs, atMs);
    } else {
      summary.set(entry.productId, {
        productId: entry.productId,
        recency: weight,
        purchases: 1,
        firstAtMs: atMs,
        lastAtMs: atMs,
      });
    }
  }
  return summary;
}
