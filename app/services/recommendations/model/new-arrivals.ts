/** Cold-start fallback that needs no purchase history: the catalogue's newest products. */
import { compareScoredDescending } from "./product-order";
import type { CatalogueProduct, ScoredProduct } from "./types";
import { MS_PER_DAY } from "./types";

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
