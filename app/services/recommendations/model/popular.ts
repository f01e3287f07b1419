/**
 * Cold-start fallbacks that need no personal history: popular (decayed order counts), trending
 * (growth of the recent window over the one before it) and new arrivals (catalogue createdAt).
 */
import { compareScoredDescending } from "./product-order";
import { asPurchaseIndex, orderProducts, type PurchaseIndex } from "./purchase-index";
import { decayWeight } from "./time-decay";
import type { CatalogueProduct, Purchase, ScoredProduct } from "./types";
import { MS_PER_DAY } from "./types";

export interface PopularOptions {
  /** Defaults to the latest purchase. */
  asOf?: Date;
  halfLifeDays: number;
  limit: number;
}

/** Each order counts a product once, weighted by how recent the order is. */
export function popularProducts(
  input: Iterable<Purchase> | PurchaseIndex,
  options: Partial<PopularOptions> = {},
): ScoredProduct[] {
  const index = asPurchaseIndex(input);
  const asOfMs = options.asOf?.getTime() ?? index.maxTimeMs;
  const halfLifeDays = options.halfLifeDays ?? 90;
  const counts = new Float64Array(index.productIds.length);
  for (let o = 0; o < index.orderIds.length; o++) {
    const timeMs = index.orderTimeMs[o] ?? 0;
    if (timeMs > asOfMs) continue;
    const weight = decayWeight(timeMs, asOfMs, halfLifeDays);
    for (const p of orderProducts(index, o)) counts[p] = (counts[p] ?? 0) + weight;
  }
  return ranked(index, counts, "popular", options.limit ?? 50);
}

export interface TrendingOptions {
  /** Defaults to the latest purchase. */
  asOf?: Date;
  windowDays: number;
  /** Added to both windows' counts so 1 → 3 orders does not look like 200% growth. */
  smoothing: number;
  /** Products with fewer recent orders are not trending, whatever their growth. */
  minRecentOrders: number;
  limit: number;
}

/** Score = (recent + s) / (previous + s) − 1 over two equal windows ending at asOf; growers only. */
export function trendingProducts(
  input: Iterable<Purchase> | PurchaseIndex,
  options: Partial<TrendingOptions> = {},
): ScoredProduct[] {
  const index = asPurchaseIndex(input);
  const asOfMs = options.asOf?.getTime() ?? index.maxTimeMs;
  const windowMs = (options.windowDays ?? 14) * MS_PER_DAY;
  const smoothing = options.smoothing ?? 5;
  const minRecentOrders = options.minRecentOrders ?? 3;
  const recent = new Float64Array(index.productIds.length);
  const previous = new Float64Array(index.productIds.length);
  for (let o = 0; o < index.orderIds.length; o++) {
    const ageMs = asOfMs - (index.orderTimeMs[o] ?? 0);
    if (ageMs < 0 || ageMs >= 2 * windowMs) continue;
    const counts = ageMs < windowMs ? recent : previous;
    for (const p of orderProducts(index, o)) counts[p] = (counts[p] ?? 0) + 1;
  }
  const growth = new Float64Array(index.productIds.length);
  recent.forEach((count, p) => {
    if (count < minRecentOrders) return;
    growth[p] = (count + smoothing) / ((previous[p] ?? 0) + smoothing) - 1;
  });
  return ranked(index, growth, "trending", options.limit ?? 50);
}

export interface NewArrivalOptions {
  asOf: Date;
  maxAgeDays: number;
  limit: number;
}

/** Products created within maxAgeDays before asOf, newest first (score = 1 / (1 + age in days)). */
export function newArrivals(
  catalogue: Iterable<CatalogueProduct>,
  options: Partial<NewArrivalOptions> = {},
): ScoredProduct[] {
  const asOfMs = (options.asOf ?? new Date()).getTime();
  const maxAgeDays = options.maxAgeDays ?? 30;
  const arrivals: ScoredProduct[] = [];
  for (const product of catalogue) {
    const ageDays = (asOfMs - product.createdAt.getTime()) / MS_PER_DAY;
    if (ageDays < 0 || ageDays > maxAgeDays) continue;
    arrivals.push({ productId: product.id, score: 1 / (1 + ageDays), source: "new_arrival" });
  }
  return arrivals.sort(compareScoredDescending).slice(0, options.limit ?? 50);
}

function ranked(
  index: PurchaseIndex,
  scores: Float64Array,
  source: ScoredProduct["source"],
  limit: number,
): ScoredProduct[] {
  const products: ScoredProduct[] = [];
  scores.forEach((score, p) => {
    if (score > 0) products.push({ productId: index.productIds[p] ?? "", score, source });
  });
  return products.sort(compareScoredDescending).slice(0, limit);
}
