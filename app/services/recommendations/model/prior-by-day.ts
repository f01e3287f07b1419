/**
 * Popularity priors as of the start of each day, built lazily and cached, so an evaluation over
 * thousands of customers with different "now"s does not rebuild the prior per customer. The prior
 * for a day uses only orders before that day: a storefront cannot know today's orders in advance,
 * and same-day orders of other shoppers would leak a trend the baseline does not see.
 */
import { buildPopularityPrior, type PopularityPrior } from "./popularity-prior";
import type { PurchaseIndex } from "./purchase-index";
import { MS_PER_DAY } from "./types";

export type PriorAt = (asOf: Date) => PopularityPrior;

/** Infinite half-life means no decay, so one prior over all training orders serves every day. */
export function priorsByDay(index: PurchaseIndex, halfLifeDays: number): PriorAt {
  if (!Number.isFinite(halfLifeDays)) {
    const prior = buildPopularityPrior(index, { halfLifeDays: Infinity });
    return () => prior;
  }
  const cache = new Map<number, PopularityPrior>();
  return (asOf) => {
    const day = Math.floor(asOf.getTime() / MS_PER_DAY);
    let prior = cache.get(day);
    if (!prior) {
      prior = buildPopularityPrior(index, { asOf: new Date(day * MS_PER_DAY - 1), halfLifeDays });
      cache.set(day, prior);
    }
    return prior;
  };
}
