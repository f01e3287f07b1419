/** Ranking metrics for offline evaluation, binary relevance. */

/** 1 if any of the top k recommendations is relevant, else 0. */
export function hitAtK(
  recommended: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
): number {
  return recommended.slice(0, k).some((productId) => relevant.has(productId)) ? 1 : 0;
}

/**
 * DCG@k / ideal DCG@k with gain 1 per relevant item at rank r (1-based) discounted by log2(r + 1).
 * The ideal ranking puts min(|relevant|, k) relevant items first. 0 when nothing is relevant.
 */
export function ndcgAtK(
  recommended: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
): number {
  let dcg = 0;
  recommended.slice(0, k).forEach((productId, rank) => {
    if (relevant.has(productId)) dcg += 1 / Math.log2(rank + 2);
  });
  let ideal = 0;
  for (let rank = 0; rank < Math.min(relevant.size, k); rank++) ideal += 1 / Math.log2(rank + 2);
  return ideal > 0 ? dcg / ideal : 0;
}

/** Share of the relevant products found in the first k. */
export function recallAtK(
  recommended: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
): number {
  if (relevant.size === 0) return 0;
  return (
    recommended.slice(0, k).filter((productId) => relevant.has(productId)).length / relevant.size
  );
}
