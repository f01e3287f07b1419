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

/**
 * Alternates `firstRun` items of `first` with one item of `second`, preserving each list's order;
 * when one list runs out the other continues.
 */
export function interleave(
  first: readonly ScoredProduct[],
  second: readonly ScoredProduct[],
  firstRun: number,
): ScoredProduct[] {
  const merged: ScoredProduct[] = [];
  let i = 0;
  let j = 0;
  while (i < first.length || j < second.length) {
    for (const item of first.slice(i, i + firstRun)) merged.push(item);
    i += firstRun;
    for (const item of second.slice(j, j + 1)) merged.push(item);
    j += 1;
  }
  return merged;
}
