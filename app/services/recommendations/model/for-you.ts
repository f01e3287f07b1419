/**
 * "For you": products similar to what the customer bought, each bought product voting for its
 * neighbours with its recency weight. Products bought recently are left out (the customer has
 * them) unless they are re-purchase candidates, i.e. products customers commonly buy again.
 */
import { summariseHistory, type ProductHistory } from "./customer-history";
import type { ItemToItemModel } from "./item-to-item";
import { compareScoredDescending } from "./product-order";
import type { RepurchaseRates } from "./repurchase";
import type { HistoryEntry, ScoredProduct } from "./types";
import { MS_PER_DAY } from "./types";

export interface ForYouOptions {
  asOf: Date;
  limit: number;
  /** Half-life of a past purchase's vote. */
  historyHalfLifeDays: number;
  /** Products bought within this many days are excluded unless they are re-purchase candidates. */
  excludeRecentDays: number;
  repurchaseRates?: RepurchaseRates;
  /** A product at or above this repurchase rate is a re-purchase candidate. */
  minRepurchaseRate: number;
  /**
   * Adds repurchaseWeight × repurchase rate × recency to a previously bought product's score,
   * so habitual purchases (groceries) can be recommended again; 0 turns it off.
   */
  repurchaseWeight: number;
  /** False restricts the list to products the customer has never bought. */
  allowPreviouslyBought: boolean;
}

export const DEFAULT_FOR_YOU_OPTIONS: Omit<ForYouOptions, "asOf"> = {
  limit: 10,
  historyHalfLifeDays: 90,
  excludeRecentDays: 14,
  minRepurchaseRate: 0.3,
  repurchaseWeight: 0,
  allowPreviouslyBought: true,
};

export function recommendForYou(
  model: ItemToItemModel,
  history: readonly HistoryEntry[],
  options: Partial<ForYouOptions> & Pick<ForYouOptions, "asOf">,
): ScoredProduct[] {
  const settings = { ...DEFAULT_FOR_YOU_OPTIONS, ...options };
  const asOfMs = settings.asOf.getTime();
  const bought = summariseHistory(history, asOfMs, settings.historyHalfLifeDays);
  const neighbourScore = new Map<number, number>();
  for (const product of bought.values()) {
    const p = model.productIndex.get(product.productId);
    if (p === undefined) continue;
    for (let k = model.neighbourStart[p] ?? 0; k < (model.neighbourStart[p + 1] ?? 0); k++) {
      const q = model.neighbourItems[k] ?? 0;
      const vote = product.recency * (model.neighbourScores[k] ?? 0);
      neighbourScore.set(q, (neighbourScore.get(q) ?? 0) + vote);
    }
  }

  const recommendations: ScoredProduct[] = [];
  for (const [q, score] of neighbourScore) {
    const productId = model.productIds[q] ?? "";
    const own = bought.get(productId);
    const repurchase = own ? repurchaseScore(own, settings) : 0;
    if (own && !isRecommendable(own, settings, asOfMs)) continue;
    recommendations.push({ productId, score: score + repurchase, source: "neighbours" });
  }
  if (settings.repurchaseWeight > 0) {
    // Bought products that are nobody's neighbour still deserve their repurchase score.
    for (const own of bought.values()) {
      const q = model.productIndex.get(own.productId);
      if ((q !== undefined && neighbourScore.has(q)) || !isRecommendable(own, settings, asOfMs)) {
        continue;
      }
      const score = repurchaseScore(own, settings);
      if (score > 0)
        recommendations.push({ productId: own.productId, score, source: "repurchase" });
    }
  }
  return recommendations.sort(compareScoredDescending).slice(0, settings.limit);
}

function repurchaseScore(own: ProductHistory, settings: ForYouOptions): number {
  const rate = settings.repurchaseRates?.get(own.productId) ?? 0;
  return settings.repurchaseWeight * rate * own.recency;
}

function isRecommendable(own: ProductHistory, settings: ForYouOptions, asOfMs: number): boolean {
  if (!settings.allowPreviouslyBought) return false;
  const boughtRecently = asOfMs - own.lastAtMs < settings.excludeRecentDays * MS_PER_DAY;
  const rate = settings.repurchaseRates?.get(own.productId) ?? 0;
  return !boughtRecently || rate >= settings.minRepurchaseRate;
}
