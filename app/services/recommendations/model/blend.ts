/** Combining ranked lists: the first occurrence of a product wins, later duplicates are dropped. */
import type { ScoredProduct } from "./types";

/** Takes from each list in turn until `limit` distinct, non-excluded products are collected. */
export function fillDistinct(
  lists: readonly (readonly ScoredProduct[])[],
  limit: number,
  exclude: ReadonlySet<string> = new Set(),
): ScoredProduct[] {
  const taken = new Set<string>();
  const result: ScoredProduct[] = [];
  for (const list of lists) {
    for (const product of list) {
      if (result.length >= limit) return result;
      if (taken.has(product.productId) || exclude.has(product.productId)) continue;
      taken.add(product.productId);
      result.push(product);
    }
  }
  return result;
}
