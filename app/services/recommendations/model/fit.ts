/**
 * Fits every part of a shop's recommender on one set of orders: long-run and recent bestsellers,
 * item-kNN and EASE edges, and per-product repurchase behaviour. The storefront stores what this
 * returns; training and the offline evaluation read it in memory through the same ModelView.
 */
import { buildEaseModel } from "./ease";
import { neighboursOf, type ItemGraph } from "./item-graph";
import { buildItemToItemModel } from "./item-to-item";
import { buildPopularityPrior } from "./popularity-prior";
import type { PurchaseIndex } from "./purchase-index";
import { dayOf, recentBestsellersByDay } from "./recent-bestsellers";
import { buildRepurchaseStats, type RepurchaseTable } from "./repurchase";
import type { ItemEdges, ModelView } from "./signals";
import type { ScoredProduct } from "./types";

/** Edges kept per product and model: a block shows at most 12, the rest absorb exclusions. */
export const STORED_EDGES = 30;
/** Half-life of the "what sells now" list. */
export const RECENT_HALF_LIFE_DAYS = 30;

export interface FittedModel {
  index: PurchaseIndex;
  knn: ItemGraph;
  ease: ItemGraph;
  repurchase: RepurchaseTable;
  /** Every product's all-time share of orders, best first. */
  popular: readonly ScoredProduct[];
}

export function fitModel(index: PurchaseIndex, asOf: Date): FittedModel {
  return {
    index,
    knn: buildItemToItemModel(index, {
      asOf,
      neighbours: STORED_EDGES,
      halfLifeDays: 365,
      idfExponent: 1,
    }),
    ease: buildEaseModel(index, { neighbours: STORED_EDGES }),
    repurchase: buildRepurchaseStats(index),
    popular: buildPopularityPrior(index, { halfLifeDays: Infinity }).ranked,
  };
}

/**
 * ModelViews over a fitted model, as the storefront would see the model built on each of `days`
 * (the recent bestsellers only know orders before the day). Edge lists are materialised once
 * per product and shared by every view.
 */
export function inMemoryViews(
  fitted: FittedModel,
  days: Iterable<number>,
): (asOf: Date) => ModelView {
  const edges = new Map<string, ItemEdges | undefined>();
  const itemEdges = (productId: string) => {
    if (!edges.has(productId)) {
      const known = fitted.index.productIndex.has(productId);
      edges.set(
        productId,
        known
          ? { knn: neighboursOf(fitted.knn, productId), ease: neighboursOf(fitted.ease, productId) }
          : undefined,
      );
    }
    return edges.get(productId);
  };
  const recent = recentBestsellersByDay(fitted.index, days, RECENT_HALF_LIFE_DAYS);
  return (asOf) => ({
    popular: fitted.popular,
    recentPopular: recent.get(dayOf(asOf)) ?? [],
    itemEdges,
    repurchase: (productId) => fitted.repurchase.get(productId),
  });
}
