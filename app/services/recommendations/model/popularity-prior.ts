/**
 * Popularity as a probability: the (decayed) share of orders containing each product. With an
 * infinite half-life it is the shop's bestseller list.
 */
import { asPurchaseIndex, orderProducts, type PurchaseIndex } from "./purchase-index";
import { decayWeight } from "./time-decay";
import type { Purchase, ScoredProduct } from "./types";
import { compareScoredDescending } from "./product-order";

export interface PopularityPrior {
  /** Product id → share of orders in [0, 1]. */
  share: ReadonlyMap<string, number>;
  /** The same shares as a list, highest first (ties by product id). */
  ranked: readonly ScoredProduct[];
}

export interface PopularityPriorOptions {
  /** Defaults to the latest purchase; later orders are ignored. */
  asOf?: Date;
  /** Infinity weighs every order alike. */
  halfLifeDays: number;
}

export function buildPopularityPrior(
  input: Iterable<Purchase> | PurchaseIndex,
  options: Partial<PopularityPriorOptions> = {},
): PopularityPrior {
  const index = asPurchaseIndex(input);
  const asOfMs = options.asOf?.getTime() ?? index.maxTimeMs;
  const halfLifeDays = options.halfLifeDays ?? Infinity;
  const counts = new Float64Array(index.productIds.length);
  let orders = 0;
  for (let o = 0; o < index.orderIds.length; o++) {
    const timeMs = index.orderTimeMs[o] ?? 0;
    if (timeMs > asOfMs) continue;
    const weight = decayWeight(timeMs, asOfMs, halfLifeDays);
    orders += weight;
    for (const p of orderProducts(index, o)) counts[p] = (counts[p] ?? 0) + weight;
  }
  const ranked: ScoredProduct[] = [];
  counts.forEach((count, p) => {
    if (count > 0) {
      ranked.push({
        productId: index.productIds[p] ?? "",
        score: count / orders,
        source: "popular",
      });
    }
  });
  ranked.sort(compareScoredDescending);
  return { share: new Map(ranked.map((product) => [product.productId, product.score])), ranked };
}
