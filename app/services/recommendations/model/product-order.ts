/**
 * One total order on product ids, used for every tie-break so results never depend on input order.
 * Shopify ids are decimal strings, so shorter strings are smaller numbers; equal lengths compare
 * lexicographically, which for digits is numeric order. Non-numeric ids (tests, CSV item names)
 * get the same rule, which is still a total order.
 */
export function compareProductIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Higher score first, then product id ascending. */
export function compareScoredDescending(
  a: { productId: string; score: number },
  b: { productId: string; score: number },
): number {
  return b.score - a.score || compareProductIds(a.productId, b.productId);
}
