/**
 * Picks a recommendation strategy from the customer's lifecycle stage:
 *  - prospect, or no history: trending, then popular;
 *  - new: complements of their first order (its products' neighbours), then popular;
 *  - at_risk / lapsing / lost: win-back — their best re-purchase candidates (products they
 *    bought that customers commonly buy again) interleaved with "for you" neighbours;
 *  - active / loyal / reactivated: "for you", then popular.
 * Every list is filled up from popular so a thin history still yields `limit` products.
 */
import { fillDistinct, interleave } from "./blend";
import { summariseHistory } from "./customer-history";
import { recommendForYou, type ForYouOptions } from "./for-you";
import type { ItemToItemModel } from "./item-to-item";
import { compareScoredDescending } from "./product-order";
import type { RepurchaseRates } from "./repurchase";
import type { HistoryEntry, LifecycleStage, ScoredProduct } from "./types";

export type LifecycleStrategy = "trending" | "first_order_complements" | "win_back" | "for_you";

export interface LifecycleRequest {
  stage: LifecycleStage;
  history: readonly HistoryEntry[];
  model: ItemToItemModel;
  repurchaseRates: RepurchaseRates;
  popular: readonly ScoredProduct[];
  trending: readonly ScoredProduct[];
  asOf: Date;
  limit?: number;
  /** Win-back lists show this many re-purchase candidates per neighbour. */
  repurchasePerNeighbour?: number;
  forYou?: Partial<Omit<ForYouOptions, "asOf" | "limit" | "repurchaseRates">>;
}

export interface LifecycleRecommendations {
  strategy: LifecycleStrategy;
  products: ScoredProduct[];
}

export function strategyForStage(stage: LifecycleStage, hasHistory: boolean): LifecycleStrategy {
  if (!hasHistory || stage === "prospect") return "trending";
  if (stage === "new") return "first_order_complements";
  if (stage === "at_risk" || stage === "lapsing" || stage === "lost") return "win_back";
  return "for_you";
}

export function recommendForLifecycle(request: LifecycleRequest): LifecycleRecommendations {
  const limit = request.limit ?? 10;
  const strategy = strategyForStage(request.stage, request.history.length > 0);
  const personal = personalList(strategy, request, limit);
  return { strategy, products: fillDistinct([personal, request.popular], limit) };
}

function personalList(
  strategy: LifecycleStrategy,
  request: LifecycleRequest,
  limit: number,
): readonly ScoredProduct[] {
  const forYouOptions = {
    ...request.forYou,
    asOf: request.asOf,
    limit,
    repurchaseRates: request.repurchaseRates,
  };
  switch (strategy) {
    case "trending":
      return request.trending;
    case "first_order_complements":
      return firstOrderComplements(request, limit);
    case "win_back": {
      const candidates = repurchaseCandidates(request);
      const neighbours = recommendForYou(request.model, request.history, {
        ...forYouOptions,
        allowPreviouslyBought: false,
      });
      return interleave(candidates, neighbours, request.repurchasePerNeighbour ?? 1);
    }
    case "for_you":
      return recommendForYou(request.model, request.history, forYouOptions);
  }
}

/** Neighbours of the first order's products, summed, excluding what that order contained. */
function firstOrderComplements(request: LifecycleRequest, limit: number): ScoredProduct[] {
  const firstAtMs = Math.min(...request.history.map((entry) => entry.at.getTime()));
  const firstOrder = request.history.filter((entry) => entry.at.getTime() === firstAtMs);
  return recommendForYou(request.model, firstOrder, {
    ...request.forYou,
    asOf: request.asOf,
    limit,
    allowPreviouslyBought: false,
  }).map((product) => ({ ...product, source: "complements" }));
}

/**
 * The customer's own products ranked by how often customers rebuy them, boosted by how often
 * this customer bought them (log, so one staple does not crowd out the rest).
 */
function repurchaseCandidates(request: LifecycleRequest): ScoredProduct[] {
  const bought = summariseHistory(request.history, request.asOf.getTime(), Infinity);
  const candidates: ScoredProduct[] = [];
  for (const product of bought.values()) {
    const rate = request.repurchaseRates.get(product.productId) ?? 0;
    const score = rate * (1 + Math.log(product.purchases));
    if (score > 0) candidates.push({ productId: product.productId, score, source: "repurchase" });
  }
  return candidates.sort(compareScoredDescending);
}
