/**
 * Per-product repurchase behaviour:
 *  - rate: of the customers who bought the product, the share who bought it again in a later
 *    order, shrunk toward the catalogue-wide rate so a product bought by two customers, one of
 *    whom came back, does not claim a 50% rate;
 *  - intervalDays: the typical time between a customer's purchases of it (geometric mean of the
 *    gaps, shrunk toward the catalogue-wide one), which says when a re-buy is due: coffee every
 *    few weeks, a mattress never.
 */
import {
  asPurchaseIndex,
  customerOrderRange,
  orderProducts,
  type PurchaseIndex,
} from "./purchase-index";
import type { Purchase } from "./types";
import { MS_PER_DAY } from "./types";

export interface RepurchaseStats {
  rate: number;
  intervalDays: number;
}

export type RepurchaseTable = ReadonlyMap<string, RepurchaseStats>;

export interface RepurchaseOptions {
  /** Pseudo-customers (for the rate) and pseudo-gaps (for the interval) at the shop-wide value. */
  priorStrength: number;
}

/** Gaps under a day are the same purchase split over two orders, not a re-buy cycle. */
const MIN_GAP_DAYS = 1;

export function buildRepurchaseStats(
  input: Iterable<Purchase> | PurchaseIndex,
  options: Partial<RepurchaseOptions> = {},
): RepurchaseTable {
  const index = asPurchaseIndex(input);
  const priorStrength = options.priorStrength ?? 5;
  const productCount = index.productIds.length;
  const buyers = new Float64Array(productCount);
  const repeaters = new Float64Array(productCount);
  const gapCount = new Float64Array(productCount);
  const logGapSum = new Float64Array(productCount);
  const lastBoughtMs = new Map<number, number>();
  const boughtInOrders = new Map<number, number>();

  for (let c = 0; c < index.customerIds.length; c++) {
    // Guests cannot be recognised when they come back, so they say nothing about repurchase.
    if (index.customerIds[c] === null) continue;
    lastBoughtMs.clear();
    boughtInOrders.clear();
    const [first, end] = customerOrderRange(index, c);
    for (let o = first; o < end; o++) {
      const atMs = index.orderTimeMs[o] ?? 0;
      for (const p of orderProducts(index, o)) {
        boughtInOrders.set(p, (boughtInOrders.get(p) ?? 0) + 1);
        const previous = lastBoughtMs.get(p);
        lastBoughtMs.set(p, atMs);
        if (previous === undefined) continue;
        const gapDays = (atMs - previous) / MS_PER_DAY;
        if (gapDays < MIN_GAP_DAYS) continue;
        gapCount[p] = (gapCount[p] ?? 0) + 1;
        logGapSum[p] = (logGapSum[p] ?? 0) + Math.log(gapDays);
      }
    }
    for (const [p, orders] of boughtInOrders) {
      buyers[p] = (buyers[p] ?? 0) + 1;
      if (orders > 1) repeaters[p] = (repeaters[p] ?? 0) + 1;
    }
  }

  const sum = (values: Float64Array) => values.reduce((total, value) => total + value, 0);
  const totalBuyers = sum(buyers);
  const globalRate = totalBuyers > 0 ? sum(repeaters) / totalBuyers : 0;
  const totalGaps = sum(gapCount);
  // Without any re-buy in the shop, a year stands for "not a repeat product".
  const globalLogGap = totalGaps > 0 ? sum(logGapSum) / totalGaps : Math.log(365);

  const stats = new Map<string, RepurchaseStats>();
  index.productIds.forEach((productId, p) => {
    const rate =
      ((repeaters[p] ?? 0) + priorStrength * globalRate) / ((buyers[p] ?? 0) + priorStrength);
    const logGap =
      ((logGapSum[p] ?? 0) + priorStrength * globalLogGap) / ((gapCount[p] ?? 0) + priorStrength);
    stats.set(productId, {
      rate: Number.isFinite(rate) ? rate : 0,
      intervalDays: Math.exp(logGap),
    });
  });
  return stats;
}
